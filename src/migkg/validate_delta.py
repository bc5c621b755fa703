"""Screen a rebuild's merged graphs where they changed, not all over again.

After one source is added to many, the merged graphs (agreements, reference, provenance, vocabularies) are
nearly as they were, and the last good build showed them to conform; screening them whole was a third of such
a rebuild. So a rebuild that can trust its last output screens only the focus nodes whose verdict may have
changed, on a small graph holding everything those nodes can read.

Why that gives the whole screen's verdict. What a shape reads of a focus node lies on walks from the node
along triples: forwards (subject to object) for paths and most SPARQL patterns, backwards for the predicates
`reads` finds (here rdf:subject: "is there a passage about this node?"), and at most `depth` triples deep (3
here: agreement, signing, signature, signatory), not counting the predicates walked any number of times
(`mkg:buildsOn+`, rdfs:subClassOf under sh:class). Take any triple a node reads in this build or read in the
last one. On the walk from the node to it, the first triple not in both builds has an end the walk reaches
through fewer than `depth` triples in both: its subject if it is walked forwards, its object if backwards. So
the nodes whose reads changed are all found by starting from those ends of the changed triples (the seeds)
and walking back up to `depth - 1` steps (`_readers`): to the subjects of the triples pointing to a node, and
to the objects of its triples of a backward predicate. What the nodes found can read is the walk forwards
from them, as deep (`_reach`). Every other node reads what it read last time, and is as clean as it was then.

The changed triples: the merged graphs of the two builds' TriG dumps are compared subject block by subject
block (dump_diff), and only the blocks that differ are parsed; the passages' statements, by comparing each
source graph's digest with the last build's record (store_patch) and reading the old ones from the cached
parts. Any doubt (no record, other code, shapes or checks, a layout not recognised, a blank node, a cached
part gone, a change too large to pay off) gives None, and the merged graphs are screened whole as before;
tests/test_validate_delta.py compares the two.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD

from .vocab import MKG

_STATEMENT = (RDF.subject, RDF.predicate, RDF.object)
# Screened in part only while what the nodes found can read is at most half of the merged graphs, or
# about as much as the vocabularies every agreement points into (which a small build's merged graphs mostly are).
SHARE, FEW = 2, 20_000


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
    """The last good build a rebuild's merged screen starts from: its record (store_patch) and cached parts."""

    def __init__(self, record: dict, folder: Path):
        self.record, self.folder = record, Path(folder)
        self.focus = 0  # focus nodes screened again, once clean() has run

    @classmethod
    def of(cls, record: dict | None, cache) -> Delta | None:
        """From the last build's RECORD (store_patch.last_record), if its verdict holds under CACHE's code."""
        if cache is None or record is None or record.get("screen") != salt(cache.version):
            return None
        return cls(record, cache.folder)

    def clean(self, parts, keys: dict, diff) -> bool | None:
        """Whether the merged graphs of PARTS screen clean, found by screening what changed since the last build:
        KEYS are this build's source graphs' digests (source_parts), DIFF its dump's merged graphs against the
        last build's (dump_diff.between; None where their layout was not recognised). None where this cannot
        tell: then screen them whole."""
        if diff is None:
            return None
        from .merged import View
        from .validate import checks, ontology_graph, shapes_graph

        try:
            read = reads(shapes_graph(), checks())
            if read is None:
                return None
            seeds = self._changed_triples(diff, read.backward)
            seeds |= self._changed_statements(parts, keys, read.backward)
            sources = set(parts.sources)
            view = View(parts.merged, ontology_graph())
            passages = _Passages(parts, read.backward)
            found = _readers(seeds, view, read, sources, passages)
            triples, statements = _reach(found, view, read, sources, passages)
            del passages
            del view
            if len(triples) > max(FEW, len(parts.merged) // SHARE):
                return None
        except _Doubt:
            return None
        from . import validate_parts
        from .indexed import Indexed

        small = Indexed(triples)
        small.update(ontology_graph())
        focus = found & {s for s, _, _ in triples} - sources  # the evidence nodes are their sources' graphs' to screen
        self.focus = len(focus)
        return validate_parts._clean(small, within=focus, outside=sources, sparql_extra=lambda p: statements.get(p, ()))

    def _changed_triples(self, diff, backward: frozenset) -> set:
        """The seeds of the merged triples in one build's dump and not the other's (DIFF, dump_diff.between)."""
        changed = diff.gone + diff.came
        if not changed:
            return set()
        seeds = set()
        for s, p, o in _parsed(diff.trig(changed)):
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


@dataclass(frozen=True)
class Reads:
    """How far the shapes and checks read from a focus node: DEPTH triples at most, not counting triples of the
    FREE predicates (walked any number of times: `mkg:buildsOn+`, rdfs:subClassOf under sh:class), forwards
    except along the BACKWARD predicates."""

    backward: frozenset
    depth: int
    free: frozenset

    def cost(self, p) -> int:
        return 0 if p in self.free else 1


class _Passages:
    """Every passage's statement, indexed once by its values: walking from node to node looked each step's
    nodes up by scanning every passage (six scans a rebuild; a third of its screen at 10,000 documents)."""

    def __init__(self, parts, backward: frozenset, readers: bool = True):
        """READERS: indexed for the walk back to the readers of what changed (_readers) as well; a large build's
        chunked screen walks only ahead, and every passage indexed by each of its three values was most of
        that screen's index."""
        self.parts, self.backward = parts, backward
        self.by_value: dict = {}  # a value -> the passages with it as subject, predicate or object (READERS)
        self.by_backward: dict = {}  # a value -> the passages with it at a backward predicate
        for passage in parts.passages_of():
            for p, v in zip(_STATEMENT, passage[1:4]):
                if readers:
                    self.by_value.setdefault(v, []).append(passage)
                if p in backward:
                    self.by_backward.setdefault(v, []).append(passage)

    def edges(self, nodes, ahead: bool):
        """The passages' statements that link NODES on: with AHEAD, (evidence node, its three statements) of
        each passage whose value at a backward predicate is one of NODES; else the values at a backward
        predicate of each passage that points to one of NODES at all (the passage reads it; what reads the
        passage backwards). Each passage once."""
        index, seen = self.by_backward if ahead else self.by_value, set()
        for n in nodes:
            for passage in index.get(n, ()):
                if id(passage) in seen:
                    continue
                seen.add(id(passage))
                src, subject, predicate, obj, claim = passage
                values = (subject, predicate, obj)
                if ahead:
                    yield self.parts.evidence_iri(src, subject, predicate, obj, claim), values
                else:
                    yield None, tuple(v for p, v in zip(_STATEMENT, values) if p in self.backward)


def _walk(start: set, limit: int, steps, statements) -> dict:
    """Node -> the fewest steps from START, up to LIMIT: STEPS(node) gives (cost 0 or 1, next node) pairs and
    STATEMENTS(nodes at one distance) (cost, next node) pairs read from the passages, in one pass for them all."""
    dist = {n: 0 for n in start}
    buckets, expanded = {0: set(start)}, set()
    for d in range(limit + 1):
        bucket, done = buckets.pop(d, set()) - expanded, set()
        while bucket:  # the nodes at distance D, closed under the free steps
            done |= bucket
            expanded |= bucket
            nxt = set()
            for x in bucket:
                for cost, y in steps(x):
                    if dist.get(y, limit + 1) > d + cost and d + cost <= limit:
                        dist[y] = d + cost
                        (nxt if cost == 0 else buckets.setdefault(d + cost, set())).add(y)
            bucket = nxt - done
        for cost, y in statements(done) if done else ():
            if dist.get(y, limit + 1) > d + cost and d + cost <= limit:
                dist[y] = d + cost
                buckets.setdefault(d + cost, set()).add(y)
    return dist


def _readers(seeds: set, view, reads: Reads, sources: set, passages: _Passages) -> set:
    """SEEDS and every node that may read a triple through one of them: walking back at most DEPTH - 1 steps, to
    the subjects of the triples pointing to a node and to the objects of its triples of a backward predicate
    (with the sources' types and the passages' statements, which the merged screen has beside the merged
    graphs). A node further away reads no triple beyond the seed."""
    def steps(x):
        for s, p in view.into(x):
            yield reads.cost(p), s
        for p, o in view.out(x):
            if p in reads.backward:
                yield reads.cost(p), o
        if x == MKG.SourceDocument:
            for s in sources:
                yield 1, s

    def statements(nodes):  # through the passage that points to a node to what reads the passage backwards
        for _, values in passages.edges(nodes, ahead=False):
            for v in values:
                yield 2, v

    return set(_walk(seeds, reads.depth - 1, steps, statements))


def _reach(nodes: set, view, reads: Reads, sources: set, passages: _Passages) -> tuple[list, dict]:
    """Every triple NODES can read, at most DEPTH steps away: the merged triples and sources' types for the
    small graph, and the passages' statements by predicate."""
    triples, statements, evidence = [], {p: [] for p in _STATEMENT}, set()
    # Looked up once: this runs for every triple a chunk of a large build reads (validate_chunked).
    free, backward, typed = reads.free, reads.backward, (RDF.type, MKG.SourceDocument)

    def steps(x):
        for p, o in view.out(x):
            triples.append((x, p, o))
            if not isinstance(o, Literal):
                yield 0 if p in free else 1, o
        if x in sources:
            triples.append((x, *typed))
        for s, p in view.into(x):
            if p in backward:
                triples.append((s, p, x))
                yield 0 if p in free else 1, s

    def read_on(nodes):
        for ev, values in passages.edges(nodes, ahead=True):
            if ev not in evidence:
                evidence.add(ev)
                for p, v in zip(_STATEMENT, values):
                    statements[p].append((ev, p, v))
                    if not isinstance(v, Literal):
                        yield 2, v

    _walk(nodes, reads.depth - 1, steps, read_on)
    return list(dict.fromkeys(triples)), statements


def reads(shapes: Graph, checks: dict) -> Reads | None:
    """How far SHAPES and CHECKS (name -> query) read from a focus node (Reads); None where they read in a
    way this cannot bound: a feature the screen does not evaluate, a recursive shape, a SPARQL pattern not
    joined to the focus node, a variable or negated predicate walked backwards, a query that does not parse."""
    from .shacl_screen import _SHAPE_KEYS

    if (None, SH.ask, None) in shapes or (None, SH.construct, None) in shapes:
        return None
    backward, free = set(shapes.objects(None, SH.targetObjectsOf)), {RDFS.subClassOf}
    namespaces = dict(shapes.namespaces())
    depth = 1  # a target: the focus node's type, or its triple of sh:targetSubjectsOf / sh:targetObjectsOf
    for text in list(checks.values()):
        read = _query_reads(text, namespaces)
        if read is None:
            return None
        backward |= read[0]
        depth = max(depth, read[1])
        free |= read[2]
    queries: dict = {}
    for c in set(shapes.objects(None, SH.sparql)):
        read = _query_reads(str(shapes.value(c, SH.select)), namespaces)
        if read is None:
            return None
        backward |= read[0]
        free |= read[2]
        queries[c] = read[1]
    memo: dict = {}

    def shape_depth(shape, stack: tuple) -> int:
        if shape in stack:
            raise _Doubt  # a recursive shape reads as deep as the data goes
        if shape in memo:
            return memo[shape]
        if set(shapes.predicates(shape, None)) - _SHAPE_KEYS:
            raise _Doubt
        stack += (shape,)
        path = shapes.value(shape, SH.path)
        length = 0 if path is None else _path_length(shapes, path)
        values = [length + 1] if (shape, SH["class"], None) in shapes else [length]
        values += [length + shape_depth(n, stack) for n in shapes.objects(shape, SH.node)]
        values += [length + shape_depth(a, stack) for alts in shapes.objects(shape, SH["or"])
                   for a in Collection(shapes, alts)]
        values += [shape_depth(p, stack) for p in shapes.objects(shape, SH.property)]
        values += [queries[c] for c in shapes.objects(shape, SH.sparql)]
        memo[shape] = max(values)
        return memo[shape]

    try:
        for shape in set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(SH.property, None)):
            depth = max(depth, shape_depth(shape, ()))
    except _Doubt:
        return None
    return Reads(frozenset(backward), depth, frozenset(free))


