"""Hook calls through pluggy, scoped to the plugins that own a procedure and guarded plugin by plugin.

Every call goes through pluggy's own hook callers, so ``firstresult``,
``tryfirst``/``trylast`` and hook wrappers behave as pluggy documents. Two
things are added around each implementation when it is registered:

* **a guard**: an implementation that raises, or answers with the wrong
  type, is reported as a ``plugin-error`` naming the plugin, and counts as
  having answered ``None``, so the next implementation (in the end the
  built-in default) answers instead;
* **attribution**: each answer carries the name of the plugin that gave it
  (``decided_by`` on decisions; the place of a validation diagnostic).

The guard is active only inside :meth:`HookRunner.call`; a direct call of
``pm.hook.NAME(...)`` behaves exactly as plain pluggy.
"""

from __future__ import annotations

import contextvars
import functools
import os
from collections.abc import Callable, Collection, Iterable, Sequence
from pathlib import Path
from typing import Any

import attrs
import pluggy

from procedurekit.diagnostics import Diagnostic
from procedurekit.model import ChairDecision, MeetingDue, PathwayDecision

__all__ = ["Answer", "HookRunner", "guard_plugin", "describe_exception"]

#: hook -> what one implementation may answer (besides None)
EXPECTED: dict[str, tuple[type, ...]] = {
    "procedurekit_select_chair": (ChairDecision,),
    "procedurekit_next_meeting_due": (MeetingDue,),
    "procedurekit_escalation_pathway": (PathwayDecision,),
    "procedurekit_validate_procedure": (Diagnostic,),  # an iterable of these
    "procedurekit_procedure_files": (str, os.PathLike),  # an iterable of these
}
_MANY = {"procedurekit_validate_procedure", "procedurekit_procedure_files"}


class Answer(list[Any]):
    """The items one implementation gave to a hook that collects lists (files, diagnostics), and its plugin.

    A list, so hook wrappers see what the implementation returned.
    """

    def __init__(self, plugin: str, items: Iterable[Any]):
        super().__init__(items)
        self.plugin = plugin


@attrs.define
class _Call:
    """The hook call in progress: where problems go, and which procedure it is about."""

    hook: str
    procedure: str | None
    problems: list[Diagnostic]


_CURRENT: contextvars.ContextVar[_Call | None] = contextvars.ContextVar("procedurekit_hook_call", default=None)


def describe_exception(exc: BaseException) -> str:
    """``ValueError: message (file.py:12)``: the exception and where it was raised."""
    import traceback  # only when a plugin fails

    frames = traceback.extract_tb(exc.__traceback__)
    where = f" ({Path(frames[-1].filename).name}:{frames[-1].lineno})" if frames else ""
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}{where}"


def guard_plugin(pm: pluggy.PluginManager, plugin: object) -> None:
    """Guard every (non-wrapper) hook implementation of the registered *plugin*."""
    name = pm.get_name(plugin)
    if name is None:
        return
    for caller in pm.get_hookcallers(plugin) or ():
        for impl in caller.get_hookimpls():
            if impl.plugin is plugin and not (impl.wrapper or impl.hookwrapper):
                # HookImpl.function is what pluggy's caller invokes
                impl.function = _guarded(impl.function, name, caller.name)  # type: ignore[misc]


def _guarded(function: Callable[..., Any], plugin: str, hook: str) -> Callable[..., Any]:
    @functools.wraps(function)
    def guarded(*args: Any) -> Any:
        call = _CURRENT.get()
        if call is None:
            return function(*args)
        try:
            result = function(*args)
        except Exception as exc:  # noqa: BLE001 - isolate the plugin, report it by name
            call.problems.append(_plugin_error(plugin, call, f"raised in {hook}{_about(call)}: "
                                               f"{describe_exception(exc)}"))
            return None
        return _accept(plugin, call, result)

    return guarded


def _about(call: _Call) -> str:
    return f' for "{call.procedure}"' if call.procedure else ""


def _plugin_error(plugin: str, call: _Call, text: str) -> Diagnostic:
    return Diagnostic("plugin-error", f"plugin {plugin} {text}", plugin=plugin, procedure=call.procedure)


def _accept(plugin: str, call: _Call, result: Any) -> Any:
    """*result* with its plugin recorded, or ``None`` (reported) when it is not what the hook returns."""
    if result is None:
        return None
    expected = EXPECTED.get(call.hook, (object,))
    names = " or ".join(t.__name__ for t in expected)
    if call.hook not in _MANY:
        if not isinstance(result, expected):
            call.problems.append(_plugin_error(plugin, call, f"returned {type(result).__name__} from "
                                               f"{call.hook}; expected {names} or None"))
            return None
        return attrs.evolve(result, decided_by=plugin) if hasattr(result, "decided_by") else result  # type: ignore[misc]
    items = [result] if isinstance(result, (*expected, str)) else result
    try:
        items = list(items)
    except TypeError:
        items = [items]
    for item in items:
        if not isinstance(item, expected):
            call.problems.append(_plugin_error(plugin, call, f"returned {type(item).__name__} from "
                                               f"{call.hook}; expected {names} objects"))
    good = [item for item in items if isinstance(item, expected)]
    if call.hook == "procedurekit_validate_procedure":
        good = [d if d.plugin else attrs.evolve(d, plugin=plugin) for d in good if isinstance(d, Diagnostic)]
    return Answer(plugin, good)


class HookRunner:
    """Calls hooks through pluggy for the plugins that own a procedure (and the built-in defaults)."""

    def __init__(self, pm: pluggy.PluginManager, defaults: Collection[str]):
        self.pm = pm
        self.defaults = frozenset(defaults)
        self._callers: dict[tuple[str, frozenset[str] | None], Any] = {}

    def call(self, hook: str, *, owners: Sequence[str] | None = None, about: str | None = None,
             problems: list[Diagnostic], **kwargs: Any) -> Any:
        """Call *hook* through pluggy: the first answer of a ``firstresult`` hook (or ``None``), else the
        list of :class:`Answer` lists, in pluggy's order.

        :param owners: plugins whose implementations apply (with the defaults);
            ``None`` for all registered plugins.
        :param about: the id of the procedure the call is about, for messages.
        :param problems: where plugin errors are added.
        """
        caller = self._caller(hook, owners)
        token = _CURRENT.set(_Call(hook, about, problems))
        try:
            result = caller(**kwargs)
        except Exception as exc:  # noqa: BLE001 - a hook wrapper raised: report it, answer nothing
            problems.append(Diagnostic("plugin-error", f"a hook wrapper raised in {hook}: "
                                       f"{describe_exception(exc)}", procedure=about))
            return None if hook not in _MANY else []
        finally:
            _CURRENT.reset(token)
        if hook not in _MANY:
            return result
        return [a if isinstance(a, Answer) else Answer("", a) for a in result if a is not None]

    def _caller(self, hook: str, owners: Iterable[str] | None) -> Any:
        key = (hook, frozenset(owners) if owners is not None else None)
        caller = self._callers.get(key)
        if caller is None:
            if owners is None:
                caller = getattr(self.pm.hook, hook)
            else:
                keep = self.defaults | set(owners)
                others = [p for name, p in self.pm.list_name_plugin() if name not in keep and p is not None]
                caller = self.pm.subset_hook_caller(hook, remove_plugins=others)
            self._callers[key] = caller
        return caller
