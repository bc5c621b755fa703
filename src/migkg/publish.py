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

from .errors import ValidationFailed

BATCH = 1000  # sources screened together: large enough that a batch's fixed costs vanish, small enough to hold


def publish(parts, kg_dir: Path, report, base: str) -> None:
    from rdflib import Graph
    from rdflib.namespace import VOID

    from . import describe_dataset, export, store, validate_parts

    tmp = _fresh(kg_dir)
    try:
        checker = validate_parts.Screening()
        with report.timed("source graphs"):
            _write_sources(parts, tmp, checker)
        with report.timed("validate"):
            checker.add_merged(parts.merged)
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
                    with open(tmp / f".sources.{fmt}", "rb") as rest:
                        shutil.copyfileobj(rest, out, 1 << 20)
                (tmp / f".sources.{fmt}").unlink()
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


def _write_sources(parts, tmp: Path, checker) -> None:
    """Each source's graph, a batch at a time: screened, then appended to the dumps' source parts, then dropped."""
    from rdflib import Graph

    from . import export

    with open(tmp / ".sources.trig", "wb") as trig, open(tmp / ".sources.ttl", "wb") as ttl:
        for i in range(0, len(parts.sources), BATCH):
            batch = parts.sources[i:i + BATCH]
            blocks = [parts.source_graph(s) for s in batch]
            g = Graph()
            for triples in blocks:
                g.addN((s, p, o, g) for s, p, o in triples)
            checker.add_sources(g, batch)
            del g
            quads = [(s, p, o, graph) for graph, triples in zip(batch, blocks) for s, p, o in triples]
            as_trig, as_ttl = export.bodies(quads, ("trig", "ttl"))
            trig.write(as_trig)
            ttl.write(as_ttl)
            # The build runs with the cycle collector off (pipeline._few_cycles), and a batch's graph and its
            # screen hold reference cycles: without this each batch stayed in memory (1.3 GB at 10,000
            # documents). Only the youngest generation, so the merged graphs are not scanned again each time.
            del blocks, quads, as_trig, as_ttl
            gc.collect(0)


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
