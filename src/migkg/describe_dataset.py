"""void.ttl: a VoID + DCAT description of a build, so catalogues and crawlers can find the dumps and the endpoint.

It is computed from the dataset and from the dump files as written, and holds
nothing that changes between builds of the same sources (no build time), so it
is byte-identical across rebuilds like the dumps it describes.
"""

from __future__ import annotations

import heapq
import re
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF, RDFS, VOID, XSD

from .vocab import MKG

LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")
# What `migkg serve` listens on unless told otherwise; a published copy would name its public endpoint.
DEFAULT_ENDPOINT = URIRef("http://127.0.0.1:7878/query")
ONTOLOGY = URIRef("https://w3id.org/migkg/ontology")

# Dump file name -> media type, in the order they are listed; only files present in the output are described.
DUMPS = {
    "graph.ttl": "text/turtle", "graph.trig": "application/trig", "graph.nt": "application/n-triples",
    "graph.nq": "application/n-quads", "graph.jsonld": "application/ld+json", "graph.rdf": "application/rdf+xml",
}
EXAMPLES_PER_CLASS = 3
# DCAT 3 terms that rdflib's DCAT namespace (DCAT 2) does not declare.
DCAT_VERSION = URIRef(str(DCAT) + "version")


def describe(store, out_dir: Path, base: str, counted: "Counted | None" = None) -> Graph:
    """The description of the build in OUT_DIR, its figures counted by STORE (the build's pyoxigraph store): the
    graph is not held anywhere else whole. COUNTED, where the build summed its graphs' own figures, gives all
    but the distinct objects and the examples, which the store is asked for."""
    from . import __version__
    from .export import PREFIXES

    g = Graph(bind_namespaces="none")
    for prefix, ns in {**PREFIXES, "void": str(VOID), "dcat": str(DCAT), "foaf": str(FOAF)}.items():
        g.bind(prefix, ns, override=True, replace=True)

    figures = _Figures(store, base, counted)
    dataset = URIRef(base + "dataset")
    publisher = URIRef(base + "dataset/publisher")
    g.add((dataset, RDF.type, DCAT.Dataset))
    g.add((dataset, RDF.type, VOID.Dataset))
    g.add((dataset, DCTERMS.title, Literal("migkg: a knowledge graph of migration partnerships", lang="en")))
    g.add((dataset, DCTERMS.description, Literal(
        "Agreements between organizations on migration (memoranda, cooperation agreements, plans of action), "
        "their parties, signing, signatories, themes and GCM objectives, each fact linked to the passage of the "
        "press release or news item that states it.", lang="en")))
    # The compiled facts are CC BY 4.0 like the ontology and reference data; the quoted passages are not ours to license.
    g.add((dataset, DCTERMS.license, LICENSE))
    g.add((dataset, DCTERMS.rights, Literal(
        "Quoted passages (oa:exact, oa:prefix, oa:suffix) remain the copyright of their publishers and are quoted "
        "for research; each source's terms are on its node (dcterms:rights).", lang="en")))
    g.add((dataset, DCTERMS.publisher, publisher))
    g.add((publisher, RDF.type, FOAF.Organization))
    g.add((publisher, FOAF.name, Literal("the migkg project")))
    g.add((dataset, DCAT_VERSION, Literal(__version__)))
    g.add((dataset, OWL.versionInfo, Literal(__version__)))
    g.add((dataset, DCTERMS.conformsTo, ONTOLOGY))
    g.add((dataset, VOID.uriSpace, Literal(base)))

    for name, media in DUMPS.items():
        for file_name in (name, name + ".gz"):
            path = Path(out_dir) / file_name
            if path.is_file():
                _distribution(g, dataset, base, file_name, media, path.stat().st_size)

    g.add((dataset, VOID.sparqlEndpoint, DEFAULT_ENDPOINT))
    g.add((DEFAULT_ENDPOINT, RDFS.comment, Literal(
        "The local endpoint that `migkg serve` starts over the built store (read-only, default graph = union "
        "of all graphs); a public copy would be served elsewhere.", lang="en")))

    for ns in sorted({_namespace(p) for p in figures.properties} | {_namespace(c) for c in figures.classes}):
        g.add((dataset, VOID.vocabulary, URIRef(ns)))
    g.add((dataset, VOID.triples, _int(counted.triples if counted else figures.count("?s ?p ?o"))))
    # VoID's entities are the resources in the dataset's own URI space: the ones it mints, not the ontology and
    # concept schemes it carries, which sit under the default base too.
    g.add((dataset, VOID.entities, _int(counted.minted if counted else figures.minted())))
    g.add((dataset, VOID.distinctSubjects, _int(counted.subjects if counted else figures.count("?s ?p ?o", distinct="?s"))))
    g.add((dataset, VOID.properties, _int(len(figures.properties))))
    g.add((dataset, VOID.distinctObjects, _int(figures.count("?s ?p ?o", distinct="?o"))))

    g.add((dataset, VOID.classes, _int(len(figures.classes))))
    for cls, n in sorted(figures.classes.items()):
        # No blank nodes anywhere in migkg: a partition is named after its class, which keeps the output stable.
        part = URIRef(base + "dataset/class/" + _slug(cls))
        g.add((dataset, VOID.classPartition, part))
        g.add((part, VOID["class"], cls))
        g.add((part, VOID.entities, _int(n)))

    for cls in (MKG.Agreement, MKG.Organization):
        for example in (counted or figures).examples(cls, EXAMPLES_PER_CLASS):
            g.add((dataset, VOID.exampleResource, example))
    return g


