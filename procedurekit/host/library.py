"""The library of installed procedures: the main entry point for applications.

>>> from procedurekit import Library
>>> library = Library.load()                       # doctest: +SKIP
>>> library.get("england").obligations["icpc"]     # doctest: +SKIP

A :class:`Library` gathers procedure files from the built-in baselines, from
installed plugins and from plugin folders; loads them; resolves ``extends``
(a procedure overrides the items of the one it extends by id); runs the
validation hooks; and answers hook questions (who chairs, when is the next
meeting due, which escalation pathway) for one procedure at a time, calling
only the hooks of the plugin that owns it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import importlib.metadata
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import pluggy

from procedurekit import model
from procedurekit.builtins import DEFAULT_PLUGINS
from procedurekit.calendars import Calendar, procedure_calendar
from procedurekit.diagnostics import Diagnostic, ProcedureError, Severity
from procedurekit.loader import ProcedureFile, load_file
from procedurekit.host.plugins import (
    PluginInfo, describe_exception, directory_files, get_plugin_manager, load_entry_points,
    plugin_dirs_from_env, procedure_files,
)

if TYPE_CHECKING:
    from procedurekit.cases.engine import Schedule

__all__ = ["Library", "ProcedureEntry", "load_library", "COMMAND_LINE"]

#: plugin name given to files named directly (e.g. on the command line)
COMMAND_LINE = "command line"
#: longest ``extends`` chain followed
MAX_EXTENDS_DEPTH = 32
_DEFAULT_CALENDAR = "england-and-wales"


@attrs.define
class ProcedureEntry:
    """One procedure: the file it came from, its plugin, as written and resolved."""

    file: ProcedureFile
    plugin: str
    written: model.Procedure
    resolved: model.Procedure | None = None

    @property
    def id(self) -> str:
        return self.written.id

    @property
    def path(self) -> str:
        return self.file.path


class Library:
    """Procedures loaded from plugins, resolved and validated. Build with :meth:`load`."""

    def __init__(self, pm: pluggy.PluginManager, plugins: list[PluginInfo]):
        self.pm = pm
        self.plugins = plugins
        self.entries: dict[str, ProcedureEntry] = {}
        #: files that declare a procedure id but could not be loaded
        self.failed: dict[str, ProcedureFile] = {}
        self.files: list[ProcedureFile] = []
        #: problems not tied to one procedure (plugins, unreadable files) and all others
        self.diagnostics: list[Diagnostic] = []
        self._by_procedure: dict[str, list[Diagnostic]] = {}
        self._unresolvable: set[str] = set()
        self._plans: dict[str, Any] = {}

    # -- building ------------------------------------------------------------
    @classmethod
    def load(
        cls,
        *,
        plugin_dirs: Iterable[str | Path] = (),
        overrides: Iterable[str | Path] = (),
        entry_points: bool | Sequence[importlib.metadata.EntryPoint] = True,
        environ: dict[str, str] | None = None,
        disable: Iterable[str] = (),
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
        problems += file_problems
        seen_names = {i.name for i in infos}
        for folder in [*map(Path, plugin_dirs), *plugin_dirs_from_env(environ)]:
            name = folder.resolve().name or str(folder)
            if name in seen_names:
                name = str(folder)
            if not folder.is_dir():
                problems.append(Diagnostic("plugin-error", f"plugin folder {folder} does not exist "
                                           "or is not a folder", plugin=name))
                continue
            seen_names.add(name)
            infos.append(PluginInfo(name, "directory", str(folder)))
            files += [(name, p) for p in directory_files(folder)]
        override_files: list[Path] = []
        for target in map(Path, overrides):
            override_files += directory_files(target) if target.is_dir() else [target]
        library = cls(pm, infos)
        library.diagnostics += problems
        library._add_files(files, override_files)
        library._resolve_all()
        library._validate_all()
        return library

    def _add_files(self, files: list[tuple[str, Path]], overrides: list[Path]) -> None:
        loaded: dict[Path, ProcedureFile] = {}
        override_paths = {p.resolve() for p in overrides}
        candidates: dict[str, list[ProcedureEntry]] = {}
        for plugin, path in [*files, *((COMMAND_LINE, p) for p in overrides)]:
            real = path.resolve()
            if real in loaded:
                continue
            pf = load_file(path, plugin=plugin)
            loaded[real] = pf
            self.files.append(pf)
            if pf.procedure is None:
                if pf.declared_id:
                    self.failed.setdefault(pf.declared_id, pf)
                    self._note(pf.declared_id, pf.diagnostics)
                else:
                    self.diagnostics += pf.diagnostics
                continue
            entry = ProcedureEntry(pf, plugin, pf.procedure)
            candidates.setdefault(entry.id, []).append(entry)
            self._note(entry.id, pf.diagnostics)
        for pid, pf in list(self.failed.items()):
            if Path(pf.path).resolve() in override_paths:
                # a draft given in place of an installed procedure: its errors stand,
                # and the installed version does not silently take its place
                candidates.pop(pid, None)
            elif pid in candidates:
                del self.failed[pid]  # another file defines it successfully
        for pid, entries in candidates.items():
            preferred = [e for e in entries if Path(e.path).resolve() in override_paths]
            chosen = preferred or entries
            if len(chosen) > 1:
                names = " and ".join(f"{e.path} (plugin {e.plugin})" for e in chosen)
                for e in chosen:
                    self._note(pid, [e.file.diagnostic(
                        "duplicate-procedure", f'procedure id "{pid}" is defined by both {names}; '
                        "ids must be unique: rename one or uninstall a plugin",
                        ("procedure", "id"), at_value=True)])
            self.entries[pid] = chosen[0]

    def _note(self, pid: str, diagnostics: Iterable[Diagnostic]) -> None:
        diagnostics = [attrs.evolve(d, procedure=pid) for d in diagnostics]
        self._by_procedure.setdefault(pid, []).extend(diagnostics)
        self.diagnostics += diagnostics

    # -- extends -------------------------------------------------------------
    def _resolve_all(self) -> None:
        for pid in sorted(self.entries):
            self._resolve(pid, ())

    def _resolve(self, pid: str, chain: tuple[str, ...]) -> model.Procedure | None:
        entry = self.entries[pid]
        if entry.resolved is not None or pid in self._unresolvable:
            return entry.resolved
        resolved = self._resolve_parent(entry, chain)
        if resolved is None:
            self._unresolvable.add(pid)
        entry.resolved = resolved
        return resolved

    def _resolve_parent(self, entry: ProcedureEntry, chain: tuple[str, ...]) -> model.Procedure | None:
        pid, written = entry.id, entry.written
        parent_id = written.extends
        if parent_id is None:
            return _merge(None, written)
        where = ("procedure", "extends")
        if parent_id in chain:
            loop = [*chain[chain.index(parent_id):], pid]
            text = " -> ".join([*loop, parent_id])
            for member in loop:
                self._unresolvable.add(member)
                self._note(member, [self.entries[member].file.diagnostic(
                    "extends-cycle", f"procedures extend each other in a loop ({text}): one of them "
                    "must extend a baseline instead", where, at_value=True)])
            return None
        if parent_id not in self.entries:
            close = difflib.get_close_matches(parent_id, sorted(self.entries), n=1, cutoff=0.6)
            hint = f'; did you mean "{close[0]}"?' if close else \
                f"; installed procedures: {', '.join(sorted(self.entries))}"
            self._note(pid, [entry.file.diagnostic(
                "unknown-procedure", f'extends "{parent_id}", which is not installed{hint}',
                where, at_value=True)])
            return None
        if len(chain) >= MAX_EXTENDS_DEPTH:
            self._note(pid, [entry.file.diagnostic(
                "extends-cycle", f"extends chain is longer than {MAX_EXTENDS_DEPTH} procedures",
                where, at_value=True)])
            return None
        parent = self._resolve(parent_id, (*chain, pid))
        if parent is None:
            if pid not in self._unresolvable:
                self._note(pid, [entry.file.diagnostic(
                    "unknown-procedure", f'extends "{parent_id}", which has errors: fix those first',
                    where, at_value=True)])
            return None
        clashes = [s for s in written.sources if s in parent.sources]
        if clashes:
            self._note(pid, [entry.file.diagnostic(
                "duplicate-id", f'source id "{s}" is already used by '
                f'"{parent.origins.get("sources." + s, parent_id)}", which this procedure extends: '
                "give this source another id", ("sources", s)) for s in clashes])
            return None
        return _merge(parent, written)

    # -- validation ----------------------------------------------------------
    def _validate_all(self) -> None:
        for pid, entry in sorted(self.entries.items()):
            if entry.resolved is None:
                continue
            parent = self.entries[entry.written.extends].resolved if entry.written.extends else None
            found: list[Diagnostic] = []
            for plugin, result in self._call("procedurekit_validate_procedure", entry.resolved, procedure=entry.resolved, baseline=parent):
                if result is None:
                    continue
                try:
                    items = list(result)
                except TypeError:
                    items = [result]
                for d in items:
                    if not isinstance(d, Diagnostic):
                        self.diagnostics.append(Diagnostic(
                            "plugin-error", f"plugin {plugin} returned {type(d).__name__} from "
                            "procedurekit_validate_procedure; expected Diagnostic objects", plugin=plugin))
                        continue
                    found.append(self._place(pid, d, plugin))
            found += self._check_quotes(entry)
            self._note(pid, found)

    def _root(self, entry: ProcedureEntry) -> Path:
        """The folder a plugin's files must stay inside."""
        from procedurekit.host.plugins import _package_dir

        info = next((p for p in self.plugins if p.name == entry.plugin), None)
        if info is not None and info.kind == "directory":
            return Path(info.location).resolve()
        package = _package_dir(self.pm.get_plugin(entry.plugin)) if self.pm.has_plugin(entry.plugin) else None
        if package is not None and entry.plugin not in DEFAULT_PLUGINS:
            return package
        return Path(entry.path).resolve().parent

    def _check_quotes(self, entry: ProcedureEntry) -> list[Diagnostic]:
        """Source documents with a ``file``: the file is the plugin's, and every quote is in it."""
        from procedurekit.builtins.checks import iter_sources
        from procedurekit.authoring.coverage import normalise, quoted

        written = entry.written
        texts: dict[str, str] = {}
        out: list[Diagnostic] = []
        root = self._root(entry)
        for doc_id, doc in written.sources.items():
            if not doc.file:
                continue
            key = ("sources", doc_id, "file")
            path = (Path(entry.path).resolve().parent / doc.file).resolve()
            if not path.is_relative_to(root):
                out.append(entry.file.diagnostic("source-file", f'"{doc.file}" is outside the plugin '
                                                 f"({root}); ship the text inside the plugin", key, at_value=True))
                continue
            try:
                texts[doc_id] = normalise(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError) as exc:
                out.append(entry.file.diagnostic("source-file", f'cannot read "{doc.file}": '
                                                 f"{getattr(exc, 'strerror', None) or exc}", key, at_value=True))
        if not texts:
            return out
        for key, src in iter_sources(written):
            if src.doc not in texts or not src.quote:
                continue
            if not quoted(normalise(src.quote), texts[src.doc]):
                quote_key = key[:-1] + ("quote",)
                out.append(entry.file.diagnostic(
                    "quote-not-found", f'quote not found in {written.sources[src.doc].file}: copy the words '
                    "exactly (use … where words are left out)", quote_key, at_value=True))
        return out

    def _place(self, pid: str, d: Diagnostic, plugin: str) -> Diagnostic:
        """Locate a hook's diagnostic in the file that defines the item it names."""
        entry = self.entries[pid]
        target = entry
        if len(d.key) >= 2 and entry.resolved is not None:
            # the most specific origin recorded: "meetings.icpc.chair.first", then "meetings.icpc"
            origin = pid
            for n in range(len(d.key), 1, -1):
                found = entry.resolved.origins.get(".".join(map(str, d.key[:n])))
                if found:
                    origin = found
                    break
            target = self.entries.get(origin, entry)
        line, col = target.file.locate(d.key, at_value=True) if d.key else (None, None)
        builtin = plugin in DEFAULT_PLUGINS
        return attrs.evolve(d, path=d.path or target.path, line=d.line or line, column=d.column or col,
                            plugin=d.plugin or (target.plugin if builtin else plugin))

    # -- queries -------------------------------------------------------------
    def ids(self) -> list[str]:
        return sorted(self.entries)

    def entry(self, pid: str) -> ProcedureEntry:
        """The entry for *pid*; raises :class:`ProcedureError` if it is unknown or failed to load."""
        if pid in self.failed and pid not in self.entries:
            raise ProcedureError(self.errors(pid))
        try:
            return self.entries[pid]
        except KeyError:
            close = difflib.get_close_matches(pid, self.ids(), n=1, cutoff=0.6)
            hint = f'; did you mean "{close[0]}"?' if close else f"; installed: {', '.join(self.ids())}"
            raise ProcedureError([Diagnostic("unknown-procedure", f'no procedure "{pid}"{hint}')]) from None

    def get(self, pid: str, *, allow_invalid: bool = False) -> model.Procedure:
        """The resolved procedure *pid*; raises :class:`ProcedureError` if it is unknown or invalid."""
        entry = self.entry(pid)
        errors = self.errors(pid)
        if entry.resolved is None or (errors and not allow_invalid):
            raise ProcedureError(errors or [Diagnostic("unknown-procedure", f'"{pid}" could not be resolved')])
        return entry.resolved

    def errors(self, pid: str | None = None) -> list[Diagnostic]:
        """Errors for one procedure, or all errors."""
        pool = self.diagnostics if pid is None else self._by_procedure.get(pid, [])
        return [d for d in pool if d.severity is Severity.ERROR]

    def problems(self, pid: str) -> list[Diagnostic]:
        """Every diagnostic (errors and warnings) recorded for procedure *pid*."""
        return list(self._by_procedure.get(pid, []))

    def owner_chain(self, pid: str) -> list[str]:
        """Plugins whose hooks apply to *pid*: its own, then those of what it extends."""
        owners: list[str] = []
        seen: set[str] = set()
        while pid in self.entries and pid not in seen:
            seen.add(pid)
            entry = self.entries[pid]
            if entry.plugin not in owners:
                owners.append(entry.plugin)
            pid = entry.written.extends or ""
        return owners

    # -- hooks ---------------------------------------------------------------
    def _call(self, hook: str, target: model.Procedure, **kwargs: Any) -> Iterator[tuple[str, Any]]:
        """Call *hook* for procedure *target*: its plugins' implementations, then the defaults."""
        owners = self.owner_chain(target.id)
        impls = [
            i for i in reversed(getattr(self.pm.hook, hook).get_hookimpls())
            if i.plugin_name in owners or i.plugin_name in DEFAULT_PLUGINS
        ]
        impls.sort(key=lambda i: owners.index(i.plugin_name) if i.plugin_name in owners else len(owners))
        for impl in impls:
            try:
                result = impl.function(**{name: kwargs[name] for name in impl.argnames})
            except Exception as exc:  # noqa: BLE001 - isolate the plugin, report it by name
                self.diagnostics.append(Diagnostic(
                    "plugin-error", f"plugin {impl.plugin_name} raised in {hook} for "
                    f'"{target.id}": {describe_exception(exc)}', plugin=impl.plugin_name,
                    procedure=target.id))
                continue
            yield impl.plugin_name, result

    def _first(self, hook: str, expected: type, procedure: model.Procedure, **kwargs: Any) -> Any:
        for plugin, result in self._call(hook, procedure, procedure=procedure, **kwargs):
            if result is None:
                continue
            if not isinstance(result, expected):
                self.diagnostics.append(Diagnostic(
                    "plugin-error", f"plugin {plugin} returned {type(result).__name__} from {hook}; "
                    f"expected {expected.__name__} or None", plugin=plugin, procedure=procedure.id))
                continue
            return attrs.evolve(result, decided_by=plugin)
        return None

    def calendar(self, pid: str) -> Calendar:
        """The working-day calendar procedure *pid* counts on (with its closure days)."""
        return procedure_calendar(self.get(pid))

    def plan(self, pid: str):
        """The compiled :class:`~procedurekit.engine.Plan` of procedure *pid* (built once)."""
        from procedurekit.cases.engine import Plan

        if pid not in self._plans:
            self._plans[pid] = Plan(self.get(pid), self.calendar(pid))
        return self._plans[pid]

    def schedule(self, pid: str, case: model.Case, today: dt.date) -> Schedule:
        """Every obligation instance of *case* under procedure *pid* on *today*, and each meeting's next one."""
        from procedurekit.cases.engine import schedule

        return schedule(self.plan(pid), case, today, self.answers(pid))

    def answers(self, pid: str) -> ProcedureAnswers:
        """The hooks' answers about procedure *pid*, in the form the engine asks for them."""
        return ProcedureAnswers(self, pid)

    def select_chair(
        self, pid: str, meeting: str, occurrence: int = 1, *, case: model.Case | None = None,
        chair_absent: bool = False,
    ) -> model.ChairDecision | None:
        """Who chairs the *occurrence*-th *meeting* under procedure *pid*."""
        return self._first("procedurekit_select_chair", model.ChairDecision, self.get(pid),
                           meeting=meeting, occurrence=occurrence, case=case, chair_absent=chair_absent)

    def next_meeting_due(self, pid: str, meeting: str, case: model.Case) -> model.MeetingDue | None:
        """The rule that sets when the next *meeting* is due in *case*."""
        return self._first("procedurekit_next_meeting_due", model.MeetingDue, self.get(pid),
                           meeting=meeting, case=case)

    def next_meeting_date(self, pid: str, meeting: str, case: model.Case) -> tuple[model.MeetingDue | None, dt.date | None]:
        """The rule for the next *meeting* in *case* and the date it sets (``None`` if it sets none yet)."""
        due = self.next_meeting_due(pid, meeting, case)
        if due is None:
            return None, None
        return due, self.plan(pid).next_date(due, case)

    def escalation_pathway(
        self, pid: str, concern: str | None = None, *, case: model.Case | None = None
    ) -> model.PathwayDecision | None:
        """The escalation pathway for *concern* under procedure *pid*."""
        return self._first("procedurekit_escalation_pathway", model.PathwayDecision, self.get(pid),
                           concern=concern, case=case)


