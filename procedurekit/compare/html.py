"""The comparison report as HTML: one self-contained page, or a fragment for the explorer site.

Cells show each rule in a few words, marked and coloured by its class against
the baseline; a click opens the full rule, its reading and its sources. The
page filters by class, topic and words, and sorts by any column
(``templates/static/explorer.js``).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from procedurekit import describe, model
from procedurekit.compare.classes import MARKS, MEANINGS, Change
from procedurekit.compare.reports import row_name, row_topics, summary_line
from procedurekit.webpage import render

__all__ = ["render_html", "matrix_view", "script_json", "HTML_COLOURS"]

#: the background of each class (also in explorer.css); dark text on each passes WCAG AA
HTML_COLOURS = {
    "stricter": "#cfe9d4", "looser": "#f6c9c6", "added": "#cde7f5", "removed": "#ecd3ee",
    "changed": "#fbecc0", "not-comparable": "#dcdcf2", "depends-on-reading": "#f3dcb6", "same": "#f4f4f4",
}


def _sources(side: dict[str, Any] | None) -> list[dict[str, Any]]:
    if not side:
        return []
    return [dict(src, where=describe.citation(None, src["section"], src["paragraph"])) for src in side["sources"]]


def _cell(pid: str, row: dict[str, Any], cell: dict[str, Any] | None) -> dict[str, Any]:
    if cell is None:
        return {"pid": pid, "change": None}
    change = Change(cell["change"])
    value = cell["value"]
    if change is Change.REMOVED:
        brief = "not in " + pid
    else:
        brief = (value or {}).get("brief") or "-"
    return {"pid": pid, "change": change.value, "mark": MARKS[change], "brief": brief,
            "explanation": cell["explanation"], "differences": cell["differences"],
            "items": cell.get("items", []),
            # a rule the same as the baseline's is shown once
            "sides": [("baseline", row["baseline"], _sources(row["baseline"]))] * (change is not Change.SAME)
            + [(pid, value, _sources(value))]}


def matrix_view(data: dict[str, Any], *, anchor_prefix: str = "") -> dict[str, Any]:
    """What the templates show of :func:`procedurekit.compare.reports.matrix_data`'s *data*."""
    procs = [p["id"] for p in data["procedures"]]
    rows = []
    for row in data["rows"]:
        key = f"{row['section']}.{row['item']}"
        rows.append({
            "id": anchor_prefix + key.replace(".", "-"), "key": key,
            "title": row_name(row),
            "topics": row_topics(row),
            "baseline": (row["baseline"] or {}).get("brief", "-"),
            "cells": [_cell(pid, row, row["cells"].get(pid)) for pid in procs],
        })
    narrative = {pid: _by_meeting(data["narrative"].get(pid, [])) for pid in procs}
    used = {c["change"] for r in rows for c in r["cells"] if c["change"]}
    return {
        "baseline": data["baseline"], "procedures": data["procedures"], "rows": rows,
        "summary": {pid: summary_line(data["summary"][pid]) for pid in procs},
        "classes": [{"value": c.value, "mark": MARKS[c], "meaning": MEANINGS[c], "used": c.value in used}
                    for c in Change],
        "topics": model.TOPICS, "narrative": {pid: groups for pid, groups in narrative.items() if groups},
        "prefix": anchor_prefix,
    }


def _by_meeting(duties: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for duty in duties:
        groups.setdefault(duty["meeting"] or "other duties", []).append(duty)
    return sorted(groups.items())


def render_html(data: dict[str, Any], title: str = "procedurekit comparison", *, show_same: bool = False,
                today: dt.date | None = None) -> str:
    """One self-contained HTML file (styles and script inline; no external assets)."""
    return render("compare/report.html", title=title, view=matrix_view(data), show_same=show_same,
                  generated=(today or dt.date.today()).isoformat(), data_json=script_json(data))


def script_json(data: object) -> str:
    """*data* as JSON safe inside a ``<script>`` element (no ``<``, ``>`` or ``&`` to end it early)."""
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e") \
        .replace("&", "\\u0026")