class Counted:
    """VoID's figures for graphs whose subjects no other graph has, so that the figures of several add up: a
    source's graph describes only the source, its passages, the activity that read it and the evidence of its
    facts (populate.source_graph), all minted from the source's own IRI. Counting them as each graph is
    written spares the build a count over the whole store (most of `describe`: 9.6 s -> 1.2 s at 10,000
    documents)."""

    def __init__(self, triples: int = 0, subjects: int = 0, minted: int = 0, properties=(), classes=None,
                 firsts=None, below=()):
        self.triples, self.subjects, self.minted = triples, subjects, minted
        self.properties = set(properties)
        self.classes = dict(classes or {})
        # For VoID's examples: each class's first instances by IRI, and the rdfs:subClassOf pairs. Asking the
        # store for them sorted every agreement's IRI: over half of `describe` in a 100,000-document rebuild.
        self.firsts = {c: list(v) for c, v in (firsts or {}).items()}
        self.below = {tuple(pair) for pair in below}

    @classmethod
    def of(cls, triples, base: str, listed=frozenset()) -> "Counted":
        """The figures of TRIPLES, a set of distinct (s, p, o); LISTED, the subjects the vocabularies describe."""
        from rdflib import URIRef

        subjects, predicates, typed, below = set(), set(), {}, set()
        # A dictionary's lookup hashes in C and compares only on a match; `p == RDF.type` ran rdflib's
        # Python __eq__ for every triple.
        kinds = {RDF.type: True, RDFS.subClassOf: False}
        for s, p, o in triples:
            subjects.add(s)
            predicates.add(p)
            kind = kinds.get(p)
            if kind is not None and isinstance(o, URIRef):
                if kind:
                    typed.setdefault(str(o), set()).add(s)
                else:
                    below.add((str(s), str(o)))
        properties = {str(p) for p in predicates}
        minted = sum(1 for s in subjects if isinstance(s, URIRef) and s.startswith(base) and s not in listed)
        firsts = {c: heapq.nsmallest(EXAMPLES_PER_CLASS, (str(s) for s in v if isinstance(s, URIRef)))
                  for c, v in typed.items()}
        return cls(len(triples), len(subjects), minted, properties, {c: len(v) for c, v in typed.items()},
                   {c: v for c, v in firsts.items() if v}, below)

    def add(self, other: "Counted") -> "Counted":
        self.triples += other.triples
        self.subjects += other.subjects
        self.minted += other.minted
        self.properties |= other.properties
        for c, n in other.classes.items():
            self.classes[c] = self.classes.get(c, 0) + n
        for c, v in other.firsts.items():
            self.firsts[c] = sorted({*self.firsts.get(c, ()), *v})[:EXAMPLES_PER_CLASS]
        self.below |= other.below
        return self

    def examples(self, cls, n: int) -> list[URIRef]:
        """The first N instances of CLS or a class below it, by IRI: what _Figures.examples asks the store."""
        below, todo = {str(cls)}, [str(cls)]
        while todo:
            c = todo.pop()
            for sub, sup in self.below:
                if sup == c and sub not in below:
                    below.add(sub)
                    todo.append(sub)
        return [URIRef(s) for s in sorted({s for c in below for s in self.firsts.get(c, ())})[:n]]

    def as_tuple(self) -> tuple:
        return (self.triples, self.subjects, self.minted, sorted(self.properties), sorted(self.classes.items()),
                sorted(self.firsts.items()), sorted(self.below))

    @classmethod
    def from_tuple(cls, t: tuple) -> "Counted":
        return cls(t[0], t[1], t[2], t[3], dict(t[4]), dict(t[5]), t[6])


