"""The validate stage: SHACL shapes from shapes/ over the merged graph plus the ontology.

Only sh:Violation results fail; warnings and infos are reported. The report is
grouped by shape, then by focus node, and names the source files behind each node.
"""

from __future__ import annotations

import json
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import DCTERMS, RDF, SH

from . import resources, shacl_bulk, shacl_screen
from .vocab import MKG


@dataclass(frozen=True)
class Result:
    shape: str
    focus: str
    path: str | None
    value: str | None
    severity: str
    message: str
    sources: tuple[str, ...] = ()


@dataclass
class ValidationResult:
    conforms: bool
    results: list[Result] = field(default_factory=list)
    report_graph: Graph | None = None

    def text(self) -> str:
        if not self.results:
            return "The graph conforms to every shape (0 violations, 0 warnings)."
        counts = {s: sum(1 for r in self.results if r.severity == s) for s in ("Violation", "Warning", "Info")}
        lines = [f"{'Conforms' if self.conforms else 'Does not conform'}: {counts['Violation']} violations, "
                 f"{counts['Warning']} warnings, {counts['Info']} infos"]
        by_shape: dict[str, list[Result]] = {}
        for r in self.results:
            by_shape.setdefault(r.shape, []).append(r)
        for shape in sorted(by_shape):
            lines.append(f"\n{shape}")
            for focus in sorted({r.focus for r in by_shape[shape]}):
                rs = [r for r in by_shape[shape] if r.focus == focus]
                src = sorted({s for r in rs for s in r.sources})
                lines.append(f"  {focus}" + (f"  (sources: {', '.join(src)})" if src else ""))
                for r in sorted(rs, key=lambda r: (r.severity, r.message, r.value or "")):
                    where = f" [{r.path}]" if r.path else ""
                    value = f" value: {r.value}" if r.value else ""
                    lines.append(f"    {r.severity}: {r.message}{where}{value}")
        return "\n".join(lines)

    def json(self) -> str:
        return json.dumps({"conforms": self.conforms, "results": [r.__dict__ | {"sources": list(r.sources)} for r in self.results]},
                          indent=2, sort_keys=True, ensure_ascii=False)

    def turtle(self) -> str:
        return self.report_graph.serialize(format="turtle") if self.report_graph is not None else ""


@lru_cache(maxsize=4)
def _load(folder: str, pattern: str) -> Graph:
    g = Graph()
    for path in sorted(Path(folder).glob(pattern)):
        g.parse(path, format="turtle")
    return g


def shapes_graph(shapes_dir=None) -> Graph:
    return _load(str(resources.shapes_dir(shapes_dir)), "*.ttl")


def ontology_graph(ontology_dir=None) -> Graph:
    return _load(str(resources.ontology_dir(ontology_dir)), "*.ttl")


def validate(data, *, shapes_dir=None, ontology_dir=None, screen: bool = True) -> ValidationResult:
    """DATA (a graph or dataset) against the shapes, with the ontology beside it. SCREEN=False always runs
    pySHACL, for tests that compare the two ways."""
    import pyshacl

    ontology = ontology_graph(ontology_dir)
    # Class hierarchy and concept schemes must sit beside the data for sh:class and scheme checks. The same
    # graph answers the reports' questions (which files a node came from): the ontology names no source files.
    mixed = None if isinstance(data, Dataset) else _merged(data, ontology)
    if screen:
        # Most graphs give no SHACL result at all; shacl_screen shows that in a fraction of pySHACL's time, and
        # only then is pySHACL's pass skipped (its report for a graph with no result is the one written here).
        with _union(data, ontology) if mixed is None else nullcontext(mixed) as view:
            if shacl_screen.clean(view, shapes_graph(shapes_dir)):
                results = sorted(run_checks(view), key=lambda r: (r.shape, r.focus, r.message))
                return ValidationResult(not results, results, _no_result_report())
    mixed = mixed if mixed is not None else _merged(data, ontology)
    with _parsed_once(), shacl_bulk.screened_sparql():
        # inplace: MIXED is this call's own copy, so pySHACL need not clone it again (the clone was a fifth of the time).
        _, report, _ = pyshacl.validate(mixed, shacl_graph=shapes_graph(shapes_dir), inference="none", advanced=True,
                                        allow_warnings=True, abort_on_first=False, inplace=True)
    results = []
    for r in report.subjects(RDF.type, SH.ValidationResult):
        severity = str(report.value(r, SH.resultSeverity)).rsplit("#", 1)[-1]
        focus = report.value(r, SH.focusNode)
        shape = report.value(r, SH.sourceShape)
        results.append(Result(
            shape=_name(_named_shape(mixed, shape)), focus=str(focus), path=_name(report.value(r, SH.resultPath)),
            value=str(report.value(r, SH.value)) if report.value(r, SH.value) is not None else None,
            severity=severity, message=str(report.value(r, SH.resultMessage) or ""), sources=_sources(mixed, focus)))
    results += run_checks(mixed)
    conforms = not any(r.severity == "Violation" for r in results)
    return ValidationResult(conforms, sorted(results, key=lambda r: (r.shape, r.focus, r.message)), report)


