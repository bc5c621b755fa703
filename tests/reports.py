"""Comparing validation reports in tests."""

from rdflib import Graph, URIRef
from rdflib.compare import isomorphic


def same_report_graph(a: Graph, b: Graph) -> bool:
    """A and B are isomorphic. IRIs are hex-encoded first: rdflib's isomorphism test cannot hash an IRI with a
    space (one fixture has)."""
    return isomorphic(_encoded(a), _encoded(b))


def _encoded(g: Graph) -> Graph:
    enc = lambda t: URIRef("urn:hex:" + str(t).encode().hex()) if isinstance(t, URIRef) else t  # noqa: E731
    out = Graph()
    out += ((enc(s), enc(p), enc(o)) for s, p, o in g)
    return out
