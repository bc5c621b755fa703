"""One reader per format. Each returns items: dicts of text and metadata for reading._document."""

from __future__ import annotations

import json
import re

from .errors import SourceError
from .reading import clean_html_text, iso_date, json_loads

_MAX_ITEMS = 5000
# Active content where an article has none: a post body served by the REST API carries no script, and an
# iframe or image whose source is javascript: is an injection attempt, never an embed.
_ACTIVE = re.compile(r"<(script|iframe|object|embed)\b|\bsrc\s*=\s*[\"']?\s*javascript:", re.I)


def _active_note(html: str, where: str) -> list[str]:
    found = _ACTIVE.findall(html)
    if not found:
        return []
    kinds = sorted({k.lower() or "javascript: source" for k in found})
    return [f"ignored {len(found)} active element{'s' if len(found) > 1 else ''} in {where} ({', '.join(kinds)}); "
            "never run, never read as text"]


def _join(title: str | None, body: str) -> tuple[str, int]:
    if title and not body.lstrip().startswith(title.strip()):
        return f"{title.strip()}\n\n{body.strip()}", 0
    return body.strip(), 0


def wordpress(text: str, source_path: str) -> list[dict]:
    data = json_loads(text, source_path)
    posts = data if isinstance(data, list) else [data]
    if not posts or not all(isinstance(p, dict) and isinstance(p.get("content"), dict) and isinstance(p["content"].get("rendered"), str)
                            and isinstance(p.get("title") or {}, dict) and isinstance((p.get("title") or {}).get("rendered") or "", str)
                            for p in posts):
        raise SourceError(source_path, "JSON of an unknown shape (not a WordPress REST API post or list of posts)",
                          "give the post as returned by /wp-json/wp/v2/posts, or its HTML page")
    if len(posts) > _MAX_ITEMS:
        raise SourceError(source_path, f"{len(posts)} posts, over the limit of {_MAX_ITEMS}", "split the file")
    return [_post(p) for p in posts]


def _post(p: dict) -> dict:
    title = clean_html_text((p.get("title") or {}).get("rendered") or "") or None
    body = clean_html_text(p["content"]["rendered"])
    text, start = _join(title, body)
    yoast = p.get("yoast_head_json") if isinstance(p.get("yoast_head_json"), dict) else {}
    guid = p.get("guid") if isinstance(p.get("guid"), dict) else {}
    schema = _jsonld_fields(yoast.get("schema") or {})
    lang = schema.get("language") or _locale(yoast.get("og_locale"))
    return {
        "format": "wordpress-json", "text": text, "body_start": start, "title": title,
        "url": _string(p.get("link")) or _string(guid.get("rendered")) or _string(yoast.get("canonical")),
        "published": iso_date(p.get("date") or p.get("date_gmt") or schema.get("published")),
        "language": lang, "publisher": _string(yoast.get("og_site_name")) or _string(schema.get("publisher")),
        "item_id": str(p.get("id")) if p.get("id") is not None else None,
        "notes": _active_note(p["content"]["rendered"], "the post body"),
    }


def _locale(value: str | None) -> str | None:
    return value.split("_")[0].split("-")[0].lower() if isinstance(value, str) and value else None


def _string(value) -> str | None:
    """A JSON field that should be text; any other JSON value (a number, a list, an object) is no value."""
    return value if isinstance(value, str) and value else None


def _jsonld_fields(obj) -> dict:
    """datePublished, inLanguage and publisher from schema.org JSON-LD (a @graph or a node)."""
    nodes = obj.get("@graph", [obj]) if isinstance(obj, dict) else obj if isinstance(obj, list) else []
    nodes = nodes if isinstance(nodes, list) else []
    out: dict = {}
    for node in nodes:
        if not isinstance(node, dict):
            continue
        kinds = node.get("@type") if isinstance(node.get("@type"), list) else [node.get("@type")]
        if any(k in ("Article", "NewsArticle", "BlogPosting", "Report", "WebPage") for k in kinds):
            out.setdefault("published", node.get("datePublished"))
            if node.get("inLanguage"):
                out.setdefault("language", _locale(node.get("inLanguage")))
        if "WebSite" in kinds and node.get("name"):
            out.setdefault("publisher", node.get("name"))
        pub = node.get("publisher")
        if isinstance(pub, dict) and pub.get("name"):
            out.setdefault("publisher", pub["name"])
    return {k: v for k, v in out.items() if isinstance(v, str) and v}


