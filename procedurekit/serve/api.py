"""What each endpoint of ``procedurekit serve`` answers: plain functions over a :class:`Library`.

Each takes the request's parameters and body and returns what is sent back as JSON (a dict, or JSON text
already written by the same code the CLI uses). Bad input raises :class:`ApiError`; the app
(:mod:`procedurekit.serve.app`) turns it into a JSON error with a stable code and a 4xx status.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from procedurekit.diagnostics import Diagnostic, ProcedureError

if TYPE_CHECKING:
    from procedurekit.host.library import Library

__all__ = ["ApiError", "procedures", "show", "history", "validate", "compare", "schedule", "audit",
           "calendar_add", "calendar_between", "calendar_holidays", "public"]

#: the codes that mean "no such thing": 404 rather than 400
NOT_FOUND = {"unknown-procedure", "unknown-version", "not-in-force", "unknown-schema"}


class ApiError(Exception):
    """A request that cannot be answered: its HTTP status, a stable code, a message, and where in the input."""

    def __init__(self, status: int, code: str, message: str, diagnostics: tuple[Diagnostic, ...] = ()):
        super().__init__(message)
        self.status, self.code, self.message, self.diagnostics = status, code, message, diagnostics

    @classmethod
    def of(cls, exc: ProcedureError) -> ApiError:
        first = exc.diagnostics[0] if exc.diagnostics else Diagnostic("bad-value", str(exc))
        return cls(404 if first.code in NOT_FOUND else 422, first.code, first.message, exc.diagnostics)

    def body(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": without_paths(self.message)},
                "diagnostics": [public(d) for d in self.diagnostics]}


#: an absolute path of the server, as messages may name one ("defined by both /srv/.../a.toml and ...")
_ABSOLUTE = re.compile(r"(?<![\w.:/])/(?:[^\s/:\"'()]+/)+([^\s/:\"'()]+)")


def without_paths(text: str) -> str:
    """*text* with each absolute path cut to its file's name."""
    return _ABSOLUTE.sub(r"\1", text)


def public(d: Diagnostic) -> dict[str, Any]:
    """A diagnostic as a response shows it: its position in the input, no path on the server."""
    data = d.to_dict()
    data["path"] = Path(d.path).name if d.path else None
    data["message"] = without_paths(d.message)
    return data


def _date(value: str | None, name: str, default: dt.date | None = None) -> dt.date:
    if not value:
        if default is None:
            raise ApiError(400, "missing-parameter", f"{name} is required: a date, YYYY-MM-DD")
        return default
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ApiError(400, "bad-value", f"{name} {value!r} is not a date: write YYYY-MM-DD") from None


def _valid(library: Library, pid: str) -> None:
    try:
        library.get(pid)
    except ProcedureError as exc:
        raise ApiError.of(exc) from None


def procedures(library: Library) -> dict[str, Any]:
    """Every procedure that loaded, with its versions and whether it is valid."""
    out = []
    for pid in library.ids():
        entry = library.entries[pid]
        out.append({"id": pid, "title": entry.written.title, "partnership": entry.written.partnership,
                    "extends": entry.written.extends, "plugin": entry.plugin, "valid": not library.errors(pid),
                    "versions": [{"version": e.written.version, "effective_from": start and start.isoformat(),
                                  "effective_to": end and end.isoformat()}
                                 for e, start, end in library.version_spans(pid)]})
    return {"format_version": 1, "procedures": out}


def show(library: Library, pid: str, on: str | None) -> dict[str, Any]:
    """One procedure resolved, as ``show --format json`` (the version in force *on* a date, if given)."""
    from procedurekit.converter import procedure_data

    _valid(library, pid)
    try:
        procedure = library.get(pid, on=_date(on, "on") if on else None)
    except ProcedureError as exc:
        raise ApiError.of(exc) from None
    entry = library.entry(pid)
    return procedure_data(procedure, plugin=entry.plugin, file=Path(entry.path).name)


def history(library: Library, pid: str) -> dict[str, Any]:
    """Every version and, from each to the next, the classed differences, as ``history --format json``."""
    _valid(library, pid)
    data, _ = library.history(library.entry(pid).id)
    for row in data["versions"]:
        row["file"] = Path(row["file"]).name
    return data


