"""Running a batch audit: chunks of whole cases, evaluated in this process or on every core, in input order.

Each chunk's rows are turned into output where they were evaluated, so only text crosses
between processes, and the output is the same whatever the number of jobs. Chunks are
evaluated by the columnar engine (:mod:`procedurekit.cases.columnar`) or, as the reference,
case by case (``engine="per-case"``): both give the same bytes.
"""

from __future__ import annotations

import collections
import datetime as dt
import gc
import io
import itertools
import multiprocessing
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs

from procedurekit.cases.audit import (
    CHUNK_CASES, AuditResult, add_chunk, case_event_names, evaluate_chunk, grouped, read_chunks,
)
from procedurekit.cases.engine import Plan, Row
from procedurekit.cases.output import audit_csv_chunk, audit_json_chunk

__all__ = ["ENGINES", "OUTPUTS", "audit_chunks", "jobs_available"]

#: the most cases the columnar engine evaluates together (fewer for many rules, or rows written out)
COLUMNAR_CASES = 20_000
#: the engines that evaluate a chunk: the columnar one, and the per-case one it is checked against
ENGINES = ("columnar", "per-case")
#: what each chunk becomes: CSV text, JSON lines, ``(case id, row)`` pairs, or nothing (only the counts)
OUTPUTS = ("csv", "json", "rows", None)
Progress = Callable[[int, int], None]

#: what a worker process needs, set before the pool forks (a compiled plan is not sent, it is inherited)
_WORKER: dict[str, Any] = {}


def jobs_available(jobs: int) -> int:
    """The number of processes to use for *jobs* (0: every core); 1 where processes cannot fork."""
    wanted = jobs if jobs > 0 else (os.cpu_count() or 1)
    return wanted if wanted > 1 and "fork" in multiprocessing.get_all_start_methods() else 1


def audit_chunks(plan: Plan, path: str | Path, today: dt.date, result: AuditResult, *, jobs: int = 1,
                 output: str | None = None, progress: Progress | None = None,
                 engine: str = "columnar") -> Iterator[Any]:
    """Each chunk's rows as *output* (one of :data:`OUTPUTS`), in input order, filling *result* as chunks finish.

    A CSV whose cases' rows stand together is read a chunk at a time, so memory stays flat; one in
    any other order is split on disk into parts of whole cases first (:mod:`procedurekit.cases.partition`).
    """
    path = Path(path)
    names, where, ordinal = case_event_names(plan), str(path), today.toordinal()
    evaluate = _Evaluator(plan, names, ordinal, where, output, engine)
    # with nothing written until the end (only counts), the columnar engine checks the file's order as it
    # reads it instead of in a first pass, and reads it again, whole, in the rare file that needs it
    check_after = evaluate.columnar is not None and output is None and path.is_file()
    chunks, total = evaluate.chunks(path, result, grouping=None if check_after else _grouped(evaluate, path))
    jobs = jobs_available(jobs)
    # the audit makes millions of small objects and no cycles worth the cyclic collector's passes:
    # collect once a chunk instead (a fifth of the run otherwise)
    collecting = gc.isenabled()
    gc.disable()
    runs = tempfile.TemporaryFile(prefix="procedurekit-")  # case id hashes: 8 bytes a case, kept on disk
    try:
        try:
            yield from _evaluated(evaluate, chunks, jobs, result, total, progress, runs)
            apart = check_after and not evaluate.in_order(runs, path)
        except _Apart:
            apart = True
        if apart:
            _reset(result)
            chunks, total = evaluate.chunks(path, result, grouping=(False, 0))
            yield from _evaluated(evaluate, chunks, jobs, result, total, progress, runs)
        result.rejected.sort(key=lambda d: d.line or 0)
    finally:
        runs.close()
        _WORKER.clear()
        if collecting:
            gc.enable()


class _Apart(Exception):
    """A block showed a case's rows apart: the file is read again, split into parts of whole cases."""


def _grouped(evaluate: _Evaluator, path: Path) -> tuple[bool, int]:
    if not path.is_file():
        return False, 0
    if evaluate.columnar is None:
        return grouped(path)
    from procedurekit.cases import fastread

    return fastread.grouped(path)


def _reset(result: AuditResult) -> None:
    fresh = AuditResult()
    for name in ("rows_read", "rows_used", "cases", "not_audited", "rejected", "counts"):
        setattr(result, name, getattr(fresh, name))


