"""Find date expressions in a sentence and resolve them to XSD values with a precision and a basis.

Month and weekday names come from dateparser's locale data, so any language it
knows works; the relative words (today, hier, este día ...) are a small list per
language because dateparser has no notion of "the day this article talks about".
A date is never invented: a relative expression needs a publication date, a
day and month without a year stay a gMonthDay unless the publication year is known.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from dateparser.languages import default_loader

from ._alternation import alternation

LANGS = ("en", "fr", "es", "pt", "de", "it")

_MONTH_KEYS = ["january", "february", "march", "april", "may", "june", "july", "august",
               "september", "october", "november", "december"]
_DAY_KEYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

# days before publication; None marks "this week", which has no day.
_RELATIVE = {
    "today": 0, "this day": 0, "this morning": 0, "earlier today": 0, "tonight": 0,
    "yesterday": 1,
    "aujourd'hui": 0, "aujourd’hui": 0, "ce jour": 0, "ce matin": 0, "ce jeudi": None, "hier": 1,
    "hoy": 0, "este día": 0, "esta mañana": 0, "ayer": 1,
    "hoje": 0, "ontem": 1, "heute": 0, "gestern": 1, "oggi": 0, "ieri": 1,
    "this week": None, "earlier this week": None, "cette semaine": None, "esta semana": None,
    "la semaine dernière": None, "last week": None, "la semana pasada": None,
}


@dataclass(frozen=True)
class DateMatch:
    start: int
    end: int
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    days_before: int | None = None
    kind: str = "explicit"  # explicit | weekday | relative | week

    def resolve(self, published: dt.date | None) -> tuple[str, str] | None:
        """Return (xsd lexical value, basis) or None when the text does not fix a date."""
        if self.kind == "explicit":
            return self._explicit(published)
        if published is None or self.kind == "week":
            return None
        back = self.days_before if self.kind == "relative" else (published.weekday() - self.weekday) % 7
        try:
            return (published - dt.timedelta(days=back)).isoformat(), "derived-from-publication"
        except OverflowError:
            # "yesterday" in a post dated 0001-01-01 (a placeholder, or a hostile feed): the day before is no date.
            return None

    def _explicit(self, published):
        if self.year and self.month and self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}", "stated"
        if self.year and self.month:
            return f"{self.year:04d}-{self.month:02d}", "stated"
        if self.year:
            return f"{self.year:04d}", "stated"
        if self.month and self.day:
            if published is not None:
                year = published.year
                # A difference of dates, not published + 7 days, which overflows for a post dated 9999-12-31.
                if _safe_date(year, self.month, self.day) and (_safe_date(year, self.month, self.day) - published).days > 7:
                    year -= 1
                if _safe_date(year, self.month, self.day):
                    return f"{year:04d}-{self.month:02d}-{self.day:02d}", "derived-from-publication"
            return f"--{self.month:02d}-{self.day:02d}", "stated"
        return None


def _safe_date(y, m, d):
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


@lru_cache(maxsize=None)
def _names(keys: tuple[str, ...], langs: tuple[str, ...]) -> dict[str, int]:
    out: dict[str, int] = {}
    for lang in langs:
        info = default_loader.get_locale(lang).info
        for i, key in enumerate(keys):
            for name in info.get(key, []):
                name = name.lower().rstrip(".")
                if len(name) >= 3 and name.isalpha() or "-" in name:
                    out.setdefault(name, i + 1)
    return out


def _alt(names) -> str:
    return alternation(names)


@lru_cache(maxsize=None)
def _patterns(langs: tuple[str, ...]):
    months = _names(tuple(_MONTH_KEYS), langs)
    days = _names(tuple(_DAY_KEYS), langs)
    M, W = _alt(months), _alt(days)
    wd = rf"(?:(?P<wd>{W})\.?,?\s+)?"
    ordinal = r"(?:st|nd|rd|th|er|º|°|e)?"
    year = r"(?:,?\s+(?:de\s+|del\s+|of\s+)?(?P<y>\d{4}))?"
    pats = [
        ("iso", re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b")),
        ("dmy_num", re.compile(r"\b(?P<d>\d{1,2})[/.](?P<m>\d{1,2})[/.](?P<y>\d{4})\b")),
        ("dm_num", re.compile(r"(?:\(|\b(?:on|le|el|du|del)\s+)(?P<d>\d{1,2})/(?P<m>\d{1,2})(?=\)|\b)(?![/.]\d)")),
        ("dmy", re.compile(rf"\b{wd}(?P<d>\d{{1,2}}){ordinal}(?:\s+(?:de|of))?\s+(?P<mn>{M})\b\.?{year}", re.I)),
        ("mdy", re.compile(rf"\b{wd}(?P<mn>{M})\b\.?\s+(?P<d>\d{{1,2}}){ordinal}\b{year}", re.I)),
        ("my", re.compile(rf"\b(?P<mn>{M})\b\.?\s+(?:de\s+|of\s+)?(?P<y>\d{{4}})\b", re.I)),
        ("weekday", re.compile(rf"\b(?P<wd>{W})\b", re.I)),
        ("relative", re.compile(rf"(?<!\w)(?P<rel>{_alt(_RELATIVE)})(?!\w)", re.I)),
    ]
    return months, days, pats


def find(text: str, start: int = 0, end: int | None = None, langs=LANGS) -> list[DateMatch]:
    """All date expressions in text[start:end], longest first where they overlap, in text order."""
    return list(_find(text, start, len(text) if end is None else end, tuple(langs)))


# Numbers in a pattern: a sentence without a digit (more than half of them) is asked only about weekdays and
# "yesterday"; each sentence of an agreement is asked about its dates by the signing date, the validity and
# the predecessors in turn, so the last document's answers are kept.
_DIGIT = re.compile(r"\d")
_NUMERIC = {"iso", "dmy_num", "dm_num", "dmy", "mdy", "my"}


@lru_cache(maxsize=256)
def _find(text: str, start: int, end: int, langs: tuple[str, ...]) -> tuple[DateMatch, ...]:
    months, days, pats = _patterns(langs)
    chunk = text[start:end]
    numbers = _DIGIT.search(chunk) is not None
    found: list[DateMatch] = []
    taken: list[tuple[int, int]] = []
    for kind, pat in pats:
        if not numbers and kind in _NUMERIC:
            continue
        for m in pat.finditer(chunk):
            s, e = m.start() + start, m.end() + start
            if any(s < te and ts < e for ts, te in taken):
                continue
            dm = _build(kind, m, s, e, months, days)
            # An impossible date ("31 February 2022", "32/13/2023") still takes its span: the month and year
            # inside it are not a date the text gives.
            taken.append((s, e))
            if dm is not None:
                found.append(dm)
    return tuple(sorted(found, key=lambda d: d.start))


def invalid(text: str, langs=LANGS) -> list[str]:
    """Day-month(-year) expressions in the text that are no calendar date, as written."""
    months, days, pats = _patterns(tuple(langs))
    out = []
    for kind, pat in pats:
        if kind in ("iso", "dmy_num", "dmy", "mdy"):
            for m in pat.finditer(text):
                if _build(kind, m, m.start(), m.end(), months, days) is None:
                    out.append(" ".join(m.group(0).split()))
    return sorted(set(out))


def _build(kind, m, s, e, months, days) -> DateMatch | None:
    g = m.groupdict()
    if kind == "relative":
        n = _RELATIVE[g["rel"].lower()]
        return DateMatch(s, e, days_before=n, kind="week" if n is None else "relative")
    if kind == "weekday":
        return DateMatch(s, e, weekday=days[g["wd"].lower()] - 1, kind="weekday")
    month = months[g["mn"].lower().rstrip(".")] if g.get("mn") else int(g["m"])
    day = int(g["d"]) if g.get("d") else None
    year = int(g["y"]) if g.get("y") else None
    if not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
        return None
    if year is not None and not 1900 <= year <= 2100:
        return None
    if day is not None and _safe_date(year or 2000, month, day) is None:
        return None
    return DateMatch(s, e, year=year, month=month, day=day)


_YEAR = re.compile(r"\b(?:in|since|of|en|depuis|desde|de|del|em|im|nel)\s+(?P<y>(?:19|20)\d{2})\b", re.I)


def find_years(text: str, start: int = 0, end: int | None = None) -> list[DateMatch]:
    """Bare years introduced by a preposition ("since 2003", "en 2003")."""
    end = len(text) if end is None else end
    return [DateMatch(m.start("y") + start, m.end("y") + start, year=int(m.group("y")))
            for m in _YEAR.finditer(text[start:end])]
