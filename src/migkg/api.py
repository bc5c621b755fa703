"""The Python API: `migkg.load("dist")` opens a built graph for notebooks and scripts.

    kg = migkg.load("dist")
    kg.query("partners", org="https://w3id.org/migkg/org/iom")   # a stored query -> list of dicts
    kg.sparql("SELECT ...")                                        # any SELECT -> list of dicts
    kg.dataframe("agreements")                                     # the same rows as a pandas DataFrame
    kg.graph                                                       # rdflib Dataset of graph.trig (parsed on first use)

Values come back as plain Python (str, int, float, bool, None), so rows can go
straight to json, csv or pandas without knowing about RDF terms.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .errors import MigkgError, NotBuilt, UsageError

_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {_XSD + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
                                 "nonPositiveInteger", "negativeInteger", "unsignedInt", "unsignedLong",
                                 "unsignedShort", "unsignedByte")}
_FLOATS = {_XSD + t for t in ("decimal", "double", "float")}


class KnowledgeGraph:
    """A built graph folder (what `migkg build --kg DIR` writes). Opened read-only; nothing is loaded until used."""

    def __init__(self, kg_dir: Path | str = "dist"):
        self.path = Path(kg_dir)
        if not (self.path / "store").is_dir():
            raise NotBuilt(f"{self.path}: no built graph here; run `migkg build --kg {self.path}` first")
        self._backend = None
        self._graph = None

    def __repr__(self) -> str:
        return f"<migkg.KnowledgeGraph {str(self.path)!r}>"

    @property
    def backend(self):
        if self._backend is None:
            from .store import open_embedded

            self._backend = open_embedded(self.path)
        return self._backend

    @property
    def graph(self):
        """rdflib Dataset of every named graph; its default graph is their union, like the store's."""
        if self._graph is None:
            from rdflib import Dataset

            ds = Dataset(default_union=True)
            ds.parse(self.path / "graph.trig", format="trig")
            self._graph = ds
        return self._graph

    def queries(self) -> list[str]:
        from .querying import list_queries

        return [q.name for q in list_queries()]

    def query(self, name: str, **params) -> list[dict]:
        """Run the stored query NAME (see `migkg queries`); parameters as keyword arguments."""
        from .querying import run

        return _plain(run(name, _params(params), store=self.backend))

    def sparql(self, text: str) -> list[dict]:
        """Run a SELECT query over the union of all graphs."""
        import pyoxigraph as ox

        try:
            solutions = self.backend.store.query(text, use_default_graph_as_union=True)
        except SyntaxError as e:
            raise UsageError(f"the query does not parse: {e}") from None
        if not isinstance(solutions, ox.QuerySolutions):
            raise UsageError("sparql() answers SELECT queries; use kg.graph.query() for ASK, CONSTRUCT or DESCRIBE")
        columns = [v.value for v in solutions.variables]
        return [{c: value(s[c]) for c in columns} for s in solutions]

    def dataframe(self, name: str, **params):
        """The stored query's rows as a pandas DataFrame, columns in the query's order (needs pandas)."""
        try:
            import pandas as pd
        except ImportError:
            raise MigkgError("dataframe() needs pandas: pip install 'migkg[pandas]' (or pandas)") from None
        from .querying import run

        result = run(name, _params(params), store=self.backend)
        return pd.DataFrame(_plain(result), columns=result.columns)


def load(kg_dir: Path | str = "dist") -> KnowledgeGraph:
    """Open the graph built into KG_DIR."""
    return KnowledgeGraph(kg_dir)


def value(term):
    """A pyoxigraph term as a plain Python value: numbers and booleans by their datatype, everything else a string."""
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.Literal) and term.datatype is not None:
        dtype = term.datatype.value
        try:
            if dtype in _INTEGERS:
                return int(term.value)
            if dtype in _FLOATS:
                return float(term.value)
            if dtype == _XSD + "boolean":
                return term.value in ("true", "1")
        except ValueError:
            pass  # an ill-typed literal is still worth showing as written
    return term.value


def _plain(result) -> list[dict]:
    return [{c: value(r[c]) for c in result.columns} for r in result.rows]


def _params(params: dict) -> dict[str, str]:
    """Stored queries take what a user would type; Python values are written the way the CLI expects them.
    None leaves an optional parameter unbound, as leaving it out does."""
    out = {}
    for name, v in params.items():
        if v is None:
            continue
        if isinstance(v, bool):
            raise UsageError(f"parameter {name}: give a string, number, date or IRI, not {v!r}")
        out[name] = v.isoformat()[:10] if isinstance(v, (dt.date, dt.datetime)) else str(v)
    return out
