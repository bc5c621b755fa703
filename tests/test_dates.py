"""Date expressions in several languages, resolved only against a known publication date."""

import datetime as dt

import pytest
from hypothesis import given, strategies as st

from migkg import dates

PUB = dt.date(2020, 12, 11)  # a Friday


@pytest.mark.parametrize("text, published, expected", [
    ("signed on 25 September 2020", None, ("2020-09-25", "stated")),
    ("signé jeudi 16 février 2023 au siège", None, ("2023-02-16", "stated")),
    ("Le 19 novembre 2020, le Centre", None, ("2020-11-19", "stated")),
    ("firmado el 13 de julio de 2012", None, ("2012-07-13", "stated")),
    ("signed in January 2003", None, ("2003-01", "stated")),
    ("have signed (16/02) a cooperation agreement", None, ("--02-16", "stated")),
    ("Este viernes 13 de julio", None, ("--07-13", "stated")),
    ("On Thursday the Commission concluded", PUB, ("2020-12-10", "derived-from-publication")),
    ("a conclu lundi un accord", dt.date(2024, 7, 23), ("2024-07-22", "derived-from-publication")),
    ("signed today", PUB, ("2020-12-11", "derived-from-publication")),
    ("suscribieron este día un convenio", PUB, ("2020-12-11", "derived-from-publication")),
    ("signé hier", PUB, ("2020-12-10", "derived-from-publication")),
    ("on March 7 for the signature", dt.date(2019, 3, 12), ("2019-03-07", "derived-from-publication")),
])
def test_resolution(text, published, expected):
    found = dates.find(text)
    assert found, text
    assert found[0].resolve(published) == expected


@pytest.mark.parametrize("text", ["signed this week", "esta semana", "On Thursday", "hoy", "lundi"])
def test_relative_dates_need_a_publication_date(text):
    assert all(d.resolve(None) is None for d in dates.find(text))


@pytest.mark.parametrize("text", ["32/13/2020", "on 32/13", "31 February 2021", "24/7 support"])
def test_impossible_dates_are_not_dates(text):
    assert [d for d in dates.find(text) if d.kind == "explicit" and d.day] == []


def test_bare_years_need_a_preposition():
    assert [d.year for d in dates.find_years("since 2003, and 175 member states in 1951")] == [2003, 1951]


@given(st.text(max_size=200), st.one_of(st.none(), st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2090, 1, 1))))
def test_any_text_resolves_to_a_valid_lexical_form_or_nothing(text, published):
    for d in dates.find(text):
        r = d.resolve(published)
        if r is None:
            continue
        value, basis = r
        assert basis in ("stated", "derived-from-publication")
        if value.startswith("--"):
            dt.date(2000, int(value[2:4]), int(value[5:7]))
        elif len(value) == 10:
            dt.date.fromisoformat(value)
        else:
            assert len(value) in (4, 7)
