"""Find organizations in text: the reference set, countries and their governments,
ministries, country offices, and organizations the reference set does not know.

Matching runs on a folded copy of the text (lower case, no accents, one kind of
apostrophe and space) that keeps every character at its offset, so a match in
the folded text is a span in the original.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import yaml

from . import resources
from ._alternation import alternation
from .facts import Mention, OrgRef, Span
from .folding import fold
from .places import countries, country, country_by_code

_ARTICLES = r"(?:(?:the|l'|la|le|les|el|los|las|del|de la|de l'|du|des|d')\s*)?"

_KEYWORDS_EN = ("Organization|Organisation|Council|Centre|Center|Fund|Agency|Commission|Authority|"
                "Programme|Program|Office|Institute|University|Foundation|Association|Network|Bank|"
                "Union|Committee|Secretariat|Federation|Society|Corporation|Company|Alliance|Forum|"
                "Service|Services|Trust|College|School|Academy|Observatory|Partnership|Initiative")
_KEYWORDS_FR_ES = ("Organisation|Conseil|Centre|Fonds|Agence|Commission|Autorité|Programme|Bureau|"
                   "Institut|Université|Fondation|Association|Réseau|Banque|Union|Comité|Organización|"
                   "Consejo|Centro|Fondo|Agencia|Comisión|Autoridad|Programa|Oficina|Instituto|"
                   "Universidad|Fundación|Asociación|Red|Banco|Unión|Observatoire|Observatorio")


@dataclass(frozen=True)
class Gazetteer:
    orgs: dict[str, OrgRef]
    names: dict[str, str]  # folded name -> key
    names_re: re.Pattern  # over folded text
    acronyms: dict[str, str]  # exact acronym -> key
    acronyms_re: re.Pattern | None
    ambiguous: frozenset[str]
    headquarters: dict[str, tuple[str, str]]  # key -> (city, country code)
    entries: dict[str, dict]  # key -> the reference entry as written in the YAML
    fuzzy: dict[str, str | None] = field(default_factory=dict, compare=False)  # _fuzzy_reference's answers


@lru_cache(maxsize=4)
def load(reference_dir: str | None = None) -> Gazetteer:
    path = resources.reference_dir(reference_dir) / "organizations.yaml"
    # libyaml's safe loader where PyYAML was built with it: the same entries, in an eighth of the time (0.09 s),
    # which every process that reads a source or names an organization spends once
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    entries = yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or []  # noqa: S506 - a safe loader
    orgs: dict[str, OrgRef] = {}
    names: dict[str, str] = {}
    acronyms: dict[str, str] = {}
    ambiguous: set[str] = set()
    hq: dict[str, tuple[str, str]] = {}
    for e in entries:
        key = e["key"]
        all_names = [n for n in (e.get("names") or {}).values() if n] + list(e.get("alt_names") or [])
        all_acr = [a for a in (e.get("acronyms") or {}).values() if a]
        for former in e.get("former_names") or []:
            all_names.append(former["name"])
            if former.get("acronym"):
                all_acr.append(former["acronym"])
        head = e.get("headquarters") or {}
        orgs[key] = OrgRef(key=key, name=e["names"]["en"], kind=e["kind"],
                           acronym=(e.get("acronyms") or {}).get("en"), country=head.get("country"),
                           parent=e.get("parent"))
        if head.get("city"):
            hq[key] = (head["city"], head.get("country"))
        for n in all_names:
            if n and len(n) > 3:
                names.setdefault(re.sub(r"\s+", " ", fold(n)).strip(), key)
        for a in all_acr:
            acronyms.setdefault(a, key)
        ambiguous.update(e.get("ambiguous_acronyms") or [])
    names_re = re.compile(rf"(?<![\w-]){alternation(names, any_space=True)}(?![\w])") if names else re.compile(r"(?!)")
    acronyms_re = re.compile(rf"(?<![\w-]){alternation(acronyms)}(?![\w])") if acronyms else None
    return Gazetteer(orgs, names, names_re, acronyms, acronyms_re, frozenset(ambiguous), hq,
                     {e["key"]: e for e in entries})


def _in_caps_run(text: str, s: int, e: int) -> bool:
    """True when the acronym sits among other all-caps words (a banner or menu line)."""
    before = re.findall(r"[^\W\d_]+", text[max(0, s - 30):s])
    after = re.findall(r"[^\W\d_]+", text[e:e + 30])
    neighbours = before[-1:] + after[:1]
    return bool(neighbours) and all(w.isupper() and len(w) > 1 for w in neighbours)


def find(text: str, start: int = 0, end: int | None = None, gazetteer: Gazetteer | None = None) -> list[Mention]:
    """Every organization mention in text[start:end], longest match first, in text order."""
    g = gazetteer or load()
    end = len(text) if end is None else end
    folded = fold(text)
    found: list[Mention] = []
    # Which characters a mention already covers: checking a new one costs its length, not the number of
    # mentions so far (a text naming thousands of organizations stays linear).
    taken = bytearray(len(text) + 1)

    def add(ref: OrgRef, s: int, e: int):
        if any(taken[s:e]):
            return
        taken[s:e] = b"\x01" * (e - s)
        found.append(Mention(ref, Span(s, e), text[s:e]))

    for m in g.names_re.finditer(folded, start, end):
        if any(c.isupper() for c in text[m.start():m.end()]):
            add(g.orgs[g.names[re.sub(r"\s+", " ", m.group(0))]], m.start(), m.end())
    for ref, s, e in _ministries(text, start, end):
        add(ref, s, e)
    for ref, s, e in _discovered(text, start, end, g):
        add(ref, s, e)
    if g.acronyms_re is not None:
        for m in g.acronyms_re.finditer(text, start, end):
            acr = m.group(0)
            if (acr in g.ambiguous or len(acr) <= 2) and _in_caps_run(text, m.start(), m.end()):
                continue
            add(g.orgs[g.acronyms[acr]], m.start(), m.end())
    for ref, s, e in _countries(text, folded, start, end):
        add(ref, s, e)
    return sorted(found, key=lambda x: x.span.start)


@lru_cache(maxsize=512)
def government(code: str) -> OrgRef:
    c = country_by_code(code)
    name = c.name if c else code
    return OrgRef(key=f"gov-{code.lower()}", name=f"Government of {name}", kind="government", country=code)


_GOV_WORDS = r"(?:Government|Gouvernement|Gobierno|Governo|Regierung|State|État|Etat|Estado|Republic|République|República|Kingdom|Royaume|Reino)"


@lru_cache(maxsize=1)
def _country_re() -> re.Pattern:
    names = [n for n in countries() if len(n) > 3]
    return re.compile(rf"(?<![\w-]){alternation(names, any_space=True)}(?![\w-])")


def _countries(text, folded, start, end):
    """Bare country names and 'Government of X': the extractor decides whether one is a party or a place."""
    for m in _country_re().finditer(folded, start, end):
        if not text[m.start()].isupper():
            continue
        c = countries()[re.sub(r"\s+", " ", m.group(0))]
        s = m.start()
        pre = re.search(rf"(?:the\s+|el\s+|la\s+|le\s+|l')?{_GOV_WORDS}\s+(?:of|de|du|del|d')?\s*(?:la\s+|l')?$",
                        text[max(0, s - 40):s], re.I)
        if pre and pre.group(0)[:1].isupper() or (pre and re.match(r"(?:the|el|la|le|l')\s*[A-ZÉ]", pre.group(0))):
            s = s - len(pre.group(0))
        yield government(c.code), s, m.end()


_MINISTRY = re.compile(
    r"(?:(?P<pre>[A-Z][\w-]+(?:'s|’s)\s+)?(?P<head>Ministry|Ministère|Ministerio|Ministério|Department|Secretaría|Secrétariat d'État)"
    r"\s+(?:(?:of|for|de|du|des|de\s+la|del|da|do|dos)\s+|(?:de\s+)?l['’]|d['’])"
    r"(?P<body>[A-ZÀ-Ý][\w'’-]*(?:(?:,\s+|\s+(?:and|of|for|the|et|de|des|du|la|le|les|y|del|e|da|do)\s+|\s+)(?:(?:and|et|y)\s+)?[A-ZÀ-Ý][\w'’-]*)*))"
    r"|(?P<adj>(?!(?:The|A|An|This|That)\s)[A-Z][\w'’-]+(?:'s|’s)?\s+(?:[A-Z][\w-]+\s+){0,3}Ministry)\b"
)


_CUT = re.compile(r"\s+(?:and|et|y|with|avec|con)\s+(?=(?:the\s+|la\s+|le\s+|l'|el\s+)?[A-Z]{2,}\b)")


def _ministries(text, start, end):
    for m in _MINISTRY.finditer(text, start, end):
        s = m.start()
        name = _CUT.split(m.group(0))[0]
        e = s + len(name)
        code = None
        tail = re.match(r"\s+(?:of|de|du|del)\s+(?:the\s+|la\s+|l')?(?:Republic\s+of\s+)?([A-Z][\w-]+(?:\s+[A-Z][\w-]+)?)", text[e:e + 60])
        if tail and country(tail.group(1)):
            e += tail.end()
            name = text[s:e]
        inner = re.search(r"\s+(?:of|de|du|del)\s+(?:the\s+|la\s+|l')?([A-Z][\w-]+(?:\s+[A-Z][\w-]+)?)$", name)
        for w in ([inner.group(1)] if inner else []) + re.findall(r"[A-Z][\w-]+", name):
            c = country(re.sub(r"(?:'s|’s)$", "", w))
            if c:
                code = c.code
                break
        body = m.group("body") or re.sub(r"^\S+(?:'s|’s)\s+|\s*Ministry$", "", m.group("adj") or name)
        body = re.sub(r"\s+(?:of|de|du|del)\s+(?:the\s+|la\s+|l')?(?:Republic\s+of\s+)?[A-Z][\w-]+(?:\s+[A-Z][\w-]+)?$", "", _CUT.split(body)[0]) if code else _CUT.split(body)[0]
        slug = re.sub(r"[^a-z0-9]+", "-", fold(body)).strip("-")[:60]
        key = f"ministry-{(code or 'xx').lower()}-{slug}"
        yield OrgRef(key=key, name=name, kind="government body", country=code,
                     parent=f"gov-{code.lower()}" if code else None), s, e


_DISCOVER = re.compile(
    r"(?P<name>(?:[A-ZÀ-Ý][\w'’&.-]*)(?:\s+(?:(?:of|for|and|on|the|in|de|du|des|la|le|les|et|del|y|para|pour|sur|en|d'|l'|d’|l’)\s*)*[A-ZÀ-Ý][\w'’&.-]*){0,9})"
    r"\s*\((?P<acr>[A-Z][A-Za-z&-]{1,11})\)"
)
_NAMED_UNIVERSITY = re.compile(
    r"(?:[A-Z][\w'’-]+\s+){1,4}(?:University|College|Institute)\b|(?:University|Université|Universidad|Universidade)\s+(?:of|de|del|d')\s+[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)*"
)
_KEYWORD_RE = re.compile(rf"\b(?:{_KEYWORDS_EN}|{_KEYWORDS_FR_ES})\b")
# An article is a word of its own ("La Universidad"), or an elided one ("L'Université"): never the start of a
# word, which would cut "Universidad" to "iversidad" and "African Union" to "frican Union".
_LEADING = re.compile(r"^(?:(?:The|La|Le|Les|El|Los|Las|Un|Une|A)\s+|(?:L'|L’)\s*)+")


_PHRASE = re.compile(
    r"[A-ZÀ-Ý][\w'’&.-]*(?:\s+(?:(?:of|for|on|the|in|de|du|des|la|le|les|del|para|pour|sur|d'|l'|d’|l’)\s*)*[A-ZÀ-Ý][\w'’&.-]*){2,9}"
)
_PREFIX_ORG = re.compile(r"^(?:[A-Z]{2,}\w*|[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*)\s+(?:and|et|y)\s+(?:(?:the|la|le|les|el|l'|l’)\s*)?")


def _discovered(text, start, end, g: Gazetteer):
    """Organizations the reference set does not know, named with a keyword and an acronym,
    plus misspelt reference names found by fuzzy matching."""
    for m in _DISCOVER.finditer(text, start, end):
        raw = m.group("name")
        name = _LEADING.sub("", _PREFIX_ORG.sub("", raw)).strip()
        acr = m.group("acr")
        if not name or not _KEYWORD_RE.search(name) or acr in g.acronyms:
            continue
        ref = _fuzzy_reference(name, g) or OrgRef(key=_slug(name), name=name, kind=_guess_kind(name), acronym=acr)
        s = m.start("name") + raw.index(name)
        yield ref, s, m.end()
        for again in re.finditer(rf"(?<![\w-]){re.escape(acr)}(?![\w])", text[m.end():end]):
            yield ref, m.end() + again.start(), m.end() + again.end()
    for m in _NAMED_UNIVERSITY.finditer(text, start, end):
        name = _LEADING.sub("", m.group(0)).strip()
        ref = _fuzzy_reference(name, g) or OrgRef(key=_slug(name), name=name, kind="academic")
        yield ref, m.end() - len(name), m.end()
    for m in _PHRASE.finditer(text, start, end):
        if _KEYWORD_RE.search(m.group(0)):
            ref = _fuzzy_reference(_LEADING.sub("", m.group(0)), g)
            if ref:
                yield ref, m.start(), m.end()


def _fuzzy_reference(name: str, g: Gazetteer) -> OrgRef | None:
    """Map a misspelt reference name (a 'Commission' for a 'Commissioner') to its entry."""
    from rapidfuzz import fuzz, process

    folded = re.sub(r"\s+", " ", fold(name))
    if folded not in g.fuzzy:  # the same phrases recur across a corpus's documents
        if len(g.fuzzy) >= 100_000:
            g.fuzzy.clear()
        hit = process.extractOne(folded, g.names.keys(), scorer=fuzz.ratio, score_cutoff=90)
        g.fuzzy[folded] = hit[0] if hit else None
    key = g.fuzzy[folded]
    return g.orgs[g.names[key]] if key is not None else None


def _guess_kind(name: str) -> str:
    low = name.lower()
    if re.search(r"universit|college|institut|school|academ", low):
        return "academic"
    if re.search(r"ministr|minist[eè]re|department", low):
        return "government body"
    if re.search(r"intergovernmental|inter-governmental|international (?:centre|center|organi[sz]ation)", low):
        return "intergovernmental organization"
    if re.search(r"bank|company|corporation|ltd|inc\b", low):
        return "company"
    return "NGO"


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")[:60]


# "IOM and Microsoft signed", "l'OIM et Sanofi ont signé": a name coordinated with a known
# organization as the subject of a signing verb is an organization too, though no list knows it.
_CAP = r"[A-ZÀ-Ý][\w&'’.-]*"
_CONJUNCT = re.compile(
    rf"\s*(?:\([^()]{{1,20}}\)\s*)?(?:and|et|y|&)\s+(?:(?:the|la|le|l'|l’|el)\s*)?"
    rf"(?P<name>{_CAP}(?:\s+(?:(?:of|for|de|du|des|del|la|le)\s+)?{_CAP}){{0,5}})"
    r"\s+(?:(?:have|has|ont|a|han|ha)\s+)?(?:signed|sign|inked|concluded|sign[ée]|signent|firmaron|firman|firmó|suscribieron)\b")


def coordinated(text: str, start: int, end: int, known: list[Mention]) -> list[Mention]:
    """Organizations named beside a KNOWN mention as co-subjects of a signing verb in text[start:end]."""
    from .places import city

    out = []
    for m in known:
        if not start <= m.span.start < end:
            continue
        hit = _CONJUNCT.match(text, m.span.end, end)
        if not hit:
            continue
        name, s = hit.group("name"), hit.start("name")
        words = name.split()
        if any(k.span.start < s + len(name) and s < k.span.end for k in known) or country(name) or city(name):
            continue
        # Two or more plain capitalised words with no organization word read as a person ("and John Smith signed").
        if len(words) >= 2 and not _KEYWORD_RE.search(name) and all(w[:1].isupper() and w[1:].islower() for w in words):
            continue
        kind = _guess_kind(name) if _KEYWORD_RE.search(name) else "organization"
        out.append(Mention(OrgRef(key=_slug(name), name=name, kind=kind), Span(s, s + len(name)), name))
    return out
