"""Validate a build in parts: the source graphs a batch at a time, then the merged graphs once.

A build's graph is too big to hold in rdflib at once (about 3 KB a triple), and most of it is the sources'
graphs: each source's description, the activity that read it and the passages behind its facts. So the build
never holds them all. Each batch is screened (shacl_screen) with the ontology beside it, for the focus nodes
it describes; then the merged graphs (agreements, reference, provenance, vocabularies) are screened with the
ontology, for every other focus node, with two things of the sources beside them:

- each source's rdf:type, which `dcterms:source sh:class mkg:SourceDocument` reads;
- each passage's rdf:subject, rdf:predicate and rdf:object, which the provenance constraints read, given to
  the SPARQL screen's Oxigraph copy only (shacl_screen's sparql_extra), not to the graph screened.

Every part is screened as indexed.Indexed, not rdflib: the screen reads a predicate's values for a node, and
rdflib's store, indexing every triple three ways as it is added, was a third of a batch's work.

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

import functools

from rdflib import URIRef
from rdflib.namespace import RDF

from . import shacl_screen
from .indexed import Indexed
from .validate import ontology_graph, shapes_graph
from .vocab import MKG

_STATEMENT = (RDF.subject, RDF.predicate, RDF.object)


class Screening:
    """Screens a build part by part; `clean` is False from the first part that may give a result."""

    def __init__(self):
        self.clean = True
        self.statements: dict = {p: [] for p in _STATEMENT}  # the passages' statements, for the merged part
        self.sources: set = set()

    def add_sources(self, batch, sources) -> None:
        """Screen BATCH, the triples of SOURCES' graphs, and keep what the merged part needs."""
        batch = Indexed(batch)
        self.note(sources, {p: list(batch.triples((None, p, None))) for p in _STATEMENT})
        if self.clean:
            self.clean = sources_clean(batch)

    def note(self, sources, statements: dict) -> None:
        """SOURCES' IRIs and their passages' STATEMENTS (predicate -> triples), for the merged part, where the
        sources' graphs are screened elsewhere (sources_clean, in a build's worker processes)."""
        self.sources.update(sources)
        for p in _STATEMENT:
            self.statements[p].extend(statements.get(p, ()))

    def add_merged(self, triples) -> None:
        """Screen the merged graphs' TRIPLES, with each source typed and the passages' statements beside them."""
        if not self.clean:
            return
        view = Indexed(triples)
        view.update((s, RDF.type, MKG.SourceDocument) for s in sorted(self.sources))
        view.update(ontology_graph())
        self.clean = _clean(view, outside=self.sources, sparql_extra=lambda p: self.statements.get(p, ()))


def sources_clean(batch: Indexed) -> bool:
    """Whether BATCH, the triples of some sources' graphs, screens clean. BATCH is the caller's to throw away:
    the ontology is added to it."""
    within = set(batch.subjects())
    batch.update(ontology_graph())
    return _clean(batch, within=within)


def _clean(view, **part) -> bool:
    if not shacl_screen.clean(view, shapes_graph(), **part):
        return False
    return not _check_rows(view, part.get("within"), part.get("outside") or set())


def _check_rows(view, within, outside) -> bool:
    """Whether a check (queries/checks) gives a row whose focus node is in this part: run by Oxigraph on a copy
    of the triples of the predicates the checks name (rdflib's own SPARQL took two thirds of a build's merged
    screen). A row with a blank node as its focus counts, since which part holds a blank node cannot be told,
    and so does a term Oxigraph refuses: the whole graph is then validated, as for any doubt."""
    import pyoxigraph as ox

    from .export import oxigraph_terms
    from .validate import checks

    texts = tuple(checks().values())
    reads = _reads_of(texts)
    triples = view.triples((None, None, None)) if reads is None else _matching(view, reads)
    term = oxigraph_terms()
    store = ox.Store()
    try:
        store.bulk_extend(ox.Quad(term(s), term(p), term(o), ox.DefaultGraph()) for s, p, o in triples)
    except ValueError:  # a term Oxigraph refuses (an IRI with a space, a date with a 13th month): a doubt
        return True
    for text in texts:
        for row in store.query(text):
            focus = row["this"]
            if not isinstance(focus, ox.NamedNode):
                return True
            node = URIRef(focus.value)
            if (within is None or node in within) and node not in outside:
                return True
    return False


def _matching(view, reads: dict):
    """The triples of VIEW that READS (_reads_of) can match, predicate by predicate."""
    for p in sorted(reads):
        objects = reads[p]
        if objects is None:
            yield from view.triples((None, p, None))
        else:
            for o in sorted(objects):
                yield from ((s, p, o) for s in view.subjects(p, o))


def _predicates_of(texts: tuple) -> frozenset | None:
    """The predicates the queries TEXTS can match triples of, in their triple patterns and property paths;
    None where a pattern may match any predicate (a variable, a negated path)."""
    reads = _reads_of(texts)
    return None if reads is None else frozenset(reads)


@functools.lru_cache(maxsize=8)
def _reads_of(texts: tuple) -> dict | None:
    """What the queries TEXTS can match: predicate -> the IRIs its triples must have as object, or None for
    any object. A predicate's objects are bounded only where every pattern of it names an IRI as its object
    (`?this a oa:TextPositionSelector`): then the check's copy holds the selectors' types, not every node's,
    which was most of what a batch of sources' graphs gave it. None where a pattern may match any predicate
    (a variable, a negated path). Worked out once a build, not once a batch: it parses every query."""
    from rdflib.paths import AlternativePath, InvPath, MulPath, SequencePath

    from .sparql_algebra import translated

    found: dict = {}

    def any_object(p) -> None:
        found[p] = None

    def bounded(p, o) -> None:
        if p not in found:
            found[p] = {o}
        elif found[p] is not None:
            found[p].add(o)

    def path(p, o=None) -> bool:
        if isinstance(p, URIRef):
            bounded(p, o) if isinstance(o, URIRef) else any_object(p)
            return True
        if isinstance(p, (SequencePath, AlternativePath)):
            return all(path(a) for a in p.args)
        if isinstance(p, MulPath):
            return path(p.path)
        if isinstance(p, InvPath):
            return path(p.arg)
        return False

    def walk(node) -> bool:
        if isinstance(node, dict):
            return all(all(path(t[1], t[2]) for t in v) if k == "triples" else walk(v) for k, v in node.items())
        if isinstance(node, (list, tuple)):
            return all(walk(v) for v in node)
        return True

    try:
        if not all(walk(translated(text).algebra) for text in texts):
            return None
    except Exception:  # a prefix it does not know, say: which predicates it reads cannot be told
        return None
    return {p: None if o is None else frozenset(o) for p, o in found.items()}
