"""Screen a rebuild's merged graphs where they changed, not all over again.

After one source is added to many, the merged graphs (agreements, reference, provenance, vocabularies) are
nearly as they were, and the last good build showed them to conform; screening them whole was a third of such
a rebuild. So a rebuild that can trust its last output screens only the focus nodes whose verdict may have
changed, on a small graph holding everything those nodes can read.

Why that gives the whole screen's verdict. What a shape reads of a focus node lies on walks from the node
along triples: forwards (subject to object) for paths and most SPARQL patterns, and backwards for the
predicates `backward_predicates` finds (here rdf:subject: "is there a passage about this node?"). Take any
triple a node reads in this build or read in the last one. On the walk from the node to it, the first triple
not in both builds has an end the walk reaches through triples in both: its subject if it is walked forwards,
its object if backwards. So the nodes whose reads changed are all found by starting from those ends of the
changed triples (`seeds`) and walking back (`_readers`): to the subjects of the triples pointing to a node,
and to the objects of a node's triples of a backward predicate. The walk runs to its end, so chains of any
length (`mkg:buildsOn+`) are covered; what the nodes found can read is the walk forwards from them, to its end
(`_reach`). Every other node reads what it read last time, and is as clean as it was then.

The changed triples: the merged graphs of the two builds' TriG dumps are compared subject block by subject
block (the dump writes each subject's triples of a graph as one block, in a fixed order), and only the blocks
that differ are parsed; the passages' statements, by comparing each source graph's digest with the last
build's record (store_patch) and reading the old ones from the cached parts. Any doubt (no record, other code,
shapes or checks, a layout not recognised, a blank node, a cached part gone, a change too large to pay off)
gives None, and the merged graphs are screened whole as before; tests/test_validate_delta.py compares the two.
"""

from __future__ import annotations

import hashlib
import mmap
import re
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.namespace import RDF, SH, XSD

from .vocab import MKG

_STATEMENT = (RDF.subject, RDF.predicate, RDF.object)
# Screened in part only while what the nodes found can read is at most a quarter of the merged graphs, or
# about as much as the vocabularies every agreement points into (which a small build's merged graphs mostly are).
SHARE, FEW = 4, 20_000
# A graph's opening line, its closing line, or one subject's block: a line with one tab, then lines with two.
_TOKEN = re.compile(rb"(<[^>\n]*>) \{\n|\}\n|(\t[^\t\n][^\n]*(?:\n\t\t[^\n]*)*\n)")


class _Doubt(Exception):
    """Something this cannot vouch for: the merged graphs are screened whole."""


