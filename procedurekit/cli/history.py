"""The ``history`` command: a procedure's versions and what each revision tightened or loosened."""

from __future__ import annotations

import os
import sys

import click

from procedurekit.cli.app import Command, Settings, check_output, emit, relative, require_valid
from procedurekit.cli.compare import _fail_on

__all__ = ["history"]


@click.command(cls=Command)
@click.argument("procedure_id", metavar="ID")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="Write to a file.")
@click.option("--fail-on", "fail_on", metavar="CLASSES",
              help="Exit 1 if any revision made a difference of these classes, e.g. looser or looser,removed.")
@click.pass_obj
def history(settings: Settings, procedure_id: str, fmt: str, output: str | None, fail_on: str | None) -> None:
    """List every version of procedure ID with its dates and, from each to the next, the differences
    classed stricter, looser, added, removed or changed, by concept, with their sources.

    \b
    procedurekit history scotland                       what each revision changed
    procedurekit history scotland --fail-on looser      exit 1 if any revision loosened a rule
    procedurekit compare scotland@2021.1 scotland@2023.1   two versions side by side
    """
    from procedurekit.compare.history import history_text, steps_with
    from procedurekit.terminal import width

    failing = _fail_on(fail_on)
    library = settings.library()
    check_output(output, library=library)
    require_valid(library, procedure_id)
    data, steps = library.history(library.entry(procedure_id).id)
    for row in data["versions"]:
        row["file"] = relative(row["file"])
    if fmt == "json":
        from procedurekit import jsontext

        emit(jsontext.dumps(data, ensure_ascii=False), output)
    else:
        emit(history_text(data, width=width(), colour=output is None and sys.stdout.isatty()
                          and not os.environ.get("NO_COLOR")), output)
    hits = steps_with(steps, failing) if failing else []
    for earlier, later, count in hits:
        click.echo(f"{count} difference(s) of class {', '.join(sorted(failing))} from {earlier} to {later}", err=True)
    if hits:
        sys.exit(1)

