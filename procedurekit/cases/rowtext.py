"""The columnar audit's rows written as CSV lines and JSON objects, the same bytes as the per-case writers.

Each distinct value (a date, a note, a case id) is turned into text once and
looked up for every row that holds it; the csv module then writes the rows
in one call.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import TYPE_CHECKING

import numpy as np

from procedurekit.cases import arrays as A
from procedurekit.cases.output import spreadsheet_safe

if TYPE_CHECKING:
    from procedurekit.cases.columnar import Evaluated

__all__ = ["csv_text", "json_lines"]

_JSON_ROW = ('{"case_id": %s, "obligation": %s, "occurrence": %s, "anchor_date": %s, "due": %s, "done": %s, '
             '"status": %s, "working_days_late": %s, "note": %s, "limit": %s}')


def _lookup(values: np.ndarray, text: object) -> np.ndarray:
    """*text* (a function of one value) of each of *values*, computed once per distinct value."""
    distinct, inverse = np.unique(values, return_inverse=True)
    return np.array([text(v) for v in distinct.tolist()], dtype=object)[inverse]


def _iso(day: int) -> str:
    return dt.date.fromordinal(day).isoformat() if day else ""


def _columns(evaluated: Evaluated, quote: object, safe: object) -> list[np.ndarray]:
    """The ten columns of the audit's rows as text, each value passed through *quote* (and *safe* for
    the cells a spreadsheet could read as a formula)."""
    rule, rows = evaluated.table()
    notes = evaluated.cp.notes
    ids = np.array([quote(safe(i)) for i in evaluated.chunk.ids], dtype=object)
    names = np.array([quote(r.id) for r in evaluated.cp.plan.rules], dtype=object)
    statuses = np.array([quote(s.value) for s in A.STATUSES], dtype=object)
    dates = np.concatenate([rows.anchor, rows.due, rows.done, rows.limit])
    date_text = _lookup(dates, lambda d: quote(_iso(d)))
    size = len(rows.case)
    note_key = (rows.note << A.DAY_BITS) | rows.note_day
    note_text = _lookup(note_key, lambda k: quote(_safe_note(safe, notes.text(k >> A.DAY_BITS, k & A.DAY_MASK))))
    return [ids[rows.case], names[rule], _lookup(rows.n, lambda n: quote(str(n))), date_text[:size],
            date_text[size:2 * size], date_text[2 * size:3 * size], statuses[rows.status],
            _lookup(rows.late, lambda n: quote("" if n < 0 else str(n))), note_text, date_text[3 * size:]]


def _safe_note(safe: object, text: str) -> str:
    return safe(text) if text else text  # type: ignore[operator]


def csv_text(evaluated: Evaluated) -> str:
    """The CSV lines (no header) of a chunk's rows, as :func:`output.audit_csv_chunk` writes them."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(zip(*_columns(evaluated, str, spreadsheet_safe)))
    return buffer.getvalue()


def json_lines(evaluated: Evaluated) -> list[str]:
    """One JSON object a row, as :func:`output.audit_json_chunk` writes them."""
    return list(map(_JSON_ROW.__mod__, zip(*_columns(evaluated, json.dumps, str))))