def validate(library: Library, body: bytes) -> dict[str, Any]:
    """A posted procedure (TOML), checked as ``validate`` checks a file, over the installed procedures."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ApiError(400, "encoding", f"the body is not UTF-8 text (byte {exc.start})") from None
    key, problems = library.check_draft(text)
    errors = sum(d.severity.value == "error" for d in problems)
    return {"ok": key is not None and not errors, "procedure": key.removesuffix("@draft") if key else None,
            "errors": errors, "warnings": len(problems) - errors, "diagnostics": [public(d) for d in problems]}


def compare(library: Library, ids: list[str], baseline: str | None, topic: str | None) -> dict[str, Any]:
    """Two or more procedures compared, as ``compare --format json``."""

    from procedurekit.compare.diff import compare_matrix
    from procedurekit.compare.reports import matrix_data
    from procedurekit.model import TOPICS

    if topic is not None and topic not in TOPICS:
        raise ApiError(400, "bad-value", f"topic {topic!r}: use one of {', '.join(TOPICS)}")
    ids = [*([baseline] if baseline else []), *ids]
    if len(ids) < 2:
        raise ApiError(400, "missing-parameter", "name at least two procedures: ?id=A&id=B (or id and baseline)")
    for pid in ids:
        _valid(library, pid)
    procedures = [library.named(pid) for pid in ids]
    return matrix_data(compare_matrix(procedures[0], procedures[1:]), topic=topic)


def schedule(library: Library, pid: str, body: bytes, today: str | None, on: str | None,
             clock: dt.date) -> str:
    """A posted case (JSON), as ``schedule --format json``: each duty under the version in force when it
    arose, or every duty under the version in force *on* a date if given."""
    from procedurekit.cases.engine import schedule as evaluate
    from procedurekit.cases.files import case_from_data
    from procedurekit.cases.output import schedule_output

    _valid(library, pid)
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ApiError(400, "bad-json", f"the body is not JSON: {exc}") from None
    day = _date(today, "today", clock)
    try:
        case = case_from_data(data, "case.json")
        known = library.case_events(pid)
        unknown = [e.event for e in case.events if e.event not in known]
        if unknown:
            raise ApiError(422, "undefined-reference", f'unknown event "{unknown[0]}" for {pid}; known events: '
                           f"{', '.join(sorted(known))}")
        if on:
            result = evaluate(library.plan(pid, on=_date(on, "on")), case, day, library.answers(pid))
        else:
            result = library.schedule(pid, case, day)
    except ProcedureError as exc:
        raise ApiError.of(exc) from None
    return schedule_output(result, library.get(pid), "json", case)


def audit(library: Library, pid: str, body: bytes, content_type: str, today: str | None, clock: dt.date,
          out: Any) -> None:
    """Posted cases (the long CSV, or a JSON list of rows) audited as ``audit --format json``, written to
    *out* chunk by chunk."""
    import attrs

    from procedurekit.cases.audit import AuditResult, summary_rows
    from procedurekit.cases.batch import audit_chunks
    from procedurekit.cases.output import write_audit_json

    _valid(library, pid)
    day = _date(today, "today", clock)
    with tempfile.TemporaryDirectory(prefix="procedurekit-") as folder:
        path = Path(folder) / "cases.csv"
        path.write_bytes(_as_csv(body) if "json" in content_type else body)
        plan = library.audit_plan(pid, day)
        result = AuditResult()

        def chunks() -> Any:
            yield from audit_chunks(plan, path, day, result, output="json")
            # rejected rows are placed in the posted body, not in a temporary file of the server
            result.rejected[:] = [attrs.evolve(d, path="cases.csv") for d in result.rejected]

        write_audit_json(out, pid, day, chunks(), result, lambda: list(summary_rows(plan, result)))


def _as_csv(body: bytes) -> bytes:
    """A JSON list of rows (objects with case_id, event, date and any other columns) as the long CSV."""
    try:
        rows = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ApiError(400, "bad-json", f"the body is not JSON: {exc}") from None
    if not isinstance(rows, list) or not all(isinstance(r, Mapping) for r in rows):
        raise ApiError(400, "wrong-type", "a JSON body of cases is a list of rows: "
                                          '[{"case_id": "C1", "event": "icpc", "date": "2024-05-14"}, ...]')
    columns = list(dict.fromkeys(["case_id", "event", "date", *(k for r in rows for k in r)]))
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: "" if v is None else v for k, v in r.items()} for r in rows)
    return text.getvalue().encode("utf-8")


def calendar_add(start: str | None, duration: str | None, calendar: str, before: bool) -> dict[str, Any]:
    """A date and a duration: the date that many (working) days, weeks or months on (or *before*)."""
    from procedurekit.calendars import CalendarError, get_calendar
    from procedurekit.durations import DurationError, parse_duration

    day = _date(start, "start")
    if not duration:
        raise ApiError(400, "missing-parameter", 'duration is required, e.g. "10 working days"')
    try:
        result = get_calendar(calendar).add(day, parse_duration(duration), before=before)
    except (DurationError, CalendarError, ValueError) as exc:
        raise ApiError(400, "bad-value", str(exc)) from None
    return {"start": day.isoformat(), "duration": duration, "before": before, "calendar": calendar,
            "date": result.isoformat()}


def calendar_between(start: str | None, end: str | None, calendar: str) -> dict[str, Any]:
    """The working days after *start* up to and including *end*."""
    from procedurekit.calendars import CalendarError, get_calendar

    first, last = _date(start, "start"), _date(end, "end")
    try:
        days = get_calendar(calendar).working_days_between(first, last)
    except (CalendarError, ValueError) as exc:
        raise ApiError(400, "bad-value", str(exc)) from None
    return {"start": first.isoformat(), "end": last.isoformat(), "calendar": calendar, "working_days": days}


def calendar_holidays(year: str | None, calendar: str) -> dict[str, Any]:
    """The bank holidays of one year (or every year shipped) of a calendar."""
    from procedurekit.calendars import CalendarError, get_calendar

    try:
        holidays = get_calendar(calendar).holidays
    except (CalendarError, ValueError) as exc:
        raise ApiError(400, "bad-value", str(exc)) from None
    if year is not None and not year.isdigit():
        raise ApiError(400, "bad-value", f"year {year!r} is not a year, e.g. 2024")
    return {"calendar": calendar, "holidays": [
        {"date": day.isoformat(), "name": name} for day, name in sorted(holidays.items())
        if year is None or day.year == int(year)]}
