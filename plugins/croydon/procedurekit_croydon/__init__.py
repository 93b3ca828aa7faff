"""Croydon: hooks for the core group rules that depend on the case's history.

The TOML (procedures/croydon.toml) holds every rule; these hooks decide which
applies at a given point of a case, which TOML's "first"/"subsequent" cannot:

* Chairing (7.2, 7.3, read with 5.2): the first core group after *each*
  initial or review conference is chaired by the key worker's team leader or
  an operational manager; the others, usually, by the key worker.
* Frequency (5.2, 5.4): the first core group after each conference within 10
  working days of it; the second within six weeks of the first; from the first
  review conference, at least every two months; and after a school move, a
  core group at the new school within 10 working days, whichever is due first.
"""

from __future__ import annotations

import datetime as dt

from procedurekit import Case, ChairDecision, MeetingDue, Procedure, hookimpl

CORE_GROUP = "core-group"


def _dates(procedure: Procedure, case: Case, event: str) -> list[dt.date]:
    return sorted(e.date for name in procedure.expand_event(event) for e in case.occurrences(name))


@hookimpl
def procedurekit_select_chair(procedure: Procedure, meeting: str, occurrence: int, case: Case | None,
                              chair_absent: bool) -> ChairDecision | None:
    chairing = procedure.meetings[CORE_GROUP].chair if CORE_GROUP in procedure.meetings else None
    if meeting != CORE_GROUP or case is None or chair_absent or chairing is None:
        return None
    held = _dates(procedure, case, CORE_GROUP)
    when = held[occurrence - 1] if occurrence <= len(held) else None
    earlier = held[:occurrence - 1]
    conferences = [d for d in _dates(procedure, case, "conference") if when is None or d <= when]
    if not conferences:
        return None
    last = conferences[-1]
    first_after = not any(d >= last for d in earlier)
    rule = chairing.first if first_after else chairing.subsequent
    if rule is None:
        return None
    if first_after:
        reason = (f"the first core group after the conference of {last.isoformat()}: chaired by the key "
                  "worker's team leader or an operational manager (a requirement, 7.2)")
    else:
        reason = f"a later core group after the conference of {last.isoformat()}: usually the key worker (7.3)"
    return ChairDecision(roles=rule.roles, reason=reason, strength=rule.strength, source=rule.source)


@hookimpl
def procedurekit_next_meeting_due(procedure: Procedure, meeting: str, case: Case) -> MeetingDue | None:
    if meeting != CORE_GROUP:
        return None
    obligations = procedure.obligations
    held = _dates(procedure, case, CORE_GROUP)
    conferences = _dates(procedure, case, "conference")
    if not conferences:
        return None
    last_conference = conferences[-1]
    reviews = _dates(procedure, case, "rcpc")

    def due(ob_id: str, reason: str) -> MeetingDue:
        return MeetingDue.for_obligation(meeting, ob_id, obligations[ob_id], reason)

    options: list[MeetingDue] = []
    if not any(d >= last_conference for d in held):
        if reviews and reviews[-1] == last_conference:
            options.append(due("core-group-after-review", "the first core group after the review conference: "
                               "within 10 working days of it (5.2)"))
        else:
            options.append(due("core-group-first", "the first core group: within 10 working days of the "
                               "initial conference (5.2)"))
    elif reviews and held[-1] >= reviews[0]:
        options.append(due("core-group-subsequent", "after the first review conference: at least every two "
                           "months from the last core group (5.2)"))
    elif len(held) == 1:
        options.append(due("core-group-second", "the second core group: within six weeks of the first (5.2)"))
    else:
        options.append(due("core-group-agreed-frequency", "before the first review conference no further "
                           "interval is stated: as agreed by the core group (2.2, 5.2)"))
    moves = _dates(procedure, case, "school-move")
    if moves and (not held or moves[-1] > held[-1]):
        options.append(due("school-move-core-group", "the child moved school: a core group at the new school "
                           "within 10 working days (5.4)"))
    from procedurekit import due_date  # the case engine, imported when a case is scheduled, not at every start

    dated = [(due_date(procedure, case, option), i, option) for i, option in enumerate(options)]
    known = [d for d in dated if d[0] is not None]
    return min(known)[2] if known else options[0]
