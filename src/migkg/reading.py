"""The read stage: bytes -> documents, whatever the file is called.

The format is sniffed from the content (seed 004 is WordPress JSON in a .txt
file). Metadata comes from wherever the source keeps it: HTML meta and link
tags, schema.org JSON-LD, feed fields, WordPress fields, datelines in the text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html as html_lib
import json
import os
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .errors import SourceError
from .facts import shared_on_load

MAX_BYTES = 20 * 1024 * 1024
_LONG_LINE = 20_000  # characters; a press release paragraph is well under 2,000
# Zero-width spaces, word joiners, stray byte-order marks and bidirectional overrides: invisible, and they
# split names ("Inter\u200bnational") or reverse them on screen (a trick of hostile pages).
_INVISIBLE = re.compile("[\u200b\u2060\ufeff\u202a-\u202e\u2066-\u2069]")
_MAGIC = ((b"%PDF-", "PDF file"), (b"PK\x03\x04", "zip archive (a Word or OpenDocument file?)"),
          (b"\xd0\xcf\x11\xe0", "Microsoft Office file"), (b"\x1f\x8b", "gzip archive"), (b"{\\rtf", "RTF document"))
_HINT_NOT_TEXT = "is this a press release? remove it from data/sources or convert it to text or HTML"


@shared_on_load
@dataclass(frozen=True, slots=True)
class Dateline:
    place: str | None
    date: dt.date | None
    start: int
    end: int


@shared_on_load
@dataclass(frozen=True, slots=True)
class Document:
    source_path: str
    file_name: str
    item_id: str | None
    format: str
    text: str
    body_start: int
    title: str | None
    url: str | None
    published: dt.date | None
    language: str | None
    publisher: str | None
    dateline: Dateline | None
    content_hash: str
    # What the reader had to repair or ignore to read the source, said once per source in the build report.
    notes: tuple[str, ...] = ()


def read_path(path: str | os.PathLike) -> list[Document]:
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise SourceError(path, f"file is {size // (1024 * 1024)} MB, over the {MAX_BYTES // (1024 * 1024)} MB limit",
                              "split it into one file per article")
        data = path.read_bytes()
    except OSError as e:
        raise SourceError(path, f"cannot read the file: {e.strerror or e}", "check that it exists and is readable") from None
    return read_bytes(data, source_path=str(path))


def read_bytes(data: bytes, *, source_path: str) -> list[Document]:
    if len(data) > MAX_BYTES:
        raise SourceError(source_path, "over the 20 MB limit", "split it into one file per article")
    if not data.strip():
        raise SourceError(source_path, "the file is empty", "remove it or put the article text in it")
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise SourceError(source_path, f"this is a {kind}, not text", "extract its text first (pdftotext, a word processor) "
                              "or give the HTML page")
    text, notes = decode_noted(data, source_path)
    fmt = sniff_format(data, text)
    digest = hashlib.sha256(data).hexdigest()
    from . import _formats

    if fmt == "json":
        items = _formats.wordpress(text, source_path)
    elif fmt == "feed":
        items = _formats.feed(data, text, source_path)
    elif fmt == "html":
        items = [_formats.html_page(text, source_path)]
    else:
        items = [_formats.plain(text)]
        if sum(ch.isalpha() for ch in text) < 20:
            raise SourceError(source_path, f"{len(text.strip())} characters of text, too short to be an article",
                              "put the whole article in the file")
        longest = max(map(len, text.split("\n")))
        if longest > _LONG_LINE:
            notes.append(f"a line of {longest:,} characters; sentences were split on punctuation alone "
                         "(check the file kept its paragraph breaks)")
    return [_document(item, source_path, digest, len(items) > 1, tuple(notes + item.get("notes", []))) for item in items]


def decode(data: bytes, source_path: str = "") -> str:
    """UTF-8/16 with or without BOM, else the best guess (Windows-1252 and friends)."""
    return decode_noted(data, source_path)[0]


def decode_noted(data: bytes, source_path: str = "") -> tuple[str, list[str]]:
    """The text, and notes on what reading it took beyond plain UTF-8."""
    notes = []
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", errors="replace")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    elif len(data) > 3 and (data[1:20:2].count(0) > 6 or data[0:20:2].count(0) > 6):
        encoding = "utf-16-le" if data[1:20:2].count(0) > 6 else "utf-16-be"
        text = data.decode(encoding, errors="replace")
        notes.append(f"no byte-order mark; read as {encoding.upper()} from its byte pattern (save it as UTF-8 to be sure)")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text, encoding = _guess(data)
            notes.append(f"not UTF-8; read as {encoding} (save it as UTF-8 to be sure)")
    if _looks_binary(text):
        raise SourceError(source_path, "this is not text (binary content)", _HINT_NOT_TEXT)
    invisible = len(_INVISIBLE.findall(text))
    if invisible:
        text = _INVISIBLE.sub("", text)
        notes.append(f"removed {invisible} invisible or direction-changing characters (zero-width spaces, bidi controls)")
    if not text.isascii() and _mojibake(text):  # mojibake is never plain ASCII
        import ftfy

        # UTF-8 read as Windows-1252 upstream ("signÃ©"): ftfy undoes the round trip and changes nothing else.
        text = ftfy.fix_encoding(text)
        # The repair can bring back what was stripped above: "â€‹" is a zero-width space read as Windows-1252.
        text = _INVISIBLE.sub("", text)
        notes.append("repaired mojibake (UTF-8 once read as Windows-1252); check its names and accents")
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n")), notes


def _mojibake(text: str) -> bool:
    """ftfy.is_bad(TEXT), asking its pattern only about the stretches around non-ASCII characters.

    Every alternative of the pattern needs a non-ASCII character and none is longer than a few characters
    (_badness_reach checks both, for the ftfy installed), so no match lies outside those stretches. The
    pattern tries every position of the text, and most of a page is ASCII markup: searched whole, it took an
    eighth of the time spent reading and extracting; by stretches, a seventh of that."""
    reach, search = _badness_reach()
    if reach is None:
        return bool(search(text))
    start = end = -1
    for m in _NON_ASCII.finditer(text):
        s, e = m.start() - reach, m.end() + reach
        if s > end >= 0:  # a gap: the stretch before it is complete
            if search(text, max(0, start), end):
                return True
            start = s
        elif end < 0:
            start = s
        end = e
    return end >= 0 and search(text, max(0, start), end) is not None


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


@lru_cache(maxsize=None)
def _badness_reach():
    """(the longest match of ftfy's mojibake pattern, its search), or (None, its search) where some alternative
    of it could match ASCII alone or its length is unbounded: then the whole text is searched."""
    from ftfy.badness import BADNESS_RE

    try:
        from re import _constants as sre, _parser as parser  # noqa: PLC2701 - the pattern's own parse tree

        tree = parser.parse(BADNESS_RE.pattern, BADNESS_RE.flags)
        lo, hi = tree.getwidth()
        [(op, (_, branches))] = tree.data
        if op is not sre.BRANCH or BADNESS_RE.flags & re.IGNORECASE or hi > 64:
            return None, BADNESS_RE.search

        def non_ascii_only(item) -> bool:
            kind, arg = item
            if kind is sre.LITERAL:
                return arg >= 128
            if kind is sre.IN:
                return all(k is sre.LITERAL and a >= 128 or k is sre.RANGE and a[0] >= 128 for k, a in arg)
            return False

        def anchored(items) -> bool:
            """A look-around, a back-reference or an anchor but "^" reads past the stretch it is asked about;
            "^" matches at the text's start only, whatever the position a search starts from (pattern.search's
            pos), and the first stretch starts there where the text does."""
            for kind, arg in items:
                if kind is sre.AT and arg in (sre.AT_BEGINNING, sre.AT_BEGINNING_STRING):
                    continue
                if kind in (sre.AT, sre.ASSERT, sre.ASSERT_NOT, sre.GROUPREF, sre.GROUPREF_EXISTS):
                    return True
                for part in arg if isinstance(arg, (tuple, list)) else ():
                    if isinstance(part, parser.SubPattern) and anchored(part.data):
                        return True
                    if isinstance(part, (tuple, list)) and any(isinstance(x, parser.SubPattern) and anchored(x.data)
                                                               for x in part):
                        return True
            return False

        if not anchored(tree.data) and all(any(non_ascii_only(item) for item in branch.data) for branch in branches):
            return hi + 1, BADNESS_RE.search
    except (ImportError, ValueError, TypeError, AttributeError, re.error):
        pass
    return None, BADNESS_RE.search


def _guess(data: bytes) -> tuple[str, str]:
    """Windows-1252 when it reads as Western European text (most non-UTF-8 news is), else charset-normalizer's guess."""
    from charset_normalizer import from_bytes

    try:
        western = data.decode("cp1252")
        odd = [c for c in western if ord(c) > 127 and not (c.isalpha() or c in "€‚„…†‡‰‹›‘’“”•–—˜™ ¡¢£¤¥¦§¨©ª«¬®¯°±²³´µ¶·¸¹º»¼½¾¿×÷")]
        if not odd:
            return western, "Windows-1252"
    except UnicodeDecodeError:
        pass

    best = from_bytes(data).best()
    if best is not None and best.encoding not in ("utf_16", "utf_32"):
        return str(best), best.encoding
    return data.decode("cp1252", errors="replace"), "Windows-1252, with unreadable bytes replaced"


