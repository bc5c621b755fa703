"""Show quickly that a graph gives no SHACL result at all, so validation can skip pySHACL's slow pass.

A build's graph nearly always conforms with nothing to report, and pySHACL takes about 100 µs a triple to say
so: half of a build. This evaluates the shape features migkg's shapes use straight on rdflib's indexes, with
pySHACL's semantics, and answers one question: is there certainly no result, of any severity? Only a clear
yes skips pySHACL. Where a shape uses anything else, or any node may fail, `validate` runs pySHACL as before,
and pySHACL writes every report. Each doubt here is resolved towards "may fail", so a mistake can cost time
but can hide a result only if this calls a node clean that pySHACL would not; the tests compare the two on
every fixture and on many damaged copies of a real graph.

Features: targets by class (with rdfs:subClassOf), node, subjects-of and objects-of; sh:path as a predicate or
a sequence of predicates; minCount, maxCount, datatype, class, node, or, hasValue, in, pattern (no flags),
nodeKind, minLength; SPARQL constraints whose SELECT the bulk screen (shacl_bulk) can weaken. Anything else
(sh:flags, sh:closed, sh:not, qualified shapes, other paths, SHACL-AF rules, ...) leaves the work to pySHACL.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD

from .indexed import Indexed

_VALUE_KEYS = {SH.datatype, SH["class"], SH.node, SH["or"], SH.hasValue, SH["in"], SH.pattern, SH.nodeKind,
               SH.minLength}
_SHAPE_KEYS = _VALUE_KEYS | {SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.property,
                             SH.sparql, SH.path, SH.minCount, SH.maxCount, SH.severity, SH.message, SH.name,
                             SH.description, SH.order, SH.group, RDF.type, RDFS.comment, RDFS.label}
_SPARQL_KEYS = {SH.select, SH.message, SH.severity, RDF.type, RDFS.comment}
# Looked up once: a namespace's attribute is a method call, and the value checks run for every distinct value.
_DATATYPE, _CLASS, _NODE_KIND, _PATTERN, _MIN_LENGTH, _IN, _NODE, _OR = (
    SH.datatype, SH["class"], SH.nodeKind, SH.pattern, SH.minLength, SH["in"], SH.node, SH["or"])
_NODE_KINDS = {SH.IRI: (URIRef,), SH.BlankNode: (BNode,), SH.Literal: (Literal,), SH.BlankNodeOrIRI: (BNode, URIRef),
               SH.BlankNodeOrLiteral: (BNode, Literal), SH.IRIOrLiteral: (URIRef, Literal)}
# pySHACL's check of a value against the datatype it has (value_constraints.DatatypeConstraintComponent).
_PYTHON_TYPE = {XSD.string: (str, bytes), RDF.langString: (str, bytes), XSD.integer: (int,), XSD.float: (float,),
                XSD.decimal: (Decimal,), XSD.boolean: (bool,), XSD.date: (date,), XSD.time: (time,),
                XSD.dateTime: (datetime,)}


class Unsupported(Exception):
    """A shape uses a feature this does not evaluate: pySHACL must."""


def clean(data: Graph, shapes: Graph, *, within: set | None = None, outside: set | None = None,
          sparql_extra: Callable | None = None) -> bool:
    """True only if pySHACL would report nothing for DATA (one graph holding the data and the ontology) against
    SHAPES; False if some node may have a result or a shape uses a feature not covered here.

    For a build validated in parts (validate_parts): only focus nodes in WITHIN and not in OUTSIDE are
    screened, and SPARQL_EXTRA(predicate) gives triples of that predicate which the SPARQL constraints' copy
    holds beside DATA's (the passages' rdf:subject, rdf:predicate and rdf:object, kept out of rdflib)."""
    try:
        return not _Screen(data, shapes, within, outside, sparql_extra).any_result()
    except Unsupported:
        return False


class _Screen:
    def __init__(self, data: Graph, shapes: Graph, within: set | None = None, outside: set | None = None,
                 sparql_extra: Callable | None = None):
        self.data, self.sg = data, shapes
        self.within, self.outside, self.sparql_extra = within, outside or set(), sparql_extra
        self._subclasses: dict = {}
        self._copy = None
        self._objects: dict = {}  # predicate -> {subject: [objects]}, each read from the data in one pass
        self._keys: dict = {}  # (shape, parameter) -> its values in the shapes graph
        self._verdicts: dict = {}  # (shape, value) -> whether the value may fail the shape's value constraints

    def _p(self, shape, key) -> list:
        """A shape's values for one parameter, read from the shapes graph once: the same few shapes are asked
        about for every node."""
        k = (shape, key)
        if k not in self._keys:
            self._keys[k] = list(self.sg.objects(shape, key))
        return self._keys[k]

    def _objects_of(self, node, predicate) -> list:
        if isinstance(self.data, Indexed):  # indexed as this reads it already: no second index
            return self.data.values(node, predicate)
        index = self._objects.get(predicate)
        if index is None:
            index = self._objects[predicate] = {}
            for s, _, o in self.data.triples((None, predicate, None)):
                index.setdefault(s, {})[o] = None  # a dict keeps each value once, in a fixed order
        return list(index.get(node, ()))

    def any_result(self) -> bool:
        # SHACL-AF rules, SPARQL targets and functions change what the data holds or what a query means.
        if any(True for _ in self.sg.triples((None, SH.rule, None))) or (None, SH.target, None) in self.sg \
                or (None, RDF.type, SH.SPARQLFunction) in self.sg:
            raise Unsupported("SHACL-AF rules, targets or functions")
        for shape in sorted(set(self.sg.subjects(RDF.type, SH.NodeShape)) | self._targeted(), key=str):
            focus = self._targets(shape)
            if self.within is not None:
                focus &= self.within
            focus -= self.outside
            if focus and self._fails(shape, focus):
                return True
        return False

    def _targeted(self) -> set:
        return {s for p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
                for s in self.sg.subjects(p, None)}

    def _targets(self, shape) -> set:
        if (shape, RDF.type, RDFS.Class) in self.sg:
            raise Unsupported("implicit class target")
        nodes = set(self.sg.objects(shape, SH.targetNode))
        for cls in self.sg.objects(shape, SH.targetClass):
            nodes |= self._instances(cls)
        for p in self.sg.objects(shape, SH.targetSubjectsOf):
            nodes |= set(self.data.subjects(p, None))
        for p in self.sg.objects(shape, SH.targetObjectsOf):
            nodes |= set(self.data.objects(None, p))
        return nodes

    def _instances(self, cls) -> set:
        return {s for c in self._subclasses_of(cls) for s in self.data.subjects(RDF.type, c)}

    def _subclasses_of(self, cls) -> frozenset:
        if cls not in self._subclasses:
            seen, todo = {cls}, [cls]
            while todo:
                for sub in self.data.subjects(RDFS.subClassOf, todo.pop()):
                    if sub not in seen:
                        seen.add(sub)
                        todo.append(sub)
            self._subclasses[cls] = frozenset(seen)
        return self._subclasses[cls]

    def _is_instance(self, node, cls) -> bool:
        return not isinstance(node, Literal) and any(t in self._subclasses_of(cls) for t in self._objects_of(node, RDF.type))

    # --- one shape over a set of focus nodes ------------------------------------------------------------------
    def _fails(self, shape, focus) -> bool:
        """True if any of FOCUS may get a result (of any severity) from SHAPE."""
        if (shape, "checked") not in self._keys:
            keys = set(self.sg.predicates(shape, None))
            if keys - _SHAPE_KEYS or (shape, SH.deactivated, None) in self.sg:
                raise Unsupported(f"{shape}: {sorted(map(str, keys - _SHAPE_KEYS))}")
            if SH.path not in keys and keys & {SH.minCount, SH.maxCount}:
                raise Unsupported("cardinality on a node shape")
            if any(k not in _NODE_KINDS for k in self._p(shape, SH.nodeKind)):
                raise Unsupported("node kind")
            self._keys[(shape, "checked")] = True
        path = next(iter(self._p(shape, SH.path)), None)
        low, high = self._int(shape, SH.minCount), self._int(shape, SH.maxCount)
        wanted = self._p(shape, SH.hasValue)
        for f in focus:
            values = [f] if path is None else self._values(f, path)
            if path is not None:
                if (low is not None and len(values) < low) or (high is not None and len(values) > high):
                    return True
                if any(w not in values for w in wanted):
                    return True
            elif any(w != f for w in wanted):
                return True
            if any(self._value_fails(shape, v) for v in values):
                return True
        if any(self._fails(prop, focus) for prop in self._p(shape, SH.property)):
            return True
        return any(self._sparql_fails(c, focus) for c in self._p(shape, SH.sparql))

    def _values(self, node, path) -> list:
        if isinstance(path, URIRef):
            return self._objects_of(node, path)
        steps = self._keys.get((path, "steps"))
        if steps is None:
            if (path, RDF.first, None) not in self.sg or set(self.sg.predicates(path, None)) - {RDF.first, RDF.rest}:
                raise Unsupported(f"path {path}")
            steps = self._keys[(path, "steps")] = self._members(path)
            if not all(isinstance(step, URIRef) for step in steps):
                raise Unsupported(f"path {path}")
        nodes = [node]
        for step in steps:
            nodes = list(dict.fromkeys(o for n in nodes for o in self._objects_of(n, step)))
        return nodes

    def _value_fails(self, shape, v) -> bool:
        # A verdict depends on the shape and the value alone, and values repeat across focus nodes (the same
        # agreement is the subject of many passages, the same organization a party of many agreements).
        key = (shape, v)
        verdict = self._verdicts.get(key)
        if verdict is None:
            verdict = self._verdicts[key] = self._value_check(shape, v)
        return verdict

    def _value_check(self, shape, v) -> bool:
        p = self._p
        if any(not _has_datatype(v, dt) for dt in p(shape, _DATATYPE)):
            return True
        if any(not self._is_instance(v, cls) for cls in p(shape, _CLASS)):
            return True
        if any(not isinstance(v, _NODE_KINDS[kind]) for kind in p(shape, _NODE_KIND)):
            return True
        for pattern in p(shape, _PATTERN):
            if isinstance(v, BNode) or not re.search(str(pattern), _string(v)):
                return True
        for n in p(shape, _MIN_LENGTH):
            if int(n) > 0 and (isinstance(v, BNode) or len(_string(v)) < int(n)):
                return True
        for members in p(shape, _IN):
            if v not in self._members(members):
                return True
        if any(self._fails(node_shape, {v}) for node_shape in p(shape, _NODE)):
            return True
        for alternatives in p(shape, _OR):
            if all(self._fails(alt, {v}) for alt in self._members(alternatives)):
                return True
        return False

    def _members(self, rdf_list) -> list:
        if (rdf_list, "members") not in self._keys:
            self._keys[(rdf_list, "members")] = list(Collection(self.sg, rdf_list))
        return self._keys[(rdf_list, "members")]

    def _int(self, shape, key) -> int | None:
        values = self._p(shape, key)
        return int(values[0]) if values else None

    def _sparql_fails(self, constraint, focus) -> bool:
        """Whether the SELECT may return a row for a focus node: screened in bulk, then run for the few left."""
        from . import shacl_bulk
        from .validate import _translated

        if set(self.sg.predicates(constraint, None)) - _SPARQL_KEYS or (constraint, SH.deactivated, None) in self.sg:
            raise Unsupported(f"SPARQL constraint {constraint}")
        text = str(self.sg.value(constraint, SH.select))
        namespaces = tuple(sorted(self.data.namespaces()))
        screen = shacl_bulk._screen(text, namespaces)
        if screen is None or "$this" not in text or re.search(r"\$(?!this\b)\w", text):
            raise Unsupported("a SELECT the bulk screen cannot weaken, or one with pre-bound variables besides $this")
        if self._copy is None:
            self._copy = shacl_bulk._Copy(self._triples_for(self._screens(namespaces)))
        query = _translated(text, namespaces, None)
        left = sorted(self._copy.focus_with_rows(screen, focus), key=str)
        data = self.data
        if left and isinstance(data, Indexed):
            from .validate_parts import _predicates_of

            data = data.in_rdflib(_predicates_of((text,)))
        return any(len(data.query(query, initBindings={"this": f})) for f in left)

    def _screens(self, namespaces: tuple) -> list:
        """The bulk screens of every SPARQL constraint in the shapes (None for one that has none)."""
        from . import shacl_bulk

        return [shacl_bulk._screen(str(text), namespaces) for text in self.sg.objects(None, SH.select)]

    def _triples_for(self, screens: list):
        """The data triples the screens can match: those of the predicates they name, when each triple pattern
        names its predicate or takes it from an IN list of IRIs (a pattern matches no triple of another
        predicate); else all. The copy then holds a fraction of the graph: most triples are passages and
        their selectors, which no constraint reads."""
        predicates = set()
        for sc in screens:
            if sc is None:
                return self._everything()
            listed = {f[1]: f[2] for f in sc.filters if f[0] == "IN"}
            for t in (*sc.triples, *(t for f in sc.filters if f[0] != "IN" for t in f[1])):
                if isinstance(t[1], URIRef):
                    predicates.add(t[1])
                elif t[1] in listed:
                    predicates.update(listed[t[1]])
                else:
                    return self._everything()
        extra = self.sparql_extra or (lambda p: ())
        return (t for p in sorted(predicates) for part in (self.data.triples((None, p, None)), extra(p)) for t in part)

    def _everything(self):
        if self.sparql_extra is not None:  # which of the triples kept out of rdflib it needs cannot be told
            raise Unsupported("a SPARQL constraint that may read any predicate, in a build validated in parts")
        return self.data.triples((None, None, None))


def _has_datatype(v, dt) -> bool:
    """pySHACL's sh:datatype test: the value is a literal of that datatype, well formed where rdflib can tell."""
    if not isinstance(v, Literal):
        return False
    if v.datatype == dt:
        if getattr(v, "ill_typed", None) is True:
            return False
        return dt not in _PYTHON_TYPE or isinstance(v.value, _PYTHON_TYPE[dt])
    if dt == RDFS.Literal:
        return True
    if dt == RDFS.Datatype:
        return v.datatype is not None
    if dt == XSD.string and v.datatype is None and v.language is None:
        return isinstance(v.value, _PYTHON_TYPE[dt])
    if dt == RDF.langString and v.language:
        return isinstance(v.value, _PYTHON_TYPE[dt])
    return False


def _string(v) -> str:
    """The string pySHACL matches patterns and lengths against."""
    if isinstance(v, Literal) and v.value is not None and v.datatype in (None, RDF.langString, XSD.string):
        return str(v.value)
    return str(v)
