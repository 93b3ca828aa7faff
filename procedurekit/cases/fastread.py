"""Reading a cases CSV with pyarrow's C parser, a block of whole cases at a time, into columnar chunks.

A block of the file that is plainly clean (no quotes, NUL bytes, blank or
over-long lines; every row the header's width; every event known and every
date a YYYY-MM-DD date) is parsed and checked over arrays. Any other block is
read by the line-by-line reader (:mod:`procedurekit.cases.audit`), which
rejects its bad rows with their line numbers: the two give the same cases.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from procedurekit.cases import audit
from procedurekit.cases.chunks import Chunk
from procedurekit.cases.csvlines import MAX_LINE, csv_rows
from procedurekit.cases.records import TRUE, truthy
from procedurekit.cases.rules import filtered
from procedurekit.diagnostics import Diagnostic

__all__ = ["BlockReader", "open_blocks", "grouped", "run_hashes"]

_NEWLINE = 10
#: numpy's day 0 as an ordinal, and the first ordinal an audit refuses
_EPOCH = 719163


def grouped(path: Path) -> tuple[bool, int]:
    """As :func:`audit.grouped` (each case's rows together? how many cases?), over arrays: the first field
    of every line is hashed, and a case whose hash was seen in an earlier run sends the question to the
    exact check (a repeat, or two ids that hash alike)."""
    last = None
    with path.open("rb") as handle, tempfile.TemporaryFile(prefix="procedurekit-") as runs:
        handle.readline()
        for block in _lines_blocks(handle):
            if b'"' in block or b"\n\n" in block or block.startswith(b"\n"):
                return audit.grouped(path)
            hashes = _first_field_hashes(block)
            starts = np.ones(len(hashes), dtype=bool)
            np.not_equal(hashes[1:], hashes[:-1], out=starts[1:])
            if len(hashes) and last is not None:
                starts[0] = hashes[0] != last
            if len(hashes):
                last = hashes[-1]
            hashes[starts].tofile(runs)  # 8 bytes a case, on disk until the end
        runs.flush()
        runs.seek(0)
        every = np.fromfile(runs, dtype=np.uint64)
    every.sort()
    if len(every) > 1 and bool((every[1:] == every[:-1]).any()):
        return audit.grouped(path)
    return True, len(every)


def _lines_blocks(handle: Any, size: int = 1 << 22) -> Iterator[bytes]:
    """The rest of the file in blocks of whole lines."""
    carry = b""
    while data := handle.read(size):
        block = carry + data
        cut = block.rfind(b"\n") + 1
        block, carry = block[:cut], block[cut:]
        if block:
            yield block
    if carry:
        yield carry


def _first_field_hashes(block: bytes) -> np.ndarray:
    """A 64-bit polynomial hash of each line's first field (up to its first comma): equal fields hash alike."""
    buf = np.frombuffer(block, dtype=np.uint8)
    ends = np.flatnonzero(buf == _NEWLINE)
    if not block.endswith(b"\n"):
        ends = np.append(ends, len(buf))
    starts = np.concatenate([[0], ends[:-1] + 1])
    commas = np.flatnonzero(buf == 44)
    found = np.searchsorted(commas, starts)
    stops = np.minimum(np.where(found < len(commas), commas[np.minimum(found, max(len(commas) - 1, 0))]
                                if len(commas) else ends, ends), ends)
    lengths = stops - starts
    total = int(lengths.sum())
    position = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    raw = buf[np.repeat(starts, lengths) + position].astype(np.uint64)
    powers = np.cumprod(np.full(int(lengths.max(initial=0)) + 1, 1099511628211, dtype=np.uint64))
    with np.errstate(over="ignore"):
        weighted = raw * powers[position]
        if not total:
            return lengths.astype(np.uint64)
        sums = np.add.reduceat(weighted, np.minimum(np.cumsum(lengths) - lengths, total - 1))
        # reduceat gives an empty field the next field's first byte: an empty field hashes to its length, 0
        return np.where(lengths > 0, sums, 0) + lengths.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)