def _path_length(shapes: Graph, path) -> int:
    """How many triples the screen's paths read: a predicate, or a list of predicates (shacl_screen)."""
    if isinstance(path, URIRef):
        return 1
    steps = list(Collection(shapes, path)) if (path, RDF.first, None) in shapes else []
    if not steps or not all(isinstance(s, URIRef) for s in steps):
        raise _Doubt
    return len(steps)


def _query_reads(text: str, namespaces: dict) -> tuple[set, int, set] | None:
    """What a SELECT reads from its focus variable ($this, ?this): the predicates walked backwards, how many
    triples deep, and the predicates under + or * (walked any number of times)."""
    from .sparql_algebra import translated

    try:
        algebra = translated(text, namespaces).algebra
    except Exception:
        return None
    patterns: list = []
    if not _patterns(algebra, patterns):
        return None
    dist, todo, backward, free, depth = {Variable("this"): 0}, list(patterns), set(), set(), 0
    while todo:
        # Forwards first: a pattern is walked backwards only when nothing can be walked forwards.
        ahead = [t for t in todo if t[0] in dist]
        walked = ahead or [t for t in todo if t[2] in dist][:1]
        if not walked:
            return None  # a pattern that reads from no focus node: every node may depend on it
        for s, p, o in walked:
            near, far = (s, o) if ahead else (o, s)
            read = _path(p)
            if read is None:
                if not ahead or not _variable(p):
                    return None
                read = ({p}, set(), 1, set())
                dist.setdefault(p, dist[near] + 1)
            forwards, backwards, length, starred = read
            backward |= backwards if ahead else forwards
            free |= starred
            depth = max(depth, dist[near] + length)
            dist[far] = min(dist.get(far, dist[near] + length), dist[near] + length)
            todo.remove((s, p, o))
    return backward, depth, free


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


def _path(p) -> tuple[set, set, int, set] | None:
    """What the path P reads when walked forwards: its predicates read forwards, those read backwards, how many
    triples at most outside its + and * parts, and the predicates under + or *; None for a variable or a
    negated path."""
    from rdflib.paths import AlternativePath, InvPath, MulPath, SequencePath

    if isinstance(p, URIRef):
        return {p}, set(), 1, set()
    if isinstance(p, (SequencePath, AlternativePath)):
        parts = [_path(a) for a in p.args]
        if any(x is None for x in parts):
            return None
        sizes = [x[2] for x in parts]
        return (set().union(*(x[0] for x in parts)), set().union(*(x[1] for x in parts)),
                sum(sizes) if isinstance(p, SequencePath) else max(sizes), set().union(*(x[3] for x in parts)))
    if isinstance(p, MulPath):
        inner = _path(p.path)
        return None if inner is None else (inner[0], inner[1], 1, inner[3] | inner[0] | inner[1])
    if isinstance(p, InvPath):
        inner = _path(p.arg)
        return None if inner is None else (inner[1], inner[0], inner[2], inner[3])
    return None
