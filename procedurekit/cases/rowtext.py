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
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from procedurekit.cases import arrays as A
from procedurekit.cases.audit import ROW_HEADER
from procedurekit.cases.output import spreadsheet_safe

if TYPE_CHECKING:
    from procedurekit.cases.columnar import Evaluated

__all__ = ["csv_text", "json_lines"]



def _lookup(values: np.ndarray, text: object) -> np.ndarray:
    """*text* (a function of one value) of each of *values*, computed once per distinct value."""
    distinct, inverse = np.unique(values, return_inverse=True)
    return np.array([text(v) for v in distinct.tolist()], dtype=object)[inverse]


def _iso(day: int) -> str:
    return dt.date.fromordinal(day).isoformat() if day else ""


def _columns(evaluated: Evaluated, quote: Callable[[str], str], safe: Callable[[str], str],
             keys: Sequence[str] = ("",) * 10) -> list[np.ndarray]:
    """The ten columns of the audit's rows as text: each value passed through *quote* (and *safe* for
    the cells a spreadsheet could read as a formula) and put after its column's key."""
    rule, rows = evaluated.table()
    notes = evaluated.cp.notes
    (k_case, k_rule, k_n, k_anchor, k_due, k_done, k_status, k_late, k_note, k_limit) = keys
    ids = np.array([k_case + quote(safe(i)) for i in evaluated.chunk.ids], dtype=object)
    names = np.array([k_rule + quote(r.id) for r in evaluated.cp.plan.rules], dtype=object)
    statuses = np.array([k_status + quote(s.value) for s in A.STATUSES], dtype=object)
    note_key = (rows.note << A.DAY_BITS) | rows.note_day
    return [ids[rows.case], names[rule], _lookup(rows.n, lambda n: k_n + quote(str(n))),
            *(_lookup(days, lambda d, key=key: key + quote(_iso(d)))
              for days, key in ((rows.anchor, k_anchor), (rows.due, k_due), (rows.done, k_done))),
            statuses[rows.status], _lookup(rows.late, lambda n: k_late + quote("" if n < 0 else str(n))),
            _lookup(note_key, lambda k: k_note + quote(_safe_note(safe, notes.text(k >> A.DAY_BITS,
                                                                                    k & A.DAY_MASK)))),
            _lookup(rows.limit, lambda d: k_limit + quote(_iso(d)))]


def _safe_note(safe: object, text: str) -> str:
    return safe(text) if text else text  # type: ignore[operator]


def csv_text(evaluated: Evaluated) -> str:
    """The CSV lines (no header) of a chunk's rows, as :func:`output.audit_csv_chunk` writes them.

    Each distinct value is quoted by the csv module once; the rows are then joined by a template.
    """
    rows = "\n".join(map(",".join, zip(*_columns(evaluated, _csv_cell, spreadsheet_safe))))
    return rows + "\n" if rows else rows


def _csv_cell(value: str) -> str:
    """*value* as the csv module writes it among other fields (quoted only where it must be)."""
    if not ("," in value or '"' in value or "\n" in value or "\r" in value):
        return value  # (a lone empty field would be written as "", but among others it is left empty)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([value])
    return buffer.getvalue()[:-1]


def json_lines(evaluated: Evaluated) -> str:
    """The chunk's rows as JSON objects, as :func:`output.audit_json_chunk` writes them, joined as
    :func:`output.write_audit_json` writes them (``,`` and a new line between two)."""
    columns = _columns(evaluated, json.dumps, str, _JSON_KEYS)
    if not len(columns[0]):
        return ""
    return "{" + "},\n  {".join(map(", ".join, zip(*columns))) + "}"


_JSON_KEYS = tuple(f"{json.dumps(name)}: " for name in ROW_HEADER)
