"""What changed in the merged graphs between two builds' TriG dumps, subject block by subject block.

Oxigraph's TriG writer gives each subject of a graph one block, and the dumps write the merged graphs first,
sorted (export), so two builds' merged graphs can be compared block against block without parsing them:
each block is hashed, and only the blocks in one dump and not the other are kept. After one source is added
to many, that is a few hundred blocks of some three hundred thousand. A rebuild's merged screen
(validate_delta) starts from the triples of those blocks, and its store patch (store_patch) replaces them.

A quad belongs to exactly one block (its graph's, its subject's), so the quads of the old build's changed
blocks are the ones to remove and those of the new build's changed blocks the ones to add.
"""

from __future__ import annotations

import hashlib
import mmap
import re
from dataclasses import dataclass
from pathlib import Path

# A graph's opening line, its closing line, or one subject's block: a line with one tab, then lines with two.
_TOKEN = re.compile(rb"(<[^>\n]*>) \{\n|\}\n|(\t[^\t\n][^\n]*(?:\n\t\t[^\n]*)*\n)")


class Unrecognised(Exception):
    """A dump whose merged graphs are not laid out as export writes them."""


@dataclass
class Diff:
    """The blocks (graph, subject block) only the old build's merged graphs hold, and only the new one's; and
    the names of the graphs each held."""

    gone: list
    came: list
    graphs_before: set
    graphs_after: set

    def trig(self, blocks: list) -> bytes:
        """BLOCKS as a TriG document of their own, with the dumps' prefixes."""
        from .export import header

        return header() + b"".join(g + b" {\n" + block + b"}\n" for g, block in blocks)


def between(old: Path, old_end: int, new: Path, new_end: int) -> Diff:
    """The merged graphs of OLD[:OLD_END] against those of NEW[:NEW_END]; Unrecognised where either dump does
    not begin with the dumps' header or is not a sequence of subject blocks up to its end mark."""
    from .export import header

    head = header()
    with open(old, "rb") as a, open(new, "rb") as b:
        before = mmap.mmap(a.fileno(), 0, access=mmap.ACCESS_READ)
        after = mmap.mmap(b.fileno(), 0, access=mmap.ACCESS_READ)
        try:
            if before[:len(head)] != head or after[:len(head)] != head or not 0 < old_end <= len(before) \
                    or not 0 < new_end <= len(after):
                raise Unrecognised
            graphs_before, graphs_after = set(), set()
            was = {}
            for g, block in blocks(before, len(head), old_end):
                graphs_before.add(g)
                was[_digest(g, block)] = None
            came = []
            for g, block in blocks(after, len(head), new_end):
                graphs_after.add(g)
                d = _digest(g, block)
                if d in was:
                    del was[d]
                else:
                    came.append((g, bytes(block)))
            gone = [(g, bytes(block)) for g, block in blocks(before, len(head), old_end)
                    if _digest(g, block) in was] if was else []
        finally:
            before.close()
            after.close()
    return Diff(gone, came, graphs_before, graphs_after)


def blocks(data, start: int, end: int):
    """(graph, subject block) of DATA[START:END], a TriG body as Oxigraph writes it; Unrecognised where it is not."""
    pos, graph = start, None
    for m in _TOKEN.finditer(data, start, end):
        if m.start() != pos:
            raise Unrecognised
        pos = m.end()
        if m.group(1) is not None:
            graph = m.group(1)
        elif m.group(2) is not None:
            if graph is None:
                raise Unrecognised
            yield graph, m.group(2)
        else:
            graph = None
    if pos != end:
        raise Unrecognised


def _digest(graph: bytes, block: bytes) -> bytes:
    return hashlib.blake2b(graph + b"\0" + block, digest_size=16).digest()
