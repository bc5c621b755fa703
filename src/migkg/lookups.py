"""Answers for people who do not write SPARQL, computed on the embedded store.

Every function takes a pyoxigraph Store and returns plain lists and dicts.
Names are resolved with `resolve_entity`, which accepts an acronym or a name in
any language, or an IRI, and suggests close names when nothing matches.
"""

from __future__ import annotations

import pyoxigraph as ox

from .errors import UnknownEntity
from .organizations import fold
from .querying import load_query

MKG = "https://w3id.org/migkg/ontology#"


def _rows(store, name: str, **bindings) -> list[dict]:
    q = load_query(name)
    subs = {ox.Variable(k): v for k, v in bindings.items() if v is not None}
    return [{v.value: (s[v].value if s[v] is not None else None) for v in sols.variables}
            for sols in [store.query(q.text, use_default_graph_as_union=True, substitutions=subs)] for s in sols]


def _names(store) -> list[tuple[str, str, str]]:
    """(folded name, IRI, display name) for every organization, person, place and agreement label."""
    return [(fold(r["name"]).strip(), r["entity"], r["name"]) for r in _rows(store, "names")]


def resolve_entity(name: str, store) -> str:
    if name.startswith(("http://", "https://")):
        return name
    wanted = fold(name).strip()
    names = _names(store)
    hits = sorted({iri for n, iri, _ in names if n == wanted})
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        raise UnknownEntity(name, [f"{_display(names, h)} <{h}>" for h in hits][:8])
    from rapidfuzz import fuzz, process

    close = process.extract(wanted, {i: n for i, (n, _, _) in enumerate(names)}, scorer=fuzz.WRatio, limit=5, score_cutoff=70)
    raise UnknownEntity(name, sorted({names[i][2] for _, _, i in close}))


def _display(names, iri):
    return next((d for _, i, d in names if i == iri), iri)


def agreements(store) -> list[dict]:
    """One object per agreement, in the key layout the README documents."""
    base = {r["agreement"]: r for r in _rows(store, "agreements")}
    out = {iri: {
        "iri": iri, "type": r["typeLabel"], "status": r["status"].rsplit("/", 1)[-1],
        "parties": [], "signed_on": _date_or_none(r.get("date")),
        "place": _place(r.get("placeLabel"), r.get("countryLabel")),
        "signatories": [], "themes": [], "valid_from": r.get("validFrom"), "valid_until": r.get("validUntil"),
        "builds_on": [], "sources": [],
    } for iri, r in base.items()}
    for r in _rows(store, "agreement-parties"):
        if r["agreement"] in out:
            qid = r.get("wikidata").rsplit("/", 1)[-1] if r.get("wikidata") else None
            out[r["agreement"]]["parties"].append({"iri": r["org"], "label": r["label"], "acronym": r.get("acronym"), "wikidata": qid})
    for r in _rows(store, "agreement-signatories"):
        if r["agreement"] in out:
            out[r["agreement"]]["signatories"].append({"name": r["name"], "post": r.get("post"),
                                                     "on_behalf_of": r.get("behalfAcronym") or r.get("behalfLabel")})
    for r in _rows(store, "agreement-themes"):
        if r["agreement"] in out:
            out[r["agreement"]]["themes"].append({"iri": r["theme"], "label": r["label"]})
    for r in _rows(store, "agreement-links"):
        if r["agreement"] in out:
            out[r["agreement"]]["builds_on"].append(r["earlier"])
    for r in _rows(store, "agreement-sources"):
        if r["agreement"] in out:
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


def partners(org: str, store, *, theme=None, gcm=None, since=None, until=None, type=None, status=None) -> list[dict]:
    iri = resolve_entity(org, store)
    rows = _rows(store, "partners", org=ox.NamedNode(iri))
    wanted = {a["iri"]: a for a in agreements(store)}
    out: dict[str, dict] = {}
    for r in rows:
        a = wanted.get(r["agreement"])
        if a is None or not _keep(a, store, theme, gcm, since, until, type, status):
            continue
        p = out.setdefault(r["partner"], {"iri": r["partner"], "label": r["label"], "acronym": r.get("acronym"), "agreements": []})
        p["agreements"].append({k: a[k] for k in ("iri", "type", "status", "signed_on", "place", "themes")})
    for p in out.values():
        p["agreements"].sort(key=lambda a: (a["signed_on"] or "", a["iri"]))
    return sorted(out.values(), key=lambda p: (p["acronym"] or p["label"]).lower())


def _keep(a, store, theme, gcm, since, until, type_, status) -> bool:
    if type_ and fold(type_) not in fold(a["type"]):
        return False
    if status and a["status"] != status:
        return False
    if since and not (a["signed_on"] and a["signed_on"] >= since):
        return False
    if until and not (a["signed_on"] and a["signed_on"][:len(until)] <= until):
        return False
    if theme and not any(fold(theme) in fold(t["label"]) or t["iri"].endswith("/" + theme) for t in a["themes"]):
        return False
    if gcm:
        number = "".join(ch for ch in gcm if ch.isdigit()).zfill(2)
        objectives = {r["gcm"].rsplit("-", 1)[-1] for r in _rows(store, "agreement-gcm", agreement=ox.NamedNode(a["iri"]))}
        if number not in objectives:
            return False
    return True


def show(entity: str, store) -> dict:
    """Every fact about an entity, each with the sources and passages that support it."""
    iri = resolve_entity(entity, store)
    facts = []
    for r in _rows(store, "describe", entity=ox.NamedNode(iri)):
        facts.append({"property": r["property"], "value": r["value"], "label": r.get("label"),
                      "source": r.get("file"), "quote": r.get("quote"), "curated_by": r.get("curator"), "reason": r.get("reason")})
    alternatives = [{"property": r["property"], "value": r["value"], "label": r.get("label"), "source": r["file"], "quote": r["quote"]}
                    for r in _rows(store, "alternatives", entity=ox.NamedNode(iri))]
    return {"iri": iri, "facts": facts, "alternatives": alternatives}


def orgs(store, kind: str | None = None) -> list[dict]:
    rows = _rows(store, "organizations")
    if kind:
        rows = [r for r in rows if fold(kind) in fold(r["kindLabel"] or "")]
    return rows


def themes(store) -> list[dict]:
    return _rows(store, "themes")


def stats(store) -> list[dict]:
    return _rows(store, "stats")
