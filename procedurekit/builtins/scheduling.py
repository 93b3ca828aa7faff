"""Default meeting scheduling: the obligation that governs a meeting's next occurrence."""

from __future__ import annotations

import datetime as dt

from procedurekit.hookspecs import hookimpl
from procedurekit.model import Case, MeetingDue, Obligation, Occurrence, Procedure, Timescale, Timing


def _brought_forward(procedure: Procedure, meeting: str, case: Case) -> MeetingDue | None:
    """A trigger recorded in the case (as an event named after it) since the meeting was last held."""
    held = case.occurrences(meeting)
    last = held[-1].date if held else None
    for trigger_id, trigger in procedure.triggers.items():
        if trigger.meeting != meeting:
            continue
        for event in case.occurrences(trigger_id):
            if last is None or event.date > last:
                reason = (f"{trigger_id}: {trigger.action} ({trigger.circumstance}, recorded "
                          f"{event.date.isoformat()}); the procedure sets no number for how soon")
                return MeetingDue(meeting=meeting, obligation=None, reason=reason, after=trigger_id,
                                  timescale=Timescale.UNSPECIFIED, source=trigger.source)
    return None


@hookimpl(trylast=True)
def procedurekit_next_meeting_due(procedure: Procedure, meeting: str, case: Case) -> MeetingDue | None:
    brought_forward = _brought_forward(procedure, meeting, case)
    if brought_forward is not None:
        return brought_forward
    held = case.occurrences(meeting)
    wanted = (Occurrence.FIRST, Occurrence.EACH) if not held else (Occurrence.SUBSEQUENT, Occurrence.EACH)
    candidates = [
        (ob_id, ob) for ob_id, ob in procedure.obligations.items()
        if ob.meeting == meeting and ob.occurrence in wanted and ob.timing is not Timing.NONE
        and ob.applies(case.conditions)
    ]
    if not candidates:
        return None

    def anchor_date(pair: tuple[str, Obligation]) -> dt.date | None:
        ob = pair[1]
        anchors = [ob.after or ob.before or (meeting if ob.every else None)]
        anchors += [a.after or a.before for a in ob.alternatives]
        dates = [e.date for a in anchors if a for x in procedure.expand_event(a) for e in case.occurrences(x)]
        return max(dates) if dates else None

    # A rule for this case's circumstances ("when inquorate") takes precedence
    # over the general rule; among equals, the rule whose anchor event happened
    # most recently wins: a later phase of a case ("after the first review")
    # takes over from an earlier one.
    specific = max(len(ob.when) for _, ob in candidates)
    candidates = [c for c in candidates if len(c[1].when) == specific]
    dated = [(anchor_date(c), i, c) for i, c in enumerate(candidates)]
    happened = [d for d in dated if d[0] is not None]
    _, _, (ob_id, ob) = max(happened, key=lambda d: (d[0], -d[1])) if happened else dated[0]
    return MeetingDue.for_obligation(meeting, ob_id, ob)

