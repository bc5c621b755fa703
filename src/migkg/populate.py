"""The populate stage: resolved records -> an RDF dataset with provenance.

Graphs: `graph/reference` (organizations, people, posts, places),
`graph/agreements` (the resolved agreements and their signing),
`graph/vocabularies` (the SKOS schemes the data points into), and one graph per
source document holding its description and the Web Annotation passages behind
every claim it makes. The union of all graphs is the merged view.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass

from rdflib import XSD, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, RDFS, SKOS

from . import lexicon, merged, organizations, places
from .facts import PlaceFact, Span
from .resolve import Claim, Resolved, best, place_rank, _date_rank
from .vocab import BASE as VOCAB_BASE
from .vocab import MKG, OA, SCHEMA

DEFAULT_BASE = "https://w3id.org/migkg/"


def check_base(base: str | None) -> str:
    """BASE as IRIs are minted under it, or DEFAULT_BASE. It must end in '/': the IRI shapes match paths after one."""
    from .errors import UsageError

    if not base:
        return DEFAULT_BASE
    if not re.fullmatch(r"https?://[^\s<>\"{}|^`\\#?]+/", base):
        raise UsageError(f"base IRI {base!r}: give an absolute http(s) IRI ending in '/', without spaces, '#' or '?' "
                         "(e.g. https://example.org/migkg/)")
    return base


KIND_CLASS = {
    "intergovernmental organization": MKG.IntergovernmentalOrganization,
    "UN agency": MKG.UNAgency,
    "regional organization": MKG.RegionalOrganization,
    "government": MKG.Government,
    "government body": MKG.GovernmentBody,
    "NGO": MKG.NGO,
    "academic": MKG.AcademicInstitution,
    "company": MKG.Company,
}
_DATATYPE = {10: XSD.date, 7: XSD.gYearMonth, 4: XSD.gYear}
# The terms of every passage, looked up once: a namespace's attribute is a call into rdflib's __getattr__, and a
# build writes some ten of these a passage, a million passages at 100,000 documents.
_TYPE, _SUBJECT, _PREDICATE, _OBJECT = RDF.type, RDF.subject, RDF.predicate, RDF.object
_EVIDENCE, _GENERATED_BY, _HAS_TARGET, _HAS_SOURCE, _HAS_SELECTOR = (
    MKG.Evidence, PROV.wasGeneratedBy, OA.hasTarget, OA.hasSource, OA.hasSelector)
_SPECIFIC_RESOURCE, _QUOTE_SELECTOR, _POSITION_SELECTOR = OA.SpecificResource, OA.TextQuoteSelector, OA.TextPositionSelector
_EXACT, _PREFIX, _SUFFIX, _START, _END = OA.exact, OA.prefix, OA.suffix, OA.start, OA.end
_NON_NEGATIVE = XSD.nonNegativeInteger


def date_literal(value: str) -> Literal:
    if value.startswith("--"):
        return Literal(value, datatype=XSD.gMonthDay)
    return Literal(value, datatype=_DATATYPE[len(value)])


def slug(text: str) -> str:
    # Stripped again after the cut, which can end on a hyphen; slugs that were already valid do not change.
    return re.sub(r"[^a-z0-9]+", "-", organizations.fold(text)).strip("-")[:80].rstrip("-") or "x"


class _Writer:
    def __init__(self, resolved: Resolved, base: str, ontology_graph: Graph | None, manifest: dict | None = None,
                 in_rdflib: bool = False):
        self.manifest = manifest or {}
        self.r = resolved
        self.base = base
        self.ds = merged.InRdflib() if in_rdflib else merged.Graphs()  # see merged.py
        self.ref = self.ds.graph(URIRef(base + "graph/reference"))
        self.agr = self.ds.graph(URIRef(base + "graph/agreements"))
        self.gaz = organizations.load()
        self.ontology_graph = ontology_graph
        self.docs: dict[URIRef, object] = {}  # source IRI -> the document read
        # Organizations, places and concepts are named by thousands of facts each: one term object apiece, not
        # one per fact, in the merged graphs and in the passages waiting for their sources' graphs.
        self.nodes: dict[str, URIRef] = {}
        self.pending: dict[URIRef, list] = {}  # source IRI -> (subject, predicate, object, claim) of each passage

    def iri(self, path: str) -> URIRef:
        return URIRef(self.base + path)

    def vocab(self, path: str) -> URIRef:
        # Concepts belong to the published schemes in ontology/, whatever base the data is minted under.
        return self._interned(VOCAB_BASE + "vocab/" + path)

    def _interned(self, iri: str) -> URIRef:
        node = self.nodes.get(iri)
        if node is None:
            node = self.nodes[iri] = URIRef(iri)
        return node

    # --- sources and passages ---------------------------------------------------
    def source_iri(self, doc) -> URIRef:
        return self.iri("source/" + doc.content_hash.split("#")[0][:16] + (
            "-" + hashlib.sha256(doc.item_id.encode()).hexdigest()[:8] if doc.item_id else ""))

    def extraction_iri(self, doc) -> URIRef:
        return self.iri("extraction/" + str(self.source_iri(doc))[len(self.base) + len("source/"):])

    def source(self, doc) -> None:
        """Note DOC as a source. Its graph is written by source_graph once every fact is known, one source at a
        time: the merged graphs never hold the passages, which are most of the triples."""
        s = self.source_iri(doc)
        if s not in self.docs:  # the same bytes read twice (two paths, one content) are one source
            self.docs[s] = doc
            self.pending[s] = []

    def evidence(self, subject, predicate, obj, claim: Claim) -> None:
        self.source(claim.doc)
        self.pending[self.source_iri(claim.doc)].append((subject, predicate, obj, claim))

    def source_iris(self) -> list[URIRef]:
        return sorted(self.docs)

    def source_digest(self, s: URIRef) -> str:
        """A digest of everything source S's graph is made of (source_graph): the document, its manifest entry,
        the software, and each fact's subject, predicate, object and span. Equal digests, equal graphs, for
        the same code: what a build's cache of the sources' dump parts is keyed by."""
        doc = self.docs[s]
        origin = self.manifest.get(doc.file_name) or {}
        h = hashlib.sha256(repr((str(s), str(self.software), doc.file_name, doc.format, doc.content_hash, doc.item_id,
                                 doc.title, doc.url, str(doc.published), doc.language, doc.publisher,
                                 str(origin.get("url")), str(origin.get("added")), str(origin.get("licence")))).encode())
        # One string for all the facts, each term as its kind and text (n3() checked every IRI again: most
        # of the digest's time, which a first build spends before its workers start).
        rows, docs = [], {}
        for subject, predicate, obj, claim in self.pending[s]:
            d = claim.doc
            about = docs.get(id(d))
            if about is None:
                about = docs[id(d)] = repr((d.format, d.publisher, d.title, str(d.published)))
            kind = f"L{obj.datatype or ''}@{obj.language or ''}" if isinstance(obj, Literal) else "I"
            rows.append(f"{subject}\t{predicate}\t{kind}\t{obj}\t{claim.span.start}\t{claim.span.end}\t{about}")
        h.update(repr(rows).encode())  # repr: a tab or a line end inside a literal stays apart from the separators
        return h.hexdigest()

    def source_graph(self, s: URIRef, g=None):
        """The graph of source S, added to G (a graph, or anything with add((s, p, o))) or else returned as a
        list of triples: its description, the activity that read it, and the passages behind its facts."""
        g = g if g is not None else _Triples()
        doc = self.docs[s]
        g.add((s, RDF.type, MKG.SourceDocument))
        # The passages of a source were generated by reading that source, not by the build as a whole: so a
        # source's graph depends on that source and what was resolved from it, never on the other sources.
        act = self.extraction_iri(doc)
        g.add((act, RDF.type, PROV.Activity))
        g.add((act, PROV.used, s))
        g.add((act, PROV.wasAssociatedWith, self.software))
        g.add((s, MKG.fileName, Literal(doc.file_name)))
        g.add((s, MKG.format, Literal(doc.format)))
        g.add((s, MKG.contentHash, Literal(doc.content_hash.split("#")[0])))
        if doc.item_id:
            g.add((s, MKG.itemId, Literal(doc.item_id)))
        if doc.title:
            g.add((s, DCTERMS.title, Literal(doc.title, lang=doc.language) if doc.language else Literal(doc.title)))
        if doc.url:
            g.add((s, MKG.url, Literal(doc.url, datatype=XSD.anyURI)))
        if doc.published:
            g.add((s, DCTERMS.issued, Literal(doc.published.isoformat(), datatype=XSD.date)))
        if doc.language:
            g.add((s, DCTERMS.language, Literal(doc.language)))
        if doc.publisher:
            g.add((s, DCTERMS.publisher, Literal(doc.publisher)))
        origin = self.manifest.get(doc.file_name) or {}
        if origin.get("url"):
            g.add((s, MKG.retrievedFrom, Literal(origin["url"], datatype=XSD.anyURI)))
        if origin.get("added"):
            g.add((s, DCTERMS.dateSubmitted, Literal(str(origin["added"]), datatype=XSD.date)))
        if origin.get("licence"):
            g.add((s, DCTERMS.rights, Literal(origin["licence"])))
        passages: set = set()
        for subject, predicate, obj, claim in self.pending[s]:
            self._evidence(g, s, subject, predicate, obj, claim, passages)
        return g

    def _evidence_node(self, src: URIRef, subject, predicate, obj, claim: Claim) -> tuple[URIRef, int, int]:
        doc = claim.doc
        start, end = (claim.span.start, claim.span.end) if doc.format == "curation" else _passage(doc.text, claim.span)
        key = "|".join([str(src), str(subject), str(predicate), str(obj), str(start), str(end)])
        return self.iri("evidence/" + hashlib.sha256(key.encode()).hexdigest()[:16]), start, end

    def statements(self) -> dict:
        """Each evidence node's rdf:subject, rdf:predicate and rdf:object triples, by predicate, as the source
        graphs hold them: what the merged graphs' screen reads of the sources, without writing their graphs."""
        out: dict = {_SUBJECT: [], _PREDICATE: [], _OBJECT: []}
        subjects, predicates, objects = out.values()
        for src in self.source_iris():
            for subject, predicate, obj, claim in self.pending[src]:
                ev = self._evidence_node(src, subject, predicate, obj, claim)[0]
                subjects.append((ev, _SUBJECT, subject))
                predicates.append((ev, _PREDICATE, predicate))
                objects.append((ev, _OBJECT, obj))
        return out

    def passages_of(self, sources=None):
        """(source, subject, predicate, object, claim) of every passage of SOURCES (default: all), as their
        graphs will hold them: what a rebuild's screen (validate_delta) searches for the statements it needs,
        without minting every evidence IRI."""
        for src in self.source_iris() if sources is None else sorted(set(sources) & set(self.docs)):
            for subject, predicate, obj, claim in self.pending[src]:
                yield src, subject, predicate, obj, claim

    def evidence_iri(self, src: URIRef, subject, predicate, obj, claim: Claim) -> URIRef:
        return self._evidence_node(src, subject, predicate, obj, claim)[0]

    def _evidence(self, g: Graph, src: URIRef, subject, predicate, obj, claim: Claim, passages: set) -> None:
        doc = claim.doc
        ev, start, end = self._evidence_node(src, subject, predicate, obj, claim)
        g.add((ev, _TYPE, _EVIDENCE))
        g.add((ev, _GENERATED_BY, self.extraction_iri(doc)))
        g.add((ev, _SUBJECT, subject))
        g.add((ev, _PREDICATE, predicate))
        g.add((ev, _OBJECT, obj))
        g.add((ev, _HAS_TARGET, self.passage(g, doc, src, start, end, passages)))
        if doc.format == "curation":
            g.add((ev, MKG.curatedBy, Literal(doc.publisher)))
            g.add((ev, MKG.reason, Literal(doc.title)))
            if doc.published:
                g.add((ev, DCTERMS.created, Literal(doc.published.isoformat(), datatype=XSD.date)))

    def passage(self, g: Graph, doc, src: URIRef, start: int, end: int, passages: set) -> URIRef:
        """The passage START..END of a source, described once however many facts it supports: a sentence
        typically gives three or four (the parties, the instrument, the date), and a target and two selectors
        for each would be two thirds of the graph."""
        target = URIRef(f"{src}/passage/{start}-{end}")
        if target in passages:
            return target
        passages.add(target)
        quote, pos = URIRef(target + "/quote"), URIRef(target + "/position")
        g.add((target, _TYPE, _SPECIFIC_RESOURCE))
        g.add((target, _HAS_SOURCE, src))
        g.add((target, _HAS_SELECTOR, quote))
        g.add((target, _HAS_SELECTOR, pos))
        g.add((quote, _TYPE, _QUOTE_SELECTOR))
        g.add((quote, _EXACT, Literal(doc.text[start:end])))
        g.add((quote, _PREFIX, Literal(doc.text[max(0, start - 32):start])))
        g.add((quote, _SUFFIX, Literal(doc.text[end:end + 32])))
        g.add((pos, _TYPE, _POSITION_SELECTOR))
        g.add((pos, _START, Literal(start, datatype=_NON_NEGATIVE)))
        g.add((pos, _END, Literal(end, datatype=_NON_NEGATIVE)))
        return target

    def fact(self, graph, s, p, o, claims) -> None:
        graph.add((s, p, o))
        for c in claims:
            self.evidence(s, p, o, c)

    # --- entities ---------------------------------------------------------------
    def org(self, key: str) -> URIRef:
        if self.base + "org/" + key in self.nodes:  # described by the first call, before any other can name it
            return self.nodes[self.base + "org/" + key]
        node = self._interned(self.base + "org/" + key)
        ref = self.r.organizations.get(key) or self.gaz.orgs.get(key)
        entry = self.gaz.entries.get(key, {})
        kind = ref.kind if ref else "NGO"
        self.ref.add((node, RDF.type, KIND_CLASS.get(kind, MKG.Organization)))
        name = (entry.get("names") or {}).get("en") or (ref.name if ref else key)
        self.ref.add((node, RDFS.label, Literal(name, lang="en")))
        for lang, n in sorted((entry.get("names") or {"en": name}).items()):
            if n:
                self.ref.add((node, SKOS.prefLabel, Literal(n, lang=lang)))
        for lang, a in sorted((entry.get("acronyms") or {}).items()):
            if a:
                self.ref.add((node, MKG.acronym, Literal(a, lang=lang)))
        if ref and ref.acronym and not entry:
            self.ref.add((node, MKG.acronym, Literal(ref.acronym, lang="en")))
        for alt in entry.get("alt_names") or []:
            self.ref.add((node, SKOS.altLabel, Literal(alt, lang="en")))
        for former in entry.get("former_names") or []:
            self.ref.add((node, MKG.formerName, Literal(former["name"], lang="en")))
        if entry.get("wikidata"):
            self.ref.add((node, SCHEMA.sameAs, URIRef("http://www.wikidata.org/entity/" + entry["wikidata"])))
        hq = entry.get("headquarters") or {}
        if hq.get("city"):
            city = places.city(hq["city"], hq.get("country"))
            if city:
                self.ref.add((node, MKG.headquarters, self.city(city.name, city.country_code, city.geonames_id)))
        if ref and ref.country and kind in ("government", "government body"):
            c = places.country_by_code(ref.country)
            if c:
                self.ref.add((node, MKG.country, self.country(c.code)))
        parent = ref.parent if ref else None
        if parent and parent != key:
            self.ref.add((node, ORG.subOrganizationOf, self.org(parent)))
        return node

    def country(self, code: str) -> URIRef:
        c = places.country_by_code(code)
        node = self._interned(self.base + "place/" + slug(c.name))
        if (node, RDF.type, MKG.Place) not in self.ref:
            self.ref.add((node, RDF.type, MKG.Place))
            self.ref.add((node, RDFS.label, Literal(c.name, lang="en")))
            if c.geonames_id:
                self.ref.add((node, SCHEMA.sameAs, URIRef(f"https://sws.geonames.org/{c.geonames_id}/")))
        return node

    def city(self, name: str, code: str, geonames_id: int | None) -> URIRef:
        node = self._interned(f"{self.base}place/{slug(name)}-{code.lower()}")
        if (node, RDF.type, MKG.Place) not in self.ref:
            self.ref.add((node, RDF.type, MKG.Place))
            self.ref.add((node, RDFS.label, Literal(name, lang="en")))
            self.ref.add((node, MKG.country, self.country(code)))
            if geonames_id:
                self.ref.add((node, SCHEMA.sameAs, URIRef(f"https://sws.geonames.org/{geonames_id}/")))
        return node

    def place(self, p: PlaceFact) -> URIRef:
        if p.is_city:
            return self.city(p.label, p.country_code, p.geonames_id)
        return self.country(p.country_code)