def _run_starts(ids: Any, previous: str | None) -> tuple[np.ndarray, Any]:
    """(where a new case starts in *ids*, the case id of each start); the id before the block was *previous*."""
    encoded = ids.dictionary_encode()
    index = _numpy(encoded.indices)
    starts = np.ones(len(index), dtype=bool)
    np.not_equal(index[1:], index[:-1], out=starts[1:])
    if len(index) and previous is not None:
        starts[0] = encoded.dictionary[index[0]].as_py() != previous
    return starts, encoded.dictionary.take(_arrow(index[starts]))


def open_blocks(path: Path, plan: Any, cp: Any, result: audit.AuditResult, today: int, block_bytes: int,
                names: list[str]) -> tuple[BlockReader | None, Iterator[Any]]:
    """(a reader for the CSV's blocks, the blocks as ``(bytes, first line)``), each block whole cases.

    A file the blocks cannot start on (not an ordinary file, an odd header line) gives no reader and the
    exact reader's chunks, read whole; an unusable header gives no reader and no chunks. Header
    problems go to *result*.
    """
    if not path.is_file():
        return None, audit.read_chunks(path, plan, result, today, None, names)
    with path.open("rb") as handle:
        header = handle.readline()
    rows = list(csv_rows(io.BytesIO(header), str(path), []))
    if not rows or not header.endswith(b"\n") or b'"' in header or b"\r" in header:
        return None, audit.read_chunks(path, plan, result, today, None, names)  # the exact reader says why
    columns = audit._header(rows[0][1], plan, result, str(path))
    if columns is None:
        return None, iter(())
    reader = BlockReader(path, plan, cp, columns, today, names, len(rows[0][1]))
    return reader, _ranges(path, len(header), block_bytes)


def _ranges(path: Path, start: int, size: int) -> Iterator[tuple[int, int]]:
    """``(offset, length)`` of each block after the header: about *size* bytes, ending where a case ends.

    Only the lines around each cut are read here; a block's bytes are read where it is evaluated.
    """
    with path.open("rb") as handle:
        end = os.fstat(handle.fileno()).st_size
        offset = start
        while offset < end:
            handle.seek(min(offset + size, end))
            if handle.tell() < end:
                handle.readline()  # to the start of the next whole line
            cut = _next_case(handle, end)
            yield offset, cut - offset
            offset = cut


def _next_case(handle: Any, end: int) -> int:
    """Where the first case starting at or after the handle's line begins (the lines of the case the
    handle is in, read on to its end); *end* at the end of the file."""
    position = handle.tell()
    line = handle.readline()
    if not line:
        return end
    case = line.split(b",", 1)[0]
    while True:
        position = handle.tell()
        line = handle.readline()
        if not line:
            return end
        if line.split(b",", 1)[0] != case:
            return position


def run_hashes(ids: Any) -> np.ndarray:
    """A hash of each case id (the same id, the same hash, within one run of the program)."""
    return np.fromiter(map(hash, ids), dtype=np.int64, count=len(ids))


