"""sparql_algebra: a query parsed for a build does not keep the caller's data alive while the collector is off."""

import gc
import weakref

import pytest

from migkg import resources
from migkg.sparql_algebra import translated


class _Data:
    """Stands for what a build's frames hold while they parse: the facts, a screen's copy."""


def _parse_holding(data, text):
    held = data  # noqa: F841 - the local a leaked frame would keep
    return translated(text)


def _every_query() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(resources.queries_dir().rglob("*.rq"))]


def test_a_parse_leaves_the_callers_frames_to_reference_counting():
    texts = _every_query()
    assert texts
    was = gc.isenabled()
    gc.disable()
    try:
        for text in texts:
            data = _Data()
            gone = weakref.ref(data)
            query = _parse_holding(data, text)
            del data
            assert gone() is None, "the parse kept its caller's frame, and what it holds, for the collector"
            assert query.algebra is not None
    finally:
        if was:
            gc.enable()


def test_a_bad_query_raises_rdflibs_error_to_the_caller():
    from pyparsing import ParseException

    with pytest.raises(ParseException):
        translated("SELECT ?x WHERE { ?x ?y }")


def test_the_translation_is_rdflibs_own():
    from rdflib.plugins.sparql import prepareQuery

    text = "PREFIX ex: <http://example.org/> SELECT ?s WHERE { ?s ex:p/ex:q* ?o FILTER NOT EXISTS { ?o a ex:C } }"
    assert translated(text).algebra == prepareQuery(text).algebra