class _Triples(list):
    """A source's triples as a list: nothing asks a source graph what it holds while it is written."""

    add = list.append


_SENTENCE_END = re.compile(r"\. |\.\n|\n\n")


def _passage(text: str, span: Span) -> tuple[int, int]:
    """Widen a span to its sentence, so the quote reads as the passage that supports the fact."""
    start = max(text.rfind("\n\n", 0, span.start), max((text.rfind(p, 0, span.start) for p in (". ", ".\n", "? ", "! ")), default=-1))
    start = start + 2 if start >= 0 else 0
    found = _SENTENCE_END.search(text, span.end)  # the first of them: one scan, not one to the end for each
    end = found.start() + 1 if found else len(text)
    start = min(start, span.start)
    end = max(end, span.end)
    while start < end and text[start].isspace():
        start += 1
    return start, min(end, len(text))


def populate(resolved: Resolved, *, base: str = DEFAULT_BASE, ontology_graph: Graph | None = None,
             manifest: dict | None = None) -> Dataset:
    """Every graph, merged and per source, in one dataset."""
    parts = populate_parts(resolved, base=base, ontology_graph=ontology_graph, manifest=manifest, in_rdflib=True)
    for s in parts.sources:
        parts.source_graph(s, parts.merged.graph(s))
    return parts.merged.dataset()


