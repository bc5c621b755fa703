"""The extract stage: from one document's text to the agreements it reports.

The method, in the order the code follows:
1. Keep the article: from the headline to the first closing block ("About X",
   "For more information", "###").
2. Agreement sentences are those with a signing verb or an instrument noun.
   Sentences that speak of an earlier instrument ("building on", "ten years
   after", "the first agreement") describe a predecessor, not this one.
3. Parties come from the strongest evidence available: "between X and Y", then
   a headline naming two organizations, then the organizations of the first
   agreement sentence. Funders, witnesses and places are filtered out.
4. Type, status, date, place, signatories, validity, predecessors, events and
   themes are read from the agreement sentences, each with its span.
"""

from __future__ import annotations

import re

from . import dates, lexicon, organizations, places, sentences, signatories
from .facts import (AgreementFact, DateFact, DocumentFacts, EventFact, Mention, PlaceFact,
                    PredecessorFact, SignatoryFact, Span, ThemeFact)
from .organizations import fold

_SIGN_PAST = (r"signed|have\s+signed|has\s+signed|inked|concluded|sealed|initialled|endorsed|formali[sz]ed|"
              r"put\s+(?:their|her|his)\s+(?:signatures?|names?)\s+to|put\s+pen\s+to\s+paper|entered\s+into|agreed|"
              r"signs?(?=\s+(?:[\w-]+\s+){0,3}(?:mou|agreement|memorandum|deal|pact|plan|accord|protocol|declaration|letter|convention|charter))|"
              r"ont\s+sign[ée]|a\s+sign[ée]|sign[ée]e?s?|signent|signe|conclu|concluent|ont\s+conclu|a\s+conclu|"
              r"firmaron|firmó|firman|firma|firmado|suscribieron|suscribió|suscriben|suscrito|han\s+firmado|celebraron|"
              r"paraph[ée]e?s?|ont\s+paraph[ée]|rubricaron|rubricó|rubricad[oa]s?|assinaram|assinou|unterzeichnet|firmato")
_SIGN_FUTURE = (r"will\s+(?:\w+\s+)?sign|to\s+sign|are\s+to\s+sign|is\s+to\s+sign|will\s+be\s+signed|expected\s+to\s+sign|"
                r"set\s+to\s+sign|signera|signeront|vont\s+signer|va\s+signer|doit\s+signer|firmará|firmarán|van\s+a\s+firmar|"
                r"suscribirán|suscribirá|va\s+a\s+firmar|vamos\s+a\s+firmar|deber[áa]n?\s+firmar|prévoi(?:t|ent)\s+de\s+signer|"
                r"devrai(?:t|ent)\s+signer|doivent\s+signer|ser(?:a|ont)\s+sign[ée]e?s?|ser[áa]n?\s+firmad[oa]s?|will\s+ink")
_FUTURE_RE = re.compile(rf"\b(?:{_SIGN_FUTURE})\b", re.I)
_PAST_RE = re.compile(rf"\b(?:{_SIGN_PAST})\b", re.I)
_SIGNING_NOUN = re.compile(r"\b(?:signing|signature|firma|ceremony|cérémonie|ceremonia)\b", re.I)
# A negation in the same clause before the verb: "no agreement was signed", "did not sign the MoU",
# "n'ont pas signé", "aucun accord n'a été signé", "no se firmó". "not only" is no negation.
SUPPORTED_LANGUAGES = ("en", "fr", "es")  # the languages the rules and the SKOS labels are written for
_NEGATION = re.compile(r"\b(?:no|not(?!\s+only)|never|neither|nor|without|yet\s+to|failed\s+to|pas|aucun|aucune|jamais|"
                       r"ningún|ninguna|ninguno|nunca|sin|não|nenhum|kein|keine|nicht)\b[^,;:()]{0,40}$", re.I)


def _signs(text: str) -> bool:
    """Whether the sentence reports a signing, done or to come, that it does not deny."""
    for rx in (_PAST_RE, _FUTURE_RE):
        for m in rx.finditer(text):
            if not _NEGATION.search(text, 0, m.start()):
                return True
    return False

_PREDECESSOR = re.compile(
    r"\b(?:building\s+on|builds\s+on|built\s+on|following\s+(?:up\s+on\s+)?the|renews?|renewal\s+of|updates?|replaces?|"
    r"years?\s+after|years?\s+(?:ago|earlier)|since\s+(?:their|the)\s+first|first\s+[\w\s-]{0,30}(?:agreement|memorandum|mou)|"
    r"previous|earlier\s+(?:agreement|memorandum)|original\s+agreement|since\s+(?:19|20)\d\d|"
    r"s'appuie\s+sur|fait\s+suite|premier\s+accord|tout\s+premier|précédent|depuis\s+la\s+signature|"
    r"renueva|anterior|primer\s+(?:acuerdo|convenio|memorando)|sobre\s+la\s+base\s+del)\b", re.I)
