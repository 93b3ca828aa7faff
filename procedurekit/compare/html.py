"""The comparison report as one self-contained HTML page."""

from __future__ import annotations

import datetime as dt
import html
import json
from typing import Any

from procedurekit import describe
from procedurekit.compare.diff import Change
from procedurekit.compare.reports import summary_line
from procedurekit.markup import link_target

__all__ = ["render_html", "HTML_COLOURS"]

HTML_COLOURS = {
    "stricter": "#cfe9d4", "looser": "#f6c9c6", "added": "#cde7f5", "removed": "#ecd3ee",
    "changed": "#fbecc0", "not-comparable": "#dcdcf2", "depends-on-reading": "#f3dcb6", "same": "#f4f4f4",
}

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
    summary = "".join(f"<li><b>{html.escape(p)}</b>: {html.escape(summary_line(data['summary'][p]))}</li>"
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
