"""Folding text for matching names: cheap to import, because every lookup needs it."""

from __future__ import annotations

import unicodedata


class _Folds(dict):
    """Code point -> its folded character, worked out the first time a character is seen.

    str.translate walks the text in C; the rule itself runs once per distinct character, not once per
    character of every text (fold took an eighth of extraction when it ran per character)."""

    def __missing__(self, cp: int) -> str:
        ch = chr(cp)
        base = unicodedata.normalize("NFD", ch)[0] if cp > 127 else ch
        low = base.lower()
        if len(low) != 1:
            low = base
        if low in "’‘`´":
            low = "'"
        elif low.isspace():
            low = " "
        elif low in "‐‑‒–—":
            low = "-"
        if len(self) < 1 << 16:  # a hostile text of every code point must not grow it without end
            self[cp] = low
        return low


_FOLDS = _Folds()


def fold(text: str) -> str:
    """Lower-case, accent-free, one apostrophe, one space: same length as the input."""
    return text.translate(_FOLDS)
