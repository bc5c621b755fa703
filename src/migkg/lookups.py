"""Answers for people who do not write SPARQL, computed by the stored queries.

Every function takes `where` to ask: a pyoxigraph Store (the built graph), or a
backend from `querying.backend` (an endpoint, rdflib). It returns plain lists
and dicts. What people type is resolved here: organizations and other entities
by name in any language (`resolve_entity`), themes, GCM objectives, instrument
types and statuses by label, slug or notation (`resolve_concept`); nothing
matching gives "did you mean" suggestions.
"""

from __future__ import annotations

import re

import pyoxigraph as ox

from .errors import UnknownEntity, UsageError
from .folding import fold
from .querying import rows as plain
from .querying import run_terms

VOCAB = "https://w3id.org/migkg/vocab/"
SCHEMES = {"theme": VOCAB + "theme", "gcm": VOCAB + "gcm", "type": VOCAB + "instrument", "status": VOCAB + "status"}
_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def _rows(where, name: str, **bindings) -> list[dict]:
    return plain(run_terms(name, where, **bindings))


def resolve_entity(name: str, where) -> str:
    if name.startswith(("http://", "https://")):
        return name
    table = getattr(where, "names", None)
    if table is not None:
        hits = sorted({iri for iri, _ in table.get(fold(name).strip(), [])})
        names = [(key, iri, shown) for key, pairs in table.items() for iri, shown in pairs] if len(hits) != 1 else []
    else:
        # The common case (an acronym or a label as written) is answered without listing every name.
        hits = sorted({r["entity"] for r in _rows(where, "name-lookup", q=ox.Literal(name))})
        names = [(fold(r["name"]).strip(), r["entity"], r["name"]) for r in _rows(where, "names")] if len(hits) != 1 else []
        if not hits:
            hits = sorted({iri for n, iri, _ in names if n == fold(name).strip()})
    if len(hits) == 1:
        return hits[0]
    if hits:
        raise UnknownEntity(name, [f"{_display(names, h)} <{h}>" for h in hits][:8])
    raise UnknownEntity(name, _close(name, [n for _, _, n in names]))


def _close(name: str, candidates: list[str]) -> list[str]:
    from rapidfuzz import fuzz, process

    choices = {i: fold(c) for i, c in enumerate(candidates)}
    found = process.extract(fold(name), choices, scorer=fuzz.WRatio, limit=8, score_cutoff=70)
    return sorted({candidates[i] for _, _, i in found})[:5]


def _display(names, iri):
    return next((d for _, i, d in names if i == iri), iri)


def resolve_concept(kind: str, text: str, where) -> str:
    """A theme, GCM objective, instrument type or status, from a label (any language), a slug or a notation."""
    if text.startswith(("http://", "https://")):
        return text
    scheme = SCHEMES[kind]
    rows = [r for r in _rows(where, "concepts") if r["scheme"] == scheme]
    wanted = fold(text).strip()
    number = re.fullmatch(r"(?:gcm|objective|objectif|objetivo)?[\s#-]*0*(\d{1,2})", wanted)
    hits = set()
    for r in rows:
        slug = r["concept"].rsplit("/", 1)[-1]
        if wanted in (fold(r["name"]).strip(), slug, fold(r["notation"] or "")):
            hits.add(r["concept"])
        elif kind == "gcm" and number and slug == f"objective-{int(number.group(1)):02d}":
            hits.add(r["concept"])
    if len(hits) == 1:
        return hits.pop()
    if hits:
        raise UnknownEntity(text, sorted(hits))
    raise UnknownEntity(text, _close(text, sorted({r["name"] for r in rows})))


def _filters(where, theme=None, gcm=None, since=None, until=None, type=None, status=None) -> dict:
    out = {}
    for kind, value in (("theme", theme), ("gcm", gcm), ("type", type), ("status", status)):
        if value:
            out[kind] = ox.NamedNode(resolve_concept(kind, value, where))
    for key, value in (("since", since), ("until", until)):
        if value:
            if not _DATE.fullmatch(value):
                raise UsageError(f"--{key} {value!r}: write a date as YYYY, YYYY-MM or YYYY-MM-DD")
            out[key] = ox.Literal(value)
    return out


