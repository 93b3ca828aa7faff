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
    "ProcedurekitError": "procedurekit.errors",
    "InputError": "procedurekit.errors",
    "UsageError": "procedurekit.errors",
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

# Written out (not *_LAZY) so that type checkers see what the package exports.
__all__ = [
    "__version__",
    "Diagnostic",
    "ProcedureError",
    "ProcedurekitError",
    "InputError",
    "UsageError",
    "Duration",
    "parse_duration",
    "hookimpl",
    "Library",
    "load_library",
    "load_file",
    "load_text",
    "get_plugin_manager",
    "Instance",
    "Schedule",
    "Status",
    "due_date",
    "load_case",
    "Case",
    "CaseEvent",
    "ChairDecision",
    "MeetingDue",
    "PathwayDecision",
    "Procedure",
    "Timing",
]

if TYPE_CHECKING:  # pragma: no cover
    from procedurekit.diagnostics import Diagnostic as Diagnostic
    from procedurekit.diagnostics import ProcedureError as ProcedureError
    from procedurekit.errors import InputError as InputError
    from procedurekit.errors import ProcedurekitError as ProcedurekitError
    from procedurekit.errors import UsageError as UsageError
    from procedurekit.durations import Duration as Duration
    from procedurekit.durations import parse_duration as parse_duration
    from procedurekit.hookspecs import hookimpl as hookimpl
    from procedurekit.host.library import Library as Library
    from procedurekit.host.library import load_library as load_library
    from procedurekit.loader import load_file as load_file
    from procedurekit.loader import load_text as load_text
    from procedurekit.host.plugins import get_plugin_manager as get_plugin_manager
    from procedurekit.cases.engine import Instance as Instance
    from procedurekit.cases.engine import Schedule as Schedule
    from procedurekit.cases.engine import Status as Status
    from procedurekit.cases.engine import due_date as due_date
    from procedurekit.cases.files import load_case as load_case
    from procedurekit.model import Case as Case
    from procedurekit.model import CaseEvent as CaseEvent
    from procedurekit.model import ChairDecision as ChairDecision
    from procedurekit.model import MeetingDue as MeetingDue
    from procedurekit.model import PathwayDecision as PathwayDecision
    from procedurekit.model import Procedure as Procedure
    from procedurekit.model import Timing as Timing


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
