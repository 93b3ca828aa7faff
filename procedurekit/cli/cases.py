"""The commands about cases: ``schedule`` (one case) and ``audit`` (many cases from a CSV or a CIN census)."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, TextIO

import click

from procedurekit.cli.app import (
    Command, Settings, check_output, echo_diagnostics, emit, parse_today, require_valid,
)
from procedurekit.errors import UsageError

if TYPE_CHECKING:
    from procedurekit.cases.audit import AuditResult
    from procedurekit.cases.engine import Plan
    from procedurekit.diagnostics import Diagnostic
    from procedurekit.host.library import Library
    from procedurekit.model import Case

__all__ = ["schedule", "audit"]

TODAY_HELP = "The date to judge 'due' and 'overdue' against (default: today), YYYY-MM-DD."


@click.command(cls=Command)
@click.argument("procedure_id", metavar="PROCEDURE")
@click.argument("case_file", metavar="CASE", type=click.Path(exists=True, dir_okay=False))
@click.option("--today", help=TODAY_HELP)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv", "ics", "svg", "html"]), default="text",
              show_default=True, help="svg: a picture of the case's events and each duty's window, from the "
              "event it counts from to its due date, coloured and labelled by status; html: a page with the picture "
              "and the tables of duties and next meetings.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="Write to a file.")
@click.pass_obj
def schedule(settings: Settings, procedure_id: str, case_file: str, today: str | None, fmt: str,
             output: str | None) -> None:
    """What is due in a case, by whom, and is anything late.

    CASE is a TOML or JSON case file (docs/engine.md). Every obligation
    instance is listed with its due date and status; then the next meeting of
    each kind, with who chairs it.
    """
    from procedurekit.cases.files import load_case
    from procedurekit.cases.output import schedule_output

    check_output(output, [case_file])
    library = settings.library()
    check_output(output, library=library)
    require_valid(library, procedure_id)
    case = load_case(case_file)
    _check_events(library, procedure_id, case, case_file)
    result = library.schedule(procedure_id, case, parse_today(today))
    text = schedule_output(result, library.get(procedure_id), fmt, case)
    emit(text, output, newline="" if fmt == "ics" else None)


def _check_events(library: Library, pid: str, case: Case, case_file: str) -> None:
    """Every event and setting of *case* must be one procedure *pid* knows; otherwise located input errors."""
    from procedurekit.cases.files import locate
    from procedurekit.diagnostics import Diagnostic, ProcedureError

    events = library.case_events(pid)
    problems = [Diagnostic("undefined-reference", f'unknown event "{e.event}" for {pid}; known events: '
                           f"{', '.join(sorted(events))}", case_file, *locate(case_file, ("events", i, "event")))
                for i, e in enumerate(case.events) if e.event not in events]
    obligations = library.get(pid).obligations
    problems += [Diagnostic("undefined-reference", f'setting "{key}" is not an obligation of {pid}: settings '
                            "give the timescale of an obligation set per case", case_file,
                            *locate(case_file, ("settings", key)))
                 for key in case.settings if key not in obligations]
    if problems:
        raise ProcedureError(problems)


@click.command(cls=Command)
@click.argument("procedure_id", metavar="PROCEDURE")
@click.argument("cases_file", metavar="CASES", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.option("--today", help=TODAY_HELP)
@click.option("--format", "fmt", type=click.Choice(["text", "csv", "json"]), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="Write to a file.")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=1, show_default=True,
              help="Processes to audit with (0: every core); the output is the same for any number.")
@click.option("--quiet", "-q", is_flag=True, help="No progress line on a terminal.")
@click.option("--engine", type=click.Choice(["columnar", "per-case"]), default="columnar", show_default=True,
              help="Evaluate cases over arrays, or one at a time (the reference; slower, same output).")
@click.option("--episodes", "episodes_file", type=click.Path(dir_okay=False, writable=True),
              help="A census: also write one row per child's episode (dates, audited or why not, the national "
              "measures) to this file, CSV, or JSON if it ends in .json.")
@click.option("--partial", is_flag=True, help="A census file cut short or broken: audit the children read "
              "before the error (otherwise nothing is audited).")
@click.pass_obj
def audit(settings: Settings, procedure_id: str, cases_file: str, today: str | None, fmt: str,
          output: str | None, jobs: int, quiet: bool, engine: str, episodes_file: str | None, partial: bool) -> None:
    """Audit many cases, from a CSV or a CIN census XML file: every obligation instance and compliance rates.

    CASES is a CSV with the columns case_id,event,date, then optional condition
    columns (docs/engine.md), each case's rows together; - reads it from
    standard input. Or it is a DfE children-in-need census XML file (recognised
    by its content; docs/cin-census.md): each child's episodes are audited, with
    the national indicators beside the procedure's own figures. Bad rows or
    records are reported with their line numbers and the rest are audited; the
    exit status is 1 if any was rejected.
    """
    check_output(output, [cases_file] if cases_file != "-" else [])
    check_output(episodes_file, [cases_file] if cases_file != "-" else [])
    with contextlib.ExitStack() as cleanup:
        shown = cases_file
        if cases_file == "-":
            cases_file, shown = cleanup.enter_context(_spooled_stdin()), "<stdin>"
        census = _census(settings, procedure_id, cases_file, partial, cleanup, every_difference=fmt == "json",
                         episodes_file=episodes_file)
        if episodes_file and census is None:
            raise UsageError("--episodes is for a CIN census file; this is a CSV of cases")
        _audit(settings, procedure_id, cases_file if census is None else census.csv, today, fmt, output, jobs,
               quiet, shown, engine, census)


@contextlib.contextmanager
def _spooled_stdin() -> Iterator[str]:
    """Standard input in a temporary file: the audit reads its input twice (a check, then the cases)."""
    import shutil
    import tempfile

    with tempfile.TemporaryDirectory(prefix="procedurekit-") as folder:
        path = os.path.join(folder, "cases.csv")
        with open(path, "wb") as spool:
            shutil.copyfileobj(sys.stdin.buffer, spool)
        yield path


class _Census:
    """A census file read into a temporary CSV for the audit: the plan cut to what it can evidence, and
    what the census itself says."""

    def __init__(self, csv: str, plan: Plan, data: dict[str, Any], rejected: list[Diagnostic]):
        self.csv, self.plan, self.data, self.rejected = csv, plan, data, rejected


def _census(settings: Settings, procedure_id: str, cases_file: str, partial: bool,
            cleanup: contextlib.ExitStack, every_difference: bool, episodes_file: str | None) -> _Census | None:
    """The census in *cases_file* read into a temporary CSV, or None when it is not a census."""
    import tempfile

    from procedurekit import atomic
    from procedurekit.cases import census
    from procedurekit.cases.census_report import EpisodeWriter, census_data, census_plan

    if not census.is_census(cases_file):
        return None
    library = settings.library()
    require_valid(library, procedure_id)
    plan, left_out = census_plan(library.plan(procedure_id))
    folder = cleanup.enter_context(tempfile.TemporaryDirectory(prefix="procedurekit-"))
    path = os.path.join(folder, "census.csv")

    with contextlib.ExitStack() as files:
        out = files.enter_context(open(path, "w", encoding="utf-8", newline=""))
        episodes = None
        if episodes_file:
            stream = files.enter_context(atomic.replacing(episodes_file, newline=""))
            episodes = EpisodeWriter(stream, episodes_file.endswith(".json"))
        report = census.read_census(cases_file, out, plan, partial=partial, episodes=episodes)
        if episodes is not None:
            episodes.finish()
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    data = census_data(report, left_out, every_difference=every_difference)
    report.close()
    data["rejected"] = [d.to_dict() for d in report.rejected]
    return _Census(path, plan, data, report.rejected)


def _audit(settings: Settings, procedure_id: str, cases_file: str, today: str | None, fmt: str,
           output: str | None, jobs: int, quiet: bool, shown: str, engine: str, census: _Census | None = None
           ) -> None:
    from procedurekit import atomic
    from procedurekit.cases import output as write
    from procedurekit.cases.audit import AuditResult, summary_rows
    from procedurekit.cases.batch import audit_chunks

    library = settings.library()
    check_output(output, library=library)
    require_valid(library, procedure_id)
    # a census is judged on its own reference date unless --today says otherwise
    reference = census.data["reference_date"] if census is not None else None
    day = parse_today(today if today or not reference else reference)
    # each duty judged under the version in force when it arose (docs/versions.md)
    plan = library.audit_plan(procedure_id, day)
    if census is not None:
        from procedurekit.cases.census_report import census_plan

        plan = census_plan(plan)[0]
    result = AuditResult()
    progress = None if quiet or not sys.stderr.isatty() else _Progress()
    chunks = audit_chunks(plan, cases_file, day, result, jobs=jobs, output=fmt if fmt != "text" else None,
                          progress=progress, engine=engine)

    def write_out(stream: TextIO) -> None:
        # chunk by chunk in every format: a large audit is never held in memory
        if fmt == "csv":
            write.write_audit_csv(stream, chunks)
        elif fmt == "json":
            write.write_audit_json(stream, procedure_id, day, chunks, result,
                                   lambda: list(summary_rows(plan, result)),
                                   (lambda: {"census": census.data}) if census else None)
        else:
            for _ in chunks:
                pass
            stream.write(write.audit_text(procedure_id, result, list(summary_rows(plan, result))) + "\n")
            if census is not None:
                from procedurekit.cases.census_report import census_text

                stream.write(census_text(census.data) + "\n")

    if output:
        with atomic.replacing(output, newline="") as stream:
            write_out(stream)
    else:
        write_out(sys.stdout)
    if progress:
        progress.done()
    _finish(result, census, cases_file, shown)


def _finish(result: AuditResult, census: _Census | None, cases_file: str, shown: str) -> None:
    """Report what was read, used and rejected on stderr; exit 1 if anything was rejected."""
    if shown != cases_file:  # read from standard input: say so, not the temporary file's name
        import attrs

        result.rejected = [attrs.evolve(d, path=shown) if d.path == cases_file else d for d in result.rejected]
    if census is not None:
        result.rejected = census.rejected + result.rejected
        children, episodes = census.data["children"], census.data["episodes"]
        click.echo(f"{children['read']} children read: {children['audited']} audited, {children['rejected']} "
                   f"rejected; {episodes['read']} episodes read: {episodes['audited']} audited, "
                   f"{episodes['rejected']} rejected", err=True)
    echo_diagnostics(result.rejected)
    if census is not None:
        if result.rejected:
            sys.exit(1)
        return
    click.echo(f"{result.rows_read} rows read: {result.rows_used} used, {result.rows_read - result.rows_used} "
               f"rejected; {result.cases - result.not_audited} cases audited"
               + (f", {result.not_audited} not (dates outside the calendar)" if result.not_audited else ""),
               err=True)
    if result.rejected:
        sys.exit(1)


class _Progress:
    """Cases done, the rate and the time left, on one line of a terminal's stderr."""

    def __init__(self) -> None:
        import time

        self.clock = time.monotonic
        self.start = self.clock()

    def __call__(self, done: int, total: int) -> None:
        elapsed = max(self.clock() - self.start, 1e-9)
        rate = done / elapsed
        left = f", about {(total - done) / rate:,.0f} s left" if total and rate else ""
        click.echo(f"\r{done:,}{f' of {total:,}' if total else ''} cases, {rate:,.0f} a second{left}   ",
                   err=True, nl=False)

    def done(self) -> None:
        click.echo("", err=True)