def salt(version: str) -> str:
    """What a build's verdict depends on besides its data: the code (VERSION, the cache's code_version), the
    shapes and the checks. A rebuild trusts the last verdict only under the same salt."""
    from . import resources

    h = hashlib.sha256(version.encode())
    for folder in (Path(resources.shapes_dir()), Path(resources.queries_dir()) / "checks"):
        for p in sorted(folder.rglob("*")):
            if p.is_file():
                h.update(p.name.encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


class Delta:
    """The last good build a rebuild's merged screen starts from: its record (store_patch) and dump."""

    def __init__(self, kg_dir: Path, record: dict, folder: Path):
        self.kg_dir, self.record, self.folder = Path(kg_dir), record, Path(folder)
        self.focus = 0  # focus nodes screened again, once clean() has run

    @classmethod
    def of(cls, kg_dir: Path, cache) -> Delta | None:
        from . import store_patch

        if cache is None:
            return None
        rec = store_patch._before(kg_dir, cache.folder)
        if rec is None or rec.get("screen") != salt(cache.version):
            return None
        return cls(kg_dir, rec, cache.folder)

    def clean(self, parts, keys: dict, trig: Path, merged_end: int) -> bool | None:
        """Whether the merged graphs of PARTS screen clean, found by screening what changed since the last build:
        KEYS are this build's source graphs' digests (source_parts), TRIG[:MERGED_END] its dump's merged graphs.
        None where this cannot tell: then screen them whole."""
        from .validate import _union, checks, ontology_graph, shapes_graph

        try:
            backward = backward_predicates(shapes_graph(), checks())
            if backward is None:
                return None
            seeds = self._changed_triples(trig, merged_end, backward)
            seeds |= self._changed_statements(parts, keys, backward)
            sources = set(parts.sources)
            with _union(parts.merged, ontology_graph()) as view:
                found = _readers(seeds, view, backward, sources, parts)
                triples, statements = _reach(found, view, backward, sources, parts)
            if len(triples) > max(FEW, sum(len(g) for g in parts.merged.graphs()) // SHARE):
                return None
        except _Doubt:
            return None
        from . import validate_parts

        small = Graph()
        small.addN((s, p, o, small) for s, p, o in triples)
        small.addN((s, p, o, small) for s, p, o in ontology_graph())
        focus = found & {s for s, _, _ in triples} - sources  # the evidence nodes are their sources' graphs' to screen
        self.focus = len(focus)
        return validate_parts._clean(small, within=focus, outside=sources, sparql_extra=lambda p: statements.get(p, ()))

    def _changed_triples(self, trig: Path, merged_end: int, backward: frozenset) -> set:
        """The seeds of the merged triples in one build's dump and not the other's."""
        from .export import header

        head = header()
        with open(self.kg_dir / "graph.trig", "rb") as a, open(trig, "rb") as b:
            old = mmap.mmap(a.fileno(), 0, access=mmap.ACCESS_READ)
            new = mmap.mmap(b.fileno(), 0, access=mmap.ACCESS_READ)
            try:
                old_end = self.record["merged_end"]
                if old[:len(head)] != head or new[:len(head)] != head or old_end > len(old) or merged_end > len(new):
                    raise _Doubt
                was = {_digest(g, block) for g, block in _blocks(old, len(head), old_end)}
                changed = []
                for g, block in _blocks(new, len(head), merged_end):
                    d = _digest(g, block)
                    if d in was:
                        was.discard(d)
                    else:
                        changed.append((g, block))
                if was:
                    changed += [(g, block) for g, block in _blocks(old, len(head), old_end) if _digest(g, block) in was]
            finally:
                old.close()
                new.close()
        if not changed:
            return set()
        text = head + b"".join(g + b" {\n" + block + b"}\n" for g, block in changed)
        seeds = set()
        for s, p, o in _parsed(text):
            seeds.add(s)
            if p in backward:
                seeds.add(o)
        return seeds

    def _changed_statements(self, parts, keys: dict, backward: frozenset) -> set:
        """The seeds of the statements and source types in one build's source graphs and not the other's: every
        evidence node of a source graph that changed, and the values it points to by a backward predicate."""
        from . import source_parts
        from .export import header

        before = self.record["graphs"]
        now = {str(g): k for g, k in keys.items()}
        changed = sorted(g for g in set(before) | set(now) if before.get(g) != now.get(g))
        seeds = {URIRef(g) for g in changed}  # a source's type went or came, or its statements changed
        old = []
        for g in changed:
            if g in before:
                cached = source_parts._cached(self.folder / "parts", before[g])
                if cached is None:
                    raise _Doubt
                old.append(cached[source_parts._FORMATS.index("trig")])
        if old:
            for s, p, o in _parsed(header() + b"".join(old)):
                if p in _STATEMENT:
                    seeds.add(s)
                    if p in backward:
                        seeds.add(o)
        for src, subject, predicate, obj, claim in parts.passages_of([URIRef(g) for g in changed if g in now]):
            seeds.add(parts.evidence_iri(src, subject, predicate, obj, claim))
            seeds.update(v for p, v in zip(_STATEMENT, (subject, predicate, obj)) if p in backward)
        return seeds


def _digest(graph: bytes, block: bytes) -> bytes:
    return hashlib.blake2b(graph + b"\0" + block, digest_size=16).digest()


def _blocks(data, start: int, end: int):
    """(graph, subject block) of DATA[START:END], a TriG body as Oxigraph writes it; _Doubt where it is not."""
    pos, graph = start, None
    for m in _TOKEN.finditer(data, start, end):
        if m.start() != pos:
            raise _Doubt
        pos = m.end()
        if m.group(1) is not None:
            graph = m.group(1)
        elif m.group(2) is not None:
            if graph is None:
                raise _Doubt
            yield graph, m.group(2)
        else:
            graph = None
    if pos != end:
        raise _Doubt


def _parsed(trig: bytes):
    """The triples of TRIG as rdflib terms, as populate makes them; _Doubt at a blank node."""
    import pyoxigraph as ox

    def term(t):
        if isinstance(t, ox.NamedNode):
            return URIRef(t.value)
        if isinstance(t, ox.Literal):
            if t.language:
                return Literal(t.value, lang=t.language)
            dt = t.datatype.value
            return Literal(t.value) if dt == str(XSD.string) else Literal(t.value, datatype=URIRef(dt))
        raise _Doubt

    try:
        for q in ox.parse(input=trig, format=ox.RdfFormat.TRIG):
            yield term(q.subject), term(q.predicate), term(q.object)
    except SyntaxError:
        raise _Doubt from None


def _statement_edges(parts, nodes: set, backward: frozenset, ahead: bool):
    """The passages' statements that link NODES on: with AHEAD, (evidence node, its three statements) of each
    passage whose value at a backward predicate is one of NODES; else the values at a backward predicate of
    each passage that points to one of NODES at all (the passage reads it; what reads the passage backwards)."""
    for src, subject, predicate, obj, claim in parts.passages_of():
        values = (subject, predicate, obj)
        if ahead:
            if any(v in nodes for p, v in zip(_STATEMENT, values) if p in backward):
                yield parts.evidence_iri(src, subject, predicate, obj, claim), values
        elif subject in nodes or predicate in nodes or obj in nodes:
            yield None, tuple(v for p, v in zip(_STATEMENT, values) if p in backward)


def _readers(seeds: set, view: Graph, backward: frozenset, sources: set, parts) -> set:
    """SEEDS and every node that reads one of them, walking back to the end: the subjects of the triples that
    point to a node, and the objects of its triples of a backward predicate (with the sources' types and the
    passages' statements, which the merged screen has beside the merged graphs)."""
    found, frontier = set(seeds), set(seeds)
    while frontier:
        step = set()
        for x in frontier:
            step.update(s for s, _, _ in view.triples((None, None, x)))
            for p in backward:
                step.update(view.objects(x, p))
            if x == MKG.SourceDocument:
                step |= sources
        for _, values in _statement_edges(parts, frontier, backward, ahead=False):
            step.update(values)
        frontier = step - found
        found |= frontier
    return found


def _reach(nodes: set, view: Graph, backward: frozenset, sources: set, parts) -> tuple[list, dict]:
    """Everything NODES can read, walking forwards to the end (and backwards along the backward predicates):
    the merged triples and sources' types for the small graph, and the passages' statements by predicate."""
    triples, statements = [], {p: [] for p in _STATEMENT}
    seen, frontier, evidence = set(nodes), set(nodes), set()
    while frontier:
        step = set()
        for x in frontier:
            for t in view.triples((x, None, None)):
                triples.append(t)
                step.add(t[2])
            if x in sources:
                triples.append((x, RDF.type, MKG.SourceDocument))
            for p in backward:
                step.update(view.subjects(p, x))
        for ev, values in _statement_edges(parts, frontier, backward, ahead=True):
            if ev not in evidence:
                evidence.add(ev)
                for p, v in zip(_STATEMENT, values):
                    statements[p].append((ev, p, v))
                    step.add(v)
        frontier = {n for n in step if not isinstance(n, Literal)} - seen
        seen |= frontier
    return triples, statements


def backward_predicates(shapes: Graph, checks: dict) -> frozenset | None:
    """The predicates SHAPES and CHECKS (name -> query) read backwards from a focus node, from object to
    subject: sh:targetObjectsOf, and the SPARQL patterns walked from the focus variable in that direction.
    None where a query reads in a way this cannot bound: a pattern not joined to the focus node, a variable or
    negated predicate walked backwards, a query that does not parse."""
    if (None, SH.ask, None) in shapes or (None, SH.construct, None) in shapes:
        return None
    found = set(shapes.objects(None, SH.targetObjectsOf))
    namespaces = dict(shapes.namespaces())
    for text in [str(t) for t in shapes.objects(None, SH.select)] + list(checks.values()):
        read = _backward_in(text, namespaces)
        if read is None:
            return None
        found |= read
    return frozenset(found)


def _backward_in(text: str, namespaces: dict) -> set | None:
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        algebra = translateQuery(parseQuery(text), None, namespaces).algebra
    except Exception:
        return None
    patterns: list = []
    if not _patterns(algebra, patterns):
        return None
    reached, todo, backward = {Variable("this")}, list(patterns), set()
    while todo:
        # Forwards first: a pattern is walked backwards only when nothing can be walked forwards.
        ahead = [t for t in todo if t[0] in reached]
        if ahead:
            for s, p, o in ahead:
                paths = _path(p)
                if paths is None:
                    if not _variable(p):
                        return None
                    reached.add(p)
                else:
                    backward |= paths[1]
                reached.add(o)
                todo.remove((s, p, o))
            continue
        behind = [t for t in todo if t[2] in reached]
        if not behind:
            return None  # a pattern that reads from no focus node: every node may depend on it
        s, p, o = behind[0]
        paths = _path(p)
        if paths is None:
            return None
        backward |= paths[0]
        reached.add(s)
        todo.remove((s, p, o))
    return backward


def _variable(t) -> bool:
    return isinstance(t, (Variable, BNode))


def _patterns(node, out: list) -> bool:
    """Collect the triple patterns of a query's algebra into OUT; False at a part this cannot follow."""
    if isinstance(node, dict):
        if getattr(node, "name", None) in ("ServiceGraphPattern", "Graph"):
            return False
        for k, v in node.items():
            if k == "triples":
                for t in v:  # inside a filter's (NOT) EXISTS the parser's form holds them flat: s p o s p o ...
                    t = tuple(t)
                    if not t or len(t) % 3:
                        return False
                    out.extend(t[i:i + 3] for i in range(0, len(t), 3))
            elif not _patterns(v, out):
                return False
    elif isinstance(node, (list, tuple)):
        return all(_patterns(v, out) for v in node)
    return True


def _path(p) -> tuple[set, set] | None:
    """The predicates of the path P read (forwards, backwards) when P is walked forwards; None for a variable
    or a negated path."""
    from rdflib.paths import AlternativePath, InvPath, MulPath, SequencePath

    if isinstance(p, URIRef):
        return {p}, set()
    if isinstance(p, (SequencePath, AlternativePath)):
        parts = [_path(a) for a in p.args]
        if any(x is None for x in parts):
            return None
        return set().union(*(f for f, _ in parts)), set().union(*(b for _, b in parts))
    if isinstance(p, MulPath):
        return _path(p.path)
    if isinstance(p, InvPath):
        inner = _path(p.arg)
        return None if inner is None else (inner[1], inner[0])
    return None
