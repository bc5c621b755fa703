"""The bulk screen of SHACL-SPARQL constraints changes how fast validation is, never what it reports.

Every validation here runs pySHACL (screen=False): test_shacl_screen covers the pass that skips it."""

from contextlib import nullcontext
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, XSD

from migkg import shacl_bulk
from migkg.export import union
from migkg.validate import shapes_graph, validate
from migkg.vocab import MKG
from reports import same_report_graph

HERE = Path(__file__).parent
FIXTURES = sorted((HERE / "shapes").glob("*.ttl")) + sorted((HERE / "checks").glob("*.ttl"))
AGREEMENT = URIRef("https://w3id.org/migkg/agreement/x")


def _plain(data, monkeypatch):
    with monkeypatch.context() as m:
        m.setattr(shacl_bulk, "screened_sparql", nullcontext)
        return validate(data, screen=False)


def _assert_same(data, monkeypatch):
    screened, plain = validate(data, screen=False), _plain(data, monkeypatch)
    assert screened.conforms == plain.conforms
    key = lambda r: (r.shape, r.focus, r.path or "", r.value or "", r.severity, r.message, r.sources)  # noqa: E731
    assert sorted(screened.results, key=key) == sorted(plain.results, key=key)
    assert same_report_graph(screened.report_graph, plain.report_graph)
    # Results that tie on the report's sort keys come in no set order, in either run: lines are compared as a set.
    assert sorted(screened.text().splitlines()) == sorted(plain.text().splitlines())
    return screened


@pytest.fixture
def screened(monkeypatch):
    """What each screen let through, by constraint: proof the screen ran rather than fell back."""
    seen = []
    real = shacl_bulk._candidates

    def spy(constraint, graph, f_v_dict, *rest):
        keep = real(constraint, graph, f_v_dict, *rest)
        seen.append((len(f_v_dict), keep))
        return keep

    monkeypatch.setattr(shacl_bulk, "_candidates", spy)
    return seen


@pytest.mark.parametrize("path", FIXTURES, ids=[p.name for p in FIXTURES])
def test_fixture_report_same_as_plain_pyshacl(path, monkeypatch, screened):
    g = Graph().parse(path)
    if not any((None, RDF.type, c) in g for c in (MKG.Agreement, MKG.SigningEvent, MKG.Signature)):
        # Nothing for a SPARQL constraint to check, so pySHACL runs its own code untouched; kept quick.
        validate(g, screen=False)
        assert screened == []
        return
    _assert_same(g, monkeypatch)
    assert screened and all(keep is not None for _, keep in screened)


def test_seed_report_same_as_plain_pyshacl(seed_dataset, monkeypatch, screened):
    result = _assert_same(seed_dataset, monkeypatch)
    assert result.conforms
    # All four constraints screened, leaving pySHACL fewer focus nodes to query.
    assert len(screened) == 4 and all(keep is not None for _, keep in screened)
    total, kept = sum(n for n, _ in screened), sum(len(keep) for _, keep in screened)
    assert 0 <= kept < total


def test_seed_with_broken_provenance_same_as_plain_pyshacl(seed_dataset, monkeypatch, screened):
    """Passages removed and a validity period reversed: the screen must let every violating node through."""
    g = union(seed_dataset)
    evidence = sorted(g.subjects(RDF.type, MKG.Evidence))
    for e in evidence[::3]:
        g.remove((e, RDF.object, None))
    agreements = sorted(g.subjects(RDF.type, MKG.Agreement))
    g.set((agreements[0], MKG.validFrom, Literal("2024-05-01", datatype=XSD.date)))
    g.set((agreements[0], MKG.validUntil, Literal("2023", datatype=XSD.gYear)))
    result = _assert_same(g, monkeypatch)
    shapes = {r.shape for r in result.results}
    assert {"shapes:AgreementShape", "shapes:AgreementProvenanceShape", "shapes:SignatureProvenanceShape"} <= shapes
    assert any(keep for _, keep in screened)


