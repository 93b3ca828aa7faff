"""Plugin discovery: entry points, plugin folders, and the built-in defaults.

Nothing here runs at import time and nothing is global: every call to
:func:`get_plugin_manager` builds a fresh manager, so tests and applications
each get their own. Loading is guarded plugin by plugin: one that fails to
import, or registers invalid hooks, is reported by name and the others load.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import pluggy
from attrs import frozen

from procedurekit import hookspecs
from procedurekit.builtins import DEFAULT_PLUGINS
from procedurekit.diagnostics import Diagnostic
from procedurekit.host import entrypoints
from procedurekit.host.hooks import HookRunner, describe_exception, guard_plugin

if TYPE_CHECKING:
    import importlib.metadata

__all__ = [
    "ENTRY_POINT_GROUP", "PLUGIN_PATH_ENV", "PluginInfo", "get_plugin_manager",
    "load_entry_points", "plugin_dirs_from_env", "procedure_files", "describe_exception",
]

ENTRY_POINT_GROUP = "procedurekit"
PLUGIN_PATH_ENV = "PROCEDUREKIT_PLUGIN_PATH"


@frozen
class PluginInfo:
    """A plugin as the library sees it."""

    name: str
    kind: str  # "builtin", "entry point" or "directory"
    location: str  # module name or folder
    distribution: str | None = None
    version: str | None = None


class ProcedurePluginManager(pluggy.PluginManager):
    """A pluggy manager whose hook implementations are guarded as they are registered (see host.hooks)."""

    def register(self, plugin: object, name: str | None = None) -> str | None:
        registered = super().register(plugin, name)
        if registered is not None:
            guard_plugin(self, plugin)
        return registered


def get_plugin_manager(*, disable: Iterable[str] = ()) -> pluggy.PluginManager:
    """A new manager with the hook specs and the built-in default plugins.

    :param disable: names of plugins (built-in or entry point) to block.
    """
    pm = ProcedurePluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    for name in disable:
        pm.set_blocked(name)
    for name, module in DEFAULT_PLUGINS.items():
        if not pm.is_blocked(name):
            pm.register(importlib.import_module(module), name=name)
    return pm


def load_entry_points(
    pm: pluggy.PluginManager, entry_points: Sequence[importlib.metadata.EntryPoint] | None = None
) -> tuple[list[PluginInfo], list[Diagnostic]]:
    """Import and register every plugin of the ``procedurekit`` entry-point group.

    Each entry point is loaded on its own: an import error, an invalid hook
    or a name already taken is reported as a ``plugin-error`` and loading
    goes on with the next.
    """
    if entry_points is None:
        # found as importlib.metadata finds them, without its cost (host.entrypoints)
        found: Sequence[Any] = entrypoints.entry_points(ENTRY_POINT_GROUP)
        entry_points = found
    infos: list[PluginInfo] = []
    problems: list[Diagnostic] = []
    taken: dict[str, str] = {}
    for ep in sorted(entry_points, key=lambda e: e.name):
        dist = getattr(ep, "dist", None)
        dist_name = dist.metadata["Name"] if dist is not None else None
        label = f"{ep.name} ({dist_name})" if dist_name else ep.name
        if pm.is_blocked(ep.name):
            continue
        if ep.name in taken or ep.name in DEFAULT_PLUGINS:
            other = taken.get(ep.name, "procedurekit itself")
            problems.append(Diagnostic("plugin-error", f'plugin name "{ep.name}" is registered by both '
                                       f"{other} and {dist_name or ep.value}; uninstall one of them",
                                       plugin=ep.name))
            continue
        try:
            module = ep.load()
        except BaseException as exc:  # noqa: BLE001 - a plugin may raise anything, even SystemExit
            if isinstance(exc, KeyboardInterrupt):
                raise
            problems.append(Diagnostic("plugin-error", f"plugin {label} failed to import: "
                                       f"{describe_exception(exc)}", plugin=ep.name))
            continue
        try:
            pm.register(module, name=ep.name)
            _check_hook_names(pm, module)
        except pluggy.PluginValidationError as exc:
            if pm.is_registered(module):
                pm.unregister(module)
            problems.append(Diagnostic("plugin-error", f"plugin {label} has an invalid hook: {exc}",
                                       plugin=ep.name))
            continue
        except ValueError as exc:
            problems.append(Diagnostic("plugin-error", f"plugin {label} could not be registered: {exc}",
                                       plugin=ep.name))
            continue
        taken[ep.name] = dist_name or ep.value
        infos.append(PluginInfo(ep.name, "entry point", ep.value, dist_name,
                                dist.version if dist is not None else None))
    return infos, problems


def _check_hook_names(pm: pluggy.PluginManager, module: object) -> None:
    # pluggy accepts implementations of hooks that have no spec (they might be
    # specified later); here they can only be misspellings.
    for name, caller in vars(pm.hook).items():
        if caller.spec is None and any(impl.plugin is module for impl in caller.get_hookimpls()):
            raise pluggy.PluginValidationError(
                module, f'"{name}" is not a procedurekit hook (see docs/hooks.md for the hook names)')


def plugin_dirs_from_env(environ: Mapping[str, str] | None = None) -> list[Path]:
    """Plugin folders named by ``PROCEDUREKIT_PLUGIN_PATH`` (``os.pathsep``-separated)."""
    value = (environ if environ is not None else os.environ).get(PLUGIN_PATH_ENV, "")
    return [Path(p) for p in value.split(os.pathsep) if p.strip()]


def directory_files(folder: Path) -> list[Path]:
    """The procedure files of a plugin folder: its ``*.toml`` files (not pyproject or tests).

    A plugin's project folder (with ``pyproject.toml``) holds none of its own:
    then the files in its package's ``procedures/`` folder are used.
    """
    # not only ordinary files: a FIFO or device named *.toml is reported by the loader, not skipped in silence
    found = sorted(
        p for p in folder.glob("*.toml")
        if not p.is_dir() and p.name != "pyproject.toml" and not p.name.startswith("test_")
    )
    if not found and (folder / "pyproject.toml").is_file():
        found = sorted(folder.glob("*/procedures/*.toml"))
    return found


def _package_dir(plugin: object) -> Path | None:
    if isinstance(plugin, ModuleType) and plugin.__file__:
        path = Path(plugin.__file__).resolve()
        if path.name == "__init__.py":
            return path.parent
        return None
    return None


def procedure_files(
    pm: pluggy.PluginManager, builtin: Iterable[str] = DEFAULT_PLUGINS
) -> tuple[list[tuple[str, Path]], list[Diagnostic]]:
    """``(plugin name, file)`` for every procedure file the registered plugins provide.

    A plugin package without a ``procedurekit_procedure_files`` hook provides
    the ``*.toml`` files of its ``procedures/`` folder. Paths a plugin gives
    must lie inside its own package.
    """
    builtin = set(builtin)
    problems: list[Diagnostic] = []
    answers = HookRunner(pm, builtin).call("procedurekit_procedure_files", problems=problems)
    given = {a.plugin: list(a) for a in answers}
    implementers = {impl.plugin_name for impl in pm.hook.procedurekit_procedure_files.get_hookimpls()}
    out: list[tuple[str, Path]] = []
    for name, plugin in pm.list_name_plugin():
        package = _package_dir(plugin)
        if name not in implementers:
            if package is not None and name not in builtin:
                out.extend((name, p) for p in directory_files(package / "procedures"))
            continue
        for path in _confined(name, package, given.get(name, ()), name in builtin, problems):
            out.append((name, path))
    return out, problems


def _confined(name: str, package: Path | None, paths: Iterable[str | os.PathLike[str]], builtin: bool,
              problems: list[Diagnostic]) -> Iterable[Path]:
    """The files a plugin named, each inside its own package (a built-in plugin may name any)."""
    for raw in paths:
        path = Path(raw)
        if builtin:
            yield path
            continue
        if package is None:
            problems.append(Diagnostic("plugin-path", f"plugin {name} is a single module; procedure "
                                       "files must be shipped inside a plugin package", plugin=name))
            return
        path = (package / path).resolve()
        if not path.is_relative_to(package):
            problems.append(Diagnostic("plugin-path", f'plugin {name} named "{raw}", which is outside '
                                       f"its package folder {package}; ship the file inside the "
                                       "package", plugin=name))
            continue
        yield path
