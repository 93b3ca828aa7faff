"""Matching quotes against a source text: the one normaliser and matcher for the quote check and coverage."""

from __future__ import annotations

__all__ = ["normalise", "quoted"]

_TYPOGRAPHY = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-",
                             "\u2014": "-", "\u00a0": " "})


def normalise(text: str) -> str:
    """Text for matching quotes: typographic quotes and dashes plain, white space folded, lower case."""
    return " ".join(text.translate(_TYPOGRAPHY).split()).lower()


def quoted(quote: str, text: str) -> bool:
    """Whether the normalised *quote* appears in the normalised *text*; "…" or "..." stands for words left out."""
    position = 0
    for part in (p.strip() for p in quote.replace("...", "\u2026").split("\u2026")):
        if not part:
            continue
        found = text.find(part, position)
        if found < 0:
            return False
        position = found + len(part)
    return True
