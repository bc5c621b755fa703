"""HTML for the static site: small functions that return strings, every text escaped.

Sources are scraped web pages, so nothing from the graph reaches the page
unescaped; links are relative so the site works from any static file server.
"""

from __future__ import annotations

from html import escape

STYLE = """
body{font-family:Helvetica,Arial,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;color:#111;line-height:1.45}
header nav a{margin-right:1rem} table{border-collapse:collapse;width:100%} td,th{border-bottom:1px solid #ddd;padding:.3rem;
text-align:left;vertical-align:top} th{width:14rem;font-weight:normal;color:#444} blockquote{margin:.4rem 0 .8rem 1rem;
padding-left:.8rem;border-left:3px solid #0072B2;color:#333} .iri{font-size:.85rem;color:#555;word-break:break-all}
.lang{font-size:.75rem;color:#777} svg{max-width:100%;height:auto}
"""


def e(text) -> str:
    return escape(str(text), quote=True)


def a(href: str | None, text: str, title: str | None = None) -> str:
    if href is None:
        return f"<span title='{e(title)}'>{e(text)}</span>" if title else e(text)
    return f"<a href='{e(href)}'" + (f" title='{e(title)}'" if title else "") + f">{e(text)}</a>"


def page(title: str, body: str, root: str, alternates: str | None = None) -> str:
    """A whole page; ROOT is the relative way up to the site's top ('' or '../')."""
    alt = ""
    if alternates:
        alt = (f"<link rel='alternate' type='text/turtle' href='{e(alternates)}.ttl'>"
               f"<link rel='alternate' type='application/ld+json' href='{e(alternates)}.jsonld'>")
    nav = " ".join(a(root + href, text) for href, text in (
        ("index.html", "Home"), ("by-organization.html", "Organizations"), ("by-theme.html", "Themes"),
        ("by-year.html", "Years"), ("network.html", "Network"), ("ontology.html", "Ontology")))
    return (f"<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'><title>{e(title)} · migkg</title>"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'>{alt}<style>{STYLE}</style></head>\n"
            f"<body><header><nav>{nav}</nav></header>\n<main>\n{body}\n</main></body></html>\n")


def facts_table(rows: list[tuple[str, str]]) -> str:
    """Rows of (property html, value html), already escaped by the caller."""
    if not rows:
        return ""
    return "<table>" + "".join(f"<tr><th>{p}</th><td>{v}</td></tr>" for p, v in rows) + "</table>"


def section(title: str, inner: str) -> str:
    return f"<section><h2>{e(title)}</h2>\n{inner}\n</section>" if inner else ""


def items(entries: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{x}</li>" for x in entries) + "</ul>" if entries else ""


def quote(text: str) -> str:
    return f"<blockquote>{e(' '.join(text.split()))}</blockquote>"
