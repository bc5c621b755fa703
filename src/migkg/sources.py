"""Each source on its own: read it, extract its facts, and say in one line what it needed or lacked.

A source is the unit of work: it runs under a time limit, in a worker process when the build has
several (`--jobs`), and its outcome is cached by content and code version, so that a rebuild after
adding one source reads and extracts only that one.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import signal
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .errors import MigkgError, SourceError
from .facts import forget_shared

SKIP = {"manifest.yaml", "manifest.yml", "README.md", ".gitkeep"}
# Seconds one source may take to read, or one document to extract. Seeds take well under one second; a
# source that takes a minute is a pathological page, and the rest of the build should not wait on it.
TIMEOUT = float(os.environ.get("MIGKG_SOURCE_TIMEOUT", "60"))


@dataclass
class Outcome:
    """What one source gave: its documents' facts, and the lines the build report says about it."""

    path: str
    read: bool = False
    documents: int = 0
    facts: list = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def files(sources: list[Path], problems: list[str] | None = None) -> list[Path]:
    """Files named, and files below folders named, in a stable order.

    A link inside a folder that leads out of it is not followed: the build reads only what it was given.
    """
    out = []
    for src in sources:
        src = Path(src)
        if src.is_dir():
            root = src.resolve()
            for p in sorted(src.rglob("*")):
                if not p.is_file() or p.name in SKIP or any(part.startswith(".") for part in p.relative_to(src).parts):
                    continue
                if p.is_symlink() and not p.resolve().is_relative_to(root):
                    if problems is not None:
                        problems.append(f"warning: skipped {p}: a link to {os.readlink(p)}, outside {src} "
                                        "(copy the file into the folder to build it)")
                    continue
                out.append(p)
        elif src.is_file():
            out.append(src)
        else:
            raise SourceError(src, "no such file or folder", "check the path given to `migkg build`")
    return out


@contextmanager
def time_limit(path, doing: str, seconds: float | None = None):
    """Raise a SourceError naming PATH when the block runs over the limit (main thread only: SIGALRM)."""
    seconds = TIMEOUT if seconds is None else seconds
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


def process(path: Path, strict: bool = False) -> Outcome:
    """Read and extract one source. Faults become lines in the outcome; with STRICT, a SourceError."""
    from . import reading

    out = Outcome(str(path))
    try:
        with time_limit(path, "reading it"):
            docs = reading.read_path(path)
    except SourceError as e:
        if strict:
            raise
        out.problems.append(f"warning: skipped {e}")
        return out
    except Exception as e:  # noqa: BLE001 - a reader's bug must not cost the other sources
        if strict:
            raise SourceError(path, f"the reader failed ({type(e).__name__}: {e})", "please report it with the file") from e
        out.problems.append(f"warning: skipped {path}: the reader failed ({type(e).__name__}); please report it with the file")
        return out
    out.read = True
    notes: dict[str, None] = {}  # ordered and without repeats: a feed's items share the file's notes
    empty = []
    for doc in docs:
        out.documents += 1
        facts = _extract(doc, out, strict)
        if facts is None:
            continue
        notes.update(dict.fromkeys(doc.notes))
        prefix = f"item {doc.item_id}: " if len(docs) > 1 and doc.item_id else ""
        notes.update(dict.fromkeys(prefix + w for w in facts.warnings))
        if not facts.agreements:
            empty.append(doc)
        out.facts.append(facts)
    if len(empty) == 1 and len(docs) == 1:
        notes[_why_nothing(empty[0])] = None
    elif empty:
        notes[f"{len(empty)} of its {len(docs)} items name no agreement"] = None
    if notes:
        out.problems.append(f"note: {path}: " + "; ".join(notes))
    return out


def _extract(doc, out: Outcome, strict: bool):
    from .extraction import extract

    where = f"{doc.source_path}{'#' + doc.item_id if doc.item_id else ''}"
    try:
        with time_limit(where, "extracting its facts"):
            return extract(doc)
    except MigkgError as e:
        if strict:
            raise
        out.problems.append(f"warning: skipped {e}" if isinstance(e, SourceError) else f"warning: skipped {where}: {e}")
    except Exception as e:  # noqa: BLE001 - one document's failure must not cost the others
        if strict:
            raise SourceError(where, f"extraction failed ({type(e).__name__}: {e})", "please report it with the file") from e
        out.problems.append(f"warning: skipped {where}: extraction failed ({type(e).__name__}); please report it with the file")
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


