"""N-Quads shards of a built graph, for bulk loading into a SPARQL store that scales past this machine.

Each shard holds whole named graphs (one per source, plus the vocabularies and the build's provenance), so a
source is never split across files and a store's bulk loader can take the shards in any order, or in parallel.
The shards are written one at a time from the embedded store: only one named graph's quads are in memory at
once, whatever the size of the graph. Lines are sorted within each graph and graphs are taken in IRI order, so
the same build gives the same bytes; a manifest lists each shard with its graphs, quads and SHA-256.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from pathlib import Path

import pyoxigraph as ox

from .errors import UsageError
from .store import open_store


def write_shards(kg_dir: Path | str, out_dir: Path | str, *, graphs_per_shard: int = 500) -> list[dict]:
    """Write OUT/shard-NNNNN.nq and OUT/shards.json from the store of KG; returns the manifest's entries."""
    if graphs_per_shard < 1:
        raise UsageError(f"--graphs-per-shard {graphs_per_shard}: give a number of graphs of 1 or more")
    store = open_store(kg_dir)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("shard-*.nq"):  # shards of an earlier, larger build would otherwise be loaded too
        old.unlink()
    graphs = sorted(store.named_graphs(), key=lambda g: str(g))
    default = [ox.DefaultGraph()] if any(True for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph())) else []
    names = default + graphs
    entries = []
    for number, start in enumerate(range(0, max(len(names), 1), graphs_per_shard)):
        chunk = names[start:start + graphs_per_shard]
        path = out / f"shard-{number:05d}.nq"
        entries.append(_write(store, chunk, path))
    manifest = {"format": "application/n-quads", "graphs_per_shard": graphs_per_shard, "shards": entries}
    _atomic(out / "shards.json", (json.dumps(manifest, indent=1, sort_keys=True) + "\n").encode("utf-8"))
    return entries


def _write(store: ox.Store, graphs: list, path: Path) -> dict:
    digest, quads = hashlib.sha256(), 0
    tmp = path.with_name(path.name + ".part")
    with tmp.open("wb") as f:
        for graph in graphs:
            buffer = io.BytesIO()
            ox.serialize(store.quads_for_pattern(None, None, None, graph), buffer, ox.RdfFormat.N_QUADS)
            lines = sorted(line for line in buffer.getvalue().split(b"\n") if line)
            for line in lines:
                f.write(line + b"\n")
                digest.update(line + b"\n")
            quads += len(lines)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    return {"file": path.name, "graphs": len(graphs), "quads": quads, "sha256": digest.hexdigest()}


def _atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(data)
    os.replace(tmp, path)
