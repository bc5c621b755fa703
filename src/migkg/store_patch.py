"""A rebuild's store made from the last build's: copied, and only the graphs that changed replaced.

Loading the store is a sixth of a large build, and after adding a source almost every graph is as it was. A
build that publishes through the parts (publish.publish) records, in its cache folder (store/graphs.json),
which source graphs its store holds under which digest (the key its dump parts are cached under: what the
graph is made of, and the code and shapes). The next build copies that store (Oxigraph's backup: hard links to its immutable files on
the same file system, so the copy costs next to nothing and the last good output is never opened for
writing), drops the source graphs that went or changed, loads the changed ones from their cached parts, and
brings the merged graphs up to date quad by quad, told apart by comparing the two builds' dumps of them:
they change with every source (the build's provenance lists them all) but only a little.

The record names the build it belongs to (its inputs digest, as build.json has it); a store that another
build wrote is never patched, and where many graphs changed a fresh load is quicker and is taken instead.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

RECORD = Path("store") / "graphs.json"  # in a folder: the outcome cache prunes the files at its top
FEW = 16  # graphs that may change however small the build; above that, a quarter of the build's graphs


def record(cache_folder: Path, inputs: str | None, keys: dict | None, merged_end: int = 0, screen: str = "") -> None:
    """Note, once the output holds the build of INPUTS, which source graphs its store holds under which KEYS,
    where its TriG dump's merged graphs end and the SCREEN salt its verdict was reached under (validate_delta);
    with no KEYS (a build that published otherwise), forget the last record."""
    path = Path(cache_folder) / RECORD
    if not inputs or not keys:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"inputs": inputs, "merged_end": merged_end, "screen": screen,
                               "graphs": {str(g): k for g, k in keys.items()}}, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)


def patched(kg_dir: Path, into: Path, keys: dict, cache_folder: Path, merged: tuple[Path, int], body):
    """The store at INTO made from KG_DIR's, with the source graphs of KEYS (IRI -> digest) as this build has
    them and the merged graphs as the first MERGED[1] bytes of its TriG dump MERGED[0] have them (prefixes
    first); BODY(digest) is a source graph's cached TriG body, or None. None, and nothing written, where the
    last store cannot be patched."""
    import pyoxigraph as ox

    rec = _before(kg_dir, cache_folder)
    if rec is None:
        return None
    before = rec["graphs"]
    changed = [g for g, k in keys.items() if before.get(str(g)) != k]
    now = {str(g) for g in keys}
    gone = [g for g in before if g not in now]
    if len(changed) + len(gone) > max(FEW, len(keys) // 4):
        return None
    bodies = [body(keys[g]) for g in sorted(changed)]
    if any(b is None for b in bodies):
        return None
    merged = _head(*merged)
    ox.Store.read_only(str(Path(kg_dir) / "store")).backup(str(into))
    store = ox.Store(str(into))
    for g in {str(g) for g in changed if str(g) in before} | set(gone):
        store.remove_graph(ox.NamedNode(g))
    if bodies:
        store.load(input=merged[:_prefixes_end(merged)] + b"".join(bodies), format=ox.RdfFormat.TRIG)
    _merge(store, _head(Path(kg_dir) / "graph.trig", rec["merged_end"]), merged)
    store.flush()
    return store


def _head(path: Path, size: int) -> bytes:
    """The first SIZE bytes of a dump: its prefixes and merged graphs."""
    with open(path, "rb") as fh:
        return fh.read(size)


def _before(kg_dir: Path, cache_folder: Path) -> dict | None:
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


def _merge(store, last: bytes, merged: bytes) -> None:
    """Make the store's merged graphs, which LAST (the last build's, in TriG) describes, hold MERGED's quads:
    only the quads that differ are written. Both are read from their dumps, not out of the store, where each
    term of each quad would be one more lookup; and the last build's quads are held as digests, not as text
    (a 100,000-document build's merged graphs are some 3 million quads)."""
    held, was = set(), set()
    for q in _parse(last):
        held.add(_digest(q))
        was.add(q.graph_name)
    added, now = [], set()
    for q in _parse(merged):
        now.add(q.graph_name)
        d = _digest(q)
        if d in held:
            held.discard(d)  # in both: what is left in HELD is the last build's alone
        else:
            added.append(q)
    if held:
        for q in [q for q in _parse(last) if _digest(q) in held]:
            store.remove(q)
    store.extend(added)
    for g in was - now:  # a graph emptied keeps its name in Oxigraph, where a fresh load would have none
        store.remove_graph(g)


def _parse(trig: bytes):
    import pyoxigraph as ox

    return ox.parse(input=trig, format=ox.RdfFormat.TRIG)


def _digest(quad) -> bytes:
    import hashlib

    return hashlib.blake2b(str(quad).encode("utf-8"), digest_size=16).digest()


def _prefixes_end(trig: bytes) -> int:
    """Where TRIG's prefix lines end (export.header writes them, then a blank line)."""
    end = trig.find(b"\n\n")
    return end + 2 if end >= 0 else 0