class BlockReader:
    """Blocks of a cases CSV into chunks; what the header's columns mean is worked out once."""

    def __init__(self, path: Path, plan: Any, cp: Any, columns: audit._Columns, today: int, names: list[str],
                 width: int):
        self.path, self.plan, self.cp, self.columns = path, plan, cp, columns
        self.today, self.names, self.width = today, names, width
        self.codes = {name: code for code, name in enumerate(names)}

    def read(self, block: bytes, line: int, result: audit.AuditResult, exact: bool = False) -> Any:
        """The block's cases, a :class:`Chunk` or (with *exact*, or a block the arrays cannot take) the
        exact reader's ``(packed, flags)``; counts into *result*."""
        chunk = self._fast(block, result) if not exact and _plain(block) else None
        if chunk is not None:
            return chunk
        bad_lines: list[Diagnostic] = []
        rows = ((line - 1 + n, row) for n, row in csv_rows(io.BytesIO(block), str(self.path), bad_lines))
        codes = {name: code * audit._PACK for code, name in enumerate(self.names)}
        found = list(audit._read_rows(rows, self.plan, codes, self.columns, result, str(self.path), self.today,
                                      self.width, None))
        # the lines csv_rows could not read, numbered in the file (it counts from the block's first line)
        result.rows_read += len(bad_lines)
        result.rejected.extend(attrs.evolve(d, line=(d.line or 0) + line - 1) for d in bad_lines)
        return found[0] if found else ({}, {})

    def _fast(self, block: bytes, result: audit.AuditResult) -> Chunk | None:
        """The block as a chunk if every row in it is good; ``None`` sends it to the exact reader."""
        try:
            table = pcsv.read_csv(io.BytesIO(block), read_options=pcsv.ReadOptions(
                use_threads=False, column_names=[f"c{i}" for i in range(self.width)], block_size=len(block) + 1),
                convert_options=pcsv.ConvertOptions(column_types={f"c{i}": pa.string() for i in range(self.width)},
                                                    strings_can_be_null=False, quoted_strings_can_be_null=False))
        except (pa.ArrowInvalid, UnicodeDecodeError):
            return None
        if not _short_lines(table):
            return None
        ids, events, dates = (table.column(i).combine_chunks() for i in range(3))
        if len(ids) == 0 or pc.min(pc.utf8_length(ids)).as_py() == 0:
            return None
        code = self._event_codes(events)
        day = _days(dates)
        if code is None or day is None:
            return None
        return self._chunk(table, ids, code, day, result)

    def _event_codes(self, events: Any) -> np.ndarray | None:
        encoded = events.dictionary_encode()
        mapping = np.array([self.codes.get(e, -1) if e in self.plan.events else -1
                            for e in encoded.dictionary.to_pylist()], dtype=np.int64)
        code = mapping[_numpy(encoded.indices)]
        return None if (code < 0).any() else code

    def _chunk(self, table: Any, ids: Any, code: np.ndarray, day: np.ndarray, result: audit.AuditResult
               ) -> Chunk | None:
        columns, today = self.columns, self.today
        keep = np.ones(len(code), dtype=bool)
        booked = day > today
        if columns.status is not None:
            status = _by_value(table.column(columns.status), lambda v: audit._STATUSES.get(v.strip().lower(), "?"))
            if (status == "?").any() or ((status == "held") & (day > today)).any():
                return None
            keep = status != "cancelled"
            booked |= status == "booked"
        used = len(code)
        starts, runs = _run_starts(ids, None)
        case_all = np.cumsum(starts) - 1
        case_ids = runs.to_pylist()
        code, day, booked, case_all = code[keep], day[keep], booked[keep], case_all[keep]
        extra = self._implied(table, keep, code, day, booked, case_all)
        # the cases with a row left (a case of cancelled rows only is no case)
        present = np.flatnonzero(np.bincount(case_all, minlength=len(case_ids))) if not keep.all() else (
            np.arange(len(case_ids)))
        flags = np.zeros((len(present), len(self.cp.conditions)), dtype=bool)
        for col, name in columns.conditions:
            holds = _by_value(table.column(col), lambda v: bool(v) and (v in TRUE or v.strip().lower() in TRUE))
            flags[np.searchsorted(present, case_all[holds[keep]]), self.cp.conditions.index(name)] = True
        case = np.searchsorted(present, case_all) if len(present) < len(case_ids) else case_all
        result.rows_read += used
        result.rows_used += used
        parts = [(case, code, day, booked)] + [(np.searchsorted(present, c), k, d, b) for c, k, d, b in extra]
        return Chunk([case_ids[i] for i in present.tolist()], *(np.concatenate(x) for x in zip(*parts)), flags)

    def _implied(self, table: Any, keep: np.ndarray, code: np.ndarray, day: np.ndarray, booked: np.ndarray,
                 case: np.ndarray) -> list[tuple[np.ndarray, ...]]:
        """Event rows a row's true attribute cells add: the event they name, the row's event with them."""
        columns = self.columns
        if not columns.attributes:
            return []
        true = {name: _by_value(table.column(col), truthy)[keep] for col, name in columns.attributes}
        extra = []
        for col, name in columns.implied:
            rows = true[name]
            extra.append((case[rows], np.full(int(rows.sum()), self.codes[name]), day[rows], booked[rows]))
        for combo in self.plan.filters:
            rows = np.ones(len(code), dtype=bool)
            for name in combo:
                rows &= true.get(name, np.zeros(len(code), dtype=bool))
            if rows.any():
                mapped = np.array([self.codes[filtered(self.names[c], combo)] for c in code[rows].tolist()])
                extra.append((case[rows], mapped, day[rows], booked[rows]))
        return extra