@dataclass
class Parts:
    """The merged graphs (agreements, reference, provenance, vocabularies) in one dataset, and each source's
    graph written on demand, so a build can take the sources one batch at a time."""

    merged: merged.Graphs | merged.InRdflib
    sources: list  # the source graphs' IRIs, sorted
    source_graph: Callable  # (IRI, into=None) -> that source's graph
    statements: Callable  # () -> the evidence nodes' statement triples by predicate (_Writer.statements)
    source_digest: Callable  # (IRI) -> a digest of what that source's graph is made of
    passages_of: Callable = None  # (sources=None) -> (source, subject, predicate, object, claim) of each passage
    evidence_iri: Callable = None  # (source, subject, predicate, object, claim) -> that passage's evidence node

    def release(self) -> None:
        """Let go of the merged graphs and of the facts behind the source graphs, once both are written."""
        if self.merged is not None:
            self.merged.release()
        self.merged = None
        self.source_graph = self.statements = self.source_digest = self.passages_of = self.evidence_iri = None


def populate_parts(resolved: Resolved, *, base: str = DEFAULT_BASE, ontology_graph: Graph | None = None,
                   manifest: dict | None = None, in_rdflib: bool = False) -> Parts:
    """IN_RDFLIB: the merged graphs straight into rdflib (merged.InRdflib), for a caller that will read them
    whole with rdflib; else as merged.Graphs."""
    w = _Writer(resolved, base, ontology_graph, manifest, in_rdflib)
    w.software = _build_activity(w, resolved)
    for doc in resolved.documents:
        w.source(doc)
    for rec in resolved.agreements:
        _agreement(w, rec)
    for (org_key, code) in sorted(resolved.offices):
        _office(w, org_key, code, resolved.offices[(org_key, code)])
    for org_key in sorted(resolved.members):
        node = w.org(org_key)
        for code in sorted(resolved.members[org_key]):
            w.fact(w.ref, node, MKG.memberState, w.country(code), resolved.members[org_key][code])
    _vocabularies(w)
    return Parts(w.ds, w.source_iris(), w.source_graph, w.statements, w.source_digest, w.passages_of, w.evidence_iri)