def _evaluated(evaluate: _Evaluator, chunks: Iterator[Any], jobs: int, result: AuditResult, total: int,
               progress: Progress | None, runs: Any) -> Iterator[Any]:
    """Each chunk's payload, evaluated here or by *jobs* processes, counted into *result* in input order."""
    line = [2]  # the first line of the next block read here: the one after the header
    def add(done: tuple[Any, ...]) -> Any:
        payload, cases, counts, problems, read = done
        add_chunk(result, cases, counts, problems)
        if read is not None:
            rows_read, rows_used, rejected, hashes, lines = read
            result.rows_read += rows_read
            result.rows_used += rows_used
            # a block numbers its lines from 1: in the file it starts after the header and the blocks before
            result.rejected.extend(attrs.evolve(d, line=d.line + line[0] - 1) if d.line else d for d in rejected)
            line[0] += lines
            hashes.tofile(runs)
        if progress:
            progress(result.cases, total)
        return payload

    if jobs == 1:
        for chunk in chunks:
            yield add(evaluate(chunk))
            gc.collect(1)
        return
    _WORKER["evaluate"] = evaluate
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        # at most two chunks a process in flight, so memory stays flat
        pending: collections.deque = collections.deque()
        for chunk in chunks:
            pending.append(pool.apply_async(_work, (chunk,)))
            if len(pending) >= 2 * jobs:
                yield add(pending.popleft().get())
        while pending:
            yield add(pending.popleft().get())


def _work(chunk: Any) -> tuple[Any, ...]:
    return _WORKER["evaluate"](chunk)  # type: ignore[no-any-return]


