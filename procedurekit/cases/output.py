"""Schedules and batch audits written out: the text, JSON, CSV and iCalendar forms the command line prints.

Each function takes the engine's or the audit's results and returns (or
writes) a string; none reads files or loads procedures.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TextIO

from procedurekit import describe

if TYPE_CHECKING:
    import datetime as dt

    from procedurekit.cases.audit import AuditResult
    from procedurekit.cases.engine import Schedule
    from procedurekit.model import Case, Procedure

__all__ = [
    "SCHEDULE_FORMATS", "schedule_output", "instance_rows", "upcoming_rows", "schedule_text",
    "write_audit_csv", "write_audit_json", "audit_csv_chunk", "audit_json_chunk", "audit_text", "spreadsheet_safe",
]

SCHEDULE_FORMATS = ("text", "json", "csv", "ics", "svg", "html")

#: the order statuses are listed in, in the text form of a schedule
STATUS_ORDER = ("overdue", "due", "late", "provisional", "met-lenient", "met", "judgement", "no-deadline",
                "not-in-force")

CSV_FIELDS = ["obligation", "occurrence", "what", "owner", "anchor", "anchor_date", "due", "limit", "done", "status",
              "working_days_late", "booked", "booked_late_by", "strength", "note", "version"]


# -- one case's schedule --------------------------------------------------------------------

#: what a spreadsheet reads as the start of a formula (OWASP, "CSV injection")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def spreadsheet_safe(cell: str) -> str:
    """*cell*, with a ``'`` in front if a spreadsheet would run it as a formula (numbers are left alone)."""
    if cell.startswith(_FORMULA_START) and not _NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def schedule_output(schedule: Schedule, procedure: Procedure, fmt: str, case: Case | None = None) -> str:
    """*schedule* (of *case* under *procedure*) in one of :data:`SCHEDULE_FORMATS`."""
    if fmt in ("svg", "html"):
        from procedurekit.cases import timeline

        if fmt == "svg":
            return timeline.timeline_svg(schedule, procedure, case)
        return timeline.timeline_html(schedule, procedure, case)
    if fmt == "ics":
        from procedurekit.cases.ics import schedule_ics

        return schedule_ics(schedule, procedure)
    rows = instance_rows(schedule)
    upcoming = upcoming_rows(schedule)
    if fmt == "json":
        return json.dumps({"format_version": 1, "procedure": procedure.id, "case": schedule.case,
                           "today": schedule.today.isoformat(), "instances": rows, "upcoming": upcoming,
                           "quorum": quorum_rows(schedule), "warnings": list(schedule.warnings),
                           "versions": list(schedule.versions)}, indent=2)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: spreadsheet_safe(v) if isinstance(v, str) else v for k, v in row.items()}
                         for row in rows)
        return buffer.getvalue()
    return schedule_text(schedule, procedure.id, rows, upcoming)


def instance_rows(schedule: Schedule) -> list[dict[str, Any]]:
    """Every obligation instance as a plain dict (the ``instances`` of the JSON form)."""
    return [{
        "obligation": i.obligation, "occurrence": i.occurrence, "what": i.what, "owner": i.owner,
        "anchor": i.anchor, "anchor_date": _iso(i.anchor_date), "due": _iso(i.due), "done": _iso(i.done),
        "limit": _iso(i.limit), "status": i.status.value, "working_days_late": i.late_by,
        "booked": _iso(i.booked), "booked_late_by": i.booked_late_by, "rule": i.rule, "strength": i.strength,
        "note": i.note, "sources": [describe.source(s) for s in i.source], "version": i.version,
    } for i in schedule.instances]


