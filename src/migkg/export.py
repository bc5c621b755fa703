"""Deterministic dumps: the same graph gives the same bytes, whatever the hash seed or source order.

N-Triples and N-Quads are sorted lines. Turtle and TriG are written per subject
in sorted order by rdflib with a fixed prefix table; JSON-LD is sorted by @id
and dumped with sorted keys. No blank nodes are minted anywhere in migkg.
"""

from __future__ import annotations

import gzip
import json
from importlib import resources as importlib_resources

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, RDF, RDFS, SKOS, TIME, XSD

FORMATS = {"ttl": "text/turtle", "nt": "application/n-triples", "nq": "application/n-quads",
           "trig": "application/trig", "jsonld": "application/ld+json", "rdfxml": "application/rdf+xml"}

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
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True, replace=True)
    return g


def _sorted_lines(data: str) -> bytes:
    lines = sorted(set(line for line in data.splitlines() if line.strip()))
    return ("\n".join(lines) + "\n").encode("utf-8")


def _turtle(g: Graph) -> str:
    return g.serialize(format="turtle")


def context() -> dict:
    return json.loads(importlib_resources.files("migkg").joinpath("context.jsonld").read_text(encoding="utf-8"))


def serialize(ds: Dataset, fmt: str) -> bytes:
    gz = fmt.endswith(".gz") or fmt.endswith("gz") and fmt not in FORMATS
    fmt = fmt.removesuffix(".gz")
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    data = _serialize(ds, fmt)
    return gzip.compress(data, mtime=0) if gz else data


def _serialize(ds: Dataset, fmt: str) -> bytes:
    if fmt == "nt":
        return _sorted_lines(union(ds).serialize(format="nt"))
    if fmt == "nq":
        out = Dataset()
        for s, p, o, c in ds.quads((None, None, None, None)):
            out.add((s, p, o, c if isinstance(c, URIRef) else getattr(c, "identifier", c)))
        return _sorted_lines(out.serialize(format="nquads"))
    if fmt == "ttl":
        return _turtle(union(ds)).encode("utf-8")
    if fmt == "trig":
        return _trig(ds).encode("utf-8")
    if fmt == "jsonld":
        return _jsonld(union(ds))
    if fmt == "rdfxml":
        return union(ds).serialize(format="pretty-xml").encode("utf-8")
    raise AssertionError(fmt)


def _trig(ds: Dataset) -> str:
    header = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(PREFIXES.items()))
    parts = [header]
    graphs = sorted({c for _, _, _, c in ds.quads((None, None, None, None))}, key=str)
    for name in graphs:
        g = _graph()
        for s, p, o, _ in ds.quads((None, None, None, name)):
            g.add((s, p, o))
        # Only the leading prefix block goes, and nothing is re-indented: a line inside a multi-line
        # literal belongs to the literal's value.
        lines = _turtle(g).split("\n")
        start = 0
        while start < len(lines) and (lines[start].startswith("@prefix") or not lines[start].strip()):
            start += 1
        body = "\n".join(lines[start:]).rstrip()
        parts.append(f"\n<{name}> {{\n{body}\n}}\n")
    return "".join(parts)


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
