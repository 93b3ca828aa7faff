"""The commands that read installed procedures: ``list``, ``show`` and ``validate``."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from procedurekit.cli.app import (
    FORMATS, Command, Settings, echo_diagnostics, get_entry, plugin_problems, relative,
)

if TYPE_CHECKING:
    from procedurekit.diagnostics import Diagnostic
    from procedurekit.host.library import Library
    from procedurekit.model import Meeting

__all__ = ["list_command", "show", "validate", "procedure_json", "procedure_text"]


# -- list -------------------------------------------------------------------------------

@click.command("list", cls=Command)
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
@click.option("--paths", is_flag=True, help="Also show the file each procedure is read from.")
@click.pass_obj
def list_command(settings: Settings, fmt: str, paths: bool) -> None:
    """List the procedures available: id, partnership, version, what it extends and its plugin.

    The table fits the terminal's width (long cells are cut with "…"); the JSON
    form has every field in full, the file included.
    """
    library = settings.library()
    rows = _list_rows(library)
    problems = plugin_problems(library)
    if fmt == "json":
        click.echo(json.dumps({"procedures": rows, "problems": [d.to_dict() for d in problems]}, indent=2))
    else:
        from procedurekit.terminal import fit_table, width

        headers = ["id", "partnership", "version", "extends", "plugin"] + ["file"] * paths
        table = [[r[h] + ("" if h != "id" or r["valid"] else " (invalid)") for h in headers] for r in rows]
        click.echo(fit_table(headers, table, width()))
        echo_diagnostics(problems)
        if any(not r["valid"] for r in rows):
            click.echo("procedurekit validate ID shows what is wrong with an invalid procedure", err=True)
    if problems or any(not r["valid"] for r in rows):
        sys.exit(1)


def _list_rows(library: Library) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
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
            "file": relative(entry.path),
            "valid": not library.errors(pid),
        })
    for pid, pf in sorted(library.failed.items()):
        rows.append({"id": pid, "title": "", "partnership": "", "version": "", "extends": "",
                     "plugin": pf.plugin or "", "file": relative(pf.path), "valid": False})
    rows.sort(key=lambda r: r["id"])
    return rows


# -- show -------------------------------------------------------------------------------

@click.command(cls=Command)
@click.argument("procedure_id", metavar="ID")
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
@click.pass_obj
def show(settings: Settings, procedure_id: str, fmt: str) -> None:
    """Show a procedure as resolved (with what it extends), every item with its source."""
    from procedurekit.diagnostics import ProcedureError

    library = settings.library()
    entry = get_entry(library, procedure_id)
    errors = library.errors(procedure_id)
    if entry.resolved is None:
        raise ProcedureError(errors)
    if fmt == "json":
        click.echo(json.dumps(procedure_json(library, procedure_id), indent=2, ensure_ascii=False))
    else:
        click.echo(procedure_text(library, procedure_id))
    if errors:
        raise ProcedureError(errors)


def procedure_json(library: Library, pid: str) -> dict[str, Any]:
    """The JSON form of a resolved procedure (documented in docs/json.md)."""
    from procedurekit.converter import procedure_data

    entry = library.entry(pid)
    return procedure_data(entry.resolved, plugin=entry.plugin, file=entry.path)


def procedure_text(library: Library, pid: str) -> str:
    """A resolved procedure as text: its facts, then every item with its reading and sources."""
    from procedurekit import model

    entry = library.entry(pid)
    proc = entry.resolved
    assert proc is not None
    out = [f"{proc.id}: {proc.title}"]
    facts = [("partnership", proc.partnership), ("extends", proc.extends), ("calendar", proc.calendar),
             ("version", proc.version), ("effective from", proc.effective_from and proc.effective_from.isoformat()),
             ("effective to", proc.effective_to and proc.effective_to.isoformat()),
             ("plugin", entry.plugin), ("file", relative(entry.path))]
    out += [f"  {k}: {v}" for k, v in facts if v]
    for section in model.SECTIONS:
        items = proc.section(section)
        if items:
            out += ["", section.capitalize()]
            for item_id, item in items.items():
                out += _item_lines(proc, section, item_id, item)
    return "\n".join(out)


def _item_lines(proc: Any, section: str, item_id: str, item: Any) -> list[str]:
    from procedurekit import describe, model

    origin = proc.origins.get(f"{section}.{item_id}", proc.id)
    strength = getattr(item, "strength", None)
    label = f"  {item_id}" + (f" [{strength.value}]" if strength else "")
    if origin != proc.id:
        label += f" (from {origin})"
    lines = [label, f"    {describe.item(proc, section, item)}"]
    for note in ("interpretation", "note"):
        if getattr(item, note, None):
            lines.append(f"    {note}: {getattr(item, note)}")
    for src in getattr(item, "source", ()):
        lines.append(f"    source: {describe.source(src)}")
    for reading in getattr(item, "readings", ()):
        lines.append(f"    {reading.basis.value} reading, {reading.within}: {reading.reason}")
        lines += [f"      source: {describe.source(src)}" for src in reading.source]
    if isinstance(item, model.Meeting):
        lines += _meeting_rule_sources(item)
    return lines


def _meeting_rule_sources(meeting: Meeting) -> list[str]:
    from procedurekit import describe

    lines = []
    rules: list[tuple[str, Any]] = [("minutes", meeting.minutes), ("quorum", meeting.quorum)]
    if meeting.chair:
        rules += [(f"chair.{slot}", rule) for slot, rule in meeting.chair.slots()]
    for name, rule in rules:
        if rule is None:
            continue
        for note in ("interpretation", "note"):
            if getattr(rule, note, None):
                lines.append(f"    {name} {note}: {getattr(rule, note)}")
        for src in rule.source:
            lines.append(f"    {name} source: {describe.source(src)}")
    return lines


# -- validate ---------------------------------------------------------------------------

@click.command(cls=Command)
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
    ids, overrides, installed = _split_targets(settings, targets)
    # the library loaded to tell ids from folders serves as is when no files are given
    library = installed if installed is not None and not overrides else settings.library(overrides)
    for pid in ids:
        if pid not in library.failed:
            get_entry(library, pid)
    if targets:
        selected, diagnostics, notes = _selection(library, ids, overrides)
    else:
        selected, diagnostics, notes = set(library.ids()) | set(library.failed), list(library.diagnostics), []
    failed = _report(selected, diagnostics, fmt, strict)
    echo_diagnostics(notes)
    sys.exit(1 if failed else 0)


def _split_targets(settings: Settings, targets: tuple[str, ...]) -> tuple[list[str], list[Path], Library | None]:
    """The procedure ids and the files or folders among *targets*, and the library if one was needed to tell."""
    from procedurekit.errors import UsageError
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
        if not looks_like_path:
            ids.append(target)
            continue
        if not path.exists():
            raise UsageError(f"{target}: no such file or folder")
        if path.is_dir() and not directory_files(path):
            raise UsageError(f"{target}: no procedure files in this folder (its *.toml files, or "
                             "for a plugin project the *.toml files in its package's procedures/)")
        overrides.append(path)
    return ids, overrides, installed


def _selection(library: Library, ids: list[str], overrides: list[Path]
               ) -> tuple[set[str], list[Diagnostic], list[Diagnostic]]:
    """The procedures named or given as files, their diagnostics, and plugin notes to print on stderr."""
    from procedurekit.host.plugins import directory_files

    selected = set(ids)
    override_paths: set[Path] = set()
    for path in overrides:
        override_paths.update(p.resolve() for p in (directory_files(path) if path.is_dir() else [path]))
    selected |= {pid for pid, e in library.entries.items() if Path(e.path).resolve() in override_paths}
    selected |= {pid for pid, f in library.failed.items() if Path(f.path).resolve() in override_paths}
    diagnostics = [d for d in library.diagnostics
                   if d.procedure in selected
                   or (d.procedure is None and d.path and Path(d.path).resolve() in override_paths)]
    notes = [d for d in plugin_problems(library) if d not in diagnostics and not d.path]
    return selected, diagnostics, notes


def _report(selected: set[str], diagnostics: list[Diagnostic], fmt: str, strict: bool) -> bool:
    """Print the validation result; whether it fails."""
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
        echo_diagnostics(diagnostics, err=False)
        word = "procedure" if len(selected) == 1 else "procedures"
        counts = [f"{n} {label}{'s' if n != 1 else ''}" for n, label in
                  ((error_count, "error"), (warning_count, "warning")) if n]
        click.echo(f"{len(selected)} {word} checked: {', '.join(counts) or 'no problems'}")
    return failed
