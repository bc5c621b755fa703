"""The ontology and its schemes: declared, labelled, consistent with the Python declarations and the data."""

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from migkg import vocab
from migkg.validate import ontology_graph, shapes_graph

ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology"
MKG = "https://w3id.org/migkg/ontology#"


@pytest.mark.parametrize("path", sorted(ONTOLOGY.glob("*.ttl")), ids=lambda p: p.name)
def test_each_file_is_a_versioned_licensed_labelled_ontology(path):
    g = Graph().parse(path)
    onts = list(g.subjects(RDF.type, OWL.Ontology))
    assert onts, path
    for o in onts:
        assert g.value(o, OWL.versionIRI) is not None
        assert g.value(o, DCTERMS.license) is not None
        assert {getattr(label, "language", None) for label in g.objects(o, RDFS.label)} >= {"en", "fr"}


def _declared(g):
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    return {s for k in kinds for s in g.subjects(RDF.type, k) if str(s).startswith(MKG)}


def test_every_term_has_english_and_french_labels_and_a_definition():
    g = ontology_graph()
    for term in _declared(g):
        langs = {label.language for label in g.objects(term, RDFS.label)}
        assert {"en", "fr"} <= langs, term
        assert g.value(term, SKOS.definition) is not None, term


def test_python_declarations_match_the_ontology():
    declared = {str(t)[len(MKG):] for t in _declared(ontology_graph())}
    in_python = set(vocab.MKG.__annotations__)
    assert declared == in_python


def test_shapes_use_only_declared_terms():
    used = {t for t in shapes_graph().all_nodes() if isinstance(t, URIRef) and str(t).startswith(MKG)}
    assert used <= _declared(ontology_graph()), used - _declared(ontology_graph())


def test_built_graph_uses_only_declared_terms(seed_dataset):
    used = {t for q in seed_dataset.quads((None, None, None, None)) for t in q[:3]
            if isinstance(t, URIRef) and str(t).startswith(MKG)}
    assert used <= _declared(ontology_graph()), used - _declared(ontology_graph())


def test_theme_scheme_is_rich_and_mapped():
    g = ontology_graph()
    scheme = URIRef("https://w3id.org/migkg/vocab/theme")
    concepts = set(g.subjects(SKOS.inScheme, scheme))
    assert len(concepts) >= 40
    for c in concepts:
        assert {label.language for label in g.objects(c, SKOS.prefLabel)} >= {"en", "fr", "es"}, c
        assert list(g.objects(c, SKOS.relatedMatch)) or list(g.objects(c, SKOS.broadMatch)), c


def test_gcm_has_23_objectives():
    g = ontology_graph()
    notations = sorted(str(n) for c in g.subjects(SKOS.inScheme, URIRef("https://w3id.org/migkg/vocab/gcm"))
                       for n in g.objects(c, SKOS.notation))
    assert notations == [f"GCM-{i:02d}" for i in range(1, 24)]


def test_ontology_and_seed_graph_are_consistent_under_owl_rl(seed_kg):
    # owlrl replaces rdflib's datatype converters process-wide, so it runs in a process of its own.
    import subprocess
    import sys

    script = (
        "import sys, owlrl\n"
        "from rdflib import Graph, Dataset\n"
        "from rdflib.namespace import OWL, RDF\n"
        "from migkg.export import union\n"
        "from migkg.validate import ontology_graph\n"
        "ds = Dataset(); ds.parse(sys.argv[1], format='trig')\n"
        "g = union(ds) + ontology_graph()\n"
        "owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(g)\n"
        "bad = list(g.subjects(RDF.type, OWL.Nothing))\n"
        "print(len(bad)); sys.exit(1 if bad else 0)\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(seed_kg / "graph.trig")], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
