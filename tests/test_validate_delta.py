"""A rebuild screens its merged graphs only where they changed (validate_delta): it must reach the whole screen's
verdict, find a fault wherever the change puts it (in a changed node, in a node that reads a changed one, in a
passage read backwards), and give up, for the whole screen, wherever it cannot vouch for the parts."""

import json
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF

from migkg import pipeline, populate, validate_delta
from migkg.errors import ValidationFailed
from migkg.validate import checks, shapes_graph
from migkg.vocab import MKG

from test_store_patch import ADDED, SOURCES, _build, folder  # noqa: F401 - the same sources, less ADDED


def _add(folder: Path) -> None:
    (folder / ADDED).write_bytes((SOURCES[1] / ADDED).read_bytes())


@pytest.fixture
def verdicts(monkeypatch):
    """What each rebuild's screen of the changed parts said (None: it left the merged graphs to the whole screen)."""
    said = []
    clean = validate_delta.Delta.clean

    def spy(self, *args):
        said.append(clean(self, *args))
        return said[-1]

    monkeypatch.setattr(validate_delta.Delta, "clean", spy)
    return said


def test_the_shapes_and_checks_read_backwards_only_from_a_passage_to_what_it_is_about():
    assert validate_delta.reads(shapes_graph(), checks()).backward == frozenset({RDF.subject})


@pytest.mark.parametrize("query, expected", [
    ("SELECT $this WHERE { $this <urn:p>/<urn:q> ?x . ?x <urn:r>+ ?y }", set()),
    ("SELECT $this WHERE { ?x <urn:p> $this . ?x <urn:q> ?y }", {URIRef("urn:p")}),
    ("SELECT $this WHERE { $this ^<urn:p> ?x }", {URIRef("urn:p")}),
    ("SELECT $this WHERE { $this <urn:p> ?x . FILTER NOT EXISTS { ?e <urn:s> $this ; <urn:o> ?x } }", {URIRef("urn:s")}),
    ("SELECT $this WHERE { ?x ?p $this }", None),  # any predicate, backwards
    ("SELECT $this WHERE { $this <urn:p> ?x . <urn:fixed> <urn:q> ?y }", None),  # reads a node no focus leads to
    ("SELECT $this WHERE { $this !<urn:p> ?x }", None),
    ("not a query", None),
])
def test_what_a_query_reads_backwards_from_its_focus_node(query, expected):
    shapes = Graph()
    assert (validate_delta._query_reads(query, dict(shapes.namespaces())) or [None])[0] == expected


def test_objects_of_a_target_are_read_backwards():
    shapes = Graph().parse(data="@prefix sh: <http://www.w3.org/ns/shacl#> . <urn:S> sh:targetObjectsOf <urn:p> .",
                           format="turtle")
    assert validate_delta.reads(shapes, {}).backward == frozenset({URIRef("urn:p")})


def test_a_rebuild_screens_only_what_changed_and_publishes_the_full_builds_bytes(folder, tmp_path, verdicts):
    kg = tmp_path / "dist"
    _build(folder, kg)
    assert verdicts == []  # nothing to start from: screened whole
    _add(folder)
    report = _build(folder, kg)
    assert verdicts == [True]
    built = json.loads((kg / "build.json").read_text())
    assert 0 < report.merged_focus_screened == built["merged_focus_nodes_screened_again"]
    subjects = {s for s, _ in Graph().parse(kg / "graph.ttl").subject_predicates()}
    assert report.merged_focus_screened < len(subjects) / 10
    _build(folder, tmp_path / "fresh", cache=False)
    assert (kg / "graph.trig").read_bytes() == (tmp_path / "fresh" / "graph.trig").read_bytes()


def _untouched(folder: Path) -> tuple[str, str, str]:
    """An agreement the added source does not change, one of its parties that no agreement it changes has, and
    a signature of an agreement it does not change."""
    parts = pipeline.build_parts([folder], pipeline.BuildReport(), curation_dir=folder.parent / "none")
    added = next(s for s in parts.sources if (s, MKG.fileName, Literal(ADDED)) in parts.source_graph(s))
    ds = parts.merged.dataset()
    touched = {a for a, _, _, _ in ds.quads((None, DCTERMS.source, added, None))}
    agreements = sorted(set(a for a, _, _, _ in ds.quads((None, RDF.type, MKG.Agreement, None))) - touched)
    parties = lambda a: {o for _, _, o, _ in ds.quads((a, MKG.party, None, None))}  # noqa: E731
    theirs = set().union(*map(parties, touched))
    signature = min(str(o) for a in agreements for _, _, sig, _ in ds.quads((a, MKG.signing, None, None))
                    for _, _, o, _ in ds.quads((sig, MKG.signature, None, None)))
    for a in agreements:
        free = sorted(parties(a) - theirs)
        if free:
            return str(a), str(free[0]), signature
    raise AssertionError("the fixtures have no agreement with a party of its own")