_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")  # below 32, but for tab, line feed, form feed, return


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    controls = len(_CONTROLS.findall(sample))
    return "\x00" in sample or controls > len(sample) * 0.05 or sample.count("\ufffd") > len(sample) * 0.1


def sniff_format(data: bytes, text: str | None = None) -> str:
    head = (text if text is not None else data[:4096].decode("utf-8", errors="replace")).lstrip("\ufeff \n\t")[:2048]
    if head[:1] in "{[":
        return "json"
    low = head.lower()
    if re.search(r"<rss[\s>]|<feed[\s>][^>]*atom|<rdf:rdf", low) or (low.startswith("<?xml") and re.search(r"<(?:rss|feed|channel)\b", low)):
        return "feed"
    if low.startswith("<?xml") and not re.search(r"<html", low):
        return "feed"
    if re.search(r"<!doctype\s+html|<html[\s>]|<body[\s>]|<head[\s>]", low) or len(re.findall(r"</?(?:p|div|span|a|h\d)\b", low)) > 5:
        return "html"
    return "text"


def _document(item: dict, source_path: str, digest: str, several: bool, notes: tuple[str, ...] = ()) -> Document:
    # decode strips invisible characters, but HTML entities (&#x202E;, &#8203;) in a page, post or feed only
    # become them once unescaped. Only plain text has a body_start past 0, and decode already cleaned it.
    text = _INVISIBLE.sub("", item["text"])
    title = _INVISIBLE.sub("", item["title"]) if item.get("title") else None
    body_start = item.get("body_start", 0)
    from ._datelines import find_dateline

    dateline = find_dateline(text, body_start, item.get("published"), item.get("language"))
    published = item.get("published") or (dateline.date if dateline and dateline.date else None) or _visible_date(text, body_start)
    language = item.get("language") or _detect_language(text[body_start:])
    publisher = item.get("publisher") or (dateline and _agency(text, dateline)) or None
    item_id = item.get("item_id") if several or item.get("item_id") else None
    return Document(
        source_path=source_path, file_name=Path(source_path).name, item_id=item_id,
        format=item["format"], text=text, body_start=body_start, title=title, url=item.get("url"),
        published=published, language=language, publisher=publisher, dateline=dateline,
        content_hash=digest + (f"#{item_id}" if item_id else ""), notes=notes,
    )


