"""The resolve stage: one record per real organization, person and agreement.

Reports of the same signing (same parties, compatible dates and types) become
one agreement that keeps every source's claim. Clustering runs over candidates
sorted by a canonical key, so the result never depends on source order.

Rule for the value lookups show when sources disagree: curated beats extracted;
then the most precise value (a day beats a month-day, a month, a year; a city
beats a country); then the value most sources give; then the smallest value,
so the choice is stable. Every other claim stays in the graph with its source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from .facts import AgreementFact, DocumentFacts, OrgRef, PlaceFact, Span
from .organizations import fold

_COMPATIBLE_TYPES = {"memorandum-of-understanding", "cooperation-agreement", "framework-agreement"}
GENERIC = "agreement"


@dataclass(frozen=True, slots=True)
class Claim:
    """One source's statement of one value, with the passage that supports it."""

    value: object
    doc: object
    span: Span


@dataclass(slots=True)
class PersonRecord:
    key: str
    name: str
    variants: set[str] = field(default_factory=set)
    posts: set[tuple[str | None, str]] = field(default_factory=set)  # (org key, title)
    claims: list[Claim] = field(default_factory=list)


@dataclass(slots=True)
class AgreementRecord:
    slug: str = ""
    parties: tuple[str, ...] = ()
    instrument: list[Claim] = field(default_factory=list)
    status: list[Claim] = field(default_factory=list)
    party_claims: dict[str, list[Claim]] = field(default_factory=dict)
    signed_on: list[Claim] = field(default_factory=list)
    place: list[Claim] = field(default_factory=list)
    signatories: dict[str, list[Claim]] = field(default_factory=dict)  # person key -> claims of (post, behalf)
    themes: dict[str, list[Claim]] = field(default_factory=dict)  # theme slug -> claims of wording
    valid_from: list[Claim] = field(default_factory=list)
    valid_until: list[Claim] = field(default_factory=list)
    builds_on: list[tuple["AgreementRecord", Claim]] = field(default_factory=list)  # (predecessor, claim)
    events: dict[str, list[Claim]] = field(default_factory=dict)
    sources: list[object] = field(default_factory=list)
    predecessor_of: set[int] = field(default_factory=set)  # candidate ids this one precedes
    date_basis: dict[str, str] = field(default_factory=dict)  # date value -> how its source got it


@dataclass(slots=True)
class Resolved:
    organizations: dict[str, OrgRef]
    org_mentions: dict[str, list[Claim]]
    persons: dict[str, PersonRecord]
    agreements: list[AgreementRecord]
    documents: list[object]
    members: dict[str, dict[str, list[Claim]]] = field(default_factory=dict)  # org -> country key -> claims
    offices: dict[tuple[str, str], list[Claim]] = field(default_factory=dict)  # (org, country code) -> claims


def _date_rank(value: str) -> int:
    if value.startswith("--"):
        return 2
    return {10: 4, 7: 1, 4: 0}[len(value)] if len(value) in (10, 7, 4) else 0


