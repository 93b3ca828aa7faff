"""Comparison reports for the terminal (text) and for documents (Markdown)."""

from __future__ import annotations

from typing import Any

from procedurekit import describe
from procedurekit.compare.classes import MARKS, Change
from procedurekit.compare.reports import row_name, summary_line
from procedurekit.terminal import clip, wrap
from procedurekit.markup import markdown_text

__all__ = ["render_text", "render_markdown", "COLOURS"]

COLOURS = {
    "stricter": "green", "looser": "red", "added": "cyan", "removed": "magenta",
    "changed": "yellow", "not-comparable": "blue", "depends-on-reading": "bright_yellow", "same": None,
}

# -- text -----------------------------------------------------------------------

def _cite(source: dict[str, Any]) -> str:
    quote = f' "{source["quote"]}"' if source["quote"] else ""
    return describe.citation(source["doc"], source["section"], source["paragraph"]) + quote


def _wrap(text: str, indent: str, width: int = 100) -> list[str]:
    return wrap(text, width, indent)


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
        out += wrap(f"{base} -> {pid}: {summary_line(data['summary'][pid])}", width)
        for row in data["rows"]:
            cell = row["cells"][pid]
            change = cell["change"]
            if change == "same":
                continue
            key = f"{row['section']}.{row['item']}"
            named = clip(f"{row['title']} ({key})" if row.get("title") else key, max(width - 19, 10))
            out.append("")
            out.append(paint(f"{change.upper():<19}", change) + named)
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
        return "\n".join(out + _narrative_lines(data, width))
    out += _matrix_lines(data, procs, width, paint)
    out += _narrative_lines(data, width)
    return "\n".join(out)


#: a cell's mark in the text matrix (the HTML report uses the same marks), "·" for the same rule
_TEXT_MARKS = {c.value: ("·" if c is Change.SAME else m) for c, m in MARKS.items()}


_KINDS = {"obligations": "duty", "documents": "document", "meetings": "meeting", "pathways": "route"}


def _codes(n: int) -> list[str]:
    """Column codes A, B, ... Z, AA, AB, ...: short enough for 200 procedures in 80 columns."""
    out = []
    for i in range(n):
        code = ""
        i += 1
        while i:
            i, r = divmod(i - 1, 26)
            code = chr(65 + r) + code
        out.append(code)
    return out


def _matrix_lines(data: dict[str, Any], procs: list[str], width: int, paint: Any) -> list[str]:
    """The matrix in blocks of columns that fit *width*, each row labelled, with a key and a legend."""
    base = data["baseline"]["id"]
    names = [row_name(row) for row in data["rows"]]
    # a name two rows share (a concept's document and its duty) says which section each is from
    labels = [f"{n} ({_KINDS.get(row['section'], row['section'])})" if names.count(n) > 1 else n
              for n, row in zip(names, data["rows"])]
    full = sum(len(p) + 1 for p in procs) + min(max([len(x) for x in labels] + [10]), 32) <= width
    heads = procs if full else _codes(len(procs))
    col = max(len(h) for h in heads)
    label_w = max(8, min(max([len(x) for x in labels] + [10]), 40, width - col - 1))
    per_block = max(1, (width - label_w) // (col + 1))
    out = [clip(f"against {base}: a mark per rule (key below)", width)]
    for start in range(0, len(procs), per_block):
        block = range(start, min(start + per_block, len(procs)))
        out.append("")
        out.append(clip("rule", label_w).ljust(label_w) + "".join(f" {heads[i]:>{col}}" for i in block))
        for label, row in zip(labels, data["rows"]):
            cells = []
            for i in block:
                change = row["cells"].get(procs[i], {}).get("change", "")
                cells.append(" " + paint(f"{_TEXT_MARKS.get(change, ''):>{col}}", change))
            out.append(clip(label, label_w).ljust(label_w) + "".join(cells))
    out.append("")
    out += wrap("marks: " + ", ".join(f"{_TEXT_MARKS[c.value]} {c.value}" for c in Change), width)
    if not full:
        out.append("columns:")
        for code, pid in zip(heads, procs):
            out.append(clip(f"  {code:>{col}} = {pid}", width))
    out.append("")
    for pid in procs:
        out += wrap(f"{pid}: {summary_line(data['summary'][pid])}", width)
    return out


def _narrative_lines(data: dict[str, Any], width: int) -> list[str]:
    """Narrative duties (rules about no shared concept) found on one side only, by meeting; not counted."""
    found = {pid: duties for pid, duties in data.get("narrative", {}).items() if duties}
    if not found:
        return []
    out = ["", clip("narrative duties (not compared):", width)]
    for pid, duties in found.items():
        out.append(clip(f"  {pid} against {data['baseline']['id']}:", width))
        groups: dict[str, list[dict[str, Any]]] = {}
        for duty in duties:
            groups.setdefault(duty["meeting"] or "other duties", []).append(duty)
        for meeting, chosen in sorted(groups.items()):
            out.append(clip(f"    {meeting}", width))
            for duty in chosen:
                out += wrap(f"only in {duty['in']}: {duty['text']}", width, "      ")
    return out


# -- markdown ---------------------------------------------------------------------

def _md(text: str | None) -> str:
    return markdown_text(text or "").replace("|", "\\|").replace("\n", " ")


def render_markdown(data: dict[str, Any]) -> str:
    procs = [p["id"] for p in data["procedures"]]
    base = data["baseline"]["id"]
    lines = [f"## Comparison against {base}", ""]
    for pid in procs:
        lines.append(f"- **{pid}**: {summary_line(data['summary'][pid])}")
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
        return "\n".join(lines + _markdown_narrative(data)) + "\n"
    lines += ["| item | " + " | ".join(procs) + " |", "|---|" + "---|" * len(procs)]
    for row in data["rows"]:
        cells = [row["cells"].get(pid, {}).get("change", "") for pid in procs]
        lines.append(f"| {_md(row_name(row))} (`{row['section']}.{row['item']}`) | "
                     + " | ".join(c if c != "same" else "·" for c in cells) + " |")
    return "\n".join(lines + _markdown_narrative(data)) + "\n"


def _markdown_narrative(data: dict[str, Any]) -> list[str]:
    found = {pid: duties for pid, duties in data.get("narrative", {}).items() if duties}
    if not found:
        return []
    lines = ["", "### Narrative duties (listed, not compared)", ""]
    for pid, duties in found.items():
        lines += [f"#### {pid} against {data['baseline']['id']}", ""]
        for duty in sorted(duties, key=lambda d: d["meeting"] or "~"):
            lines.append(f"- {_md(duty['meeting'] or 'other duties')}: only in {duty['in']}: {_md(duty['text'])}")
        lines.append("")
    return lines
