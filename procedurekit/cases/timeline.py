"""A case's schedule as a picture: its events, and each duty's window from its anchor to its due date.

``schedule --format svg`` writes the picture alone; ``--format html`` a page
with the picture and the table of duties; the explorer site draws an example
case on every procedure page. Status colours match the comparison report's
legend style, and every status is also written beside its lane, so nothing is
told by colour alone.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from procedurekit.webpage import render

if TYPE_CHECKING:
    from procedurekit.cases.records import Schedule
    from procedurekit.model import Case, Procedure

__all__ = ["timeline_svg", "timeline_html", "STATUS_COLOURS"]

#: the fill of each status's bar (white text is never drawn on them; labels are dark on white)
STATUS_COLOURS = {
    "met": "#2e7d32", "met-lenient": "#7cb342", "late": "#ef6c00", "overdue": "#c62828", "due": "#1565c0",
    "provisional": "#6a1b9a", "no-deadline": "#757575", "judgement": "#9e9e9e",
}
STATUS_WORDS = {
    "met": "met in time", "met-lenient": "met on one reading", "late": "met late", "overdue": "overdue",
    "due": "due (open)", "provisional": "provisional", "no-deadline": "no deadline", "judgement": "a judgement",
}

_LEFT, _RIGHT, _WIDTH, _LANE, _TOP = 250, 110, 1000, 22, 70


def _lanes(schedule: Schedule) -> list[Any]:
    """The duties drawn: those that apply and have a date to draw (a window or a due date)."""
    return [i for i in schedule.instances if i.status.value != "not-applicable" and (i.due or i.anchor_date)]


def _event_status(event: Any, today: dt.date) -> str:
    if event.status is not None:
        return str(event.status.value)
    return "held" if event.date <= today else "booked"


def _view(schedule: Schedule, procedure: Procedure, case: Case | None) -> dict[str, Any]:
    lanes = _lanes(schedule)
    events = [(e.event, e.date, _event_status(e, schedule.today)) for e in (case.events if case else ())]
    days = [schedule.today, *(d for i in lanes for d in (i.anchor_date, i.due, i.done, i.booked) if d),
            *(d for _, d, _ in events)]
    start = min(days) - dt.timedelta(days=7)
    end = max(days) + dt.timedelta(days=7)
    span = max((end - start).days, 1)
    per_day = (_WIDTH - _LEFT - _RIGHT) / span

    def x(day: dt.date | None) -> float | None:
        return None if day is None else round(_LEFT + (day - start).days * per_day, 1)

    months = []
    month = dt.date(start.year, start.month, 1)
    while month <= end:
        if month >= start:
            months.append({"x": x(month), "label": month.strftime("%b %Y")})
        month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    rows = []
    for n, i in enumerate(lanes):
        status = i.status.value
        left = x(i.anchor_date or i.due)
        right = x(i.due) if i.due else left
        rows.append({
            "y": _TOP + n * _LANE, "label": f"{i.obligation} #{i.occurrence}", "status": status,
            "words": STATUS_WORDS.get(status, status), "colour": STATUS_COLOURS.get(status, "#757575"),
            "x1": left, "x2": right, "done": x(i.done), "booked": x(i.booked),
            "overdue_to": x(schedule.today) if status == "overdue" else None,
            "tip": f"{i.obligation} #{i.occurrence}: {STATUS_WORDS.get(status, status)}"
                   + (f"; from {i.anchor_date}" if i.anchor_date else "") + (f"; due {i.due}" if i.due else "")
                   + (f"; done {i.done}" if i.done else "") + (f"; booked for {i.booked}" if i.booked else ""),
        })
    height = _TOP + len(rows) * _LANE + 50
    return {
        "procedure": procedure, "case": schedule.case, "today": schedule.today, "today_x": x(schedule.today),
        "start": start, "per_day": round(per_day, 6), "left": _LEFT, "width": _WIDTH, "height": height,
        "plot_right": _WIDTH - _RIGHT, "months": months, "rows": rows,
        "events": [{"x": x(day), "name": name, "date": day, "status": status, "y": 34 + 12 * (n % 2)}
                   for n, (name, day, status) in enumerate(events)],
        "legend": [{"status": s, "words": STATUS_WORDS[s], "colour": c} for s, c in STATUS_COLOURS.items()],
        "legend_y": height - 22, "hidden": len(schedule.instances) - len(lanes),
    }


def timeline_svg(schedule: Schedule, procedure: Procedure, case: Case | None = None) -> str:
    """The picture (with *case*'s events along the top), as an ``<svg>`` element: valid XML on its own,
    or inline in HTML."""
    return render("schedule/timeline.svg", view=_view(schedule, procedure, case))


def timeline_html(schedule: Schedule, procedure: Procedure, rows: list[dict[str, Any]], case: Case | None = None
                  ) -> str:
    """A page with the picture and *rows* (:func:`procedurekit.cases.output.instance_rows`) as a table."""
    return render("schedule/page.html", view=_view(schedule, procedure, case),
                  svg=timeline_svg(schedule, procedure, case), rows=rows, css=_PAGE_CSS)


_PAGE_CSS = ("body{font-family:system-ui,sans-serif;margin:1.5rem;color:#1b1b1b}table{border-collapse:collapse;"
             "font-size:.85rem}th,td{border:1px solid #c8c8c8;padding:.25rem .4rem;text-align:left;vertical-align:top}"
             "th{background:#ececec}svg{max-width:100%;height:auto}")
