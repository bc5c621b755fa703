"""A rebuild's store made from the last build's: copied, and only the graphs that changed replaced.

Loading the store is a sixth of a large build, and after adding a source almost every graph is as it was. A
build that publishes through the parts (publish.publish) records, in its cache folder (store/graphs.json), which source graphs its
store holds under which digest (the key its dump parts are cached under: what the graph is made of, and the
code and shapes). The next build copies that store (Oxigraph's backup: hard links to its immutable files on
the same file system, so the copy costs next to nothing and the last good output is never opened for
writing), drops the source graphs that went or changed, loads the changed ones from their cached parts, and
brings the merged graphs up to date quad by quad: they change with every source (the build's provenance
lists them all) but only a little.

The record names the build it belongs to (its inputs digest, as build.json has it); a store that another
build wrote is never patched, and where many graphs changed a fresh load is quicker and is taken instead.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

RECORD = Path("store") / "graphs.json"  # in a folder: the outcome cache prunes the files at its top
FEW = 16  # graphs that may change however small the build; above that, a quarter of the build's graphs


def record(cache_folder: Path, inputs: str | None, keys: dict | None) -> None:
    """Note, once KG_DIR holds the build of INPUTS, which source graphs its store holds under which KEYS;
    with no KEYS (a build that published otherwise), forget the last record."""
    path = Path(cache_folder) / RECORD
    if not inputs or not keys:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"inputs": inputs, "graphs": {str(g): k for g, k in keys.items()}}, sort_keys=True),
                   encoding="utf-8")
    os.replace(tmp, path)


def patched(kg_dir: Path, into: Path, keys: dict, cache_folder: Path, merged: bytes, body):
    """The store at INTO made from KG_DIR's, with the source graphs of KEYS (IRI -> digest) as this build has
    them and the merged graphs as MERGED (TriG, with its prefixes) has them; BODY(digest) is a source graph's
    cached TriG body, or None. None, and nothing written, where the last store cannot be patched."""
    import pyoxigraph as ox

    before = _before(kg_dir, cache_folder)
    if before is None:
        return None
    changed = [g for g, k in keys.items() if before.get(str(g)) != k]
    now = {str(g) for g in keys}
    gone = [g for g in before if g not in now]
    if len(changed) + len(gone) > max(FEW, len(keys) // 4):
        return None
    bodies = [body(keys[g]) for g in sorted(changed)]
    if any(b is None for b in bodies):
        return None
    ox.Store.read_only(str(Path(kg_dir) / "store")).backup(str(into))
    store = ox.Store(str(into))
    for g in {str(g) for g in changed if str(g) in before} | set(gone):
        store.remove_graph(ox.NamedNode(g))
    if bodies:
        store.load(input=merged[:_prefixes_end(merged)] + b"".join(bodies), format=ox.RdfFormat.TRIG)
    _merge(store, merged, {*before, *now})
    store.flush()
    return store


def _before(kg_dir: Path, cache_folder: Path) -> dict | None:
    """The last build's record, if it is the record of the store KG_DIR holds."""
    try:
        rec = json.loads((Path(cache_folder) / RECORD).read_text(encoding="utf-8"))
        built = json.loads((Path(kg_dir) / "build.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(rec, dict) or not isinstance(built, dict) or not (Path(kg_dir) / "store").is_dir():
        return None
    graphs = rec.get("graphs")
    return graphs if rec.get("inputs") and rec.get("inputs") == built.get("inputs") and isinstance(graphs, dict) else None


def _merge(store, merged: bytes, sources: set) -> None:
    """Make the graphs that are not SOURCES' hold MERGED's quads: only the quads that differ are written."""
    import pyoxigraph as ox

    new = {str(q) for q in ox.parse(input=merged, format=ox.RdfFormat.TRIG)}
    stale = []
    for g in list(store.named_graphs()):
        if isinstance(g, ox.NamedNode) and g.value in sources:
            continue
        for q in store.quads_for_pattern(None, None, None, g):
            key = str(q)
            if key in new:
                new.discard(key)  # there already: what is left in NEW is to add
            else:
                stale.append(q)
    for q in stale:
        store.remove(q)
    if new:  # str(Quad) is an N-Quads statement less its final dot
        store.load(input="".join(f"{q} .\n" for q in sorted(new)).encode("utf-8"), format=ox.RdfFormat.N_QUADS)


def _prefixes_end(trig: bytes) -> int:
    """Where TRIG's prefix lines end (export.header writes them, then a blank line)."""
    end = trig.find(b"\n\n")
    return end + 2 if end >= 0 else 0
