"""Comparison reports: text for the terminal, Markdown for reports, JSON for programs, HTML for people.

Every report is built from a :class:`~procedurekit.compare.Matrix` (a pair of
procedures is a matrix with one column). The JSON form is the contract:
``procedurekit/schemas/compare.schema.json`` describes it.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import textwrap
from collections.abc import Mapping
from typing import Any, Protocol

from procedurekit import describe, model
from procedurekit.markup import link_target, markdown_text
from procedurekit.compare.diff import Change, ItemComparison, Matrix

__all__ = ["FORMAT_VERSION", "matrix_data", "render_text", "render_markdown", "render_html", "case_rows"]

FORMAT_VERSION = 1
COLOURS = {
    "stricter": "green", "looser": "red", "added": "cyan", "removed": "magenta",
    "changed": "yellow", "not-comparable": "blue", "depends-on-reading": "bright_yellow", "same": None,
}
HTML_COLOURS = {
    "stricter": "#cfe9d4", "looser": "#f6c9c6", "added": "#cde7f5", "removed": "#ecd3ee",
    "changed": "#fbecc0", "not-comparable": "#dcdcf2", "depends-on-reading": "#f3dcb6", "same": "#f4f4f4",
}


# -- plain data ---------------------------------------------------------------

def _source_data(proc: model.Procedure, src: model.Source) -> dict[str, Any]:
    doc = proc.sources.get(src.doc)
    return {
        "doc": src.doc, "title": doc.title if doc else None, "url": doc.url if doc else None,
        "section": src.section, "paragraph": src.paragraph, "quote": src.quote,
        "verified": src.verified.value if src.verified else None,
    }


def _rules(item: object, aspects: list[str]) -> list[object]:
    """The item itself, or for a meeting the rules inside it that the *aspects* concern."""
    if not isinstance(item, model.Meeting):
        return [item]
    named = {"quorum": item.quorum, "minutes": item.minutes}
    if item.chair:
        named |= {f"chair ({slot})": rule for slot, rule in item.chair.slots()}
    chosen = [rule for name, rule in named.items() if rule is not None and any(a.startswith(name) for a in aspects)]
    return chosen or [item, *(r for r in named.values() if r is not None)]


def _side(proc: model.Procedure, section: str, item: object | None, origin: str | None,
          aspects: list[str] | None = None) -> dict | None:
    if item is None:
        return None
    rules = _rules(item, aspects or [])
    sources: list[model.Source] = []
    for rule in rules:
        sources += [s for s in getattr(rule, "source", ()) if s not in sources]
    readings = [r.interpretation for r in rules if getattr(r, "interpretation", None)]
    strength = getattr(item, "strength", None)
    return {
        "procedure": proc.id,
        "origin": origin or proc.id,
        "text": describe.item(proc, section, item),
        "strength": strength.value if strength else None,
        "interpretation": " / ".join(readings) or None,
        "sources": [_source_data(proc, s) for s in sources],
    }


def _cell_data(matrix: Matrix, entry: ItemComparison, proc: model.Procedure) -> dict[str, Any]:
    return {
        "change": entry.change.value,
        "explanation": entry.explanation,
        "differences": [
            {"aspect": d.aspect, "change": d.change.value, "left": d.left, "right": d.right,
             "explanation": d.explanation,
             **({"readings": [{"readings": said, "change": c.value} for said, c in d.readings]}
                if d.readings else {})}
            for d in entry.differences
        ],
        "value": _side(proc, entry.section, entry.right, entry.right_origin, [d.aspect for d in entry.differences]),
    }


def _procedure_data(proc: model.Procedure) -> dict[str, Any]:
    return {"id": proc.id, "title": proc.title, "partnership": proc.partnership, "version": proc.version,
            "calendar": proc.calendar}


def matrix_data(matrix: Matrix, *, include_same: bool = True) -> dict[str, Any]:
    """The JSON form of a comparison (see compare.schema.json)."""
    rows = []
    summary = {pid: {c.value: 0 for c in Change} for pid in (p.id for p in matrix.procedures)}
    for section, item_id in matrix.rows:
        cells = {}
        baseline_value = None
        for proc in matrix.procedures:
            entry = matrix.cell(section, item_id, proc.id)
            if entry is None:
                continue
            summary[proc.id][entry.change.value] += 1
            cells[proc.id] = _cell_data(matrix, entry, proc)
            if baseline_value is None and entry.left is not None:
                baseline_value = _side(matrix.baseline, section, entry.left, entry.left_origin,
                                       [d.aspect for d in entry.differences] if len(matrix.procedures) == 1 else None)
        if not include_same and all(c["change"] == "same" for c in cells.values()):
            continue
        rows.append({"section": section, "item": item_id, "baseline": baseline_value, "cells": cells})
    return {
        "format_version": FORMAT_VERSION,
        "kind": "comparison",
        "baseline": _procedure_data(matrix.baseline),
        "procedures": [_procedure_data(p) for p in matrix.procedures],
        "summary": summary,
        "rows": rows,
    }


# -- text -----------------------------------------------------------------------

def _cite(source: dict[str, Any]) -> str:
    quote = f' "{source["quote"]}"' if source["quote"] else ""
    return describe.citation(source["doc"], source["section"], source["paragraph"]) + quote


def _wrap(text: str, indent: str, width: int = 100) -> list[str]:
    return textwrap.wrap(text, width=width, initial_indent=indent, subsequent_indent=indent + "  ") or [indent]


def _summary_line(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {k}" for k, n in counts.items() if n) or "no items"


def _difference_lines(diff: dict[str, Any], base: str, pid: str, width: int) -> list[str]:
    """One aspect's difference; one line per pair of readings when the class depends on the reading."""
    said = f"{diff['aspect']} [{diff['change']}]: {base}: {diff['left']} | {pid}: {diff['right']}"
    if "readings" not in diff:
        return _wrap(f"{said} ({diff['explanation']})", "    ", width)
    out = _wrap(f"{said}; the class depends on the reading:", "    ", width)
    for pair in diff["readings"]:
        out += _wrap(f"{pair['readings']}: {pair['change']}", "      ", width)
    return out


