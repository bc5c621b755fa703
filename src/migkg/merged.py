"""The merged graphs (agreements, reference, provenance, vocabularies) as populate writes them: each graph a
dictionary of subjects to their (predicate, object) pairs, not an rdflib graph.

rdflib's memory store indexes every triple three ways, and by graph, as it is added: most of populate's time
and about 0.8 KB a triple, where a 100,000-document build's merged graphs are some 3 million triples. Most of
a build never asks rdflib anything about them: the dumps want them sorted (export.write_bodies), the screen
reads them indexed its own way (validate_parts, indexed.Indexed), a rebuild's screen of what changed
(validate_delta) walks a few thousand of them from node to node (View). Only a caller that wants the whole
graph in rdflib (pipeline.build_dataset, and a build that validates everything at once) writes them into
rdflib (InRdflib) or takes a copy (dataset()).
"""

from __future__ import annotations

from rdflib import Dataset, Literal


class Graph:
    """One named graph: its triples by subject."""

    __slots__ = ("identifier", "by_subject", "size")

    def __init__(self, identifier):
        self.identifier = identifier
        self.by_subject: dict = {}
        self.size = 0

    def add(self, triple) -> None:
        s, p, o = triple
        pairs = self.by_subject.get(s)
        if pairs is None:
            pairs = self.by_subject[s] = set()
        if (p, o) not in pairs:
            pairs.add((p, o))
            self.size += 1

    def __contains__(self, triple) -> bool:
        s, p, o = triple
        pairs = self.by_subject.get(s, ())
        if o is None:
            return any(q == p for q, _ in pairs)
        return (p, o) in pairs

    def triples(self, pattern):
        """The triples matching PATTERN, None matching anything; quick only where the subject is given."""
        s, p, o = pattern
        subjects = [s] if s is not None else list(self.by_subject)
        for x in subjects:
            for q, v in list(self.by_subject.get(x, ())):
                if (p is None or q == p) and (o is None or v == o):
                    yield x, q, v

    def remove(self, pattern) -> None:
        for s, p, o in list(self.triples(pattern)):
            pairs = self.by_subject[s]
            pairs.discard((p, o))
            self.size -= 1
            if not pairs:
                del self.by_subject[s]

    def __iter__(self):
        for s, pairs in self.by_subject.items():
            for p, o in pairs:
                yield s, p, o

    def __len__(self) -> int:
        return self.size


class Graphs:
    """The merged graphs by name, in the order they were first asked for."""

    def __init__(self):
        self._graphs: dict = {}

    def graph(self, identifier) -> Graph:
        g = self._graphs.get(identifier)
        if g is None:
            g = self._graphs[identifier] = Graph(identifier)
        return g

    def __len__(self) -> int:
        return sum(len(g) for g in self._graphs.values())

    def quads(self) -> list[tuple]:
        """Every quad, its graph given by IRI (as export.quads_of gives a dataset's)."""
        return [(s, p, o, g.identifier) for g in self._graphs.values() for s, p, o in g]

    def triples(self):
        """Every triple of every graph (one held by two graphs comes twice)."""
        for g in self._graphs.values():
            yield from g

    def dataset(self) -> Dataset:
        """The graphs in rdflib, a copy the caller owns."""
        ds = Dataset()
        for g in self._graphs.values():
            into = ds.graph(g.identifier)
            into.addN((s, p, o, into) for s, p, o in g)
        return ds

    def by_subject(self) -> list[dict]:
        """Each graph's subjects to their (predicate, object) pairs, for View."""
        return [g.by_subject for g in self._graphs.values()]

    def release(self) -> None:
        self._graphs = {}


class InRdflib:
    """The merged graphs written straight into an rdflib dataset, for a caller that wants the whole graph there
    (pipeline.build_dataset): what populate and Parts ask of Graphs."""

    def __init__(self):
        self.ds = Dataset()

    def graph(self, identifier):
        return self.ds.graph(identifier)

    def dataset(self) -> Dataset:
        return self.ds

    def release(self) -> None:
        # rdflib's memory store is a web of reference cycles, and a build runs with the collector off
        # (pipeline._few_cycles): emptied, its millions of objects are freed as their counts drop.
        self.ds.store.__init__()


class View:
    """The merged graphs and EXTRA triples (the ontology) as one graph to walk in either direction: the
    subjects' own dictionaries forwards, an index of objects built on first use backwards."""

    def __init__(self, graphs, extra=(), backward=None):
        more = Graph(None)
        for t in extra:
            more.add(t)
        self.graphs = graphs.by_subject() + [more.by_subject]
        self._by_object: dict | None = None
        # Only these predicates walked backwards, where the caller knows them: the index of every object of a
        # large build's merged graphs was most of its first screen's memory, for a walk that reads none.
        self.backward = backward

    def out(self, s):
        """(predicate, object) of every triple of S, once each: a graph's own set where one graph holds S, as
        nearly every subject is (not copied, so not to be changed)."""
        found = [pairs for g in self.graphs if (pairs := g.get(s))]
        if len(found) == 1:
            return found[0]
        return set().union(*found)

    def into(self, o):
        """(subject, predicate) of every triple whose object is O, once each (of a backward predicate only, where
        the view was given them)."""
        if self._by_object is None:
            index: dict = {}
            backward = self.backward
            for g in self.graphs:
                for s, pairs in g.items():
                    for p, v in pairs:
                        # nothing walks back from a value
                        if not isinstance(v, Literal) and (backward is None or p in backward):
                            index.setdefault(v, set()).add((s, p))
            self._by_object = index
        return self._by_object.get(o, ())
