"""The screen's own graph (indexed.Indexed) must answer every question the screen asks as rdflib does."""

from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from migkg import shacl_screen
from migkg.indexed import Indexed
from migkg.validate import _merged, ontology_graph, shapes_graph

A, B, C, P, Q = (URIRef(f"urn:{n}") for n in "abcpq")


def test_each_triple_is_held_once_and_found_by_any_pattern():
    g = Indexed([(A, P, B), (A, P, B), (A, P, C), (A, Q, Literal("1", datatype=XSD.integer)), (B, P, C)])
    assert len(g) == 4 and sorted(g) == sorted({(A, P, B), (A, P, C), (B, P, C), (A, Q, Literal(1))})
    assert g.values(A, P) == [B, C] and g.values(C, P) == [] and g.values(A, RDF.type) == []
    assert sorted(g.triples((None, P, C))) == [(A, P, C), (B, P, C)]
    assert list(g.triples((A, None, B))) == [(A, P, B)]
    assert (A, Q, Literal("1", datatype=XSD.integer)) in g and (A, Q, Literal("1")) not in g
    assert list(g.subjects(P, C)) == [A, B] and list(g.subjects(P, None)) == [A, B] and list(g.subjects()) == [A, B]
    assert list(g.objects(None, P)) == [B, C] and list(g.objects(A, None))[:2] == [B, C]


def test_an_addition_after_a_lookup_is_seen():
    g = Indexed([(A, RDF.type, B)])
    assert list(g.subjects(RDF.type, B)) == [A]
    g.update([(C, RDF.type, B), (A, RDFS.label, Literal("a"))])
    assert list(g.subjects(RDF.type, B)) == [A, C] and g.values(A, RDFS.label) == [Literal("a")]


def test_it_answers_as_rdflib_on_the_seed_graph(seed_dataset):
    rdf = _merged(seed_dataset, ontology_graph())
    g = Indexed(rdf)
    assert len(g) == len(rdf) and set(g) == set(rdf)
    for p in set(rdf.predicates()):
        assert set(g.subjects(p, None)) == set(rdf.subjects(p, None))
        assert set(g.objects(None, p)) == set(rdf.objects(None, p))
    for cls in set(rdf.objects(None, RDF.type)):
        assert sorted(g.subjects(RDF.type, cls)) == sorted(rdf.subjects(RDF.type, cls))
    for s in list(rdf.subjects())[:200]:
        for p in set(rdf.predicates(s)):
            assert sorted(g.values(s, p)) == sorted(rdf.objects(s, p))
    query = "SELECT ?s WHERE { ?s a <https://w3id.org/migkg/ontology#Agreement> }"
    assert {r[0] for r in g.in_rdflib().query(query)} == {r[0] for r in rdf.query(query)}
    assert set(dict(g.namespaces())) <= set(dict(Graph().namespaces())) | set(dict(rdf.namespaces()))


def test_the_screen_gives_the_same_verdict_on_either(seed_dataset):
    rdf = _merged(seed_dataset, ontology_graph())
    assert shacl_screen.clean(Indexed(rdf), shapes_graph()) == shacl_screen.clean(rdf, shapes_graph()) is True
    broken = Indexed(t for t in rdf if t[1] != RDFS.label)
    assert not shacl_screen.clean(broken, shapes_graph())


def test_the_screen_gives_rdflibs_verdict_on_every_shape_fixture():
    """Each valid and invalid fixture of tests/shapes, among them a validity period that ends before it starts:
    a constraint whose filter the bulk screen drops, so its SELECT runs on the copy of the predicates it names."""
    fixtures = sorted((Path(__file__).parent / "shapes").glob("*.ttl"))
    assert len(fixtures) >= 20
    verdicts = set()
    for path in fixtures:
        rdf = Graph().parse(path)
        rdf += ontology_graph()
        verdict = shacl_screen.clean(Indexed(rdf), shapes_graph())
        assert verdict == shacl_screen.clean(rdf, shapes_graph()), path.name
        verdicts.add((verdict, "-valid" in path.name))
    assert (False, False) in verdicts and (True, True) in verdicts
