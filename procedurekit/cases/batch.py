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
import itertools
import multiprocessing
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

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
    any other order is read whole first (memory grows with it: sort it by case id to stream it).
    """
    path = Path(path)
    names, where, ordinal = case_event_names(plan), str(path), today.toordinal()
    evaluate = _Evaluator(plan, names, ordinal, where, output, engine)
    chunks, total = evaluate.chunks(path, result)
    jobs = jobs_available(jobs)
    # the audit makes millions of small objects and no cycles worth the cyclic collector's passes:
    # collect once a chunk instead (a fifth of the run otherwise)
    collecting = gc.isenabled()
    gc.disable()
    try:
        if jobs == 1:
            for chunk in chunks:
                payload, cases, counts, problems = evaluate(chunk)
                add_chunk(result, cases, counts, problems)
                if progress:
                    progress(result.cases, total)
                yield payload
                gc.collect(1)
        else:
            _WORKER["evaluate"] = evaluate
            yield from _in_parallel(chunks, jobs, result, total, progress)
    finally:
        _WORKER.clear()
        if collecting:
            gc.enable()


def _in_parallel(chunks: Iterator[tuple[dict, dict]], jobs: int, result: AuditResult, total: int,
                 progress: Progress | None) -> Iterator[Any]:
    """Chunks evaluated by *jobs* forked processes; at most two a process in flight, so memory stays flat."""
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        pending: collections.deque = collections.deque()

        def finished() -> Any:
            payload, cases, counts, problems = pending.popleft().get()
            add_chunk(result, cases, counts, problems)
            if progress:
                progress(result.cases, total)
            return payload

        for chunk in chunks:
            pending.append(pool.apply_async(_work, (chunk,)))
            if len(pending) >= 2 * jobs:
                yield finished()
        while pending:
            yield finished()


def _work(chunk: Any) -> tuple[Any, int, dict, list]:
    return _WORKER["evaluate"](chunk)


class _Evaluator:
    """One chunk's cases evaluated by an engine and written as an output: (payload, cases, counts, problems)."""

    def __init__(self, plan: Plan, names: list[str], today: int, where: str, output: str | None, engine: str):
        if engine not in ENGINES or output not in OUTPUTS:
            raise ValueError(f"engine {engine!r} or output {output!r} is not one of {ENGINES}, {OUTPUTS}")
        self.plan, self.names, self.today, self.where, self.output = plan, names, today, where, output
        self.columnar = None
        self.chunk_cases = CHUNK_CASES
        if engine == "columnar":
            from procedurekit.cases.columnar import ColumnarPlan

            self.columnar = ColumnarPlan(plan, names)
            # larger chunks for the arrays, bounded by the rows they make: a rule gives a row a case, or more,
            # and rows written out as text take far more memory than rows only counted
            budget = 400_000 if output is None else 40_000
            self.chunk_cases = min(COLUMNAR_CASES, max(CHUNK_CASES, budget // max(len(plan.rules), 1)))

    def chunks(self, path: Path, result: AuditResult) -> tuple[Iterator[Any], int]:
        """(the chunks of the CSV's cases, how many cases it holds if known)."""
        if self.columnar is None:
            is_grouped, total = grouped(path) if path.is_file() else (False, 0)
            return read_chunks(path, self.plan, result, self.today, CHUNK_CASES if is_grouped else None,
                               self.names), total
        from procedurekit.cases import fastread

        is_grouped, total = fastread.grouped(path) if path.is_file() else (False, 0)
        if is_grouped:
            # about 300 bytes a case: ten rows of case id, event and date
            return fastread.read_blocks(path, self.plan, self.columnar, result, self.today,
                                        min(1 << 26, max(1 << 12, self.chunk_cases * 300)), self.names), total
        whole = read_chunks(path, self.plan, result, self.today, None, self.names)
        return (part for packed, flags in whole for part in _split(packed, flags, self.chunk_cases)), total

    def __call__(self, chunk: Any) -> tuple[Any, int, dict, list]:
        if self.columnar is None:
            packed, flags = chunk
            rows, counts, problems = evaluate_chunk(self.plan, self.names, packed, flags, self.today, self.where)
            return _PER_CASE_OUTPUT[self.output](rows), len(packed), counts, problems
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