def quorum_rows(schedule: Schedule) -> list[dict[str, Any]]:
    """The quorum of each meeting that recorded its attendance (the ``quorum`` of the JSON form)."""
    return [{"meeting": q.meeting, "date": q.date.isoformat(), "quorate": q.quorate, "attended": list(q.attended),
             "missing": list(q.missing), "proceeded": q.proceeded, "note": q.note} for q in schedule.quorum]


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def upcoming_rows(schedule: Schedule) -> list[dict[str, Any]]:
    """Each meeting's next occurrence, with who chairs it, as a plain dict (the ``upcoming`` of the JSON form)."""
    rows = []
    for meeting, due, date, decision in schedule.upcoming:
        chair: Any = decision  # a ChairDecision or None
        rows.append({
            "meeting": meeting, "obligation": due.obligation if due else None,
            "due": date.isoformat() if date else None, "booked": _iso(schedule.booked.get(meeting)),
            "reason": due.reason if due else "no rule sets when it is next due",
            "decided_by": due.decided_by if due else None,
            "chair": list(chair.roles) if chair else None,
            "chair_reason": chair.reason if chair else None,
        })
    return rows


def schedule_text(schedule: Schedule, pid: str, rows: list[dict[str, Any]], upcoming: list[dict[str, Any]]) -> str:
    """The text form: instances grouped by status, then the next meetings."""
    lines = [f"{schedule.case} under {pid}, as of {schedule.today.isoformat()}"]
    if len(schedule.versions) > 1:
        lines.append("each duty judged under the version in force when it arose: " + "; ".join(schedule.versions))
    elif schedule.versions and schedule.versions[0]:
        lines.append(f"version: {schedule.versions[0]}")
    lines.append("")
    for warning in schedule.warnings:
        lines.append(f"warning: {warning}")
    if schedule.warnings:
        lines.append("")
    for status in STATUS_ORDER:
        chosen = [r for r in rows if r["status"] == status]
        if not chosen:
            continue
        lines.append(f"{status.upper()} ({len(chosen)})")
        for r in chosen:
            lines += _instance_lines(r, several=len(schedule.versions) > 1)
        lines.append("")
    lines.append("NEXT MEETINGS")
    for u in upcoming:
        chair = f"; chair: {', '.join(u['chair'])}" if u["chair"] else ""
        booked = f"; booked for {u['booked']}" if u["booked"] else ""
        lines.append(f"  {u['meeting']:<20} {u['due'] or 'no date':<10}  {u['reason']}{chair}{booked}")
    if schedule.quorum:
        lines += ["", "QUORUM"]
        for q in schedule.quorum:
            state = "quorate" if q.quorate else "inquorate: missing " + "; ".join(q.missing)
            lines.append(f"  {q.meeting} {q.date.isoformat()}: {state}" + (f" ({q.note})" if q.note else ""))
    not_applicable = sum(1 for r in rows if r["status"] == "not-applicable")
    if not_applicable:
        lines += ["", f"({not_applicable} rules do not apply: their conditions do not hold for this case, or "
                  "the plan they belong to ended first)"]
    return "\n".join(lines)


def _instance_lines(r: dict[str, Any], several: bool = False) -> list[str]:
    when = r["due"] or "-"
    late = f", {r['working_days_late']} working days" if r["working_days_late"] else ""
    done = f", done {r['done']}" if r["done"] else ""
    owner = f" [{r['owner']}]" if r["owner"] else ""
    limit = f", lenient reading by {r['limit']}" if r["limit"] else ""
    booked = ""
    if r["booked"]:
        booked = f", booked for {r['booked']}"
        if r["booked_late_by"]:
            booked += f" ({r['booked_late_by']} working days after it is due)"
    lines = [f"  {when:<10}  {r['obligation']} #{r['occurrence']}{owner}{limit}{done}{late}{booked}",
             f"              {r['what']}: {r['rule']}"]
    if r["note"]:
        lines.append(f"              note: {r['note']}")
    if several:
        lines.append(f"              under {r['version']}")
    return lines


# -- a batch audit --------------------------------------------------------------------------

