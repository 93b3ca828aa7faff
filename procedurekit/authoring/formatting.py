"""Canonical formatting of procedure files (``procedurekit fmt``), comments kept.

The canonical form puts ``[procedure]`` first, then the sections in the
model's order (items, and the tables inside them, in the order written), and
each table's keys in the model's field order, except that an obligation reads
as a sentence (what, within, after, owner...) and every rule ends with its
strength and its source. Spacing is fixed: one blank line
before each table, none inside it, ``key = value`` with single spaces, a
trailing comment two spaces after its value, one newline at the end.

Comments stay with what they describe: a comment above a table header moves
with the table, a comment above a key with the key, a comment after a value
with the value, the file's opening comments stay at the top. The file is
read with tomlkit (style-preserving TOML), so values are kept exactly as
written. Formatting is idempotent, and a result whose data or comments differ
from the input's is refused (:class:`FormatError`), never written.
"""

from __future__ import annotations

import tomllib
import typing
from collections import Counter
from typing import Any

import attrs
import tomlkit
from attrs import define, field
from tomlkit.container import Container
from tomlkit.items import AoT, Comment, Key, Table, Whitespace

from procedurekit import model
from procedurekit.loader import SECTION_TYPES

__all__ = ["canonical", "FormatError"]


class FormatError(ValueError):
    """The file cannot be formatted without changing its data or losing a comment."""


@define
class _Block:
    """One table: the comments above its header, the header, and its keys (each with the comments above it)."""

    path: tuple[str, ...]
    header: str
    leading: list[str] = field(factory=list)
    keys: list[tuple[str, list[str], str]] = field(factory=list)  # (field name, comments, "key = value")


@define
class _Reader:
    """The file in document order: opening lines, tables, and comments left at the end."""

    opening: list[str] = field(factory=list)
    blocks: list[_Block] = field(factory=list)
    pending: list[str] = field(factory=list)  # comments not yet attached to a key or a header

    def comment(self, line: str) -> None:
        if self.blocks:
            self.pending.append(line)
        else:
            self.opening.append(line)

    def blank(self) -> None:
        lines = self.pending if self.blocks else self.opening
        if lines and lines[-1] != "":
            lines.append("")  # kept only between comments and the header below them (a section banner)

    def header(self, path: tuple[str, ...], header: str) -> None:
        if not self.blocks:
            # the file's opening is its first paragraph of comments; later ones introduce the first table
            cut = self.opening.index("") if "" in self.opening else 0
            self.opening, self.pending = self.opening[:cut], self.opening[cut:]
            while self.pending and self.pending[0] == "":
                self.pending.pop(0)
        self.blocks.append(_Block(path, header, leading=self.pending))
        self.pending = []

    def key(self, name: str, text: str) -> None:
        if not self.blocks:
            # keys before any table belong to the root: they stay in the opening lines
            self.opening.extend([*(line for line in self.pending if line), text])
            self.pending = []
            return
        self.blocks[-1].keys.append((name, [line for line in self.pending if line], text))
        self.pending = []


def _key_text(key: Key) -> str:
    return key.as_string().strip()


def _statement(key: Key, item: Any) -> str:
    """``key = value`` with canonical spacing, its trailing comment kept."""
    if key.is_dotted():
        # a dotted key (chair.first = {...}): tomlkit renders the whole statement
        container = Container()
        container.append(key, item)
        return container.as_string().strip()
    text = f"{_key_text(key)} = {item.as_string()}"
    comment = item.trivia.comment
    return f"{text}  {comment}" if comment else text


def _read(container: Container, path: tuple[str, ...], reader: _Reader) -> None:
    for key, item in container.body:
        if key is None:
            if isinstance(item, Comment):
                reader.comment(item.as_string().strip())
            elif isinstance(item, Whitespace) and "\n" in item.as_string():
                reader.blank()
            continue
        inner = (*path, _key_text(key))
        if isinstance(item, AoT):
            for table in item.body:
                reader.header(inner, _header(inner, table, "[[", "]]"))
                _read(table.value, inner, reader)
        elif isinstance(item, Table) and not key.is_dotted():
            if not item.is_super_table():
                reader.header(inner, _header(inner, item, "[", "]"))
            _read(item.value, inner, reader)
        else:
            reader.key(key.key, _statement(key, item))


