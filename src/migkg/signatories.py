"""Find the people who sign, their posts, and whom they sign for.

A person is a signatory only where the sentence says so: "signed by P",
"P ... signed", "P, who signed", "P said after signing", "Signing for X was P",
"Firmaron ... P". People "in the presence of", quoted, or acted for
("on behalf of the Chairperson") are not signatories.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .facts import Mention, Span
from .organizations import _KEYWORDS_EN as _ORG_KEYWORDS_EN
from .organizations import _KEYWORDS_FR_ES as _ORG_KEYWORDS_FR_ES

_HONORIFIC = (r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Madam|Madame|Mme|Mlle|M|Sr|Sra|Srta|Dña|Don|Doña|"
              r"H\.\s?E|S\.\s?E|Hon|Rev|Sir|Dame|Lady|Lord)\.?")
_TITLE_WORDS = {
    "director", "directors", "general", "director-general", "secretary", "secretary-general", "executive",
    "deputy", "minister", "commissioner", "representative", "chief", "head", "president", "vice",
    "vice-president", "chairperson", "chair", "chairman", "chairwoman", "ambassador", "regional", "resident",
    "assistant", "under-secretary", "senior", "special", "envoy", "coordinator", "officer", "manager",
    "adviser", "advisor", "rector", "dean", "chancellor", "governor", "mayor", "prime", "foreign", "affairs",
    "country", "mission", "chargé", "high", "acting", "permanent", "first", "lady", "king", "queen",
    "directeur", "directrice", "générale", "général", "adjoint", "adjointe", "ministre", "secrétaire",
    "représentant", "représentante", "président", "présidente", "commissaire", "chef", "ambassadeur",
    "director", "directora", "ministro", "ministra", "canciller", "secretario", "secretaria", "jefe", "jefa",
    "representante", "presidente", "presidenta", "comisionado", "comisionada", "embajador", "embajadora",
    "viceministro", "viceministra", "coordinador", "coordinadora", "alcalde", "alcaldesa",
}
# An initial with its dot is tried first ("Gilbert F. Houngbo"): read as a word, "F" would end the name at the dot.
_NAME_TOKEN = r"(?:[A-Z]\.(?=\s)|[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'’]*(?:[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'’]+)*(?:-[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'’]+)?(?![\w])|[A-Z]\.)"
_PARTICLE = r"(?:de|da|del|van|von|bin|bint|ibn|al|el|la|le|dos|das|du)"
_NAME = rf"{_NAME_TOKEN}(?:\s+(?:{_PARTICLE}\s+)?{_NAME_TOKEN}){{1,7}}"
_PERSON = re.compile(rf"(?<![\w.])(?:(?P<hon>{_HONORIFIC})\s+)?(?P<name>{_NAME})")

# Cues that make the people after them (in the same clause) signatories.
# '??': the cue ends at the first 'by'/'por' after the verb, so a second signatory after it is still one.
_AFTER_CUES = re.compile(
    r"\b(?:signed|inked|initialled|endorsed|concluded)\s+(?:[^.;]{0,80}?\s)??by\b|\bsigning\s+(?:for|on)\b[^.;]{0,60}?\bwas\b"
    r"|\b(?:sign|paraph)[ée]e?s?\s+(?:[^.;]{0,80}?\s)??par\b|\brubricad[oa]s?\s+(?:[^.;]{0,80}?\s)??por\b|\bfirmad[oa]s?\s+(?:[^.;]{0,80}?\s)??por\b|\bsuscrit[oa]s?\s+(?:[^.;]{0,80}?\s)??por\b|^\s*(?:Firmaron|Suscribieron|Signèrent|Signed\s+by)\b"
    r"|\bsignatories\s+(?:were|are|included)\b|\bsignataires\s+(?:étaient|sont)\b", re.I)
# Verbs whose subject (people before them in the clause) signs.
_SUBJECT_VERB = re.compile(
    r"\b(?:signed|sign|inked|put\s+(?:her|his|their)\s+(?:name|names|signatures?)\s+to|put\s+pen\s+to\s+paper|initialled|"
    r"ont\s+sign[ée]|a\s+sign[ée]|signent|signe|firmaron|firmó|firman|suscribieron|suscribió|han\s+firmado|ha\s+firmado)\b", re.I)
_WHO_SIGNED = re.compile(r"^[^.;]{0,200}?,?\s*(?:who|qui|quien|que)\s+(?:signed|a\s+sign[ée]|firmó|signa)\b", re.I)
_AFTER_SIGNING = re.compile(r"\b(?:after|upon|when|while)\s+signing\b|\baprès\s+avoir\s+sign|\btras\s+firmar\b|\bal\s+firmar\b", re.I)
_HARD_EXCLUDE = re.compile(
    r"(?:in\s+the\s+presence\s+of|en\s+pr[ée]sence\s+d[eu']|en\s+presencia\s+de|witnessed\s+by|on\s+behalf\s+of|au\s+nom\s+d[eu']|"
    r"en\s+nombre\s+de|en\s+representaci[óo]n\s+de|thanked|appreciation\s+to|remercié|agradeci[óo])\s*[^;]{0,120}$", re.I)
_SOFT_EXCLUDE = re.compile(r"(?:according\s+to|selon|seg[úu]n|said|declared|a\s+d[ée]clar[ée]|dijo)\s*[^;]{0,120}$", re.I)
_BEHALF = re.compile(r"\b(?:on\s+behalf\s+of|for|au\s+nom\s+d[eu']|pour|en\s+nombre\s+de|por|en\s+representaci[óo]n\s+de)\s+"
                     r"(?:(?:the|la|le|l'|el|del|de|of)\s+|[A-Z][\w-]+\s+(?=(?:of|de|du|del)\s)){0,4}$", re.I)
_NOT_NAME_FIRST = {"the", "a", "an", "la", "el", "le", "les", "los", "las", "un", "une", "this", "these", "our", "its", "their", "his", "her",
                   # a capitalised preposition opens a sentence ("On January 26, 2021, ..."), never a name
                   "on", "in", "at", "during", "after", "before", "since", "until", "from", "with", "following", "under",
                   "en", "dans", "pendant", "après", "avant", "depuis", "avec", "lors", "durante", "tras", "desde", "con",
                   "según", "selon", "ce", "cette", "este", "esta"}
_NOT_NAME_WORDS = {"memorandum", "agreement", "accord", "acuerdo", "convenio", "centre", "center", "council", "organization",
                   "organisation", "ministry", "office", "union", "commission", "programme", "program", "fund", "agency",
                   "university", "plan", "protocol", "conference", "forum", "session", "summit", "project", "process",
                   "development", "relations", "affairs", "resource", "global", "compact", "agenda", "action", "state",
                   "republic", "government", "gobierno", "gouvernement", "nations", "united", "international", "national"}
# ... and every word that makes a name an organization's ("the Gambia Red Cross Society signed" names no person).
_NOT_NAME_WORDS |= {w.lower() for w in (_ORG_KEYWORDS_EN + "|" + _ORG_KEYWORDS_FR_ES).split("|")} - {"red"}
_NAME_BLOCKED_BY = re.compile(r"(?:\b(?:of|for|de|del|des|du|la|le|los|las|en|in|on|at|à|au|to|the|el)\s+|[A-ZÀ-Ý][\w'’-]*\s+(?:and|y|et)\s+)$")


@dataclass(frozen=True)
class Person:
    name: str
    post: str | None
    span: Span
    post_span: Span | None


def people(text: str, start: int, end: int, orgs: list[Mention], places: set[str]) -> list[Person]:
    """People named in text[start:end], with the post written next to them."""
    from . import places as gazetteer

    out: list[Person] = []
    for m in _PERSON.finditer(text, start, end):
        name, ns = _strip_title_words(m.group("name"), m.start("name"))
        while name and (_overlaps_org(ns, ns + len(name.split()[0]), orgs) or _is_place(name.split()[0])) and len(name.split()) > 2:
            cut = len(name.split()[0]) + (len(name) - len(name.split(None, 1)[1]) - len(name.split()[0]))
            name, ns = name[cut:], ns + cut
        if name is None or _overlaps_org(ns, ns + len(name), orgs):
            continue
        # Words already read as someone's post are not a person: "Álvaro Leyva, Ministro de Relaciones Exteriores"
        # holds no second person "Relaciones Exteriores".
        if any(p.post_span and p.post_span.start <= ns < p.post_span.end for p in out):
            continue
        tokens = name.split()
        if len(tokens) < 2 or all(t.isupper() and len(t) > 2 for t in tokens):
            continue
        low = [t.lower().strip(".,") for t in tokens]
        article_ok = low[0] in ("le", "la", "el", "de", "van", "von") and len(tokens) >= 3 and re.search(r",\s*$", text[max(start, ns - 3):ns])
        if (low[0] in _NOT_NAME_FIRST and not article_ok) or low[0] in _TITLE_WORDS or any(t in _NOT_NAME_WORDS for t in low):
            continue
        if gazetteer.city(tokens[0]) is not None and len(tokens) == 2 and len(tokens[1].strip(".")) <= 2:
            continue
        if gazetteer.country(name) or gazetteer.country(tokens[0]) or gazetteer.city(name.rstrip(".")):
            continue
        hon_start = m.start("hon") if m.group("hon") else ns
        hon = re.search(rf"(?:(?:{_HONORIFIC})\s+)+$", text[max(start, hon_start - 20):hon_start])
        if hon:
            hon_start -= len(hon.group(0))
        after_person = out and re.match(r"^\s+(?:and|y|et)\s+$", text[out[-1].span.end:hon_start])
        if m.start("name") == ns and not m.group("hon") and not after_person \
                and _NAME_BLOCKED_BY.search(text[max(start, hon_start - 30):hon_start]) \
                and not re.search(r"\b(?:by|par|por)\s+$", text[max(start, hon_start - 6):hon_start]):
            continue
        lead = _title_lead(text, hon_start, start)
        title_before = text[lead:hon_start]
        post, post_span = _post(text, lead, ns + len(name), end, title_before, orgs)
        out.append(Person(name, post, Span(ns, ns + len(name)), post_span))
    return out


_CONNECTORS = {"in", "to", "for", "of", "the", "de", "du", "des", "del", "en", "au", "aux", "à", "la", "le", "and", "et", "y", "on", "by", "par", "por"}


def _title_lead(text: str, pos: int, floor: int) -> int:
    """Walk back over the title written before a name ('UNHCR Representative in Kenya', 'IOM Deputy Director General')."""
    lead = pos
    cur = pos
    while True:
        m = re.search(r"([\w'’.-]+?)\.?\s+$", text[max(floor, cur - 40):cur])
        if not m:
            return lead
        word = m.group(1)
        bare = re.sub(r"(?:'s|’s)$", "", word)
        cur -= len(m.group(0))
        if (bare.isupper() and len(bare) > 1) or word.lower() in _TITLE_WORDS:
            lead = cur
        elif not (word.lower() in _CONNECTORS or _is_place(bare)):
            return lead


def _strip_title_words(name: str, start: int):
    """'IOM Director General William Lacy Swing' -> 'William Lacy Swing'; 'Luisa María Alcalde' stays whole."""
    tokens = list(re.finditer(r"\S+", name))

    def is_title(t):
        word = t.group(0).strip(",").lower()
        return bool(re.fullmatch(_HONORIFIC, t.group(0).strip(","), re.I)) or word in _TITLE_WORDS or \
            (t.group(0).isupper() and len(t.group(0)) > 1) or word.endswith("'s") or word.endswith("’s")

    cut = 0
    while cut < len(tokens) and is_title(tokens[cut]):
        cut += 1
    last = max((i for i, t in enumerate(tokens) if is_title(t)), default=-1)
    if last >= cut and len(tokens) - last - 1 >= 2:
        cut = last + 1
    rest = tokens[cut:]
    # 'Ministra de Trabajo' leaves 'de Trabajo': a particle opens no name once the title before it is gone.
    while cut and rest and re.fullmatch(_PARTICLE, rest[0].group(0)):
        rest = rest[1:]
    if len(rest) < 2:
        return None, start
    s = rest[0].start()
    return name[s:], start + s


def _is_place(token: str) -> bool:
    from . import places

    token = re.sub(r"(?:'s|’s)$", "", token)
    return places.country(token) is not None


def _overlaps_org(s: int, e: int, orgs: list[Mention]) -> bool:
    return any(s < m.span.end and m.span.start < e for m in orgs)


_POST_AFTER = re.compile(r"^,\s+(?!(?:and|y|et|&)\s)(?P<post>(?:the\s+|la\s+|le\s+|el\s+)?[^,;.()“”\"]{3,140}?)(?=,|\s+who\b|\s+qui\b|\s+quien\b|\.|;|\s+(?:said|signed|a\s+|put)\b)")


def _post(text, pstart, pend, end, title_before, orgs) -> tuple[str | None, Span | None]:
    tb = title_before.strip()
    tb = re.sub(r"^(?:(?:by|par|por|and|et|y|the|la|le|el)\s+)+", "", tb, flags=re.I)
    if tb and any(w.lower().strip(",") in _TITLE_WORDS for w in tb.split()):
        s = pstart + title_before.index(tb)
        return tb.rstrip(","), Span(s, s + len(tb.rstrip(",")))
    after = _POST_AFTER.match(text[pend:min(end + 200, len(text))])
    if after and _looks_like_post(after.group("post")):
        post = re.sub(r"^(?:the|la|le|el)\s+", "", after.group("post").strip())
        s = pend + after.end("post") - len(post)
        return post, Span(s, s + len(post))
    window = text[max(0, pstart - 130):pstart]
    if re.search(r",\s*$", window):
        phrase = _apposed_post(window.rstrip().rstrip(","))
        if phrase:
            post, offset = phrase
            s = pstart - len(window) + offset
            return post, Span(s, s + len(post))
    return None, None


def _apposed_post(window: str):
    """'... la jefa de ACNUR en Panamá' -> the longest tail that starts with a title word."""
    best = None
    # A post can open its sentence too: "... welcomed it. The Minister of Trade, Seedy Keita, signed".
    for m in re.finditer(r"(?:^|[,(;]\s*|[.!?]\s+(?:(?i:the|la|le|el|l'|l’)\s+)?|\b(?:the|la|le|el|l'|l’|a|an|its|his|her|their|su|sa|son)\s+)(?=\S)", window):
        tail = window[m.end():]
        words = re.findall(r"[\w'’-]+", tail)
        if words and words[0].lower() in _TITLE_WORDS and len(words) <= 16:
            best = (tail.strip(), m.end())
    return best


def _looks_like_post(phrase: str) -> bool:
    words = [w.lower().strip(",") for w in re.findall(r"[\w'’-]+", phrase)]
    return bool(words) and any(w in _TITLE_WORDS for w in words[:4]) and len(words) <= 20


def signing(text: str, sentence_start: int, sentence_end: int, persons: list[Person]) -> list[Person]:
    """The persons of one sentence that the sentence says signed."""
    persons = [p for p in persons if sentence_start <= p.span.start < sentence_end]
    if not persons:  # most sentences name nobody: the cues below are long patterns to ask about a sentence
        return []
    sent = text[sentence_start:sentence_end]
    chosen = []
    cue = _AFTER_CUES.search(sent)
    verb = _SUBJECT_VERB.search(sent)
    for p in persons:
        rel_s, rel_e = p.span.start - sentence_start, p.span.end - sentence_start
        if _HARD_EXCLUDE.search(sent[:rel_s]):
            continue
        if _WHO_SIGNED.match(sent[rel_e:]) or _AFTER_SIGNING.search(sent[rel_e:rel_e + 80]):
            chosen.append(p)
            continue
        if _SOFT_EXCLUDE.search(sent[:rel_s]):
            continue
        if cue and cue.end() <= rel_s:
            chosen.append(p)
        elif verb and rel_e <= verb.start() and not re.search(r"[“\"«]", sent[:rel_s]):
            between = sent[rel_e:verb.start()]
            if not re.search(r"\b(?:said|says|dijo|a\s+dit|declared|noted|added|thanked|welcomed)\b", between, re.I):
                chosen.append(p)
    return chosen


def behalf_org(text: str, person: Person, sentence_start: int, sentence_end: int, orgs: list[Mention]) -> Mention | None:
    """An organization named as the one the person signs for: 'for ICMPD', 'on IGAD's side', or in the post."""
    orgs = [m for m in orgs if sentence_start <= m.span.start < sentence_end]
    window_end = min(sentence_end, person.span.end + 200)
    for m in orgs:
        if person.span.end <= m.span.start < window_end:
            lead = text[person.span.end:m.span.start]
            if _BEHALF.search(lead) and not re.search(r"[.;]", lead):
                return m
    for m in orgs:
        if m.span.end <= person.span.start and person.span.start - m.span.end < 120:
            before = text[max(0, m.span.start - 30):m.span.start]
            after = text[m.span.end:person.span.start]
            if re.search(r"\bon\s+(?:the\s+)?$", before, re.I) and re.match(r"^(?:'s|’s)?\s+side\b", after):
                return m
            if re.search(r"\b(?:signing|signed|firmando|signant)\s+(?:for|on\s+behalf\s+of|pour|por|au\s+nom\s+de)\s+(?:the\s+)?$", before, re.I) \
                    and re.search(r"\b(?:was|were|fue|était|:)\b", after):
                return m
    if person.post_span:
        for m in orgs:
            if person.post_span.start <= m.span.start < person.post_span.end + 1:
                return m
    return None
