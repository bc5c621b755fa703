"""Folding text for matching names: cheap to import, because every lookup needs it."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower-case, accent-free, one apostrophe, one space: same length as the input."""
    out = []
    for ch in text:
        base = unicodedata.normalize("NFD", ch)[0] if ord(ch) > 127 else ch
        low = base.lower()
        if len(low) != 1:
            low = base
        if low in "’‘`´":
            low = "'"
        elif low.isspace():
            low = " "
        elif low in "‐‑‒–—":
            low = "-"
        out.append(low)
    return "".join(out)
