"""The embedded store: a pyoxigraph database in the build output, so lookups never re-parse dumps.

Quads keep their named graph (one per source); queries run with the default
graph as the union of all graphs, which is the merged view.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph

from .errors import NotBuilt


def store_path(kg_dir: Path) -> Path:
    return Path(kg_dir) / "store"


def create_store(kg_dir: Path, dataset=None, quads: list | None = None, trig: Path | None = None,
                 piece: int | None = None):
    """The store in KG_DIR, of DATASET (QUADS, if given, are its own: export.quads_of), or else of the TriG
    file TRIG, which Oxigraph's own parser reads without a Python object per quad: in one load, or with PIECE,
    in pieces of that many bytes (bulk_load_trig). Returned open, for the dataset description to count in;
    the caller drops it."""
    from .export import oxigraph_quads

    path = store_path(kg_dir)
    store = pyoxigraph.Store(str(path))
    if trig is not None and piece is None:
        store.bulk_load(path=str(trig), format=pyoxigraph.RdfFormat.TRIG)
    elif trig is not None:
        bulk_load_trig(store, trig, piece)
    else:
        store.bulk_extend(oxigraph_quads(dataset, quads))  # terms handed over directly: no text to write and parse
    store.flush()
    store.optimize()
    write_name_index(kg_dir, store)
    return store


PIECE = 8 << 20  # bytes of TriG per bulk load
LOADER_MB = 2048  # what Oxigraph's bulk loader may take for one load, beside the build
_OPENS = re.compile(rb"^(\S+) \{\n", re.M)  # a graph block's first line, as Oxigraph writes it


def bulk_load_trig(store, trig: Path, piece: int = PIECE) -> None:
    """Load the TriG dump TRIG (as export writes it: prefix lines, a blank line, then graph blocks) into STORE
    a few megabytes at a time, each piece with the prefixes and cut after a statement, the graph block it
    cuts closed and opened again in the next piece.

    Oxigraph's bulk loader aims at about 2 GB a thread for each load: in one piece, a 1.5-million-quad dump
    took 1.4 GB beside the build, in 8 MB pieces 0.2 GB in as much time. For a 15-million-quad dump one load
    took 1.9 GB and 157 s, pieces 0.25 GB and 250 s (any size of piece: later loads land on what earlier ones
    wrote, and compacting them is the cost), so a build loads in pieces only where one load would raise its
    peak (publish). The cuts are safe because Oxigraph writes every literal on one line (a newline in it
    escaped): a line break after ' .' only ever ends a statement. A blank node's label holds only within one
    load, so a dump with any (migkg mints none) is loaded whole."""
    with open(trig, "rb") as fh:
        if _has_blank_nodes(fh, piece):
            store.bulk_load(fh.read(), format=pyoxigraph.RdfFormat.TRIG)
            return
        head = b""
        while (line := fh.readline()).startswith(b"@prefix ") or (head and line and not line.strip()):
            head += line
        for text in _pieces(fh, line, piece):
            store.bulk_load(head + text, format=pyoxigraph.RdfFormat.TRIG)


def _has_blank_nodes(fh, piece: int) -> bool:
    """Whether the file may hold a blank node ('_:' anywhere, a literal's text included), read from the start
    and left at the start."""
    tail = b""
    for chunk in iter(lambda: fh.read(piece), b""):
        if b"_:" in tail + chunk[:1] or b"_:" in chunk:
            fh.seek(0)
            return True
        tail = chunk[-1:]
    fh.seek(0)
    return False


def _pieces(fh, rest: bytes, piece: int):
    """The graph blocks read from FH after REST, in pieces of about PIECE bytes each ending with a statement;
    a block a cut falls inside is closed at the end of its piece and opened again at the start of the next."""
    opened = b""  # the line opening the graph block the next piece starts inside, if it does
    at_end = False
    while rest or not at_end:
        while not at_end and (len(rest) < piece or rest.rfind(b" .\n") < 0):
            more = fh.read(piece)
            at_end = not more
            rest += more
        cut = len(rest) if at_end else rest.rfind(b" .\n") + 3
        text, rest = rest[:cut], rest[cut:]
        last_open = None
        for last_open in _OPENS.finditer(text):
            pass
        closed = max(text.rfind(b"\n}\n"), 0 if text.startswith(b"}\n") else -1)  # where the last block closes
        start_open = opened
        if last_open is not None and last_open.start() > closed:
            opened = last_open.group(0)
        elif closed >= 0:
            opened = b""
        if text.strip():
            yield start_open + text + (b"}\n" if opened else b"")
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
