"""procedurekit: local child-protection procedures as validated, comparable code.

The package imports nothing heavy at start-up: the public API is loaded on
first use, so ``procedurekit --version`` stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# name -> module that defines it
_LAZY = {
    "Library": "procedurekit.host.library",
    "load_library": "procedurekit.host.library",
    "get_plugin_manager": "procedurekit.host.plugins",
    "load_file": "procedurekit.loader",
    "load_text": "procedurekit.loader",
    "Diagnostic": "procedurekit.diagnostics",
    "ProcedureError": "procedurekit.diagnostics",
    "Duration": "procedurekit.durations",
    "parse_duration": "procedurekit.durations",
    "hookimpl": "procedurekit.hookspecs",
    "Procedure": "procedurekit.model",
    "Case": "procedurekit.model",
    "CaseEvent": "procedurekit.model",
    "load_case": "procedurekit.cases.files",
    "Status": "procedurekit.cases.engine",
    "Instance": "procedurekit.cases.engine",
    "Schedule": "procedurekit.cases.engine",
    "due_date": "procedurekit.cases.engine",
    "MeetingDue": "procedurekit.model",
    "ChairDecision": "procedurekit.model",
    "PathwayDecision": "procedurekit.model",
    "Timing": "procedurekit.model",
}

__all__ = ["__version__", *_LAZY]

if TYPE_CHECKING:  # pragma: no cover
    from procedurekit.diagnostics import Diagnostic, ProcedureError
    from procedurekit.durations import Duration, parse_duration
    from procedurekit.hookspecs import hookimpl
    from procedurekit.host.library import Library, load_library
    from procedurekit.loader import load_file, load_text
    from procedurekit.host.plugins import get_plugin_manager
    from procedurekit.cases.engine import Instance, Schedule, Status, due_date
    from procedurekit.cases.files import load_case
    from procedurekit.model import Case, CaseEvent, ChairDecision, MeetingDue, PathwayDecision, Procedure, Timing


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'procedurekit' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
