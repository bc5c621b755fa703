"""The output stage: validate, write the dumps, the store and the dataset description into a fresh folder
beside the output, and swap it in only if the graph conforms.

A build's sources' graphs (each source's description, the activity that read it and the passages behind its
facts: most of the triples) are written, screened and serialised a batch at a time and then dropped, so the
whole graph is never held in rdflib (about 3 KB a triple). The merged graphs are screened once, with what they
need of the sources beside them (validate_parts). The dumps are the merged graphs' bodies followed by the
sources' (export.body: graph by graph, so the parts concatenate to the dump of the whole), and the store is
loaded from the TriG dump by Oxigraph's own parser.

Where any part may give a SHACL result, or a check finds a row, the build validates the whole graph instead
(publish_whole): pySHACL then writes the exact report, and a graph that does not conform is not published.
"""

from __future__ import annotations

import gc
import json
import shutil
import tempfile
from pathlib import Path

from .errors import MigkgError, ValidationFailed

BATCH = 1000  # sources screened together: large enough that a batch's fixed costs vanish, small enough to hold


def publish(parts, kg_dir: Path, report, base: str, jobs: int = 1) -> None:
    """Publish PARTS (populate.Parts) into KG_DIR; JOBS worker processes write and screen the sources' graphs
    while this one screens the merged graphs. PARTS is let go of once the dumps are written."""
    from rdflib import Graph
    from rdflib.namespace import VOID

    from . import describe_dataset, export, store, validate_parts

    tmp = _fresh(kg_dir)
    try:
        checker = validate_parts.Screening()
        checker.note(parts.sources, parts.statements())
        with report.timed("source graphs"):
            sources = _SourceBatches(parts, tmp, jobs)
            with report.timed("validate"):
                checker.add_merged(parts.merged)
            checker.clean = sources.clean() and checker.clean
        if sources.pool is None:  # one after the other: the merged screen was not beside the sources' graphs
            report.seconds["source graphs"] -= report.seconds["validate"]
        if not checker.clean:
            shutil.rmtree(tmp, ignore_errors=True)
            report.say("  some part may not conform: validating the whole graph, for the exact report")
            with report.timed("populate"):
                for s in parts.sources:
                    parts.source_graph(s, parts.merged.graph(s))
            return publish_whole(parts.merged, kg_dir, report, base)
        with report.timed("dumps"):
            merged = export.bodies(export.quads_of(parts.merged), ("ttl", "trig"))
            for fmt, head in zip(("ttl", "trig"), merged):
                with open(tmp / f"graph.{fmt}", "wb") as out:
                    out.write(export.header())
                    out.write(head)
                    for part in sources.files(fmt):
                        with open(part, "rb") as rest:
                            shutil.copyfileobj(rest, out, 1 << 20)
                        part.unlink()
            del merged, head
        report.organizations = _count_orgs(parts.merged)
        # Everything from here on reads the dumps or the store: the facts and the merged graphs are let go
        # before Oxigraph loads, which is the build's peak (its own buffers beside ours).
        parts.release()
        del checker
        gc.collect()
        with report.timed("store"):
            built = store.create_store(tmp, trig=tmp / "graph.trig")
        with report.timed("describe"):
            void = describe_dataset.write(built, tmp, base)
        del built
        report.triples = int(next(Graph().parse(void, format="turtle").objects(None, VOID.triples)))
        _finish(tmp, kg_dir, report, "The graph conforms to every shape (0 violations, 0 warnings).")
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