def dates_compatible(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return True
    if a.startswith("--") or b.startswith("--"):
        if a.startswith("--") and b.startswith("--"):
            return a == b
        full, md = (b, a) if a.startswith("--") else (a, b)
        return len(full) == 10 and full[5:] == md[2:]
    return a.startswith(b) or b.startswith(a)


def types_compatible(a: str, b: str) -> bool:
    return a == b or GENERIC in (a, b) or (a in _COMPATIBLE_TYPES and b in _COMPATIBLE_TYPES)


def best(claims: list[Claim], rank=lambda v: 0):
    """The value lookups show: curated first, then most precise, then most sources, then smallest."""
    if not claims:
        return None
    tally: dict[object, list[Claim]] = {}
    for c in claims:
        tally.setdefault(c.value, []).append(c)

    def score(item):
        value, cs = item
        curated = any(getattr(c.doc, "format", "") == "curation" for c in cs)
        return (not curated, -rank(value), -len({id(c.doc) for c in cs}), str(value))

    return sorted(tally.items(), key=score)[0][0]


def resolve(facts: list[DocumentFacts], curation: list[dict] | None = None, problems: list[str] | None = None) -> Resolved:
    """Merge the documents' facts into agreements; curated entries on top (with PROBLEMS, faulty ones are skipped there)."""
    orgs: dict[str, OrgRef] = {}
    org_mentions: dict[str, list[Claim]] = {}
    for df in facts:
        for m in df.organizations:
            orgs.setdefault(m.org.key, m.org)
            org_mentions.setdefault(m.org.key, []).append(Claim(m.text, df.document, m.span))
    persons = _persons(facts)
    candidates = _candidates(facts)
    clusters = _cluster(candidates)
    variants = _variants(persons)
    agreements = [_record(group, candidates, variants) for group in clusters]
    _link_predecessors(agreements, clusters)
    _mint_slugs(agreements)
    documents = [df.document for df in facts]
    if curation:
        from .curation import apply

        apply(curation, agreements, documents, problems)
    documents.sort(key=lambda d: d.content_hash)
    members: dict[str, dict[str, list[Claim]]] = {}
    for df in facts:
        for org_key, states in df.members.items():
            for p in states:
                members.setdefault(org_key, {}).setdefault(p.country_code, []).append(Claim(p, df.document, p.span))
    offices: dict[tuple[str, str], list[Claim]] = {}
    for df in facts:
        for org_key, code, span in df.offices:
            offices.setdefault((org_key, code), []).append(Claim(code, df.document, span))
    return Resolved(orgs, org_mentions, persons, sorted(agreements, key=lambda a: a.slug), documents, members, offices)


def person_key(name: str) -> str:
    key = re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")[:80].strip("-")
    if key:
        return key
    # A name in a script folding does not romanise ("李明"): its own hash, so two such people never share an IRI.
    import hashlib

    return "p-" + hashlib.sha256(" ".join(name.split()).encode()).hexdigest()[:12]


def _persons(facts) -> dict[str, PersonRecord]:
    """Merge spelling variants of one person (a first name transliterated two ways) when surname and organization agree."""
    records: dict[str, PersonRecord] = {}
    entries = []
    for df in facts:
        for a in df.agreements:
            for s in a.signatories:
                entries.append((s, df.document))
    entries.sort(key=lambda e: (person_key(e[0].name), e[1].content_hash))
    # Only records with the same surname can be the same person (_same_person), so each entry is compared with
    # those alone, in the order they were made: the same first match as comparing with all, without a pass over
    # every record per signatory (quadratic: 10,000 documents spent most of resolve's 98 s here and below).
    by_surname: dict[str, list[PersonRecord]] = {}
    # Each record's folded name, and its posts by organization (folded), kept beside the records: a common
    # name signs thousands of times, and comparing with it read every post it ever held (20 M comparisons at
    # 30,000 documents).
    words: dict[str, list[str]] = {}
    posts: dict[str, dict[str | None, list[str]]] = {}
    for s, doc in entries:
        surname = _surname(s.name)
        theirs = fold(s.name).split()
        target = next((rec for rec in by_surname.get(surname, ())
                       if _same_person(words[rec.key], posts.get(rec.key, {}), theirs, s)), None)
        if target is None:
            key = person_key(s.name)
            if key not in records:
                records[key] = PersonRecord(key, s.name)
                words[key] = fold(s.name).split()
                by_surname.setdefault(_surname(records[key].name), []).append(records[key])
            target = records[key]
        target.variants.add(s.name)
        if s.post and (s.on_behalf_of, s.post) not in target.posts:
            target.posts.add((s.on_behalf_of, s.post))
            posts.setdefault(target.key, {}).setdefault(s.on_behalf_of, []).append(fold(s.post))
        target.claims.append(Claim(s.name, doc, s.span))
    return records


def _surname(name: str) -> str:
    words = fold(name).split()
    return words[-1] if words else ""


def _same_person(a: list[str], posts: dict, b: list[str], s) -> bool:
    """Same name, or same surname with a close first name *and* the same organization and post: A is a
    record's folded name and POSTS its folded posts by organization, B the folded name of signatory S.
    Two people who only share a surname are never merged."""
    if a == b:
        return True
    if a[-1] != b[-1] or not s.on_behalf_of or not s.post:
        return False
    post = fold(s.post)
    same_post = any(fuzz.token_set_ratio(held, post) >= 85 for held in posts.get(s.on_behalf_of, ()))
    return same_post and (fuzz.ratio(" ".join(a[:-1]), " ".join(b[:-1])) >= 60 or set(a) <= set(b) or set(b) <= set(a))


@dataclass(slots=True)
class _Candidate:
    id: int
    parties: tuple[str, ...]
    instrument: str
    date: str | None
    fact: AgreementFact | None
    doc: object
    predecessor_of: int | None = None
    span: Span | None = None


def _candidates(facts) -> list[_Candidate]:
    raw = []
    for df in facts:
        for a in df.agreements:
            parties = tuple(sorted({m.org.key for m in a.parties}))
            raw.append((parties, a, df.document))
    raw.sort(key=lambda r: (r[0], -_date_rank(r[1].signed_on.value) if r[1].signed_on else 1, r[2].content_hash))
    out: list[_Candidate] = []
    for parties, a, doc in raw:
        main = _Candidate(len(out), parties, a.instrument, a.signed_on.value if a.signed_on else None, a, doc)
        out.append(main)
        for p in a.predecessors:
            out.append(_Candidate(len(out), parties, p.instrument or GENERIC, p.date.value if p.date else None,
                                  None, doc, predecessor_of=main.id, span=p.span))
    return out


def _cluster(cands: list[_Candidate]) -> list[list[int]]:
    clusters: list[list[int]] = []
    # Candidates merge only with the same parties (_can_merge), so each is tried against the clusters of its
    # parties alone, in the order they were made: the same clusters as trying every one, in linear time.
    by_parties: dict[tuple, list[list[int]]] = {}
    for c in cands:
        same = by_parties.setdefault(c.parties, [])
        for group in same:
            if all(_can_merge(c, cands[i], cands) for i in group):
                group.append(c.id)
                break
        else:
            clusters.append([c.id])
            same.append(clusters[-1])
    return clusters


def _can_merge(a: _Candidate, b: _Candidate, cands) -> bool:
    if a.parties != b.parties or a.doc is b.doc and (a.predecessor_of is None) == (b.predecessor_of is None):
        return False
    if a.predecessor_of == b.id or b.predecessor_of == a.id:
        return False
    if (a.predecessor_of is None) != (b.predecessor_of is None):
        # A predecessor mention is the same agreement as a reported one only when both are dated alike.
        if not (a.date and b.date and dates_compatible(a.date, b.date)):
            return False
    elif a.predecessor_of is not None:
        if not (dates_compatible(a.date, b.date) and (a.date or b.date or True)):
            return False
    return dates_compatible(a.date, b.date) and types_compatible(a.instrument, b.instrument)


def _record(group: list[int], cands: list[_Candidate], variants: dict) -> AgreementRecord:
    rec = AgreementRecord(parties=cands[group[0]].parties)
    for i in group:
        c = cands[i]
        if c.doc not in rec.sources:
            rec.sources.append(c.doc)
        if c.predecessor_of is not None:
            rec.predecessor_of.add(c.predecessor_of)
            rec.instrument.append(Claim(c.instrument, c.doc, c.span))
            if c.date:
                rec.signed_on.append(Claim(c.date, c.doc, c.span))
            rec.status.append(Claim("signed", c.doc, c.span))
            for p in c.parties:
                rec.party_claims.setdefault(p, []).append(Claim(p, c.doc, c.span))
            continue
        _add_fact(rec, c.fact, c.doc, variants)
    return rec


def _variants(persons: dict) -> dict[str, str]:
    """Each spelling of a name -> the key of the first person known by it (a scan of every person for every
    signatory was quadratic)."""
    found: dict[str, str] = {}
    for p in persons.values():
        for v in p.variants:
            found.setdefault(v, p.key)
    return found


def _add_fact(rec: AgreementRecord, a: AgreementFact, doc, variants: dict) -> None:
    rec.instrument.append(Claim(a.instrument, doc, a.instrument_span))
    rec.status.append(Claim(a.status, doc, a.status_span))
    for m in a.parties:
        rec.party_claims.setdefault(m.org.key, []).append(Claim(m.org.key, doc, m.span))
    if a.signed_on:
        rec.signed_on.append(Claim(a.signed_on.value, doc, a.signed_on.span))
        rec.date_basis[a.signed_on.value] = a.signed_on.basis
    if a.place:
        rec.place.append(Claim(a.place, doc, a.place.span))
    for s in a.signatories:
        key = variants.get(s.name) or person_key(s.name)
        rec.signatories.setdefault(key, []).append(Claim((s.post, s.on_behalf_of), doc, s.span))
    for t in a.themes:
        rec.themes.setdefault(t.concept, []).append(Claim(t.wording, doc, t.span))
    if a.valid_from:
        rec.valid_from.append(Claim(a.valid_from.value, doc, a.valid_from.span))
    if a.valid_until:
        rec.valid_until.append(Claim(a.valid_until.value, doc, a.valid_until.span))
    for e in a.events:
        rec.events.setdefault(e.name, []).append(Claim(e.name, doc, e.span))


def _link_predecessors(agreements: list[AgreementRecord], clusters: list[list[int]]) -> None:
    owner = {i: n for n, group in enumerate(clusters) for i in group}
    for rec in agreements:
        for cand_id in sorted(rec.predecessor_of):
            successor = agreements[owner[cand_id]]
            claim = rec.instrument[0]
            successor.builds_on.append((rec, claim))


def place_rank(p: PlaceFact) -> int:
    return 1 if p.is_city else 0


def _mint_slugs(agreements: list[AgreementRecord]) -> None:
    """IRIs come from parties and signing year, so they survive rebuilds and source order."""
    base = {}
    for rec in agreements:
        date = best(rec.signed_on, _date_rank)
        year = date[:4] if date and not date.startswith("--") else None
        instrument = best(rec.instrument, lambda v: v != GENERIC)
        stem = "-".join(_short(p) for p in rec.parties)
        earlier_only = bool(rec.predecessor_of) and not rec.signatories and not rec.place and not rec.themes
        base[id(rec)] = (stem, year, "earlier" if earlier_only else instrument)
    counts: dict[tuple, int] = {}
    specific: dict[tuple, int] = {}  # of those, how many are not only an earlier agreement named by another
    for stem, year, instrument in base.values():
        counts[(stem, year)] = counts.get((stem, year), 0) + 1
        specific[(stem, year)] = specific.get((stem, year), 0) + (instrument != "earlier")
    used: dict[str, int] = {}
    ordered = sorted(agreements, key=lambda r: (tuple(str(x) for x in base[id(r)]), min(d.content_hash for d in r.sources)))
    for rec in ordered:
        stem, year, instrument = base[id(rec)]
        slug = stem + (f"-{year}" if year else "")
        if counts[(stem, year)] > 1 and instrument == "earlier":
            slug += "-earlier"
        elif counts[(stem, year)] > 1 and specific[(stem, year)] > 1:  # another, besides this one (counted)
            slug += f"-{instrument}"
        n = used.get(slug, 0)
        used[slug] = n + 1
        rec.slug = slug if n == 0 else f"{slug}-{n + 1}"


def _short(key: str) -> str:
    return key[:40].strip("-")


