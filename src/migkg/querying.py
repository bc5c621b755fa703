"""Stored SPARQL queries: one .rq file each in queries/, found by name, with grlc-style headers.

    #+ summary: one line
    #+ description: what it answers
    #+ param: org iri - the organization (required)
    #+ param: since date 1900-01-01 - earliest signing date

A parameter without a default is required; `none` as default makes it optional,
and an optional parameter left out stays unbound (the query's FILTERs read
"not asked, or holds"). Values are checked against the parameter's type, made
into RDF terms, and bound through one SPARQL VALUES clause at the top of the
query's WHERE: the term's own serialization escapes it, so a value can never
become query syntax. The same bound text runs on the embedded store, on any
SPARQL 1.1 endpoint and on rdflib, which is what keeps the three comparable.
(pyoxigraph's `substitutions` are not used: they do not reach FILTER expressions.)
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from . import resources
from .errors import UsageError

_TYPES = ("iri", "string", "date", "int", "concept")
_BAD_IRI = re.compile(r'[\s<>"{}|^`\\]')


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: str | None
    doc: str


@dataclass(frozen=True)
class Query:
    name: str
    text: str
    summary: str
    description: str
    params: tuple[Param, ...] = ()
    tags: tuple[str, ...] = ()


@dataclass
class Result:
    columns: list[str]
    rows: list[dict] = field(default_factory=list)  # column -> pyoxigraph term or None


def _parse(name: str, text: str) -> Query:
    summary = description = ""
    params, tags = [], ()
    for line in text.splitlines():
        m = re.match(r"#\+\s*(\w+)\s*:\s*(.*)$", line)
        if not m:
            continue
        key, value = m.group(1), m.group(2).strip()
        if key == "summary":
            summary = value
        elif key == "description":
            description = value
        elif key == "tags":
            tags = tuple(t.strip() for t in value.split(",") if t.strip())
        elif key == "param":
            p = re.match(r"(\w+)\s+(\w+)(?:\s+(\S+))?\s*-\s*(.*)$", value)
            if not p or p.group(2) not in _TYPES:
                raise UsageError(f"queries/{name}.rq: bad parameter header {value!r}")
            params.append(Param(p.group(1), p.group(2), p.group(3), p.group(4)))
    return Query(name, text, summary, description, tuple(params), tags)


@lru_cache(maxsize=128)
def _load(path: str) -> Query:
    p = Path(path)
    return _parse(p.stem, p.read_text(encoding="utf-8"))


def load_query(name: str, queries_dir=None) -> Query:
    path = resources.queries_dir(queries_dir) / f"{name}.rq"
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", name) or not path.is_file():
        known = ", ".join(q.name for q in list_queries(queries_dir))
        raise UsageError(f"no stored query named {name!r}; `migkg queries` lists them: {known}")
    return _load(str(path))


def list_queries(queries_dir=None) -> list[Query]:
    folder = resources.queries_dir(queries_dir)
    return [_load(str(p)) for p in sorted(folder.glob("*.rq"))]


def term(param: Param, raw: str):
    """A user's string as the RDF term the parameter's type asks for."""
    if param.type in ("iri", "concept"):
        if _BAD_IRI.search(raw) or not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", raw):
            raise UsageError(f"parameter {param.name}: {raw!r} is not an IRI (no spaces or <>\"{{}}|^`\\ allowed)")
        return ox.NamedNode(raw)
    if param.type == "date":
        if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", raw):
            raise UsageError(f"parameter {param.name}: {raw!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
        return ox.Literal(raw)
    if param.type == "int":
        if not re.fullmatch(r"-?\d{1,9}", raw):
            raise UsageError(f"parameter {param.name}: {raw!r} is not a whole number")
        return ox.Literal(raw, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    return ox.Literal(raw)


def bind(query: Query, params: dict[str, str]) -> dict:
    known = {p.name: p for p in query.params}
    unknown = sorted(set(params) - set(known))
    if unknown:
        raise UsageError(f"query {query.name} has no parameter {', '.join(unknown)}; it takes: "
                         + (", ".join(known) or "none"))
    out = {}
    for p in query.params:
        raw = params.get(p.name, p.default)
        if raw is None:
            raise UsageError(f"query {query.name} needs --param {p.name}=<{p.type}> ({p.doc})")
        if raw != "none":
            out[p.name] = term(p, raw)
    return out


class Embedded:
    """The embedded pyoxigraph store, its default graph the union of the source graphs."""

    def __init__(self, store, union: bool = True):
        self.store = store
        self.union = union
        self.names: dict | None = None  # folded name -> [[IRI, name], ...], from the build's names.json

    def select(self, text: str) -> Result:
        solutions = self.store.query(text, use_default_graph_as_union=self.union)
        columns = [v.value for v in solutions.variables]
        # zip over the solution's values: a third faster than looking each variable up by name.
        return Result(columns, [dict(zip(columns, s)) for s in solutions])


class InMemory:
    """rdflib, in memory: the reference the other engines are compared with, and the baseline of the benchmarks."""

    def __init__(self, dataset):
        self.dataset = dataset

    def select(self, text: str) -> Result:
        res = self.dataset.query(text)
        columns = [str(v) for v in res.vars]
        return Result(columns, [{c: _from_rdflib(row[i]) for i, c in enumerate(columns)} for row in res])


def _from_rdflib(t):
    from rdflib import BNode, Literal, URIRef

    if t is None:
        return None
    if isinstance(t, URIRef):
        return ox.NamedNode(str(t))
    if isinstance(t, BNode):
        return ox.BlankNode(str(t))
    if isinstance(t, Literal):
        if t.language:
            return ox.Literal(str(t), language=t.language)
        return ox.Literal(str(t), datatype=ox.NamedNode(str(t.datatype)) if t.datatype else None)
    raise TypeError(type(t))


def backend(store=None, endpoint: str | None = None, timeout: float = 60):
    """Where stored queries run: a pyoxigraph Store, an endpoint URL, or an object that already has select()."""
    if endpoint:
        from .remote import Remote

        return Remote(endpoint, timeout=timeout)
    if hasattr(store, "select"):
        return store
    if isinstance(store, ox.Store):
        return Embedded(store)
    raise UsageError("no graph to query: give a built store or an endpoint")


def run(name: str, params: dict[str, str] | None = None, *, store=None, endpoint: str | None = None,
        queries_dir=None, timeout: float = 60) -> Result:
    """Run a stored query with parameters given as strings (what a user types)."""
    query = load_query(name, queries_dir)
    return ordered(query, backend(store, endpoint, timeout).select(with_values(query.text, bind(query, params or {}))))


def ordered(query: Query, result: Result) -> Result:
    """Rows in a stable order. Listing queries carry no ORDER BY, because sorting thousands of IRIs in the
    store means reading every string back from disk; sorting the finished rows here costs far less."""
    if re.search(r"(?im)^ORDER BY", query.text):
        return result
    result.rows.sort(key=lambda r: tuple("" if r[c] is None else r[c].value for c in result.columns))
    return result


def run_terms(name: str, where, **bindings) -> Result:
    """Run a stored query with parameters already made RDF terms (what the library passes); None leaves one unbound."""
    query = load_query(name)
    known = {p.name for p in query.params}
    unknown = sorted(set(bindings) - known)
    if unknown:
        raise UsageError(f"query {name} has no parameter {', '.join(unknown)}")
    return ordered(query, backend(where).select(with_values(query.text, {k: v for k, v in bindings.items() if v is not None})))


# A pattern line that ends "# only when ?x is given" is left out while ?x is unbound. The query author marks only
# patterns that every solution matches anyway (every agreement has a party, a SHACL gate), so the answers are
# the same with the line or without it; without it, an unbound ?x does not multiply the rows the store must
# join and then fold back with DISTINCT. The stored text keeps the line, so it runs as it is anywhere.
_ONLY_WHEN_GIVEN = re.compile(r"(?m)^[^#\n]*#\s*only when \?(\w+) is given\s*$\n?")


def prune(text: str, bindings: dict) -> str:
    """TEXT without the pattern lines that are marked for a parameter BINDINGS leaves unbound."""
    return _ONLY_WHEN_GIVEN.sub(lambda m: m.group(0) if m.group(1) in bindings else "", text)


def with_values(text: str, bindings: dict, *, pruned: bool = True) -> str:
    """The query with its bindings as VALUES clauses at the top of the outermost WHERE."""
    if pruned:
        text = prune(text, bindings)
    if not bindings:
        return text
    for name, value in bindings.items():
        if not re.fullmatch(r"\w+", name) or not isinstance(value, (ox.NamedNode, ox.Literal)):
            raise UsageError(f"parameter {name!r}: only IRIs and literals can be bound")
    # One single-row VALUES per variable, not one block of several: the same solution, and Virtuoso 7 fails to
    # compile a multi-variable block whose variables are all fixed ("ssg_print_rvr_fixed_val").
    block = " ".join(f"VALUES ?{n} {{ {bindings[n]} }}" for n in sorted(bindings))
    # Header comments may mention WHERE; only a WHERE outside comments counts.
    masked = re.sub(r"(?m)^#.*$", lambda m: " " * len(m.group(0)), text)
    m = re.search(r"\bWHERE\s*\{", masked, re.I)
    if not m:
        raise UsageError("this query has no WHERE clause to bind parameters into")
    return text[:m.end()] + "\n  " + block + "\n" + text[m.end():]


def rows(result: Result) -> list[dict]:
    """Plain values (strings, None when unbound) for callers that do not need terms."""
    return [{c: (r[c].value if r[c] is not None else None) for c in result.columns} for r in result.rows]


def _plain(t) -> str:
    return "" if t is None else t.value


def render(result: Result, fmt: str) -> str:
    if fmt == "json":
        return json.dumps([{c: _plain(r[c]) or None for c in result.columns} for r in result.rows], indent=2, ensure_ascii=False)
    if fmt == "srj":
        return json.dumps({"head": {"vars": result.columns}, "results": {"bindings": [
            {c: _srj(r[c]) for c in result.columns if r[c] is not None} for r in result.rows]}}, indent=2, ensure_ascii=False)
    if fmt in ("csv", "tsv"):
        buf = io.StringIO()
        w = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        w.writerow(result.columns)
        for r in result.rows:
            w.writerow([_plain(r[c]) for c in result.columns])
        return buf.getvalue().rstrip("\n")
    if fmt == "table":
        return table(result.columns, [[_plain(r[c]) for c in result.columns] for r in result.rows])
    raise UsageError(f"unknown format {fmt!r}")


def _srj(t) -> dict:
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    out = {"type": "literal", "value": t.value}
    if t.language:
        out["xml:lang"] = t.language
    elif t.datatype and t.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        out["datatype"] = t.datatype.value
    return out


def table(columns: list[str], rows: list[list[str]], width: int = 60) -> str:
    cells = [[(v if len(v) <= width else v[:width - 1] + "…") for v in row] for row in rows]
    sizes = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    line = "  ".join(c.ljust(sizes[i]) for i, c in enumerate(columns)).rstrip()
    out = [line, "  ".join("-" * s for s in sizes)]
    out += ["  ".join(v.ljust(sizes[i]) for i, v in enumerate(r)).rstrip() for r in cells]
    return "\n".join(out)