def _build_activity(w: _Writer, resolved: Resolved) -> URIRef:
    """The build as a PROV-O activity: software, inputs, and a time only where SOURCE_DATE_EPOCH fixes one,
    so dumps stay byte-identical; build.json records the wall-clock time of every build. Returns the software
    agent, which each source's extraction activity names too."""
    import datetime as dt
    import os

    from . import __version__

    inputs = sorted(str(w.source_iri(d)) for d in resolved.documents)
    digest = hashlib.sha256(("|".join(inputs) + __version__).encode()).hexdigest()[:16]
    g = w.ds.graph(w.iri("graph/provenance"))
    act, software = w.iri(f"build/{digest}"), w.iri(f"software/migkg/{__version__}")
    g.add((act, RDF.type, PROV.Activity))
    g.add((act, RDFS.label, Literal(f"migkg build of {len(inputs)} source documents", lang="en")))
    g.add((act, PROV.wasAssociatedWith, software))
    g.add((software, RDF.type, PROV.SoftwareAgent))
    g.add((software, RDFS.label, Literal(f"migkg {__version__}")))
    for iri in inputs:
        g.add((act, PROV.used, URIRef(iri)))
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        when = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).isoformat()
        g.add((act, PROV.endedAtTime, Literal(when, datatype=XSD.dateTime)))
    return software


