"""Text for a terminal of a given width: cells cut with "…", tables that never run past the edge."""

from __future__ import annotations

import textwrap

__all__ = ["clip", "fit_table", "wrap", "width"]

#: the width when the output is not a terminal (a pipe, a file, a CI log), unless COLUMNS says otherwise
UNATTENDED_WIDTH = 100


def width() -> int:
    """The terminal's width in columns: COLUMNS, else the terminal's own, else :data:`UNATTENDED_WIDTH`."""
    import shutil

    return shutil.get_terminal_size((UNATTENDED_WIDTH, 24)).columns


def clip(text: str, width: int) -> str:
    """*text* in at most *width* characters, cut with "…" when longer."""
    if width <= 0:
        return ""
    return text if len(text) <= width else text[:width - 1] + "…"


def wrap(text: str, width: int, indent: str = "", more: str = "  ") -> list[str]:
    """*text* as lines of at most *width*, the first indented by *indent*, the rest by *indent* + *more*."""
    width = max(width, len(indent + more) + 10)
    return textwrap.wrap(text, width=width, initial_indent=indent, subsequent_indent=indent + more,
                         break_on_hyphens=False) or [indent.rstrip()]


def fit_table(headers: list[str], rows: list[list[str]], width: int, gap: int = 2, keep: int = 1) -> str:
    """A left-aligned table no wider than *width*: the widest columns give way first, cut with "…";
    the first *keep* columns (the ids) are never cut."""
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]
    while sum(widths) + gap * (len(widths) - 1) > width and max(widths[keep:], default=0) > 4:
        widest = widths.index(max(widths[keep:]), keep)
        widths[widest] -= 1
    lines = [(" " * gap).join(clip(h.upper(), w).ljust(w) for h, w in zip(headers, widths)).rstrip()]
    lines += [(" " * gap).join(clip(c, w).ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    return "\n".join(lines)
