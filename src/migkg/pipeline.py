"""Compose the stages: read -> extract -> resolve -> populate -> publish (validate, dumps, store: publish.py).

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
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .errors import MigkgError

@dataclass
class BuildReport:
    sources_read: int = 0
    documents: int = 0
    agreements: int = 0
    organizations: int = 0
    triples: int = 0
    kg_dir: Path = Path("dist")
    problems: list[str] = field(default_factory=list)
    cache: object = None  # the per-source cache this build used, if any
    seconds: dict[str, float] = field(default_factory=dict)  # wall time per stage, for build.json and benchmarks
    memory: dict[str, list] = field(default_factory=dict)  # stage -> this process's [resident, peak] MB as it ended
    reused: int = 0  # sources taken from the cache
    graphs_reused: int = 0  # sources whose graph's dump parts were taken from the cache (source_parts)
    batches_copied: int = 0  # batches of sources' graphs copied from the last build's dumps (source_parts)
    merged_screened_in_chunks: bool = False  # a large build's merged screen, a chunk of nodes at a time (validate_chunked)
    merged_focus_screened: int | None = None  # a rebuild's merged screen: the focus nodes screened again (validate_delta)
    store_patched: bool = False  # the store is the last build's with the graphs that changed replaced
    inputs: str | None = None  # digest of everything the output depends on (see inputs_digest)
    up_to_date: bool = False  # nothing changed since the last build, which was left as it was
    progress: object = None  # called with a line on each stage, and every few seconds while reading sources

    def say(self, line: str) -> None:
        if self.progress is not None:
            self.progress(line)

    @contextmanager
    def timed(self, stage: str):
        start = time.perf_counter()
        self.say(f"{stage} ...")
        try:
            yield
        finally:
            self.seconds[stage] = self.seconds.get(stage, 0.0) + time.perf_counter() - start
            now, peak = _resident_mb()
            self.memory[stage] = [max(self.memory.get(stage, [0])[0], now), peak]

    def summary(self) -> str:
        if self.up_to_date:
            return (f"nothing changed since the last build (sources, curation, code, base): {self.kg_dir} left as it was; "
                    f"{self.sources_read} sources read ({self.documents} documents), {self.agreements} agreements, "
                    f"{self.organizations} organizations, {self.triples} triples (`--no-cache` rebuilds anyway)")
        reused = f"; {self.reused} unchanged, from the cache" if self.reused else ""
        return (f"{self.sources_read} sources read ({self.documents} documents{reused}), {self.agreements} agreements, "
                f"{self.organizations} organizations, {self.triples} triples -> {self.kg_dir}/graph.ttl")


def build_dataset(sources: list[Path], report: BuildReport, strict: bool = False, curation_dir: Path | None = None,
                  base: str | None = None, jobs: int = 1, cache: Path | None = None, contents: dict | None = None):
    """The merged, populated graph of SOURCES, every graph in one dataset. CACHE is a folder of per-source
    outcomes reused when unchanged; CONTENTS, the SHA-256 of each source file by path where the caller has read
    them already."""
    parts = build_parts(sources, report, strict, curation_dir, base, jobs, cache, contents, in_rdflib=True)
    with _few_cycles(), report.timed("populate"):
        for s in parts.sources:
            parts.source_graph(s, parts.merged.graph(s))
        return parts.merged.dataset()


def build_parts(sources: list[Path], report: BuildReport, strict: bool = False, curation_dir: Path | None = None,
                base: str | None = None, jobs: int = 1, cache: Path | None = None, contents: dict | None = None,
                in_rdflib: bool = False):
    """SOURCES read, resolved and populated as populate.Parts: the merged graphs, and each source's graph to
    be written when asked for. The merged graphs go into rdflib with IN_RDFLIB, for a caller that reads them
    whole with rdflib (build_dataset); a build screens and writes them without it."""
    from . import curation
    from . import sources as per_source
    from .populate import DEFAULT_BASE, populate_parts
    from .resolve import resolve

    # Without --strict a faulty curation file or entry is skipped with a line, like a faulty source.
    problems = None if strict else report.problems
    entries = curation.load(curation_dir, problems)
    files = per_source.files(sources, report.problems)
    store = per_source.Cache(cache, contents) if cache is not None else None
    facts = []
    try:
        with report.timed("read and extract"):
            said = time.monotonic()
            for done, outcome in enumerate(per_source.process_all(files, strict=strict, jobs=jobs, cache=store), 1):
                report.problems.extend(outcome.problems)
                report.sources_read += outcome.read
                report.documents += outcome.documents
                facts.extend(outcome.facts)
                if time.monotonic() - said >= 5 or done == len(files):
                    said = time.monotonic()
                    report.say(f"  {done:,} of {len(files):,} sources ({report.documents:,} documents)")
    finally:
        if store is not None:
            store.close()  # what was appended to its pack is on disk before anything reads it or indexes it
    report.cache = store
    report.reused = len(store.used) - len(store.written) if store is not None else 0
    with _few_cycles(), report.timed("resolve"):
        resolved = resolve(facts, entries, problems)
    # What populate needs of the facts is in the claims resolve made of them; the rest (a quarter of what the
    # facts and claims of 10,000 documents hold) is free for populate's graphs.
    del facts
    with _few_cycles(), report.timed("populate"):
        parts = populate_parts(resolved, base=base or DEFAULT_BASE, manifest=_manifest(sources), in_rdflib=in_rdflib)
    report.agreements = len(resolved.agreements)
    return parts


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
          report: BuildReport | None = None, base: str | None = None, jobs: int = 1, cache: bool = True) -> BuildReport:
    """Build into KG_DIR, minting IRIs under BASE (default: MIGKG_BASE, else the w3id one).

    JOBS worker processes read and extract the sources; with CACHE, sources unchanged since the last build (same
    path, content and code) are not read again. Pass a REPORT to keep its problem lines when the build raises."""
    from .populate import check_base

    kg_dir = Path(kg_dir)
    report = report if report is not None else BuildReport()
    base = check_base(base or os.environ.get("MIGKG_BASE") or None)
    report.kg_dir = kg_dir
    # Locked from the start: a second build into the same output is refused at once, not after its work.
    with _locked(kg_dir):
        cache_dir = kg_dir.parent / f".{kg_dir.name}.cache" if cache else None
        contents: dict[str, str] = {}  # each source read once, for the digest and the cache keys
        with report.timed("check inputs"):
            report.inputs = inputs_digest(sources, curation_dir, base, strict, contents, cache_dir) if cache else None
        if report.inputs is not None and _unchanged(kg_dir, report):
            return report
        parts = build_parts(sources, report, strict, curation_dir, base, jobs=jobs, cache=cache_dir, contents=contents)
        if report.sources_read == 0:
            # Publishing an empty graph over the last good one would lose everything it held.
            raise MigkgError("no source could be read" + (" (each is named above)" if report.problems else "")
                             + f"; nothing built and {kg_dir} left as it was")
        with _few_cycles():
            from .publish import publish

            publish(parts, kg_dir, report, base, jobs=jobs)
    return report


@contextmanager
def _few_cycles():
    """The cycle collector off while the merged graph is worked on.

    These stages build millions of long-lived objects (rdflib terms, triples, index dictionaries) and almost no
    reference cycles; the collector would scan all of them again each time enough new ones pile up: an eighth
    of a 1,000-document build. Reference counting still frees what is dropped. Not around reading: the worker
    processes forked there would inherit it, and they parse documents one after another."""
    import gc

    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _resident_mb() -> tuple[int, int]:
    """This process's resident memory now and its peak so far, in MB (now is 0 where /proc is not there): so
    build.json shows which stage holds the memory and which one reached the peak, not only the peak."""
    import resource
    import sys

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // (1 << 20 if sys.platform == "darwin" else 1 << 10)
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // (1 << 20), peak
    except (OSError, ValueError, IndexError):
        return 0, peak


def inputs_digest(sources: list[Path], curation_dir: Path | None, base: str, strict: bool,
                  contents: dict | None = None, digests: Path | None = None) -> str | None:
    """A digest of everything a build's output depends on: every source's path and bytes, the folders'
    manifests, the curation files, the code, ontology and reference data (as the cache keys them), the shapes
    and queries, the base IRI and --strict. None when a source cannot be listed: the build itself then says why.
    CONTENTS, if given, receives each source file's SHA-256 by path; DIGESTS is a cache folder where they are
    remembered between builds (file_digests), so that unchanged files are not read again."""
    import hashlib

    from . import resources
    from . import sources as per_source
    from .file_digests import Digests

    digest = hashlib.sha256()

    def add(label: str, data: bytes) -> str:
        sha = hashlib.sha256(data).hexdigest()
        digest.update(label.encode("utf-8") + b"\0" + sha.encode())
        return sha

    try:
        add("software", f"{__version__} {per_source.code_version()} {base} strict={strict} "
                        f"timeout={per_source.TIMEOUT}".encode())
        for kind, folder in (("shapes", resources.shapes_dir()), ("queries", resources.queries_dir())):
            for p in sorted(Path(folder).rglob("*")):
                if p.is_file():
                    add(f"{kind}/{p.relative_to(folder).as_posix()}", p.read_bytes())
        if curation_dir is not None and Path(curation_dir).is_dir():
            for p in sorted(Path(curation_dir).glob("*.y*ml")):
                add(f"curation/{p.name}", p.read_bytes())
        for src in sources:
            manifest = Path(src) / "manifest.yaml"
            if manifest.is_file():
                add(f"manifest {manifest}", manifest.read_bytes())
        known = Digests(digests)
        for p in per_source.files(sources, []):
            sha = known.sha(p)
            digest.update(f"source {p}".encode("utf-8") + b"\0" + sha.encode())
            if contents is not None:
                contents[str(p)] = sha
    except (OSError, MigkgError):
        return None
    known.save()
    return digest.hexdigest()


def _unchanged(kg_dir: Path, report: BuildReport) -> bool:
    """True, with REPORT filled from the last build, when KG_DIR holds a complete build of the same inputs."""
    try:
        last = json.loads((kg_dir / "build.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    complete = all((kg_dir / name).exists() for name in ("graph.ttl", "graph.trig", "store", "void.ttl", "validation.txt"))
    if not complete or last.get("inputs") != report.inputs:
        return False
    report.up_to_date = True
    for key in ("sources_read", "documents", "agreements", "organizations", "triples"):
        setattr(report, key, int(last.get(key, 0)))
    report.problems.extend(last.get("problems", []))  # said again: the sources that were skipped still are
    return True


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


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
        "sources_reused_from_cache": report.reused,
        "source_graphs_reused_from_cache": report.graphs_reused,
        "source_batches_copied_from_last_dumps": report.batches_copied,
        "store_patched_from_last_build": report.store_patched,
        "merged_focus_nodes_screened_again": report.merged_focus_screened,
        "merged_graphs_screened_in_chunks": report.merged_screened_in_chunks,
        "inputs": report.inputs,
        "seconds": {k: round(v, 3) for k, v in report.seconds.items()},
        "resident_and_peak_mb_after": dict(report.memory),
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
