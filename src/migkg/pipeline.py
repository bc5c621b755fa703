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
import signal
import tempfile
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .errors import MigkgError, SourceError, ValidationFailed

SOURCE_SKIP = {"manifest.yaml", "manifest.yml", "README.md", ".gitkeep"}
# Seconds one source may take to read, or one document to extract. Seeds take well under one second; a
# source that takes a minute is a pathological page, and the rest of the build should not wait on it.
SOURCE_TIMEOUT = float(os.environ.get("MIGKG_SOURCE_TIMEOUT", "60"))


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


def source_files(sources: list[Path], report: BuildReport | None = None) -> list[Path]:
    """Files named, and files below folders named, in a stable order.

    A link inside a folder that leads out of it is not followed: the build reads only what it was given.
    """
    out = []
    for src in sources:
        src = Path(src)
        if src.is_dir():
            root = src.resolve()
            for p in sorted(src.rglob("*")):
                if not p.is_file() or p.name in SOURCE_SKIP or any(part.startswith(".") for part in p.relative_to(src).parts):
                    continue
                if p.is_symlink() and not p.resolve().is_relative_to(root):
                    if report is not None:
                        report.problems.append(f"warning: skipped {p}: a link to {os.readlink(p)}, outside {src} "
                                               "(copy the file into the folder to build it)")
                    continue
                out.append(p)
        elif src.is_file():
            out.append(src)
        else:
            raise SourceError(src, "no such file or folder", "check the path given to `migkg build`")
    return out


def read_all(files: list[Path], report: BuildReport, strict: bool):
    from . import reading

    for path in files:
        try:
            with time_limit(path, "reading it"):
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


@contextmanager
def time_limit(path, doing: str, seconds: float | None = None):
    """Raise a SourceError naming PATH when the block runs over the limit (main thread only: SIGALRM)."""
    seconds = SOURCE_TIMEOUT if seconds is None else seconds
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(signum, frame):
        raise SourceError(path, f"{doing} took over {seconds:g} s, the limit for one source",
                          "split the file, or raise MIGKG_SOURCE_TIMEOUT if it is a genuine article")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def extract_all(docs, report: BuildReport, strict: bool):
    """Facts of every document; what a source needed or lacked is said in one note line per source."""
    import itertools

    out = []
    for path, group in itertools.groupby(docs, key=lambda d: d.source_path):
        items = list(group)
        notes: dict[str, None] = {}  # ordered and without repeats: a feed's items share the file's notes
        empty = []
        for doc in items:
            facts = _extract_one(doc, report, strict)
            if facts is None:
                continue
            notes.update(dict.fromkeys(doc.notes))
            prefix = f"item {doc.item_id}: " if len(items) > 1 and doc.item_id else ""
            notes.update(dict.fromkeys(prefix + w for w in facts.warnings))
            if not facts.agreements:
                empty.append(doc)
            out.append(facts)
        if len(empty) == 1 and len(items) == 1:
            notes[_why_nothing(empty[0])] = None
        elif empty:
            notes[f"{len(empty)} of its {len(items)} items name no agreement"] = None
        if notes:
            report.problems.append(f"note: {path}: " + "; ".join(notes))
    return out


def _extract_one(doc, report: BuildReport, strict: bool):
    from .extraction import extract

    report.documents += 1
    where = f"{doc.source_path}{'#' + doc.item_id if doc.item_id else ''}"
    try:
        with time_limit(where, "extracting its facts"):
            return extract(doc)
    except MigkgError as e:
        if strict:
            raise
        report.problems.append(f"warning: skipped {e}" if isinstance(e, SourceError) else f"warning: skipped {where}: {e}")
    except Exception as e:  # noqa: BLE001 - one document's failure must not cost the others
        if strict:
            raise SourceError(where, f"extraction failed ({type(e).__name__}: {e})", "please report it with the file") from e
        report.problems.append(f"warning: skipped {where}: extraction failed ({type(e).__name__}); "
                               "please report it with the file")
    return None


