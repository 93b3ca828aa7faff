"""A shipped source text with each rule's quote marked at its place, and the statements left unencoded.

Quotes are found the way ``validate`` checks them (:mod:`procedurekit.quoting`:
typography, white space and case folded; "…" for words left out), so every quote
that passes validation is marked; a map from the folded text back to the
original keeps the text exactly as shipped.
"""

from __future__ import annotations

from collections.abc import Iterable

from attrs import frozen

from procedurekit.quoting import normalise

__all__ = ["Span", "Segment", "find_spans", "segments"]


@frozen
class Span:
    """Characters *start*..*end* of the original text, quoted by *rule* (or, with *reason*, not encoded)."""

    start: int
    end: int
    rule: str
    reason: str | None = None


@frozen
class Segment:
    """A run of the text and the spans covering it (none for plain text)."""

    text: str
    spans: tuple[Span, ...]
    #: the spans that begin here (each gets its anchor)
    starts: tuple[Span, ...] = ()


def _folded(text: str) -> tuple[str, list[int]]:
    """*text* normalised as :func:`~procedurekit.quoting.normalise` does, with each character's original index."""
    chars: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        folded = normalise(ch) if not ch.isspace() else " "
        if folded == "" and not ch.isspace():
            continue
        if folded == " ":
            if not chars or chars[-1] == " ":
                continue
        for c in folded:
            chars.append(c)
            where.append(i)
    while chars and chars[-1] == " ":
        chars.pop()
        where.pop()
    return "".join(chars), where


def find_spans(text: str, quotes: Iterable[tuple[str, str]], unencoded: Iterable[tuple[str, str]] = ()
               ) -> list[Span]:
    """Where each ``(rule, quote)`` and each ``(statement, reason)`` stands in *text*; parts of a quote
    with "…" are spans of their own."""
    folded, where = _folded(text)
    spans: list[Span] = []

    def locate(said: str, rule: str, reason: str | None) -> None:
        position = 0
        for part in (p.strip() for p in normalise(said).replace("...", "\u2026").split("\u2026")):
            if not part:
                continue
            found = folded.find(part, position)
            if found < 0:
                return
            position = found + len(part)
            spans.append(Span(where[found], where[position - 1] + 1, rule, reason))

    for rule, quote in quotes:
        locate(quote, rule, None)
    for statement, reason in unencoded:
        locate(statement, "", reason)
    return sorted(spans, key=lambda s: (s.start, -s.end))


def segments(text: str, spans: list[Span]) -> list[Segment]:
    """*text* cut at every span's ends, each piece with the spans over it."""
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        over = tuple(s for s in spans if s.start <= a and s.end >= b)
        out.append(Segment(text[a:b], over, tuple(s for s in over if s.start == a)))
    return out
