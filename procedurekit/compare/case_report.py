"""One case under several procedures, as a report: the next due date of each meeting in each area.

The data comes from :func:`procedurekit.compare.reports.case_rows`; these
functions only lay it out as JSON, Markdown or text.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["case_report", "case_markdown", "case_text"]


def case_report(data: dict[str, Any], fmt: str) -> str:
    """*data* (``case_rows``) as ``"json"``, ``"markdown"`` or (any other *fmt*) text."""
    if fmt == "json":
        return json.dumps(data, indent=2)
    if fmt == "markdown":
        return case_markdown(data)
    return case_text(data)


def _heading(data: dict[str, Any]) -> str:
    events = ", ".join(f"{e['event']} {e['date']}" for e in data["case"]["events"])
    return f"Case {data['case']['id']}: {events}"


def case_markdown(data: dict[str, Any]) -> str:
    """A Markdown table: one row per meeting, one column per procedure, each cell the date and its rule."""
    pids = data["procedures"]
    lines = [_heading(data), "", "| meeting | " + " | ".join(pids) + " |", "|---|" + "---|" * len(pids)]
    for row in data["rows"]:
        cells = [(row["cells"][p]["date"] or "no date") + f" ({row['cells'][p]['obligation'] or '-'})" for p in pids]
        lines.append(f"| {row['meeting']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def case_text(data: dict[str, Any]) -> str:
    """Plain text: for each meeting, each procedure's date and the reason for it."""
    pids = data["procedures"]
    lines = [_heading(data), ""]
    width = max(len(p) for p in pids)
    for row in data["rows"]:
        lines.append(f"next {row['meeting']}:")
        for pid in pids:
            cell = row["cells"][pid]
            lines.append(f"  {pid:<{width}}  {cell['date'] or 'no date':<10}  {cell['reason']}")
    return "\n".join(lines)