_END_MARKERS = re.compile(
    r"^\s*(?:about\s+[A-Z]|à\s+propos|acerca\s+de|sobre\s+(?:el|la)\s+[A-Z]|for\s+(?:more|further)\s+information|"
    r"pour\s+(?:plus|de\s+plus)\s+(?:d'|d’)?informations?|para\s+(?:m[aá]s|mayor)\s+informaci[oó]n|media\s+(?:contact|enquiries)|"
    r"contact(?:s)?\s*:|press\s+contact|###|-\s*ends\s*-|—\s*ends|notes?\s+to\s+editors|leave\s+a\s+reply|related\s+(?:news|posts|articles))",
    re.I | re.M)
_EXCLUDE_CONTEXT = re.compile(
    r"(?:(?:funded|financed|backed|supported|sponsored)\s+by|financial\s+(?:backing|support)\s+from|with\s+(?:the\s+)?support\s+(?:of|from)|"
    r"in\s+the\s+presence\s+of|en\s+pr[ée]sence\s+d[eu']?|en\s+presencia\s+de|witnessed\s+by|financ[ée]e?s?\s+par|financiad[oa]s?\s+por|"
    r"channell?ed\s+through|through)\s+(?:[^,.;()]{0,60}?\s)?(?:the\s+|la\s+|le\s+|el\s+|l')?$", re.I)
_LOCATIVE = re.compile(r"(?:\b(?:in|at|from|across|to|à|en|au|aux|dans|desde|a|hacia|within|throughout|of)\s+(?:the\s+)?)$", re.I)
_BETWEEN = re.compile(r"\b(?:between|entre)\b", re.I)
_OFFICE_GAP = re.compile(r"^(?:\s+|-|\s*(?:'s|’s)?\s+(?:office\s+in|mission\s+in)\s+|\s+(?:in|en|au|à|for|pour|para)\s+)$", re.I)


def extract(doc) -> DocumentFacts:
    text = doc.text
    start, end = _article(doc)
    gaz = organizations.load()
    dl = getattr(doc, "dateline", None)
    found = [m for m in organizations.find(text, start, end, gaz)
             if not (dl is not None and dl.start <= m.span.start < dl.end)]
    orgs = _party_candidates(text, _unify_ministries(found))
    offices = _offices(text, found)
    sents = sentences.split(text, start, end)
    extra = [m for m in organizations.coordinated(text, start, end, orgs)  # rare: checked for a denial only when found
             if any(s.start <= m.span.start < s.end and _signs(s.text) for s in sents)]
    if extra:
        orgs = sorted(orgs + extra, key=lambda m: m.span.start)
    instruments = lexicon.instruments()
    folded = fold(text)
    agreements = []
    lead = _agreement_sentences(text, folded, sents, instruments)
    if lead:
        agreement = _agreement(doc, text, folded, sents, lead, orgs, instruments, gaz)
        if agreement is not None:
            agreements.append(agreement)
            agreements.extend(_further_agreements(doc, text, folded, sents, lead, orgs, instruments, gaz, agreement))
    members = _member_states(text, sents, found)
    if _MEMBERS_CUE.search(text, end):
        # "About X" blocks after the article are where member lists usually stand.
        for key, states in _member_states(text, sentences.split(text, end), organizations.find(text, end, len(text), gaz)).items():
            members.setdefault(key, states)
    bad_dates = dates.invalid(text)
    warnings = [f"{', '.join(repr(d) for d in bad_dates[:3])} {'is' if len(bad_dates) == 1 else 'are'} no calendar date; "
                "ignored (correct the source, or set the date in data/curation)"] if bad_dates else []
    return DocumentFacts(document=doc, agreements=agreements, organizations=orgs, members=members, offices=offices,
                         warnings=warnings)


def _offices(text, mentions) -> list[tuple[str, str, Span]]:
    """'IOM Korea', 'OIM-Tunisie', 'la misión de la OIM en Colombia': a country office of a known organization."""
    out = []
    for m, n in zip(mentions, mentions[1:]):
        if m.org.key.startswith(("gov-", "ministry-")) or not n.org.key.startswith("gov-") or not n.org.country:
            continue
        if _OFFICE_GAP.match(text[m.span.end:n.span.start]) and not re.match(r"(?i)(?:the\s+)?(?:government|gouvernement|gobierno)", n.text):
            out.append((m.org.key, n.org.country, Span(m.span.start, n.span.end)))
    return out


