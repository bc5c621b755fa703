"""A large build screens its merged graphs a chunk of nodes at a time (validate_chunked): it must reach the whole
screen's verdict, and find a fault in a node, in a node that reads one in another chunk, and in a passage."""

import json

import pytest
from rdflib.namespace import PROV, RDF

from migkg import pipeline, validate_chunked
from migkg.errors import ValidationFailed
from migkg.vocab import MKG

from test_store_patch import SOURCES
from test_validate_delta import _damaged


@pytest.fixture
def verdicts(monkeypatch):
    """Chunks of a few nodes, from any size of build; what each chunked screen said."""
    monkeypatch.setattr(validate_chunked, "CHUNK", 7)
    monkeypatch.setattr(validate_chunked, "LARGE", 0)
    said, clean = [], validate_chunked.clean

    def spy(parts):
        said.append(clean(parts))
        return said[-1]

    monkeypatch.setattr(validate_chunked, "clean", spy)
    return said


def _build(kg, **kw):
    return pipeline.build(SOURCES, kg, curation_dir=kg.parent / "none", cache=False, **kw)


def test_in_chunks_a_build_publishes_what_the_whole_screen_lets_through(tmp_path, verdicts, monkeypatch):
    from rdflib import Dataset

    from migkg import validate_parts

    screened, real = [], validate_parts._clean
    monkeypatch.setattr(validate_parts, "_clean", lambda view, **part: screened.append(part) or real(view, **part))
    _build(tmp_path / "chunks")
    assert verdicts == [True]
    # every node of the merged graphs is a focus candidate of one chunk, and only one
    ds = Dataset()
    ds.parse(tmp_path / "chunks" / "graph.trig", format="trig")
    sources = {g for _, _, _, g in ds.quads((None, None, None, None)) if "/source/" in str(g)}
    merged = {s for s, _, _, g in ds.quads((None, None, None, None)) if g not in sources} - sources
    chunks = [part["within"] for part in screened if part.get("outside")]
    assert len(chunks) > 10 and sum(map(len, chunks)) == len(set().union(*chunks)) and merged <= set().union(*chunks)
    assert json.loads((tmp_path / "chunks" / "build.json").read_text())["merged_graphs_screened_in_chunks"]
    monkeypatch.setattr(validate_chunked, "LARGE", 10**12)
    _build(tmp_path / "whole")
    assert verdicts == [True]  # not asked again
    assert not json.loads((tmp_path / "whole" / "build.json").read_text())["merged_graphs_screened_in_chunks"]
    for name in ("graph.ttl", "graph.trig", "void.ttl", "validation.txt"):
        assert (tmp_path / "chunks" / name).read_bytes() == (tmp_path / "whole" / name).read_bytes(), name


@pytest.mark.parametrize("fault", ["a node's own triple", "a node that reads one in another chunk",
                                   "a passage read backwards"])
def test_a_fault_is_found_in_whichever_chunk_reads_it(tmp_path, verdicts, monkeypatch, fault):
    from rdflib import Dataset

    _build(tmp_path / "first")
    ds = Dataset()
    ds.parse(tmp_path / "first" / "graph.trig", format="trig")
    agreement = min(s for s, _, _, _ in ds.quads((None, RDF.type, MKG.Agreement, None)))
    party = min(o for _, _, o, _ in ds.quads((agreement, MKG.party, None, None)))
    # minted under other paths, so many nodes apart in the IRI order the chunks are cut in: in other chunks
    assert "/agreement/" in agreement and "/agreement/" not in party
    verdicts.clear()

    def how(w):
        if fault == "a node's own triple":  # the agreement loses its status
            w.agr.remove((agreement, MKG.status, None))
        elif fault == "a node that reads one in another chunk":  # the party is no organization: the agreement
            for t in list(w.ref.triples((party, RDF.type, None))):  # reads its type
                w.ref.remove(t)
            w.ref.add((party, RDF.type, PROV.Agent))
        else:  # the agreement's parties lose their passages: read backwards from the agreement
            for passages in w.pending.values():
                passages[:] = [p for p in passages if not (p[0] == agreement and p[1] == MKG.party)]

    _damaged(monkeypatch, how)
    with pytest.raises(ValidationFailed):
        _build(tmp_path / "dist")
    assert verdicts == [False]  # found by the chunks, then reported by pySHACL on the whole graph
