"""Running a batch audit: chunks of whole cases, evaluated in this process or on every core, in input order.

Each chunk's rows are turned into output (*render*) where they were evaluated, so only
text crosses between processes, and the output is the same whatever the number of jobs.
"""

from __future__ import annotations

import collections
import datetime as dt
import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from procedurekit.cases.audit import (
    CHUNK_CASES, AuditResult, add_chunk, case_event_names, evaluate_chunk, grouped, read_chunks,
)
from procedurekit.cases.engine import Plan, Row

__all__ = ["audit_chunks", "jobs_available"]

Render = Callable[[list[tuple[str, Row]]], Any]
Progress = Callable[[int, int], None]

#: what a worker process needs, set before the pool forks (a compiled plan is not sent, it is inherited)
_WORKER: dict[str, Any] = {}


def jobs_available(jobs: int) -> int:
    """The number of processes to use for *jobs* (0: every core); 1 where processes cannot fork."""
    wanted = jobs if jobs > 0 else (os.cpu_count() or 1)
    return wanted if wanted > 1 and "fork" in multiprocessing.get_all_start_methods() else 1


def audit_chunks(plan: Plan, path: str | Path, today: dt.date, result: AuditResult, *, jobs: int = 1,
                 render: Render | None = None, progress: Progress | None = None) -> Iterator[Any]:
    """*render* of each chunk's ``(case id, row)`` list, in input order, filling *result* as chunks finish.

    A CSV whose cases' rows stand together is read a chunk at a time, so memory stays flat; one in
    any other order is read whole first (memory grows with it: sort it by case id to stream it).
    """
    path = Path(path)
    is_grouped, total = grouped(path) if path.is_file() else (False, 0)
    names, where, ordinal = case_event_names(plan), str(path), today.toordinal()
    chunks = read_chunks(path, plan, result, ordinal, CHUNK_CASES if is_grouped else None, names)
    jobs = jobs_available(jobs)
    # the audit makes millions of small objects and no cycles worth the cyclic collector's passes:
    # collect once a chunk instead (a fifth of the run otherwise)
    collecting = gc.isenabled()
    gc.disable()
    try:
        if jobs == 1:
            for packed, flags in chunks:
                rows, counts, problems = evaluate_chunk(plan, names, packed, flags, ordinal, where)
                add_chunk(result, len(packed), counts, problems)
                if progress:
                    progress(result.cases, total)
                yield render(rows) if render else None
                gc.collect(1)
        else:
            _WORKER.update(plan=plan, names=names, today=ordinal, where=where, render=render)
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

        for packed, flags in chunks:
            pending.append(pool.apply_async(_work, (packed, flags)))
            if len(pending) >= 2 * jobs:
                yield finished()
        while pending:
            yield finished()


def _work(packed: dict[str, list[int]], flags: dict[str, set[str]]) -> tuple[Any, int, dict, list]:
    w = _WORKER
    rows, counts, problems = evaluate_chunk(w["plan"], w["names"], packed, flags, w["today"], w["where"])
    render = w["render"]
    return (render(rows) if render else None), len(packed), counts, problems