_MEMBERS_CUE = re.compile(
    r"\b(?:brings\s+together|whose\s+(?:\w+\s+)?member\s+states\s+are|member\s+states\s+(?:are|include)|comprises|comprising|"
    r"composed\s+of|made\s+up\s+of|dont\s+les\s+(?:\w+\s+)?(?:États|Etats)\s+membres\s+sont|regroupe|réunit|reúne\s+a|"
    r"integrad[oa]\s+por|cuyos\s+(?:\w+\s+)?(?:Estados\s+)?miembros\s+son)\b", re.I)


def _member_states(text, sents, mentions) -> dict[str, list[PlaceFact]]:
    """'ECO ... brings together Afghanistan, Azerbaijan, ...': the member states of an organization."""
    out: dict[str, list[PlaceFact]] = {}
    for s in sents:
        cue = _MEMBERS_CUE.search(s.text)
        if not cue:
            continue
        owner = [m for m in mentions if s.start <= m.span.start < s.start + cue.start() and not m.org.key.startswith("gov-")]
        if not owner:
            continue
        tail_start = s.start + cue.end()
        found = []
        for m in re.finditer(r"[A-ZÀ-Ý][\w'’-]*(?:\s+(?:[A-ZÀ-Ý][\w'’-]*|of|the|and|de|du|del)){0,4}", text[tail_start:s.end]):
            candidate = re.sub(r"^(?:the|and|et|y)\s+|\s+(?:and|et|y)$", "", m.group(0))
            for part in re.split(r"\s+(?:and|et|y)\s+", candidate):
                c = places.country(part)
                if c is not None:
                    a = tail_start + m.start()
                    found.append(PlaceFact(key=_slug(c.name), label=c.name, country_code=c.code, country_label=None,
                                           geonames_id=c.geonames_id, is_city=False, span=Span(a, a + len(m.group(0)))))
        if len(found) >= 2:
            out.setdefault(owner[-1].org.key, []).extend(f for f in found if f.key not in {x.key for x in out.get(owner[-1].org.key, [])})
    return out


def _further_agreements(doc, text, folded, sents, lead, orgs, instruments, gaz, first):
    """Other signings the same text reports: a signing sentence with its own instrument and other parties."""
    def family(keys):
        return {k for k in keys} | {m.org.parent for m in orgs if m.org.key in keys and m.org.parent}

    seen = [family({m.org.key for m in first.parties})]
    zones = _zones(text, lead)
    out = []
    for s in lead:
        if not _PAST_RE.search(s.text) and not _FUTURE_RE.search(s.text):
            continue
        if not any(not _in_zone(a, zones) for _, a, _ in instruments.find(folded, s.start, s.end)):
            continue
        parties = _unique(_party_set(text, s, orgs))
        keys = {m.org.key for m in parties}
        fam = family(keys)
        if len(keys) < 2 or any(fam <= k or k <= fam for k in seen) or any(len(fam & k) >= 2 for k in seen):
            continue
        # An organization named only in the post of a person of the sentence ("signed by X, UNHCR Representative
        # in Kenya, and Y, Principal Secretary of the State Department ...") is that person's, not a party to a
        # further signing: such a sentence tells who signed the agreement already reported.
        posts = [p.post_span for p in signatories.people(text, s.start, s.end, orgs, set()) if p.post_span]
        parties = _unique([m for m in _party_set(text, s, orgs) if not any(ps.start <= m.span.start < ps.end for ps in posts)])
        keys = {m.org.key for m in parties}
        fam = family(keys)
        if len(keys) < 2 or any(fam <= k or k <= fam for k in seen) or any(len(fam & k) >= 2 for k in seen):
            continue
        seen.append(fam)
        extra = _agreement(doc, text, folded, [s], [s], orgs, instruments, gaz, parties=parties)
        if extra is not None:
            out.append(extra)
    return out


def _article(doc) -> tuple[int, int]:
    text = doc.text
    start = getattr(doc, "body_start", 0) or 0
    m = _END_MARKERS.search(text, start + 1)
    end = m.start() if m and m.start() > start + 200 else len(text)
    return start, end


def _unify_ministries(mentions: list[Mention]) -> list[Mention]:
    """'Labour Ministry' and 'Ministry of Labour and Social Protection' of one country are one body: keep the fuller name."""
    ministries = [m for m in mentions if m.org.key.startswith("ministry-")]
    out = []
    for m in mentions:
        if m in ministries:
            words = set(m.org.key.split("-")[2:])
            fuller = [o for o in ministries if o.org.country == m.org.country and words < set(o.org.key.split("-")[2:])]
            if fuller:
                m = Mention(max(fuller, key=lambda o: len(o.org.key)).org, m.span, m.text)
        out.append(m)
    return out


