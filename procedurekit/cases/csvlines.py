"""Reading a cases CSV that may hold anything: each bad line is one rejected row, never the end of the run.

A row is one line. A line that is not UTF-8, holds a NUL byte, is longer
than :data:`MAX_LINE` bytes or has a quote that is not closed on the same
line is rejected with its line number and the reason; the lines around it
are read as usual. Clean stretches of the file (the usual case) are parsed
by the csv module in bulk, so the checks cost little.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterator
from typing import BinaryIO

from procedurekit.diagnostics import Diagnostic

__all__ = ["MAX_LINE", "csv_rows"]

#: the longest line read as a row; a case row is tens of bytes
MAX_LINE = 64 * 1024
#: lines checked and parsed together
_CHUNK = 8192


def csv_rows(handle: BinaryIO, where: str, rejected: list[Diagnostic]) -> Iterator[tuple[int, list[str]]]:
    """``(line number, fields)`` for every readable line of *handle*; unreadable lines go to *rejected*."""
    base = 0
    first = True
    while True:
        lines = list(itertools.islice(handle, _CHUNK))
        if not lines:
            return
        if first:
            lines[0] = lines[0].removeprefix(b"\xef\xbb\xbf")
            first = False
        block = b"".join(lines)
        text = _clean(block, lines)
        if text is not None:
            reader = csv.reader(io.StringIO(text, newline=""))
            for row in reader:
                yield base + reader.line_num, row
        else:
            for offset, line in enumerate(lines, start=1):
                row = _line(line, where, base + offset, rejected)
                if row is not None:
                    yield base + offset, row
        base += len(lines)


def _clean(block: bytes, lines: list[bytes]) -> str | None:
    """The block as text if every line in it can be parsed as it stands, else ``None``."""
    if b"\x00" in block or b'"' in block or max(map(len, lines)) > MAX_LINE:
        return None
    if b"\r" in block and block.count(b"\r") != block.count(b"\r\n"):  # a lone CR would end a row early
        return None
    try:
        return block.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _line(line: bytes, where: str, number: int, rejected: list[Diagnostic]) -> list[str] | None:
    """One line checked on its own: its fields, or ``None`` with the reason in *rejected*."""

    def reject(message: str, column: int = 1) -> None:
        rejected.append(Diagnostic("bad-row", message, where, number, column))

    if len(line) > MAX_LINE:
        reject(f"line is {len(line):,} bytes; a row may be at most {MAX_LINE:,}: is this the right file?")
        return None
    if b"\x00" in line:
        reject("line holds a NUL byte: the file looks binary, not CSV text", line.index(b"\x00") + 1)
        return None
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        reject(f"byte 0x{line[exc.start]:02x} is not UTF-8: save the file as UTF-8 (CSV UTF-8 in a spreadsheet)",
               exc.start + 1)
        return None
    text = text.rstrip("\r\n")
    if text.count('"') % 2:
        reject('a quote (") is not closed on this line: a row is one line; remove the stray quote',
               text.index('"') + 1)
        return None
    try:
        return next(csv.reader([text], strict=True), [])
    except csv.Error as exc:
        reject(f"not a CSV row: {exc}")
        return None
