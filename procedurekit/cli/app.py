"""The ``procedurekit`` command group, the helpers its commands share, and the one path every error takes.

The commands live in the sibling modules named in :data:`COMMANDS`;
:class:`LazyGroup` imports a module only when one of its commands is run or
listed in the help, so ``procedurekit --version`` and ``procedurekit list``
load no comparison, authoring or case code.

Commands parse, call the library and print. When something fails they (or
the library) raise a :class:`~procedurekit.errors.ProcedurekitError`, and
:func:`error_funnel` turns it into a message on stderr and an exit status:
0 success; 1 problems found in the input; 2 the command was used wrongly
(unknown option, unknown procedure id); 3 a bug in procedurekit, reported in
one line without a traceback (``PROCEDUREKIT_DEBUG=1`` shows it); 130
interrupted. Click's own usage errors and exits pass through untouched.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import importlib
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from procedurekit import __version__, atomic
from procedurekit.errors import ProcedurekitError, UsageError

if TYPE_CHECKING:
    from procedurekit.diagnostics import Diagnostic
    from procedurekit.host.catalog import ProcedureEntry
    from procedurekit.host.library import Library

__all__ = ["cli", "main", "Settings", "LazyGroup", "Command", "error_funnel", "report"]

FORMATS = click.Choice(["text", "json"])

#: command name -> "module:attribute" of its click command, imported when it is run or listed
COMMANDS = {
    "list": "procedurekit.cli.procedures:list_command",
    "show": "procedurekit.cli.procedures:show",
    "validate": "procedurekit.cli.procedures:validate",
    "fmt": "procedurekit.cli.authoring:fmt",
    "new": "procedurekit.cli.authoring:new",
    "schema": "procedurekit.cli.authoring:schema",
    "render": "procedurekit.cli.authoring:render",
    "draft": "procedurekit.cli.authoring:draft",
    "compare": "procedurekit.cli.compare:compare",
    "history": "procedurekit.cli.history:history",
    "schedule": "procedurekit.cli.cases:schedule",
    "audit": "procedurekit.cli.cases:audit",
    "calendar": "procedurekit.cli.calendar:calendar",
    "site": "procedurekit.cli.site:site",
    "serve": "procedurekit.cli.serve:serve",
}

#: click's exceptions: click prints them and sets the exit status itself
CLICK_EXCEPTIONS = (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort)


# -- the error funnel ---------------------------------------------------------------------

def report(exc: BaseException) -> int:
    """Print what *exc* means on stderr; return the exit status the command ends with."""
    from procedurekit.diagnostics import ProcedureError

    if isinstance(exc, KeyboardInterrupt):
        click.echo("interrupted", err=True)
        return 130
    if isinstance(exc, ProcedureError) and exc.diagnostics:
        echo_diagnostics(list(exc.diagnostics))
        return exc.exit_code
    if isinstance(exc, ProcedurekitError):
        click.echo(f"procedurekit: {exc.message}", err=True)
        return exc.exit_code
    if isinstance(exc, MemoryError):
        click.echo("procedurekit: ran out of memory: for an audit, put each case's rows together in the CSV "
                   "(sorted by case_id) so it is read a chunk at a time", err=True)
        return 1
    if isinstance(exc, OSError) and exc.errno is not None:
        click.echo(f"procedurekit: {exc.strerror or exc}{f': {exc.filename}' if exc.filename else ''}", err=True)
        return 1
    message = " ".join(str(exc).split())
    click.echo(f"procedurekit: internal error: {type(exc).__name__}: {message} — this is a bug in procedurekit; "
               "please report it (PROCEDUREKIT_DEBUG=1 shows the traceback)", err=True)
    return 3


def _debugging(exc: BaseException) -> bool:
    """Whether *exc* is a bug and PROCEDUREKIT_DEBUG asks to see its traceback."""
    expected = isinstance(exc, (ProcedurekitError, KeyboardInterrupt))
    return not expected and bool(os.environ.get("PROCEDUREKIT_DEBUG"))


@contextlib.contextmanager
def error_funnel(ctx: click.Context) -> Iterator[None]:
    """Around a command: its errors become a message and an exit status (see the module's docstring)."""
    try:
        yield
        return
    except CLICK_EXCEPTIONS:
        raise
    except UsageError as exc:
        # click's form of it: the command's usage line, then the message
        raise click.UsageError(exc.message, ctx=ctx) from None
    except (Exception, KeyboardInterrupt) as exc:  # every error a command raises ends here
        if _debugging(exc):
            raise
        code = report(exc)
    ctx.exit(code)


class Command(click.Command):
    """A command whose failures go through :func:`error_funnel`."""

    def invoke(self, ctx: click.Context) -> Any:
        with error_funnel(ctx):
            return super().invoke(ctx)


class LazyGroup(click.Group):
    """A group whose commands are imported when run or listed (click's LazyGroup pattern), errors funnelled.

    *lazy_subcommands* maps a command name to ``"module:attribute"``. Commands
    defined on the group itself (``@group.command()``) are :class:`Command`\\s.
    """

    command_class = Command
    group_class = type  # subgroups are LazyGroups too

    def __init__(self, *args: Any, lazy_subcommands: dict[str, str] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.lazy_subcommands = dict(lazy_subcommands or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy_subcommands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy_subcommands:
            return self._load(cmd_name)
        return super().get_command(ctx, cmd_name)

    def _load(self, cmd_name: str) -> click.Command:
        target = self.lazy_subcommands[cmd_name]
        module_name, _, attribute = target.partition(":")
        command = getattr(importlib.import_module(module_name), attribute)
        if not isinstance(command, (Command, LazyGroup)):
            raise TypeError(f"{target} is not a procedurekit command: declare it with "
                            "@click.command(cls=Command) or @click.group(cls=LazyGroup)")
        return command

    def invoke(self, ctx: click.Context) -> Any:
        with error_funnel(ctx):
            return super().invoke(ctx)


# -- the group ----------------------------------------------------------------------------

class Settings:
    """Options of the top-level command, passed to subcommands."""

    def __init__(self, plugin_dirs: tuple[str, ...], disable: tuple[str, ...], entry_points: bool,
                 cache: bool = True):
        self.plugin_dirs = plugin_dirs
        self.disable = disable
        self.entry_points = entry_points
        self.cache = cache

    def library(self, overrides: list[Path] | None = None) -> Library:
        with _collector_paused():
            from procedurekit.host.library import Library

            return Library.load(plugin_dirs=self.plugin_dirs, overrides=overrides or (),
                                entry_points=self.entry_points, disable=self.disable, cache=self.cache)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while the library loads: it imports and builds, and frees little.

    Collections during the load are a tenth of a short command's time; the
    collector runs again as soon as the library is loaded.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@click.group(cls=LazyGroup, lazy_subcommands=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="procedurekit", message="%(prog)s %(version)s")
@click.option("--plugin-dir", "plugin_dirs", multiple=True, type=click.Path(file_okay=False),
              metavar="DIR", help="Folder of procedure TOML files to load as a plugin (repeatable; "
              "PROCEDUREKIT_PLUGIN_PATH adds more).")
@click.option("--disable", "disable", multiple=True, metavar="PLUGIN",
              help="Leave out a plugin by name (repeatable).")
@click.option("--no-entry-points", is_flag=True, help="Do not load installed plugins.")
@click.option("--no-cache", is_flag=True, help="Parse every procedure file afresh (no loaded-file cache).")
@click.pass_context
def cli(ctx: click.Context, plugin_dirs: tuple[str, ...], disable: tuple[str, ...], no_entry_points: bool,
        no_cache: bool) -> None:
    """Local child-protection procedures as validated, comparable code."""
    ctx.obj = Settings(plugin_dirs, disable, not no_entry_points, not no_cache)


def main() -> None:
    """Console entry point: the command group, with what escapes it reported as by :func:`error_funnel`."""
    try:
        cli.main(prog_name="procedurekit")
    except (Exception, KeyboardInterrupt) as exc:  # raised outside any command
        if _debugging(exc):
            raise
        sys.exit(report(exc))


# -- helpers the commands share -----------------------------------------------------------

def relative(path: str) -> str:
    """*path* relative to the working folder when it can be (not across Windows drives)."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return path


def echo_diagnostics(diagnostics: list[Diagnostic], *, err: bool = True) -> None:
    """Print each diagnostic as ``path:line:col: code: message``, its path relative."""
    for d in diagnostics:
        text = str(d)
        if d.path:
            text = text.replace(d.path, relative(d.path), 1)
        click.echo(text, err=err)


def plugin_problems(library: Library) -> list[Diagnostic]:
    """The diagnostics about plugins rather than any one procedure."""
    return [d for d in library.diagnostics if d.procedure is None]


def get_entry(library: Library, pid: str) -> ProcedureEntry:
    """Procedure *pid*'s entry: unknown, a usage error (exit 2); failed to load, its diagnostics (exit 1)."""
    from procedurekit.diagnostics import ProcedureError

    try:
        return library.entry(pid)
    except ProcedureError as exc:
        if pid in library.failed:
            raise
        raise UsageError(exc.diagnostics[0].message) from None


def require_valid(library: Library, pid: str) -> ProcedureEntry:
    """Procedure *pid*'s entry, as :func:`get_entry`; if it has errors they are raised (exit 1)."""
    from procedurekit.diagnostics import ProcedureError

    entry = get_entry(library, pid)
    errors = library.errors(pid)
    if errors:
        raise ProcedureError(errors)
    return entry


def parse_date(value: str, name: str) -> dt.date:
    """The date written *value* (YYYY-MM-DD); otherwise a usage error about the parameter *name*."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f'"{value}" is not a date: write it as YYYY-MM-DD, e.g. 2024-05-10',
                                 param_hint=name) from None


def parse_today(value: str | None) -> dt.date:
    """The ``--today`` option's date, or the real date when it is left out."""
    return parse_date(value, "--today") if value is not None else dt.date.today()


def check_output(output: str | None, inputs: Iterable[str | Path | None] = (),
                 library: Library | None = None) -> None:
    """Refuse an ``-o`` file that is one of the command's inputs, or in a folder that does not exist.

    Called with the command's file arguments before it reads anything, and
    again with the *library* it loaded (no procedure file is ever an output).
    """
    if not output:
        return
    if library is not None:
        inputs = [f.path for f in library.files]
    target = Path(output)
    folder = target.absolute().parent
    if not folder.is_dir():
        raise UsageError(f"cannot write {output}: the folder {folder} does not exist; create it first")
    for given in inputs:
        if given and _same_file(target, Path(given)):
            raise UsageError(f"-o {output} is one of this command's inputs ({given}): an input is never "
                             "overwritten; write the output to another file")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist (yet)
        return a.resolve() == b.resolve()


def emit(text: str, output: str | None, *, newline: str | None = None, announce: bool = True) -> None:
    """Print *text*, or write it to the file *output* (saying so on stderr if *announce*); it ends with a newline."""
    if not text.endswith("\n"):
        text += "\n"
    if output:
        atomic.write_text(output, text, newline=newline)
        if announce:
            click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text, nl=False)
