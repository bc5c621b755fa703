"""Triples held the way the SHACL screen reads them: by predicate, then subject, in plain dictionaries.

A build screens every triple it publishes (shacl_screen), and the screen asks one kind of question: the values
of one predicate for one node. rdflib's memory store answers it, but indexes each triple three ways and by
graph as it is added: a third of the work of writing and screening a batch of sources' graphs went into rdflib's
add and lookups, and the merged graphs took some 0.8 KB a triple in it. This holds each triple once, in the one
order the screen reads, and answers the rest of the rdflib calls the screen makes (subjects of a type, objects
of a predicate, the namespaces) from it; a SPARQL query, for the few focus nodes the bulk screen leaves, runs
on a copy in rdflib of the triples of the predicates it names.
"""

from __future__ import annotations

from functools import lru_cache


class Indexed:
    """A set of triples: predicate -> subject -> its object, or a dict of its objects where there are several."""

    def __init__(self, triples=()):
        self.by_predicate: dict = {}
        self._by_object: dict = {}  # predicate -> object -> subjects, built on first use
        self._rdflib: dict = {}  # copies in rdflib (in_rdflib), made only to run a SPARQL query
        self.update(triples)

    def update(self, triples) -> None:
        index = self.by_predicate
        for s, p, o in triples:
            subjects = index.get(p)
            if subjects is None:
                subjects = index[p] = {}
            held = subjects.get(s)
            if held is None:
                subjects[s] = o
            elif type(held) is dict:
                held[o] = None
            elif held != o:
                subjects[s] = {held: None, o: None}
        self._by_object = {}
        self._rdflib = {}

    def values(self, s, p) -> list:
        """The objects of S's triples of P, each once, in the order they were added."""
        held = self.by_predicate.get(p, {}).get(s)
        if held is None:
            return []
        return list(held) if type(held) is dict else [held]

    def triples(self, pattern):
        s, p, o = pattern
        for q in [p] if p is not None else list(self.by_predicate):
            subjects = self.by_predicate.get(q, {})
            for x in [s] if s is not None else list(subjects):
                for v in self.values(x, q):
                    if o is None or v == o:
                        yield x, q, v

    def __iter__(self):
        return self.triples((None, None, None))

    def __len__(self) -> int:
        return sum(1 if type(v) is not dict else len(v) for subjects in self.by_predicate.values()
                   for v in subjects.values())

    def __contains__(self, triple) -> bool:
        s, p, o = triple
        return any(True for _ in self.triples((s, p, o)))

    def subjects(self, predicate=None, obj=None):
        """Each subject once, of the triples matching PREDICATE and OBJ (None matching any)."""
        if predicate is not None and obj is not None:
            index = self._by_object.get(predicate)
            if index is None:
                index = self._by_object[predicate] = {}
                for s, _, o in self.triples((None, predicate, None)):
                    index.setdefault(o, []).append(s)
            return iter(index.get(obj, ()))
        if obj is None:  # the keys: no triple need be visited
            held = self.by_predicate.values() if predicate is None else [self.by_predicate.get(predicate, {})]
            return iter(dict.fromkeys(s for subjects in held for s in subjects))
        return iter(dict.fromkeys(s for s, _, _ in self.triples((None, predicate, obj))))

    def objects(self, subject=None, predicate=None):
        """Each object once, of the triples matching SUBJECT and PREDICATE."""
        return iter(dict.fromkeys(o for _, _, o in self.triples((subject, predicate, None))))

    def namespaces(self):
        return iter(_namespaces())

    def in_rdflib(self, predicates=None):
        """A copy in rdflib of the triples of PREDICATES (None: of all), made once each: for the few focus nodes
        the screen cannot clear without running a constraint's real SELECT, which needs no more than the
        triples of the predicates its patterns name."""
        from rdflib import Graph

        key = None if predicates is None else frozenset(predicates)
        g = self._rdflib.get(key)
        if g is None:
            g = self._rdflib[key] = Graph()
            triples = self if key is None else (t for p in sorted(key) for t in self.triples((None, p, None)))
            g.addN((s, p, o, g) for s, p, o in triples)
        return g


@lru_cache(maxsize=1)
def _namespaces() -> tuple:
    """The prefixes a new rdflib graph binds, which the screen's SPARQL constraints are parsed with, as before."""
    from rdflib import Graph

    return tuple(Graph().namespaces())
