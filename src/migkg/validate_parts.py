"""Validate a build in parts: the source graphs a batch at a time, then the merged graphs once.

A build's graph is too big to hold in rdflib at once (about 3 KB a triple), and most of it is the sources'
graphs: each source's description, the activity that read it and the passages behind its facts. So the build
never holds them all. Each batch is screened (shacl_screen) with the ontology beside it, for the focus nodes
it describes; then the merged graphs (agreements, reference, provenance, vocabularies) are screened with the
ontology, for every other focus node, with two things of the sources beside them:

- each source's rdf:type, which `dcterms:source sh:class mkg:SourceDocument` reads;
- each passage's rdf:subject, rdf:predicate and rdf:object, which the provenance constraints read, given to
  the SPARQL screen's Oxigraph copy only (shacl_screen's sparql_extra), not to rdflib.

Why the parts give the whole graph's verdict: a node is screened in the part that describes it (a source's
nodes are the subjects of its graph), and what the shapes read from it lies in that part or in what is put
beside it above. A source's nodes point to each other and to the ontology's classes; the merged nodes' shapes
read merged triples, a source's type and its passages' statements. A shape that read more of a source from a
merged node would be screened on less than it reads: its values missing, a minCount fails and the build falls
back to the whole graph (validate), which is slow but exact; tests/test_validate_parts.py compares both ways
on the seed graph, on a fault in each part and on damaged copies of the seed graph. Any doubt, in any part,
is that fallback too.
"""

from __future__ import annotations

import uuid

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF

from . import shacl_screen
from .validate import _union, ontology_graph, run_checks, shapes_graph
from .vocab import MKG

_STATEMENT = (RDF.subject, RDF.predicate, RDF.object)


class Screening:
    """Screens a build part by part; `clean` is False from the first part that may give a result."""

    def __init__(self):
        self.clean = True
        self.statements: dict = {p: [] for p in _STATEMENT}  # the passages' statements, for the merged part
        self.sources: set = set()

    def add_sources(self, batch: Graph, sources) -> None:
        """Screen BATCH, one graph holding the triples of SOURCES' graphs (a plain graph: a dataset's
        bookkeeping of which graph holds each triple doubles the cost), and keep what the merged part needs."""
        self.sources.update(sources)
        within = set(batch.subjects())
        for p in _STATEMENT:
            self.statements[p].extend(batch.triples((None, p, None)))
        if self.clean:
            batch.addN((s, p, o, batch) for s, p, o in ontology_graph())  # BATCH is the caller's to throw away
            self.clean = _clean(batch, within=within)

    def add_merged(self, merged: Dataset) -> None:
        """Screen the merged graphs, with each source typed and the passages' statements beside them."""
        if not self.clean:
            return
        held = merged.graph(URIRef(f"urn:uuid:{uuid.uuid4()}"))
        held.addN((s, RDF.type, MKG.SourceDocument, held) for s in sorted(self.sources))
        try:
            with _union(merged, ontology_graph()) as view:
                self.clean = _clean(view, outside=self.sources, sparql_extra=lambda p: self.statements.get(p, ()))
        finally:
            merged.remove_graph(held)


def _clean(view: Graph, **part) -> bool:
    focus_in = part.get("within")
    outside = part.get("outside") or set()
    if not shacl_screen.clean(view, shapes_graph(), **part):
        return False
    return not any((focus_in is None or URIRef(r.focus) in focus_in) and URIRef(r.focus) not in outside
                   for r in run_checks(view))
