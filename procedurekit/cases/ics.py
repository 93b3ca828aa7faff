"""iCalendar (RFC 5545) export of a case's upcoming meetings and deadlines.

All-day VEVENTs with stable UIDs (case, procedure, rule and occurrence), so
importing an updated file into Outlook or Google Calendar updates events
rather than duplicating them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re

from procedurekit import describe
from procedurekit.cases.engine import Schedule, Status

__all__ = ["schedule_ics"]


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Fold a content line at 75 octets (RFC 5545 3.1)."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts, current = [], b""
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > (75 if not parts else 74):
            parts.append(current.decode("utf-8"))
            current = b""
        current += encoded
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def _uid(*parts: object) -> str:
    """A stable UID: readable, and distinct for distinct parts ("C 1", "C/1" and "C-1" read alike)."""
    exact = "\x1f".join(str(p) for p in parts)
    digest = hashlib.sha256(exact.encode("utf-8")).hexdigest()[:16]
    return re.sub(r"[^A-Za-z0-9.-]+", "-", "-".join(str(p) for p in parts))[:120] + f"-{digest}@procedurekit"


def _event(uid: str, day: dt.date, summary: str, description: str, stamp: str) -> list[str]:
    return [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
        f"DTEND;VALUE=DATE:{day + dt.timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{_escape(summary)}",
        f"DESCRIPTION:{_escape(description)}",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]


def schedule_ics(schedule: Schedule, procedure) -> str:
    """The upcoming meetings and open deadlines of *schedule* as an iCalendar file."""
    stamp = f"{schedule.today:%Y%m%d}T000000Z"
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//procedurekit//case schedule//EN", "CALSCALE:GREGORIAN",
             f"X-WR-CALNAME:{_escape(f'{schedule.case} ({procedure.id})')}"]
    for meeting, due, date, chair in schedule.upcoming:
        if due is None or date is None or date < schedule.today:
            continue
        name = describe.event_name(procedure, meeting)
        summary = f"{schedule.case}: {name[:1].upper() + name[1:]} due"
        text = [f"Due by {date.isoformat()} under {procedure.id}: {due.reason}."]
        if chair is not None:
            text.append(f"Chair: {chair.reason}.")
        text += [f"Source: {describe.source(s)}" for s in due.source[:2]]
        lines += _event(_uid(schedule.case, procedure.id, "next", meeting), date, summary, "\n".join(text), stamp)
    for inst in schedule.instances:
        if inst.due is None or inst.status not in (Status.DUE, Status.OVERDUE):
            continue
        state = "overdue" if inst.status is Status.OVERDUE else "due"
        summary = f"{schedule.case}: {inst.what[:1].upper() + inst.what[1:]} ({state})"
        text = [f"{inst.obligation} #{inst.occurrence} [{inst.strength}]: {inst.rule}.",
                f"Owner: {inst.owner or 'not stated'}."]
        text += [f"Source: {describe.source(s)}" for s in inst.source[:2]]
        lines += _event(_uid(schedule.case, procedure.id, inst.obligation, inst.occurrence), inst.due, summary,
                        "\n".join(text), stamp)
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