def _header(path: tuple[str, ...], table: Table, opening: str, closing: str) -> str:
    comment = table.trivia.comment
    return f"{opening}{'.'.join(path)}{closing}" + (f"  {comment}" if comment else "")


def _class_at(path: tuple[str, ...]) -> type | None:
    """The model class a table at *path* is structured as, if known."""
    if not path:
        return None
    names = [part.strip('"\'') for part in path]
    if names[0] == "procedure":
        cls: type | None = model.ProcedureHeader
        rest = names[1:]
    else:
        cls = SECTION_TYPES.get(names[0])
        rest = names[2:]
    for name in rest:
        if cls is None or not attrs.has(cls):
            return None
        hints = typing.get_type_hints(cls)
        cls = _attrs_class(hints[name]) if name in hints else None
    return cls


def _attrs_class(annotation: Any) -> type | None:
    if annotation == model.Sources:
        return model.Source
    for candidate in (annotation, *typing.get_args(annotation)):
        if isinstance(candidate, type) and attrs.has(candidate):
            return candidate
        for inner in typing.get_args(candidate):
            if isinstance(inner, type) and attrs.has(inner):
                return inner
    return None


#: an obligation's keys as a rule is read aloud: what, when, from what, who, how binding, from where
_OBLIGATION_ORDER = (
    "what", "meeting", "document", "occurrence", "within", "readings", "basis", "every", "alternatives",
    "combine", "timescale", "set_by", "gestation", "after", "before", "anchor", "anchor_where", "until",
    "during", "earliest", "not_immediately", "non_working_day", "owner", "recipients", "when", "unless",
)
#: every rule ends with how binding it is and where it comes from
_TAIL = ("strength", "note", "interpretation", "source")


def _key_order(cls: type) -> dict[str, int]:
    names = [f.name for f in attrs.fields(cls)]
    head = [n for n in _OBLIGATION_ORDER if n in names] if cls is model.Obligation else []
    body = [n for n in names if n not in head and n not in _TAIL]
    return {name: i for i, name in enumerate([*head, *body, *(n for n in _TAIL if n in names)])}


def _ordered_keys(block: _Block) -> list[tuple[str, list[str], str]]:
    cls = _class_at(block.path)
    if cls is None or not attrs.has(cls):
        return block.keys
    rank = _key_order(cls)
    return sorted(block.keys, key=lambda entry: rank.get(entry[0], len(rank)))


def _section_rank(block: _Block) -> int:
    top = block.path[0].strip('"\'')
    if top == "procedure":
        return -1
    order = list(SECTION_TYPES)
    return order.index(top) if top in order else len(order)


def _render(reader: _Reader) -> str:
    lines = list(reader.opening)
    while lines and lines[-1] == "":
        lines.pop()
    for block in sorted(reader.blocks, key=_section_rank):
        if lines:
            lines.append("")
        lines.extend(block.leading)
        lines.append(block.header)
        for _, comments, text in _ordered_keys(block):
            lines.extend(comments)
            lines.append(text)
    trailer = [line for line in reader.pending if line]
    if trailer:
        lines.extend(["", *trailer])
    return "\n".join(lines) + "\n" if lines else ""


def _comments(container: Container, found: Counter[str] | None = None) -> Counter[str]:
    """Every comment line and trailing comment outside values (comments inside a value are kept verbatim)."""
    found = Counter() if found is None else found
    for key, item in container.body:
        if isinstance(item, Comment):
            found[item.as_string().strip()] += 1
            continue
        if isinstance(item, Whitespace):
            continue
        if item.trivia.comment:
            found[item.trivia.comment] += 1
        for table in item.body if isinstance(item, AoT) else [item] if isinstance(item, Table) else []:
            if table is not item and table.trivia.comment:
                found[table.trivia.comment] += 1
            _comments(table.value, found)
    return found


def canonical(text: str) -> str:
    """The canonical form of a procedure file's text (which must be valid TOML).

    Raises :class:`FormatError` when the result would differ from *text* in
    its data or its comments: the file is then left as it is.
    """
    reader = _Reader()
    document = tomlkit.parse(text)
    _read(document, (), reader)
    result = _render(reader)
    if tomllib.loads(result) != tomllib.loads(text):
        raise FormatError("formatting would change the file's data (a table defined in pieces, perhaps): "
                          "it is left as it is; move the pieces of each table together by hand")
    if _comments(tomlkit.parse(result)) != _comments(document):
        raise FormatError("formatting would move or lose a comment: the file is left as it is")
    return result