def render_text(data: dict[str, Any], *, colour: bool = False, width: int = 100) -> str:
    """A terminal report: details for a pair, a table for more."""
    import click

    def paint(text: str, change: str) -> str:
        return click.style(text, fg=COLOURS.get(change), bold=change == "looser") if colour and COLOURS.get(change) \
            else text

    procs = [p["id"] for p in data["procedures"]]
    base = data["baseline"]["id"]
    out: list[str] = []
    if len(procs) == 1:
        pid = procs[0]
        out += textwrap.wrap(f"{base} -> {pid}: {_summary_line(data['summary'][pid])}", width=width,
                             subsequent_indent="  ")
        for row in data["rows"]:
            cell = row["cells"][pid]
            change = cell["change"]
            if change == "same":
                continue
            label = paint(f"{change.upper():<19}", change)
            out.append("")
            out.append(f"{label}{row['section']}.{row['item']}")
            if change in ("added", "removed"):
                side = cell["value"] if change == "added" else row["baseline"]
                out += _wrap(f"only in {pid if change == 'added' else base}: {side['text']}", "    ", width)
                for src in side["sources"][:1]:
                    out += _wrap(f"source: {_cite(src)}", "    ", width)
                continue
            for diff in cell["differences"]:
                out += _difference_lines(diff, base, pid, width)
            for name, side in ((base, row["baseline"]), (pid, cell["value"])):
                if side and side["interpretation"]:
                    out += _wrap(f"{name} reading: {side['interpretation']}", "    ", width)
                for src in (side or {}).get("sources", [])[:2]:
                    out += _wrap(f"{name} source: {_cite(src)}", "    ", width)
        return "\n".join(out)
    # the matrix
    key_width = max([len(f"{r['section']}.{r['item']}") for r in data["rows"]] + [10])
    key_width = min(key_width, width - 9 * len(procs) - 2)
    short = {"stricter": "stricter", "looser": "LOOSER", "added": "added", "removed": "removed",
             "changed": "changed", "not-comparable": "n/c", "depends-on-reading": "reading?", "same": "·"}
    header = f"{'item (vs ' + base + ')':<{key_width}}" + "".join(f" {p[:8]:>8}" for p in procs)
    out.append(header)
    for row in data["rows"]:
        key = f"{row['section']}.{row['item']}"
        key = key if len(key) <= key_width else key[:key_width - 1] + "…"
        cells = []
        for pid in procs:
            change = row["cells"].get(pid, {}).get("change", "")
            text = short.get(change, "")
            cells.append(" " + paint(f"{text:>8}", change))
        out.append(f"{key:<{key_width}}" + "".join(cells))
    out.append("")
    out.append("  ".join(f"{pid}: {_summary_line(data['summary'][pid])}" for pid in procs))
    return "\n".join(out)