def _damaged(monkeypatch, how):
    """Populate as before, then damage the merged graphs or the passages with HOW(writer)."""
    original = populate.populate_parts

    def damaged(resolved, **kw):
        made = {}
        real = populate._Writer

        class Writer(real):
            def __init__(self, *a, **k):
                super().__init__(*a, **k)
                made["w"] = self

        monkeypatch.setattr(populate, "_Writer", Writer)
        try:
            parts = original(resolved, **kw)
        finally:
            monkeypatch.setattr(populate, "_Writer", real)
        how(made["w"])
        return parts

    monkeypatch.setattr(populate, "populate_parts", damaged)


@pytest.mark.parametrize("fault", ["a changed node", "a node that reads a changed one", "a passage read backwards",
                                   "a passage gone"])
def test_a_fault_the_change_brings_is_found_where_the_change_put_it(folder, tmp_path, verdicts, monkeypatch, fault):
    kg = tmp_path / "dist"
    _build(folder, kg)
    _add(folder)
    agreement, party, signature = map(URIRef, _untouched(folder))

    def how(w):
        if fault == "a changed node":  # the agreement loses its status: its own block differs
            w.agr.remove((agreement, MKG.status, None))
        elif fault == "a node that reads a changed one":  # the party is no organization: the agreement reads its type
            for t in list(w.ref.triples((party, RDF.type, None))):
                w.ref.remove(t)
            w.ref.add((party, RDF.type, PROV.Agent))
        elif fault == "a passage read backwards":  # the agreement's parties lose their passages: only its
            for passages in w.pending.values():  # sources' graphs differ
                passages[:] = [p for p in passages if not (p[0] == agreement and p[1] == MKG.party)]
        else:  # a signature loses the passage that names its signatory: only the last build's points to it
            for passages in w.pending.values():
                passages[:] = [p for p in passages if p[0] != signature]

    _damaged(monkeypatch, how)
    with pytest.raises(ValidationFailed):
        _build(folder, kg)
    assert verdicts == [False]  # found by the screen of what changed, then reported by pySHACL on the whole graph


def test_a_last_build_under_other_shapes_or_code_is_not_trusted(folder, tmp_path, verdicts):
    kg = tmp_path / "dist"
    _build(folder, kg)
    record = kg.parent / ".dist.cache" / "store" / "graphs.json"
    data = json.loads(record.read_text())
    data["screen"] = "another salt"
    record.write_text(json.dumps(data))
    _add(folder)
    report = _build(folder, kg)
    assert verdicts == [] and report.merged_focus_screened is None


def test_how_deep_the_shapes_and_checks_read():
    # One person signing for two parties: agreement -> signing -> signature -> signatory, three triples deep.
    found = validate_delta.reads(shapes_graph(), checks())
    assert found.depth == 3 and MKG.buildsOn in found.free  # mkg:buildsOn+ walks chains of any length
    assert validate_delta._query_reads("SELECT $this WHERE { $this <urn:p>/<urn:q> ?x . ?x <urn:r>+ ?y }", {}) == \
        (set(), 3, {URIRef("urn:r")})


def test_a_recursive_shape_cannot_be_bounded():
    shapes = Graph().parse(data="""@prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:S> a sh:NodeShape ; sh:targetClass <urn:C> ; sh:property [ sh:path <urn:p> ; sh:node <urn:S> ] .""",
                           format="turtle")
    assert validate_delta.reads(shapes, {}) is None


class _OnePassage:
    """Parts with one passage: source S says that X has P = N."""

    def __init__(self, passage):
        self.passage = passage

    def passages_of(self, sources=None):
        yield self.passage

    def evidence_iri(self, src, subject, predicate, obj, claim):
        return URIRef("urn:evidence")


def test_a_node_that_reads_a_changed_one_through_a_passage_is_found_and_reads_the_passage():
    from migkg.merged import Graphs, View

    s, x, p, n = (URIRef(f"urn:{v}") for v in ("source", "x", "p", "n"))
    read = validate_delta.Reads(backward=frozenset({RDF.subject}), depth=3, free=frozenset())
    passages = validate_delta._Passages(_OnePassage((s, x, p, n, None)), read.backward)
    view = View(Graphs())
    # N changed; X reads it through the passage about X (rdf:subject backwards, then rdf:object): found.
    assert x in validate_delta._readers({n}, view, read, set(), passages)
    _, statements = validate_delta._reach({x}, view, read, set(), passages)
    assert statements[RDF.object] == [(URIRef("urn:evidence"), RDF.object, n)]
    shallow = validate_delta.Reads(backward=read.backward, depth=2, free=frozenset())
    assert x not in validate_delta._readers({n}, view, shallow, set(), passages)  # two steps away: too far
