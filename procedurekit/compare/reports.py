"""Comparison data: the JSON form every comparison report is built from.

Every report is built from a :class:`~procedurekit.compare.Matrix` (a pair of
procedures is a matrix with one column). The JSON form is the contract:
``procedurekit/schemas/compare.schema.json`` describes it; the text and
Markdown reports are in :mod:`procedurekit.compare.text`, the HTML report in
:mod:`procedurekit.compare.html`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Protocol

from procedurekit import describe, model
from procedurekit.compare.diff import Change, ItemComparison, Matrix

__all__ = ["FORMAT_VERSION", "matrix_data", "case_rows", "summary_line"]

FORMAT_VERSION = 1

# -- plain data ---------------------------------------------------------------

def _source_data(proc: model.Procedure, src: model.Source) -> dict[str, Any]:
    doc = proc.sources.get(src.doc)
    return {
        "doc": src.doc, "title": doc.title if doc else None, "url": doc.url if doc else None,
        "section": src.section, "paragraph": src.paragraph, "quote": src.quote,
        "verified": src.verified.value if src.verified else None,
    }


def _rules(item: object, aspects: list[str]) -> list[object]:
    """The item itself, or for a meeting the rules inside it that the *aspects* concern."""
    if not isinstance(item, model.Meeting):
        return [item]
    named = {"quorum": item.quorum, "minutes": item.minutes}
    if item.chair:
        named |= {f"chair ({slot})": rule for slot, rule in item.chair.slots()}
    chosen = [rule for name, rule in named.items() if rule is not None and any(a.startswith(name) for a in aspects)]
    return chosen or [item, *(r for r in named.values() if r is not None)]


def _side(proc: model.Procedure, section: str, item: object | None, origin: str | None,
          aspects: list[str] | None = None) -> dict | None:
    if item is None:
        return None
    rules = _rules(item, aspects or [])
    sources: list[model.Source] = []
    for rule in rules:
        sources += [s for s in getattr(rule, "source", ()) if s not in sources]
    readings = [r.interpretation for r in rules if getattr(r, "interpretation", None)]
    strength = getattr(item, "strength", None)
    return {
        "procedure": proc.id,
        "origin": origin or proc.id,
        "text": describe.item(proc, section, item),
        "strength": strength.value if strength else None,
        "interpretation": " / ".join(readings) or None,
        "sources": [_source_data(proc, s) for s in sources],
    }


def _cell_data(matrix: Matrix, entry: ItemComparison, proc: model.Procedure) -> dict[str, Any]:
    return {
        "change": entry.change.value,
        "explanation": entry.explanation,
        "differences": [
            {"aspect": d.aspect, "change": d.change.value, "left": d.left, "right": d.right,
             "explanation": d.explanation,
             **({"readings": [{"readings": said, "change": c.value} for said, c in d.readings]}
                if d.readings else {})}
            for d in entry.differences
        ],
        "value": _side(proc, entry.section, entry.right, entry.right_origin, [d.aspect for d in entry.differences]),
    }


def _procedure_data(proc: model.Procedure) -> dict[str, Any]:
    return {"id": proc.id, "title": proc.title, "partnership": proc.partnership, "version": proc.version,
            "calendar": proc.calendar}


def matrix_data(matrix: Matrix, *, include_same: bool = True) -> dict[str, Any]:
    """The JSON form of a comparison (see compare.schema.json)."""
    rows = []
    summary = {pid: {c.value: 0 for c in Change} for pid in (p.id for p in matrix.procedures)}
    for section, item_id in matrix.rows:
        cells = {}
        baseline_value = None
        for proc in matrix.procedures:
            entry = matrix.cell(section, item_id, proc.id)
            if entry is None:
                continue
            summary[proc.id][entry.change.value] += 1
            cells[proc.id] = _cell_data(matrix, entry, proc)
            if baseline_value is None and entry.left is not None:
                baseline_value = _side(matrix.baseline, section, entry.left, entry.left_origin,
                                       [d.aspect for d in entry.differences] if len(matrix.procedures) == 1 else None)
        if not include_same and all(c["change"] == "same" for c in cells.values()):
            continue
        rows.append({"section": section, "item": item_id, "baseline": baseline_value, "cells": cells})
    return {
        "format_version": FORMAT_VERSION,
        "kind": "comparison",
        "baseline": _procedure_data(matrix.baseline),
        "procedures": [_procedure_data(p) for p in matrix.procedures],
        "summary": summary,
        "rows": rows,
    }


def summary_line(counts: dict[str, int]) -> str:
    """"2 stricter, 1 looser": the non-zero counts of a summary."""
    return ", ".join(f"{n} {k}" for k, n in counts.items() if n) or "no items"


# -- the same case in several areas -----------------------------------------------------

class NextMeetings(Protocol):
    """What a case report asks of each procedure (:meth:`procedurekit.host.library.Library.answers` gives it)."""

    def next_meeting(self, meeting: str, case: model.Case) -> tuple[model.MeetingDue | None, dt.date | None]: ...


def case_rows(answers: Mapping[str, NextMeetings], case: model.Case, meetings: list[str] | None = None
              ) -> dict[str, Any]:
    """For one case, the next due date of each meeting under each procedure (*answers*: id -> its answers)."""
    pids = list(answers)
    meetings = meetings or ["icpc", "core-group", "rcpc"]
    rows = []
    for meeting in meetings:
        cells = {}
        for pid in pids:
            due, date = answers[pid].next_meeting(meeting, case)
            if due is None:
                cells[pid] = {"date": None, "obligation": None, "reason": "no rule for this meeting"}
                continue
            reason = due.reason if date is not None else f"{due.reason} (no date yet: no number, or its event " \
                                                          "has not happened)"
            cells[pid] = {"date": date.isoformat() if date else None, "obligation": due.obligation,
                          "reason": reason}
        rows.append({"meeting": meeting, "cells": cells})
    return {
        "format_version": FORMAT_VERSION, "kind": "case",
        "case": {"id": case.id, "conditions": sorted(case.conditions),
                 "events": [{"event": e.event, "date": e.date.isoformat()} for e in case.events]},
        "procedures": pids, "rows": rows,
    }
