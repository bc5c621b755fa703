"""Property-based tests: hostile or odd input never crashes the reader, the date finder or IRI minting.

The reader may refuse a file, but only with SourceError (the CLI turns that into a message naming the file);
any other exception would abort a whole build. Dates must be calendar dates, and IRIs must be IRIs whatever
the names they come from.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, assume, example, given, settings, strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from migkg import dates, populate, reading
from migkg.errors import MigkgError, SourceError
from migkg.reading import Document, _INVISIBLE

_BASE = settings(deadline=None, derandomize=True, database=None, print_blob=False,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large])


def fast(examples: int) -> settings:
    """Fixed examples (derandomized, no example database), so CI sees the same cases every run."""
    return settings(_BASE, max_examples=examples)


SOURCE = "sources/x.txt"
FORMATS = {"text", "scraped-text", "html", "wordpress-json", "rss", "atom"}


# --- the readers --------------------------------------------------------------------------------------

def _read(data: bytes) -> list[Document] | None:
    """Documents, or None when the file is refused; any exception but SourceError fails the test."""
    try:
        docs = reading.read_bytes(data, source_path=SOURCE)
    except SourceError as e:
        assert isinstance(e, MigkgError) and e.path == SOURCE and e.problem
        return None
    _check_documents(docs, data)
    return docs


def _optional(value, kind) -> bool:
    return value is None or isinstance(value, kind)


def _check_documents(docs, data: bytes) -> None:
    assert isinstance(docs, list) and docs
    digest = hashlib.sha256(data).hexdigest()
    for d in docs:
        assert isinstance(d, Document)
        assert isinstance(d.text, str)
        assert d.source_path == SOURCE and d.file_name == "x.txt"
        assert d.format in FORMATS
        assert 0 <= d.body_start <= len(d.text)
        for value in (d.title, d.url, d.language, d.publisher, d.item_id):
            assert _optional(value, str), (d.format, value)
        assert _optional(d.published, dt.date)
        assert d.content_hash == digest + (f"#{d.item_id}" if d.item_id else "")
        if d.dateline is not None:
            assert 0 <= d.dateline.start <= d.dateline.end <= len(d.text)
            assert _optional(d.dateline.date, dt.date)
        # Invisible characters split names and bidi overrides reverse them on screen; whatever the format,
        # including characters written as HTML entities, they never reach the text extraction reads.
        for value in (d.text, d.title or ""):
            assert not _INVISIBLE.search(value), (d.format, value)
        if len(data) <= 4096:
            assert "\x00" not in d.text


@fast(150)
@given(st.binary(max_size=600))
def test_arbitrary_bytes_are_documents_or_a_source_error(data):
    _read(data)


@fast(60)
@given(st.sampled_from([b"%PDF-1.7", b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"\x1f\x8b", b"{\\rtf1", b"\xef\xbb\xbf",
                        b"\xff\xfe", b"\xfe\xff", b"<?xml version='1.0'?>", b"<html>", b"{", b"["]),
       st.binary(max_size=300))
def test_magic_numbers_and_markers_followed_by_junk(head, tail):
    _read(head + tail)


@fast(200)
@given(st.binary(max_size=400))
def test_decode_promises(data):
    try:
        text = reading.decode(data, SOURCE)
    except SourceError:
        return
    assert isinstance(text, str)
    assert "\r" not in text and "\x00" not in text
    assert not _INVISIBLE.search(text)
    assert unicodedata.is_normalized("NFC", text)


# Letters a Western European press release uses; no "Ã"/"â", the lead bytes of UTF-8 read as Windows-1252,
# so ftfy has no mojibake to see.
WESTERN = st.characters(codec="ascii", exclude_categories=("Cc",)) | st.sampled_from(
    list("\n\t éèêàçôûîïüöäßñáíóúÉÈÀÇÑ€’“”–«»°"))
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "cp1252"]


@fast(150)
@given(st.text(WESTERN, max_size=300), st.sampled_from(ENCODINGS))
def test_western_text_round_trips_in_every_encoding(text, encoding):
    assume(text.strip())
    assert reading.decode(text.encode(encoding), SOURCE) == unicodedata.normalize("NFC", text)


# Any text at all, including the invisible characters decode drops and text ftfy may "repair".
ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)) | st.sampled_from(list("\u200b\u2060\ufeff\u202e\u2066\r\n")),
                   max_size=300)


@fast(150)
@given(ANY_TEXT, st.sampled_from(ENCODINGS + ["utf-16-le", "utf-16-be"]))
def test_any_text_in_any_encoding(text, encoding):
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode(encoding, errors="replace")
    _read(data)


@fast(100)
@given(st.text(WESTERN | st.sampled_from(list("\u200b\u2060\u202a\u202e\u2066\u2069")), min_size=1, max_size=200))
def test_mojibake_repair_never_brings_back_invisible_characters(text):
    # UTF-8 that went through Windows-1252 once: the repair must not restore what decode strips.
    try:
        mojibake = text.encode("utf-8").decode("cp1252")
    except UnicodeDecodeError:
        assume(False)
    for data in (mojibake.encode("utf-8"), mojibake.encode("cp1252")):
        try:
            out = reading.decode(data, SOURCE)
        except SourceError:
            continue
        assert not _INVISIBLE.search(out), out


_WORDS = st.sampled_from(["IOM", "UNHCR", "the Government of Ghana", "signed", "a memorandum of understanding",
                          "on", "3 March 2021", "hier", "el 13 de julio de 2012", "Geneva –", "&amp;", "&#x202E;",
                          "&#8203;", "&#0;", "&#13;", "<br>", "<p>", "</p>", "<script>x</script>", "<b>", "é", "\u202e"])
PROSE = st.lists(_WORDS | st.text(max_size=12), max_size=25).map(" ".join)
HTML_TEXT = PROSE | st.text(max_size=80)


@fast(40)
@given(HTML_TEXT, st.lists(HTML_TEXT, max_size=8), HTML_TEXT, st.booleans(), st.sampled_from(["en", "fr", "", "x\"y"]))
def test_html_pages(title, paragraphs, date, escaped, lang):
    esc = escape if escaped else (lambda s: s)
    body = "".join(f"<p>{esc(p)}</p>" for p in paragraphs)
    page = (f'<!DOCTYPE html><html lang="{lang}"><head><title>{esc(title)}</title>'
            f'<meta property="article:published_time" content="{esc(date)}">'
            f'<link rel="canonical" href="{esc(date)}">'
            f'<script type="application/ld+json">{{"@type": "NewsArticle", "datePublished": "{esc(date)}"}}</script>'
            f'</head><body><h1>{esc(title)}</h1><time datetime="{esc(date)}">{esc(date)}</time>{body}'
            f'<p>Published: {esc(date)}</p></body></html>')
    _read(page.encode("utf-8"))


# JSON: any structure, and WordPress-like posts whose fields may have any type.
JSON_SCALAR = st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=False) | HTML_TEXT
JSON = st.recursive(JSON_SCALAR, lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=8), c, max_size=4),
                    max_leaves=12)
DATES = st.dates().map(str) | st.datetimes().map(lambda d: d.isoformat()) | st.text(max_size=25) | st.integers() | st.none()


def _rendered(inner):
    return st.fixed_dictionaries({"rendered": inner}) | inner


POST = st.fixed_dictionaries(
    {"content": st.fixed_dictionaries({"rendered": HTML_TEXT}) | JSON},
    optional={
        "title": _rendered(HTML_TEXT) | JSON,
        "date": DATES, "date_gmt": DATES,
        "id": st.integers() | st.text(max_size=5) | st.none() | JSON,
        "link": st.text(max_size=20) | JSON,
        "guid": _rendered(st.text(max_size=20)) | JSON,
        "yoast_head_json": st.fixed_dictionaries({}, optional={
            "og_locale": st.sampled_from(["en_US", "fr-FR", "es", ""]) | JSON,
            "og_site_name": st.text(max_size=10) | JSON,
            "canonical": st.text(max_size=10) | JSON,
            "schema": st.fixed_dictionaries({"@graph": st.lists(st.fixed_dictionaries({}, optional={
                "@type": st.sampled_from(["NewsArticle", "WebSite", "Person"]) | JSON,
                "datePublished": DATES, "inLanguage": st.sampled_from(["en-GB", "fr"]) | JSON,
                "name": st.text(max_size=10) | JSON, "publisher": JSON,
            }), max_size=3) | JSON}) | JSON,
        }) | JSON,
    })


@fast(150)
@given(JSON)
def test_any_json(value):
    _read(json.dumps(value).encode("utf-8"))


@fast(200)
@given(POST | st.lists(POST, max_size=3))
def test_wordpress_like_posts(value):
    _read(json.dumps(value).encode("utf-8"))


def test_deeply_nested_json_is_a_source_error():
    with pytest.raises(SourceError):
        reading.read_bytes(b"[" * 100_000 + b"]" * 100_000, source_path=SOURCE)


def test_deeply_nested_jsonld_in_a_page_is_ignored():
    page = (b'<html><head><script type="application/ld+json">' + b"[" * 100_000 + b"]" * 100_000 + b"</script></head>"
            b"<body><p>" + b"The International Organization for Migration signed an agreement. " * 5 + b"</p></body></html>")
    assert _read(page)


FEED_TEXT = HTML_TEXT.map(lambda s: s.replace("]]>", ""))
FEED_DATES = st.sampled_from(["Tue, 02 May 2023 00:00:00 +0900", "Mon, 01 Jan 99999999999 00:00:00 GMT",
                              "Fri, 31 Feb 2023 10:00:00 GMT", "2023-13-45T00:00:00Z", "0000-00-00", ""]) \
    | st.text(max_size=30) | st.datetimes().map(lambda d: d.strftime("%a, %d %b %Y %H:%M:%S +0000"))


@fast(60)
@given(st.lists(st.tuples(FEED_TEXT, FEED_TEXT, FEED_DATES, st.text(max_size=10)), max_size=4),
       st.sampled_from(["rss", "atom"]), st.booleans(), FEED_TEXT)
def test_feeds(items, kind, cdata, channel):
    def wrap(s):
        return f"<![CDATA[{s}]]>" if cdata else escape(s)

    if kind == "rss":
        body = "".join(f"<item><title>{escape(t)}</title><guid>{escape(g)}</guid><pubDate>{escape(d)}</pubDate>"
                       f"<description>{wrap(b)}</description></item>" for t, b, d, g in items)
        xml = f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{escape(channel)}</title>' \
              f'<language>{escape(channel[:5])}</language>{body}</channel></rss>'
    else:
        body = "".join(f"<entry><title>{escape(t)}</title><id>{escape(g)}</id><updated>{escape(d)}</updated>"
                       f"<content type=\"html\">{wrap(b)}</content></entry>" for t, b, d, g in items)
        xml = f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>{escape(channel)}</title>{body}</feed>'
    _read(xml.encode("utf-8"))


@fast(60)
@given(st.text(max_size=200))
def test_feed_like_xml_with_random_content(junk):
    _read(f'<?xml version="1.0"?><rss><channel><item>{junk}</item></channel></rss>'.encode("utf-8"))


# --- dates --------------------------------------------------------------------------------------------

_MONTHS = ["January", "Feb", "march", "Sept.", "décembre", "février", "août", "mars", "julio", "septiembre", "enero", "de"]
_WEEKDAYS = ["Monday", "jeudi", "viernes", "Sat"]
_GLUE = [" ", "/", ".", "-", ",", "(", ")", " of ", " de ", " le ", " on ", " el ", "th", "er", "º", "\n"]
DATE_TOKENS = st.sampled_from(_MONTHS + _WEEKDAYS + _GLUE + list(dates._RELATIVE)) \
    | st.integers(0, 40).map(str) | st.integers(1890, 2110).map(str) | st.integers(0, 99999).map(str)
DATE_TEXT = st.lists(DATE_TOKENS, max_size=20).map("".join) \
    | st.tuples(st.integers(0, 40), st.integers(0, 15), st.integers(0, 9999)).map(lambda t: "%d/%d/%d" % t) \
    | st.text(max_size=120)


def _check_match(d, text, lo=0, hi=None):
    hi = len(text) if hi is None else hi
    assert isinstance(d, dates.DateMatch)
    assert lo <= d.start < d.end <= hi, (d, text)
    assert d.kind in ("explicit", "weekday", "relative", "week")
    if d.kind == "explicit":
        assert d.year or d.month, d
        assert d.day is None or d.month, d  # a day without a month is no precision at all
        assert d.year is None or 1900 <= d.year <= 2100
        assert d.month is None or 1 <= d.month <= 12
        if d.day is not None:
            dt.date(d.year or 2000, d.month, d.day)  # a leap day without a year is still a date
        assert d.weekday is None and d.days_before is None
    elif d.kind == "weekday":
        assert d.weekday in range(7) and (d.year, d.month, d.day) == (None, None, None)
    elif d.kind == "relative":
        assert isinstance(d.days_before, int) and d.days_before >= 0
    else:
        assert d.days_before is None


@fast(400)
@given(DATE_TEXT)
def test_find_never_raises_and_matches_are_dates(text):
    found = dates.find(text)
    for d in found:
        _check_match(d, text)
    assert [d.start for d in found] == sorted(d.start for d in found)
    for a, b in zip(found, found[1:]):
        assert a.end <= b.start, (a, b)  # overlapping expressions keep only one reading
    out = dates.invalid(text)
    assert isinstance(out, list) and out == sorted(set(out)) and all(isinstance(s, str) and s for s in out)
    for d in dates.find_years(text):
        assert 0 <= d.start < d.end <= len(text) and 1900 <= d.year <= 2099


@fast(150)
@given(DATE_TEXT, st.integers(0, 130), st.integers(0, 130))
def test_find_in_a_window(text, a, b):
    lo, hi = sorted((min(a, len(text)), min(b, len(text))))
    for d in dates.find(text, lo, hi):
        _check_match(d, text, lo, hi)


@fast(150)
@given(st.integers(0, 40), st.integers(0, 15), st.integers(1890, 2110), st.sampled_from(["%d/%d/%d", "%d.%d.%d", "le %d/%d"]))
def test_impossible_numeric_dates_are_never_found(day, month, year, form):
    text = form % ((day, month, year) if form.count("%d") == 3 else (day, month))
    for d in dates.find(text):
        _check_match(d, text)
    try:
        real = dt.date(year if form.count("%d") == 3 else 2000, month, day)
    except ValueError:
        real = None
    if real is None:
        assert not [d for d in dates.find(text) if d.day]


_DATE_MATCHES = st.one_of(
    st.builds(lambda y, m, d: dates.DateMatch(0, 1, year=y, month=m, day=d),
              st.none() | st.integers(1900, 2100), st.integers(1, 12), st.none() | st.integers(1, 31)),
    st.builds(lambda y: dates.DateMatch(0, 1, year=y), st.integers(1900, 2100)),
    st.builds(lambda w: dates.DateMatch(0, 1, weekday=w, kind="weekday"), st.integers(0, 6)),
    st.builds(lambda n: dates.DateMatch(0, 1, days_before=n, kind="relative"), st.sampled_from(sorted({
        v for v in dates._RELATIVE.values() if v is not None}))),
    st.just(dates.DateMatch(0, 1, kind="week")),
).filter(lambda d: d.day is None or dates._safe_date(d.year or 2000, d.month, d.day))


def _check_resolved(r, published):
    if r is None:
        return
    value, basis = r
    assert basis in ("stated", "derived-from-publication")
    if value.startswith("--"):
        assert re.fullmatch(r"--\d{2}-\d{2}", value)
        dt.date(2000, int(value[2:4]), int(value[5:7]))
    elif len(value) == 10:
        when = dt.date.fromisoformat(value)
        if basis == "derived-from-publication":
            # A date taken from the publication date lies before it, or at most a week after (an announced signing).
            assert (when - published).days <= 7
    elif len(value) == 7:
        assert re.fullmatch(r"\d{4}-\d{2}", value) and 1 <= int(value[5:]) <= 12
    else:
        assert re.fullmatch(r"\d{4}", value), value


@fast(400)
@given(_DATE_MATCHES, st.none() | st.dates())
def test_resolution_against_any_publication_date(match, published):
    # Every date the calendar has, not only plausible ones: a feed or a post may say 0001-01-01 or 9999-12-31.
    _check_resolved(match.resolve(published), published)


@fast(200)
@given(DATE_TEXT, st.none() | st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_found_dates_resolve_to_valid_values(text, published):
    for d in dates.find(text):
        _check_resolved(d.resolve(published), published)


@fast(150)
@given(DATE_TEXT, st.none() | st.dates(), st.none() | st.from_regex(r"\d{4}-\d{2}", fullmatch=True))
def test_dateline_dates(segment, published, year_month):
    from migkg._datelines import _date

    assert _optional(_date(segment, year_month, published), dt.date)


# --- IRIs ---------------------------------------------------------------------------------------------

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|\\^`\x7f-\x9f]')
BASES = st.sampled_from([populate.DEFAULT_BASE, "http://example.org/kg/", "urn:x-migkg:"])
_TRICKY = list("aé É-–—’'  .,/#?%&") + ["\u0301", "\u200b", "ß", "İ", "ǅ", "ﬁ", "K"]  # combining, invisible, casing
NAMES = st.text(max_size=200) | st.text(st.sampled_from(_TRICKY), max_size=200)
# Long organization names, so that word boundaries fall where a slug is cut at 80 characters.
LONG_NAMES = st.lists(st.sampled_from(["International", "Organization", "for", "Migration", "(IOM)", "de", "l’", "Ministère",
                                       "Intérieur", "Secretaría", "Relaciones", "Exteriores", "Bureau", "of", "Population",
                                       "Refugees", "and", "–", "Ghana", "a", "É", "2021"]), min_size=8, max_size=25).map(" ".join)
NAMES = NAMES | LONG_NAMES


def _check_iri(iri: str) -> None:
    node = URIRef(iri)
    assert not _NOT_IN_IRI.search(iri), iri
    g = Graph()
    g.add((node, RDFS.label, Literal("x")))
    back = Graph().parse(data=g.serialize(format="nt"), format="nt")
    assert set(back.subjects()) == {node}


@fast(500)
@given(NAMES)
def test_slug(text):
    s = populate.slug(text)
    assert s == "x" or SLUG.match(s), s
    assert 0 < len(s) <= 80
    assert populate.slug(text) == s


@fast(100)
@given(BASES, NAMES, st.from_regex(r"[A-Z]{2}", fullmatch=True))
def test_minted_iris_are_iris(base, name, code):
    for path in ("organization/" + populate.slug(name), "org/" + populate.slug(name), "event/" + populate.slug(name),
                 f"place/{populate.slug(name)}-{code.lower()}", f"post/unknown/{populate.slug(name)}"):
        _check_iri(base + path)


# Organization keys as the gazetteer and discovery mint them; instruments from the lexicon.
ORG_KEYS = NAMES.map(populate.slug) | st.sampled_from(["iom", "unhcr", "gov-gh", "ministry-gh-interior", "eu"]) \
    | NAMES.map(lambda n: "ministry-xx-" + populate.slug(n))
INSTRUMENTS = st.sampled_from(["agreement", "memorandum-of-understanding", "cooperation-agreement", "framework-agreement",
                               "protocol", "joint-declaration", "letter-of-intent"])
YEARS = st.none() | st.integers(1950, 2030).map(str) \
    | st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2030, 1, 1)).map(str) \
    | st.from_regex(r"--(0[1-9]|1[0-2])-(0[1-9]|1\d|2[0-8])", fullmatch=True)


class _Doc:
    format = "text"

    def __init__(self, n):
        self.content_hash = f"{n:064x}"


# Each record from its own source document, as when the same parties sign twice in a year.
AGREEMENTS = st.lists(st.tuples(st.lists(ORG_KEYS, min_size=1, max_size=3, unique=True), YEARS, INSTRUMENTS,
                                st.booleans(), st.integers(0, 2**32)), min_size=1, max_size=6, unique_by=lambda t: t[4])


def _records(specs):
    from migkg.facts import Span
    from migkg.resolve import AgreementRecord, Claim

    recs = []
    for parties, date, instrument, earlier, n in specs:
        doc = _Doc(n)
        rec = AgreementRecord(parties=tuple(sorted(parties)), sources=[doc],
                              instrument=[Claim(instrument, doc, Span(0, 1))],
                              signed_on=[Claim(date, doc, Span(0, 1))] if date else [])
        if earlier:
            rec.predecessor_of = {0}
        recs.append(rec)
    return recs


@fast(150)
@given(AGREEMENTS, BASES, st.randoms(use_true_random=False))
def test_agreement_iris(specs, base, rnd):
    from migkg.resolve import _mint_slugs

    recs = _records(specs)
    _mint_slugs(recs)
    slugs = [r.slug for r in recs]
    for s in slugs:
        assert SLUG.match(s), s
        _check_iri(base + "agreement/" + s)
        _check_iri(base + "agreement/" + s + "/signing")
    # The same agreements in another order get the same IRIs: they come from parties and year, not source order.
    shuffled = _records(specs)
    order = list(range(len(shuffled)))
    rnd.shuffle(order)
    _mint_slugs([shuffled[i] for i in order])
    assert [r.slug for r in shuffled] == slugs
    assert len(set(slugs)) == len(slugs), slugs


# The characters ftfy's pattern is made of, beside ASCII letters, digits, spaces and punctuation, and runs of
# ASCII of any length: the stretches the quick check reads begin and end inside those runs.
_BADNESS_CHARS = list("ÃÂâ€œ™šž©®°±²³¼½¾×÷ØÙ‚„…†‡ˆ‰‹›ŒœŸ¡¢£¤¥¦§¨ª«¬¯´µ¶·¸¹º»¿àéñÀÉ│┌═░αβЖЯ√≈\xa0\xad")
_MOJIBAKE_PARTS = st.one_of(
    st.text(st.sampled_from(_BADNESS_CHARS + list("aZ1 .-\n")), min_size=1, max_size=8),
    st.text(WESTERN, min_size=1, max_size=20).map(lambda t: t.encode("utf-8").decode("cp1252", errors="replace")),
    st.integers(0, 30).map(lambda n: "a" * n),
)


@fast(500)
@given(st.lists(_MOJIBAKE_PARTS, max_size=10).map("".join))
@example("aβ¦")
@example("xœ ")
@example("œ1")
@example("signÃ© " + "a" * 40 + " café")
def test_quick_mojibake_check_agrees_with_ftfy(text):
    import ftfy

    assert reading._badness_reach()[0] is not None  # the installed ftfy's pattern allows the quick check
    assert reading._mojibake(text) == ftfy.is_bad(text)


@pytest.mark.parametrize("pattern", [r"[é]\b|[ü]", r"(?<=a)[é]|[ü]", r"[é](?=a)|[ü]", r"[é]$|[ü]", r"a|[ü]", r"[é]a*|[ü]"])
def test_the_quick_mojibake_check_searches_whole_texts_for_a_pattern_it_cannot_cut(pattern, monkeypatch):
    import ftfy.badness

    monkeypatch.setattr(ftfy.badness, "BADNESS_RE", re.compile(pattern))
    reading._badness_reach.cache_clear()
    try:
        assert reading._badness_reach()[0] is None
    finally:
        monkeypatch.undo()
        reading._badness_reach.cache_clear()
    assert reading._badness_reach()[0] is not None