def _party_candidates(text: str, mentions: list[Mention]) -> list[Mention]:
    """Drop countries that are places ('in Ghana') or office locations ('OIM en Bolivia')."""
    out = []
    prev = None
    for i, m in enumerate(mentions):
        nxt = mentions[i + 1] if i + 1 < len(mentions) else None
        if nxt and re.match(r"^(?:'s|’s)\s+$", text[m.span.end:nxt.span.start]):
            prev = m
            continue
        if m.org.key.startswith("gov-") and not re.match(r"(?i)(?:the\s+)?(?:government|gouvernement|gobierno|state|état|estado|el\s+gobierno)", m.text):
            before = text[max(0, m.span.start - 30):m.span.start]
            city_before = re.search(r"([A-ZÀ-Ý][\w'’.-]+(?:\s+[A-ZÀ-Ý][\w'’.-]+)?),\s*$", before)
            in_city = re.search(r"([A-ZÀ-Ý][\w'’-]+\s+(?:de\s+|del\s+|of\s+)?)$", before)
            city_after = re.match(r"\s+City\b", text[m.span.end:m.span.end + 6])
            if _LOCATIVE.search(before) or (prev and _OFFICE_GAP.match(text[prev.span.end:m.span.start])) \
                    or (city_before and places.city(city_before.group(1))) or city_after \
                    or (in_city and places.city(in_city.group(1) + m.text)):
                prev = m
                continue
        out.append(m)
        prev = m
    return out


def _agreement_sentences(text, folded, sents, instruments):
    """Sentences that speak of the signing of an instrument (not of a predecessor)."""
    out = []
    for s in sents:
        has_instrument = any(True for _ in instruments.find(folded, s.start, s.end))
        has_verb = _signs(s.text)
        denied = not has_verb and bool(_PAST_RE.search(s.text) or _FUTURE_RE.search(s.text))
        if (has_instrument and not denied) or (has_verb and _SIGNING_NOUN.search(s.text) is None):
            out.append(s)
    return out


def _mentions_in(orgs, s, e):
    return [m for m in orgs if s <= m.span.start < e]


def _party_set(text, sent, orgs) -> list[Mention]:
    found = []
    for m in _mentions_in(orgs, sent.start, sent.end):
        before = text[sent.start:m.span.start]
        if _EXCLUDE_CONTEXT.search(before[-100:]):
            continue
        found.append(m)
    return found


def _unique(mentions: list[Mention]) -> list[Mention]:
    seen, out = set(), []
    for m in mentions:
        if m.org.key not in seen:
            seen.add(m.org.key)
            out.append(m)
    return out


def _choose_parties(text, sents, lead, orgs, doc) -> list[Mention]:
    signing_leads = lead
    for s in signing_leads[:4]:
        b = _BETWEEN.search(s.text)
        if b:
            after = [m for m in _party_set(text, s, orgs) if m.span.start >= s.start + b.end()]
            if len(_unique(after)) >= 2:
                return _unique(after)[:2] if len(_unique(after)) == 2 else _unique(after)
    title = sents[0] if sents and doc.title and fold(doc.title)[:40] in fold(sents[0].text) else None
    if title is not None:
        in_title = _unique(_party_set(text, title, orgs))
        if len(in_title) >= 2:
            return in_title
    for s in signing_leads[:3]:
        found = _unique(_party_set(text, s, orgs))
        if len(found) >= 2:
            return found
    counts: dict[str, list[Mention]] = {}
    for m in orgs:
        counts.setdefault(m.org.key, []).append(m)
    ranked = sorted(counts.values(), key=lambda ms: (-len(ms), ms[0].span.start))
    return [ms[0] for ms in ranked[:2]] if len(ranked) >= 2 else []


def _zones(text, sents) -> list[tuple[int, int]]:
    """Stretches that speak of an earlier instrument: from the cue to the end of its clause."""
    out = []
    for s in sents:
        for m in _PREDECESSOR.finditer(s.text):
            a = s.start + m.start()
            stop = re.search(r"[,;.]", text[s.start + m.end() + 15:s.end])
            b = s.start + m.end() + 15 + stop.start() if stop else s.end
            out.append((a, b))
    return out


def _in_zone(pos, zones) -> bool:
    return any(a <= pos < b for a, b in zones)


def _prefer_organs(text, lead, parties: list[Mention], orgs) -> list[Mention]:
    """'EU' in a headline and 'the European Commission signed' in the text: the organ is the party."""
    first = next((s for s in lead if s.start > 0 and (_PAST_RE.search(s.text) or _FUTURE_RE.search(s.text))
                  and len(_party_set(text, s, orgs)) >= 2), None)
    if first is None:
        return parties
    organs = {m.org.parent: m for m in _mentions_in(orgs, first.start, first.end) if m.org.parent}
    return _unique([organs.get(p.org.key, p) for p in parties])