def audit_csv_chunk(rows: list[tuple[str, Any]]) -> str:
    """The CSV lines (no header) of a chunk of the audit's ``(case id, row)`` pairs."""
    from procedurekit.cases.audit import row_fields

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    last, safe = None, ""
    for case_id, row in rows:
        fields = row_fields(case_id, row)
        if case_id is not last:  # a case's rows come together: its id is checked once
            last, safe = case_id, spreadsheet_safe(case_id)
        fields[0] = safe
        if fields[8]:
            fields[8] = spreadsheet_safe(fields[8])
        writer.writerow(fields)
    return buffer.getvalue()


def audit_json_chunk(rows: list[tuple[str, Any]]) -> list[str]:
    """One JSON object a row, for a chunk of the audit's ``(case id, row)`` pairs."""
    from procedurekit.cases.audit import ROW_HEADER, row_fields

    return [json.dumps(dict(zip(ROW_HEADER, row_fields(case_id, row)))) for case_id, row in rows]


def write_audit_csv(stream: TextIO, chunks: Iterable[str]) -> None:
    """Write the audit as CSV: the header, then each chunk's lines (from :func:`audit_csv_chunk`) as they come."""
    from procedurekit.cases.audit import ROW_HEADER

    stream.write(",".join(ROW_HEADER) + "\n")
    for text in chunks:
        stream.write(text)


def write_audit_json(stream: TextIO, pid: str, today: dt.date, chunks: Iterable[list[str] | str],
                     result: AuditResult, summary: Callable[[], list[dict[str, Any]]],
                     extra: Callable[[], dict[str, Any]] | None = None) -> None:
    """Write the JSON form of an audit to *stream* as the chunks come (from :func:`audit_json_chunk`): every
    instance, then the counts, the rejected rows and the per-obligation *summary* (known at the end)."""
    stream.write(f'{{"format_version": 1, "procedure": {json.dumps(pid)}, "today": "{today.isoformat()}",\n'
                 ' "instances": [')
    separator = "\n  "
    for lines in chunks:
        if isinstance(lines, str):  # a chunk's objects already joined (the columnar engine's)
            if lines:
                stream.write(separator + lines)
                separator = ",\n  "
            continue
        for line in lines:
            stream.write(separator + line)
            separator = ",\n  "
    tail = {"cases": result.cases, "cases_not_audited": result.not_audited, "rows_read": result.rows_read,
            "rows_used": result.rows_used, "rejected": [d.to_dict() for d in result.rejected],
            "summary": summary(), **(extra() if extra else {})}
    stream.write("\n ],\n" + json.dumps(tail, indent=1)[2:] + "\n")


def audit_text(pid: str, result: AuditResult, summary: list[dict[str, Any]]) -> str:
    """The text form of an audit: per obligation, the counts of each status and the share on time."""
    lines = [f"Audit of {result.cases} cases under {pid}"
             + (f" ({result.not_audited} not audited: dates outside the calendar)" if result.not_audited else ""),
             "",
             f"{'obligation':<34} {'met':>6} {'lenient':>7} {'late':>6} {'overdue':>7} {'due':>6} {'prov.':>6} "
             f"{'on time':>8} {'lenient':>8}"]
    for s in summary:
        judged = s["met"] + s["met-lenient"] + s["late"] + s["overdue"]
        if not judged and not s["due"] and not s["provisional"]:
            continue
        rate = "-" if s["compliance"] is None else f"{100 * s['compliance']:.1f}%"
        lenient = "-" if s["compliance_lenient"] is None else f"{100 * s['compliance_lenient']:.1f}%"
        lines.append(f"{s['obligation'][:34]:<34} {s['met']:>6} {s['met-lenient']:>7} {s['late']:>6} "
                     f"{s['overdue']:>7} {s['due']:>6} {s['provisional']:>6} {rate:>8} {lenient:>8}")
    lines += ["", '"lenient": met only on the lenient reading of an ambiguous timescale (docs/engine.md); '
              '"on time" counts them as not met, the last column as met.']
    not_in_force = sum(s.get("not-in-force", 0) for s in summary)
    if not_in_force:
        lines += ["", f"{not_in_force} duties count from days when no version of the procedure was in force: "
                      "reported as not-in-force, not audited against a later version (docs/versions.md)"]
    return "\n".join(lines)
