"""A rebuild's store made from the last build's: copied, and only the graphs that changed replaced.

Loading the store is a sixth of a large build, and after adding a source almost every graph is as it was. A
build that publishes through the parts (publish.publish) records, in its cache folder (store/graphs.json),
which source graphs its store holds under which digest (the key its dump parts are cached under: what the
graph is made of, and the code and shapes). The next build copies that store (Oxigraph's backup: hard links to its immutable files on
the same file system, so the copy costs next to nothing and the last good output is never opened for
writing), drops the source graphs that went or changed, loads the changed ones from their cached parts, and
brings the merged graphs up to date block by block, told apart by comparing the two builds' dumps of them
(dump_diff): they change with every source (the build's provenance lists them all) but only a little.

The record names the build it belongs to (its inputs digest, as build.json has it); a store that another
build wrote is never patched, and where many graphs changed a fresh load is quicker and is taken instead.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

RECORD = Path("store") / "graphs.json"  # in a folder: the outcome cache prunes the files at its top
FEW = 16  # graphs that may change however small the build; above that, a quarter of the build's graphs


def record(cache_folder: Path, inputs: str | None, keys: dict | None, merged_end: int = 0, screen: str = "",
           batches: dict | None = None, sizes: dict | None = None) -> None:
    """Note, once the output holds the build of INPUTS, which source graphs its store holds under which KEYS,
    where its TriG dump's merged graphs end, the SCREEN salt its verdict was reached under (validate_delta),
    and where each batch of sources' graphs lies in its dumps of these SIZES (source_parts); with no KEYS (a
    build that published otherwise), forget the last record."""
    path = Path(cache_folder) / RECORD
    if not inputs or not keys:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"inputs": inputs, "merged_end": merged_end, "screen": screen,
                               "graphs": {str(g): k for g, k in keys.items()}, "batches": batches or {},
                               "sizes": sizes or {}}, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)


def patched(kg_dir: Path, into: Path, keys: dict, rec: dict | None, diff, body):
    """The store at INTO made from KG_DIR's, whose record REC is (last_record), with the source graphs of KEYS
    (IRI -> digest) as this build has them and the merged graphs as this build's dump has them, DIFF
    (dump_diff.between, or None where it could not tell) giving the subject blocks in which they differ from
    the last build's; BODY(digest) is a source graph's cached TriG body, or None. None, and nothing written,
    where the last store cannot be patched."""
    import pyoxigraph as ox

    from .export import header

    if rec is None or diff is None or not may_patch(rec, keys):
        return None
    before = rec["graphs"]
    changed = [g for g, k in keys.items() if before.get(str(g)) != k]
    now = {str(g) for g in keys}
    gone = [g for g in before if g not in now]
    bodies = [body(keys[g]) for g in sorted(changed)]
    if any(b is None for b in bodies):
        return None
    ox.Store.read_only(str(Path(kg_dir) / "store")).backup(str(into))
    store = ox.Store(str(into))
    for g in {str(g) for g in changed if str(g) in before} | set(gone):
        store.remove_graph(ox.NamedNode(g))
    if bodies:
        store.load(input=header() + b"".join(bodies), format=ox.RdfFormat.TRIG)
    _merge(store, diff)
    store.flush()
    return store


def may_patch(rec: dict | None, keys: dict) -> bool:
    """Whether the store of the last build (its record REC) is worth patching for a build whose source graphs
    have KEYS: few enough of them changed or went. patched() may still find it cannot."""
    if rec is None or not keys:
        return False
    before = rec["graphs"]
    changed = sum(1 for g, k in keys.items() if before.get(str(g)) != k)
    gone = len(before.keys() - {str(g) for g in keys})
    return changed + gone <= max(FEW, len(keys) // 4)


def last_record(kg_dir: Path, cache_folder: Path) -> dict | None:
    """The last build's record, if it is the record of the store and dump KG_DIR holds."""
    try:
        rec = json.loads((Path(cache_folder) / RECORD).read_text(encoding="utf-8"))
        built = json.loads((Path(kg_dir) / "build.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(rec, dict) or not isinstance(built, dict) or not (Path(kg_dir) / "store").is_dir():
        return None
    if not rec.get("inputs") or rec.get("inputs") != built.get("inputs") or not isinstance(rec.get("graphs"), dict) \
            or not isinstance(rec.get("merged_end"), int) or rec["merged_end"] <= 0:
        return None
    return rec


def _merge(store, diff) -> None:
    """Make the store's merged graphs, the last build's, hold this build's: the quads of the subject blocks
    only the last build's dump has are removed, and those of the blocks only this one's has are added (a quad
    lies in one block, its graph's and its subject's). Only those blocks are parsed: a 100,000-document
    build's merged graphs are some 3 million quads, and a rebuild after one new source changes a few
    thousand of them."""
    import pyoxigraph as ox

    if diff.gone:
        for q in ox.parse(input=diff.trig(diff.gone), format=ox.RdfFormat.TRIG):
            store.remove(q)
    if diff.came:
        store.extend(ox.parse(input=diff.trig(diff.came), format=ox.RdfFormat.TRIG))
    # A graph emptied keeps its name in Oxigraph, where a fresh load would have none.
    for g in diff.graphs_before - diff.graphs_after:
        store.remove_graph(ox.NamedNode(g[1:-1].decode("utf-8")))
