"""Two builds' merged graphs compared subject block by subject block (dump_diff): what the rebuild's merged
screen starts from and its store patch replaces."""

import pyoxigraph as ox
import pytest

from migkg import dump_diff
from migkg.export import header


def test_a_dump_is_cut_into_subject_blocks_and_any_other_layout_is_unrecognised():
    body = (b"<urn:g> {\n\t<urn:a> <urn:p> <urn:b> ;\n\t\t<urn:q> \"x\" .\n\t<urn:b> <urn:p> <urn:c> .\n}\n"
            b"<urn:h> {\n\t<urn:a> <urn:p> <urn:d> .\n}\n")
    assert list(dump_diff.blocks(body, 0, len(body))) == [
        (b"<urn:g>", b"\t<urn:a> <urn:p> <urn:b> ;\n\t\t<urn:q> \"x\" .\n"),
        (b"<urn:g>", b"\t<urn:b> <urn:p> <urn:c> .\n"), (b"<urn:h>", b"\t<urn:a> <urn:p> <urn:d> .\n")]
    for bad in (b"<urn:a> <urn:p> <urn:b> .\n", b"<urn:g> {\n\t<urn:a> <urn:p> \"\"\"two\nlines\"\"\" .\n}\n"):
        with pytest.raises(dump_diff.Unrecognised):
            list(dump_diff.blocks(bad, 0, len(bad)))


def _dump(tmp_path, name: str, quads: str) -> tuple:
    """QUADS (N-Quads) written as the dumps write TriG, and where its body ends."""
    from rdflib import Dataset

    from migkg.export import quads_of, write_bodies

    path = tmp_path / name
    with open(path, "wb") as out:
        out.write(header())
        write_bodies(quads_of(Dataset().parse(data=quads, format="nquads")), {"trig": out})
        end = out.tell()
        out.write(b"<urn:source> {\n\t<urn:s> <urn:p> <urn:o> .\n}\n")  # the sources' graphs follow: not compared
    return path, end


def test_only_the_blocks_that_differ_are_kept_and_their_quads_patch_one_graph_into_the_other(tmp_path):
    old = ("<urn:a> <urn:p> <urn:b> <urn:g> .\n<urn:a> <urn:q> \"x\" <urn:g> .\n<urn:b> <urn:p> <urn:c> <urn:g> .\n"
           "<urn:c> <urn:p> <urn:d> <urn:gone> .\n")
    new = ("<urn:a> <urn:p> <urn:b> <urn:g> .\n<urn:a> <urn:q> \"y\" <urn:g> .\n<urn:b> <urn:p> <urn:c> <urn:g> .\n"
           "<urn:e> <urn:p> <urn:a> <urn:h> .\n")
    diff = dump_diff.between(*_dump(tmp_path, "old.trig", old), *_dump(tmp_path, "new.trig", new))
    assert [b for _, b in diff.gone] == [b"\t<urn:a> <urn:p> <urn:b> ;\n\t\t<urn:q> \"x\" .\n",
                                         b"\t<urn:c> <urn:p> <urn:d> .\n"]
    assert len(diff.came) == 2 and diff.graphs_before - diff.graphs_after == {b"<urn:gone>"}
    gone = {str(q) for q in ox.parse(input=diff.trig(diff.gone), format=ox.RdfFormat.TRIG)}
    came = {str(q) for q in ox.parse(input=diff.trig(diff.came), format=ox.RdfFormat.TRIG)}
    as_set = lambda text: {str(q) for q in ox.parse(input=text.encode(), format=ox.RdfFormat.N_QUADS)}  # noqa: E731
    assert as_set(old) - gone | came == as_set(new)


def test_a_dump_without_the_header_is_unrecognised(tmp_path):
    path, end = _dump(tmp_path, "a.trig", "<urn:a> <urn:p> <urn:b> <urn:g> .\n")
    other = tmp_path / "b.trig"
    other.write_bytes(path.read_bytes()[len(header()):])
    with pytest.raises(dump_diff.Unrecognised):
        dump_diff.between(path, end, other, end - len(header()))