# --- many sources: cache and workers -------------------------------------------------------------------

def code_version() -> str:
    """A digest of everything extraction depends on: the package's code, the reference data and the vocabulary."""
    from . import resources

    digest = hashlib.sha256()
    roots = [Path(__file__).parent, resources.ontology_dir(), resources.reference_dir()]
    for root in roots:
        for p in sorted(root.rglob("*")):
            if p.is_file() and p.suffix in (".py", ".ttl", ".yaml", ".yml", ".json", ".jsonld"):
                digest.update(p.relative_to(root).as_posix().encode() + b"\0" + p.read_bytes())
    return digest.hexdigest()[:16]


class Cache:
    """Outcomes of sources read without a fault, by path, content and code version, in one folder.

    The outcomes lie end to end in one pack file, with an index of where each one is: a rebuild after adding
    one document to 100,000 read 85,000 small files before, most of its reading time on this machine's disk.
    A build appends what it read to the pack, and the index it writes once it succeeds names only the outcomes
    that build used, so a failed build leaves the last good index as it was; the pack is written afresh when
    more than half of it is outcomes no index names any more.
    """

    def __init__(self, folder: Path, contents: dict | None = None):
        self.folder = Path(folder)
        self.version = code_version()
        self.used: set[str] = set()
        self.written: set[str] = set()
        self.contents = contents or {}  # SHA-256 by path of the files the build has read already
        self.pack, self.entries = _read_index(self.folder / _OUTCOMES)
        self._reader = self._writer = None

    def key(self, path: Path) -> str | None:
        content = self.contents.get(str(path))
        if content is None:
            try:
                content = hashlib.sha256(Path(path).read_bytes()).hexdigest()
            except OSError:
                return None
        return hashlib.sha256(f"{self.version}\0{path}\0{content}".encode()).hexdigest()

    def get(self, key: str | None) -> Outcome | None:
        if key is None or key not in self.entries:
            return None
        offset, length = self.entries[key]
        try:
            if self._reader is None:
                self._reader = open(self.folder / _OUTCOMES / self.pack, "rb")
            data = os.pread(self._reader.fileno(), length, offset)
            outcome = pickle.loads(data)  # our own file, in the build's own folder
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError, TypeError):
            return None
        if not isinstance(outcome, Outcome):
            return None
        self.used.add(key)
        return outcome

    def put(self, key: str | None, outcome: Outcome) -> None:
        if key is None or not outcome.read:
            return
        data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        if self._writer is None:
            (self.folder / _OUTCOMES).mkdir(parents=True, exist_ok=True)
            self._writer = open(self.folder / _OUTCOMES / self.pack, "ab")
        offset = self._writer.seek(0, os.SEEK_END)
        self._writer.write(data)
        self.entries[key] = (offset, len(data))
        self.used.add(key)
        self.written.add(key)

    def close(self) -> None:
        for fh in (self._reader, self._writer):
            if fh is not None:
                fh.close()
        self._reader = self._writer = None

    def prune(self) -> None:
        """Index only the outcomes this build used (after it succeeded); write the pack afresh if most of it
        is outcomes no longer named; remove what earlier layouts of the cache left at its top."""
        self.close()
        folder = self.folder / _OUTCOMES
        live = {k: self.entries[k] for k in sorted(self.used) if k in self.entries}
        try:
            size = (folder / self.pack).stat().st_size
        except OSError:
            size = 0
        pack = self.pack
        if size > 2 * sum(n for _, n in live.values()) + (1 << 20):
            pack, live = _repack(folder, self.pack, live)
        _write_index(folder, pack, live)
        self.pack, self.entries = pack, live
        for p in folder.iterdir() if folder.is_dir() else ():
            if p.name not in (pack, _INDEX):
                p.unlink(missing_ok=True)
        if self.folder.is_dir():
            for p in self.folder.iterdir():
                if p.is_file():  # an outcome as its own file: the cache before the pack
                    p.unlink(missing_ok=True)


_OUTCOMES, _INDEX = "outcomes", "index"


def _read_index(folder: Path) -> tuple[str, dict]:
    """(the pack's file name, key -> (offset, length)) from FOLDER's index; a new pack's name where there is
    none or it is not as _write_index writes it."""
    try:
        with open(folder / _INDEX, "rb") as fh:
            pack, entries = pickle.load(fh)  # our own file, in the build's own folder
        if isinstance(pack, str) and isinstance(entries, dict) and (folder / pack).is_file():
            return pack, entries
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError, TypeError):
        pass
    return f"pack-{os.urandom(6).hex()}", {}


