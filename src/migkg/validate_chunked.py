"""Screen a large build's merged graphs a chunk of focus nodes at a time, not all at once.

Screened whole, the merged graphs of 100,000 documents took 2.7 GB beside them (the screen's indexes, and the
in-memory Oxigraph copies its SPARQL constraints and the checks run on, whose freed memory the process keeps),
and that was most of a build's peak. Each node's verdict depends only on what it can read, and a rebuild's
screen (validate_delta) already finds that for any set of nodes: so the nodes are screened a CHUNK at a time,
each chunk on a small graph of what its nodes can read (validate_delta._reach), and the screen's memory is a
chunk's. Every node is a focus candidate of exactly one chunk (within=), so the chunks' verdicts together are
the whole screen's; what a chunk's nodes read lies in its small graph, by the argument in validate_delta.

Dearer in time (nodes near many others, such as the organizations every agreement points to, are read into
every chunk), so a build below LARGE merged triples screens them whole, as before. Where the shapes or checks
read in a way that cannot be bounded (validate_delta.reads gives None), this gives None and the build screens
whole too.
"""

from __future__ import annotations

from rdflib import Literal

# Nodes a chunk; merged triples from which a build screens in chunks (at 10,000 documents there are some 290,000).
CHUNK, LARGE = 20_000, 1_000_000


def worth(parts) -> bool:
    """Whether PARTS' merged graphs are large enough to be screened in chunks."""
    return len(parts.merged) >= LARGE


def clean(parts) -> bool | None:
    """Whether the merged graphs of PARTS (populate.Parts) screen clean, with each source's type and its passages'
    statements beside them, as validate_parts.Screening.add_merged screens them whole; None where the reads of
    the shapes and checks cannot be bounded."""
    from . import validate_parts
    from .indexed import Indexed
    from .merged import View
    from .validate import checks, ontology_graph, shapes_graph
    from .validate_delta import _Passages, _reach, reads

    read = reads(shapes_graph(), checks())
    if read is None:
        return None
    sources = set(parts.sources)
    view = View(parts.merged, ontology_graph(), backward=read.backward)  # _reach walks back by no other
    nodes = set()
    for g in view.graphs:
        for s, pairs in g.items():
            nodes.add(s)
            nodes.update(o for _, o in pairs if not isinstance(o, Literal))
    # By IRI: an agreement's signing and signatures are minted below its own IRI, so they share its chunk
    # and are read into no other.
    nodes = sorted(nodes - sources, key=str)
    passages = _Passages(parts, read.backward, readers=False)
    for start in range(0, len(nodes), CHUNK):
        chunk = set(nodes[start:start + CHUNK])
        triples, statements = _reach(chunk, view, read, sources, passages)
        small = Indexed(triples)
        del triples
        small.update(ontology_graph())
        if not validate_parts._clean(small, within=chunk, outside=sources,
                                     sparql_extra=lambda p, st=statements: st.get(p, ())):
            return False
    return True