def _agreement(doc, text, folded, sents, lead, orgs, instruments, gaz, parties=None) -> AgreementFact | None:
    parties = parties or _prefer_organs(text, lead, _choose_parties(text, sents, lead, orgs, doc), orgs)
    if len(parties) < 2:
        return None
    zones = _zones(text, lead)
    current = lead
    instrument, ispan = _instrument(text, folded, current, zones, instruments)
    status, sspan = _status(current)
    published = getattr(doc, "published", None)
    dateline = getattr(doc, "dateline", None)
    agreement = AgreementFact(parties=parties, instrument=instrument, instrument_span=ispan,
                              status=status, status_span=sspan)
    agreement.signed_on = _signing_date(text, current, published, dateline, zones)
    agreement.place = _signing_place(text, current, dateline, orgs, gaz)
    agreement.signatories = _signatories(text, current, sents, orgs, parties)
    agreement.predecessors = _predecessors(text, folded, lead, instruments, agreement.signed_on)
    if instrument == lexicon.GENERIC_INSTRUMENT:
        for p in agreement.predecessors:
            if p.instrument and p.renewal:
                agreement.instrument = p.instrument
    agreement.valid_from, agreement.valid_until = _validity(text, current, agreement.signed_on, folded, instruments)
    agreement.events = _events(text, current)
    agreement.themes = _themes(text, folded, doc, sents)
    return agreement


def _instrument(text, folded, current, zones, instruments) -> tuple[str, Span]:
    generic = None
    for s in current:
        for slug, a, b in instruments.find(folded, s.start, s.end):
            if _in_zone(a, zones) or re.match(r"\s*:", text[b:b + 3]):
                continue  # "Joint statement: X and Y sign an MoU" labels the release; it is not what was signed
            if slug != lexicon.GENERIC_INSTRUMENT:
                return slug, Span(a, b)
            if generic is None:
                generic = (slug, Span(a, b))
    if generic is not None:
        return _host_country(text, current) or generic
    s = current[0]
    return lexicon.GENERIC_INSTRUMENT, Span(s.start, s.end)


def _host_country(text, current):
    """An unnamed instrument that lets an organization set up its office in the country hosts it."""
    for s in current:
        if re.search(r"\b(?:establish|set\s+up|open|establecer|abrir|établir|ouvrir|installer)\b[^.]{0,60}\b(?:office|headquarters|sede|siège|bureau|oficina)\b", s.text, re.I):
            return "host-country-agreement", Span(s.start, s.end)
    return None


def _status(current) -> tuple[str, Span]:
    for s in current:
        if _PAST_RE.search(s.text) and not _FUTURE_RE.search(s.text):
            return "signed", Span(s.start, s.end)
    for s in current:
        if _FUTURE_RE.search(s.text):
            return "announced", Span(s.start, s.end)
    return "signed", Span(current[0].start, current[0].end)


def _signing_date(text, current, published, dateline, zones) -> DateFact | None:
    dl = (dateline.start, dateline.end) if dateline is not None else None
    # "Quito, 29 de enero de 2024 - ... firmaron hoy": the text's "today" is its own dateline's day, which a feed's
    # or a repost's date (an update, a copy a day later) need not be.
    anchor = dateline.date if dateline is not None and dateline.date is not None else published
    for s in current:
        if re.search(r"\b(?:valid|valable|vigente|vigor|through|until|jusqu|hasta|expire)", s.text, re.I) and not _PAST_RE.search(s.text):
            continue
        for d in dates.find(text, s.start, s.end):
            if dl and dl[0] <= d.start < dl[1]:
                continue
            if _in_validity_clause(text, s.start, d.start) or _in_zone(d.start, zones):
                continue
            resolved = d.resolve(anchor)
            if resolved:
                return DateFact(resolved[0], resolved[1], Span(d.start, d.end))
    if dateline is not None and dateline.date is not None:
        # "Nairobi, 3 March 2021 – X and Y have signed": the report's own date is the signing date.
        for s in current:
            if s.start <= dateline.start < s.end and _PAST_RE.search(text[dateline.end:s.end]):
                return DateFact(dateline.date.isoformat(), "derived-from-publication", Span(dateline.start, dateline.end))
    return None


def _in_validity_clause(text, sent_start, pos) -> bool:
    return bool(re.search(r"(?:valid|valable|vigente|through|until|jusqu'?|hasta|from|to|–|-)\s*(?:the\s+)?$", text[max(sent_start, pos - 25):pos], re.I))


