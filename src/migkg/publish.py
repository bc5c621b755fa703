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
from .vocab import MKG

def publish(parts, kg_dir: Path, report, base: str, jobs: int = 1) -> None:
    """Publish PARTS (populate.Parts) into KG_DIR; JOBS worker processes write and screen the sources' graphs
    while this one screens the merged graphs. PARTS is let go of as soon as nothing reads it: before
    the dumps are written in a first build, after them in a rebuild (its screen of what changed reads both)."""
    from rdflib import Graph
    from rdflib.namespace import VOID

    from . import describe_dataset, export, source_parts, store, store_loader, store_patch, validate_delta, validate_parts

    tmp = _fresh(kg_dir)
    loader = None
    try:
        checker = validate_parts.Screening()
        # The last build's record, read once: what a rebuild copies, compares, screens and patches from.
        rec = store_patch.last_record(kg_dir, report.cache.folder) if report.cache is not None else None
        # A rebuild screens the merged graphs where they changed, once its dump is written (validate_delta).
        delta = validate_delta.Delta.of(rec, report.cache)
        with report.timed("source graphs"):
            last = source_parts.last_batches(kg_dir, rec)
            sources = source_parts.SourceParts(parts, tmp, jobs, report.cache, base, last)
            if delta is None:
                _merged_screen(checker, parts, report)
            checker.clean = sources.clean() and checker.clean
        report.graphs_reused, report.batches_copied = sources.reused, len(sources.copied)
        if sources.reused:
            report.say(f"  {sources.reused:,} of {len(parts.sources):,} sources' graphs unchanged, from the cache "
                       f"({len(sources.copied):,} of {sources.count:,} batches as the last build's dumps hold them)")
        if sources.pool is None and delta is None:  # one after the other: the merged screen was not beside them
            report.seconds["source graphs"] -= report.seconds["validate"]
        if not checker.clean:
            return _whole(parts, kg_dir, tmp, report, base)
        if jobs > 1 and not store_patch.may_patch(rec, sources.keys):
            # A store made from scratch: loaded by a process of its own while this one writes the dumps and
            # lets go of the facts (store_loader), which leave a core free.
            loader = store_loader.Background(tmp, sources.pieces())
        with report.timed("dumps"):
            quads = parts.merged.quads()
        if delta is None:
            # A first build reads nothing more of the facts or the merged graphs: they are let go before the
            # dumps rank and convert the quads, where a 100,000-document build reached its peak beside them.
            checker = None
            _release(parts, report)
        with report.timed("dumps"):
            counted = _counted(quads, base, sources.counted())
            party = MKG.party  # looked up once: a namespace's attribute is a method call, and this runs per quad
            report.organizations = len({o for _, p, o, _ in quads if p == party})
            outs = {fmt: open(tmp / f"graph.{fmt}", "wb") for fmt in ("ttl", "trig")}
            try:
                for out in outs.values():
                    out.write(export.header())
                export.write_bodies(quads, outs, consume=True)
                del quads
                sources.merged_end = outs["trig"].tell()  # where its merged graphs end: read again to patch the store
                if loader is not None:
                    outs["trig"].flush()
                    loader.merged(tmp / "graph.trig", sources.merged_end)
                sources.append(outs, keep=("trig",) if loader is not None else ())
            finally:
                for out in outs.values():
                    out.close()
        diff = _diff(kg_dir, tmp, sources, report, rec)
        if delta is not None:
            with report.timed("validate"):
                verdict = delta.clean(parts, sources.keys, diff)
            if verdict is None:
                _merged_screen(checker, parts, report)
                verdict = checker.clean
            else:
                report.merged_focus_screened = delta.focus
                report.say(f"  merged graphs: {delta.focus:,} focus nodes screened again, where they changed")
            if not verdict:
                if loader is not None:
                    loader.stop()
                return _whole(parts, kg_dir, tmp, report, base)
            # Everything from here on reads the dumps or the store: the facts and the merged graphs are let go
            # first, so the store's load and compaction have the memory they held.
            del checker
            _release(parts, report)
        with report.timed("store"):  # with a loader, only the wait for it after the dumps and the release
            if loader is not None:
                built = loader.wait()
                sources.discard()
                store.write_name_index(tmp, built)
            else:
                built = _patched(kg_dir, tmp, sources, report, rec, diff)
            if built is None:
                built = store.create_store(tmp, trig=tmp / "graph.trig", piece=_piece())
        with report.timed("describe"):
            void = describe_dataset.write(built, tmp, base, counted)
        del built
        report.triples = int(next(Graph().parse(void, format="turtle").objects(None, VOID.triples)))
        _finish(tmp, kg_dir, report, "The graph conforms to every shape (0 violations, 0 warnings).", sources)
    except BaseException:
        if loader is not None:
            loader.stop()
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _release(parts, report) -> None:
    with report.timed("release"):
        parts.release()
        gc.collect()  # the few cycles among them: the build runs with the collector off (pipeline._few_cycles)


