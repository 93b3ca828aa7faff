"""The library of installed procedures: the facade applications use.

>>> from procedurekit import Library
>>> library = Library.load()                       # doctest: +SKIP
>>> library.get("england").obligations["icpc"]     # doctest: +SKIP

:meth:`Library.load` gathers procedure files from the built-in baselines,
installed plugins and plugin folders (:mod:`~procedurekit.host.catalog`),
resolves ``extends`` (:mod:`~procedurekit.host.resolve`), runs the validation
hooks and checks quotes against source texts (:mod:`~procedurekit.host.sources`).
It then answers hook questions (who chairs, when the next meeting is due,
which escalation pathway) for one procedure at a time, through the hooks of
the plugins that own it (:mod:`~procedurekit.host.hooks`), and builds the
compiled plans the case engine evaluates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import pluggy

from procedurekit import model
from procedurekit.builtins import DEFAULT_PLUGINS
from procedurekit.calendars import Calendar, procedure_calendar
from procedurekit.diagnostics import Diagnostic, ProcedureError
from procedurekit.host.catalog import COMMAND_LINE, Catalog, ProcedureEntry, override_files, plugin_folders
from procedurekit.host.filecache import cache_folder
from procedurekit.host.hooks import HookRunner
from procedurekit.host.plugins import PluginInfo, _package_dir, get_plugin_manager, load_entry_points, procedure_files
from procedurekit.host.resolve import merge, merge_chain, resolve_all
from procedurekit.host.versions import Era, chain_on, eras, span, split_id
from procedurekit.host.sources import check_quotes
from procedurekit.loader import ProcedureFile

if TYPE_CHECKING:
    import importlib.metadata

    from procedurekit.cases.engine import Plan, Schedule
    from procedurekit.cases.versions import Stretch
    from procedurekit.compare.diff import Matrix

__all__ = ["Library", "ProcedureEntry", "ProcedureAnswers", "load_library", "COMMAND_LINE"]


class Library:
    """Procedures loaded from plugins, resolved and validated. Build with :meth:`load`."""

    def __init__(self, pm: pluggy.PluginManager, plugins: list[PluginInfo], cache: Path | None = None):
        self.pm = pm
        self.plugins = plugins
        self.catalog = Catalog(cache)
        self.hooks = HookRunner(pm, DEFAULT_PLUGINS)
        self._plans: dict[object, Plan] = {}
        self._eras: dict[tuple[int, ...], model.Procedure] = {}
        self._stretches: dict[str, list[Stretch]] = {}
        self._drafts: dict[str, ProcedureEntry] = {}

    def __repr__(self) -> str:
        errors = len(self.errors())
        return f"<Library: {len(self.entries)} procedures from {len(self.plugins)} plugins, {errors} errors>"

    @property
    def entries(self) -> dict[str, ProcedureEntry]:
        """Procedures that loaded, by id."""
        return self.catalog.entries

    @property
    def failed(self) -> dict[str, ProcedureFile]:
        """Files that declare a procedure id but could not be loaded, by that id."""
        return self.catalog.failed

    @property
    def files(self) -> list[ProcedureFile]:
        """Every procedure file read."""
        return self.catalog.files

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """Every problem found: plugins, unreadable files and each procedure's."""
        return self.catalog.diagnostics

    # -- building ------------------------------------------------------------
    @classmethod
    def load(
        cls,
        *,
        plugin_dirs: Iterable[str | Path] = (),
        overrides: Iterable[str | Path] = (),
        entry_points: bool | Sequence[importlib.metadata.EntryPoint] = True,
        environ: Mapping[str, str] | None = None,
        disable: Iterable[str] = (),
        cache: bool = True,
    ) -> Library:
        """Load every procedure available.

        :param plugin_dirs: folders of procedure TOML files, each a plugin
            named after the folder (``PROCEDUREKIT_PLUGIN_PATH`` adds more).
        :param overrides: files or folders whose procedures take the place of
            installed ones with the same id (for checking a draft).
        :param entry_points: load plugins installed under the ``procedurekit``
            entry-point group (``True``), none (``False``), or exactly these.
        :param environ: environment to read ``PROCEDUREKIT_PLUGIN_PATH`` from
            (default ``os.environ``).
        :param disable: plugin names to leave out.
        :param cache: reuse loaded procedure files from the user's cache folder
            (:mod:`procedurekit.host.filecache`); ``PROCEDUREKIT_NO_CACHE`` also turns it off.
        """
        pm = get_plugin_manager(disable=disable)
        infos = [PluginInfo(name, "builtin", module) for name, module in DEFAULT_PLUGINS.items()
                 if pm.has_plugin(name)]
        problems: list[Diagnostic] = []
        if entry_points:
            ep_infos, ep_problems = load_entry_points(pm, None if entry_points is True else entry_points)
            infos += ep_infos
            problems += ep_problems
        files, file_problems = procedure_files(pm)
        folder_infos, folder_files, folder_problems = plugin_folders(plugin_dirs, environ, {i.name for i in infos})
        library = cls(pm, infos + folder_infos, cache_folder(environ) if cache else None)
        library.diagnostics.extend([*problems, *file_problems, *folder_problems])
        library.catalog.add_files(files + folder_files, override_files(overrides))
        resolve_all(library.catalog)
        library._validate_all()
        return library

    def _validate_all(self) -> None:
        for pid, latest in sorted(self.entries.items()):
            for entry in self.catalog.versions.get(pid, [latest]):
                if entry.resolved is not None:
                    self._validate(pid, entry)

    def _validate(self, pid: str, entry: ProcedureEntry) -> None:
        self.catalog.note(pid, self._findings(pid, entry))

    def _findings(self, pid: str, entry: ProcedureEntry, quotes: bool = True) -> list[Diagnostic]:
        """What the validation hooks and (with *quotes*) the quote check find in *entry* (a version of *pid*)."""
        base = entry.written.extends
        parent = self.entries[base].resolved if base else None
        problems: list[Diagnostic] = []
        answers = self.hooks.call("procedurekit_validate_procedure", owners=self.catalog.owner_chain(pid),
                                  about=pid, problems=problems, procedure=entry.resolved, baseline=parent)
        self.diagnostics.extend(problems)
        found = [self._place(pid, d, entry) for answer in answers for d in answer]
        if quotes:
            found += check_quotes(entry, self._root(entry))
        return found

    def add_draft(self, path: str | Path) -> str:
        """Load the procedure file *path* beside the installed procedures, as ``ID@draft``, laid over what
        it extends as installed and validated as they are; returns its key. Raises
        :class:`ProcedureError` with the file's problems (positions included) if it has errors."""
        from procedurekit.loader import load_file

        key, problems = self._draft(load_file(path, plugin=COMMAND_LINE), keep=True)
        if key is None:
            raise ProcedureError(problems)
        return key

    def check_draft(self, text: str, name: str = "draft.toml") -> tuple[str | None, list[Diagnostic]]:
        """Validate the procedure *text* as :meth:`add_draft` does a file, without adding it: its key
        (``ID@draft``, or ``None`` if it has errors) and every problem found, located in *name*. Text has no
        folder, so no source file it names is read (its quotes are not checked against one)."""
        from procedurekit.loader import load_text

        return self._draft(load_text(text, name, plugin=COMMAND_LINE), keep=False)

    def _draft(self, pf: ProcedureFile, keep: bool) -> tuple[str | None, list[Diagnostic]]:
        from procedurekit.diagnostics import Severity

        written = pf.procedure
        problems = list(pf.diagnostics)
        if written is None or any(d.severity is Severity.ERROR for d in problems):
            return None, problems
        parent = self.get(written.extends) if written.extends else None
        entry = ProcedureEntry(pf, COMMAND_LINE, written, merge(parent, written))
        problems += self._findings(written.id, entry, quotes=keep)
        if any(d.severity is Severity.ERROR for d in problems):
            return None, problems
        key = f"{written.id}@draft"
        if keep:
            self._drafts[key] = entry
        return key, problems

    def _root(self, entry: ProcedureEntry) -> Path:
        """The folder a plugin's files must stay inside."""
        info = next((p for p in self.plugins if p.name == entry.plugin), None)
        if info is not None and info.kind == "directory":
            return Path(info.location).resolve()
        package = _package_dir(self.pm.get_plugin(entry.plugin)) if self.pm.has_plugin(entry.plugin) else None
        if package is not None and entry.plugin not in DEFAULT_PLUGINS:
            return package
        folder = Path(entry.path).resolve().parent
        # a file named on its own, in a plugin's layout (procedures/ beside sources/): the plugin's folder
        return folder.parent if folder.name == "procedures" else folder

    def _place(self, pid: str, d: Diagnostic, entry: ProcedureEntry | None = None) -> Diagnostic:
        """Locate a hook's diagnostic in the file that defines the item it names (in *entry*'s version)."""
        entry = entry or self.entries[pid]
        target = entry
        if len(d.key) >= 2 and entry.resolved is not None:
            # the most specific origin recorded: "meetings.icpc.chair.first", then "meetings.icpc"
            origin = pid
            for n in range(len(d.key), 1, -1):
                found = entry.resolved.origins.get(".".join(map(str, d.key[:n])))
                if found:
                    origin = found
                    break
            target = entry if origin == pid else self.entries.get(origin, entry)
        line, col = target.file.locate(d.key, at_value=True) if d.key else (None, None)
        # a built-in check's finding belongs to the plugin whose file holds the item
        plugin = target.plugin if d.plugin in DEFAULT_PLUGINS else d.plugin
        return attrs.evolve(d, path=d.path or target.path, line=d.line or line, column=d.column or col,
                            plugin=plugin)

    # -- queries -------------------------------------------------------------
    def ids(self) -> list[str]:
        """The ids of the procedures that loaded, sorted."""
        return sorted(self.entries)

    def entry(self, pid: str) -> ProcedureEntry:
        """The entry for *pid*, or for one version of it (``"croydon@2011.6"``); raises
        :class:`ProcedureError` if it is unknown or failed to load."""
        if pid in self._drafts:
            return self._drafts[pid]
        pid, version = split_id(pid)
        if version is not None:
            versions = self.versions(pid)
            found = [e for e in versions if e.written.version == version]
            if not found:
                known = ", ".join(f"{pid}@{e.written.version}" for e in versions if e.written.version)
                raise ProcedureError([Diagnostic("unknown-version", f'procedure "{pid}" has no version '
                                                 f'"{version}"; ' + (f"its versions: {known}" if known else
                                                                     "it names no version"))])
            return found[0]
        if pid in self.failed and pid not in self.entries:
            raise ProcedureError(self.errors(pid))
        try:
            return self.entries[pid]
        except KeyError:
            import difflib  # only to suggest a spelling

            close = difflib.get_close_matches(pid, self.ids(), n=1, cutoff=0.6)
            hint = f'; did you mean "{close[0]}"?' if close else f"; installed: {', '.join(self.ids())}"
            raise ProcedureError([Diagnostic("unknown-procedure", f'no procedure "{pid}"{hint}')]) from None

    def get(self, pid: str, *, on: dt.date | str | None = None, allow_invalid: bool = False) -> model.Procedure:
        """The resolved procedure *pid*: its latest version, the version named (``"croydon@2011.6"``), or
        the one in force *on* a date, each over what it extends as then in force (docs/versions.md).

        Raises :class:`ProcedureError` if it is unknown or invalid, or no version is in force *on* that day.
        """
        if isinstance(on, str):  # an ISO date written as text
            on = dt.date.fromisoformat(on)
        entry = self.entry(pid)
        errors = self.errors(split_id(pid)[0])
        if entry.resolved is None or (errors and not allow_invalid):
            raise ProcedureError(errors or [Diagnostic("unknown-procedure", f'"{pid}" could not be resolved')])
        if on is None:
            return entry.resolved
        return self._merged(self.era(split_id(pid)[0], on))

    def named(self, key: str) -> model.Procedure:
        """Procedure *key* (``id``, ``id@version`` or ``id@draft``) with *key* as its id, so that versions of
        one procedure can stand side by side in a comparison."""
        procedure = self.get(key)
        return attrs.evolve(procedure, id=key) if "@" in key else procedure

    def versions(self, pid: str) -> list[ProcedureEntry]:
        """Every version of procedure *pid*, earliest first (one, for most procedures)."""
        latest = self.entry(pid)
        return self.catalog.versions.get(latest.id, [latest])

    def version_spans(self, pid: str) -> list[tuple[ProcedureEntry, dt.date | None, dt.date | None]]:
        """Every version of *pid* with the first and last day it is in force (``None``: open)."""
        versions = self.versions(pid)
        return [(entry, *span(versions, index)) for index, entry in enumerate(versions)]

    def history(self, pid: str) -> tuple[dict[str, Any], list[tuple[str, str, Matrix]]]:
        """*pid*'s versions and, from each to the next, the classed differences: the JSON form of
        ``procedurekit history`` and the comparisons it is made of (docs/versions.md)."""
        from procedurekit.compare.history import history_data, history_steps

        keys = [f"{pid}@{entry.written.version}" for entry in self.versions(pid)]
        steps = history_steps([self.named(key) for key in keys])
        versions = [{"version": entry.written.version, "key": f"{pid}@{entry.written.version}",
                     "effective_from": start and start.isoformat(), "effective_to": end and end.isoformat(),
                     "file": entry.path, "plugin": entry.plugin, "changes": dict(entry.written.changes)}
                    for entry, start, end in self.version_spans(pid)]
        return history_data(pid, versions, steps), steps

    def era(self, pid: str, on: dt.date) -> Era:
        """The versions of *pid* and of what it extends in force *on* a day; raises :class:`ProcedureError`
        if some procedure of the chain has no version in force then."""
        era = chain_on(self.catalog, pid, on)
        if not era.chain:
            earliest = self.versions(era.missing or pid)[0].written
            raise ProcedureError([Diagnostic(
                "not-in-force", f'no version of "{era.missing}" is in force on {on}: its earliest, '
                f"{earliest.version}, is in force from {earliest.effective_from}")])
        return era

    def eras(self, pid: str) -> list[Era]:
        """Each stretch of days with its own versions of *pid* and what it extends in force, in order."""
        self.get(pid)
        return eras(self.catalog, pid)

    def _merged(self, era: Era) -> model.Procedure:
        """The procedure of *era*'s versions, one laid over the next (the latest ones: as resolved)."""
        top = era.chain[0]
        if all(e is self.entries[e.id] for e in era.chain) and top.resolved is not None:
            return top.resolved
        key = tuple(id(e) for e in era.chain)
        if key not in self._eras:
            self._eras[key] = merge_chain(era.chain)
        return self._eras[key]

    def errors(self, pid: str | None = None) -> list[Diagnostic]:
        """Errors for one procedure (any version of it), or all errors."""
        return self.catalog.errors(split_id(pid)[0] if pid else None)

    def problems(self, pid: str) -> list[Diagnostic]:
        """Every diagnostic (errors and warnings) recorded for procedure *pid*."""
        return self.catalog.problems(pid)

    def source_texts(self, pid: str) -> dict[str, str]:
        """The shipped text of each of *pid*'s own source documents that names a ``file``, by document id.

        Files outside the plugin are left out (``validate`` reports them).
        """
        from procedurekit.host.sources import read_sources

        entry = self.entry(pid)
        return read_sources(entry, self._root(entry))[0]

    def plugin_folder(self, pid: str) -> Path:
        """The folder of the plugin that ships *pid*: where its files (sources, coverage.toml) must stay."""
        return self._root(self.entry(pid))

    def owner_chain(self, pid: str) -> list[str]:
        """Plugins whose hooks apply to *pid*: its own, then those of what it extends."""
        return self.catalog.owner_chain(pid)

    def calendar(self, pid: str) -> Calendar:
        """The working-day calendar procedure *pid* counts on (with its closure days)."""
        return procedure_calendar(self.get(pid))

    def plan(self, pid: str, *, on: dt.date | None = None) -> Plan:
        """The compiled :class:`~procedurekit.cases.engine.Plan` of procedure *pid* (built once), as
        :meth:`get` reads *pid* and *on*."""
        from procedurekit.cases.engine import Plan

        if on is not None:
            return self._era_plan(self.era(pid, on))
        if pid not in self._plans:
            procedure = self.get(pid)
            self._plans[pid] = Plan(procedure, procedure_calendar(procedure))
        return self._plans[pid]

    def _era_plan(self, era: Era) -> Plan:
        from procedurekit.cases.engine import Plan

        if all(e is self.entries[e.id] for e in era.chain):
            return self.plan(era.chain[0].id)
        key = tuple(id(e) for e in era.chain)
        if key not in self._plans:
            procedure = self._merged(era)
            self._plans[key] = Plan(procedure, procedure_calendar(procedure))
        return self._plans[key]

    def case_events(self, pid: str) -> set[str]:
        """Every event id a case may record under *pid*: those of each of its versions in force."""
        return set().union(*(s.plan.events for s in self.stretches(pid) if s.plan is not None))

    def audit_plan(self, pid: str, today: dt.date) -> Plan:
        """The plan a batch audit of *pid* on *today* evaluates: each duty under the version in force when
        it arose (:func:`~procedurekit.cases.versions.plan_over_time`; the plain plan for one version)."""
        from procedurekit.cases.versions import plan_over_time

        return plan_over_time(self.stretches(pid), today)

    def stretches(self, pid: str) -> list[Stretch]:
        """The stretches of days of :meth:`eras`, each with its compiled plan (``None`` where no version is in
        force): what :func:`~procedurekit.cases.versions.schedule_over_time` judges a case by."""
        from procedurekit.cases.versions import Stretch

        if pid not in self._stretches:
            if "@" in pid:  # one version, named: judged by it alone
                entry = self.entry(pid)
                out = [Stretch(None, None, self.plan(pid), f"{entry.id} {entry.written.version}")]
            else:
                out = [Stretch(era.start, era.end, self._era_plan(era), era.label) if era.chain else
                       Stretch(era.start, era.end, None, f'no version of "{era.missing}" was in force')
                       for era in self.eras(pid)]
            self._stretches[pid] = out
        return self._stretches[pid]

    # -- cases ---------------------------------------------------------------
    def schedule(self, pid: str, case: model.Case, today: dt.date) -> Schedule:
        """Every obligation instance of *case* under procedure *pid* on *today*, each judged under the version
        in force when it arose (docs/versions.md), and each meeting's next one."""
        from procedurekit.cases.versions import schedule_over_time

        return schedule_over_time(self.stretches(pid), case, today, self.answers(pid))

    def answers(self, pid: str) -> ProcedureAnswers:
        """The hooks' answers about procedure *pid*, in the form the engine asks for them."""
        return ProcedureAnswers(self, pid)

    # -- hook questions ------------------------------------------------------
    def _first(self, hook: str, pid: str, **kwargs: Any) -> Any:
        procedure = self.get(pid)
        return self.hooks.call(hook, owners=self.owner_chain(pid), about=pid, problems=self.diagnostics,
                                procedure=procedure, **kwargs)

    def select_chair(
        self, pid: str, meeting: str, occurrence: int = 1, *, case: model.Case | None = None,
        chair_absent: bool = False,
    ) -> model.ChairDecision | None:
        """Who chairs the *occurrence*-th *meeting* under procedure *pid*."""
        decision: model.ChairDecision | None = self._first(
            "procedurekit_select_chair", pid, meeting=meeting, occurrence=occurrence, case=case,
            chair_absent=chair_absent)
        return decision

    def next_meeting_due(self, pid: str, meeting: str, case: model.Case) -> model.MeetingDue | None:
        """The rule that sets when the next *meeting* is due in *case*."""
        due: model.MeetingDue | None = self._first("procedurekit_next_meeting_due", pid, meeting=meeting, case=case)
        return due

    def next_meeting_date(
        self, pid: str, meeting: str, case: model.Case
    ) -> tuple[model.MeetingDue | None, dt.date | None]:
        """The rule for the next *meeting* in *case* and the date it sets (``None`` if it sets none yet)."""
        due = self.next_meeting_due(pid, meeting, case)
        if due is None:
            return None, None
        return due, self.plan(pid).next_date(due, case)

    def escalation_pathway(
        self, pid: str, concern: str | None = None, *, case: model.Case | None = None
    ) -> model.PathwayDecision | None:
        """The escalation pathway for *concern* under procedure *pid*."""
        decision: model.PathwayDecision | None = self._first(
            "procedurekit_escalation_pathway", pid, concern=concern, case=case)
        return decision


@attrs.frozen
class ProcedureAnswers:
    """The hooks' answers for one procedure: what :func:`procedurekit.cases.engine.schedule` asks."""

    library: Library
    pid: str

    def next_meeting_due(self, meeting: str, case: model.Case) -> model.MeetingDue | None:
        """The rule for the next *meeting* in *case*."""
        return self.library.next_meeting_due(self.pid, meeting, case)

    def next_meeting(self, meeting: str, case: model.Case) -> tuple[model.MeetingDue | None, dt.date | None]:
        """The rule for the next *meeting* in *case* and the date it sets."""
        return self.library.next_meeting_date(self.pid, meeting, case)

    def select_chair(self, meeting: str, occurrence: int = 1, *, case: model.Case | None = None,
                     chair_absent: bool = False) -> model.ChairDecision | None:
        """Who chairs the *occurrence*-th *meeting*."""
        return self.library.select_chair(self.pid, meeting, occurrence, case=case, chair_absent=chair_absent)


def load_library(**kwargs: Any) -> Library:
    """Shorthand for :meth:`Library.load`."""
    return Library.load(**kwargs)
