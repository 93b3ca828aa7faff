"""The national floor: a procedure may tighten the rules of what it extends, never relax them."""

from __future__ import annotations

from procedurekit import describe
from procedurekit.calendars import CalendarError, procedure_calendar
from procedurekit.compare.diff import Change, compare_items
from procedurekit.diagnostics import Diagnostic, Severity
from procedurekit.hookspecs import hookimpl
from procedurekit.model import RULE_SECTIONS, Procedure

#: sections whose items the floor applies to
FLOOR_SECTIONS = RULE_SECTIONS


def _cite(item: object) -> str:
    sources = getattr(item, "source", ())
    return "; ".join(describe.source(s) for s in sources) or "no source"


def _own_keys(procedure: Procedure) -> set[str]:
    """Every key *procedure* itself states, and every key above one ("meetings.icpc" for "meetings.icpc.chair")."""
    own: set[str] = set()
    for key, origin in procedure.origins.items():
        if origin == procedure.id:
            parts = key.split(".")
            own.update(".".join(parts[:n]) for n in range(2, len(parts) + 1))
    return own


@hookimpl(trylast=True)
def procedurekit_validate_procedure(procedure: Procedure, baseline: Procedure | None) -> list[Diagnostic]:
    if baseline is None:
        return []
    try:
        own, theirs = procedure_calendar(procedure), procedure_calendar(baseline)
    except CalendarError:
        return []
    out = []
    stated = _own_keys(procedure)
    for section in FLOOR_SECTIONS:
        mine, base = procedure.section(section), baseline.section(section)
        for item_id, item in mine.items():
            if item_id not in base or f"{section}.{item_id}" not in stated:
                continue
            for diff in compare_items(section, item_id, base[item_id], item, baseline, procedure, theirs, own):
                looser = [said for said, change in diff.readings if change is Change.LOOSER]
                if diff.change is not Change.LOOSER and not looser:
                    continue
                how = f"on the reading {'; '.join(looser)} only" if looser else diff.explanation
                message = (f'relaxes {baseline.id}\'s "{item_id}" ({diff.aspect}): {diff.right} where '
                           f"{baseline.id} has {diff.left} ({how}). "
                           f"{procedure.id}: {_cite(item)}. {baseline.id}: {_cite(base[item_id])}")
                out.append(Diagnostic("relaxes-floor", message, severity=Severity.WARNING,
                                      key=(section, item_id)))
    return out