def _merged_screen(checker, parts, report) -> None:
    """The merged graphs screened: a chunk of nodes at a time where they are large (validate_chunked), else whole
    (validate_parts) with what they read of the sources listed first. After the workers that write the sources'
    graphs are forked: the screen then runs beside them instead of before them, and the workers do not inherit
    the memory it takes."""
    from . import validate_chunked

    with report.timed("validate"):
        verdict = validate_chunked.clean(parts) if checker.clean and validate_chunked.worth(parts) else None
        if verdict is not None:
            checker.clean = verdict
            report.merged_screened_in_chunks = True
            return
        checker.note(parts.sources, parts.statements())
        checker.add_merged(parts.merged.triples())


def _whole(parts, kg_dir: Path, tmp: Path, report, base: str) -> None:
    shutil.rmtree(tmp, ignore_errors=True)
    report.say("  some part may not conform: validating the whole graph, for the exact report")
    with report.timed("populate"):
        for s in parts.sources:
            parts.source_graph(s, parts.merged.graph(s))
        ds = parts.merged.dataset()
        parts.merged = None
    return publish_whole(ds, kg_dir, report, base)


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


def _finish(tmp: Path, kg_dir: Path, report, validation: str, sources=None) -> None:
    from . import source_parts, store_patch, validate_delta
    from .pipeline import _build_info, _swap

    (tmp / "validation.txt").write_text(validation, encoding="utf-8")
    (tmp / "build.json").write_text(json.dumps(_build_info(report), indent=2, sort_keys=True) + "\n", encoding="utf-8")
    if report.cache is not None:  # a record that outlived its store is never trusted: it names the build's inputs
        store_patch.record(report.cache.folder, None, None)
    _swap(tmp, kg_dir)
    if report.cache is not None:
        if sources is not None:
            sizes = {fmt: (kg_dir / f"graph.{fmt}").stat().st_size for fmt in source_parts._FORMATS}
            store_patch.record(report.cache.folder, report.inputs, sources.keys, sources.merged_end,
                               validate_delta.salt(report.cache.version), sources.record(), sizes)
        else:
            store_patch.record(report.cache.folder, None, None)
        report.cache.prune()  # only now: a failed build keeps what the last good one used
        if sources is not None:
            source_parts.prune(report.cache.folder, sources.used())


def _piece() -> int | None:
    """None, for the store to be loaded in one piece, where Oxigraph's loader fits under the peak this build
    has reached already (a large build's is the merged graphs, long let go of); else store.PIECE. In one piece
    a 15-million-quad load is faster by a third; in pieces, it takes a tenth of the memory."""
    from . import store
    from .pipeline import _resident_mb

    now, peak = _resident_mb()
    return None if now and now + store.LOADER_MB <= peak else store.PIECE


def _diff(kg_dir: Path, tmp: Path, sources, report, rec):
    """This build's merged graphs against the last build's (its record REC), subject block by subject block
    (dump_diff), for the merged screen and the store patch; None where there is no last build to trust or its
    dump's layout is not recognised."""
    from . import dump_diff

    if rec is None or not sources.keys:
        return None
    with report.timed("compare"):
        try:
            return dump_diff.between(kg_dir / "graph.trig", rec["merged_end"], tmp / "graph.trig", sources.merged_end)
        except dump_diff.Unrecognised:
            return None


def _patched(kg_dir: Path, tmp: Path, sources, report, rec, diff):
    """The last build's store with what changed replaced (store_patch), its name index written; or None."""
    from . import store, store_patch

    if report.cache is None or not sources.keys:
        return None
    built = store_patch.patched(kg_dir, store.store_path(tmp), sources.keys, rec, diff, sources.body)
    if built is not None:
        store.write_name_index(tmp, built)
        report.store_patched = True
    return built


def _counted(quads, base: str, sources):
    """The VoID figures of the whole graph: the merged graphs' QUADS counted here, plus the sources' graphs'
    own (SOURCES), or None where they would not add up (SOURCES is None, or a merged graph describes a node
    that a source's graph owns)."""
    from rdflib import URIRef

    from .describe_dataset import Counted

    if sources is None:
        return None
    vocab = URIRef(base + "graph/vocabularies")
    listed = {s for s, _, _, g in quads if g == vocab}
    triples = {(s, p, o) for s, p, o, _ in quads}
    theirs = (base + "source/", base + "evidence/", base + "extraction/")
    if any(str(s).startswith(theirs) for s in {s for s, _, _ in triples}):
        return None
    return Counted.of(triples, base, listed).add(sources)


def _count_orgs(ds) -> int:
    return len({o for _, _, o, _ in ds.quads((None, MKG.party, None, None))})