# -- markdown ---------------------------------------------------------------------

def _md(text: str | None) -> str:
    return markdown_text(text or "").replace("|", "\\|").replace("\n", " ")


def render_markdown(data: dict[str, Any]) -> str:
    procs = [p["id"] for p in data["procedures"]]
    base = data["baseline"]["id"]
    lines = [f"## Comparison against {base}", ""]
    for pid in procs:
        lines.append(f"- **{pid}**: {_summary_line(data['summary'][pid])}")
    lines.append("")
    if len(procs) == 1:
        pid = procs[0]
        lines += [f"| class | item | aspect | {base} | {pid} | why |", "|---|---|---|---|---|---|"]
        notes: list[str] = []
        for row in data["rows"]:
            cell = row["cells"][pid]
            if cell["change"] == "same":
                continue
            key = f"`{row['section']}.{row['item']}`"
            diffs = cell["differences"] or [{"aspect": "item", "change": cell["change"],
                                             "left": (row["baseline"] or {}).get("text", "-"),
                                             "right": (cell["value"] or {}).get("text", "-"),
                                             "explanation": cell["explanation"]}]
            for d in diffs:
                lines.append(f"| {d['change']} | {key} | {_md(d['aspect'])} | {_md(d['left'])} | {_md(d['right'])} "
                             f"| {_md(d['explanation'])} |")
            for name, side in ((base, row["baseline"]), (pid, cell["value"])):
                for src in (side or {}).get("sources", [])[:2]:
                    notes.append(f"- {key} ({name}): {_md(_cite(src))}")
                if side and side["interpretation"]:
                    notes.append(f"- {key} ({name}, reading): {_md(side['interpretation'])}")
        if notes:
            lines += ["", "### Sources", "", *notes]
        return "\n".join(lines) + "\n"
    lines += ["| item | " + " | ".join(procs) + " |", "|---|" + "---|" * len(procs)]
    for row in data["rows"]:
        cells = [row["cells"].get(pid, {}).get("change", "") for pid in procs]
        lines.append(f"| `{row['section']}.{row['item']}` | " + " | ".join(c if c != "same" else "·" for c in cells)
                     + " |")
    return "\n".join(lines) + "\n"


# -- html ---------------------------------------------------------------------------