class _SourceBatches:
    """The sources' graphs, BATCH sources at a time: each batch written, screened and serialised into part
    files of its own (so the dumps are the parts in order), then dropped. With two jobs or more, forked worker
    processes take the batches, sharing the facts and the merged graphs with this process, which meanwhile
    screens the merged graphs; the caller waits for them with clean()."""

    def __init__(self, parts, tmp: Path, jobs: int):
        self.tmp = tmp
        self.batches = [parts.sources[i:i + BATCH] for i in range(0, len(parts.sources), BATCH)]
        self.count = len(self.batches)
        global _WORK
        _WORK = (parts, tmp, self.batches)
        self.pool = None
        if jobs > 1 and self.count > 1:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            # Fork, so the workers share what was read and resolved; a worker that dies (killed, out of
            # memory) breaks the pool and fails the build, where multiprocessing.Pool would wait for ever.
            self.pool = ProcessPoolExecutor(min(jobs, self.count), mp_context=multiprocessing.get_context("fork"))
            self.futures = [self.pool.submit(_batch, i) for i in range(self.count)]
        else:
            self.verdicts = [_batch(i) for i in range(self.count)]

    def clean(self) -> bool:
        if self.pool is not None:
            from concurrent.futures.process import BrokenProcessPool

            try:
                self.verdicts = [f.result() for f in self.futures]
            except BrokenProcessPool:
                raise MigkgError("a worker process writing the sources' graphs died (killed, or out of memory): "
                                 "nothing was published; build again, with fewer --jobs if memory is short") from None
            finally:
                self.pool.shutdown(wait=True, cancel_futures=True)
        return all(self.verdicts)

    def files(self, fmt: str) -> list[Path]:
        return [self.tmp / f".sources-{i:06d}.{fmt}" for i in range(self.count)]


_WORK = None  # (parts, tmp, batches) of the build running: set before the workers fork, so they inherit it


def _batch(i: int) -> bool:
    """Write batch I's part files and return whether its graphs screen clean."""
    from rdflib import Graph

    from . import export, validate_parts

    parts, tmp, batches = _WORK
    batch = batches[i]
    blocks = [parts.source_graph(s) for s in batch]
    quads = [(s, p, o, graph) for graph, triples in zip(batch, blocks) for s, p, o in triples]
    for fmt, body in zip(("trig", "ttl"), export.bodies(quads, ("trig", "ttl"))):
        (tmp / f".sources-{i:06d}.{fmt}").write_bytes(body)
    del quads, body
    g = Graph()
    for triples in blocks:
        g.addN((s, p, o, g) for s, p, o in triples)
    del blocks
    clean = validate_parts.sources_clean(g)
    # The build runs with the cycle collector off (pipeline._few_cycles), and a batch's graph and its screen
    # hold reference cycles: without this each batch stayed in memory (1.3 GB at 10,000 documents). Only the
    # youngest generation, so the merged graphs are not scanned again each time.
    del g
    gc.collect(0)
    return clean


def publish_whole(ds, kg_dir: Path, report, base: str) -> None:
    """Validate DS, held whole, write every output into a fresh folder beside KG_DIR, and swap it in if the
    graph conforms. A build takes this way only where a part may give a SHACL result, which mostly means a
    graph that does not conform: so the dumps are written only once the graph is known to."""
    from . import describe_dataset, export, store
    from .validate import validate

    report.organizations = _count_orgs(ds)
    tmp = _fresh(kg_dir)
    try:
        with report.timed("validate"):
            result = validate(ds)
        if not result.conforms:
            raise ValidationFailed(result.text())
        quads = export.quads_of(ds)  # read out of rdflib once for the dumps and the store
        with report.timed("dumps"):
            for fmt in ("ttl", "trig"):
                (tmp / f"graph.{fmt}").write_bytes(export.serialize(ds, fmt, quads))
        with report.timed("store"):
            built = store.create_store(tmp, ds, quads)
        with report.timed("describe"):
            describe_dataset.write(built, tmp, base)  # after the dumps: it records their sizes
        del built
        report.triples = len({(s, p, o) for s, p, o, _ in quads})
        _finish(tmp, kg_dir, report, result.text())
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _fresh(kg_dir: Path) -> Path:
    from .pipeline import _umask

    tmp = Path(tempfile.mkdtemp(prefix=f".{kg_dir.name}.new-", dir=kg_dir.parent))
    tmp.chmod(0o777 & ~_umask())  # mkdtemp makes it private; the output is for a web server too
    return tmp


def _finish(tmp: Path, kg_dir: Path, report, validation: str) -> None:
    from .pipeline import _build_info, _swap

    (tmp / "validation.txt").write_text(validation, encoding="utf-8")
    (tmp / "build.json").write_text(json.dumps(_build_info(report), indent=2, sort_keys=True) + "\n", encoding="utf-8")
    _swap(tmp, kg_dir)
    if report.cache is not None:
        report.cache.prune()  # only now: a failed build keeps what the last good one used


def _count_orgs(ds) -> int:
    from .vocab import MKG

    return len({o for _, _, o, _ in ds.quads((None, MKG.party, None, None))})
