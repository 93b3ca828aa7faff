"""Comparison data: the JSON form every comparison report is built from.

Every report is built from a :class:`~procedurekit.compare.Matrix` (a pair of
procedures is a matrix with one column). The JSON form is the contract:
``procedurekit/schemas/compare.schema.json`` describes it; the text and
Markdown reports are in :mod:`procedurekit.compare.text`, the HTML report in
:mod:`procedurekit.compare.html`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any, Protocol

from procedurekit import describe, model
from procedurekit.compare.diff import Change, ItemComparison, Matrix

__all__ = ["FORMAT_VERSION", "matrix_data", "row_name", "row_topics", "case_rows", "summary_line"]

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
        "brief": describe.brief(proc, section, item),
        "strength": strength.value if strength else None,
        "interpretation": " / ".join(readings) or None,
        "sources": [_source_data(proc, s) for s in sources],
    }


def _value(proc: model.Procedure, section: str, item: object | None, origin: str | None,
           aspects: list[str] | None = None) -> dict | None:
    """One side of a cell: a rule, or the rules of one concept (a tuple) merged into one description."""
    if not isinstance(item, tuple):
        return _side(proc, section, item, origin, aspects)
    sides = [side for rule in item if (side := _side(proc, section, rule, origin, aspects)) is not None]
    merged: dict[str, Any] = dict(sides[0])
    for key, value in merged.items():
        if isinstance(value, list):
            merged[key] = [x for side in sides for x in side[key]]
        elif isinstance(value, str) and key not in ("procedure", "origin", "strength"):
            merged[key] = "; then ".join(dict.fromkeys(side[key] for side in sides if side[key]))
    return merged


def _cell_data(matrix: Matrix, entry: ItemComparison, proc: model.Procedure) -> dict[str, Any]:
    cell = {
        "change": entry.change.value,
        "explanation": entry.explanation,
        "differences": [
            {"aspect": d.aspect, "change": d.change.value, "left": d.left, "right": d.right,
             "explanation": d.explanation,
             **({"readings": [{"readings": said, "change": c.value} for said, c in d.readings]}
                if d.readings else {})}
            for d in entry.differences
        ],
        "value": _value(proc, entry.section, entry.right, entry.right_origin, [d.aspect for d in entry.differences]),
    }
    if entry.right_items and entry.right_items != (entry.item,):
        cell["items"] = list(entry.right_items)  # the procedure's own ids for the rules compared
    return cell


def _narrative(matrix: Matrix, section: str, item_id: str) -> list[tuple[str, dict[str, Any]]]:
    """The rule of a narrative row, as (procedure id, entry), on whichever side has it."""
    found = []
    for proc in matrix.procedures:
        entry = matrix.cell(section, item_id, proc.id)
        if entry is None:
            continue
        owner, rule = (proc, entry.right) if entry.change is Change.ADDED else (matrix.baseline, entry.left)
        meeting = getattr(rule, "meeting", None) or (item_id if section == "meetings" else None)
        found.append((proc.id, {"section": section, "item": item_id, "in": owner.id, "meeting": meeting,
                                "text": describe.item(owner, section, rule)}))
    return found


def _row_concept(matrix: Matrix, section: str, item_id: str) -> dict[str, Any]:
    """A row's concept, its title and topic, when its rules declare one."""
    concept = next((e.concept for p in matrix.procedures
                    if (e := matrix.cell(section, item_id, p.id)) is not None and e.concept), None)
    if concept is None or concept not in model.CONCEPTS:
        return {}
    about = model.CONCEPTS[concept]
    return {"concept": concept, "title": about.title, "topic": about.topic}


#: a meeting's own rules, as describe.item and the differences' aspects name them, and the topic of each
_MEETING_TOPICS = {"chairs": re.compile(r"(^|; )[a-z ]*chair\b[^;]*:|^chair"),
                   "minutes": re.compile(r"(^|; )minutes"), "quorum": re.compile(r"(^|; )quorum")}


def row_topics(row: Mapping[str, Any]) -> list[str]:
    """The topics (:data:`procedurekit.model.TOPICS`) a row of :func:`matrix_data` belongs to.

    A concept's topic; for a meeting, the topics of its own rules (chair,
    minutes, quorum) that any side states or any cell differs in; escalation
    for a pathway.
    """
    if row.get("topic"):
        return [row["topic"]]
    if row["section"] == "pathways":
        return ["escalation"]
    if row["section"] != "meetings":
        return []
    said = [row.get("baseline") or {}, *((cell.get("value") or {}) for cell in row["cells"].values())]
    texts = [side.get("text", "") for side in said]
    texts += [d["aspect"] for cell in row["cells"].values() for d in cell["differences"]]
    return [topic for topic, pattern in _MEETING_TOPICS.items() if any(pattern.search(t) for t in texts)]


def row_name(row: Mapping[str, Any]) -> str:
    """What a row of :func:`matrix_data` is called: its concept's title; else a meeting's own name, or its id
    in words."""
    if row.get("title"):
        return str(row["title"])
    sides = [row["baseline"], *(c["value"] for c in row["cells"].values())]
    if row["section"] == "meetings":
        for side in sides:
            if side:
                return str(side["text"]).split(";")[0]
    return str(row["item"]).replace("-", " ").capitalize()


def _procedure_data(proc: model.Procedure) -> dict[str, Any]:
    return {"id": proc.id, "title": proc.title, "partnership": proc.partnership, "version": proc.version,
            "calendar": proc.calendar}


def matrix_data(matrix: Matrix, *, include_same: bool = True, topic: str | None = None) -> dict[str, Any]:
    """The JSON form of a comparison (see compare.schema.json).

    Rules with no concept found on one side only (narrative duties) are listed
    under ``narrative``, per procedure, not among the rows or in the summary.
    With *topic* (one of :data:`procedurekit.model.TOPICS`), only the rows of
    that topic (:func:`row_topics`), and the summary counts them only.
    """
    rows = []
    summary = {pid: {c.value: 0 for c in Change} for pid in (p.id for p in matrix.procedures)}
    narrative: dict[str, list[dict[str, Any]]] = {p.id: [] for p in matrix.procedures}
    for section, item_id in matrix.rows:
        entries = {p.id: e for p in matrix.procedures if (e := matrix.cell(section, item_id, p.id)) is not None}
        if entries and all(e.narrative for e in entries.values()):
            for pid, rule in _narrative(matrix, section, item_id):
                narrative[pid].append(rule)
            continue
        cells = {}
        baseline_value = None
        for proc in matrix.procedures:
            entry = entries.get(proc.id)
            if entry is None:
                continue
            cells[proc.id] = _cell_data(matrix, entry, proc)
            if baseline_value is None and entry.left is not None:
                baseline_value = _value(matrix.baseline, section, entry.left, entry.left_origin,
                                        [d.aspect for d in entry.differences] if len(matrix.procedures) == 1 else None)
        row = {"section": section, "item": item_id, **_row_concept(matrix, section, item_id),
               "baseline": baseline_value, "cells": cells}
        if topic is not None and topic not in row_topics(row):
            continue
        for pid, cell in cells.items():
            summary[pid][cell["change"]] += 1
        if not include_same and all(c["change"] == "same" for c in cells.values()):
            continue
        rows.append(row)
    return {
        "format_version": FORMAT_VERSION,
        "kind": "comparison",
        "baseline": _procedure_data(matrix.baseline),
        "procedures": [_procedure_data(p) for p in matrix.procedures],
        "summary": summary,
        "rows": rows,
        "narrative": narrative,
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
