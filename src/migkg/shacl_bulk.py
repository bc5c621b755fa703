"""Screen SHACL-SPARQL constraints in bulk, so pySHACL runs a SELECT only for the focus nodes it can report.

pySHACL evaluates each sh:select once per focus node through rdflib, and on a build's graph that was two thirds
of validation. Here each SELECT is first reduced to its graph pattern: its triple patterns, any FILTER (NOT)
EXISTS over plain triple patterns and any test of a variable against IRIs, every other filter condition
dropped. That pattern is run once, with $this bound to all the focus nodes together, on an in-memory Oxigraph
copy of the data. Dropping conditions only admits more rows, so the focus nodes found include every one the
real query reports for; pySHACL then runs the real query, as before, on those alone. Results, messages and
the report stay pySHACL's own: Oxigraph only decides where rdflib need not look.

Why Oxigraph does not answer the constraints outright: it canonicalises typed literals ("1.50"^^xsd:decimal is
stored as "1.5") and its SPARQL functions differ from rdflib's at the edges, so values, messages and even which
rows match could differ from pySHACL's. So the copy holds every distinct rdflib term as an opaque IRI, which
makes its matching rdflib's exactly, and only term matching (no function, no comparison) is asked of it.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

from rdflib import Graph, Literal, URIRef, Variable
from rdflib.plugins.stores.memory import Memory

# Lines of the copy handed to Oxigraph at a time: as one text, with its list of lines and its bytes, a merged
# screen's copy took some 100 bytes a triple beside the store (45 MB at 10,000 documents, 4.5 million triples
# at 100,000).
_LINES = 100_000
# Wrappers that keep a result empty whenever the pattern under them has no solution.
_TRANSPARENT = ("Project", "Distinct", "Reduced", "OrderBy", "Slice")


@contextmanager
def screened_sparql():
    """While this runs, pySHACL's SPARQL constraints skip the focus nodes a bulk screen proves have no result."""
    # A private method of pySHACL (0.40): where another version lacks it, validation runs unscreened, as before.
    try:
        from pyshacl.constraints.sparql.sparql_based_constraints import SPARQLBasedConstraint
        from pyshacl.graph_abstraction import RdfLibDataGraph  # noqa: F401 - used by _candidates
        original = SPARQLBasedConstraint._evaluate_sparql_constraint
    except (ImportError, AttributeError):
        yield
        return
    copies: dict = {}  # one Oxigraph copy per data graph, for every constraint of this validation

    def evaluate(self, sparql_constraint, target_graph, f_v_dict):
        keep = _candidates(sparql_constraint, target_graph, f_v_dict, copies)
        if keep is not None:
            f_v_dict = {f: v for f, v in f_v_dict.items() if f in keep}
        return original(self, sparql_constraint, target_graph, f_v_dict)

    SPARQLBasedConstraint._evaluate_sparql_constraint = evaluate
    try:
        yield
    finally:
        SPARQLBasedConstraint._evaluate_sparql_constraint = original


def _candidates(constraint, graph, f_v_dict: dict, copies: dict) -> set | None:
    """The focus nodes the constraint may report for, or None to let pySHACL try them all."""
    from pyshacl.graph_abstraction import RdfLibDataGraph

    # pySHACL wraps the data graph, and its queries run on the rdflib graph inside.
    graph = graph.impl if isinstance(graph, RdfLibDataGraph) else graph
    # Only a plain in-memory graph: a Dataset's or a remote store's matching is not a set of triples.
    if not f_v_dict or type(graph) is not Graph or not isinstance(graph.store, Memory):
        return None
    # The very text and bindings pySHACL is about to use; its checks (e.g. no MINUS) raise here as they would there.
    binds, text = constraint.pre_bind_variables(next(iter(f_v_dict)))
    if set(binds) != {"this"}:
        return None
    text = constraint.apply_prefixes(text)
    # rdflib parses a query with the data graph's prefixes in scope, so the screen must too.
    screen = _screen(text, tuple(sorted(graph.namespaces())))
    if screen is None:
        return None
    entry = copies.get(id(graph))
    if entry is None or entry[0] is not graph or entry[1] != len(graph):
        entry = copies[id(graph)] = (graph, len(graph), _Copy(graph.triples((None, None, None))))
    return entry[2].focus_with_rows(screen, f_v_dict)


@lru_cache(maxsize=256)
def _screen(text: str, namespaces: tuple) -> Screen | None:
    return Screen.of(text, dict(namespaces))


@dataclass(frozen=True)
class Screen:
    """A SELECT's triple patterns and its (NOT) EXISTS filters over triple patterns: a weaker query than itself."""

    triples: tuple
    filters: tuple  # ("EXISTS" | "NOT EXISTS" | "MINUS", triples) or ("IN", variable, iris)

    @classmethod
    def of(cls, text: str, namespaces: dict | None = None) -> Screen | None:
        """The screen of a query, or None where one cannot be shown to admit every row the query has."""
        from .sparql_algebra import translated

        try:
            query = translated(text, namespaces)
        except Exception:  # pySHACL reports a bad query itself, in its own words
            return None
        node = query.algebra
        if node.name != "SelectQuery" or node.datasetClause:
            return None
        node = node.p
        while node.name in _TRANSPARENT:
            node = node.p
        filters = []
        # Filters only straight above the triples: deeper ones, under rdflib's variable scoping, are not screened.
        while node.name == "Filter":
            filters += [f for f in map(_exact, _conjuncts(node.expr)) if f is not None]
            node = node.p
        triples = _triples(node)
        # $this must be bound by a triple for the screen to say which focus nodes have rows.
        if not triples or not any(Variable("this") in t for t in triples):
            return None
        return cls(tuple(triples), tuple(_as_minus(f, triples) for f in filters))