def _plain(block: bytes) -> bool:
    """Whether *block* can be parsed in bulk: no quotes, NULs, lone carriage returns (a spreadsheet's CRLF
    line ends are fine) or blank lines; the lengths of its lines are checked once it is parsed
    (see :func:`_short_lines`)."""
    if b'"' in block or b"\x00" in block or b"\n\n" in block or block.startswith((b"\n", b"\r")):
        return False
    return b"\r" not in block or (block.count(b"\r") == block.count(b"\r\n") and b"\n\r\n" not in block)


def _short_lines(table: Any) -> bool:
    """Whether no line can be longer than :data:`MAX_LINE` bytes: the longest value of each column, added up."""
    longest = 0
    for column in table.columns:
        array = column.combine_chunks()
        offsets = np.frombuffer(array.buffers()[1], dtype=np.int32)[array.offset:array.offset + len(array) + 1]
        longest += int(np.diff(offsets).max(initial=0)) + 1
    return longest <= MAX_LINE


def _days(dates: Any) -> np.ndarray | None:
    """Day ordinals of YYYY-MM-DD dates, read from the column's bytes; ``None`` if any is not one (the exact
    reader then reports it)."""
    dates = pc.cast(dates, pa.large_string()) if dates.type != pa.large_string() else dates
    _, offsets, data = dates.buffers()
    offsets = np.frombuffer(offsets, dtype=np.int64)[dates.offset:dates.offset + len(dates) + 1]
    if len(dates) == 0 or not (np.diff(offsets) == 10).all():
        return None
    text = np.frombuffer(data, dtype=np.uint8)[offsets[0]:offsets[-1]].reshape(-1, 10) - np.uint8(48)
    # each character a digit (its value minus "0", 0 to 9 as an unsigned byte) but the two dashes
    if (text[:, [0, 1, 2, 3, 5, 6, 8, 9]] > 9).any() or (text[:, [4, 7]] != 253).any():
        return None
    column = [text[:, k].astype(np.int32) for k in (0, 1, 2, 3, 5, 6, 8, 9)]
    year = column[0] * 1000 + column[1] * 100 + column[2] * 10 + column[3]
    month = column[4] * 10 + column[5]
    day = column[6] * 10 + column[7]
    if (year < 1).any() or (month < 1).any() or (month > 12).any() or (day < 1).any():
        return None
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    if (day > _MONTH_DAYS[month] + ((month == 2) & leap)).any():
        return None
    # days before the year, then before the month (a March-based year puts February's extra day last)
    y = year - 1
    ordinal = y * 365 + y // 4 - y // 100 + y // 400 + _DAYS_BEFORE[month] + ((month > 2) & leap) + day
    return None if (ordinal >= audit._LAST_ORDINAL).any() else ordinal.astype(np.int64)


_MONTH_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
_DAYS_BEFORE = np.concatenate([[0], np.cumsum(_MONTH_DAYS)[:-1]])


def _by_value(column: Any, judge: Any) -> np.ndarray:
    """*judge* of each cell of *column*, computed once per distinct value."""
    encoded = column.combine_chunks().dictionary_encode()
    values = np.array([judge(v) for v in encoded.dictionary.to_pylist()] or [None], dtype=object)
    out = values[_numpy(encoded.indices)]
    return out.astype(bool) if out.dtype == object and all(isinstance(v, bool) for v in values) else out


def _numpy(array: Any) -> np.ndarray:
    """A fixed-width arrow array with no nulls as a numpy view (``to_numpy`` would import pandas where it is
    installed, a quarter of a second)."""
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    dtype = np.dtype(array.type.to_pandas_dtype())
    return np.frombuffer(array.buffers()[1], dtype=dtype)[array.offset:array.offset + len(array)]


def _arrow(values: np.ndarray) -> Any:
    """A numpy integer array as an arrow array, without ``pa.array`` (which imports pandas to check for it)."""
    values = np.ascontiguousarray(values, dtype=np.int64)
    return pa.Array.from_buffers(pa.int64(), len(values), [None, pa.py_buffer(values)])
