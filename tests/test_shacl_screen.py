"""The screen that lets validation skip pySHACL must never call a graph clean that pySHACL would report on.

validate() skips pySHACL only when shacl_screen.clean() says no node can get a result. So the screen is
compared with pySHACL (validate(..., screen=False)) on every shape fixture, on the seed graph and on damaged
copies of it: each damage is one of the edits a faulty extractor or a hand-edited dump could make.
"""

import random
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH, XSD

from migkg import shacl_screen
from migkg.validate import _merged, ontology_graph, shapes_graph, validate
from reports import same_report_graph

HERE = Path(__file__).parent
FIXTURES = sorted((HERE / "shapes").glob("*.ttl")) + sorted((HERE / "checks").glob("*.ttl"))


def _shacl_results(result) -> list:
    return [r for r in result.results if not r.shape.startswith("checks:")]


def _key(r):
    return (r.shape, r.focus, r.path or "", r.value or "", r.severity, r.message, r.sources)


def _assert_same(data):
    fast, full = validate(data), validate(data, screen=False)
    assert fast.conforms == full.conforms
    assert sorted(fast.results, key=_key) == sorted(full.results, key=_key)
    assert sorted(fast.text().splitlines()) == sorted(full.text().splitlines())
    assert same_report_graph(fast.report_graph, full.report_graph)
    return full


@pytest.mark.parametrize("path", FIXTURES, ids=[p.name for p in FIXTURES])
def test_fixture_screen_exact_and_same_report(path):
    g = Graph().parse(path)
    full = validate(g, screen=False)
    # Exact on every fixture: clean where pySHACL reports nothing, so the fast pass is taken where it can be.
    clean = shacl_screen.clean(_merged(g, ontology_graph()), shapes_graph())
    assert clean == (not _shacl_results(full))
    if clean:  # otherwise validate() runs pySHACL itself, the very call above
        _assert_same(g)


def test_seed_takes_the_fast_pass_with_the_same_report(seed_dataset):
    before = sorted(seed_dataset.quads())
    graphs = {g.identifier for g in seed_dataset.graphs()}
    _assert_same(seed_dataset)
    with pytest.MonkeyPatch.context() as m:
        m.setattr("pyshacl.validate", lambda *a, **k: pytest.fail("pySHACL ran on a graph the screen calls clean"))
        assert validate(seed_dataset).conforms
    # The ontology joined the dataset's store only for the time of the check.
    assert sorted(seed_dataset.quads()) == before and {g.identifier for g in seed_dataset.graphs()} == graphs


def test_unknown_shape_feature_falls_back_to_pyshacl(seed_dataset):
    shapes = Graph()
    shapes += shapes_graph()
    shape = next(shapes.subjects(SH.targetClass, None))
    shapes.add((shape, SH.closed, Literal(True)))
    assert not shacl_screen.clean(_merged(seed_dataset, ontology_graph()), shapes)


def _paths(shapes: Graph) -> list:
    out = set()
    for path in shapes.objects(None, SH.path):
        out.update([path] if isinstance(path, URIRef) else Collection(shapes, path))
    return sorted(out | {RDF.type})


def _damage(g: Graph, rng: random.Random, paths: list, fixed: set) -> tuple[str, list, list]:
    """One edit of the kinds a faulty extractor or a hand edit makes: what it did, the triples it took out and
    those it put in (so the caller can undo it). Nodes in FIXED (the ontology's) are left alone: validate() adds
    the ontology again, so an edit there would not be what pySHACL sees."""
    triples = sorted(t for p in paths for t in g.triples((None, p, None)) if t[0] not in fixed and t[2] not in fixed)
    s, p, o = rng.choice(triples)
    kind = rng.choice(["drop", "retype", "repoint", "second value", "rename"])
    out, into = [], []
    if kind == "drop":
        out = [(s, p, o)]
    elif kind == "retype":
        out = [(s, p, o)]
        into = [(s, p, rng.choice([Literal(str(o)), Literal(str(o), lang="en"), Literal("2023-13-45", datatype=XSD.date),
                                   Literal(str(o), datatype=XSD.gYear), URIRef("https://example.org/x")]))]
    elif kind == "repoint":
        out = [(s, p, o)]
        into = [(s, p, rng.choice(sorted(set(g.subjects(RDF.type, None)))))]
    elif kind == "second value":
        into = [(s, p, rng.choice([o2 for _, _, o2 in triples if o2 != o] or [Literal("x")]))]
    else:
        new = URIRef(str(s) + rng.choice(["/X Y", "-2", "/extra"]))
        out = sorted(set(g.triples((s, None, None))) | set(g.triples((None, None, s))))
        into = [tuple(new if t == s else t for t in triple) for triple in out]
    into = [t for t in into if t not in g]
    for t in out:
        g.remove(t)
    for t in into:
        g.add(t)
    return f"{kind} ({s}, {p}, {o})", out, into


def test_damaged_seed_graphs_never_called_clean_wrongly(seed_dataset):
    g = _merged(seed_dataset, ontology_graph())
    shapes = shapes_graph()
    paths = _paths(shapes)
    fixed = {t for triple in ontology_graph() for t in triple if not isinstance(t, Literal)}
    rng = random.Random(7)
    outcomes = {True: 0, False: 0}
    for _ in range(30):
        what, out, into = _damage(g, rng, paths, fixed)
        clean = shacl_screen.clean(g, shapes)
        outcomes[clean] += 1
        if clean:  # the only case the screen decides alone: pySHACL must agree there is nothing to report
            assert _shacl_results(validate(g, screen=False)) == [], what
        for t in into:  # undone, so each damage is alone in the graph
            g.remove(t)
        for t in out:
            g.add(t)
    # Both answers were given: the damage reached the shapes, and harmless edits were let through.
    assert outcomes[True] >= 5 and outcomes[False] >= 5, outcomes


def test_dataset_input_matches_graph_input(seed_dataset):
    ds = Dataset()
    for s, p, o, c in seed_dataset.quads():
        ds.graph(c).add((s, p, o))
    g = Graph()
    g += (t[:3] for t in seed_dataset.quads())
    assert validate(ds).text() == validate(g).text()


def test_sparql_copy_of_the_named_predicates_finds_the_same_focus_nodes(seed_dataset):
    """The screen's Oxigraph copy holds only the triples of the predicates its SPARQL constraints name; on a
    graph where those constraints do find nodes, that copy must find exactly what a copy of everything finds."""
    from migkg import shacl_bulk
    from rdflib.namespace import RDF as R

    g = _merged(seed_dataset, ontology_graph())
    for t in sorted(g.triples((None, R.subject, None)))[::3]:  # a third of the passages lose what they are about
        g.remove(t)
    screen = shacl_screen._Screen(g, shapes_graph())
    namespaces = tuple(sorted(g.namespaces()))
    screens = [s for s in screen._screens(namespaces) if s is not None]
    assert len(screens) == len(screen._screens(namespaces)) >= 3
    everything, named = shacl_bulk._Copy(g.triples((None, None, None))), shacl_bulk._Copy(screen._triples_for(screens))
    assert len(named.store) < len(everything.store) / 3
    focus = set(g.subjects())
    found = [everything.focus_with_rows(s, focus) for s in screens]
    assert [named.focus_with_rows(s, focus) for s in screens] == found
    assert sum(map(len, found)) > 0