_PLACE_AFTER = re.compile(
    r"\b(?:in|at|à|en|au|a)\s+(?:the\s+city\s+of\s+|la\s+ville\s+de\s+|la\s+ciudad\s+de\s+)?"
    r"(?P<place>[A-ZÀ-Ý][\w'’.-]+(?:[\s-]+(?:de\s+|del\s+|la\s+)?[A-ZÀ-Ý][\w'’.-]+){0,3})")
_HQ = re.compile(
    r"\b(?:at|au|en\s+la)\s+(?:the\s+)?(?:(?P<org1>[\w'’-]+?)(?:'s|’s)?\s+)?(?:headquarters|siège|sede)(?:\s+(?:of|de|du|del|de\s+la|de\s+l'|de\s+l’)\s+(?:the\s+|la\s+|l'|l’)?(?P<org2>[\w'’-]+))?", re.I)


def _signing_place(text, current, dateline, orgs, gaz) -> PlaceFact | None:
    dl = (dateline.start, dateline.end) if dateline is not None else (-1, -1)
    best = None
    for s in current:
        if not (_PAST_RE.search(s.text) or _FUTURE_RE.search(s.text) or _SIGNING_NOUN.search(s.text)):
            continue
        for w_start, w_end in _clause_windows(text, s, orgs):
            for m in _PLACE_AFTER.finditer(text, w_start, w_end):
                if dl[0] <= m.start() < dl[1]:
                    continue
                place = _place(m.group("place"), Span(m.start("place"), m.end("place")))
                city = place is not None and place.is_city and places.country(m.group("place")) is None
                if place and _after_org(text, m.start(), orgs, city=city):
                    continue
                if place and (best is None or (place.is_city and not best.is_city)):
                    best = place
        if best is None:
            for m in _HQ.finditer(text, s.start, s.end):
                org = _org_at(orgs, m, text)
                if org and org.org.key in gaz.headquarters:
                    city_name, code = gaz.headquarters[org.org.key]
                    best = _place(city_name, Span(m.start(), m.end()), code)
        if best is not None and best.is_city:
            return best
    return best


_CLAUSE_MARK = re.compile(
    r"\b(?:to\s+(?!(?:a|an|the|its|their|this)\b)(?=[a-z])|para\s+(?=[a-z])|pour\s+(?=[a-z])|afin|which|that|who|where|whose|qui|que|quien|"
    r"donde|dont|aimed|with\s+the\s+aim|in\s+order|destin[ée]e?s?\s+à|visant|permettant|con\s+el\s+fin|a\s+fin\s+de|destinad[oa]|on\s+(?=[a-z])(?!the\s+(?:margins?|sidelines?))|sur|sobre|regarding|concerning|under\s+which)\b")


def _clause_end(text, s, orgs=(), from_pos: int | None = None) -> int:
    """Where the signing clause ends: places after a purpose or relative clause are not where it was signed.

    A mark inside an organization's name ("Haut-Commissariat des Nations unies pour les réfugiés") ends nothing.
    """
    if from_pos is None:
        verb = _PAST_RE.search(s.text) or _FUTURE_RE.search(s.text) or _SIGNING_NOUN.search(s.text)
        from_pos = verb.end() if verb else 0
    for m in _CLAUSE_MARK.finditer(s.text, from_pos):
        if not any(o.span.start <= s.start + m.start() < o.span.end for o in orgs):
            return s.start + m.start()
    return s.end


def _clause_windows(text, s, orgs) -> list[tuple[int, int]]:
    """The signing clause, and a later one the sentence opens with its own signing verb
    ("... a memorandum focusing on health, signed on 26 November in Nairobi"), unless the sentence
    speaks of an earlier agreement, whose signing place is not this one's."""
    windows = [(s.start, _clause_end(text, s, orgs))]
    if _PREDECESSOR.search(s.text):
        return windows
    verbs = sorted([*_PAST_RE.finditer(s.text), *_FUTURE_RE.finditer(s.text)], key=lambda v: v.start())
    for verb in verbs:
        if s.start + verb.start() >= windows[-1][1]:
            windows.append((s.start + verb.start(), _clause_end(text, s, orgs, verb.end())))
    return windows


def _after_org(text, pos, orgs, city: bool = False) -> bool:
    """'OIM en Bolivia', 'IOM Mission in Ghana' name an office, not a signing place. Right after an
    organization a country is its office, a city where the signing was ("with SADC in Tunis")."""
    if re.search(r"\b(?:mission|office|bureau|oficina|misi[óo]n|representation|delegation|délégation|delegaci[óo]n)\s*$",
                 text[max(0, pos - 30):pos], re.I):
        return True
    return not city and any(0 <= pos - m.span.end <= 2 for m in orgs)


def _org_at(orgs, m, text):
    for mention in orgs:
        if m.start() <= mention.span.start < m.end() + 2:
            return mention
    return None


