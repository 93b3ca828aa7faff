"""A case's schedule as a picture: its events, and each duty's window from its anchor to its due date.

``schedule --format svg`` writes the picture alone; ``--format html`` a page
with the picture and the tables of the text and JSON forms (the duties, the
next meetings); the explorer site draws an example case on every procedure
page. Every status has one colour *and* one drawing (solid, hatched, open,
dashed...), used alike by the bars, the legend and the page's table, and every
lane ends with its status in words, so nothing is told by colour alone. Text is
always dark on white (contrast at least 4.5:1); bars and markers are at least
3:1 against the white background.

The output depends only on the schedule, the procedure and the case: no clock
but ``schedule.today``, no randomness (the ids inside the picture are a hash of
the case, the procedure and the day, so two pictures can share a page).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import TYPE_CHECKING, Any, NamedTuple

from procedurekit.webpage import render

if TYPE_CHECKING:
    from procedurekit.cases.records import Instance, Schedule
    from procedurekit.model import Case, Procedure

__all__ = ["timeline_svg", "timeline_html", "STATUS_STYLES", "STATUS_COLOURS", "EVENT_STYLES", "TEXT_COLOURS"]


class Style(NamedTuple):
    """How one status is drawn: its colour, the drawing of its bar, and its words."""

    colour: str
    #: solid | stripes | hatch | open | dashed | dotted | none
    fill: str
    words: str


#: each status of a duty, in the order of the legend
STATUS_STYLES: dict[str, Style] = {
    "met": Style("#2e7d32", "solid", "met in time"),
    "met-lenient": Style("#4d7c0f", "stripes", "met on one reading"),
    "late": Style("#a84300", "solid", "met late"),
    "overdue": Style("#c62828", "hatch", "overdue"),
    "due": Style("#1565c0", "open", "due (open)"),
    "provisional": Style("#6a1b9a", "dashed", "provisional"),
    "no-deadline": Style("#5f5f5f", "dashed", "no deadline"),
    "judgement": Style("#5f5f5f", "dotted", "a judgement to make"),
    "not-applicable": Style("#757575", "none", "not applicable"),
    "not-in-force": Style("#6d4c41", "none", "no version in force"),
}
#: statuses drawn apart, small and last: no date of theirs is drawn
_UNDATED = ("not-applicable", "not-in-force")
#: the colour of each status (the bars, the legend and the HTML table's swatches)
STATUS_COLOURS = {status: style.colour for status, style in STATUS_STYLES.items()}
#: each status of a case event: the marker on the events lane, and its words
EVENT_STYLES = {"held": "held (solid line, filled mark)", "booked": "booked: planned, not held (dashed, open mark)",
                "cancelled": "cancelled (dotted, crossed)"}
#: every colour text is drawn in; all on the white background
TEXT_COLOURS = {"ink": "#1b1b1b", "muted": "#4a4a4a", "today": "#a0171e", "not-applicable": "#595959"}

_WIDTH, _LEFT, _RIGHT = 1000, 250, 190
_LANE, _LANE_NA = 22, 16
_EVENT_ROW = 13
_CHAR = 6.2  # an estimate of a character's width at 11px, to keep event labels apart
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
#: what XML 1.0 cannot hold even escaped (a case id or a title is free text)
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _text(value: object) -> str:
    return _NOT_XML.sub("\ufffd", str(value))


def _event_status(event: Any, today: dt.date) -> str:
    if event.status is not None:
        return str(event.status.value)
    return "held" if event.date <= today else "booked"


def _event_rows(events: list[dict[str, Any]]) -> int:
    """Place each event's label in the first row where it does not run into the one before; the rows used."""
    ends: list[float] = []
    for e in events:
        width = len(e["label"]) * _CHAR + 8
        for row, end in enumerate(ends):
            if e["x"] >= end:
                break
        else:
            row = len(ends)
            ends.append(0.0)
        ends[row] = e["x"] + width
        e["row"] = row
    return max(len(ends), 1)


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    first = dt.date(start.year, start.month, 1)
    count = (end.year - first.year) * 12 + end.month - first.month + 1
    step = max(1, -(-count // 14))  # at most about 14 labelled ticks, however long the case
    days = []
    for n in range(0, count, step):
        year, month = divmod(first.month - 1 + n, 12)
        day = dt.date(first.year + year, month + 1, 1)
        if start <= day <= end:
            days.append(day)
    return days


def _tip(i: Instance, words: str) -> str:
    parts = [f"{i.obligation} #{i.occurrence}: {words}"]
    if i.anchor_date:
        parts.append(f"counts from {i.anchor} {i.anchor_date}" if i.anchor else f"from {i.anchor_date}")
    parts += [f"{label} {day}" for label, day in (("due", i.due), ("lenient reading by", i.limit),
                                                  ("done", i.done), ("booked for", i.booked)) if day]
    if i.late_by:
        parts.append(f"{i.late_by} working days late")
    return _text("; ".join(parts))


def _duty_rows(applicable: list[Instance], not_applicable: list[Instance], x: Any, top: int, today: dt.date
               ) -> tuple[list[dict[str, Any]], int, int | None]:
    """One lane a duty: those that apply, then, smaller, those that do not; the rows, where the lanes end and
    where the heading of those that do not apply stands."""
    rows: list[dict[str, Any]] = []
    y = top
    for i in applicable:
        status = i.status.value
        style = STATUS_STYLES.get(status, STATUS_STYLES["no-deadline"])
        left, right = x(i.anchor_date or i.due), x(i.due)
        rows.append({
            "y": y, "label": _text(f"{i.obligation} #{i.occurrence}"), "obligation": _text(i.obligation),
            "occurrence": i.occurrence, "status": status, "words": style.words, "colour": style.colour,
            "fill": style.fill, "style": style, "x1": left, "x2": right if right is not None else left,
            "dated": left is not None, "done": x(i.done), "booked": x(i.booked), "limit": x(i.limit),
            "overdue_to": x(today) if status == "overdue" and i.due and i.due < today else None,
            "small": False, "tip": _tip(i, style.words),
        })
        y += _LANE
    na_heading = y + 14 if not_applicable else None
    if not_applicable:
        y += 20
    for i in not_applicable:
        style = STATUS_STYLES[i.status.value]
        rows.append({"y": y, "label": _text(f"{i.obligation} #{i.occurrence}"), "obligation": _text(i.obligation),
                     "occurrence": i.occurrence, "status": i.status.value, "words": style.words,
                     "colour": style.colour, "fill": style.fill, "dated": False, "small": True,
                     "tip": _tip(i, style.words)})
        y += _LANE_NA
    return rows, y, na_heading


def _view(schedule: Schedule, procedure: Procedure, case: Case | None) -> dict[str, Any]:
    applicable = [i for i in schedule.instances if i.status.value not in _UNDATED]
    not_applicable = [i for i in schedule.instances if i.status.value in _UNDATED]
    case_events = sorted((case.events if case else ()), key=lambda e: (e.date, e.event))
    days = [schedule.today, *(d for i in applicable for d in (i.anchor_date, i.due, i.done, i.booked, i.limit) if d),
            *(e.date for e in case_events)]
    start = min(days) - dt.timedelta(days=7)
    end = max(days) + dt.timedelta(days=14)
    span = (end - start).days
    per_day = (_WIDTH - _LEFT - _RIGHT) / span

    def x(day: dt.date | None) -> float | None:
        return None if day is None else round(_LEFT + (day - start).days * per_day, 1)

    events: list[dict[str, Any]] = [{"x": x(e.date), "name": _text(e.event), "date": e.date, "status": _event_status(e, schedule.today)}
              for e in case_events]
    for e in events:
        e["label"] = e["name"] if e["status"] == "held" else f"{e['name']} ({e['status']})"
    event_rows = _event_rows(events)
    top = 22 + event_rows * _EVENT_ROW + 10  # the first lane
    for e in events:
        e["y"] = 32 + e["row"] * _EVENT_ROW

    rows, y, na_heading = _duty_rows(applicable, not_applicable, x, top, schedule.today)
    lanes_end = y + 4
    legend_y = lanes_end + 40
    legend = [{"status": s, "words": st.words, "colour": st.colour, "fill": st.fill,
               "x": 10 + (n % 5) * 196, "y": legend_y + (n // 5) * 18} for n, (s, st) in enumerate(STATUS_STYLES.items())]
    event_legend_y = legend_y + 2 * 18 + 8
    marks_y = event_legend_y + 18
    height = marks_y + 16
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["words"]] = counts.get(r["words"], 0) + 1
    seed = f"{schedule.case}\x00{procedure.id}\x00{schedule.today.isoformat()}".encode("utf-8", "surrogatepass")
    return {
        "id": "tl" + hashlib.sha256(seed).hexdigest()[:8],
        "case": _text(schedule.case), "procedure_id": _text(procedure.id), "procedure_title": _text(procedure.title),
        "today": schedule.today, "today_x": x(schedule.today), "start": start, "end": end, "per_day": per_day,
        "left": _LEFT, "width": _WIDTH, "height": height, "plot_right": _WIDTH - _RIGHT, "top": top,
        "lanes_end": lanes_end, "months": [{"x": x(m), "label": f"{_MONTHS[m.month - 1]} {m.year}"}
                                           for m in _months(start, end)],
        "rows": rows, "applicable": len(applicable), "na_heading": na_heading, "events": events,
        "legend": legend, "legend_y": legend_y, "event_legend_y": event_legend_y, "marks_y": marks_y,
        "event_styles": EVENT_STYLES, "text": TEXT_COLOURS, "styles": STATUS_STYLES,
        "counts": [(style.words, counts[style.words]) for style in STATUS_STYLES.values() if style.words in counts],
    }


def timeline_svg(schedule: Schedule, procedure: Procedure, case: Case | None = None) -> str:
    """The picture of *schedule* (with *case*'s events along the top), as an ``<svg>`` element: valid XML on
    its own (no XML declaration), or inline in HTML.

    The scale is on the element: ``data-start`` (the date at ``data-x0``) and ``data-px-per-day``, so a date's x
    is ``x0 + days since start * px-per-day``. Each duty is a ``<g>`` with ``data-obligation``,
    ``data-occurrence`` and ``data-status`` and the class ``status-<status>``.
    """
    return render("schedule/timeline.svg", view=_view(schedule, procedure, case)).strip() + "\n"


def timeline_html(schedule: Schedule, procedure: Procedure, case: Case | None = None) -> str:
    """A page with the picture and the duties and next meetings as tables (the rows of the JSON form)."""
    from procedurekit.cases.output import instance_rows, upcoming_rows

    view = _view(schedule, procedure, case)
    rows = instance_rows(schedule)
    for row in rows:
        row["words"] = STATUS_STYLES[row["status"]].words if row["status"] in STATUS_STYLES else row["status"]
    return render("schedule/page.html", view=view, svg=timeline_svg(schedule, procedure, case), rows=rows,
                  upcoming=upcoming_rows(schedule), warnings=[_text(w) for w in schedule.warnings],
                  css=_page_css())


def _page_css() -> str:
    swatches = "".join(f".sw-{status}{{background:{style.colour}}}" for status, style in STATUS_STYLES.items())
    return ("body{font-family:system-ui,sans-serif;margin:0;color:#1b1b1b;background:#fff;line-height:1.45}"
            "main{padding:1rem 1.2rem;max-width:90rem}h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:1.5rem}"
            "figure{margin:0}figcaption{color:#4a4a4a;font-size:.9rem}svg{max-width:100%;height:auto}"
            ".table-wrap{overflow-x:auto}table{border-collapse:collapse;font-size:.85rem}"
            "th,td{border:1px solid #c8c8c8;padding:.25rem .4rem;text-align:left;vertical-align:top}"
            "thead th{background:#ececec}.sw{display:inline-block;width:.8em;height:.8em;margin-right:.35em;"
            "border:1px solid #1b1b1b;vertical-align:-.05em}tr.status-not-applicable td,"
            "tr.status-not-applicable th{color:#595959}" + swatches)
