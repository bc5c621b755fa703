"""The name lists' regular expressions are tries; they must match exactly what the flat alternation did.

The flat, longest-first alternation is the reference: it is the plain reading of "any of these names, the
longest where several fit", and the trie is only a faster way to write it. Folding is checked against its
per-character definition in the same way.
"""

from __future__ import annotations

import re

from hypothesis import given, settings, strategies as st

from migkg import dates, lexicon, organizations
from migkg._alternation import alternation
from migkg.folding import _Folds, fold

_SETTINGS = settings(max_examples=300, deadline=None, derandomize=True, database=None)
# Few letters, so that names share prefixes and extend one another, which is where a trie could go wrong.
_NAME = st.text(alphabet="abAB .-'é", min_size=1, max_size=6)


def _flat(names, any_space: bool = False) -> str:
    alts = [re.escape(n) for n in sorted(names, key=len, reverse=True)]
    if any_space:
        alts = [a.replace(r"\ ", r"\s+") for a in alts]
    return "(?:" + "|".join(alts) + ")"


def _matches(pattern: str, text: str, flags: int = 0) -> list:
    return [(m.span(), m.group(0)) for m in re.finditer(pattern, text, flags)]


@_SETTINGS
@given(names=st.lists(_NAME, min_size=1, max_size=12, unique=True),
       text=st.text(alphabet="abAB .-'é\n\t", max_size=60), any_space=st.booleans(), ignore_case=st.booleans())
def test_trie_matches_what_the_flat_alternation_matches(names, text, any_space, ignore_case):
    flags = re.I if ignore_case else 0
    if ignore_case:
        names = sorted({n.lower() for n in names})  # the lists we build are lower-cased before re.I
    for wrap in ("{}", r"(?<![\w-]){}(?![\w])", r"\b{}\b\.?\s+\d"):
        assert _matches(wrap.format(alternation(names, any_space)), text, flags) == \
            _matches(wrap.format(_flat(names, any_space)), text, flags), (names, wrap)


def test_trie_of_prefixes_prefers_the_longest_and_backs_off():
    pattern = alternation(["mar", "march", "mars", "marzo", "may"])
    assert re.fullmatch(pattern, "march") and re.fullmatch(pattern, "mar")
    assert re.match(pattern, "marchand").group(0) == "march"
    # The longer name does not fit before the lookahead; the shorter one does.
    assert re.match(pattern + r"(?!\w)", "mars") and re.match(pattern + r"(?![a-z])", "mar1").group(0) == "mar"
    assert alternation([]) == "(?!)"


def test_the_real_lists_match_as_before():
    """The gazetteer, the lexicons and the month names, on text that names many of them."""
    g = organizations.load()
    months, days, _ = dates._patterns(dates.LANGS)
    text = " ".join(sorted(g.names)[:400]) + " " + " ".join(sorted(g.acronyms)) + " " + " ".join(months) + \
        " " + " ".join(sorted(lexicon.themes().labels)) + " 12 de marzo de 2021, Monday 3 March"
    folded = fold(text)
    assert _matches(g.names_re.pattern, folded) == _matches(rf"(?<![\w-]){_flat(g.names, True)}(?![\w])", folded)
    assert _matches(g.acronyms_re.pattern, text) == _matches(rf"(?<![\w-]){_flat(g.acronyms)}(?![\w])", text)
    themes = lexicon.themes()
    assert _matches(themes.pattern.pattern, folded) == _matches(rf"(?<![\w-]){_flat(themes.labels, True)}(?![\w-])", folded)
    assert _matches(alternation(months), text, re.I) == _matches(_flat(months), text, re.I)


def test_fold_is_its_per_character_rule_on_every_code_point():
    """str.translate with a table filled as characters come gives what the rule gives each character alone."""
    every = "".join(chr(i) for i in range(0x110000) if not 0xD800 <= i < 0xE000)
    rule = _Folds().__missing__  # a fresh table: the rule worked out anew for each character
    assert fold(every) == "".join(rule(ord(ch)) for ch in every)
    assert fold(every) == fold(every)  # and again from the filled table
    # The rule itself: lower case, no accents, one apostrophe, one dash, one space, same length.
    assert fold("Ministère de l’Intérieur — ÉTAT\u00a0x`ß") == "ministere de l'interieur - etat x'ß"