def _conjuncts(expr) -> list:
    """A filter passes a row only if each of these is true of it; any one may be left out of a weaker filter."""
    if getattr(expr, "name", None) == "ConditionalAndExpression":
        return [c for e in [expr.expr, *(expr.other or [])] for c in _conjuncts(e)]
    return [expr]


def _exact(expr):
    """A condition Oxigraph decides on opaque terms exactly as rdflib does on the real ones, or None."""
    name = getattr(expr, "name", None)
    if name in ("Builtin_EXISTS", "Builtin_NOTEXISTS"):
        # Only a plain pattern: a NOT EXISTS made looser inside would be stricter outside.
        triples = _triples(expr.graph)
        if triples is None:
            return None
        return ("NOT EXISTS" if name == "Builtin_NOTEXISTS" else "EXISTS", tuple(triples))
    if name == "RelationalExpression" and expr.op in ("=", "IN"):
        # ?v = <iri> and ?v IN (<iri>, ...) hold exactly when ?v is one of those IRIs (rdflib compares an IRI
        # with a literal as unequal); with literals, = and IN compare values, which opaque terms do not carry.
        left, right = expr.expr, expr.other
        if expr.op == "=" and isinstance(left, URIRef) and isinstance(right, Variable):
            left, right = right, left
        iris = right if expr.op == "IN" else [right]
        if isinstance(left, Variable) and isinstance(iris, list) and all(isinstance(i, URIRef) for i in iris):
            return ("IN", left, tuple(iris))
    return None


def _as_minus(f, outer) -> tuple:
    """NOT EXISTS as MINUS where the two agree, for Oxigraph answers MINUS hundreds of times faster.

    Every variable of the outer triples is bound in every row, and the inner pattern binds all of its own, so
    MINUS drops a row exactly when the inner pattern matches it on the variables they share: NOT EXISTS,
    provided they share one (MINUS with nothing shared drops nothing).
    """
    bound = {t for triple in outer for t in triple if isinstance(t, Variable)}
    if f[0] == "NOT EXISTS" and any(t in bound for triple in f[1] for t in triple):
        return ("MINUS", f[1])
    return f


def _triples(node) -> list | None:
    """The triple patterns of a join of basic graph patterns, or None if the pattern is anything more."""
    if node.name == "BGP":
        ok = all(isinstance(t, (Variable, URIRef, Literal)) for triple in node.triples for t in triple)
        return list(node.triples) if ok else None  # blank nodes and property paths are not screened
    if node.name == "Join":
        left, right = _triples(node.p1), _triples(node.p2)
        return left + right if left is not None and right is not None else None
    return None


class _Copy:
    """The graph in Oxigraph, every distinct rdflib term an opaque IRI, so terms match exactly as rdflib's do."""

    def __init__(self, triples):
        import pyoxigraph as ox

        ids: dict = {}
        self.store = ox.Store()
        lines = []
        for s, p, o in triples:
            a, b, c = ids.setdefault(s, len(ids)), ids.setdefault(p, len(ids)), ids.setdefault(o, len(ids))
            lines.append(f"<t:{a}> <t:{b}> <t:{c}> .\n")
            if len(lines) == _LINES:
                self.store.bulk_load("".join(lines).encode(), format=ox.RdfFormat.N_TRIPLES)
                lines = []
        self.store.bulk_load("".join(lines).encode(), format=ox.RdfFormat.N_TRIPLES)
        self.ids = ids
        self.terms = list(ids)

    def focus_with_rows(self, screen: Screen, focus) -> set:
        values = " ".join(f"<t:{self.ids[f]}>" for f in focus if f in self.ids)
        if not values:
            return set()  # a focus node in no triple matches no triple pattern
        where = self._group(screen.triples) + "".join(map(self._filter, screen.filters))
        query = f"SELECT DISTINCT ?this WHERE {{ VALUES ?this {{ {values} }} {where} }}"
        return {self.terms[int(row["this"].value[2:])] for row in self.store.query(query)}

    def _filter(self, f) -> str:
        if f[0] == "IN":
            return f" FILTER ({self._term(f[1])} IN ({', '.join(map(self._term, f[2]))}))"
        return f" {'' if f[0] == 'MINUS' else 'FILTER '}{f[0]} {{ {self._group(f[1])} }}"

    def _group(self, triples) -> str:
        return " ".join(" ".join(map(self._term, t)) + " ." for t in triples)

    def _term(self, t) -> str:
        if isinstance(t, Variable):
            return f"?{t}"
        # A constant in no triple matches none: an IRI no term has.
        return f"<t:{self.ids[t]}>" if t in self.ids else "<t:none>"
