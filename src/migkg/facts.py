"""Plain values that the extract stage hands to resolve and populate.

Every fact carries the span of text that supports it, so populate can attach a
Web Annotation passage to it without going back to the document.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

# Values met again and again across documents, one copy each in a build: the cache's outcomes and the workers'
# results arrive one pickle per source, and a pickle shares equal values only within itself, so "signed", "en"
# or an organization's kind came back once per source (at 10,000 documents, 25 of the 87 MB the facts held
# were such copies, and 26,000 copies of a few hundred organizations). Unpickled through _loaded, each short
# string and each organization is taken from here; sources.process_all empties it when the outcomes are in.
_SHARED: dict = {}
_SHORT = 80  # longer ones are texts, met once each; a short one met once (a path, a hash) costs a table entry


def _loaded(cls, values):
    made = cls(*[_SHARED.setdefault(v, v) if v.__class__ is str and len(v) <= _SHORT else v for v in values])
    return _SHARED.setdefault(made, made) if cls is OrgRef else made


def forget_shared() -> None:
    _SHARED.clear()


def shared_on_load(cls):
    """CLS pickled as its field values, unpickled through _loaded."""
    names = tuple(f.name for f in fields(cls) if f.init)

    def __reduce__(self):
        return _loaded, (cls, tuple(getattr(self, n) for n in names))

    cls.__reduce__ = __reduce__
    return cls


@shared_on_load
@dataclass(frozen=True, order=True, slots=True)
class Span:
    start: int
    end: int


@shared_on_load
@dataclass(frozen=True, slots=True)
class OrgRef:
    """An organization as found in a text: a reference key, or a discovered one."""

    key: str  # reference key ("iom") or "discovered:<slug>" / "gov:<iso2>" / "ministry:<iso2>:<slug>"
    name: str  # English name where known, else the name as written
    kind: str  # one of the ontology's organization kinds, as plain words
    acronym: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2 for governments and ministries
    parent: str | None = None  # key of the parent organization for offices and organs
    names_in_text: tuple[str, ...] = ()


@shared_on_load
@dataclass(frozen=True, slots=True)
class Mention:
    org: OrgRef
    span: Span
    text: str


@shared_on_load
@dataclass(frozen=True, slots=True)
class DateFact:
    """A date with its precision. `value` is an XSD lexical form: 2023-02-16, 2023-02, 2023 or --02-16."""

    value: str
    basis: str  # stated | derived-from-publication | from-another-source | curated
    span: Span

    @property
    def precision(self) -> str:
        if self.value.startswith("--"):
            return "month-day"
        return {10: "day", 7: "month", 4: "year"}[len(self.value)]


@shared_on_load
@dataclass(frozen=True, slots=True)
class PlaceFact:
    key: str  # "rabat-ma" for a city, "morocco" for a country
    label: str
    country_code: str | None
    country_label: str | None
    geonames_id: int | None
    is_city: bool
    span: Span


@shared_on_load
@dataclass(frozen=True, slots=True)
class SignatoryFact:
    name: str
    post: str | None
    on_behalf_of: str | None  # org key
    span: Span


@shared_on_load
@dataclass(frozen=True, slots=True)
class ThemeFact:
    concept: str  # theme slug
    wording: str
    span: Span


@shared_on_load
@dataclass(frozen=True, slots=True)
class EventFact:
    name: str
    span: Span


@shared_on_load
@dataclass(slots=True)
class PredecessorFact:
    instrument: str | None  # instrument slug
    date: DateFact | None
    span: Span
    renewal: bool = False


@shared_on_load
@dataclass(slots=True)
class AgreementFact:
    parties: list[Mention]
    instrument: str  # instrument slug
    instrument_span: Span
    status: str  # signed | announced
    status_span: Span
    signed_on: DateFact | None = None
    place: PlaceFact | None = None
    signatories: list[SignatoryFact] = field(default_factory=list)
    themes: list[ThemeFact] = field(default_factory=list)
    valid_from: DateFact | None = None
    valid_until: DateFact | None = None
    predecessors: list[PredecessorFact] = field(default_factory=list)
    events: list[EventFact] = field(default_factory=list)


@shared_on_load
@dataclass(slots=True)
class DocumentFacts:
    """Everything extracted from one document."""

    document: object  # reading.Document; typed loosely to keep this module free of I/O imports
    agreements: list[AgreementFact]
    organizations: list[Mention]  # every organization found, parties or not
    members: dict[str, list[PlaceFact]] = field(default_factory=dict)  # org key -> member states
    offices: list[tuple[str, str, Span]] = field(default_factory=list)  # (organization key, country code, mention)
    warnings: list[str] = field(default_factory=list)
