"""The ``compare`` command: procedures item by item, the N-way matrix, one case in several areas, a CI gate."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

import click

from procedurekit.cli.app import Command, Settings, check_output, emit, require_valid
from procedurekit.errors import UsageError

if TYPE_CHECKING:
    from procedurekit.compare.diff import Matrix
    from procedurekit.host.library import Library

__all__ = ["compare", "CHANGE_NAMES"]

CHANGE_NAMES = ["stricter", "looser", "added", "removed", "changed", "not-comparable", "depends-on-reading", "same"]


def _fail_on(value: str | None) -> set[str]:
    if not value:
        return set()
    wanted = {v.strip() for v in value.split(",") if v.strip()}
    unknown = wanted - set(CHANGE_NAMES)
    if unknown:
        raise click.BadParameter(f"{', '.join(sorted(unknown))}: use one or more of {', '.join(CHANGE_NAMES)}, "
                                 "separated by commas", param_hint="--fail-on")
    return wanted


@click.command(cls=Command)
@click.argument("procedure_ids", nargs=-1, metavar="[ID]...")
@click.option("--baseline", metavar="ID", help="Compare each procedure against this one (the floor report). "
              "Default: the first ID, or what all the IDs extend.")
@click.option("--all", "all_", is_flag=True, help="Every installed procedure: the N-way matrix.")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json", "html"]), default="text",
              show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="Write to a file.")
@click.option("--fail-on", "fail_on", metavar="CLASSES",
              help="Exit 1 if any difference is of these classes, e.g. looser or looser,removed.")
@click.option("--case", "case_file", type=click.Path(exists=True, dir_okay=False),
              help="A case file (TOML or JSON): show the due dates each procedure gives for it.")
@click.option("--show-same", is_flag=True, help="Also list items that are the same.")
@click.option("--topic", type=click.Choice(["timescales", "chairs", "minutes", "quorum", "escalation", "plan"]),
              help="Only the rules of one topic: a table of, say, who chairs what across all areas.")
@click.pass_obj
def compare(settings: Settings, procedure_ids: tuple[str, ...], baseline: str | None, all_: bool, fmt: str,
            output: str | None, fail_on: str | None, case_file: str | None, show_same: bool,
            topic: str | None) -> None:
    """Compare procedures item by item: stricter, looser, added, removed, changed, not-comparable.

    \b
    procedurekit compare england warrington          one procedure against another
    procedurekit compare warrington --baseline england   the national floor report
    procedurekit compare croydon derby-derbyshire warrington   each against the first
    procedurekit compare --all --format html -o report.html     the N-way matrix
    procedurekit compare --all --baseline england --fail-on looser   a CI gate
    procedurekit compare scotland@2021.1 scotland@2023.1   two versions of one procedure
    procedurekit compare warrington drafts/warrington.toml   a draft against the installed version
    """
    from procedurekit.compare.diff import Change, compare_matrix, find_changes

    failing = _fail_on(fail_on)
    check_output(output, [case_file])
    library = settings.library()
    check_output(output, library=library)
    # a procedure file named in place of an id: a draft, compared as ID@draft with what is installed
    procedure_ids = tuple(library.add_draft(arg) if arg.endswith(".toml") and os.path.isfile(arg) else arg
                          for arg in procedure_ids)
    baseline, ids = _choose(library, list(procedure_ids), baseline, all_)
    if case_file:
        emit(_case_report(library, [baseline, *ids], case_file, fmt), output)
        return
    matrix = compare_matrix(library.named(baseline), [library.named(pid) for pid in ids])
    emit(_matrix_report(matrix, fmt, show_same, topic, colour=output is None and sys.stdout.isatty()
                        and not os.environ.get("NO_COLOR")), output)
    if not failing:
        return
    gated = _gated(library, baseline, ids, named=list(procedure_ids))
    left_out = [pid for pid in ids if pid not in gated]
    if left_out:
        click.echo(f"--fail-on: not gated against {baseline}, as they do not extend it: {', '.join(left_out)} "
                   "(name them to include them)", err=True)
    hits = [hit for hit in find_changes(matrix, {Change(c) for c in failing})
            if any(matrix.cell(hit.section, hit.item, pid) is hit for pid in gated)]
    if hits:
        where = sorted({pid for hit in hits for pid in gated if matrix.cell(hit.section, hit.item, pid) is hit})
        click.echo(f"{len(hits)} difference(s) of class {', '.join(sorted(failing))} in {', '.join(where)}", err=True)
        sys.exit(1)


def _gated(library: Library, baseline: str, ids: list[str], named: list[str]) -> list[str]:
    """The procedures ``--fail-on`` looks at: those named, and those that extend *baseline*."""
    def extends(pid: str) -> bool:
        seen: set[str] = set()
        while pid not in seen:
            seen.add(pid)
            parent = library.get(pid).extends
            if parent is None:
                return False
            if parent == baseline:
                return True
            pid = parent
        return False

    return [pid for pid in ids if pid in named or extends(pid)]


def _choose(library: Library, ids: list[str], baseline: str | None, all_: bool) -> tuple[str, list[str]]:
    """The baseline and the procedures compared against it; each must be valid."""
    if all_:
        ids = [pid for pid in library.ids() if pid != baseline]
    for pid in ids + ([baseline] if baseline else []):
        require_valid(library, pid)
    if baseline is None:
        parents = {library.get(pid).extends for pid in ids}
        if all_ or (len(ids) > 2 and len(parents) == 1 and None not in parents):
            baseline = next(iter(parents)) if len(parents) == 1 and None not in parents else "england"
            ids = [pid for pid in ids if pid != baseline]
        elif ids:
            baseline, ids = ids[0], ids[1:]
    if not ids or baseline is None:
        raise UsageError("name at least two procedures, one with --baseline, or use --all")
    return baseline, ids


def _case_report(library: Library, pids: list[str], case_file: str, fmt: str) -> str:
    from procedurekit.cases.files import load_case
    from procedurekit.compare.case_report import case_report
    from procedurekit.compare.reports import case_rows

    return case_report(case_rows({pid: library.answers(pid) for pid in pids}, load_case(case_file)), fmt)


def _matrix_report(matrix: Matrix, fmt: str, show_same: bool, topic: str | None, colour: bool) -> str:
    from procedurekit.compare import reports

    # the HTML report has every row, "same" ones hidden until ticked
    include_same = show_same or fmt in ("json", "html")
    data: dict[str, Any] = reports.matrix_data(matrix, include_same=include_same, topic=topic)
    if fmt == "json":
        from procedurekit import jsontext

        return jsontext.dumps(data, ensure_ascii=False)  # json.dumps(indent=2)'s text, faster
    if fmt == "markdown":
        from procedurekit.compare.text import render_markdown

        return render_markdown(data)
    if fmt == "html":
        from procedurekit.compare.html import render_html

        return render_html(data, show_same=show_same)
    from procedurekit.compare.text import render_text

    from procedurekit.terminal import width

    return render_text(data, colour=colour, width=width())
