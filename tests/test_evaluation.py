"""The scorer on its own: matching, per-field counts, and the rules for partial dates and 'other' types."""

from migkg.evaluation import Score, score_document


def _pred(**kw):
    base = {"iri": "x", "type": "memorandum of understanding", "status": "signed", "parties": [], "signed_on": None,
            "place": None, "signatories": [], "themes": [], "valid_from": None, "valid_until": None, "builds_on": [], "sources": []}
    return base | kw


GOLD = {"type": "memorandum of understanding", "status": "signed", "signed_on": "2012-07-13", "place": "Bogotá, Colombia",
        "parties": [{"name": "International Organization for Migration", "acronym": "IOM", "names_in_text": ["OIM"], "kind": "intergovernmental organization"},
                    {"name": "State of Qatar", "acronym": None, "names_in_text": ["Qatar"], "kind": "government"}],
        "signatories": [{"name": "Mr. Jane Roe", "title": "x", "on_behalf_of": "IOM"}], "themes": [], "valid_from": None,
        "valid_until": None, "builds_on": None}
PARTIES = [{"iri": "o1", "label": "International Organization for Migration", "acronym": "IOM", "wikidata": None},
           {"iri": "o2", "label": "Government of Qatar", "acronym": None, "wikidata": None}]


def test_perfect_prediction_scores_one():
    s = Score()
    score_document([GOLD], [_pred(parties=PARTIES, signed_on="2012-07-13", place="Bogotá, Colombia",
                                  signatories=[{"name": "Jane Roe", "post": None, "on_behalf_of": "IOM"}])], "t", s)
    assert all(s.fields[f].f1 == 1.0 for f in ("parties", "type", "status", "signed_on", "place", "signatories")), s.misses


def test_misses_and_extras_are_counted_and_listed():
    s = Score()
    score_document([GOLD], [_pred(parties=PARTIES[:1] + [{"iri": "o3", "label": "World Bank", "acronym": None, "wikidata": None}],
                                  type="plan of action", status="announced")], "t", s)
    assert s.fields["parties"].tp == 1 and s.fields["parties"].fp == 1 and s.fields["parties"].fn == 1
    assert s.fields["type"].f1 == 0 and s.fields["status"].f1 == 0
    assert any("missed State of Qatar" in m for m in s.misses)


def test_year_less_date_counts_and_invented_dates_are_flagged():
    s = Score()
    score_document([GOLD], [_pred(parties=PARTIES, signed_on="--07-13")], "t", s)
    assert s.fields["signed_on"].tp == 1
    s2 = Score()
    score_document([dict(GOLD, signed_on=None)], [_pred(parties=PARTIES, signed_on="2020-01-01")], "t", s2)
    assert s2.invented_dates == 1


def test_other_types_match_any_type_outside_the_named_ones():
    s = Score()
    score_document([dict(GOLD, type="other: protocol agreement")], [_pred(parties=PARTIES, type="protocol")], "t", s)
    assert s.fields["type"].tp == 1


def test_predecessor_agreements_are_not_extras():
    s = Score()
    score_document([GOLD], [_pred(iri="a", parties=PARTIES, builds_on=["b"]), _pred(iri="b", parties=PARTIES)], "t", s)
    assert not any("extra agreement" in m for m in s.misses)
