"""Default chair selection: the meeting's ``chair`` rules from TOML."""

from __future__ import annotations

from procedurekit.hookspecs import hookimpl
from procedurekit.model import Case, ChairDecision, Procedure


@hookimpl(trylast=True)
def procedurekit_select_chair(
    procedure: Procedure, meeting: str, occurrence: int, case: Case | None, chair_absent: bool
) -> ChairDecision | None:
    spec = procedure.meetings.get(meeting)
    if spec is None or spec.chair is None:
        return None
    chairing = spec.chair
    conditions = case.conditions if case is not None else frozenset()
    rule = chairing.rule_for(occurrence, chair_absent=chair_absent, conditions=conditions)
    if rule is None:
        return None
    if rule in chairing.conditional:
        which = "as " + " and ".join(_condition(procedure, c) for c in rule.when) if rule.when else \
            "unless " + " or ".join(_condition(procedure, c) for c in rule.unless)
    elif chair_absent and rule is chairing.fallback:
        which = "the chair is absent"
    elif rule is chairing.first and occurrence == 1:
        which = "first meeting"
    elif rule is chairing.subsequent:
        which = f"meeting {occurrence}, a subsequent meeting"
    else:
        which = f"meeting {occurrence}"
    names = " or ".join(procedure.roles[r].name if r in procedure.roles else r for r in rule.roles)
    reason = f"{spec.name} ({which}): chaired by {names} [{rule.strength.value}]"
    if rule.records:
        reason += "; the same person also records the meeting"
    if rule.independent:
        reason += "; the chair must be independent of the case's management"
    for other in chairing.conditional:
        if other is not rule and other.when:
            others = " or ".join(procedure.roles[r].name if r in procedure.roles else r for r in other.roles)
            reason += f"; if {' and '.join(_condition(procedure, c) for c in other.when)}: {others}"
    return ChairDecision(roles=rule.roles, reason=reason, strength=rule.strength, source=rule.source)


def _condition(procedure: Procedure, condition: str) -> str:
    spec = procedure.conditions.get(condition)
    return spec.name.lower() if spec is not None else condition
