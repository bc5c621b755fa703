"""SPARQL text to rdflib's algebra, parsed where it cannot keep the caller's data alive.

rdflib parses with pyparsing, which backtracks by raising exceptions and keeps some of them: each one's
traceback holds the frames it passed through, and a frame holds the frame that called it, up to the first
caller. A build runs with the cycle collector off (pipeline._few_cycles), so every frame above the first
parse of a query, with all it referenced (a build's facts, a screen's copy of the merged graphs), stayed in
memory until the collector next ran: at the release, where finding them took most of its time (3.3 of 3.9 s
at 10,000 documents, ten times that at 100,000). A parse on a thread of its own has only that thread's frames
above it, so what is left over is the parse's own few objects.
"""

from __future__ import annotations

import threading


def translated(text: str, namespaces: dict | None = None, base: str | None = None):
    """The query TEXT translated (what rdflib's prepareQuery returns); raises what rdflib raises for it."""
    out: dict = {}

    def parse() -> None:
        from rdflib.plugins.sparql.algebra import translateQuery
        from rdflib.plugins.sparql.parser import parseQuery

        try:
            out["query"] = translateQuery(parseQuery(text), base, namespaces)
        except Exception as e:  # noqa: BLE001 - handed to the caller as it is
            out["error"] = e

    thread = threading.Thread(target=parse, name="migkg-sparql-parse")
    thread.start()
    thread.join()
    if "error" in out:
        error = out.pop("error")
        try:
            raise error
        finally:
            del error  # not a name in this frame while the exception travels: that would be a cycle of its own
    return out["query"]
