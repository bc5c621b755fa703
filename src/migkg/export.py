"""Deterministic dumps: the same graph gives the same bytes, whatever the hash seed or source order.

N-Triples and N-Quads are sorted lines. Turtle and TriG are written by Oxigraph's
serialiser from sorted triples (graph, subject, predicate, object) with a fixed,
sorted prefix table: one subject block after another, about a hundred times faster
than rdflib's pretty printer on our graphs. JSON-LD is sorted by @id and dumped with
sorted keys. No blank nodes are minted anywhere in migkg.
"""

from __future__ import annotations

import gzip
import json
import re
from importlib import resources as importlib_resources

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import NamespaceManager
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, RDF, RDFS, SKOS, TIME, XSD

FORMATS = {"ttl": "text/turtle", "nt": "application/n-triples", "nq": "application/n-quads",
           "trig": "application/trig", "jsonld": "application/ld+json", "rdfxml": "application/rdf+xml"}

# A local name that rdflib would also write as prefix:name (letters, digits, _ and -, not starting with a digit or -).
_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*")
PREFIXES = {
    "mkg": "https://w3id.org/migkg/ontology#", "org": str(ORG), "prov": str(PROV), "time": str(TIME),
    "skos": str(SKOS), "dcterms": str(DCTERMS), "schema": "https://schema.org/", "oa": "http://www.w3.org/ns/oa#",
    "sem": "http://semanticweb.cs.vu.nl/2009/11/sem/", "wd": "http://www.wikidata.org/entity/", "xsd": str(XSD),
    "rdf": str(RDF), "rdfs": str(RDFS), "owl": str(OWL),
}


def union(ds: Dataset) -> Graph:
    """The merged view: every triple of every graph, once."""
    g = _graph()
    for s, p, o, _ in sorted(ds.quads((None, None, None, None)), key=lambda q: (q[0], q[1], q[2])):
        g.add((s, p, o))
    return g


def _graph() -> Graph:
    g = Graph(bind_namespaces="none")
    g.namespace_manager = _FixedPrefixes(g)
    return g


class _FixedPrefixes(NamespaceManager):
    """The dumps' prefixes, and no others, looked up directly.

    rdflib's own lookup files every IRI's split namespace in a trie it then scans linearly; our hash-like
    IRIs ("source/6e29109b51e17097") each split into a namespace of their own, which made a Turtle dump
    quadratic (27 s for 74,000 triples). A subject or object under none of the prefixes raises, and is
    written in full, as rdflib writes it.
    """

    def __init__(self, graph: Graph):
        super().__init__(graph, bind_namespaces="none")
        for prefix, ns in PREFIXES.items():
            self.bind(prefix, ns, override=True, replace=True)
        self._longest_first = sorted(((str(ns), p) for p, ns in PREFIXES.items()), key=lambda x: -len(x[0]))
        self._known: dict[str, tuple[str, URIRef, str]] = {}

    def compute_qname(self, uri: str, generate: bool = True) -> tuple[str, URIRef, str]:
        hit = self._known.get(uri)
        if hit is None:
            for ns, prefix in self._longest_first:
                if uri.startswith(ns) and _LOCAL.fullmatch(uri[len(ns):]):
                    hit = (prefix, URIRef(ns), uri[len(ns):])
                    break
            else:
                if generate:  # a predicate or class (RDF/XML must name every one): rdflib's way, rarely taken
                    return super().compute_qname(uri, generate)
                raise KeyError(f"no prefix for {uri}")
            self._known[uri] = hit
        return hit


def _sorted_lines(data: str) -> bytes:
    lines = sorted(set(line for line in data.splitlines() if line.strip()))
    return ("\n".join(lines) + "\n").encode("utf-8")


def context() -> dict:
    return json.loads(importlib_resources.files("migkg").joinpath("context.jsonld").read_text(encoding="utf-8"))


def quads_of(ds: Dataset) -> list[tuple]:
    """Every quad of DS, its graph given by IRI: read out of rdflib once for every stage that writes the graph.

    Graph by graph, because rdflib's quads() looks up the graphs of every triple it yields, and a build used to
    walk the whole dataset that way five times (two dumps, the store, the description, the count)."""
    return [(s, p, o, g.identifier) for g in ds.graphs() for s, p, o in g]