def _detect_language(text: str) -> str | None:
    sample = text[:5000].strip()
    if len(sample) < 20:
        return None
    import py3langid

    lang, _ = py3langid.classify(sample)
    return lang


def _agency(text: str, dateline: Dateline) -> str | None:
    """The news agency named in a dateline ('Dakar, 4 mars, APS'), never the place itself."""
    for m in re.finditer(r"\b([A-Z]{3,}(?:-[A-Z]+)?)\b", text[dateline.start:dateline.end]):
        if m.group(1).lower() not in (dateline.place or "").lower():
            return m.group(1)
    return None


def _visible_date(text: str, body_start: int) -> dt.date | None:
    """A line near the headline that is nothing but a full date ('11 December 2020', 'Updated: 26-10-2020 09:34 IST')."""
    from . import dates

    window = text[body_start:body_start + 600]
    for line in window.splitlines()[:8]:
        if len(line.strip()) > 60:
            continue
        for d in dates.find(line):
            if d.year and d.month and d.day:
                return dt.date(d.year, d.month, d.day)
        m = re.search(r"\b(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\b", line)
        if m:
            try:
                return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            except ValueError:
                continue
    return None


def clean_html_text(fragment: str) -> str:
    """HTML fragment -> paragraphs of text, for WordPress and feed bodies."""
    fragment = re.sub(r"(?is)<(script|style|noscript|iframe|figure|figcaption)\b.*?</\1\s*>", " ", fragment)
    fragment = re.sub(r"(?i)<br\s*/?>", "\n", fragment)
    fragment = re.sub(r"(?i)</(p|div|h\d|li|blockquote|tr)\s*>", "\n\n", fragment)
    fragment = re.sub(r"<[^>]+>", " ", fragment)
    fragment = html_lib.unescape(fragment).replace("\xa0", " ").replace("\u202f", " ")
    paragraphs = [re.sub(r"[ \t]+", " ", p).strip() for p in re.split(r"\n\s*\n", fragment)]
    return "\n\n".join(p for p in paragraphs if p)


def iso_date(value) -> dt.date | None:
    if not value:
        return None
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", str(value).strip())
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def json_loads(text: str, source_path: str):
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise SourceError(source_path, f"invalid JSON at line {e.lineno}, column {e.colno}: {e.msg}",
                          "the file may be truncated; download it again") from None
    except RecursionError:
        raise SourceError(source_path, "JSON nested too deeply to be a post (a hostile or broken file)",
                          "give the WordPress REST API response as it was served") from None
