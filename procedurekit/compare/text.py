"""Comparison reports for the terminal (text) and for documents (Markdown)."""

from __future__ import annotations

import textwrap
from typing import Any

from procedurekit import describe
from procedurekit.compare.reports import summary_line
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
    return textwrap.wrap(text, width=width, initial_indent=indent, subsequent_indent=indent + "  ") or [indent]


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
        out += textwrap.wrap(f"{base} -> {pid}: {summary_line(data['summary'][pid])}", width=width,
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
    out.append("  ".join(f"{pid}: {summary_line(data['summary'][pid])}" for pid in procs))
    return "\n".join(out)


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
        return "\n".join(lines) + "\n"
    lines += ["| item | " + " | ".join(procs) + " |", "|---|" + "---|" * len(procs)]
    for row in data["rows"]:
        cells = [row["cells"].get(pid, {}).get("change", "") for pid in procs]
        lines.append(f"| `{row['section']}.{row['item']}` | " + " | ".join(c if c != "same" else "·" for c in cells)
                     + " |")
    return "\n".join(lines) + "\n"