def _merge(parent: model.Procedure | None, child: model.Procedure) -> model.Procedure:
    """*child* laid over *parent*: items with the same id replace the parent's."""
    sections: dict[str, dict] = {}
    origins: dict[str, str] = dict(parent.origins) if parent else {}
    for name in model.SECTIONS:
        merged = dict(parent.section(name)) if parent else {}
        for item_id, item in child.section(name).items():
            key = f"{name}.{item_id}"
            if name == "meetings" and item_id in merged:
                item = _merge_meeting(merged[item_id], item, key, child.id, origins)
            else:
                origins[key] = child.id
            merged[item_id] = item
        sections[name] = merged
    return attrs.evolve(
        child,
        calendar=child.calendar or (parent.calendar if parent else None) or _DEFAULT_CALENDAR,
        jurisdiction=child.jurisdiction or (parent.jurisdiction if parent else None),
        closures=tuple(sorted(set(child.closures) | set(parent.closures if parent else ()))),
        origins=origins,
        **sections,
    )


def _merge_meeting(parent: model.Meeting, child: model.Meeting, key: str, child_id: str,
                   origins: dict[str, str]) -> model.Meeting:
    """A meeting rule by rule: what the child states replaces the parent's, the rest is kept.

    ``origins`` gains an entry for each rule the child states (``meetings.ID.quorum``,
    ``meetings.ID.chair.first``...); rules kept from the parent are found under
    the parent's entries (the most specific recorded key wins).
    """
    changes: dict[str, object] = {}
    for field in attrs.fields(model.Meeting):
        value = getattr(child, field.name)
        if value in (None, ()):
            continue
        if field.name == "chair":
            slots = {s: getattr(value, s) for s in ("each", "first", "subsequent", "fallback")
                     if getattr(value, s) is not None}
            value = attrs.evolve(parent.chair, **slots) if parent.chair else value
            for slot in slots:
                origins[f"{key}.chair.{slot}"] = child_id
        else:
            origins[f"{key}.{field.name}"] = child_id
        changes[field.name] = value
    return attrs.evolve(parent, **changes)


@attrs.frozen
class ProcedureAnswers:
    """The hooks' answers for one procedure: what :func:`procedurekit.cases.engine.schedule` asks."""

    library: Library
    pid: str

    def next_meeting_due(self, meeting: str, case: model.Case) -> model.MeetingDue | None:
        return self.library.next_meeting_due(self.pid, meeting, case)

    def select_chair(self, meeting: str, occurrence: int = 1, *, case: model.Case | None = None,
                     chair_absent: bool = False) -> model.ChairDecision | None:
        return self.library.select_chair(self.pid, meeting, occurrence, case=case, chair_absent=chair_absent)


def load_library(**kwargs: Any) -> Library:
    """Shorthand for :meth:`Library.load`."""
    return Library.load(**kwargs)