def feed(data: bytes, text: str, source_path: str) -> list[dict]:
    root = re.search(r"<(?:rss|feed|rdf:RDF)\b", text)
    if re.search(r"<!DOCTYPE|<!ENTITY", text[:root.start() if root else len(text)], re.I):
        raise SourceError(source_path, "the feed declares a DOCTYPE or entities (an XML bomb or external-entity attack)",
                          "remove the DOCTYPE; a feed never needs one")
    # Counted before parsing, so a huge feed costs a scan, not a parse.
    items = len(re.findall(r"<(?:item|entry)[\s>]", text))
    if items > _MAX_ITEMS:
        raise SourceError(source_path, f"{items} feed items, over the limit of {_MAX_ITEMS}", "split the feed")
    import feedparser

    parsed = feedparser.parse(text.encode("utf-8"), resolve_relative_uris=False, sanitize_html=False)
    if not parsed.entries:
        raise SourceError(source_path, "an XML file with no feed items", "give an RSS 2.0 or Atom feed, or the article itself")
    if len(parsed.entries) > _MAX_ITEMS:
        raise SourceError(source_path, f"{len(parsed.entries)} feed items, over the limit of {_MAX_ITEMS}", "split the feed")
    channel = parsed.feed
    fmt = "atom" if parsed.version and parsed.version.startswith("atom") else "rss"
    lang = _locale(channel.get("language"))
    out = []
    for e in parsed.entries:
        body_html = (e.get("content") or [{}])[0].get("value") or e.get("summary") or ""
        title = (e.get("title") or "").strip() or None
        text_, start = _join(title, clean_html_text(body_html))
        published = _feed_date(e.get("published") or e.get("updated"))
        out.append({"format": fmt, "text": text_, "body_start": start, "title": title, "url": e.get("link"),
                    "published": published, "language": lang, "publisher": channel.get("title"),
                    "item_id": e.get("id") or e.get("guid") or e.get("link")})
    return out


def _feed_date(raw: str | None):
    """The date as the publisher wrote it (its own time zone), not shifted to UTC."""
    import datetime as dt
    from email.utils import parsedate_tz

    if not raw:
        return None
    parsed = parsedate_tz(raw)
    if parsed:
        try:
            return dt.date(*parsed[:3])
        except (ValueError, OverflowError):  # OverflowError: a year of eleven digits
            return None
    return iso_date(raw)


_VISIBLE = re.compile(r"(?:Updated|Published|Posted|Created|Publi[ée](?:\s+le)?|Mis\s+à\s+jour|Publicado|Actualizado)\s*:?\s*(.{6,40})", re.I)


