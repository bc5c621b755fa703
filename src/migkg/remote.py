"""Stored queries against any SPARQL 1.1 endpoint, through SPARQLWrapper."""

from __future__ import annotations

import pyoxigraph as ox

from . import __version__
from .errors import EndpointError
from .querying import Result

USER_AGENT = f"migkg/{__version__} (+https://w3id.org/migkg)"
_STATUS = {"QueryBadFormed": 400, "Unauthorized": 401, "EndPointNotFound": 404, "URITooLong": 414, "EndPointInternalError": 500}


def select(endpoint: str, query: str, *, timeout: float = 60) -> Result:
    from urllib.error import HTTPError, URLError

    from SPARQLWrapper import JSON, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    client = SPARQLWrapper(endpoint, agent=USER_AGENT)
    client.setQuery(query)
    client.setReturnFormat(JSON)
    client.setTimeout(int(timeout))
    client.setMethod("POST")
    try:
        data = client.queryAndConvert()
    except HTTPError as e:
        kind = "rejected the query" if 400 <= e.code < 500 else "failed"
        raise EndpointError(f"{endpoint}: the endpoint {kind} (HTTP {e.code}); check the URL and that it speaks SPARQL 1.1") from None
    except (URLError, TimeoutError, OSError) as e:
        raise EndpointError(f"{endpoint}: no answer ({getattr(e, 'reason', e)}); is the server running? timeout was {timeout:g} s") from None
    except SPARQLWrapperException as e:
        # SPARQLWrapper turns the HTTP status into its own exception classes; say the status again.
        code = _STATUS.get(type(e).__name__)
        if code is None:
            raise EndpointError(f"{endpoint}: {e}") from None
        kind = "rejected the query" if code < 500 else "failed"
        raise EndpointError(f"{endpoint}: the endpoint {kind} (HTTP {code}); check the URL and that it speaks SPARQL 1.1") from None
    columns = data["head"]["vars"]
    rows = [{c: _term(b.get(c)) for c in columns} for b in data["results"]["bindings"]]
    return Result(columns, rows)


class Remote:
    """A SPARQL 1.1 endpoint, queried with the same bound text as the embedded store."""

    def __init__(self, endpoint: str, timeout: float = 60):
        self.endpoint = endpoint
        self.timeout = timeout

    def select(self, text: str) -> Result:
        return select(self.endpoint, text, timeout=self.timeout)


def _term(b):
    if b is None:
        return None
    if b["type"] == "uri":
        return ox.NamedNode(b["value"])
    if b["type"] == "bnode":
        return ox.BlankNode(b["value"])
    if "xml:lang" in b:
        return ox.Literal(b["value"], language=b["xml:lang"])
    if "datatype" in b:
        return ox.Literal(b["value"], datatype=ox.NamedNode(b["datatype"]))
    return ox.Literal(b["value"])


def construct_all(endpoint: str, *, timeout: float = 120):
    """The endpoint's whole default graph as a Dataset, for validation."""
    from urllib.error import HTTPError, URLError

    from rdflib import Dataset
    from SPARQLWrapper import SPARQLWrapper, TURTLE

    client = SPARQLWrapper(endpoint, agent=USER_AGENT)
    client.setQuery("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    client.setReturnFormat(TURTLE)
    client.setTimeout(int(timeout))
    try:
        data = client.query().response.read()
    except HTTPError as e:
        raise EndpointError(f"{endpoint}: HTTP {e.code} for the CONSTRUCT query") from None
    except (URLError, TimeoutError, OSError) as e:
        raise EndpointError(f"{endpoint}: no answer ({getattr(e, 'reason', e)})") from None
    ds = Dataset()
    ds.graph(ds.default_context.identifier).parse(data=data, format="turtle")
    return ds


def push(store_url: str, dataset, *, graph: str | None = None, timeout: float = 300) -> list[tuple[str, int]]:
    """Upload through the SPARQL 1.1 Graph Store Protocol: each named graph PUT to its own name (so a re-push
    replaces, never duplicates), or everything merged into one graph when `graph` is given.
    Returns (graph IRI, triples) for each graph sent."""
    from rdflib import Graph

    if graph:
        merged = Graph()
        for s, p, o, _ in dataset.quads((None, None, None, None)):
            merged.add((s, p, o))
        parts = [(graph, merged)]
    else:
        parts = sorted(((str(g.identifier), g) for g in dataset.graphs() if len(g)), key=lambda x: x[0])
    sent = []
    for name, g in parts:
        body = g.serialize(format="nt", encoding="utf-8")
        _put(store_url, name, body, timeout)
        sent.append((name, len(g)))
    return sent


def _put(store_url: str, graph: str, body: bytes, timeout: float) -> None:
    from urllib.error import HTTPError, URLError
    from urllib.parse import urlencode
    from urllib.request import Request, urlopen

    sep = "&" if "?" in store_url else "?"
    req = Request(f"{store_url}{sep}{urlencode({'graph': graph})}", data=body, method="PUT",
                  headers={"Content-Type": "application/n-triples", "User-Agent": USER_AGENT})
    try:
        with urlopen(req, timeout=timeout) as resp:
            resp.read()
    except HTTPError as e:
        hint = ("the store is read-only (`migkg serve` is; start a writable one)" if e.code in (403, 405)
                else "check that URL is the Graph Store Protocol address (Oxigraph: http://HOST:PORT/store)")
        raise EndpointError(f"{store_url}: HTTP {e.code} when uploading graph <{graph}>; {hint}") from None
    except (URLError, TimeoutError, OSError) as e:
        raise EndpointError(f"{store_url}: no answer ({getattr(e, 'reason', e)}); is the server running? timeout was {timeout:g} s") from None