class _Evaluator:
    """One chunk's cases evaluated by an engine and written as an output.

    A chunk is a block of the file's bytes and its first line (read here, by the fast reader) or the
    exact reader's ``(packed, flags)``; the answer is ``(payload, cases, counts, problems, read)``, with
    *read* what reading a block found: ``(rows read, rows used, rejected rows, case id hashes)``.
    """

    def __init__(self, plan: Plan, names: list[str], today: int, where: str, output: str | None, engine: str):
        if engine not in ENGINES or output not in OUTPUTS:
            raise ValueError(f"engine {engine!r} or output {output!r} is not one of {ENGINES}, {OUTPUTS}")
        self.plan, self.names, self.today, self.where, self.output = plan, names, today, where, output
        self.columnar: Any = None
        self.blocks: Any = None
        self.chunk_cases = CHUNK_CASES
        if engine == "columnar":
            from procedurekit.cases.columnar import ColumnarPlan

            self.columnar = ColumnarPlan(plan, names)
            # larger chunks for the arrays, bounded by the rows they make: a rule gives a row a case, or more,
            # and rows written out as text take far more memory than rows only counted
            budget = 400_000 if output is None else 40_000
            self.chunk_cases = min(COLUMNAR_CASES, max(CHUNK_CASES, budget // max(len(plan.rules), 1)))

    def chunks(self, path: Path, result: AuditResult, grouping: tuple[bool, int] | None
               ) -> tuple[Iterator[Any], int]:
        """(the chunks of the CSV's cases, how many cases it holds if known); *grouping* is ``(whether each
        case's rows stand together, cases)``, or ``None`` to read it as grouped and check after."""
        is_grouped, total = grouping if grouping is not None else (True, 0)
        if not is_grouped and path.is_file():
            return self._apart(path, result), total
        if self.columnar is None or not is_grouped:
            chunks = read_chunks(path, self.plan, result, self.today, self.chunk_cases if is_grouped else None,
                                 self.names)
            if not is_grouped:
                chunks = (part for packed, flags in chunks for part in _split(packed, flags, self.chunk_cases))
            return chunks, total
        from procedurekit.cases import fastread

        # about 300 bytes a case: ten rows of case id, event and date
        size = min(1 << 26, max(1 << 12, self.chunk_cases * 300))
        self.blocks, chunks = fastread.open_blocks(path, self.plan, self.columnar, result, self.today, size,
                                                   self.names)
        return chunks, total

    def _apart(self, path: Path, result: AuditResult) -> Iterator[Any]:
        """The chunks of a file whose cases' rows are apart: split on disk into parts of whole cases
        (:mod:`procedurekit.cases.partition`), each read whole; bad rows keep their lines in the file."""
        from procedurekit.cases import partition

        from procedurekit.cases.audit import _header
        from procedurekit.cases.csvlines import csv_rows

        with path.open("rb") as handle:
            header = list(csv_rows(io.BytesIO(handle.readline()), str(path), []))
        if not header or _header(header[0][1], self.plan, AuditResult(), str(path)) is None:
            # nothing to split: the reader reports what is wrong with the first line
            for packed, flags in read_chunks(path, self.plan, result, self.today, None, self.names):
                yield from _split(packed, flags, self.chunk_cases)
            return
        columns = _header(header[0][1], self.plan, result, str(path))  # its problems reported once
        with partition.parts(path) as parts:
            for part, lines_path in parts:
                if self.columnar is not None:
                    from procedurekit.cases.fastread import BlockReader

                    reader = BlockReader(path, self.plan, self.columnar, columns, self.today, self.names,
                                         len(header[0][1]))
                    yield from self._part(reader, part, lines_path, result)
                    continue
                found = AuditResult()
                for packed, flags in read_chunks(part, self.plan, found, self.today, None, self.names):
                    yield from _split(packed, flags, self.chunk_cases)
                lines = partition.line_numbers(lines_path)
                result.rows_read += found.rows_read
                result.rows_used += found.rows_used
                result.rejected.extend(attrs.evolve(d, path=str(path), line=int(lines[d.line - 2]))
                                       for d in found.rejected if d.line and d.line > 1)

    def _part(self, reader: Any, part: Path, lines_path: Path, result: AuditResult) -> Iterator[Any]:
        """A part's cases as chunks: its rows put in case order, then read in blocks of whole cases."""
        from procedurekit.cases import partition

        body, numbers = partition.in_case_order(part, lines_path)
        for block, first in partition.case_blocks(body, min(1 << 26, max(1 << 12, self.chunk_cases * 300))):
            found = AuditResult()
            chunk = reader.read(block, 1, found)
            if not isinstance(chunk, tuple) and len(set(chunk.ids)) < len(chunk.ids):
                # two case ids with the same hash, their rows interleaved: the exact reader sorts them out
                found = AuditResult()
                chunk = reader.read(block, 1, found, exact=True)
            yield chunk
            result.rows_read += found.rows_read
            result.rows_used += found.rows_used
            result.rejected.extend(attrs.evolve(d, path=str(reader.path),
                                                line=int(numbers[first + d.line - 1])) if d.line else d
                                   for d in found.rejected)

    def in_order(self, runs: Any, path: Path) -> bool:
        """Whether the cases read stood together (no id hashed in two runs, or the exact check says so)."""
        import numpy as np

        runs.flush()
        runs.seek(0)
        every = np.fromfile(runs, dtype=np.int64)
        every.sort()
        return not (len(every) > 1 and bool((every[1:] == every[:-1]).any())) or grouped(path)[0]

    def __call__(self, chunk: Any) -> tuple[Any, ...]:
        read = None
        if self.columnar is not None and isinstance(chunk, tuple) and isinstance(chunk[0], int):
            chunk, read = self._read(*chunk)
        if self.columnar is None:
            packed, flags = chunk
            rows, counts, problems = evaluate_chunk(self.plan, self.names, packed, flags, self.today, self.where)
            return _PER_CASE_OUTPUT[self.output](rows), len(packed), counts, problems, read
        return (*self._columns(chunk), read)

    def _read(self, offset: int, length: int) -> tuple[Any, tuple[int, int, list, Any, int]]:
        """The cases of the file's bytes at *offset*, and what reading them found: rows read and used,
        rejected rows (their lines counted from the block's first), case id hashes, lines."""
        from procedurekit.cases.fastread import run_hashes

        with open(self.blocks.path, "rb") as handle:
            block = os.pread(handle.fileno(), length, offset)
        found = AuditResult()
        chunk = self.blocks.read(block, 1, found)
        ids = chunk.ids if not isinstance(chunk, tuple) else list(chunk[0])
        if len(set(ids)) < len(ids):
            raise _Apart  # a case id in two runs of one block: the file is not in case order

        return chunk, (found.rows_read, found.rows_used, found.rejected, run_hashes(ids), block.count(b"\n"))

    def _columns(self, chunk: Any) -> tuple[Any, int, dict, list]:
        from procedurekit.cases import rowtext
        from procedurekit.cases.audit import _PACK
        from procedurekit.cases.columnar import Chunk, chunk_of

        if not isinstance(chunk, Chunk):
            chunk = chunk_of(self.columnar, *chunk, _PACK)
        evaluated = self.columnar.evaluate(chunk, self.today, self.where)
        writers: dict[str | None, Callable[[Any], Any]] = {
            "csv": rowtext.csv_text, "json": rowtext.json_lines, "rows": lambda e: e.tuples(), None: lambda e: None}
        return writers[self.output](evaluated), chunk.count, evaluated.counts(), evaluated.problems


def _split(packed: dict[str, list[int]], flags: dict[str, set[str]], size: int
           ) -> Iterator[tuple[dict[str, list[int]], dict[str, set[str]]]]:
    """A file's cases, read whole, in chunks of *size* cases (in their order)."""
    items = iter(packed.items())
    while part := dict(itertools.islice(items, size)):
        yield part, {case: flags[case] for case in part if case in flags}


def _rows(rows: list[tuple[str, Row]]) -> list[tuple[str, Row]]:
    return rows


def _nothing(rows: list[tuple[str, Row]]) -> None:
    return None


_PER_CASE_OUTPUT: dict[str | None, Callable[[list[tuple[str, Row]]], Any]] = {
    "csv": audit_csv_chunk, "json": audit_json_chunk, "rows": _rows, None: _nothing}
