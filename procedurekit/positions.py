"""Where each key and value of a TOML document stands: ``path -> line:col``.

``tomllib`` returns plain dicts with no positions, so errors found after
parsing (an unknown key, a bad duration, a dangling reference) would have no
line to point at. :class:`PositionIndex` scans the text once, on first use,
and records the offset of every key and value by its path, e.g.
``("obligations", "core-group-first", "within")`` or ``("x", "steps", 2)``.

The scanner only runs on text that ``tomllib`` has accepted, so it can be
small; it still never loops forever and stops at :data:`MAX_DEPTH`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

__all__ = ["PositionIndex", "TooDeep", "MAX_DEPTH", "MAX_KEY_PARTS", "nesting_offset", "long_key_line", "too_deep"]

Path = tuple[str | int, ...]

#: Deepest nesting of arrays and inline tables a procedure may use.
MAX_DEPTH = 32

_BARE = re.compile(r"[A-Za-z0-9_-]+")
_BASIC = re.compile(r'"(?:[^"\\\n]|\\.)*"')
_LITERAL = re.compile(r"'[^'\n]*'")
_ML_BASIC = re.compile(r'"""(?:[^"\\]|\\.|"{1,2}(?!"))*"{3,5}', re.S)
_ML_LITERAL = re.compile(r"'''(?:[^']|'{1,2}(?!'))*'{3,5}", re.S)
_SCALAR = re.compile(r"[^\s,\]\}#]+(?: (?=\d)[0-9:.+\-Z]+)?")
_BLANK = re.compile(r"(?:[ \t\r\n]|#[^\n]*)*")
_SPACE = re.compile(r"[ \t]*")
_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}


class TooDeep(Exception):
    def __init__(self, offset: int):
        self.offset = offset


#: most parts a dotted key or table name may have (a procedure's deepest is meetings.ID.chair.first.roles)
MAX_KEY_PARTS = 16


def long_key_line(text: str, limit: int = MAX_KEY_PARTS) -> int | None:
    """The first line (1-based) whose key or table name has more than *limit* dotted parts, or None.

    Run before ``tomllib``, which takes time and memory that grow with the square of such a key's length.
    """
    if text.count(".") < limit:
        return None
    for number, line in enumerate(text.splitlines(), start=1):
        if line.count(".") < limit:
            continue
        key = line.split("=", 1)[0]
        if key.lstrip().startswith("#"):
            continue
        if key.count(".") >= limit:
            return number
    return None


def too_deep(text: str) -> tuple[int, int, str] | None:
    """(line, column, what) of the first nesting or dotted key too deep to hand to ``tomllib``, or None."""
    deep = nesting_offset(text)
    if deep is not None:
        line, col = PositionIndex(text).line_col(deep)
        return line, col, f"lists or tables nested more than {MAX_DEPTH} levels deep"
    long_key = long_key_line(text)
    if long_key is not None:
        return long_key, 1, f"a key or table name of more than {MAX_KEY_PARTS} dotted parts"
    return None


def nesting_offset(text: str, limit: int = MAX_DEPTH) -> int | None:
    """Offset where arrays/inline tables first nest deeper than *limit*, or None.

    Run before ``tomllib``, whose recursive parser would otherwise hit the
    interpreter's recursion limit on hostile input.
    """
    if text.count("[") + text.count("{") <= limit:
        return None
    depth = 0
    pos, n = 0, len(text)
    opener = re.compile(r"""[\[\]{}"'#]""")
    while True:
        m = opener.search(text, pos)
        if m is None:
            return None
        ch, pos = m.group(), m.start()
        if ch in "[{":
            depth += 1
            if depth > limit:
                return pos
            pos += 1
        elif ch in "]}":
            depth = max(0, depth - 1)
            pos += 1
        elif ch == "#":
            end = text.find("\n", pos)
            pos = n if end < 0 else end
        else:
            for rx in (_ML_BASIC, _ML_LITERAL, _BASIC, _LITERAL):
                sm = rx.match(text, pos)
                if sm:
                    pos = sm.end()
                    break
            else:
                pos += 1


class PositionIndex:
    """Line and column of every key and value in a TOML text, by path."""

    def __init__(self, text: str):
        self._text = text
        self._keys: dict[Path, int] | None = None
        self._values: dict[Path, int] = {}
        self._line_starts: list[int] = []

    # -- public -----------------------------------------------------------
    def key(self, path: Sequence[str | int]) -> tuple[int, int] | None:
        """Position of the key that introduces *path* (or of its table header)."""
        self._build()
        assert self._keys is not None
        offset = self._keys.get(tuple(path))
        return None if offset is None else self.line_col(offset)

    def value(self, path: Sequence[str | int]) -> tuple[int, int] | None:
        """Position of the value at *path*."""
        self._build()
        offset = self._values.get(tuple(path))
        return None if offset is None else self.line_col(offset)

    def locate(self, path: Sequence[str | int], *, at_value: bool = False) -> tuple[int, int]:
        """Best position for *path*: itself, else its nearest recorded parent."""
        path = tuple(path)
        while path:
            found = (self.value(path) or self.key(path)) if at_value else self.key(path)
            found = found or self.value(path)
            if found:
                return found
            path = path[:-1]
        return (1, 1)

    def line_col(self, offset: int) -> tuple[int, int]:
        if not self._line_starts:
            self._line_starts = [0] + [m.end() for m in re.finditer("\n", self._text)]
        line = bisect.bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1

    # -- scanner ----------------------------------------------------------
    def _build(self) -> None:
        if self._keys is not None:
            return
        self._keys = {}
        self._aot: dict[Path, int] = {}
        text, pos, n = self._text, 0, len(self._text)
        table: Path = ()
        while pos < n:
            pos = _BLANK.match(text, pos).end()
            if pos >= n:
                break
            if text[pos] == "[":
                table, pos = self._header(pos)
            else:
                start = pos
                pos = self._keyval(pos, table, 0)
                if pos == start:  # not TOML we understand: skip the line
                    end = text.find("\n", pos)
                    pos = n if end < 0 else end + 1

    def _header(self, pos: int) -> tuple[Path, int]:
        text = self._text
        array = text.startswith("[[", pos)
        pos += 2 if array else 1
        parts, pos = self._key(pos)
        pos = text.find("]]" if array else "]", pos)
        pos = len(text) if pos < 0 else pos + (2 if array else 1)
        concrete: Path = ()
        for i, (name, offset) in enumerate(parts):
            concrete += (name,)
            last = i == len(parts) - 1
            if last and array:
                count = self._aot.get(concrete, 0)
                self._aot[concrete] = count + 1
                self._keys.setdefault(concrete, offset)
                concrete += (count,)
            elif concrete in self._aot:
                concrete += (self._aot[concrete] - 1,)
            self._keys.setdefault(concrete, offset)
        return concrete, pos

    def _key(self, pos: int) -> tuple[list[tuple[str, int]], int]:
        text = self._text
        parts: list[tuple[str, int]] = []
        while True:
            pos = _SPACE.match(text, pos).end()
            start = pos
            m = _BARE.match(text, pos) or _BASIC.match(text, pos) or _LITERAL.match(text, pos)
            if m is None:
                return parts, pos
            raw = m.group()
            if raw[0] == '"':
                name = re.sub(r"\\(.)", lambda e: _ESCAPES.get(e[1], e[1]), raw[1:-1])
            elif raw[0] == "'":
                name = raw[1:-1]
            else:
                name = raw
            parts.append((name, start))
            pos = _SPACE.match(text, m.end()).end()
            if pos < len(text) and text[pos] == ".":
                pos += 1
                continue
            return parts, pos

    def _keyval(self, pos: int, table: Path, depth: int) -> int:
        text = self._text
        parts, pos = self._key(pos)
        if not parts or pos >= len(text) or text[pos] != "=":
            return pos
        path = table
        for name, offset in parts:
            path += (name,)
            self._keys.setdefault(path, offset)
        pos = _SPACE.match(text, pos + 1).end()
        return self._value(pos, path, depth)

    def _value(self, pos: int, path: Path, depth: int) -> int:
        if depth > MAX_DEPTH:
            raise TooDeep(pos)
        text = self._text
        self._values.setdefault(path, pos)
        if pos >= len(text):
            return pos
        ch = text[pos]
        if ch == "[":
            pos += 1
            index = 0
            while pos < len(text):
                pos = _BLANK.match(text, pos).end()
                if pos >= len(text) or text[pos] == "]":
                    return pos + 1
                start = pos
                pos = self._value(pos, path + (index,), depth + 1)
                index += 1
                pos = _BLANK.match(text, pos).end()
                if pos < len(text) and text[pos] == ",":
                    pos += 1
                elif pos == start:
                    pos += 1
            return pos
        if ch == "{":
            pos += 1
            while pos < len(text):
                pos = _SPACE.match(text, pos).end()
                if pos >= len(text) or text[pos] == "}":
                    return pos + 1
                start = pos
                pos = self._keyval(pos, path, depth + 1)
                pos = _SPACE.match(text, pos).end()
                if pos < len(text) and text[pos] == ",":
                    pos += 1
                elif pos == start:
                    pos += 1
            return pos
        for rx in (_ML_BASIC, _ML_LITERAL, _BASIC, _LITERAL, _SCALAR):
            m = rx.match(text, pos)
            if m:
                return m.end()
        return pos + 1
