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


def create_store(kg_dir: Path, dataset=None, quads: list | None = None, trig: Path | None = None):
    """The store in KG_DIR, of DATASET (QUADS, if given, are its own: export.quads_of), or else of the TriG
    file TRIG, which Oxigraph's own parser reads without a Python object per quad. Returned open, for the
    dataset description to count in; the caller drops it."""
    from .export import oxigraph_quads

    path = store_path(kg_dir)
    store = pyoxigraph.Store(str(path))
    if trig is not None:
        store.bulk_load(path=str(trig), format=pyoxigraph.RdfFormat.TRIG)
    else:
        store.bulk_extend(oxigraph_quads(dataset, quads))  # terms handed over directly: no text to write and parse
    store.flush()
    store.optimize()
    write_name_index(kg_dir, store)
    return store


def write_name_index(kg_dir: Path, store) -> None:
    """names.json beside the store: every name an entity is known by, folded, so that resolving what a
    person types costs a dictionary lookup, not a scan of every label in the store."""
    import json

    from .folding import fold
    from .querying import Embedded, rows, run_terms

    index: dict[str, list[list[str]]] = {}
    for r in rows(run_terms("names", Embedded(store))):
        index.setdefault(fold(r["name"]).strip(), []).append([r["entity"], r["name"]])
    data = {k: sorted(v) for k, v in sorted(index.items())}
    (Path(kg_dir) / "names.json").write_text(json.dumps(data, ensure_ascii=False, indent=0, sort_keys=True) + "\n", encoding="utf-8")


def open_embedded(kg_dir: Path | str | None = None):
    """The built store as a query backend, with its name index when the build wrote one."""
    import json

    from .querying import Embedded

    kg = Path(kg_dir or "dist")
    backend = Embedded(open_store(kg))
    index = kg / "names.json"
    if index.is_file():
        backend.names = json.loads(index.read_text(encoding="utf-8"))
    return backend


def open_store(kg_dir: Path | str | None = None) -> pyoxigraph.Store:
    path = store_path(Path(kg_dir or "dist"))
    if not path.is_dir():
        raise NotBuilt(f"{path}: no built graph here; run `migkg build` (or `make`) first, or pass --kg DIR")
    return pyoxigraph.Store.read_only(str(path))


def query(store: pyoxigraph.Store, sparql: str, bindings: dict | None = None):
    """Run SELECT/ASK/CONSTRUCT with values bound as terms, never pasted into the text."""
    subs = {pyoxigraph.Variable(k): v for k, v in (bindings or {}).items() if v is not None}
    return store.query(sparql, use_default_graph_as_union=True, substitutions=subs)