def _write_index(folder: Path, pack: str, entries: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".{_INDEX}.{os.getpid()}.tmp"
    tmp.write_bytes(pickle.dumps((pack, entries), protocol=pickle.HIGHEST_PROTOCOL))
    os.replace(tmp, folder / _INDEX)


def _repack(folder: Path, pack: str, live: dict) -> tuple[str, dict]:
    """A new pack holding only LIVE's outcomes, copied from PACK in their order there; the index still names
    the old one until _write_index, so a build stopped meanwhile leaves a cache that reads as before."""
    new, out = f"pack-{os.urandom(6).hex()}", {}
    with open(folder / pack, "rb") as src, open(folder / new, "wb") as dst:
        for key, (offset, length) in sorted(live.items(), key=lambda kv: kv[1][0]):
            out[key] = (dst.tell(), length)
            dst.write(os.pread(src.fileno(), length, offset))
    return new, out


def _work(args) -> Outcome:
    path, strict = args
    return process(path, strict)


def process_all(paths: list[Path], *, strict: bool = False, jobs: int = 1, cache: Cache | None = None):
    """Outcomes in the order of PATHS, each as soon as it and those before it are done (so a long build can
    say how far it is); sources the cache knows are not read again."""
    try:
        yield from _outcomes(paths, strict, jobs, cache)
    finally:
        forget_shared()  # what the outcomes share stays shared; the table need not outlive them


def _outcomes(paths: list[Path], strict: bool, jobs: int, cache: Cache | None):
    from .pipeline import _few_cycles

    keys = [cache.key(p) if cache else None for p in paths]
    # Unpickling outcomes makes millions of long-lived objects and no reference cycles, which the collector
    # would walk again and again as they pile up (the cache of 10,000 documents: 2.2 s, 0.8 s without it).
    with _few_cycles():
        known = [cache.get(k) if cache else None for k in keys]
    todo = [p for p, o in zip(paths, known) if o is None]
    if jobs > 1 and len(todo) > 1:
        import multiprocessing

        _warm()  # loaded once here, shared with the forked workers
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            fresh = iter(pool.imap(_work, [(p, strict) for p in todo], chunksize=max(1, min(64, len(todo) // (jobs * 8)))))
            # The workers are forked already, with the collector on (they parse pages, which make cycles);
            # this process only unpickles what they send, as above.
            with _few_cycles():
                yield from _in_order(keys, known, fresh, cache)
        if len(todo) >= _MANY:
            _unwarm()
    else:
        # Read here, with the collector on (pages make cycles), beside the cached outcomes unpickled with it off:
        # those millions of objects were all still in its youngest generation, so each collection the new
        # document set off scanned them again (6 of the 7 s a new document took beside 85,000 cached ones).
        # Frozen, the collector leaves them alone; unfrozen after, as if they had been collected.
        import gc

        gc.freeze()
        try:
            yield from _in_order(keys, known, (process(p, strict) for p in todo), cache)
        finally:
            gc.unfreeze()


def _in_order(keys, known, fresh, cache: Cache | None):
    for key, old in zip(keys, known):
        outcome = old if old is not None else next(fresh)
        if cache and old is None:
            cache.put(key, outcome)
        yield outcome


_MANY = 1000  # sources read afresh after which the models are let go (_unwarm)


def _unwarm() -> None:
    """Let go of the two largest things _warm loaded, once a large build has read its sources: the language
    model and the cities' index hold 130 MB that the later stages, and the processes they fork, would carry to
    the end. Loading them again for another build in this process takes under a second."""
    import py3langid.langid

    from . import places

    py3langid.langid.IDENTIFIER = None
    places._cities.cache_clear()


def _warm() -> None:
    """Load, before the workers fork, what every source needs: each worker would otherwise load it again
    (a second of its time: the language model alone is 0.4 s of decompression)."""
    import charset_normalizer  # noqa: F401
    import feedparser  # noqa: F401
    import ftfy  # noqa: F401
    import py3langid
    import trafilatura  # noqa: F401

    from . import _formats, dates, extraction, lexicon, organizations, places, reading, signatories  # noqa: F401

    organizations.load()
    places._cities()
    lexicon.instruments()
    lexicon.themes()
    dates._patterns(dates.LANGS)
    py3langid.classify("a sentence that loads the language model")
