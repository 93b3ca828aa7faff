"""Coverage of a source document: which of its normative statements a procedure encodes.

A partnership's source text (a ``[sources.ID]`` with a ``file``) is split into
statements; those written in normative language (must, should, will,
usually, responsible, may...) are matched to the items whose ``source.quote``
(or a document's ``contents``) comes from them. Statements not encoded are
listed, with the reason, in the plugin's ``coverage.toml``::

    [[unencoded]]
    section = "The Circle of Change"
    quote = "The Circle of Change is based within the Systemic Model"
    reason = "Describes a practice model; sets no rule."

so that nothing is left out silently.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

from attrs import frozen

from procedurekit.model import Procedure
from procedurekit.quoting import normalise, quoted

__all__ = ["normalise", "quoted", "Statement", "Unencoded", "Coverage", "statements", "load_unencoded", "document_coverage"]

NORMATIVE = re.compile(
    r"\b(must|should|shall|will|usually|required|requirement|responsible|good practice|essential|vital|"
    r"important|need to|needs to|can only|may|ought|(?:is|are) to|(?:is|are) intended|expected to|normally|generally|quorate|tasks)\b", re.I)
_BULLET = re.compile(r"^\s*(?:[•·\-*]|\|)\s*")
_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)*)\s*\|?\s*")
_LEAD_IN = re.compile(r"(the following|as follows|set out below|the table below)[^.;:]{0,30}[.;:]?$", re.I)
_SENTENCE = re.compile(r"(?<=[.;!?])\s+(?=[A-Z(])")
@frozen
class Statement:
    """A normative sentence of a source text, with where it stands.

    A lead-in ("The plan should include:") makes the items listed under it
    normative too; ``lead_in`` marks such a sentence.
    """

    line: int
    section: str
    text: str
    lead_in: bool = False
    #: listed under a lead-in (an item of "The core group should:")
    listed: bool = False


@frozen
class Unencoded:
    quote: str
    reason: str
    section: str | None = None


@frozen
class Coverage:
    statement: Statement
    items: tuple[str, ...]  # "section.id" of the items that encode it
    reason: str | None  # why it is not encoded, from coverage.toml


def _heading(line: str) -> bool:
    stripped = line.strip().rstrip("+")
    return (0 < len(stripped) < 70 and not stripped.endswith((".", ";", ",", ":")) and not _BULLET.match(line)
            and stripped[0].isupper() and len(stripped.split()) <= 9)


def statements(text: str) -> list[Statement]:
    """The normative statements of *text*, in order, each with the nearest heading or paragraph number."""
    out: list[Statement] = []
    section = ""
    listing = False  # inside the list of items under a normative lead-in
    for number, raw in enumerate(text.splitlines(), start=1):
        paragraph = _NUMBER.match(raw)
        line = raw
        is_bullet = bool(re.match(r"^\s*[•·\-*]", raw))
        if paragraph:
            section = paragraph.group(1)
            line = raw[paragraph.end():]
        elif not is_bullet and _heading(raw) and not NORMATIVE.search(raw):
            section = raw.strip().rstrip("+")
            listing = False
            continue
        line = _BULLET.sub("", line).strip()
        if not line:
            continue
        if not is_bullet and not (listing and line[:1].islower()):
            listing = False
        for sentence in _SENTENCE.split(line):
            sentence = sentence.strip()
            if len(sentence) <= 3:
                continue
            if NORMATIVE.search(sentence) or listing:
                lead_in = sentence.endswith(":") or bool(_LEAD_IN.search(sentence))
                out.append(Statement(number, section, sentence, lead_in, listing))
                if lead_in:
                    listing = True
    return out


def load_unencoded(path: Path) -> list[Unencoded]:
    """The ``[[unencoded]]`` entries of a plugin's coverage.toml (none if it has no such file)."""
    if not path.is_file():
        return []
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return [Unencoded(e["quote"], e["reason"], e.get("section")) for e in data.get("unencoded", [])]


def _fragments(quote: str) -> Iterator[str]:
    # a quote may span several sentences, and "…" marks words left out
    for piece in normalise(quote).replace("...", "\u2026").split("\u2026"):
        for part in re.split(r"(?<=[.;?!])\s+", piece):
            part = part.strip(" ;:,.")
            if len(part) >= 12:
                yield part


def _quotes(procedure: Procedure, doc: str) -> Iterator[tuple[str, str]]:
    """``(item key, quoted text)`` for everything in *procedure* that quotes *doc*."""

    for key, src in procedure.citations():
        if src.doc == doc and src.quote:
            yield f"{key[0]}.{key[1]}", src.quote
    # lists copied word for word from the text count as quotes too
    for doc_id, document in procedure.documents.items():
        if any(s.doc == doc for s in document.source):
            for line in document.contents:
                yield f"documents.{doc_id}", line
    for meeting_id, meeting in procedure.meetings.items():
        quorum = meeting.quorum
        if quorum is not None and any(s.doc == doc for s in quorum.source):
            for line in quorum.proceed_if:
                yield f"meetings.{meeting_id}", line


def _matches(fragment_source: str, statement: str) -> bool:
    return any(f in statement or statement.strip(" ;:,.") in f for f in _fragments(fragment_source))


def document_coverage(procedure: Procedure, doc: str, text: str, unencoded: list[Unencoded]) -> list[Coverage]:
    """Every normative statement of *text* with the items that encode it, or why none does."""
    quotes = list(_quotes(procedure, doc))
    out: list[Coverage] = []
    for statement in statements(text):
        norm = normalise(statement.text)
        items = tuple(dict.fromkeys(key for key, quote in quotes if _matches(quote, norm)))
        reason = next((u.reason for u in unencoded if _matches(u.quote, norm)), None)
        out.append(Coverage(statement, items, reason))
    # a lead-in is encoded by the items encoding what it lists
    for i, entry in enumerate(out):
        if entry.statement.lead_in and not entry.items and not entry.reason:
            listed: list[str] = []
            for follower in out[i + 1:]:
                if follower.statement.lead_in or follower.statement.line > entry.statement.line + 40:
                    break
                listed += follower.items
            if listed:
                out[i] = Coverage(entry.statement, tuple(dict.fromkeys(listed)), None)
    return out