def _merged(data, ontology: Graph) -> Graph:
    """Every triple of DATA (each graph of a dataset) and of ONTOLOGY, once, in one graph: a single copy, where
    taking the sorted union first and adding the ontology to it copied every triple twice."""
    mixed = Graph()
    for graph in (data.graphs() if isinstance(data, Dataset) else (data,)):
        mixed.addN((s, p, o, mixed) for s, p, o in graph)
    mixed.addN((s, p, o, mixed) for s, p, o in ontology)
    for prefix, ns in ontology.namespaces():
        mixed.bind(prefix, ns, override=False)
    return mixed


@contextmanager
def _union(data, ontology: Graph):
    """A dataset DATA and ONTOLOGY as one graph to read from, without a copy: the ontology joins the dataset's
    store as a graph of its own for the time of the check, and leaves again after."""
    import uuid

    held = data.graph(URIRef(f"urn:uuid:{uuid.uuid4()}"))
    held.addN((s, p, o, held) for s, p, o in ontology)
    try:
        yield Dataset(store=data.store, default_union=True)
    finally:
        data.remove_graph(held)


def _no_result_report() -> Graph:
    """pySHACL's report for a graph that gives no result, triple for triple."""
    from rdflib import BNode, Literal

    report = Graph()
    report.bind("sh", SH)
    node = BNode()
    report.add((node, RDF.type, SH.ValidationReport))
    report.add((node, SH.conforms, Literal(True)))
    return report


@contextmanager
def _parsed_once():
    """Parse each SPARQL constraint once, not once per focus node.

    pySHACL hands rdflib the query text for every focus node, and rdflib parses it every time: parsing was
    three quarters of a build's validation. A translated query is reusable (what rdflib's prepareQuery
    returns), so the text is parsed on first use and the translation reused, by later validations too
    (parsing the shapes' queries was most of the time taken to validate a small graph).
    """
    from rdflib.plugins.sparql import processor

    original = processor.SPARQLProcessor.query

    def query(self, strOrQuery, initBindings=None, initNs=None, base=None, DEBUG=False):  # noqa: N803 - rdflib's names
        if isinstance(strOrQuery, str):
            strOrQuery = _translated(strOrQuery, tuple(sorted((initNs or {}).items())), base)
        return original(self, strOrQuery, initBindings, initNs, base, DEBUG)

    processor.SPARQLProcessor.query = query
    try:
        yield
    finally:
        processor.SPARQLProcessor.query = original


@lru_cache(maxsize=256)
def _translated(text: str, namespaces: tuple, base):
    from .sparql_algebra import translated

    return translated(text, dict(namespaces) or None, base)


def checks(queries_dir=None) -> dict[str, str]:
    """queries/checks/*-violation.rq: what SHACL core cannot say well. Any row is a violation."""
    folder = resources.queries_dir(queries_dir) / "checks"
    return {p.name.removesuffix("-violation.rq"): p.read_text(encoding="utf-8") for p in sorted(folder.glob("*-violation.rq"))}


def run_checks(graph: Graph, data: Graph | None = None, queries_dir=None) -> list[Result]:
    out = []
    namespaces = tuple(sorted(graph.namespaces()))  # what graph.query would parse the text with
    for name, query in checks(queries_dir).items():
        for row in graph.query(_translated(query, namespaces, None)):
            focus = row["this"]
            out.append(Result(shape=f"checks:{name}", focus=str(focus), path=None, value=None, severity="Violation",
                              message=str(row["message"]), sources=_sources(data if data is not None else graph, focus)))
    return out


def _named_shape(data: Graph, shape):
    """Property shapes are blank nodes; name the node shape that holds them."""
    if isinstance(shape, URIRef):
        return shape
    holder = next(iter(shapes_graph().subjects(SH.property, shape)), None) or next(iter(shapes_graph().subjects(SH.sparql, shape)), None)
    return holder if holder is not None else shape


def _name(term) -> str | None:
    if term is None:
        return None
    s = str(term)
    return s.replace("https://w3id.org/migkg/shapes#", "shapes:").replace("https://w3id.org/migkg/ontology#", "mkg:")


def _sources(graph: Graph, focus) -> tuple[str, ...]:
    files = set()
    nodes = {focus} | set(graph.subjects(None, focus))
    for node in nodes:
        for src in graph.objects(node, DCTERMS.source):
            for name in graph.objects(src, MKG.fileName):
                files.add(str(name))
        if (node, MKG.fileName, None) in graph:
            files.update(str(n) for n in graph.objects(node, MKG.fileName))
    return tuple(sorted(files))


__all__ = ["validate", "ValidationResult", "Result"]
