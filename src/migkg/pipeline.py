"""Compose the stages: read -> extract -> resolve -> populate -> validate -> store/export.

The build writes into a fresh folder beside the output and swaps it in only
when the graph conforms, so a failed or interrupted build leaves the last good
output as it was. A lock file keeps two builds from writing the same output.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .errors import MigkgError, SourceError, ValidationFailed

SOURCE_SKIP = {"manifest.yaml", "manifest.yml", "README.md", ".gitkeep"}


@dataclass
class BuildReport:
    sources_read: int = 0
    documents: int = 0
    agreements: int = 0
    organizations: int = 0
    triples: int = 0
    kg_dir: Path = Path("dist")
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{self.sources_read} sources read ({self.documents} documents), {self.agreements} agreements, "
                f"{self.organizations} organizations, {self.triples} triples -> {self.kg_dir}/graph.ttl")


def source_files(sources: list[Path]) -> list[Path]:
    """Files named, and files below folders named, in a stable order."""
    out = []
    for src in sources:
        src = Path(src)
        if src.is_dir():
            out.extend(p for p in sorted(src.rglob("*")) if p.is_file() and p.name not in SOURCE_SKIP
                       and not any(part.startswith(".") for part in p.relative_to(src).parts))
        elif src.is_file():
            out.append(src)
        else:
            raise SourceError(src, "no such file or folder", "check the path given to `migkg build`")
    return out


def read_all(files: list[Path], report: BuildReport, strict: bool):
    from . import reading

    for path in files:
        try:
            docs = reading.read_path(path)
        except SourceError as e:
            if strict:
                raise
            report.problems.append(f"warning: skipped {e}")
            continue
        except Exception as e:  # noqa: BLE001 - a reader's bug must not cost the other sources
            if strict:
                raise SourceError(path, f"the reader failed ({type(e).__name__}: {e})", "please report it with the file") from e
            report.problems.append(f"warning: skipped {path}: the reader failed ({type(e).__name__}); "
                                   "please report it with the file")
            continue
        report.sources_read += 1
        yield from docs


def extract_all(docs, report: BuildReport, strict: bool):
    from .extraction import extract

    out = []
    for doc in docs:
        report.documents += 1
        try:
            facts = extract(doc)
        except MigkgError as e:
            if strict:
                raise
            report.problems.append(f"warning: {doc.source_path}: {e}")
            continue
        except Exception as e:  # noqa: BLE001 - one document's failure must not cost the others
            if strict:
                raise SourceError(doc.source_path, f"extraction failed ({type(e).__name__}: {e})", "please report it with the file") from e
            report.problems.append(f"warning: skipped {doc.source_path}: extraction failed ({type(e).__name__}); "
                                   "please report it with the file")
            continue
        where = f"{doc.source_path}{'#' + doc.item_id if doc.item_id else ''}"
        report.problems.extend(f"note: {where}: {w}" for w in facts.warnings)
        if not facts.agreements:
            report.problems.append(f"note: {where}: {_why_nothing(doc)}")
        out.append(facts)
    return out


def _why_nothing(doc) -> str:
    from .extraction import SUPPORTED_LANGUAGES

    if doc.language and doc.language not in SUPPORTED_LANGUAGES:
        return (f"written in '{doc.language}', which the extraction rules do not cover ({', '.join(SUPPORTED_LANGUAGES)}); "
                "no agreement taken (add a translation, or the facts in data/curation)")
    return ("no agreement found: the text names no signing between two organizations "
            "(nothing to do if it reports none; if it does, please report the file)")


def build_dataset(sources: list[Path], report: BuildReport, strict: bool = False, curation_dir: Path | None = None):
    from . import curation
    from .populate import populate
    from .resolve import resolve

    entries = curation.load(curation_dir)
    files = source_files(sources)
    facts = extract_all(read_all(files, report, strict), report, strict)
    resolved = resolve(facts, entries)
    ds = populate(resolved, manifest=_manifest(sources))
    report.agreements = len(resolved.agreements)
    return ds


def _manifest(sources: list[Path]) -> dict:
    """file name -> origin entry, from the manifest.yaml of every source folder."""
    import yaml

    out = {}
    for src in sources:
        path = Path(src) / "manifest.yaml"
        if path.is_file():
            for entry in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
                if isinstance(entry, dict) and entry.get("file"):
                    out[entry["file"]] = entry
    return out


def build(sources: list[Path], kg_dir: Path, *, strict: bool = False, curation_dir: Path | None = None) -> BuildReport:
    from . import export, store
    from .validate import validate

    kg_dir = Path(kg_dir)
    report = BuildReport(kg_dir=kg_dir)
    ds = build_dataset(sources, report, strict, curation_dir)
    result = validate(ds)
    if not result.conforms:
        raise ValidationFailed(result.text())
    report.organizations = _count_orgs(ds)
    with _locked(kg_dir):
        tmp = Path(tempfile.mkdtemp(prefix=f".{kg_dir.name}.new-", dir=kg_dir.parent if kg_dir.parent.exists() else None))
        try:
            for fmt, name in (("ttl", "graph.ttl"), ("trig", "graph.trig")):
                (tmp / name).write_bytes(export.serialize(ds, fmt))
            store.create_store(tmp, ds)
            report.triples = len({(s, p, o) for s, p, o, _ in ds.quads((None, None, None, None))})
            (tmp / "validation.txt").write_text(result.text(), encoding="utf-8")
            (tmp / "build.json").write_text(json.dumps(_build_info(report), indent=2, sort_keys=True) + "\n", encoding="utf-8")
            _swap(tmp, kg_dir)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    return report


def _count_orgs(ds) -> int:
    from .vocab import MKG

    return len({o for _, _, o, _ in ds.quads((None, MKG.party, None, None))})


def _build_info(report: BuildReport) -> dict:
    return {
        "software": f"migkg {__version__}",
        "built_at": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
        "sources_read": report.sources_read,
        "documents": report.documents,
        "agreements": report.agreements,
        "organizations": report.organizations,
        "triples": report.triples,
        "problems": report.problems,
    }


@contextmanager
def _locked(kg_dir: Path):
    kg_dir.parent.mkdir(parents=True, exist_ok=True)
    lock_path = kg_dir.parent / f".{kg_dir.name}.lock"
    with open(lock_path, "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise MigkgError(f"{kg_dir}: another build is writing this output; wait for it to finish") from None
        try:
            _recover(kg_dir)
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _recover(kg_dir: Path) -> None:
    """Finish a swap that a killed build left half done."""
    old = kg_dir.parent / f".{kg_dir.name}.old"
    if old.exists() and not kg_dir.exists():
        os.rename(old, kg_dir)
    elif old.exists():
        shutil.rmtree(old, ignore_errors=True)
    for stale in kg_dir.parent.glob(f".{kg_dir.name}.new-*"):
        shutil.rmtree(stale, ignore_errors=True)


def _swap(new: Path, kg_dir: Path) -> None:
    old = kg_dir.parent / f".{kg_dir.name}.old"
    if kg_dir.exists():
        os.rename(kg_dir, old)
    os.rename(new, kg_dir)
    shutil.rmtree(old, ignore_errors=True)
