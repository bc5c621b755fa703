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


def load(folder: Path | None) -> list[dict]:
    """Entries of every curation file, each with the Document that stands for it."""
    from .reading import Document

    if folder is None or not Path(folder).is_dir():
        return []
    out = []
    for path in sorted(Path(folder).glob("*.y*ml")):
        text = path.read_text(encoding="utf-8")
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


def apply(entries: list[dict], agreements, documents: list) -> None:
    """Add the curated claims to the resolved agreements; unknown IRIs are an error."""
    from . import lexicon
    from .extraction import _place
    from .resolve import Claim

    by_slug = {a.slug: a for a in agreements}
    types = {v.lower(): k for k, v in lexicon.instruments().preferred.items()}
    for item in entries:
        entry, doc, span = item["entry"], item["doc"], item["span"]
        slug = str(entry["agreement"]).rstrip("/").rsplit("/agreement/", 1)[-1]
        rec = by_slug.get(slug)
        if rec is None:
            raise CurationError(f"{doc.source_path}, entry {doc.item_id}: no agreement {entry['agreement']}; "
                                "`migkg agreements` lists the IRIs")
        documents.append(doc)
        rec.sources.append(doc)
        facts = entry["set"]
        if "signed_on" in facts:
            rec.signed_on.append(Claim(str(facts["signed_on"]), doc, span))
            rec.date_basis[str(facts["signed_on"])] = "curated"
        for key in ("valid_from", "valid_until"):
            if key in facts:
                getattr(rec, key).append(Claim(str(facts[key]), doc, span))
        if "status" in facts:
            rec.status.append(Claim(facts["status"], doc, span))
        if "type" in facts:
            slug_type = types.get(str(facts["type"]).lower())
            if slug_type is None:
                raise CurationError(f"{doc.source_path}, entry {doc.item_id}: unknown type {facts['type']!r}; "
                                    f"use an English label of ontology/instrument-types.ttl")
            rec.instrument.append(Claim(slug_type, doc, span))
        if "place" in facts:
            place = _place(str(facts["place"]), span)
            if place is None:
                raise CurationError(f"{doc.source_path}, entry {doc.item_id}: unknown place {facts['place']!r}")
            rec.place.append(Claim(place, doc, span))