def serialize(ds: Dataset, fmt: str, quads: list | None = None) -> bytes:
    """DS in FMT; QUADS, if given, are DS's own (quads_of), read once by a caller that writes several formats."""
    gz = fmt.endswith(".gz") or fmt.endswith("gz") and fmt not in FORMATS
    fmt = fmt.removesuffix(".gz")
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    data = _serialize(ds, fmt, quads)
    return gzip.compress(data, mtime=0) if gz else data


def _serialize(ds: Dataset, fmt: str, quads: list | None = None) -> bytes:
    if fmt == "nt":
        return _sorted_lines(union(ds).serialize(format="nt"))
    if fmt == "nq":
        out = Dataset()
        for s, p, o, c in ds.quads((None, None, None, None)):
            out.add((s, p, o, c if isinstance(c, URIRef) else getattr(c, "identifier", c)))
        return _sorted_lines(out.serialize(format="nquads"))
    if fmt in ("ttl", "trig"):
        return _oxigraph(quads if quads is not None else quads_of(ds), fmt)
    if fmt == "jsonld":
        return _jsonld(union(ds))
    if fmt == "rdfxml":
        return union(ds).serialize(format="pretty-xml").encode("utf-8")
    raise AssertionError(fmt)


def oxigraph_terms():
    """A converter from rdflib terms to pyoxigraph ones, remembering each (a graph repeats its terms)."""
    import pyoxigraph as ox

    terms: dict = {}

    def term(t):
        if t not in terms:
            if isinstance(t, Literal):
                terms[t] = ox.Literal(str(t), language=t.language) if t.language else \
                    ox.Literal(str(t), datatype=ox.NamedNode(str(t.datatype or XSD.string)))
            else:
                terms[t] = ox.NamedNode(str(_name(t)))
        return terms[t]

    return term


def oxigraph_quads(ds: Dataset, quads: list | None = None):
    """Every quad of DS (or QUADS, its quads_of) as a pyoxigraph Quad, in no particular order (for a bulk load)."""
    import pyoxigraph as ox

    term = oxigraph_terms()
    return (ox.Quad(term(s), term(p), term(o), term(c)) for s, p, o, c in (quads if quads is not None else quads_of(ds)))


def _oxigraph(all_quads: list, fmt: str) -> bytes:
    return header() + body(all_quads, fmt)


def header() -> bytes:
    """The dumps' prefix lines, sorted, and a blank line: ours, for the order Oxigraph writes its prefix map in
    is not part of its contract."""
    return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(PREFIXES.items())).encode("utf-8") + b"\n"


def body(quads, fmt: str) -> bytes:
    """QUADS in Turtle ("ttl") or TriG, without the prefix lines, graph by graph in order of their IRIs and each
    graph's triples sorted. So a dump is the concatenation of its graphs' bodies, which lets a build write the
    sources' graphs one batch at a time. In Turtle a triple is written once, in the first graph that has it."""
    return bodies(quads, (fmt,))[0]


def bodies(quads, fmts: tuple, term=None, order=None) -> list[bytes]:
    """body() in each of FMTS, the quads sorted and their terms converted once for all of them (and for other
    calls, given the TERM converter and ORDER key of an earlier one)."""
    import io

    outs = {fmt: io.BytesIO() for fmt in fmts}
    write_bodies(quads, outs, term, order)
    return [outs[fmt].getvalue() for fmt in fmts]


