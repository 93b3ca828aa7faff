"""Case files: the dated events of one child's case, in TOML or JSON.

    id = "example-1"
    conditions = ["pre-birth"]          # optional circumstances of the case

    [[events]]
    event = "pre-birth-conference"
    date = 2024-01-10

    [[events]]
    event = "birth"
    date = 2024-02-20

    [[events]]
    event = "rcpc"
    date = 2024-05-14
    status = "booked"                   # held, booked or cancelled

An event without a status is held if its date is on or before the day the
case is looked at (``--today``), and booked if after: files written before
events had a status read as they always did. Any other key of an event is an
attribute (``attended = [...]``, ``plan-ends = true``, ``s47-initiated = true``).

JSON has the same shape: {"id": ..., "conditions": [...], "events": [{"event": ..., "date": "2024-01-10"}]}.
"""

from __future__ import annotations

import datetime as dt
import json
import stat
import tomllib
from pathlib import Path

from procedurekit.diagnostics import Diagnostic, ProcedureError
from procedurekit.durations import DurationError, parse_duration
from procedurekit.model import Case, CaseEvent, EventStatus
from procedurekit.positions import PositionIndex, too_deep

__all__ = ["load_case", "case_from_data", "locate"]


def locate(path: str | Path, key: tuple) -> tuple[int | None, int | None]:
    """The line and column of *key* in the TOML case file *path* (none for JSON or an unreadable file)."""
    path = Path(path)
    if path.suffix == ".json":
        return None, None
    try:
        return PositionIndex(path.read_text(encoding="utf-8")).locate(key, at_value=True)
    except (OSError, UnicodeDecodeError):
        return None, None


#: the largest case file read: one case is a few kilobytes
MAX_CASE_BYTES = 2 * 1024 * 1024


def _check_shape(text: str, path: str) -> None:
    """Refuse nesting and dotted keys that would cost the TOML parser time and memory out of all proportion."""
    deep = too_deep(text)
    if deep is not None:
        line, col, what = deep
        raise ProcedureError([Diagnostic("too-deep", f"{what}: a case file never needs this", path, line, col)])


def load_case(path: str | Path) -> Case:
    """Read a case file; raises :class:`ProcedureError` with located diagnostics if it is not valid."""
    path = Path(path)
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):
            raise ProcedureError([Diagnostic("not-a-file", "not an ordinary file (a FIFO, device or socket): a "
                                             "case file must be an ordinary file", str(path), 1, 1)])
        if status.st_size > MAX_CASE_BYTES:
            raise ProcedureError([Diagnostic("file-too-large", f"case file is {status.st_size:,} bytes; at most "
                                             f"{MAX_CASE_BYTES:,}: many cases go in a CSV for audit", str(path), 1, 1)])
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ProcedureError([Diagnostic("unreadable", f"cannot read case file: {exc}", str(path))]) from None
    if path.suffix != ".json":
        _check_shape(text, str(path))
    index = PositionIndex(text) if path.suffix != ".json" else None
    try:
        data = json.loads(text) if path.suffix == ".json" else tomllib.loads(text)
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
        line = getattr(exc, "lineno", 1)
        raise ProcedureError([Diagnostic("toml-syntax" if index else "bad-value", f"not a valid case file: {exc}",
                                         str(path), line, getattr(exc, "colno", 1))]) from None
    return case_from_data(data, str(path), index)


def case_from_data(data: object, path: str = "<case>", index: PositionIndex | None = None) -> Case:
    problems: list[Diagnostic] = []

    def problem(code: str, message: str, key: tuple = ()) -> None:
        line, col = index.locate(key, at_value=True) if index and key else (None, None)
        problems.append(Diagnostic(code, message, path, line, col))

    if not isinstance(data, dict):
        raise ProcedureError([Diagnostic("wrong-type", "a case file is a table with id and events", path, 1, 1)])
    for key in data:
        if key not in ("id", "conditions", "events", "settings"):
            problem("unknown-key", f'unknown key "{key}" in a case: use id, conditions, events', (key,))
    case_id = data.get("id", Path(path).stem)
    conditions = data.get("conditions", [])
    if not isinstance(conditions, list) or not all(isinstance(c, str) for c in conditions):
        problem("wrong-type", "conditions must be a list of condition ids", ("conditions",))
        conditions = []
    events = []
    raw_events = data.get("events", [])
    if not isinstance(raw_events, list):
        problem("wrong-type", "events must be a list of tables with event and date", ("events",))
        raw_events = []
    for i, raw in enumerate(raw_events):
        if not isinstance(raw, dict) or not isinstance(raw.get("event"), str):
            problem("missing-key", f"event {i + 1} needs event = \"...\" and date = YYYY-MM-DD", ("events", i))
            continue
        date = raw.get("date")
        if isinstance(date, str):
            try:
                date = dt.date.fromisoformat(date)
            except ValueError:
                pass
        if not isinstance(date, dt.date):
            problem("wrong-type", f'event "{raw["event"]}" needs a date such as 2024-05-10', ("events", i, "date"))
            continue
        status = raw.get("status")
        if status is not None:
            try:
                status = EventStatus(status)
            except ValueError:
                problem("bad-value", f'status "{status}" of event "{raw["event"]}" is not one of held, booked, '
                        "cancelled", ("events", i, "status"))
                continue
        attributes = {k: v for k, v in raw.items() if k not in ("event", "date", "status")}
        events.append(CaseEvent(raw["event"], date, attributes, status))
    settings = data.get("settings", {})
    if not isinstance(settings, dict):
        problem("wrong-type", 'settings must be a table of obligation id = "duration"', ("settings",))
        settings = {}
    for key, value in settings.items():
        try:
            parse_duration(value)
        except DurationError as exc:
            problem("bad-duration", f'setting "{key}": {exc}', ("settings", key))
    if problems:
        raise ProcedureError(problems)
    return Case(str(case_id), tuple(events), frozenset(conditions), settings)
