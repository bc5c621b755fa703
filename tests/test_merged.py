"""The merged graphs as populate writes them (merged.py): a set of triples per graph, walked both ways."""

from rdflib import Literal, URIRef

from migkg import merged

A, B, C, P, Q = (URIRef(f"urn:{n}") for n in "abcpq")


def test_a_graph_holds_each_triple_once_and_answers_what_populate_asks():
    g = merged.Graphs().graph(URIRef("urn:g"))
    for t in [(A, P, B), (A, P, B), (A, Q, Literal("x")), (B, P, C)]:
        g.add(t)
    assert len(g) == 3 and (A, P, B) in g and (A, Q, None) in g and (C, P, None) not in g
    assert sorted(g.triples((None, P, None))) == [(A, P, B), (B, P, C)]
    g.remove((A, None, None))
    assert list(g) == [(B, P, C)] and len(g) == 1


def test_the_graphs_give_their_quads_an_rdflib_copy_and_a_view_both_ways():
    graphs = merged.Graphs()
    graphs.graph(URIRef("urn:g")).add((A, P, B))
    graphs.graph(URIRef("urn:h")).add((A, P, B))
    graphs.graph(URIRef("urn:h")).add((C, Q, A))
    assert len(graphs) == 3 and sorted(graphs.quads())[0] == (A, P, B, URIRef("urn:g"))
    assert len(list(graphs.dataset().quads((None, None, None, None)))) == 3
    view = merged.View(graphs, [(B, Q, Literal("from the ontology"))])
    assert list(view.out(A)) == [(P, B)]  # once, though two graphs hold it
    assert set(view.into(A)) == {(C, Q)} and set(view.into(B)) == {(A, P)}
    assert (Q, Literal("from the ontology")) in set(view.out(B)) and not view.into(Literal("from the ontology"))
    only = merged.View(graphs, backward={P})  # a walk back by P alone needs no index of the rest
    assert set(only.into(B)) == {(A, P)} and not only.into(A) and list(only.out(C)) == [(Q, A)]


def test_graphs_written_into_rdflib_hold_what_the_others_do():
    graphs, rdf = merged.Graphs(), merged.InRdflib()
    for g in (graphs, rdf):
        g.graph(URIRef("urn:g")).add((A, P, B))
        g.graph(URIRef("urn:h")).add((C, Q, A))
    quads = sorted(graphs.dataset().quads((None, None, None, None)))
    assert quads == sorted(rdf.dataset().quads((None, None, None, None))) and len(quads) == 2
    assert sorted(graphs.triples()) == [(A, P, B), (C, Q, A)]
    rdf.release()
    assert not list(rdf.dataset().quads((None, None, None, None)))