def _visible_html_date(text: str):
    import datetime as dt
    from . import dates

    plain_text = re.sub(r"<[^>]+>", " ", re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", text))
    for m in _VISIBLE.finditer(plain_text):
        n = re.match(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", m.group(1))
        try:
            if n:
                return dt.date(int(n.group(3)), int(n.group(2)), int(n.group(1)))
            for d in dates.find(m.group(1)):
                if d.year and d.month and d.day:
                    return dt.date(d.year, d.month, d.day)
        except ValueError:
            continue
    return None


def html_page(text: str, source_path: str) -> dict:
    import trafilatura
    from trafilatura.utils import load_html

    tree = load_html(text)  # parsed once: extract() works on its own copy of it
    meta = _page_metadata(tree) if tree is not None else None
    body = trafilatura.extract(tree if tree is not None else text, include_comments=False, include_tables=False,
                               favor_precision=False) or ""
    notes = _active_note("".join(re.findall(r'(?i)\bsrc\s*=\s*["\']?\s*javascript:', text)), "the page")
    if sum(ch.isalpha() for ch in body) < 40:
        # trafilatura finds no article when the markup defeats the parser (nesting past libxml2's depth limit,
        # no block structure): read every text node rather than lose the page.
        inside = re.search(r"(?is)<body\b[^>]*>(.*)", text)
        fallback = clean_html_text(re.sub(r"(?is)<head\b.*?</head\s*>", " ", inside.group(1) if inside else text))
        if sum(ch.isalpha() for ch in fallback) >= 20:
            body = fallback
            notes.append("no article found in the page's structure; read all of its text instead "
                         "(check that what was built comes from the article)")
    jsonld = {}
    for block in re.findall(r'(?is)<script[^>]+application/ld\+json[^>]*>(.*?)</script>', text):
        try:
            jsonld.update({k: v for k, v in _jsonld_fields(json.loads(block)).items() if k not in jsonld})
        except (ValueError, AttributeError, RecursionError):  # RecursionError: "[[[[..." nested past the stack
            continue
    title = (meta.title if meta and meta.title else None)
    lang = _html_lang(text) or jsonld.get("language") or _locale(_meta(text, "og:locale"))
    published = iso_date(_meta(text, "article:published_time")) or iso_date(jsonld.get("published")) \
        or iso_date(_time_tag(text)) or _visible_html_date(text)
    body_text, start = _join(title, body)
    return {"format": "html", "text": body_text, "body_start": start, "title": title,
            "url": _canonical(text) or (meta.url if meta else None), "published": published,
            "language": lang, "publisher": _meta(text, "og:site_name") or jsonld.get("publisher") or (meta.sitename if meta else None),
            "notes": notes}


def _page_metadata(tree):
    """The page's title, address and site name as trafilatura.extract_metadata finds them, without what else it
    looks for (the date, by htmldate's extensive search, the author, categories, tags and licence): a page's
    date is read below, and the rest is not used. That search was two fifths of reading an HTML page."""
    try:
        from trafilatura.metadata import (META_URL, examine_meta, extract_meta_json, extract_sitename, extract_title,
                                          extract_url)
    except ImportError:  # another trafilatura than the one this follows: all of it
        import trafilatura

        return trafilatura.extract_metadata(tree)
    meta = examine_meta(tree)
    try:
        meta = extract_meta_json(tree, meta)
    except Exception:  # noqa: BLE001 - trafilatura's own guard around its JSON-LD reader
        pass
    if not meta.title:
        meta.title = extract_title(tree)
    if not meta.url:
        meta.url = extract_url(tree, None)
    if not meta.sitename:
        meta.sitename = extract_sitename(tree)
    if meta.sitename:
        meta.sitename = meta.sitename.lstrip("@")
        if meta.sitename and "." not in meta.sitename and not meta.sitename[0].isupper():
            meta.sitename = meta.sitename.title()
    elif meta.url:
        found = META_URL.match(meta.url)
        if found:
            meta.sitename = found[1]
    meta.clean_and_trim()
    return meta


def _meta(text: str, prop: str) -> str | None:
    m = re.search(rf'<meta[^>]+(?:property|name)=["\']{re.escape(prop)}["\'][^>]*content=["\']([^"\']+)', text, re.I) or \
        re.search(rf'<meta[^>]+content=["\']([^"\']+)["\'][^>]*(?:property|name)=["\']{re.escape(prop)}["\']', text, re.I)
    return m.group(1).strip() if m else None


def _canonical(text: str) -> str | None:
    m = re.search(r'<link[^>]+rel=["\']canonical["\'][^>]*href=["\']([^"\']+)', text, re.I) or \
        re.search(r'<link[^>]+href=["\']([^"\']+)["\'][^>]*rel=["\']canonical', text, re.I)
    return m.group(1) if m else _meta(text, "og:url")


def _html_lang(text: str) -> str | None:
    m = re.search(r'<html[^>]*\blang=["\']([A-Za-z]{2,3})', text, re.I)
    return m.group(1).lower() if m else None


def _time_tag(text: str) -> str | None:
    m = re.search(r'<time[^>]+datetime=["\']([^"\']+)', text, re.I)
    return m.group(1) if m else None


def plain(text: str) -> dict:
    lines = text.split("\n")
    index, fmt = _headline(lines)
    title = lines[index].strip() if index is not None else None
    offset = sum(len(line) + 1 for line in lines[:index]) if index is not None else 0
    return {"format": fmt, "text": text, "body_start": offset, "title": title or None}


_BANNER = re.compile(r"^(?:press\s+release|communiqu[ée]\s+de\s+presse|comunicado\s+de\s+prensa|news|nacionales|noticias|"
                     r"actualit[ée]s|-\s*ends\s*-|###)$", re.I)


def _is_prose(line: str) -> bool:
    line = line.strip()
    return len(line) >= 40 or (len(line) > 0 and line[-1] in ".!?:;”\"»")


def _candidate(line: str) -> bool:
    from . import dates

    line = line.strip()
    if not (15 <= len(line) <= 180) or line[-1] in ".,;:" or line.isupper() or _BANNER.match(line):
        return False
    found = dates.find(line)
    return not (found and sum(d.end - d.start for d in found) >= len(line) - 12)


def _headline(lines: list[str]) -> tuple[int | None, str]:
    """The headline: the candidate line followed by the most article prose."""
    from ._datelines import looks_like_dateline

    scores = []
    for i, line in enumerate(lines):
        prev = lines[i - 1].strip() if i else ""
        mid_paragraph = len(prev) >= 40 and prev[-1] not in ".!?:;”\"»"
        if mid_paragraph or not _candidate(line) or line.strip()[0].islower() or looks_like_dateline(line):
            continue
        score, j = 0, i + 1
        while j < len(lines):
            nxt = lines[j]
            if not nxt.strip() or (not _is_prose(nxt) and _date_only(nxt)):
                j += 1
                continue
            followed_by_gap = j + 1 >= len(lines) or not lines[j + 1].strip()
            if not _is_prose(nxt) or (_candidate(nxt) and followed_by_gap and len(nxt.strip()) < 120):
                break
            score += len(nxt)
            j += 1
        scores.append((i, score))
    top = max((sc for _, sc in scores), default=0)
    # The earliest line that heads a substantial part of the prose; later ones are subheadings.
    best = next((i for i, sc in scores if sc > 0 and sc >= 0.5 * top), None)
    scraped = best is not None and sum(1 for line in lines[:best] if line.strip() and len(line.strip()) < 40) > 6
    return best, "scraped-text" if scraped else "text"


def _date_only(line: str) -> bool:
    from . import dates

    found = dates.find(line)
    return bool(found) and sum(d.end - d.start for d in found) >= len(line.strip()) - 12
