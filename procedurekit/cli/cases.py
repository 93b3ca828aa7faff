"""The commands about cases: ``schedule`` (one case) and ``audit`` (many cases from a CSV)."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, TextIO

import click

from procedurekit.cli.app import (
    Command, Settings, check_output, echo_diagnostics, emit, parse_today, require_valid,
)

if TYPE_CHECKING:
    from procedurekit.host.library import Library
    from procedurekit.model import Case

__all__ = ["schedule", "audit"]

TODAY_HELP = "The date to judge 'due' and 'overdue' against (default: today), YYYY-MM-DD."


@click.command(cls=Command)
@click.argument("procedure_id", metavar="PROCEDURE")
@click.argument("case_file", metavar="CASE", type=click.Path(exists=True, dir_okay=False))
@click.option("--today", help=TODAY_HELP)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv", "ics", "svg", "html"]), default="text",
              show_default=True, help="svg: a picture of the case's events and each duty's window; html: the "
              "picture and a table of duties.")
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

    events = library.plan(pid).events
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
@click.argument("cases_file", metavar="CASES.csv", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.option("--today", help=TODAY_HELP)
@click.option("--format", "fmt", type=click.Choice(["text", "csv", "json"]), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="Write to a file.")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=1, show_default=True,
              help="Processes to audit with (0: every core); the output is the same for any number.")
@click.option("--quiet", "-q", is_flag=True, help="No progress line on a terminal.")
@click.option("--engine", type=click.Choice(["columnar", "per-case"]), default="columnar", show_default=True,
              help="Evaluate cases over arrays, or one at a time (the reference; slower, same output).")
@click.pass_obj
def audit(settings: Settings, procedure_id: str, cases_file: str, today: str | None, fmt: str,
          output: str | None, jobs: int, quiet: bool, engine: str) -> None:
    """Audit many cases from a CSV: every obligation instance and compliance rates.

    CASES.csv has the columns case_id,event,date, then optional condition
    columns (docs/engine.md), each case's rows together; - reads it from
    standard input. Bad rows are reported with their line numbers and the rest
    are audited; the exit status is 1 if any row was rejected.
    """
    check_output(output, [cases_file] if cases_file != "-" else [])
    with contextlib.ExitStack() as cleanup:
        shown = cases_file
        if cases_file == "-":
            cases_file, shown = cleanup.enter_context(_spooled_stdin()), "<stdin>"
        _audit(settings, procedure_id, cases_file, today, fmt, output, jobs, quiet, shown, engine)


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


def _audit(settings: Settings, procedure_id: str, cases_file: str, today: str | None, fmt: str,
           output: str | None, jobs: int, quiet: bool, shown: str, engine: str) -> None:
    from procedurekit import atomic
    from procedurekit.cases import output as write
    from procedurekit.cases.audit import AuditResult, summary_rows
    from procedurekit.cases.batch import audit_chunks

    library = settings.library()
    check_output(output, library=library)
    require_valid(library, procedure_id)
    plan = library.plan(procedure_id)
    day = parse_today(today)
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
                                   lambda: list(summary_rows(plan, result)))
        else:
            for _ in chunks:
                pass
            stream.write(write.audit_text(procedure_id, result, list(summary_rows(plan, result))) + "\n")

    if output:
        with atomic.replacing(output, newline="") as stream:
            write_out(stream)
    else:
        write_out(sys.stdout)
    if progress:
        progress.done()
    if shown != cases_file:  # read from standard input: say so, not the temporary file's name
        import attrs

        result.rejected = [attrs.evolve(d, path=shown) if d.path == cases_file else d for d in result.rejected]
    echo_diagnostics(result.rejected)
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