def _office(w: _Writer, org_key: str, code: str, claims) -> None:
    """A country office, linked to its organization (W3C ORG unitOf)."""
    parent = w.org(org_key)
    node = w.iri(f"org/{org_key}/office/{code.lower()}")
    country = places.country_by_code(code)
    w.ref.add((node, RDF.type, MKG.Office))
    w.ref.add((node, RDFS.label, Literal(f"{_short_label(w, org_key)} office in {country.name if country else code}", lang="en")))
    w.ref.add((node, MKG.country, w.country(code)))
    w.fact(w.ref, node, ORG.unitOf, parent, claims)


def _agreement(w: _Writer, rec) -> None:
    a = w.iri("agreement/" + rec.slug)
    g = w.agr
    g.add((a, RDF.type, MKG.Agreement))
    instrument = best(rec.instrument, lambda v: v != "agreement")
    status = best(rec.status, lambda v: v == "signed")
    date = best(rec.signed_on, _date_rank)
    labels = []
    for key in rec.parties:
        node = w.org(key)
        labels.append(_short_label(w, key))
        w.fact(g, a, MKG.party, node, rec.party_claims.get(key, []))
    type_label = lexicon.instruments().preferred.get(instrument, instrument.replace("-", " "))
    g.add((a, RDFS.label, Literal(f"{'–'.join(labels)} {type_label}" + (f" ({date[:4]})" if date and not date.startswith('--') else ""), lang="en")))
    w.fact(g, a, MKG.instrumentType, w.vocab("instrument/" + instrument), [c for c in rec.instrument if c.value == instrument])
    _alternatives(w, a, MKG.instrumentType, rec.instrument, instrument, lambda v: w.vocab("instrument/" + v))
    w.fact(g, a, MKG.status, w.vocab("status/" + status), [c for c in rec.status if c.value == status])
    for doc in rec.sources:
        g.add((a, DCTERMS.source, w.source_iri(doc)))
    signing = URIRef(a + "/signing")
    g.add((signing, RDF.type, MKG.SigningEvent))
    g.add((a, MKG.signing, signing))
    g.add((signing, RDFS.label, Literal(f"Signing of the {'–'.join(labels)} {type_label}", lang="en")))
    if date:
        w.fact(g, signing, MKG.date, date_literal(date), [c for c in rec.signed_on if c.value == date])
        basis = rec.date_basis.get(date, "stated")
        g.add((signing, MKG.dateBasis, w.vocab("date-basis/" + basis)))
        _alternatives(w, signing, MKG.date, rec.signed_on, date, date_literal)
    place = best(rec.place, place_rank)
    if place is not None:
        w.fact(g, signing, MKG.place, w.place(place), [c for c in rec.place if c.value == place])
        _alternatives(w, signing, MKG.place, rec.place, place, w.place)
    for pkey in sorted(rec.signatories):
        _signature(w, a, signing, pkey, rec.signatories[pkey])
    for name in sorted(rec.events):
        ev = w.iri("event/" + slug(name))
        g.add((ev, RDF.type, MKG.Event))
        g.add((ev, RDFS.label, Literal(name, lang="en")))
        w.fact(g, signing, MKG.partOf, ev, rec.events[name])
    for theme in sorted(rec.themes):
        w.fact(g, a, MKG.theme, w.vocab("theme/" + theme), rec.themes[theme])
        for c in rec.themes[theme]:
            lang = c.doc.language
            g.add((a, MKG.themeWording, Literal(c.value, lang=lang) if lang else Literal(c.value)))
    for prop, claims in ((MKG.validFrom, rec.valid_from), (MKG.validUntil, rec.valid_until)):
        value = best(claims, _date_rank)
        if value:
            w.fact(g, a, prop, date_literal(value), [c for c in claims if c.value == value])
    for pred, claim in sorted(rec.builds_on, key=lambda x: x[0].slug):
        w.fact(g, a, MKG.buildsOn, w.iri("agreement/" + pred.slug), [claim])