def _why_nothing(doc) -> str:
    from .extraction import SUPPORTED_LANGUAGES

    letters = sum(ch.isalpha() for ch in doc.text)
    if letters < 40:
        return (f"no article text: {letters} letters once markup is removed "
                "(give the page that holds the article, or its text)")
    if doc.language and doc.language not in SUPPORTED_LANGUAGES:
        return (f"written in '{doc.language}', which the extraction rules do not cover ({', '.join(SUPPORTED_LANGUAGES)}); "
                "no agreement taken (add a translation, or the facts in data/curation)")
    return ("no agreement found: the text names no signing between two organizations "
            "(nothing to do if it reports none; if it does, please report the file)")


def build_dataset(sources: list[Path], report: BuildReport, strict: bool = False, curation_dir: Path | None = None,
                  base: str | None = None):
    from . import curation
    from .populate import DEFAULT_BASE, populate
    from .resolve import resolve

    # Without --strict a faulty curation file or entry is skipped with a line, like a faulty source.
    problems = None if strict else report.problems
    entries = curation.load(curation_dir, problems)
    files = source_files(sources, report)
    facts = extract_all(read_all(files, report, strict), report, strict)
    resolved = resolve(facts, entries, problems)
    ds = populate(resolved, base=base or DEFAULT_BASE, manifest=_manifest(sources))
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


def build(sources: list[Path], kg_dir: Path, *, strict: bool = False, curation_dir: Path | None = None,
          report: BuildReport | None = None, base: str | None = None) -> BuildReport:
    """Build into KG_DIR, minting IRIs under BASE (default: MIGKG_BASE, else the w3id one).
    Pass a REPORT to keep its problem lines when the build raises."""
    from . import describe_dataset, export, store
    from .populate import check_base
    from .validate import validate

    kg_dir = Path(kg_dir)
    report = report if report is not None else BuildReport()
    base = check_base(base or os.environ.get("MIGKG_BASE") or None)
    report.kg_dir = kg_dir
    # Locked from the start: a second build into the same output is refused at once, not after its work.
    with _locked(kg_dir):
        ds = build_dataset(sources, report, strict, curation_dir, base)
        if report.sources_read == 0:
            # Publishing an empty graph over the last good one would lose everything it held.
            raise MigkgError("no source could be read" + (" (each is named above)" if report.problems else "")
                             + f"; nothing built and {kg_dir} left as it was")
        result = validate(ds)
        if not result.conforms:
            raise ValidationFailed(result.text())
        report.organizations = _count_orgs(ds)
        tmp = Path(tempfile.mkdtemp(prefix=f".{kg_dir.name}.new-", dir=kg_dir.parent))
        try:
            tmp.chmod(0o777 & ~_umask())  # mkdtemp makes it private; the output is for a web server too
            for fmt, name in (("ttl", "graph.ttl"), ("trig", "graph.trig")):
                (tmp / name).write_bytes(export.serialize(ds, fmt))
            store.create_store(tmp, ds)
            describe_dataset.write(ds, tmp, base)  # after the dumps: it records their sizes
            report.triples = len({(s, p, o) for s, p, o, _ in ds.quads((None, None, None, None))})
            (tmp / "validation.txt").write_text(result.text(), encoding="utf-8")
            (tmp / "build.json").write_text(json.dumps(_build_info(report), indent=2, sort_keys=True) + "\n", encoding="utf-8")
            _swap(tmp, kg_dir)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    return report


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


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
    """Put NEW in KG_DIR's place in one step where the system allows it, so no moment exists without an output."""
    old = kg_dir.parent / f".{kg_dir.name}.old"
    if kg_dir.exists() and _exchange(new, kg_dir):
        shutil.rmtree(new, ignore_errors=True)  # now the previous output
        return
    # Two renames: a build killed between them leaves only .old, which _recover puts back.
    if kg_dir.exists():
        os.rename(kg_dir, old)
    os.rename(new, kg_dir)
    shutil.rmtree(old, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two directories (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0