def _place(name: str, span: Span, code: str | None = None) -> PlaceFact | None:
    name = re.sub(r"[.,]+$", "", name.strip())
    city = places.city(name, code)
    if city is not None:
        country = places.country_by_code(city.country_code)
        return PlaceFact(key=f"{_slug(city.name)}-{city.country_code.lower()}", label=city.name,
                         country_code=city.country_code, country_label=country.name if country else None,
                         geonames_id=city.geonames_id, is_city=True, span=span)
    country = places.country(name)
    if country is not None:
        return PlaceFact(key=_slug(country.name), label=country.name, country_code=country.code,
                         country_label=None, geonames_id=country.geonames_id, is_city=False, span=span)
    return None


def _slug(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(s)).strip("-")


def _signatories(text, current, sents, orgs, parties) -> list[SignatoryFact]:
    party_keys = {p.org.key for p in parties}
    out: list[SignatoryFact] = []
    seen = set()
    place_names = set()
    pending: list[int] = []
    candidates = [s for s in sents if s in current or _PAST_RE.search(s.text) or _FUTURE_RE.search(s.text) or re.search(r"\bsigning\b", s.text, re.I)]
    for s in candidates:
        persons = signatories.people(text, s.start, s.end, orgs, place_names)
        for p in signatories.signing(text, s.start, s.end, persons):
            key = p.name.split()[-1].lower()
            if key in seen:
                continue
            seen.add(key)
            org = signatories.behalf_org(text, p, s.start, s.end, orgs)
            behalf = None
            if org is not None:
                behalf = org.org.key if org.org.key in party_keys else (org.org.parent if org.org.parent in party_keys else None)
                if behalf is None:
                    behalf = next((p.org.key for p in parties if p.org.parent == org.org.key), None)
                if behalf is None and org.org.key.startswith("ministry-"):
                    behalf = next((k for k in party_keys if k == org.org.parent), None)
            if behalf is None and p.post and re.search(r"\b(?:minist|canciller|foreign)", p.post, re.I):
                behalf = next((k for k in party_keys if k.startswith("gov-") or k.startswith("ministry-")), None)
            if behalf is None and re.search(r"\bfor\s+the\s+government\b|\bpour\s+le\s+gouvernement\b|\bpor\s+el\s+gobierno\b", text[s.start:s.end], re.I):
                behalf = next((k for k in party_keys if k.startswith("gov-")), None)
            post = " ".join(p.post.split()) if p.post else None
            if behalf is None:
                pending.append(len(out))
            out.append(SignatoryFact(" ".join(p.name.split()), post, behalf, Span(p.span.start, p.span.end)))
    # Two parties, two signatories, one placed: the other signs for the other party.
    free = [k for k in sorted(party_keys) if k not in {s.on_behalf_of for s in out}]
    if len(pending) == 1 and len(out) == len(party_keys) and len(free) == 1:
        i = pending[0]
        out[i] = SignatoryFact(out[i].name, out[i].post, free[0], out[i].span)
    return out


_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                 "ten": 10, "fifteen": 15, "twenty": 20, "twenty-five": 25, "thirty": 30, "dix": 10, "vingt": 20,
                 "diez": 10, "veinte": 20}


def _predecessors(text, folded, lead, instruments, signed_on) -> list[PredecessorFact]:
    out = []
    for s in lead:
        cue = _PREDECESSOR.search(s.text)
        if not cue:
            continue
        zone = _zones(text, [s])[0]
        near = [(slug, a, b) for slug, a, b in instruments.find(folded, zone[0], zone[1])]
        if not near and not re.search(r"since\s+(?:19|20)\d\d|depuis\s+(?:19|20)\d\d|desde\s+(?:19|20)\d\d", s.text):
            continue
        slug = near[0][0] if near else None
        if slug == lexicon.GENERIC_INSTRUMENT:
            specific = [h for h in near if h[0] != lexicon.GENERIC_INSTRUMENT]
            slug = specific[0][0] if specific else slug
        date = None
        for d in dates.find(text, zone[0], zone[1]):
            if d.kind == "explicit" and d.year:
                r = d.resolve(None)
                date = DateFact(r[0], "stated", Span(d.start, d.end))
                break
        if date is None:
            years = dates.find_years(text, zone[0], zone[1])
            if years:
                y = years[0]
                date = DateFact(f"{y.year:04d}", "stated", Span(y.start, y.end))
        if date is None and signed_on is not None and not signed_on.value.startswith("--"):
            n = re.search(r"\b(\d{1,2}|" + "|".join(_NUMBER_WORDS) + r")\s+years?\s+(?:after|ago|earlier|before)", s.text, re.I)
            if n:
                k = int(n.group(1)) if n.group(1).isdigit() else _NUMBER_WORDS[n.group(1).lower()]
                date = DateFact(f"{int(signed_on.value[:4]) - k:04d}", "derived-from-publication", Span(s.start + n.start(), s.start + n.end()))
        renewal = bool(re.search(r"\b(?:updated|renew|renewed|new|nouvel|nouveau|nuevo|renueva|second|deuxième|segundo)\b", text[s.start:s.end], re.I))
        out.append(PredecessorFact(instrument=slug, date=date, span=Span(s.start, s.end), renewal=renewal))
        break
    return out