def _alternatives(w: _Writer, subject, predicate, claims, chosen, term) -> None:
    """Claims the lookup rule did not pick stay in the graph as passages whose fact is not asserted."""
    for c in claims:
        if c.value != chosen and not _refines(c.value, chosen):
            w.evidence(subject, predicate, term(c.value), c)


def _refines(value, chosen) -> bool:
    """A less precise form of the chosen value (2023 for 2023-02-16, a country for its city) is no alternative."""
    if isinstance(value, str) and isinstance(chosen, str):
        return chosen.startswith(value) or (value.startswith("--") and chosen.endswith(value[1:]))
    if isinstance(value, PlaceFact) and isinstance(chosen, PlaceFact):
        return not value.is_city and value.country_code == chosen.country_code
    return value == "agreement"


def _short_label(w: _Writer, key: str) -> str:
    entry = w.gaz.entries.get(key, {})
    acr = (entry.get("acronyms") or {}).get("en")
    ref = w.r.organizations.get(key)
    return acr or (ref.acronym if ref and ref.acronym else None) or (ref.name if ref else key)


def _signature(w: _Writer, a, signing, pkey, claims) -> None:
    g = w.agr
    person = w.r.persons.get(pkey)
    p = w.iri("person/" + pkey)
    name = person.name if person else pkey
    w.ref.add((p, RDF.type, MKG.Person))
    w.ref.add((p, RDFS.label, Literal(name)))
    for v in sorted(person.variants if person else []):
        if v != name:
            w.ref.add((p, SKOS.altLabel, Literal(v)))
    sig = URIRef(f"{a}/signature/{pkey}")
    g.add((sig, RDF.type, MKG.Signature))
    w.fact(g, signing, MKG.signature, sig, [])
    w.fact(g, sig, MKG.signatory, p, claims)
    post, behalf = best(claims, lambda v: (v[0] is not None) + (v[1] is not None))
    if behalf:
        org = w.org(behalf)
        w.fact(g, sig, MKG.onBehalfOf, org, [c for c in claims if c.value[1] == behalf])
    if post:
        holder = behalf or "unknown"
        acronym = (_short_label(w, behalf) if behalf else "").lower()
        title = " ".join(t for t in slug(post).split("-") if t != acronym) or slug(post)
        post_node = w.iri(f"post/{holder}/{slug(title)}")
        w.ref.add((post_node, RDF.type, ORG.Post))
        lang = claims[0].doc.language
        if (post_node, RDFS.label, None) not in w.ref:
            w.ref.add((post_node, RDFS.label, Literal(post, lang=lang) if lang else Literal(post)))
        if behalf:
            w.ref.add((post_node, ORG.postIn, w.org(behalf)))
        w.ref.add((post_node, ORG.heldBy, p))
        w.ref.add((p, ORG.holds, post_node))
        w.fact(g, sig, MKG.inPost, post_node, [c for c in claims if c.value[0] == post])


def _vocabularies(w: _Writer) -> None:
    """Copy the ontology and its SKOS schemes into the data, so class labels, concept labels and
    GCM mappings travel with the dumps and every query can use them."""
    source = w.ontology_graph if w.ontology_graph is not None else lexicon._graph(None)
    g = w.ds.graph(w.iri("graph/vocabularies"))
    for t in source:
        g.add(t)
