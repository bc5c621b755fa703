"""The sources' graphs in the dumps: written, screened and serialised a batch at a time, and cached per source.

Each source's graph (its description, the activity that read it and the passages behind its facts: most of a
build's triples) is written, screened (validate_parts.sources_clean) and serialised into part files of its
batch, which the dumps then concatenate in order; then it is dropped. With two jobs or more, forked worker
processes take the batches, sharing what was read and resolved with the main process, which meanwhile
screens the merged graphs.

A source's dump parts are kept in the build's cache under a digest of everything its graph is made of
(populate's source_digest) and of the code, ontology and shapes; a rebuild writes and screens only the
sources whose digest is new, so adding one source to many costs one source's graph, not all of them. Parts are
cached only from a batch that screened clean: a cached part was once screened clean with the same code.

A batch ends where one of its sources says so (_cut), not after a fixed count, so that adding or removing a
source changes only the batch it falls in. A rebuild copies each batch whose sources and keys are as they
were straight from the last build's dumps, where the record (store_patch.record) says it lies, without
opening a cached part: the sources' graphs are most of the dumps' bytes.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import shutil
from pathlib import Path

from .errors import MigkgError

# Sources screened together: large enough that a batch's fixed costs vanish, small enough to hold. A batch ends
# after a source whose IRI's digest is 0 modulo BATCH (or at CAP sources), not every BATCH sources: adding or
# removing a source then changes only its own batch, and the next build copies every other one from the last
# build's dumps as it was.
BATCH, CAP = 500, 2000
_FORMATS = ("trig", "ttl")


class SourceParts:
    """The batches of one build; the caller waits for the workers with clean() and then append()s the batches
    to the dumps in order.

    LAST is the last good build's output folder and its record's batches (batch key -> where the batch lies in
    each of that build's dumps, and its figures: store_patch.record), or None: a batch made of the same sources
    with the same keys is copied from those dumps, not read again part by part."""

    def __init__(self, parts, tmp: Path, jobs: int, cache=None, base: str = "", last: tuple | None = None):
        self.tmp = tmp
        self.batches = _cut(parts.sources)
        self.count = len(self.batches)
        folder = Path(cache.folder) / "parts" if cache is not None else None
        salt = _salt(cache.version) if folder is not None else ""
        keys = {s: hashlib.sha256((salt + parts.source_digest(s)).encode()).hexdigest() for s in parts.sources} \
            if folder is not None else {}
        self.keys, self.folder = keys, folder
        self.batch_keys = [hashlib.sha256("".join(keys[s] for s in b).encode()).hexdigest() for b in self.batches] \
            if keys else [None] * self.count
        self.last_dir, before = last if last is not None else (None, {})
        self.copied = {i: before[k] for i, k in enumerate(self.batch_keys) if k is not None and k in before}
        self.spans: list = []  # where each batch lies in this build's dumps, once append() has run
        self.merged_end = 0  # where the merged graphs end in the TriG dump, once it is written (publish)
        todo = [i for i in range(self.count) if i not in self.copied]
        global _WORK
        _WORK = (parts, tmp, self.batches, folder, keys, base)
        self.pool = None
        self.outcomes = [(True, len(b), self.copied[i].get("figures")) if i in self.copied else None
                         for i, b in enumerate(self.batches)]
        if jobs > 1 and len(todo) > 1:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            # Fork, so the workers share what was read and resolved; a worker that dies (killed, out of
            # memory) breaks the pool and fails the build, where multiprocessing.Pool would wait for ever.
            self.pool = ProcessPoolExecutor(min(jobs, len(todo)), mp_context=multiprocessing.get_context("fork"))
            self.futures = {i: self.pool.submit(_batch, i) for i in todo}
        else:
            for i in todo:
                self.outcomes[i] = _batch(i)

    def clean(self) -> bool:
        """Wait for every batch; whether all screened clean."""
        if self.pool is not None:
            from concurrent.futures.process import BrokenProcessPool

            try:
                for i, f in self.futures.items():
                    self.outcomes[i] = f.result()
            except BrokenProcessPool:
                raise MigkgError("a worker process writing the sources' graphs died (killed, or out of memory): "
                                 "nothing was published; build again, with fewer --jobs if memory is short") from None
            finally:
                self.pool.shutdown(wait=True, cancel_futures=True)
        return all(clean for clean, _, _ in self.outcomes)

    @property
    def reused(self) -> int:
        """How many sources' parts came from the cache."""
        return sum(n for _, n, _ in self.outcomes)

    def counted(self):
        """The sources' graphs' VoID figures summed (describe_dataset.Counted), or None if some graph has a
        subject it does not own, so that their figures would not add up."""
        from .describe_dataset import Counted

        total = Counted()
        for _, _, figures in self.outcomes:
            if figures is None:
                return None
            total.add(Counted.from_tuple(figures))
        return total

    def pieces(self) -> list[tuple[Path, int, int]]:
        """Where each batch's TriG lies now, as (file, start, length): its worker's part file, or the last
        build's dump for a batch copied from it. Read by the store's loader (store_loader) beside append()."""
        out = []
        for i in range(self.count):
            if i in self.copied:
                out.append((self.last_dir / "graph.trig", *self.copied[i]["trig"]))
            else:
                part = self.tmp / f".sources-{i:06d}.trig"
                out.append((part, 0, part.stat().st_size))
        return out

    def discard(self) -> None:
        """Remove the part files append() was told to keep."""
        for part in self.tmp.glob(".sources-*"):
            part.unlink()

    def append(self, outs: dict, keep: tuple = ()) -> None:
        """Each batch's part of the dumps written after what OUTS (format -> binary file) hold, in order: copied
        from the last build's dump where the batch is as it was, else from the part file its worker wrote,
        which is then removed unless its format is in KEEP (the store's loader may not have read it yet)."""
        olds = {fmt: open(self.last_dir / f"graph.{fmt}", "rb") for fmt in outs} if self.copied else {}
        try:
            for i in range(self.count):
                span = {}
                for fmt, out in outs.items():
                    start = out.tell()
                    if i in self.copied:
                        _copy(olds[fmt], *self.copied[i][fmt], out)
                    else:
                        part = self.tmp / f".sources-{i:06d}.{fmt}"
                        with open(part, "rb") as rest:
                            shutil.copyfileobj(rest, out, 1 << 20)
                        if fmt not in keep:
                            part.unlink()
                    span[fmt] = [start, out.tell() - start]
                self.spans.append(span)
        finally:
            for fh in olds.values():
                fh.close()

    def record(self) -> dict:
        """Where each batch lies in this build's dumps, by batch key, with its figures: what the next build
        copies a batch that did not change from (store_patch.record keeps it)."""
        return {k: {**span, "figures": figures}
                for k, span, (_, _, figures) in zip(self.batch_keys, self.spans, self.outcomes) if k is not None}

    def body(self, key: str) -> bytes | None:
        """The TriG body cached under KEY, if it still is."""
        cached = _cached(self.folder, key) if self.folder is not None else None
        return cached[_FORMATS.index("trig")] if cached is not None else None

    def used(self) -> set[str]:
        """The cache entries this build's dumps are made of, so that pruning keeps them."""
        return set(self.keys.values())


def last_batches(kg_dir: Path, rec: dict | None) -> tuple | None:
    """(KG_DIR, batch key -> entry) from the last build's record REC (store_patch.last_record), for SourceParts'
    LAST; None where its dumps are not the size it recorded or an entry is not as record() writes it."""
    if rec is None or not isinstance(rec.get("batches"), dict) or not isinstance(rec.get("sizes"), dict):
        return None
    try:
        if any((Path(kg_dir) / f"graph.{fmt}").stat().st_size != rec["sizes"].get(fmt) for fmt in _FORMATS):
            return None
    except OSError:
        return None
    def spans(e) -> bool:
        return all(isinstance(e.get(f), list) and len(e[f]) == 2 and all(isinstance(n, int) and n >= 0 for n in e[f])
                   for f in _FORMATS)

    if not all(isinstance(e, dict) and spans(e) for e in rec["batches"].values()):
        return None
    return Path(kg_dir), rec["batches"]


def _cut(sources: list) -> list[list]:
    """SOURCES (sorted) in batches whose ends are chosen by the sources themselves (BATCH)."""
    batches, current = [], []
    for s in sources:
        current.append(s)
        digest = hashlib.blake2b(str(s).encode("utf-8"), digest_size=8).digest()
        if len(current) >= CAP or int.from_bytes(digest, "big") % BATCH == 0:
            batches.append(current)
            current = []
    if current:
        batches.append(current)
    return batches


def _copy(src, start: int, length: int, out) -> None:
    """LENGTH bytes of SRC from START appended to OUT, in the kernel where it can (copy_file_range)."""
    out.flush()
    try:
        while length > 0:
            n = os.copy_file_range(src.fileno(), out.fileno(), length, start)
            if n <= 0:
                break
            start, length = start + n, length - n
    except (OSError, AttributeError):
        pass  # a file system or system that cannot: copied below instead
    out.seek(0, os.SEEK_END)
    src.seek(start)
    while length > 0:
        chunk = src.read(min(length, 1 << 20))
        if not chunk:
            raise MigkgError(f"{src.name}: shorter than its build recorded; build again with --no-cache")
        out.write(chunk)
        length -= len(chunk)


_WORK = None  # (parts, tmp, batches, cache folder, keys, base) of the build running: set before the workers fork


def _salt(code_version: str) -> str:
    """What every source's part also depends on: the code (its CODE_VERSION, which covers the ontology and
    reference data, as the cache of outcomes computed it) and the shapes it is screened against."""
    from . import resources

    h = hashlib.sha256(code_version.encode())
    for p in sorted(Path(resources.shapes_dir()).rglob("*")):
        if p.is_file():
            h.update(p.name.encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def _batch(i: int) -> tuple[bool, int, tuple | None]:
    """Write batch I's part files; whether its new graphs screen clean, how many came from the cache, and the
    VoID figures of its graphs (describe_dataset.Counted, as a tuple) or None where they would not add up."""
    from . import export, validate_parts
    from .describe_dataset import Counted
    from .indexed import Indexed

    parts, tmp, batches, folder, keys, base = _WORK
    batch = batches[i]
    bodies = {s: _cached(folder, keys[s]) for s in batch} if folder is not None else dict.fromkeys(batch)
    fresh = [s for s in batch if bodies[s] is None]
    blocks = {s: parts.source_graph(s) for s in fresh}
    term, order = export.oxigraph_terms(), export._orderer()  # shared by the batch's sources, which share terms
    for s in fresh:
        bodies[s] = (*export.graph_bodies([(a, b, c, s) for a, b, c in blocks[s]], term=term, order=order),
                     _figures(s, blocks[s], base))  # TriG and Turtle: _FORMATS' order
    total = Counted()
    for s in batch:
        figures = bodies[s][len(_FORMATS)]
        total = total.add(Counted.from_tuple(figures)) if figures is not None and total is not None else None
    for n, fmt in enumerate(_FORMATS):
        with open(tmp / f".sources-{i:06d}.{fmt}", "wb") as out:
            out.writelines(bodies[s][n] for s in batch)
    clean = True
    if fresh:
        g = Indexed()
        for triples in blocks.values():
            g.update(triples)
        del blocks
        clean = validate_parts.sources_clean(g)
        del g
    if clean and folder is not None:
        for s in fresh:
            _keep(folder, keys[s], bodies[s])
    # The build runs with the cycle collector off (pipeline._few_cycles); without this, each batch once stayed
    # in memory (1.3 GB at 10,000 documents). Measured since parses keep no caller's frames (sparql_algebra),
    # it finds nothing after a worker's first batch: kept, for a few hundredths of a second a batch, so that a
    # cycle anything makes costs one batch's memory, not every batch's. Only the youngest generation, so the
    # merged graphs are not scanned again each time.
    del bodies
    gc.collect(0)
    return clean, len(batch) - len(fresh), total.as_tuple() if total is not None else None


def _figures(s, triples, base: str) -> tuple | None:
    """The VoID figures of source S's graph, or None if it has a subject that is not its own (minted from S's
    IRI: the source, its passages, its extraction, its evidence), so that another graph could share it."""
    from .describe_dataset import Counted

    itself = {str(s), base + "extraction/" + str(s)[len(base) + len("source/"):]}
    below = (str(s) + "/", base + "evidence/")  # evidence IRIs are digests of the source's IRI and the fact
    triples = set(triples)
    # Over the distinct subjects: a source graph gives each subject several triples, and str() copies an IRI.
    if not base or any(str(n) not in itself and not str(n).startswith(below) for n in {t[0] for t in triples}):
        return None
    return Counted.of(triples, base).as_tuple()


def _cached(folder: Path, key: str):
    try:
        with open(folder / key[:2] / key, "rb") as fh:
            parts = pickle.load(fh)  # our own files, in the build's own cache folder
    except (OSError, pickle.UnpicklingError, EOFError, ValueError):
        return None
    return parts if isinstance(parts, tuple) and len(parts) == len(_FORMATS) + 1 else None  # + its figures


def _keep(folder: Path, key: str, bodies) -> None:
    path = folder / key[:2] / key
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{key}.{os.getpid()}.tmp")
    tmp.write_bytes(pickle.dumps(tuple(bodies), protocol=pickle.HIGHEST_PROTOCOL))
    os.replace(tmp, path)


def prune(folder: Path, used: set[str]) -> None:
    """Remove the cached parts no source of the last good build is made of."""
    root = Path(folder) / "parts"
    if root.is_dir():
        for sub in root.iterdir():
            for p in sub.iterdir() if sub.is_dir() else ():
                if p.name not in used:
                    p.unlink(missing_ok=True)