def agreements(where, *, org=None, theme=None, gcm=None, since=None, until=None, type=None, status=None) -> list[dict]:
    """One object per agreement, in the key layout the README documents, optionally filtered."""
    party = ox.NamedNode(resolve_entity(org, where)) if org else None
    base = {r["agreement"]: r for r in _rows(where, "agreements", org=party,
                                              **_filters(where, theme, gcm, since, until, type, status))}
    out = {iri: {
        "iri": iri, "type": r["typeLabel"], "status": r["agreementStatus"].rsplit("/", 1)[-1],
        "parties": [], "signed_on": _date_or_none(r.get("date")),
        "place": _place(r.get("placeLabel"), r.get("countryLabel")),
        "signatories": [], "themes": [], "valid_from": r.get("validFrom"), "valid_until": r.get("validUntil"),
        "builds_on": [], "sources": [],
    } for iri, r in base.items()}

    def each(query):
        return [r for r in _rows(where, query, org=party) if r["agreement"] in out]

    for r in each("agreement-parties"):
        qid = r["wikidata"].rsplit("/", 1)[-1] if r.get("wikidata") else None
        out[r["agreement"]]["parties"].append({"iri": r["party"], "label": r["label"], "acronym": r.get("acronym"), "wikidata": qid})
    for r in each("agreement-signatories"):
        out[r["agreement"]]["signatories"].append({"name": r["name"], "post": r.get("post"),
                                                 "on_behalf_of": r.get("behalfAcronym") or r.get("behalfLabel")})
    for r in each("agreement-themes"):
        out[r["agreement"]]["themes"].append({"iri": r["theme"], "label": r["label"]})
    for r in each("agreement-links"):
        out[r["agreement"]]["builds_on"].append(r["earlier"])
    for r in each("agreement-sources"):
        out[r["agreement"]]["sources"].append({"iri": r["source"], "url": r.get("url"), "file": r["file"]})
    for a in out.values():
        a["parties"].sort(key=lambda p: p["iri"])
        a["signatories"].sort(key=lambda s: s["name"])
        a["themes"].sort(key=lambda t: t["iri"])
        a["builds_on"].sort()
        a["sources"].sort(key=lambda s: (s["file"], s["iri"]))
    return [out[k] for k in sorted(out)]


def _date_or_none(value: str | None) -> str | None:
    # A day and month without a year is kept in the graph but is not a usable signing date.
    return None if not value or value.startswith("--") else value


def _place(label: str | None, country: str | None) -> str | None:
    if not label:
        return None
    return f"{label}, {country}" if country and country != label else label


def partners(org: str, where, *, theme=None, gcm=None, since=None, until=None, type=None, status=None) -> list[dict]:
    """The partners of ORG, each with the agreements they share, as the filters allow."""
    iri = ox.NamedNode(resolve_entity(org, where))
    found = _rows(where, "partners", org=iri, **_filters(where, theme, gcm, since, until, type, status))
    themes: dict[str, list] = {}
    for r in _rows(where, "agreement-themes", org=iri):
        themes.setdefault(r["agreement"], []).append({"iri": r["theme"], "label": r["label"]})
    out: dict[str, dict] = {}
    for r in found:
        p = out.setdefault(r["partner"], {"iri": r["partner"], "label": r["label"], "acronym": r.get("acronym"), "agreements": []})
        if any(a["iri"] == r["agreement"] for a in p["agreements"]):
            continue
        p["agreements"].append({"iri": r["agreement"], "type": r["typeLabel"], "status": r["agreementStatus"].rsplit("/", 1)[-1],
                                "signed_on": _date_or_none(r.get("date")), "place": _place(r.get("placeLabel"), r.get("countryLabel")),
                                "themes": sorted(themes.get(r["agreement"], []), key=lambda t: t["iri"])})
    for p in out.values():
        p["agreements"].sort(key=lambda a: (a["signed_on"] or "", a["iri"]))
    return sorted(out.values(), key=lambda p: ((p["acronym"] or p["label"]).lower(), p["iri"]))


def timeline(org: str, where, org2: str | None = None) -> list[dict]:
    """Agreements of ORG (with ORG2), oldest first, each with its parties and what it builds on, transitively."""
    first = ox.NamedNode(resolve_entity(org, where))
    second = ox.NamedNode(resolve_entity(org2, where)) if org2 else None
    out = []
    for r in _rows(where, "history", org=first, org2=second):
        out.append({"iri": r["agreement"], "signed_on": _date_or_none(r.get("date")), "type": r["typeLabel"],
                    "status": r["agreementStatus"].rsplit("/", 1)[-1],
                    "parties": sorted(filter(None, (r.get("parties") or "").split("; "))),
                    "builds_on": sorted(filter(None, (r.get("buildsOn") or "").split("; ")))})
    # Undated agreements go first: they are the ones other agreements build on, as far as the sources say.
    return sorted(out, key=lambda a: (a["signed_on"] or "", a["iri"]))


def show(entity: str, where) -> dict:
    """Every fact about an entity, each with the sources and passages that support it."""
    iri = ox.NamedNode(resolve_entity(entity, where))
    # Facts and passages are two queries: a store evaluates an OPTIONAL over every passage as a scan.
    support: dict[tuple, list[dict]] = {}
    for r in _rows(where, "passages", entity=iri):
        support.setdefault((r["subject"], r["property"], r["value"]), []).append(r)
    facts = []
    for r in _rows(where, "describe", entity=iri):
        for p in support.get((r["subject"], r["property"], r["value"]), [{}]):
            facts.append({"property": r["property"], "value": r["value"], "label": r.get("label"), "source": p.get("file"),
                          "quote": p.get("quote"), "curated_by": p.get("curator"), "reason": p.get("reason")})
    alternatives = [{"property": r["property"], "value": r["value"], "label": r.get("label"), "source": r["file"], "quote": r["quote"]}
                    for r in _rows(where, "alternatives", entity=iri)]
    return {"iri": iri.value, "facts": facts, "alternatives": alternatives}


def orgs(where, kind: str | None = None) -> list[dict]:
    rows = _rows(where, "organizations")
    if kind:
        rows = [r for r in rows if fold(kind) in fold(r["kindLabel"] or "")]
    return rows


def themes(where) -> list[dict]:
    return _rows(where, "themes")


def stats(where) -> list[dict]:
    return _rows(where, "stats")
