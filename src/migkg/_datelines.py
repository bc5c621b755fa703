"""Datelines: 'Geneva – ', 'Nairobi, Kenya, 3 March 2021 – ', 'Dakar, 4 mars, APS',
'ACCRA. GNA – ', 'GENEVA (Reuters) - '. The dateline names where the report was
written, never where an agreement was signed; its date is the publication date."""

from __future__ import annotations

import datetime as dt
import re

_WORD = r"[A-ZÀ-Ý][\w'’.-]*"
_PLACE = rf"{_WORD}(?:[ -](?:de |del |la )?{_WORD}){{0,3}}(?:,\s*{_WORD}(?: {_WORD}){{0,2}})?"
_DASHED = re.compile(
    rf"^(?P<marker>\s*date\s+(?P<ym>\d{{4}}-\d{{2}})\s+)?(?P<place>{_PLACE})"
    rf"(?:[,.]\s*(?P<date>[^–—\n]{{3,40}}?))?\s*(?:\((?P<agency>[^)\n]{{2,30}})\))?\s*(?:[–—]|-{{1,2}}|\.-)\s+")
_AGENCY = re.compile(
    rf"^(?P<marker>\s*date\s+(?P<ym>\d{{4}}-\d{{2}})\s+)?(?P<place>{_WORD}(?: {_WORD})?),\s*(?P<date>\d{{1,2}}\s+\w+\.?(?:\s+\d{{4}})?),\s*(?P<agency>[A-Z][A-Z-]{{2,}})\b")


def find_dateline(text: str, body_start: int, published: dt.date | None, language: str | None):
    from .reading import Dateline

    pos = body_start
    for _ in range(4):
        line_end = text.find("\n", pos)
        line = text[pos:line_end if line_end >= 0 else len(text)]
        for pattern in (_AGENCY, _DASHED):
            m = pattern.match(line)
            if m and _is_place(m.group("place")):
                date = _date(m.group("date") or "", m.group("ym"), published)
                return Dateline(m.group("place").strip(" ."), date, pos, pos + m.end())
        if line_end < 0:
            break
        pos = line_end + 1
        while pos < len(text) and text[pos] == "\n":
            pos += 1
    return None


def _is_place(place: str) -> bool:
    from . import places

    parts = [p.strip() for p in re.split(r"[,.]", place) if p.strip()]
    if parts and parts[0].isupper() and len(parts[0]) > 2:
        return True
    return any(places.city(p) or places.country(p) for p in parts) or bool(places.city(place.strip()))


def looks_like_dateline(line: str) -> bool:
    m = _AGENCY.match(line) or _DASHED.match(line)
    return bool(m and _is_place(m.group("place")) and (m.group("date") or m.group("marker")))


def _date(segment: str, year_month: str | None, published: dt.date | None) -> dt.date | None:
    from . import dates

    for d in dates.find(segment):
        if d.kind != "explicit" or not (d.month and d.day):
            continue
        year = d.year
        if year is None and year_month and int(year_month[5:7]) == d.month:
            year = int(year_month[:4])
        if year is None and published is not None:
            year = published.year
        if year is None:
            return None
        try:
            return dt.date(year, d.month, d.day)
        except ValueError:
            return None
    return None
