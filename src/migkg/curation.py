"""Analysts' corrections in data/curation/*.yaml, applied on top of what was extracted.

Each entry names an agreement by the IRI `migkg agreements` shows and sets facts on it:

    - agreement: https://w3id.org/migkg/agreement/eco-iom
      set: {signed_on: "2009-10-09", place: Geneva}
      curator: A. Analyst
      date: "2026-11-23"
      reason: The IOM press release of that day gives the signing date.
      source: https://example.org/press-release

Every entry is a source document of its own (format "curation"): its claims win over
extracted ones (see resolve.best), and its passage is the entry's text, so `migkg show`
names who curated the fact, when and why.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

import yaml

from .errors import MigkgError
from .facts import Span

FIELDS = {"signed_on", "place", "status", "type", "valid_from", "valid_until"}
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class CurationError(MigkgError):
    """A curation file is malformed or names something that does not exist."""


def load(folder: Path | None, problems: list[str] | None = None) -> list[dict]:
    """Entries of every curation file, each with the Document that stands for it.

    With a PROBLEMS list, a faulty file is skipped with a line there (the extracted facts still build);
    without one, it raises CurationError.
    """
    if folder is None or not Path(folder).is_dir():
        return []
    out = []
    for path in sorted(Path(folder).glob("*.y*ml")):
        try:
            out.extend(_load_file(path))
        except CurationError as e:
            if problems is None:
                raise
            problems.append(f"warning: skipped {e}")
    return out


def _load_file(path: Path) -> list[dict]:
    from .reading import Document

    out = []
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise CurationError(f"{path}: cannot be read as UTF-8 text ({e}); save it as UTF-8") from None
    try:
        entries = yaml.safe_load(text) or []
    except yaml.YAMLError as e:
        raise CurationError(f"{path}: not valid YAML ({e.problem}, line {e.problem_mark.line + 1 if e.problem_mark else '?'})"
                            "; fix the file or move it out of data/curation") from None
    if not isinstance(entries, list):
        raise CurationError(f"{path}: expected a list of entries (each starting with '- agreement:')")
    blocks = _blocks(text)
    for i, entry in enumerate(entries):
        _check(path, i, entry)
        start, end = blocks[i] if i < len(blocks) else (0, len(text))
        doc = Document(source_path=str(path), file_name=path.name, item_id=str(i + 1), format="curation",
                       text=text, body_start=0, title=entry["reason"], url=entry.get("source"),
                       published=_as_date(entry.get("date")), language="en", publisher=entry["curator"], dateline=None,
                       content_hash=hashlib.sha256(text.encode()).hexdigest() + f"#{i + 1}")
        out.append({"entry": entry, "doc": doc, "span": Span(start, end)})
    return out


def _blocks(text: str) -> list[tuple[int, int]]:
    starts = [m.start() for m in re.finditer(r"(?m)^- ", text)]
    return [(s, (starts[i + 1] if i + 1 < len(starts) else len(text))) for i, s in enumerate(starts)]


def _as_date(value) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _check(path: Path, i: int, entry) -> None:
    where = f"{path}, entry {i + 1}"
    if not isinstance(entry, dict):
        raise CurationError(f"{where}: an entry is a mapping with agreement, set, curator, date and reason")
    missing = [k for k in ("agreement", "set", "curator", "reason") if not entry.get(k)]
    if missing:
        raise CurationError(f"{where}: missing {', '.join(missing)} (who, why and what must be recorded)")
    unknown = set(entry["set"]) - FIELDS
    if unknown:
        raise CurationError(f"{where}: cannot set {', '.join(sorted(unknown))}; curatable facts are {', '.join(sorted(FIELDS))}")
    for key in ("signed_on", "valid_from", "valid_until"):
        value = entry["set"].get(key)
        if value is not None and not _DATE.match(str(value)):
            raise CurationError(f"{where}: {key} {value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    if entry["set"].get("status") not in (None, "signed", "announced"):
        raise CurationError(f"{where}: status must be 'signed' or 'announced'")


def apply(entries: list[dict], agreements, documents: list, problems: list[str] | None = None) -> None:
    """Add the curated claims to the resolved agreements.

    An entry naming an unknown agreement, type or place raises CurationError, or with a PROBLEMS list
    is skipped whole (never half applied) with a line there.
    """
    from . import lexicon

    by_slug = {a.slug: a for a in agreements}
    types = {v.lower(): k for k, v in lexicon.instruments().preferred.items()}
    for item in entries:
        try:
            rec, claims = _claims(item, by_slug, types)
        except CurationError as e:
            if problems is None:
                raise
            problems.append(f"warning: skipped {e}")
            continue
        doc = item["doc"]
        documents.append(doc)
        rec.sources.append(doc)
        for attr, claim in claims:
            getattr(rec, attr).append(claim)
            if attr == "signed_on":
                rec.date_basis[claim.value] = "curated"


def _claims(item: dict, by_slug: dict, types: dict):
    from .extraction import _place
    from .resolve import Claim

    entry, doc, span = item["entry"], item["doc"], item["span"]
    where = f"{doc.source_path}, entry {doc.item_id}"
    slug = str(entry["agreement"]).rstrip("/").rsplit("/agreement/", 1)[-1]
    rec = by_slug.get(slug)
    if rec is None:
        raise CurationError(f"{where}: no agreement {entry['agreement']}; `migkg agreements` lists the IRIs")
    facts = entry["set"]
    claims = [(key, Claim(str(facts[key]), doc, span)) for key in ("signed_on", "valid_from", "valid_until") if key in facts]
    if "status" in facts:
        claims.append(("status", Claim(facts["status"], doc, span)))
    if "type" in facts:
        slug_type = types.get(str(facts["type"]).lower())
        if slug_type is None:
            raise CurationError(f"{where}: unknown type {facts['type']!r}; use an English label of ontology/instrument-types.ttl")
        claims.append(("instrument", Claim(slug_type, doc, span)))
    if "place" in facts:
        place = _place(str(facts["place"]), span)
        if place is None:
            raise CurationError(f"{where}: unknown place {facts['place']!r}; name a city or country as a gazetteer would")
        claims.append(("place", Claim(place, doc, span)))
    return rec, claims
