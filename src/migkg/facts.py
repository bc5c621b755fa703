"""Plain values that the extract stage hands to resolve and populate.

Every fact carries the span of text that supports it, so populate can attach a
Web Annotation passage to it without going back to the document.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, order=True, slots=True)
class Span:
    start: int
    end: int


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


@dataclass(frozen=True, slots=True)
class Mention:
    org: OrgRef
    span: Span
    text: str


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


@dataclass(frozen=True, slots=True)
class PlaceFact:
    key: str  # "rabat-ma" for a city, "morocco" for a country
    label: str
    country_code: str | None
    country_label: str | None
    geonames_id: int | None
    is_city: bool
    span: Span


@dataclass(frozen=True, slots=True)
class SignatoryFact:
    name: str
    post: str | None
    on_behalf_of: str | None  # org key
    span: Span


@dataclass(frozen=True, slots=True)
class ThemeFact:
    concept: str  # theme slug
    wording: str
    span: Span


@dataclass(frozen=True, slots=True)
class EventFact:
    name: str
    span: Span


@dataclass(slots=True)
class PredecessorFact:
    instrument: str | None  # instrument slug
    date: DateFact | None
    span: Span
    renewal: bool = False


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


@dataclass(slots=True)
class DocumentFacts:
    """Everything extracted from one document."""

    document: object  # reading.Document; typed loosely to keep this module free of I/O imports
    agreements: list[AgreementFact]
    organizations: list[Mention]  # every organization found, parties or not
    members: dict[str, list[PlaceFact]] = field(default_factory=dict)  # org key -> member states
    offices: list[tuple[str, str, Span]] = field(default_factory=list)  # (organization key, country code, mention)
    warnings: list[str] = field(default_factory=list)