def test_literals_oxigraph_would_merge_stay_apart(monkeypatch, screened):
    """Oxigraph stores "1.50"^^xsd:decimal as "1.5": a screen on its terms would find the passage and miss this."""
    import pyoxigraph as ox

    store, decimal = ox.Store(), ox.NamedNode(str(XSD.decimal))
    store.extend(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal(v, datatype=decimal))
                 for v in ("1.50", "1.5"))
    assert len(store) == 1  # else this test no longer tests what it says
    g = Graph().parse(HERE / "shapes" / "AgreementProvenanceShape-valid.ttl")
    g.add((AGREEMENT, MKG.validFrom, Literal("1.50", datatype=XSD.decimal)))
    e = URIRef("https://w3id.org/migkg/evidence/00000000000000ec")
    g += [(e, RDF.type, MKG.Evidence), (e, RDF.subject, AGREEMENT), (e, RDF.predicate, MKG.validFrom),
          (e, RDF.object, Literal("1.5", datatype=XSD.decimal))]
    result = _assert_same(g, monkeypatch)
    found = [r for r in result.results if r.shape == "shapes:AgreementProvenanceShape" and r.value == "1.50"]
    assert found, result.text()


def test_every_project_constraint_is_screened():
    g = shapes_graph()
    selects = [str(s) for s in g.objects(None, SH.select)]
    assert selects and all(shacl_bulk.Screen.of(s) is not None for s in selects)


@pytest.mark.parametrize("query", [
    "SELECT $this WHERE { ?x ?p ?o FILTER (?x = $this) }",  # $this in no triple
    "SELECT $this WHERE { $this ?p ?o OPTIONAL { ?o ?q ?r } }",
    "SELECT $this (COUNT(?o) AS ?n) WHERE { $this ?p ?o } GROUP BY $this",  # a count has a row when nothing matches
    "SELECT $this WHERE { $this <urn:p>/<urn:q> ?o }",
    "SELECT $this WHERE { $this <urn:p> [ <urn:q> ?o ] }",
    "SELECT $this WHERE { { $this ?p ?o } UNION { ?o ?p $this } }",
    "SELECT $this WHERE { $this ?p ?o BIND (1 AS ?x) }",
    "ASK { $this ?p ?o }",
    "SELECT $this WHERE { $this ?p ",
])
def test_queries_not_screened(query):
    assert shacl_bulk.Screen.of(query) is None


def test_screen_keeps_only_exact_conditions():
    screen = shacl_bulk.Screen.of("""SELECT $this ?v WHERE { $this <urn:p> ?v .
        FILTER (?v IN (<urn:a>, <urn:b>) && STR(?v) != "x" && ?v IN ("1", <urn:c>))
        FILTER NOT EXISTS { ?e <urn:s> $this ; <urn:o> ?v }
        FILTER NOT EXISTS { ?e <urn:s> $this FILTER (?e != <urn:z>) }
        FILTER NOT EXISTS { ?e <urn:s> <urn:t> } }""")
    assert [f[0] for f in screen.filters] == ["IN", "MINUS", "NOT EXISTS"]


def test_a_copy_loaded_in_pieces_finds_what_one_load_finds(seed_dataset, monkeypatch):
    """The Oxigraph copy is handed over shacl_bulk._LINES lines at a time: the cut falls between triples."""
    g = union(seed_dataset)
    evidence = sorted(g.subjects(RDF.type, MKG.Evidence))
    for e in evidence[::3]:
        g.remove((e, RDF.object, None))
    agreements = sorted(g.subjects(RDF.type, MKG.Agreement))
    texts = [str(t) for t in shapes_graph().objects(None, SH.select)]
    namespaces = tuple(sorted(g.namespaces()))
    whole = shacl_bulk._Copy(list(g))
    with monkeypatch.context() as m:
        m.setattr(shacl_bulk, "_LINES", 7)
        pieces = shacl_bulk._Copy(list(g))
    assert len(pieces.store) == len(whole.store) == len(g)
    found = [whole.focus_with_rows(shacl_bulk._screen(t, namespaces), agreements) for t in texts]
    assert any(found) and found == [pieces.focus_with_rows(shacl_bulk._screen(t, namespaces), agreements) for t in texts]