def _validity(text, current, signed_on, folded, instruments):
    vfrom = vuntil = None
    for s in current:
        for d in dates.find(text, s.start, s.end):
            lead_in = text[max(s.start, d.start - 40):d.start]
            r = d.resolve(None)
            if r is None:
                continue
            if re.search(r"\b(?:through|until|till|expires?\s+on|jusqu'(?:au|à)|jusqu’(?:au|à)|hasta(?:\s+el)?)\s*$", lead_in, re.I):
                vuntil = DateFact(r[0], "stated", Span(d.start, d.end))
        if re.search(r"\b(?:effective\s+immediately|with\s+immediate\s+effect|enters?\s+into\s+force\s+(?:upon|on)\s+(?:its\s+)?signature|"
                     r"prend\s+effet\s+imm[ée]diatement|entre\s+en\s+vigueur\s+d[èe]s\s+sa\s+signature|entra\s+en\s+vigor\s+(?:a\s+partir\s+de\s+su\s+firma|inmediatamente))", s.text, re.I):
            if signed_on is not None and not signed_on.value.startswith("--"):
                vfrom = DateFact(signed_on.value, "derived-from-publication" if signed_on.basis != "stated" else "stated", signed_on.span)
    if vfrom is None or vuntil is None:
        for s in current:
            span = re.search(r"\b((?:19|20)\d\d)\s*[–—-]\s*((?:19|20)\d\d)\b", s.text)
            if span and int(span.group(2)) >= int(span.group(1)):
                a = Span(s.start + span.start(), s.start + span.end())
                vfrom = vfrom or DateFact(span.group(1), "stated", a)
                vuntil = vuntil or DateFact(span.group(2), "stated", a)
                break
    return vfrom, vuntil


_EVENT = re.compile(
    r"\b(?:on\s+the\s+(?:margins?|sidelines?)\s+of|in\s+the\s+margins?\s+of|during|at\s+the\s+opening\s+of|at|"
    r"en\s+marge\s+d[eu']|lors\s+d[eu']|en\s+el\s+marco\s+de|al\s+margen\s+de|durante)\s+(?:the\s+|la\s+|le\s+|el\s+|l')?"
    r"(?P<event>(?:\d+(?:st|nd|rd|th|e|ème|º)?\s+)?[A-ZÀ-Ý][\w'’-]*(?:\s+(?:(?:of|on|for|the|de|du|des|la|del|sur|in|to\s+prepare|pour\s+préparer)\s+)*[A-ZÀ-Ý0-9][\w'’-]*)*)")
_EVENT_WORD = re.compile(r"\b(?:Session|Summit|Conference|Forum|Meeting|Congress|Assembly|Dialogue|Week|Ministerial|Council|"
                         r"Conférence|Sommet|Réunion|Session|Cumbre|Conferencia|Reunión|Foro|Sesión|Asamblea|Expo|Festival|Symposium)\b", re.I)


def _events(text, current) -> list[EventFact]:
    out = []
    for s in current:
        for m in _EVENT.finditer(text, s.start, s.end):
            name = m.group("event").strip()
            if _EVENT_WORD.search(name) and len(name.split()) >= 1:
                tail = re.match(r"\s+(?:in\s+[A-Z][\w-]+\s+)?to\s+prepare\s+(?:the\s+)?([A-Z][\w'’-]*(?:\s+(?:of|on|for|the)?\s*[A-Z][\w'’-]*)*)", text[m.end("event"):s.end])
                end = m.end("event") + (tail.end() if tail else 0)
                name = re.sub(r"\s+(?:in|à|en)\s+[A-ZÀ-Ý][\w'’-]+$", "", text[m.start("event"):end].strip())
                out.append(EventFact(name, Span(m.start("event"), end)))
    return out


def _themes(text, folded, doc, sents) -> list[ThemeFact]:
    lex = lexicon.themes()
    out: dict[str, ThemeFact] = {}
    for s in sents:
        for slug, a, b in lex.find(folded, s.start, s.end):
            out.setdefault(slug, ThemeFact(slug, text[a:b], Span(a, b)))
    return sorted(out.values(), key=lambda t: t.span.start)
