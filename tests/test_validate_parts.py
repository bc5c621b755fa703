"""A build validated in parts (validate_parts) must never call a graph clean that pySHACL, given the whole
graph, would report on; and the outputs a build publishes from its parts are the whole graph's, byte for byte."""

import filecmp
import random
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF

from migkg.pipeline import BuildReport, build_dataset, build_parts
from migkg.publish import publish, publish_whole
from migkg.validate import _merged, ontology_graph, shapes_graph, validate
from migkg.validate_parts import Screening
from migkg.vocab import MKG, OA
from test_shacl_screen import _damage, _paths, _shacl_results

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "data" / "sources", ROOT / "tests" / "data" / "devset" / "docs"]


def _in_parts(graph_of: dict) -> bool:
    """Screen the quads GRAPH_OF (triple -> graph) as a build does: the sources' graphs, then the merged ones."""
    merged, sources = Dataset(), {}
    for t, g in graph_of.items():
        if "/source/" in str(g):
            sources.setdefault(g, []).append(t)
        else:
            merged.graph(g).add(t)
    checker = Screening()
    batch = Graph()
    for triples in sources.values():
        batch += triples
    checker.add_sources(batch, sorted(sources))
    checker.add_merged((s, p, o) for s, p, o, _ in merged.quads((None, None, None, None)))
    return checker.clean


def _quads(ds) -> dict:
    return {(s, p, o): g for s, p, o, g in ds.quads((None, None, None, None))}


def test_the_seed_graph_is_clean_in_parts(seed_dataset):
    assert _in_parts(_quads(seed_dataset))


def test_a_fault_in_either_part_is_found(seed_dataset):
    quads = _quads(seed_dataset)
    quote = next(t for t in quads if t[1] == OA.exact)
    assert not _in_parts({t: g for t, g in quads.items() if t != quote})  # a passage that quotes nothing
    about = next(t for t in quads if t[1] == RDF.subject and (t[2], RDF.type, MKG.Agreement) in quads)
    assert not _in_parts({t: g for t, g in quads.items() if t != about})  # a party with no passage behind it


def test_damaged_seed_graphs_never_called_clean_in_parts_wrongly(seed_dataset):
    quads = _quads(seed_dataset)
    g = _merged(seed_dataset, ontology_graph())
    paths = _paths(shapes_graph())
    fixed = {t for triple in ontology_graph() for t in triple if not isinstance(t, Literal)}
    rng = random.Random(11)
    outcomes = {True: 0, False: 0}
    for _ in range(30):
        what, out, into = _damage(g, rng, paths, fixed)
        damaged = {t: home for t, home in quads.items() if t not in out}
        for t in into:  # an edited triple stays in the graph of the one it replaces, else of its subject
            home = next((quads[o] for o in out if o[0] == t[0] or o[2] == t[2]), None) \
                or next((h for (s, _, _), h in quads.items() if s == t[0]), None) \
                or next(iter(quads.values()))
            damaged[t] = home
        clean = _in_parts(damaged)
        outcomes[clean] += 1
        if clean:
            assert _shacl_results(validate(g, screen=False)) == [], what
        for t in into:
            g.remove(t)
        for t in out:
            g.add(t)
    assert outcomes[True] >= 5 and outcomes[False] >= 5, outcomes


def test_publishing_in_parts_gives_the_whole_graphs_outputs(tmp_path):
    parts = build_parts(SOURCES, BuildReport(), curation_dir=tmp_path / "none")
    publish(parts, tmp_path / "parts", BuildReport(), "https://w3id.org/migkg/")
    whole = build_dataset(SOURCES, BuildReport(), curation_dir=tmp_path / "none")
    publish_whole(whole, tmp_path / "whole", BuildReport(), "https://w3id.org/migkg/")
    for name in ("graph.ttl", "graph.trig", "void.ttl", "validation.txt", "names.json"):
        assert filecmp.cmp(tmp_path / "parts" / name, tmp_path / "whole" / name, shallow=False), name


def test_the_checks_run_by_oxigraph_find_what_rdflib_finds():
    """The parts run queries/checks on Oxigraph, over the triples of the predicates the checks name."""
    from migkg.validate import run_checks
    from migkg.validate_parts import _check_rows

    fixtures = sorted((ROOT / "tests" / "checks").glob("*.ttl"))
    assert len(fixtures) >= 8
    for path in fixtures:
        g = Graph().parse(path)
        found = {r.focus for r in run_checks(g)}
        assert _check_rows(g, None, set()) == bool(found), path.name
        if found:  # and only for the focus nodes of the part
            assert not _check_rows(g, None, {URIRef(f) for f in found}), path.name
            assert not _check_rows(g, set(), set()), path.name


def test_the_checks_copy_only_the_types_they_name():
    """A check that asks for one class reads only that class's rdf:type triples; one that asks for any type
    (or any predicate) reads them all, and the rows it finds are the same either way."""
    from migkg.validate_parts import _check_rows, _reads_of

    p = "PREFIX ex: <http://example.org/> PREFIX oa: <http://www.w3.org/ns/oa#> "
    named = p + "SELECT ?this WHERE { ?this a oa:TextPositionSelector ; ex:v ?v . ?o a ex:C }"
    reads = _reads_of((named,))
    assert reads[RDF.type] == {OA.TextPositionSelector, URIRef("http://example.org/C")}
    assert reads[URIRef("http://example.org/v")] is None
    assert _reads_of((named, p + "SELECT ?this WHERE { ?this a ?t }"))[RDF.type] is None
    assert _reads_of((p + "SELECT ?this WHERE { ?this ?p ?o }",)) is None

    g = Graph()
    node, other = URIRef("http://example.org/n"), URIRef("http://example.org/m")
    g.add((node, RDF.type, OA.TextPositionSelector))
    g.add((other, RDF.type, URIRef("http://example.org/D")))
    g.add((node, OA.start, Literal(5)))
    g.add((node, OA.end, Literal(2)))  # ends before it starts: queries/checks finds it
    assert _check_rows(g, None, set())
    g.remove((node, RDF.type, OA.TextPositionSelector))
    assert not _check_rows(g, None, set())


def test_the_statements_listed_for_the_merged_part_are_the_source_graphs_own(tmp_path):
    parts = build_parts(SOURCES, BuildReport(), curation_dir=tmp_path / "none")
    listed = parts.statements()
    held = {p: set() for p in listed}
    for s in parts.sources:
        for t in parts.source_graph(s):
            if t[1] in held:
                held[t[1]].add(t)
    assert held[RDF.subject] and all(set(listed[p]) == held[p] for p in listed)