class _Figures:
    """VoID's counts, asked of the store (default graph = the union: each triple counted once), or taken from
    COUNTED where the build has them."""

    def __init__(self, store, base: str, counted: Counted | None = None):
        self.store, self.base = store, base
        if counted is not None:
            self.properties = [URIRef(p) for p in sorted(counted.properties)]
            self.classes = {URIRef(c): n for c, n in counted.classes.items()}
            return
        self.properties = [URIRef(r[0].value) for r in self._select("SELECT DISTINCT ?p WHERE { ?s ?p ?o }")]
        self.classes = {URIRef(r[0].value): int(r[1].value) for r in self._select(
            "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c FILTER isIRI(?c) } GROUP BY ?c")}

    def _select(self, text: str, **bindings):
        import pyoxigraph as ox

        subs = {ox.Variable(k): v for k, v in bindings.items()}
        return list(self.store.query(text, use_default_graph_as_union=True, substitutions=subs))

    def count(self, pattern: str, distinct: str | None = None) -> int:
        if distinct:  # a term's count is the same over the union's quads as over its distinct triples
            return int(self._select(f"SELECT (COUNT(DISTINCT {distinct}) AS ?n) WHERE {{ {pattern} }}")[0][0].value)
        # A triple in two graphs is one triple: the union default graph would give it twice.
        return int(self._select(f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?p ?o WHERE {{ {pattern} }} }}")[0][0].value)

    def minted(self) -> int:
        """Subjects under the base, less those the vocabularies describe. Told apart here: in SPARQL, FILTER NOT
        EXISTS looked into the vocabularies graph once per triple, and STRSTARTS made a string of every subject."""
        import pyoxigraph as ox

        subjects = {r[0].value for r in self._select("SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER isIRI(?s) }")}
        vocab = ox.NamedNode(self.base + "graph/vocabularies")
        listed = {q.subject.value for q in self.store.quads_for_pattern(None, None, None, vocab)}
        return sum(1 for s in subjects if s.startswith(self.base) and s not in listed)

    def examples(self, cls: URIRef, n: int) -> list[URIRef]:
        """The first N instances of CLS or a class below it, by IRI (organizations are typed by their kind)."""
        import pyoxigraph as ox

        below = [r["k"] for r in self._select("SELECT DISTINCT ?k ?c WHERE { ?k <http://www.w3.org/2000/01/rdf-schema#subClassOf>* ?c }",
                                              c=ox.NamedNode(str(cls)))]
        found = set()
        for k in below:
            found.update(URIRef(r["s"].value) for r in self._select(
                f"SELECT DISTINCT ?s ?k WHERE {{ ?s a ?k FILTER isIRI(?s) }} ORDER BY STR(?s) LIMIT {int(n)}", k=k))
        return sorted(found)[:n]


def write(store, out_dir: Path, base: str, counted: Counted | None = None) -> Path:
    """Write void.ttl into OUT_DIR; call it after the dumps, whose sizes it records."""
    path = Path(out_dir) / "void.ttl"
    path.write_bytes(describe(store, out_dir, base, counted).serialize(format="turtle").encode("utf-8"))
    return path


def _distribution(g: Graph, dataset: URIRef, base: str, file_name: str, media: str, size: int) -> None:
    dist = URIRef(base + "dataset/distribution/" + file_name)
    url = URIRef(base + file_name)
    g.add((dataset, DCAT.distribution, dist))
    g.add((dataset, VOID.dataDump, url))
    g.add((dist, RDF.type, DCAT.Distribution))
    g.add((dist, DCTERMS.title, Literal(file_name)))
    g.add((dist, DCAT.downloadURL, url))
    g.add((dist, DCAT.mediaType, URIRef("https://www.iana.org/assignments/media-types/" + media)))
    if file_name.endswith(".gz"):
        g.add((dist, DCAT.compressFormat, URIRef("https://www.iana.org/assignments/media-types/application/gzip")))
    g.add((dist, DCAT.byteSize, Literal(size, datatype=XSD.nonNegativeInteger)))
    g.add((dist, DCTERMS.license, LICENSE))


def _namespace(iri: str) -> str:
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[:cut + 1]


def _slug(iri: str) -> str:
    ns = _namespace(iri)
    return re.sub(r"[^A-Za-z0-9]+", "-", ns.split("//", 1)[-1]).strip("-").lower() + "-" + iri[len(ns):]


def _int(n: int) -> Literal:
    return Literal(n, datatype=XSD.integer)