def write_bodies(quads, outs: dict, term=None, order=None, consume: bool = False) -> None:
    """body() of QUADS in each format of OUTS (format -> binary file), written into its file; with CONSUME,
    QUADS (a list) is emptied once it has been read, so its memory is free for the writing.

    Each distinct term is ranked once and the quads are sorted and written as tuples of ranks: comparing and
    hashing rdflib terms runs Python code each time, and did so about twenty times a quad. A quad given twice
    is written once, found next to itself once sorted (a set of them all was a tenth of a 100,000-document
    build's peak). Oxigraph is handed the quads one at a time and writes into the file as it goes: a
    100,000-document build's merged graphs are some 3 million quads, and holding them once more as Oxigraph's
    objects and then as text in both formats made this the build's peak."""
    import itertools

    import pyoxigraph as ox

    term = term or oxigraph_terms()
    order = order or _orderer()
    if not isinstance(quads, (list, tuple)):
        quads = list(quads)  # read twice below
    terms: set = set()
    for q in quads:
        terms.update(q)
    rank = {t: i for i, t in enumerate(sorted(terms, key=order))}
    del terms
    coded = [(rank[g], rank[s], rank[p], rank[o]) for s, p, o, g in quads]
    if consume and isinstance(quads, list):
        quads.clear()
    coded.sort()
    converted = [None] * len(rank)
    for t, i in rank.items():
        converted[i] = term(t)
    n = len(rank)
    del rank
    for fmt, out in outs.items():
        body = _AfterPrefixes(out)  # our header() writes them, once for the whole dump
        unique = (q for q, _ in itertools.groupby(coded))
        if fmt == "ttl":
            seen: set = set()  # each triple as one int, not a tuple: less than half the memory
            triples = (ox.Triple(converted[s], converted[p], converted[o]) for _, s, p, o in unique
                       if (k := (s * n + p) * n + o) not in seen and not seen.add(k))
            ox.serialize(triples, body, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
            del seen
        else:
            ox.serialize((ox.Quad(converted[s], converted[p], converted[o], converted[g]) for g, s, p, o in unique),
                         body, format=ox.RdfFormat.TRIG, prefixes=PREFIXES)
        body.close()


def graph_bodies(quads, term=None, order=None) -> tuple[bytes, bytes]:
    """The TriG and Turtle bodies of QUADS, all of one graph (a source's): Oxigraph writes the TriG, and the
    Turtle is its lines without the graph's opening and closing ones and one tab each, which is how Oxigraph
    writes a graph's triples in Turtle (every literal on one line). Serialising once instead of twice was a
    tenth of a worker's time; where the TriG is not laid out so, Oxigraph writes the Turtle as well."""
    trig = bodies(quads, ("trig",), term, order)[0]
    lines = trig.split(b"\n")
    inner = lines[1:-2]
    if len(lines) < 4 or not lines[0].endswith(b" {") or lines[-2:] != [b"}", b""] \
            or not all(line.startswith(b"\t") for line in inner):
        return trig, bodies(quads, ("ttl",), term, order)[0]
    return trig, b"\n".join(line[1:] for line in inner) + b"\n"


class _AfterPrefixes:
    """A binary file that drops the '@prefix' lines its writer starts with and passes the rest on."""

    def __init__(self, out):
        self.out, self.head, self.passed = out, b"", False

    def write(self, data) -> int:
        if self.passed:
            self.out.write(data)
            return len(data)
        self.head += bytes(data)
        while self.head.startswith(b"@prefix "):
            end = self.head.find(b"\n")
            if end < 0:
                return len(data)  # the rest of this prefix line is still to come
            self.head = self.head[end + 1:]
        if self.head and not b"@prefix ".startswith(self.head):
            self.passed = True
            self.out.write(self.head)
            self.head = b""
        return len(data)

    def flush(self) -> None:
        pass  # Oxigraph flushes when it is done; what is held back is only an unfinished prefix line

    def close(self) -> None:
        if not self.passed and self.head:
            self.out.write(self.head)
        self.passed, self.head = True, b""


def _orderer():
    """The sort key of a term, worked out once per distinct term (a graph repeats its terms many times): IRIs by
    their text (so an agreement comes before its signing), literals after IRIs, then by language and type."""
    keys: dict = {}

    def order(t) -> tuple:
        k = keys.get(t)
        if k is None:
            k = keys[t] = (1, str(t), t.language or "", str(t.datatype or "")) if isinstance(t, Literal) else (0, str(t), "", "")
        return k

    return order


def _name(graph) -> URIRef:
    return graph if isinstance(graph, URIRef) else getattr(graph, "identifier", graph)


def _jsonld(g: Graph) -> bytes:
    ctx = context()
    doc = json.loads(g.serialize(format="json-ld", context=ctx["@context"], auto_compact=True))
    nodes = doc.get("@graph", [doc] if "@id" in doc else [])
    for node in nodes:
        for key, value in node.items():
            if isinstance(value, list):
                node[key] = sorted(value, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    out = {"@context": ctx["@context"], "@graph": sorted(nodes, key=lambda n: n.get("@id", ""))}
    return (json.dumps(out, sort_keys=True, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
