"""A procedure's history: its versions with their dates, and what changed from each to the next."""

from __future__ import annotations

from typing import Any

from procedurekit import model
from procedurekit.compare.diff import Change, Matrix, compare_matrix, find_changes

__all__ = ["history_steps", "history_data", "history_text", "steps_with"]


def history_steps(versions: list[model.Procedure]) -> list[tuple[str, str, Matrix]]:
    """Each version and the next, as ``(earlier id, later id, comparison)``; *versions* earliest first, each
    named apart (``scotland@2021.1``)."""
    return [(a.id, b.id, compare_matrix(a, [b])) for a, b in zip(versions, versions[1:])]


def history_data(pid: str, versions: list[dict[str, Any]], steps: list[tuple[str, str, Matrix]]) -> dict[str, Any]:
    """The JSON form of ``procedurekit history``: *versions* (a dict each: version, dates, file), then each
    step's classed differences in the form ``compare --format json`` gives them."""
    from procedurekit.compare.reports import matrix_data

    return {"id": pid, "versions": versions, "format_version": 1,
            "steps": [{"from": a, "to": b, **matrix_data(matrix, include_same=False)} for a, b, matrix in steps]}


def steps_with(steps: list[tuple[str, str, Matrix]], classes: set[str]) -> list[tuple[str, str, int]]:
    """The steps with differences of *classes* (``--fail-on``): ``(earlier, later, how many)``."""
    wanted = {Change(c) for c in classes}
    return [(a, b, len(hits)) for a, b, matrix in steps if (hits := find_changes(matrix, wanted))]


def history_text(data: dict[str, Any], *, width: int = 100, colour: bool = False) -> str:
    """``procedurekit history`` as text: the versions in a table, then each step as ``compare`` shows it."""
    from procedurekit.compare.text import render_text

    out = [f"{data['id']}: {len(data['versions'])} version(s)", ""]
    for row in data["versions"]:
        dates = f"from {row['effective_from'] or 'the start'}" + (f" to {row['effective_to']}"
                                                                   if row["effective_to"] else "")
        out.append(f"  {row['version'] or '(no version)':<12} {dates:<32} {row['file']}")
        out += [f"      {key}: {why}" for key, why in row["changes"].items()]
    if not data["steps"]:
        out += ["", "One version: nothing to compare."]
    for step in data["steps"]:
        out += ["", f"== {step['from']} -> {step['to']} ==", render_text(step, colour=colour, width=width)]
    return "\n".join(out).rstrip() + "\n"
