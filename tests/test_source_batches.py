"""The sources' graphs are cut into batches by the sources themselves (source_parts._cut), so that a rebuild
copies every batch that did not change from the last build's dumps: the dumps must come out byte for byte as
a build without the cache writes them, whatever was copied."""

import json

import pytest

from migkg import source_parts

from test_store_patch import ADDED, SOURCES, _build, folder  # noqa: F401 - the same sources, less ADDED


@pytest.fixture
def small_batches(monkeypatch):
    """Batches of about three sources, so that the test corpus has several."""
    monkeypatch.setattr(source_parts, "BATCH", 3)
    monkeypatch.setattr(source_parts, "CAP", 6)


def test_a_batch_ends_where_its_last_source_says_so_and_adding_a_source_changes_only_its_own_batch(small_batches):
    sources = [f"https://w3id.org/migkg/source/{i:016x}" for i in range(200)]
    before = source_parts._cut(sources)
    assert [s for b in before for s in b] == sources and max(map(len, before)) <= 6 and len(before) > 30
    after = source_parts._cut(sorted(sources + ["https://w3id.org/migkg/source/0000000000000063a"]))
    assert len([b for b in after if b not in before]) <= 2  # its own batch; a second where it hit the cap


def _outputs(kg):
    return {name: (kg / name).read_bytes() for name in ("graph.trig", "graph.ttl", "void.ttl")}


def test_a_rebuild_copies_the_unchanged_batches_and_writes_the_dumps_a_fresh_build_writes(folder, tmp_path, small_batches):
    kg = tmp_path / "dist"
    first = _build(folder, kg)
    assert first.batches_copied == 0
    (folder / ADDED).write_bytes((SOURCES[1] / ADDED).read_bytes())
    again = _build(folder, kg)
    info = json.loads((kg / "build.json").read_text())
    batches = len(json.loads((tmp_path / ".dist.cache" / "store" / "graphs.json").read_text())["batches"])
    assert 0 < again.batches_copied == info["source_batches_copied_from_last_dumps"] < batches
    fresh = tmp_path / "fresh" / "dist"
    _build(folder, fresh, cache=False)
    assert _outputs(kg) == _outputs(fresh)

    # Removing a source: the batches around it are copied again, and the dumps still match a fresh build's.
    sorted(p for p in folder.iterdir() if p.suffix == ".json")[0].unlink()
    assert _build(folder, kg).batches_copied > 0
    _build(folder, fresh, cache=False)
    assert _outputs(kg) == _outputs(fresh)


def test_a_last_dump_that_is_not_the_size_its_build_recorded_is_not_copied_from(folder, tmp_path, small_batches):
    kg = tmp_path / "dist"
    _build(folder, kg)
    with open(kg / "graph.ttl", "ab") as fh:
        fh.write(b"# edited by hand\n")
    (folder / ADDED).write_bytes((SOURCES[1] / ADDED).read_bytes())
    assert _build(folder, kg).batches_copied == 0
    fresh = tmp_path / "fresh" / "dist"
    _build(folder, fresh, cache=False)
    assert _outputs(kg) == _outputs(fresh)


def test_a_source_graphs_turtle_taken_from_its_trig_is_oxigraphs_own(seed_dataset):
    """The workers serialise a source's graph once, as TriG, and take the Turtle from it (export.graph_bodies):
    it must be what Oxigraph writes as Turtle, for every graph and for literals with quotes, tabs and newlines."""
    from rdflib import Literal, URIRef

    from migkg import export

    graphs = {g.identifier: [(s, p, o, g.identifier) for s, p, o in g] for g in seed_dataset.graphs() if len(g)}
    odd = URIRef("https://w3id.org/migkg/source/odd")
    graphs[odd] = [(URIRef(f"{odd}/passage/{i}"), URIRef("http://www.w3.org/ns/oa#exact"), Literal(text), odd)
                   for i, text in enumerate(['a "quoted"\n\tline', "tab\there", "}\n<x> {", "é \\ ; ."])]
    assert len(graphs) >= 10  # the five seeds', the four merged graphs, and the odd literals'
    for quads in graphs.values():
        assert export.graph_bodies(quads) == tuple(export.bodies(quads, ("trig", "ttl"))), quads[0][3]
