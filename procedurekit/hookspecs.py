# mypy: disable-error-code="empty-body"
"""Hook specifications: what a partnership plugin may implement.

A plugin is a Python module (registered under the ``procedurekit`` entry-point
group) whose functions are marked with :data:`hookimpl`. Most partnerships need
none: a package holding a ``procedures/`` folder of TOML files is a complete
plugin. Hooks are for what TOML cannot say.

Rules every hook follows:

* A plugin's hooks apply only to the procedures it registered (and to
  procedures that extend them). The framework enforces this: a hook is never
  called for another plugin's procedure.
* Calls go through pluggy's hook callers, so pluggy's ordering holds: the
  plugin's implementations run before the built-in defaults
  (``procedurekit.builtins``, registered ``trylast``), which read the
  procedure's TOML; ``tryfirst``/``trylast`` and hook wrappers
  (``wrapper=True``) work as pluggy documents them.
* ``firstresult`` hooks stop at the first implementation that returns
  something other than ``None``; return ``None`` to defer to the TOML rules.
* A hook that raises, or returns the wrong type, is reported as a
  ``plugin-error`` naming the plugin, and the next implementation answers
  instead. Decisions record the plugin that made them (``decided_by``).
* To weigh rules against each other, a hook can ask the engine for the date
  a rule sets: ``procedurekit.due_date(procedure, case, due)``, with
  ``MeetingDue.for_obligation(meeting, obligation_id, obligation)``.

Hook implementations may accept any subset of the arguments a spec lists.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from procedurekit.diagnostics import Diagnostic
    from procedurekit.model import Case, ChairDecision, MeetingDue, PathwayDecision, Procedure

__all__ = ["hookspec", "hookimpl", "PROJECT"]

PROJECT = "procedurekit"
hookspec = pluggy.HookspecMarker(PROJECT)
#: Mark a plugin function as a hook implementation: ``@hookimpl``.
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def procedurekit_procedure_files() -> Iterable[str | os.PathLike[str]]:
    """Return the procedure TOML files this plugin provides.

    Relative paths are taken from the plugin's package folder, and every path
    must lie inside that folder (a ``plugin-path`` error otherwise).

    Implement this only to list files somewhere other than the default: a
    plugin package without this hook provides every ``*.toml`` file in its
    ``procedures/`` folder.

    :return: paths of procedure files.
    """


@hookspec(firstresult=True)
def procedurekit_select_chair(
    procedure: Procedure, meeting: str, occurrence: int, case: Case | None, chair_absent: bool
) -> ChairDecision | None:
    """Decide who chairs a meeting.

    The default reads the meeting's ``chair`` rules (``first``, ``subsequent``,
    ``each``, and ``fallback`` when the chair is absent). Implement it for
    rules TOML cannot state, for example a chair that depends on who chaired
    last time or on the lead social worker's team.

    :param procedure: the resolved procedure.
    :param meeting: the meeting (event) id, e.g. ``"core-group"``.
    :param occurrence: which meeting this is in the case, 1 for the first.
    :param case: the case, when the caller has one.
    :param chair_absent: the person due to chair is absent.
    :return: a :class:`~procedurekit.model.ChairDecision` with the reason
        and source, or ``None`` to defer. Stops at the first non-``None``.
    """


@hookspec(firstresult=True)
def procedurekit_next_meeting_due(procedure: Procedure, meeting: str, case: Case) -> MeetingDue | None:
    """Say when the next occurrence of a meeting is due in a case.

    The default picks the obligation for the meeting's next occurrence
    (``occurrence = "first"`` or ``"subsequent"``/``"each"``, with ``every``
    for recurring meetings) whose conditions hold for the case. Implement it
    for frequencies that change over a case (e.g. "within six weeks of the
    first, then every two months after the first review").

    :param procedure: the resolved procedure.
    :param meeting: the meeting (event) id.
    :param case: the case, with the meetings held so far.
    :return: a :class:`~procedurekit.model.MeetingDue` (the rule, not a date:
        the engine computes dates on the procedure's calendar), or ``None``.
        Stops at the first non-``None``.
    """


@hookspec(firstresult=True)
def procedurekit_escalation_pathway(
    procedure: Procedure, concern: str | None, case: Case | None
) -> PathwayDecision | None:
    """Choose the escalation pathway for a concern.

    The default returns the procedure's pathway whose ``concern`` matches, or
    its only pathway. Implement it where the route depends on the case.

    :param procedure: the resolved procedure.
    :param concern: what is being escalated (free text or a pathway's concern), or ``None``.
    :param case: the case, when the caller has one.
    :return: a :class:`~procedurekit.model.PathwayDecision`, or ``None``.
        Stops at the first non-``None``.
    """


@hookspec
def procedurekit_validate_procedure(
    procedure: Procedure, baseline: Procedure | None
) -> Iterable[Diagnostic] | None:
    """Check a resolved procedure and report problems.

    Built-in checks (references, the national floor) are implemented with
    this same hook. Return :class:`~procedurekit.diagnostics.Diagnostic`
    objects with ``key`` set to the TOML path of the offending item (e.g.
    ``("obligations", "core-group-first", "within")``); the framework fills in
    the file, line and column.

    :param procedure: the resolved procedure (``extends`` merged in).
    :param baseline: the resolved procedure it extends, or ``None``.
    :return: diagnostics (an empty list when all is well).
    """
