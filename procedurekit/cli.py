"""The ``procedurekit`` command: a thin layer over :class:`procedurekit.library.Library`.

Exit codes: 0 success; 1 the procedures (or plugins) have problems; 2 the
command was used wrongly (unknown option, unknown procedure id).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from procedurekit import __version__

if TYPE_CHECKING:
    from procedurekit.diagnostics import Diagnostic
    from procedurekit.host.library import Library

FORMATS = click.Choice(["text", "json"])


class Settings:
    """Options of the top-level command, passed to subcommands."""

    def __init__(self, plugin_dirs: tuple[str, ...], disable: tuple[str, ...], entry_points: bool):
        self.plugin_dirs = plugin_dirs
        self.disable = disable
        self.entry_points = entry_points

    def library(self, overrides: list[Path] | None = None) -> Library:
        from procedurekit.host.library import Library

        return Library.load(plugin_dirs=self.plugin_dirs, overrides=overrides or (),
                            entry_points=self.entry_points, disable=self.disable)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="procedurekit", message="%(prog)s %(version)s")
@click.option("--plugin-dir", "plugin_dirs", multiple=True, type=click.Path(file_okay=False),
              metavar="DIR", help="Folder of procedure TOML files to load as a plugin (repeatable; "
              "PROCEDUREKIT_PLUGIN_PATH adds more).")
@click.option("--disable", "disable", multiple=True, metavar="PLUGIN",
              help="Leave out a plugin by name (repeatable).")
@click.option("--no-entry-points", is_flag=True, help="Do not load installed plugins.")
@click.pass_context
def cli(ctx: click.Context, plugin_dirs: tuple[str, ...], disable: tuple[str, ...], no_entry_points: bool) -> None:
    """Local child-protection procedures as validated, comparable code."""
    ctx.obj = Settings(plugin_dirs, disable, not no_entry_points)


def _relative(path: str) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return path


def _echo_diagnostics(diagnostics: list[Diagnostic], *, err: bool = True) -> None:
    for d in diagnostics:
        text = str(d)
        if d.path:
            text = text.replace(d.path, _relative(d.path), 1)
        click.echo(text, err=err)


def _plugin_problems(library: Library) -> list[Diagnostic]:
    return [d for d in library.diagnostics if d.procedure is None]


def _get(library: Library, pid: str):
    from procedurekit.diagnostics import ProcedureError

    try:
        return library.entry(pid)
    except ProcedureError as exc:
        if pid in library.failed:
            _echo_diagnostics(list(exc.diagnostics))
            raise SystemExit(1) from None
        raise click.UsageError(exc.diagnostics[0].message) from None


@cli.command("list")
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
@click.pass_obj
def list_command(settings: Settings, fmt: str) -> None:
    """List the procedures available: id, partnership, version, plugin and file."""
    library = settings.library()
    rows = []
    for pid in library.ids():
        entry = library.entries[pid]
        proc = entry.written
        rows.append({
            "id": pid,
            "title": proc.title,
            "partnership": proc.partnership or ("national baseline" if proc.baseline else ""),
            "version": proc.version or "",
            "extends": proc.extends or "",
            "plugin": entry.plugin,
            "file": _relative(entry.path),
            "valid": not library.errors(pid),
        })
    for pid, pf in sorted(library.failed.items()):
        rows.append({"id": pid, "title": "", "partnership": "", "version": "", "extends": "",
                     "plugin": pf.plugin or "", "file": _relative(pf.path), "valid": False})
    rows.sort(key=lambda r: r["id"])
    problems = _plugin_problems(library)
    if fmt == "json":
        click.echo(json.dumps({"procedures": rows, "problems": [d.to_dict() for d in problems]}, indent=2))
    else:
        headers = ["id", "partnership", "version", "extends", "plugin", "file"]
        table = [[r[h] + ("" if h != "id" or r["valid"] else " (invalid)") for h in headers] for r in rows]
        click.echo(_table(headers, table))
        _echo_diagnostics(problems)
        if any(not r["valid"] for r in rows):
            click.echo("procedurekit validate ID shows what is wrong with an invalid procedure", err=True)
    if problems or any(not r["valid"] for r in rows):
        sys.exit(1)


def _table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    lines = ["  ".join(h.upper().ljust(w) for h, w in zip(headers, widths)).rstrip()]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    return "\n".join(lines)


@cli.command()
@click.argument("procedure_id", metavar="ID")
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
@click.pass_obj
def show(settings: Settings, procedure_id: str, fmt: str) -> None:
    """Show a procedure as resolved (with what it extends), every item with its source."""
    library = settings.library()
    entry = _get(library, procedure_id)
    errors = library.errors(procedure_id)
    if entry.resolved is None:
        _echo_diagnostics(errors)
        raise SystemExit(1)
    if fmt == "json":
        click.echo(json.dumps(procedure_json(library, procedure_id), indent=2, ensure_ascii=False))
    else:
        click.echo(procedure_text(library, procedure_id))
    if errors:
        _echo_diagnostics(errors)
        sys.exit(1)


def procedure_json(library: Library, pid: str) -> dict[str, Any]:
    """The JSON form of a resolved procedure (documented in docs/json.md)."""
    from procedurekit.loader import unstructure

    entry = library.entries[pid]
    data = unstructure(entry.resolved)
    data["plugin"] = entry.plugin
    data["file"] = entry.path
    data["format_version"] = 1
    return data


def procedure_text(library: Library, pid: str) -> str:
    from procedurekit import describe, model

    entry = library.entries[pid]
    proc = entry.resolved
    assert proc is not None
    out = [f"{proc.id}: {proc.title}"]
    facts = [("partnership", proc.partnership), ("extends", proc.extends), ("calendar", proc.calendar),
             ("version", proc.version), ("effective", proc.effective and proc.effective.isoformat()),
             ("plugin", entry.plugin), ("file", _relative(entry.path))]
    out += [f"  {k}: {v}" for k, v in facts if v]
    for section in model.SECTIONS:
        items = proc.section(section)
        if not items:
            continue
        out.append("")
        out.append(section.capitalize())
        for item_id, item in items.items():
            origin = proc.origins.get(f"{section}.{item_id}", proc.id)
            strength = getattr(item, "strength", None)
            label = f"  {item_id}" + (f" [{strength.value}]" if strength else "")
            if origin != proc.id:
                label += f" (from {origin})"
            out.append(label)
            out.append(f"    {describe.item(proc, section, item)}")
            for note in ("interpretation", "note"):
                if getattr(item, note, None):
                    out.append(f"    {note}: {getattr(item, note)}")
            for src in getattr(item, "source", ()):
                out.append(f"    source: {describe.source(src)}")
            if isinstance(item, model.Meeting):
                out += _meeting_rule_sources(item)
    return "\n".join(out)


def _meeting_rule_sources(meeting) -> list[str]:
    from procedurekit import describe

    lines = []
    rules = [("minutes", meeting.minutes), ("quorum", meeting.quorum)]
    if meeting.chair:
        rules += [(f"chair.{w}", getattr(meeting.chair, w)) for w in ("first", "subsequent", "each", "fallback")]
    for name, rule in rules:
        if rule is None:
            continue
        for note in ("interpretation", "note"):
            if getattr(rule, note, None):
                lines.append(f"    {name} {note}: {getattr(rule, note)}")
        for src in rule.source:
            lines.append(f"    {name} source: {describe.source(src)}")
    return lines


@cli.command()
@click.argument("targets", nargs=-1, metavar="[ID|DIR|FILE]...")
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
@click.option("--strict", is_flag=True, help="Fail on warnings too (e.g. relaxes-floor).")
@click.pass_obj
def validate(settings: Settings, targets: tuple[str, ...], fmt: str, strict: bool) -> None:
    """Check procedures: syntax, keys, types, durations, references, extends.

    With no arguments, checks every procedure available. Files and folders
    given are checked in place of installed procedures with the same id.
    Problems print as path:line:col: code: message. Exit status 0 when all
    is well, 1 when there are errors (or, with --strict, warnings).
    """
    from procedurekit.host.plugins import directory_files

    ids: list[str] = []
    overrides: list[Path] = []
    installed = None
    for target in targets:
        path = Path(target)
        looks_like_path = path.suffix == ".toml" or os.sep in target or (os.altsep or os.sep) in target
        if not looks_like_path and path.is_dir():
            # a bare name is a procedure id if one is installed, else a folder
            installed = installed if installed is not None else settings.library()
            looks_like_path = target not in installed.entries and target not in installed.failed
        if looks_like_path:
            if not path.exists():
                raise click.UsageError(f"{target}: no such file or folder")
            if path.is_dir() and not directory_files(path):
                raise click.UsageError(f"{target}: no procedure files in this folder (its *.toml files, or "
                                       "for a plugin project the *.toml files in its package's procedures/)")
            overrides.append(path)
        else:
            ids.append(target)
    # the library loaded to tell ids from folders serves as is when no files are given
    library = installed if installed is not None and not overrides else settings.library(overrides)
    for pid in ids:
        if pid not in library.failed:
            _get(library, pid)
    if targets:
        selected = set(ids)
        override_paths = set()
        for path in overrides:
            override_paths.update(p.resolve() for p in (directory_files(path) if path.is_dir() else [path]))
        selected |= {pid for pid, e in library.entries.items() if Path(e.path).resolve() in override_paths}
        selected |= {pid for pid, f in library.failed.items() if Path(f.path).resolve() in override_paths}
        diagnostics = [d for d in library.diagnostics
                       if d.procedure in selected
                       or (d.procedure is None and d.path and Path(d.path).resolve() in override_paths)]
        notes = [d for d in _plugin_problems(library) if d not in diagnostics and not d.path]
    else:
        selected = set(library.ids()) | set(library.failed)
        diagnostics = list(library.diagnostics)
        notes = []
    from procedurekit.diagnostics import Severity

    error_count = sum(d.severity is Severity.ERROR for d in diagnostics)
    warning_count = len(diagnostics) - error_count
    failed = bool(error_count or (strict and warning_count))
    if fmt == "json":
        click.echo(json.dumps({
            "ok": not failed,
            "procedures": sorted(selected),
            "errors": error_count,
            "warnings": warning_count,
            "diagnostics": [d.to_dict() for d in diagnostics],
        }, indent=2))
    else:
        _echo_diagnostics(diagnostics, err=False)
        word = "procedure" if len(selected) == 1 else "procedures"
        counts = [f"{n} {label}{'s' if n != 1 else ''}" for n, label in
                  ((error_count, "error"), (warning_count, "warning")) if n]
        click.echo(f"{len(selected)} {word} checked: {', '.join(counts) or 'no problems'}")
    _echo_diagnostics(notes)
    sys.exit(1 if failed else 0)


# -- authoring: fmt, schema ---------------------------------------------------

@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--check", is_flag=True, help="Change nothing; exit 1 if any file is not in canonical form.")
@click.option("--drop-comments", is_flag=True, help="Format files that have comments (comments cannot be kept).")
def fmt(files: tuple[str, ...], check: bool, drop_comments: bool) -> None:
    """Rewrite procedure files in canonical form (stable key order).

    Comments cannot be kept: a file with comments is reported and left alone
    unless --drop-comments is given. Invalid files are reported with
    path:line:col and left alone.
    """
    from procedurekit.authoring.formatting import canonical, has_comments
    from procedurekit.loader import load_file

    failed = changed = False
    for name in files:
        loaded = load_file(name)
        if not loaded.text or any(d.code in ("toml-syntax", "encoding", "too-deep", "file-too-large", "unreadable")
                                  for d in loaded.diagnostics):
            _echo_diagnostics(loaded.diagnostics)
            failed = True
            continue
        text = loaded.text
        result = canonical(text)
        if result == text:
            continue
        changed = True
        if check:
            click.echo(f"would reformat {name}")
            continue
        if has_comments(text) and not drop_comments:
            click.echo(f"{name}: not formatted: it has comments, which fmt cannot keep (it writes the data, not "
                       "the text around it); rerun with --drop-comments to format it anyway", err=True)
            failed = True
            continue
        Path(name).write_text(result, encoding="utf-8")
        click.echo(f"formatted {name}")
    if failed or (check and changed):
        sys.exit(1)


@cli.command()
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
    from procedurekit.authoring.scaffold import ScaffoldError, scaffold

    library = settings.library()
    _get(library, baseline)
    if name in library.entries:
        raise click.UsageError(f'a procedure "{name}" is already installed: choose another name')
    target = Path(directory or name)
    try:
        written = scaffold(name, target, partnership=partnership, baseline=baseline)
    except ScaffoldError as exc:
        click.echo(f"procedurekit: {exc}", err=True)
        raise SystemExit(1) from None
    for path in written:
        click.echo(f"created {_relative(str(path))}")
    click.echo(f"next: pip install -e {_relative(str(target))} && procedurekit validate {name}", err=True)


@cli.command()
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="Write to a file.")
def schema(output: str | None) -> None:
    """Print the JSON Schema of the procedure format (for editors: Taplo, tombi).

    Put `#:schema ./procedure.schema.json` on the first line of a procedure
    file, or map *.toml to the schema in the editor's settings.
    """
    from procedurekit.authoring.schema import procedure_schema

    text = json.dumps(procedure_schema(), indent=2)
    if output:
        Path(output).write_text(text + "\n", encoding="utf-8")
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text)


@cli.command()
@click.argument("procedure_id", metavar="ID")
@click.option("--format", "fmt", type=click.Choice(["markdown", "html"]), default="markdown", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="Write to a file.")
@click.pass_obj
def render(settings: Settings, procedure_id: str, fmt: str, output: str | None) -> None:
    """A readable manual of a procedure: who does what by when, with its sources as footnotes."""
    from procedurekit.authoring import render as manual

    library = settings.library()
    entry = _get(library, procedure_id)
    _procedure_or_exit(library, procedure_id)
    renderer = manual.render_html if fmt == "html" else manual.render_markdown
    text = renderer(library.get(procedure_id), _relative(entry.path))
    if output:
        Path(output).write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text, nl=False)


# -- compare -----------------------------------------------------------------

CHANGE_NAMES = ["stricter", "looser", "added", "removed", "changed", "not-comparable", "same"]


def _fail_on(value: str | None) -> set[str]:
    if not value:
        return set()
    wanted = {v.strip() for v in value.split(",") if v.strip()}
    unknown = wanted - set(CHANGE_NAMES)
    if unknown:
        raise click.BadParameter(f"{', '.join(sorted(unknown))}: use one or more of {', '.join(CHANGE_NAMES)}, "
                                 "separated by commas", param_hint="--fail-on")
    return wanted


@cli.command()
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
@click.pass_obj
def compare(settings: Settings, procedure_ids: tuple[str, ...], baseline: str | None, all_: bool, fmt: str,
            output: str | None, fail_on: str | None, case_file: str | None, show_same: bool) -> None:
    """Compare procedures item by item: stricter, looser, added, removed, changed, not-comparable.

    \b
    procedurekit compare england warrington          one procedure against another
    procedurekit compare warrington --baseline england   the national floor report
    procedurekit compare croydon derby-derbyshire warrington   each against the first
    procedurekit compare --all --format html -o report.html     the N-way matrix
    procedurekit compare --all --baseline england --fail-on looser   a CI gate
    """
    from procedurekit.compare import reports
    from procedurekit.compare.diff import Change, compare_matrix

    failing = _fail_on(fail_on)
    library = settings.library()
    ids = list(procedure_ids)
    if all_:
        ids = [pid for pid in library.ids() if pid != baseline]
    for pid in ids + ([baseline] if baseline else []):
        _get(library, pid)
        if library.errors(pid):
            _echo_diagnostics(library.errors(pid))
            raise SystemExit(1)
    if baseline is None:
        parents = {library.get(pid).extends for pid in ids}
        if all_ or (len(ids) > 2 and len(parents) == 1 and None not in parents):
            baseline = next(iter(parents)) if len(parents) == 1 and None not in parents else "england"
            ids = [pid for pid in ids if pid != baseline]
        elif ids:
            baseline, ids = ids[0], ids[1:]
    if not ids or baseline is None:
        raise click.UsageError("name at least two procedures, one with --baseline, or use --all")
    if case_file:
        from procedurekit.cases.files import load_case
        from procedurekit.diagnostics import ProcedureError

        try:
            case = load_case(case_file)
        except ProcedureError as exc:
            _echo_diagnostics(list(exc.diagnostics))
            raise SystemExit(1) from None
        data = reports.case_rows(library, [baseline, *ids], case)
        text = _case_report(data, fmt)
    else:
        matrix = compare_matrix(library.get(baseline), [library.get(pid) for pid in ids])
        data = reports.matrix_data(matrix, include_same=show_same or fmt == "json")
        if fmt == "json":
            text = json.dumps(data, indent=2, ensure_ascii=False)
        elif fmt == "markdown":
            text = reports.render_markdown(data)
        elif fmt == "html":
            text = reports.render_html(data)
        else:
            colour = output is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
            text = reports.render_text(data, colour=colour)
    if output:
        Path(output).write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text, color=None)
    if failing and not case_file:
        wanted = {Change(c) for c in failing}
        hits = [(row["section"], row["item"], pid) for row in data["rows"] for pid, cell in row["cells"].items()
                if Change(cell["change"]) in wanted or any(Change(d["change"]) in wanted
                                                           for d in cell["differences"])]
        if hits:
            click.echo(f"{len(hits)} difference(s) of class {', '.join(sorted(failing))}", err=True)
            sys.exit(1)


def _case_report(data: dict, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(data, indent=2)
    pids = data["procedures"]
    events = ", ".join(f"{e['event']} {e['date']}" for e in data["case"]["events"])
    if fmt == "markdown":
        lines = [f"Case {data['case']['id']}: {events}", "", "| meeting | " + " | ".join(pids) + " |",
                 "|---|" + "---|" * len(pids)]
        for row in data["rows"]:
            lines.append(f"| {row['meeting']} | " + " | ".join(
                (row["cells"][p]["date"] or "no date") + f" ({row['cells'][p]['obligation'] or '-'})" for p in pids)
                + " |")
        return "\n".join(lines)
    lines = [f"Case {data['case']['id']}: {events}", ""]
    width = max(len(p) for p in pids)
    for row in data["rows"]:
        lines.append(f"next {row['meeting']}:")
        for pid in pids:
            cell = row["cells"][pid]
            lines.append(f"  {pid:<{width}}  {cell['date'] or 'no date':<10}  {cell['reason']}")
    return "\n".join(lines)


# -- cases: schedule and audit -------------------------------------------------

def _today(value: str | None):
    import datetime as dt

    return _date(value, "--today") if value else dt.date.today()


def _procedure_or_exit(library: Library, pid: str) -> None:
    _get(library, pid)
    if library.errors(pid):
        _echo_diagnostics(library.errors(pid))
        raise SystemExit(1)


@cli.command()
@click.argument("procedure_id", metavar="PROCEDURE")
@click.argument("case_file", metavar="CASE", type=click.Path(exists=True, dir_okay=False))
@click.option("--today", help="The date to judge 'due' and 'overdue' against (default: today), YYYY-MM-DD.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv", "ics"]), default="text",
              show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="Write to a file.")
@click.pass_obj
def schedule(settings: Settings, procedure_id: str, case_file: str, today: str | None, fmt: str,
             output: str | None) -> None:
    """What is due in a case, by whom, and is anything late.

    CASE is a TOML or JSON case file (docs/engine.md). Every obligation
    instance is listed with its due date and status; then the next meeting of
    each kind, with who chairs it.
    """
    from procedurekit.cases import engine
    from procedurekit.cases.files import load_case
    from procedurekit.diagnostics import ProcedureError

    library = settings.library()
    _procedure_or_exit(library, procedure_id)
    try:
        case = load_case(case_file)
    except ProcedureError as exc:
        _echo_diagnostics(list(exc.diagnostics))
        raise SystemExit(1) from None
    unknown = [e for e in case.events if e.event not in library.plan(procedure_id).events]
    if unknown:
        known = ", ".join(sorted(library.plan(procedure_id).events))
        click.echo(f"{case_file}: undefined-reference: unknown event(s) {', '.join(sorted({e.event for e in unknown}))}"
                   f" for {procedure_id}; known events: {known}", err=True)
        raise SystemExit(1)
    from procedurekit.calendars import CalendarError

    try:
        result = engine.schedule(library, procedure_id, case, _today(today))
    except CalendarError as exc:
        click.echo(f"procedurekit: {exc}", err=True)
        raise SystemExit(1) from None
    text = _schedule_output(library, procedure_id, result, fmt)
    if output:
        Path(output).write_text(text, encoding="utf-8", newline="" if fmt == "ics" else None)
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text, nl=not text.endswith("\n"))


def _schedule_output(library: Library, pid: str, result, fmt: str) -> str:
    import csv
    import io

    from procedurekit import describe

    procedure = library.get(pid)
    if fmt == "ics":
        from procedurekit.cases.ics import schedule_ics

        return schedule_ics(result, procedure)
    rows = [{
        "obligation": i.obligation, "occurrence": i.occurrence, "what": i.what, "owner": i.owner,
        "anchor": i.anchor, "anchor_date": i.anchor_date.isoformat() if i.anchor_date else None,
        "due": i.due.isoformat() if i.due else None, "done": i.done.isoformat() if i.done else None,
        "status": i.status.value, "working_days_late": i.late_by, "rule": i.rule, "strength": i.strength,
        "note": i.note, "sources": [describe.source(s) for s in i.source],
    } for i in result.instances]
    upcoming = [{
        "meeting": m, "obligation": due.obligation if due else None, "due": date.isoformat() if date else None,
        "reason": due.reason if due else "no rule sets when it is next due",
        "decided_by": due.decided_by if due else None, "chair": list(chair.roles) if chair else None,
        "chair_reason": chair.reason if chair else None,
    } for m, due, date, chair in result.upcoming]
    if fmt == "json":
        return json.dumps({"format_version": 1, "procedure": pid, "case": result.case,
                           "today": result.today.isoformat(), "instances": rows, "upcoming": upcoming}, indent=2)
    if fmt == "csv":
        buffer = io.StringIO()
        fields = ["obligation", "occurrence", "what", "owner", "anchor", "anchor_date", "due", "done", "status",
                  "working_days_late", "strength", "note"]
        writer = csv.DictWriter(buffer, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return buffer.getvalue()
    lines = [f"{result.case} under {pid}, as of {result.today.isoformat()}", ""]
    order = ["overdue", "due", "late", "provisional", "met", "no-deadline"]
    for status in order:
        chosen = [r for r in rows if r["status"] == status]
        if not chosen:
            continue
        lines.append(f"{status.upper()} ({len(chosen)})")
        for r in chosen:
            when = r["due"] or "-"
            late = f", {r['working_days_late']} working days" if r["working_days_late"] else ""
            done = f", done {r['done']}" if r["done"] else ""
            owner = f" [{r['owner']}]" if r["owner"] else ""
            lines.append(f"  {when:<10}  {r['obligation']} #{r['occurrence']}{owner}{done}{late}")
            lines.append(f"              {r['what']}: {r['rule']}")
            if r["note"]:
                lines.append(f"              note: {r['note']}")
        lines.append("")
    lines.append("NEXT MEETINGS")
    for u in upcoming:
        chair = f"; chair: {', '.join(u['chair'])}" if u["chair"] else ""
        lines.append(f"  {u['meeting']:<20} {u['due'] or 'no date':<10}  {u['reason']}{chair}")
    na = sum(1 for r in rows if r["status"] == "not-applicable")
    if na:
        lines.append("")
        lines.append(f"({na} rules do not apply to this case's circumstances)")
    return "\n".join(lines)


@cli.command()
@click.argument("procedure_id", metavar="PROCEDURE")
@click.argument("cases_file", metavar="CASES.csv", type=click.Path(exists=True, dir_okay=False))
@click.option("--today", help="The date to judge 'due' and 'overdue' against (default: today), YYYY-MM-DD.")
@click.option("--format", "fmt", type=click.Choice(["text", "csv", "json"]), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="Write to a file.")
@click.pass_obj
def audit(settings: Settings, procedure_id: str, cases_file: str, today: str | None, fmt: str,
          output: str | None) -> None:
    """Audit many cases from a CSV: every obligation instance and compliance rates.

    CASES.csv has the columns case_id,event,date, then optional condition
    columns (docs/engine.md). Bad rows are reported with their line numbers
    and the rest are audited; the exit status is 1 if any row was rejected.
    """
    import csv
    import io

    from procedurekit.cases.audit import ROW_HEADER, AuditResult, audit_rows, row_fields, summary_rows
    from procedurekit.calendars import CalendarError

    library = settings.library()
    _procedure_or_exit(library, procedure_id)
    plan = library.plan(procedure_id)
    result = AuditResult()
    day = _today(today)
    target = open(output, "w", encoding="utf-8", newline="") if output else None  # noqa: SIM115
    try:
        if fmt == "csv":
            stream = target or io.StringIO()
            writer = csv.writer(stream, lineterminator="\n")
            writer.writerow(ROW_HEADER)
            for case_id, row in audit_rows(plan, cases_file, day, result):
                writer.writerow(row_fields(case_id, row))
            if target is None:
                click.echo(stream.getvalue(), nl=False)
        else:
            rows = [row_fields(c, r) for c, r in audit_rows(plan, cases_file, day, result)]
            summary = list(summary_rows(plan, result))
            if fmt == "json":
                text = json.dumps({
                    "format_version": 1, "procedure": procedure_id, "today": day.isoformat(),
                    "cases": result.cases, "rows_read": result.rows_read, "rows_used": result.rows_used,
                    "rejected": [d.to_dict() for d in result.rejected], "summary": summary,
                    "instances": [dict(zip(ROW_HEADER, r)) for r in rows],
                }, indent=2)
            else:
                text = _audit_text(procedure_id, result, summary)
            if target:
                target.write(text + "\n")
            else:
                click.echo(text)
    except CalendarError as exc:
        click.echo(f"procedurekit: {exc}", err=True)
        raise SystemExit(1) from None
    finally:
        if target:
            target.close()
    _echo_diagnostics(result.rejected)
    click.echo(f"{result.rows_read} rows read: {result.rows_used} used, {result.rows_read - result.rows_used} "
               f"rejected; {result.cases} cases audited", err=True)
    if result.rejected:
        sys.exit(1)


def _audit_text(pid: str, result, summary: list[dict]) -> str:
    lines = [f"Audit of {result.cases} cases under {pid}", "",
             f"{'obligation':<34} {'met':>6} {'late':>6} {'overdue':>7} {'due':>6} {'prov.':>6} {'on time':>8}"]
    for s in summary:
        judged = s["met"] + s["late"] + s["overdue"]
        if not judged and not s["due"] and not s["provisional"]:
            continue
        rate = "-" if s["compliance"] is None else f"{100 * s['compliance']:.1f}%"
        lines.append(f"{s['obligation'][:34]:<34} {s['met']:>6} {s['late']:>6} {s['overdue']:>7} {s['due']:>6} "
                     f"{s['provisional']:>6} {rate:>8}")
    return "\n".join(lines)


# -- calendar ----------------------------------------------------------------

DIVISION = click.option("--division", default="england-and-wales", show_default=True,
                        type=click.Choice(["england-and-wales", "scotland", "northern-ireland"]),
                        help="Bank-holiday division whose working days count.")


def _date(value: str, name: str):
    import datetime as dt

    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f'"{value}" is not a date: write it as YYYY-MM-DD, e.g. 2024-05-10',
                                 param_hint=name) from None


def _calendar_call(func, *args, **kwargs):
    from procedurekit.calendars import CalendarError

    try:
        return func(*args, **kwargs)
    except CalendarError as exc:
        click.echo(f"procedurekit: {exc}", err=True)
        raise SystemExit(1) from None


@cli.group()
def calendar() -> None:
    """Working-day arithmetic on the UK bank-holiday calendars."""


@calendar.command("add")
@click.argument("start")
@click.argument("duration", nargs=-1, required=True)
@DIVISION
@click.option("--before", is_flag=True, help="Count backwards (\"2 working days before\").")
@click.option("--non-working-day", type=click.Choice(["stands", "previous-working-day", "next-working-day"]),
              default="stands", show_default=True,
              help="Where a deadline in days, weeks or months lands on a weekend or bank holiday.")
def calendar_add(start: str, duration: tuple[str, ...], division: str, before: bool, non_working_day: str) -> None:
    """Print the date DURATION after (or --before) START, e.g. 2022-09-12 10 working days.

    The event day is day 0: 10 working days after is the 10th working day
    strictly after START. A result that is not a working day is noted on stderr.
    """
    from procedurekit.calendars import NonWorkingDay, get_calendar
    from procedurekit.durations import DurationError, parse_duration

    day = _date(start, "START")
    try:
        length = parse_duration(" ".join(duration))
    except DurationError as exc:
        raise click.BadParameter(str(exc), param_hint="DURATION") from None
    cal = get_calendar(division)
    due = _calendar_call(cal.add, day, length, before=before, non_working_day=NonWorkingDay(non_working_day))
    click.echo(due.isoformat())
    why = _calendar_call(cal.why_not_working, due)
    if why:
        click.echo(f"note: {due.isoformat()} is not a working day ({why})", err=True)


@calendar.command("between")
@click.argument("start")
@click.argument("end")
@DIVISION
def calendar_between(start: str, end: str, division: str) -> None:
    """Print the number of working days after START up to and including END."""
    from procedurekit.calendars import get_calendar

    cal = get_calendar(division)
    click.echo(_calendar_call(cal.working_days_between, _date(start, "START"), _date(end, "END")))


@calendar.command("holidays")
@click.argument("year", type=int)
@DIVISION
def calendar_holidays(year: int, division: str) -> None:
    """List the bank holidays of YEAR."""
    import datetime as dt

    from procedurekit.calendars import get_calendar

    cal = get_calendar(division)
    _calendar_call(cal.is_working_day, dt.date(year, 1, 1))
    _calendar_call(cal.is_working_day, dt.date(year, 12, 31))
    for day, name in sorted(cal.holidays.items()):
        if day.year == year:
            click.echo(f"{day.isoformat()}  {day.strftime('%a')}  {name}")


def main() -> None:
    """Console entry point."""
    try:
        cli(prog_name="procedurekit")
    except KeyboardInterrupt:  # pragma: no cover
        click.echo("interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # pragma: no cover - a bug, not bad input
        if os.environ.get("PROCEDUREKIT_DEBUG"):
            raise
        click.echo(f"procedurekit: internal error: {type(exc).__name__}: {exc}\n"
                   "This is a bug in procedurekit, not in your files; please report it "
                   "(set PROCEDUREKIT_DEBUG=1 to see the traceback).", err=True)
        sys.exit(3)
