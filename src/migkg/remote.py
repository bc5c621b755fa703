"""Stored queries against any SPARQL 1.1 endpoint, through SPARQLWrapper."""

from __future__ import annotations

import pyoxigraph as ox

from . import __version__
from .errors import EndpointError
from .querying import Result

USER_AGENT = f"migkg/{__version__} (+https://w3id.org/migkg)"


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
        raise EndpointError(f"{endpoint}: {e}") from None
    columns = data["head"]["vars"]
    rows = [{c: _term(b.get(c)) for c in columns} for b in data["results"]["bindings"]]
    return Result(columns, rows)


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
