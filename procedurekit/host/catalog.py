"""The catalog: procedure files gathered from plugins, loaded, and indexed by id, with every problem found."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

import attrs

from procedurekit import model
from procedurekit.diagnostics import Diagnostic, Severity
from procedurekit.host.plugins import PluginInfo, directory_files, plugin_dirs_from_env
from procedurekit.host.filecache import load_cached
from procedurekit.loader import ProcedureFile

__all__ = ["COMMAND_LINE", "ProcedureEntry", "Catalog", "plugin_folders"]

#: plugin name given to files named directly (e.g. on the command line)
COMMAND_LINE = "command line"


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

    def __repr__(self) -> str:
        return f"<ProcedureEntry {self.id!r} from {self.path} (plugin {self.plugin})>"


def plugin_folders(
    plugin_dirs: Iterable[str | Path], environ: Mapping[str, str] | None, taken: set[str]
) -> tuple[list[PluginInfo], list[tuple[str, Path]], list[Diagnostic]]:
    """Plugin folders (given, and from ``PROCEDUREKIT_PLUGIN_PATH``): each a plugin named after the folder."""
    infos: list[PluginInfo] = []
    files: list[tuple[str, Path]] = []
    problems: list[Diagnostic] = []
    for folder in [*map(Path, plugin_dirs), *plugin_dirs_from_env(environ)]:
        name = folder.resolve().name or str(folder)
        if name in taken:
            name = str(folder)
        if not folder.is_dir():
            problems.append(Diagnostic("plugin-error", f"plugin folder {folder} does not exist "
                                       "or is not a folder", plugin=name))
            continue
        taken.add(name)
        infos.append(PluginInfo(name, "directory", str(folder)))
        files += [(name, p) for p in directory_files(folder)]
    return infos, files, problems


def override_files(targets: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """The files named to take the place of installed procedures (a folder stands for its files)."""
    out: list[Path] = []
    for target in map(Path, targets):
        out += directory_files(target) if target.is_dir() else [target]
    return out


class Catalog:
    """Procedure files by id, the ones that failed, and every diagnostic, by procedure and overall."""

    def __init__(self, cache: Path | None = None) -> None:
        #: the folder of the loaded-file cache, or ``None`` (see :mod:`procedurekit.host.filecache`)
        self.cache = cache
        #: the procedures by id; of one with several versions, the latest
        self.entries: dict[str, ProcedureEntry] = {}
        #: every version, earliest first, of each procedure that has more than one (host.versions)
        self.versions: dict[str, list[ProcedureEntry]] = {}
        #: files that declare a procedure id but could not be loaded
        self.failed: dict[str, ProcedureFile] = {}
        self.files: list[ProcedureFile] = []
        #: problems not tied to one procedure (plugins, unreadable files) and all others
        self.diagnostics: list[Diagnostic] = []
        self._by_procedure: dict[str, list[Diagnostic]] = {}

    def note(self, pid: str, diagnostics: Iterable[Diagnostic]) -> None:
        """Record *diagnostics* as problems of procedure *pid*."""
        diagnostics = [attrs.evolve(d, procedure=pid) for d in diagnostics]
        self._by_procedure.setdefault(pid, []).extend(diagnostics)
        self.diagnostics += diagnostics

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

    def add_files(self, files: list[tuple[str, Path]], overrides: list[Path]) -> None:
        """Load *files* (``(plugin, path)``) and *overrides*, which take the place of installed ids."""
        override_paths = {p.resolve() for p in overrides}
        candidates = self._load_all([*files, *((COMMAND_LINE, p) for p in overrides)])
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
                from procedurekit.host.versions import order_versions

                ordered = order_versions(pid, chosen, self)
                if ordered is None:
                    self._duplicates(pid, chosen)
                else:
                    self.versions[pid] = chosen = ordered
                    chosen = chosen[::-1]  # the latest is the procedure's entry
            self.entries[pid] = chosen[0]

    def _load_all(self, files: list[tuple[str, Path]]) -> dict[str, list[ProcedureEntry]]:
        loaded: set[Path] = set()
        candidates: dict[str, list[ProcedureEntry]] = {}
        for plugin, path in files:
            real = path.resolve()
            if real in loaded:
                continue
            loaded.add(real)
            pf = load_cached(path, plugin, self.cache)
            self.files.append(pf)
            if pf.procedure is None:
                if pf.declared_id:
                    self.failed.setdefault(pf.declared_id, pf)
                    self.note(pf.declared_id, pf.diagnostics)
                else:
                    self.diagnostics += pf.diagnostics
                continue
            entry = ProcedureEntry(pf, plugin, pf.procedure)
            candidates.setdefault(entry.id, []).append(entry)
            self.note(entry.id, pf.diagnostics)
        return candidates

    def _duplicates(self, pid: str, chosen: list[ProcedureEntry]) -> None:
        names = " and ".join(f"{e.path} (plugin {e.plugin})" for e in chosen)
        for e in chosen:
            self.note(pid, [e.file.diagnostic(
                "duplicate-procedure", f'procedure id "{pid}" is defined by both {names}; '
                "ids must be unique: rename one or uninstall a plugin (versions of one procedure each "
                "name a different version and an effective_from)",
                ("procedure", "id"), at_value=True)])
