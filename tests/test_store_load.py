"""The store is bulk loaded from the TriG dump in pieces (store.bulk_load_trig), which bounds Oxigraph's
loader's memory: the pieces, cut anywhere a statement ends, must load exactly what the whole dump holds."""

import re

import pyoxigraph as ox
import pytest

from migkg import store


def _whole(trig) -> set[str]:
    s = ox.Store()
    s.bulk_load(path=str(trig), format=ox.RdfFormat.TRIG)
    return {str(q) for q in s}


def _pieces(trig, piece: int) -> set[str]:
    s = ox.Store()
    store.bulk_load_trig(s, trig, piece)
    return {str(q) for q in s}


@pytest.mark.parametrize("piece", [1, 97, 4096, 1 << 30])
def test_the_seed_dump_in_pieces_of_any_size_loads_what_it_holds_whole(seed_kg, piece):
    trig = seed_kg / "graph.trig"
    assert len(trig.read_bytes()) > 4 * 4096  # so the middle sizes cut inside graph blocks and between them
    assert _pieces(trig, piece) == _whole(trig)


def test_a_dump_with_blank_nodes_is_loaded_whole_so_each_keeps_one_identity(tmp_path):
    trig = tmp_path / "graph.trig"
    trig.write_text("@prefix ex: <http://example.org/> .\n\n"
                    "ex:g {\n\t_:b ex:p ex:o1 .\n\t_:b ex:p ex:o2 .\n\tex:s ex:q \"a _: in a literal\" .\n}\n"
                    "ex:h {\n\t_:b ex:p ex:o3 .\n}\n", encoding="utf-8")
    loaded = ox.Store()
    store.bulk_load_trig(loaded, trig, 1)
    masked = lambda quads: {re.sub(r"_:\w+", "_:x", q) for q in quads}  # noqa: E731 (each load names them anew)
    assert masked(str(q) for q in loaded) == masked(_whole(trig))
    subjects = {q.subject for q in loaded if q.predicate == ox.NamedNode("http://example.org/p")}
    assert len(subjects) == 1  # one label, one node, however the pieces would have fallen


def test_literals_that_look_like_statement_ends_or_block_closes_are_not_cut(tmp_path):
    trig = tmp_path / "graph.trig"
    g = ox.Store()
    tricky = ["ends here .\n<x> {\n}", "}\n", " .\n", "a\n}\nb"]
    for i, text in enumerate(tricky):
        g.add(ox.Quad(ox.NamedNode(f"http://example.org/s{i}"), ox.NamedNode("http://example.org/p"),
                      ox.Literal(text), ox.NamedNode(f"http://example.org/g{i % 2}")))
    trig.write_bytes(b"@prefix ex: <http://example.org/> .\n\n" + g.dump(format=ox.RdfFormat.TRIG))
    for piece in (1, 7, 64):
        assert _pieces(trig, piece) == _whole(trig)


@pytest.mark.parametrize("now, peak, whole", [(1000, 4000, True), (1000, 2500, False), (0, 9000, False)])
def test_a_build_loads_its_store_in_one_piece_only_where_that_stays_under_its_peak(monkeypatch, now, peak, whole):
    from migkg import pipeline, publish

    monkeypatch.setattr(pipeline, "_resident_mb", lambda: (now, peak))
    assert (publish._piece() is None) == whole  # 0: resident memory unknown, so the bounded way