_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:1.5rem;color:#222}
h1{font-size:1.3rem}table{border-collapse:collapse;font-size:.85rem}
th,td{border:1px solid #ccc;padding:.25rem .4rem;vertical-align:top;text-align:left}
th{background:#eee;position:sticky;top:0}td.key{font-family:monospace;white-space:nowrap}
td.cell{cursor:pointer;min-width:6rem}details{font-size:.8rem;max-width:28rem}
.filters label{margin-right:.8rem}.legend span{padding:.1rem .4rem;margin-right:.3rem;border-radius:3px}
tr.hidden{display:none}blockquote{margin:.2rem 0 .2rem .6rem;color:#444}
"""

_JS = """
function applyFilters(){
  var boxes=document.querySelectorAll('.filters input');var on={};
  boxes.forEach(function(b){on[b.value]=b.checked;});
  document.querySelectorAll('tbody tr').forEach(function(tr){
    var classes=tr.getAttribute('data-changes').split(' ');
    var show=classes.some(function(c){return on[c];});
    tr.classList.toggle('hidden',!show);
  });
  document.body.setAttribute('data-filtered','yes');
}
document.querySelectorAll('.filters input').forEach(function(b){b.addEventListener('change',applyFilters);});
applyFilters();
"""


def _html_side(name: str, side: dict | None) -> str:
    if side is None:
        return f"<p><b>{html.escape(name)}</b>: not present</p>"
    parts = [f"<p><b>{html.escape(name)}</b> ({html.escape(side['origin'])}): {html.escape(side['text'])}</p>"]
    if side["interpretation"]:
        parts.append(f"<p><i>Reading:</i> {html.escape(side['interpretation'])}</p>")
    for src in side["sources"]:
        title = html.escape(src["title"] or src["doc"])
        target = link_target(src.get("url"))
        link = f'<a href="{html.escape(target)}">{title}</a>' if target else title
        where = html.escape(describe.citation(None, src["section"], src["paragraph"]))
        quote = f"<blockquote>{html.escape(src['quote'])}</blockquote>" if src["quote"] else ""
        verified = f" [verified: {html.escape(src['verified'])}]" if src["verified"] else ""
        parts.append(f"<p>Source: {link}{', ' + where if where else ''}{verified}</p>{quote}")
    return "".join(parts)


def render_html(data: dict[str, Any], title: str = "procedurekit comparison") -> str:
    """One self-contained HTML file: no external scripts, styles or fonts."""
    procs = [p["id"] for p in data["procedures"]]
    base = data["baseline"]["id"]
    classes = [c.value for c in Change]
    filters = "".join(
        f'<label><input type="checkbox" value="{c}"{"" if c == "same" else " checked"}> '
        f'<span style="background:{HTML_COLOURS[c]}">{c}</span></label>' for c in classes)
    head = "".join(f"<th>{html.escape(p)}</th>" for p in procs)
    body = []
    for row in data["rows"]:
        key = f"{row['section']}.{row['item']}"
        changes = sorted({row["cells"][p]["change"] for p in procs if p in row["cells"]})
        cells = []
        for pid in procs:
            cell = row["cells"].get(pid)
            if cell is None:
                cells.append("<td></td>")
                continue
            diffs = "".join(
                f"<li>{html.escape(d['aspect'])} [{html.escape(d['change'])}]: {html.escape(d['left'])} → "
                f"{html.escape(d['right'])} ({html.escape(d['explanation'])})</li>" for d in cell["differences"])
            detail = (f"<details><summary>{html.escape(cell['change'])}</summary>"
                      f"<p>{html.escape(cell['explanation'])}</p>{'<ul>' + diffs + '</ul>' if diffs else ''}"
                      f"{_html_side(base, row['baseline'])}{_html_side(pid, cell['value'])}</details>")
            cells.append(f'<td class="cell" style="background:{HTML_COLOURS[cell["change"]]}">{detail}</td>')
        body.append(f'<tr data-changes="{" ".join(changes)}"><td class="key">{html.escape(key)}</td>'
                    f'{"".join(cells)}</tr>')
    generated = dt.date.today().isoformat()
    summary = "".join(f"<li><b>{html.escape(p)}</b>: {html.escape(_summary_line(data['summary'][p]))}</li>"
                      for p in procs)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>{_CSS}</style></head>
<body><h1>{html.escape(title)}: each procedure against {html.escape(base)}</h1>
<ul>{summary}</ul>
<p class="filters">Show: {filters}</p>
<p>Click a cell for both rules, the reading recorded and the sources. Generated {generated} by procedurekit.</p>
<table><thead><tr><th>item</th>{head}</tr></thead><tbody>
{"".join(body)}
</tbody></table>
<script id="report-data" type="application/json">{html.escape(json.dumps(data), quote=False)}</script>
<script>{_JS}</script></body></html>
"""


# -- the same case in several areas -----------------------------------------------------

class NextMeetings(Protocol):
    """What a case report asks of each procedure (:meth:`procedurekit.host.library.Library.answers` gives it)."""

    def next_meeting(self, meeting: str, case: model.Case) -> tuple[model.MeetingDue | None, dt.date | None]: ...


def case_rows(answers: Mapping[str, NextMeetings], case: model.Case, meetings: list[str] | None = None
              ) -> dict[str, Any]:
    """For one case, the next due date of each meeting under each procedure (*answers*: id -> its answers)."""
    pids = list(answers)
    meetings = meetings or ["icpc", "core-group", "rcpc"]
    rows = []
    for meeting in meetings:
        cells = {}
        for pid in pids:
            due, date = answers[pid].next_meeting(meeting, case)
            if due is None:
                cells[pid] = {"date": None, "obligation": None, "reason": "no rule for this meeting"}
                continue
            reason = due.reason if date is not None else f"{due.reason} (no date yet: no number, or its event " \
                                                          "has not happened)"
            cells[pid] = {"date": date.isoformat() if date else None, "obligation": due.obligation,
                          "reason": reason}
        rows.append({"meeting": meeting, "cells": cells})
    return {
        "format_version": FORMAT_VERSION, "kind": "case",
        "case": {"id": case.id, "conditions": sorted(case.conditions),
                 "events": [{"event": e.event, "date": e.date.isoformat()} for e in case.events]},
        "procedures": pids, "rows": rows,
    }
