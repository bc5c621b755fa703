"""The embedded store: a pyoxigraph database in the build output, so lookups never re-parse dumps.

Quads keep their named graph (one per source); queries run with the default
graph as the union of all graphs, which is the merged view.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph

from .errors import NotBuilt


def store_path(kg_dir: Path) -> Path:
    return Path(kg_dir) / "store"


def create_store(kg_dir: Path, dataset) -> None:
    from .export import serialize

    path = store_path(kg_dir)
    store = pyoxigraph.Store(str(path))
    store.bulk_load(serialize(dataset, "nq"), format=pyoxigraph.RdfFormat.N_QUADS)
    store.flush()
    store.optimize()
    del store


def open_store(kg_dir: Path | str | None = None) -> pyoxigraph.Store:
    path = store_path(Path(kg_dir or "dist"))
    if not path.is_dir():
        raise NotBuilt(f"{path}: no built graph here; run `migkg build` (or `make`) first, or pass --kg DIR")
    return pyoxigraph.Store.read_only(str(path))


def query(store: pyoxigraph.Store, sparql: str, bindings: dict | None = None):
    """Run SELECT/ASK/CONSTRUCT with values bound as terms, never pasted into the text."""
    subs = {pyoxigraph.Variable(k): v for k, v in (bindings or {}).items() if v is not None}
    return store.query(sparql, use_default_graph_as_union=True, substitutions=subs)
