"""Split a document's text into sentences that keep their character offsets.

Press releases arrive hard-wrapped, scraped with navigation lines, or as clean
paragraphs. A blank line or a heading-like line ends a block; inside a block,
single newlines are just wrapping.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Abbreviations after which a period does not end a sentence (titles, initials).
_ABBREV = {
    "mr", "mrs", "ms", "dr", "h.e", "st", "no", "nos", "sr", "sra", "srta", "mme", "mmes", "m", "mm",
    "prof", "gen", "col", "amb", "rev", "hon", "e.g", "i.e", "etc", "vs", "jr", "art", "p", "pp",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "d.c", "u.s",
    "u.n", "inc", "ltd", "co", "corp", "dept", "excmo", "excma", "lic", "ing", "s.e", "h.e.",
}

_END = re.compile(r"[.!?…]+[\"”’)»]*(?=\s+[\"“‘(«]?[A-ZÀ-ÖØ-Þ0-9ÁÉÍÓÚÑ¿¡])|[.!?…]+[\"”’)»]*\s*$")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    block: int  # index of the paragraph/block it belongs to


def _blocks(text: str, offset: int = 0):
    """Yield (start, end) of blocks: runs of lines separated by blank lines or heading lines."""
    pos = 0
    start = None
    prev = ""  # previous non-blank line inside the current block, "" after a break
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        line_start, pos = pos, pos + len(line)
        if not stripped:
            if start is not None:
                yield start + offset, line_start + offset
                start = None
            prev = ""
            continue
        # A hard-wrapped sentence goes on after a long line with no final punctuation.
        continues = len(prev) >= 40 and prev[-1] not in ".!?:;”\"’»"
        if not continues and _is_heading(stripped):
            if start is not None:
                yield start + offset, line_start + offset
            yield line_start + offset, line_start + len(line.rstrip("\n")) + offset
            start = None
            prev = ""
            continue
        if start is None:
            start = line_start
        prev = stripped
    if start is not None:
        yield start + offset, len(text) + offset


_MINOR = {
    "a", "an", "the", "and", "or", "of", "to", "in", "on", "for", "by", "with", "at", "from", "as",
    "de", "la", "le", "les", "des", "du", "et", "en", "y", "el", "los", "las", "del", "para", "por", "con",
    "à", "au", "aux", "pour", "sur", "un", "une", "e", "da", "do", "und", "der", "die",
}


def _is_heading(line: str) -> bool:
    # Short lines without final punctuation, mostly capitalised, are headings,
    # menu items or banners, never the middle of a wrapped sentence.
    if len(line) > 110 or line[-1] in ".,;:”\"’)»":
        return False
    words = [w for w in re.findall(r"[^\W\d_][\w’'-]*", line) if w.lower() not in _MINOR]
    if len(words) <= 3:
        return True
    caps = sum(1 for w in words if w[0].isupper())
    return caps / len(words) >= 0.8


def split(text: str, start: int = 0, end: int | None = None) -> list[Sentence]:
    end = len(text) if end is None else end
    out: list[Sentence] = []
    for b, (bs, be) in enumerate(_blocks(text[start:end], start)):
        out.extend(_split_block(text, bs, be, b))
    return out


def _split_block(text: str, bs: int, be: int, block: int) -> list[Sentence]:
    chunk = text[bs:be]
    out = []
    last = 0
    for m in _END.finditer(chunk):
        cut = m.end()
        if _ends_with_abbrev(chunk[last:m.start() + 1]):
            continue
        _emit(out, text, bs + last, bs + cut, block)
        last = cut
    _emit(out, text, bs + last, be, block)
    return out


def _ends_with_abbrev(piece: str) -> bool:
    m = re.search(r"(\S+)\.$", piece)
    if not m:
        return False
    word = m.group(1).lower().lstrip("(\"“")
    return word in _ABBREV or (len(word) == 1 and word.isalpha())


def _emit(out, text, s, e, block):
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if e > s:
        out.append(Sentence(s, e, text[s:e], block))
