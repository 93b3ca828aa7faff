"""The commands for writing procedures: ``fmt``, ``new``, ``schema`` and ``render``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from procedurekit.cli.app import (
    Command, Settings, check_output, echo_diagnostics, emit, get_entry, relative, require_valid,
)
from procedurekit.errors import UsageError

__all__ = ["fmt", "new", "schema", "render"]

@click.command(cls=Command)
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--check", is_flag=True, help="Change nothing; exit 1 if any file is not in canonical form.")
def fmt(files: tuple[str, ...], check: bool) -> None:
    """Rewrite procedure files in canonical form (stable order and spacing), comments kept.

    Only procedure files that load without errors are formatted: a file with
    errors (or one that is not a procedure file) is reported with
    path:line:col and left untouched. Each file is replaced whole, never
    half-written.
    """
    from procedurekit import atomic
    from procedurekit.authoring.formatting import FormatError, canonical
    from procedurekit.diagnostics import Severity
    from procedurekit.loader import load_file

    failed = changed = False
    for name in files:
        loaded = load_file(name)
        errors = [d for d in loaded.diagnostics if d.severity is Severity.ERROR]
        if errors or not loaded.text:
            echo_diagnostics(errors or loaded.diagnostics)
            click.echo(f"{name}: not formatted: fix the errors above first (the file is unchanged)", err=True)
            failed = True
            continue
        try:
            result = canonical(loaded.text)
        except FormatError as exc:
            click.echo(f"{name}: not formatted: {exc}", err=True)
            failed = True
            continue
        if result == loaded.text:
            continue
        changed = True
        if check:
            click.echo(f"would reformat {name}")
            continue
        atomic.write_text(name, result)
        click.echo(f"formatted {name}")
    if failed or (check and changed):
        sys.exit(1)


@click.command(cls=Command)
@click.argument("name")
@click.option("--directory", "-d", type=click.Path(file_okay=False), help="Where to create it (default: ./NAME).")
@click.option("--partnership", help="The partnership's name, for titles and the README.")
@click.option("--baseline", default="england", show_default=True, help="The procedure it extends.")
@click.pass_obj
def new(settings: Settings, name: str, directory: str | None, partnership: str | None, baseline: str) -> None:
    """Create a partnership plugin: pyproject, procedure TOML, README and a scenario test.

    The result validates and its test passes as created:
    pip install -e NAME && procedurekit validate NAME && pytest NAME/tests
    """
    from procedurekit.authoring.scaffold import scaffold

    library = settings.library()
    get_entry(library, baseline)
    if name in library.entries:
        raise UsageError(f'a procedure "{name}" is already installed: choose another name')
    target = Path(directory or name)
    for path in scaffold(name, target, partnership=partnership, baseline=baseline):
        click.echo(f"created {relative(str(path))}")
    click.echo(f"next: pip install -e {relative(str(target))} && procedurekit validate {name}", err=True)


@click.command(cls=Command)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="Write to a file.")
def schema(output: str | None) -> None:
    """Print the JSON Schema of the procedure format (for editors: Taplo, tombi).

    Put `#:schema ./procedure.schema.json` on the first line of a procedure
    file, or map *.toml to the schema in the editor's settings.
    """
    from procedurekit.authoring.schema import procedure_schema

    emit(json.dumps(procedure_schema(), indent=2), output)


@click.command(cls=Command)
@click.argument("procedure_id", metavar="ID")
@click.option("--format", "fmt", type=click.Choice(["markdown", "html"]), default="markdown", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="Write to a file.")
@click.pass_obj
def render(settings: Settings, procedure_id: str, fmt: str, output: str | None) -> None:
    """A readable manual of a procedure: who does what by when, with its sources as footnotes."""
    from procedurekit.authoring import render as manual

    library = settings.library()
    check_output(output, library=library)
    entry = require_valid(library, procedure_id)
    renderer = manual.render_html if fmt == "html" else manual.render_markdown
    emit(renderer(library.get(procedure_id), relative(entry.path)), output)


@click.command(cls=Command)
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
@click.option("--extends", "baseline", default="england", show_default=True, metavar="ID",
              help="The baseline the draft builds on; its meeting names are recognised in the text.")
@click.option("--name", help="The procedure id (default: from the file's name).")
@click.option("--output", "-o", "directory", type=click.Path(file_okay=False), help="The plugin folder to write "
              "(default: the id).")
@click.option("--compare", "compare_with", metavar="ID", help="Also show how the draft's rules differ from "
              "those of an installed procedure (e.g. the plugin made from an earlier version of the text).")
@click.pass_obj
def draft(settings: Settings, source: str, baseline: str, name: str | None, directory: str | None,
          compare_with: str | None) -> None:
    """Propose a plugin from a procedure's text: a rule for every statement it can read.

    SOURCE is the procedure's text, plain or as HTML saved from its web page.
    It proposes timed duties, who chairs and minutes each meeting, quorums,
    who receives the minutes and the plan, and escalation routes in order.
    Each proposed rule quotes its statement and is marked draft = true (a
    warning until a person checks it); the statements not turned into rules
    go to coverage.toml with the reason (docs/draft.md).
    """
    import re
    import unicodedata

    from procedurekit.authoring.draftplugin import SourceError, read_source, write_draft
    from procedurekit.loader import is_id

    library = settings.library()
    for option, pid in (("--extends", baseline), ("--compare", compare_with)):
        try:
            if pid is not None:
                get_entry(library, pid)
        except UsageError as exc:
            raise UsageError(f"{option}: {exc}") from None
    base = library.get(baseline)
    stem = unicodedata.normalize("NFKD", Path(source).stem).encode("ascii", "ignore").decode()  # "über" -> "uber"
    pid = name if name is not None else re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
    if not is_id(pid) or not pid[:1].isalpha():
        raise UsageError(f'"{pid}" is not a procedure id: give one with --name, e.g. --name goodshire')
    if pid == baseline:
        raise UsageError(f'"{pid}" is the procedure the draft extends: give the draft its own id with --name')
    if pid in library.entries:  # loaded beside the installed one, it would be a second version of it
        raise UsageError(f'a procedure "{pid}" is installed: give the draft its own id with --name'
                         + (f" (--compare {compare_with} still compares them)" if compare_with else ""))
    try:
        text = read_source(Path(source))
    except SourceError as exc:
        raise UsageError(str(exc)) from None
    target = Path(directory or pid)
    written, proposals, found, unparsed = write_draft(Path(source), text, pid, target, baseline=base)
    for path in written:
        click.echo(f"created {relative(str(path))}")
    if not (proposals or found.arrangements or found.escalations):
        click.echo("warning: no rule was proposed: no statement of the text says must, should, will or may with "
                   "something the draft can read (docs/draft.md)", err=True)
    click.echo(f"proposed: {_count(proposals, 'timed rule')}, {_count(found.arrangements, 'rule')} of who chairs, "
               f"minutes, makes a quorum or receives documents, {_count(found.escalations, 'escalation route')} and "
               f"{_count(found.roles, 'new role')}; {_count(unparsed, 'statement')} left in coverage.toml; next: "
               f"procedurekit --plugin-dir {relative(str(target))} validate {pid}", err=True)
    if compare_with:
        from procedurekit.authoring.arrangements import review_arrangements
        from procedurekit.authoring.draftreview import review

        theirs = library.entries[compare_with].written
        click.echo("\n" + review(proposals, theirs) + "\n" + review_arrangements(found, theirs), nl=False)


def _count(items: object, noun: str) -> str:
    n = len(items)  # type: ignore[arg-type]
    return f"{n} {noun}{'' if n == 1 else 's'}"
