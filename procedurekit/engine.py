"""Dates from rules: when something is due in a case, on the procedure's calendar.

The counting rules are in docs/durations.md. A due date needs its anchor event
to have happened in the case; where it has not, there is no date yet.
"""

from __future__ import annotations

import datetime as dt

from procedurekit.calendars import Calendar
from procedurekit.model import Anchor, Case, Combine, Deadline, MeetingDue, Procedure

__all__ = ["anchor_date", "due_date"]


def anchor_date(procedure: Procedure, case: Case, event: str, anchor: Anchor = Anchor.EACH) -> dt.date | None:
    """The date a deadline counts from: the first or latest occurrence of *event* (or of any event it groups)."""
    dates = sorted(e.date for name in procedure.expand_event(event) for e in case.occurrences(name))
    if not dates:
        return None
    return dates[0] if anchor is Anchor.FIRST else dates[-1]


def _deadline(procedure: Procedure, case: Case, cal: Calendar, deadline: Deadline, due: MeetingDue) -> dt.date | None:
    event = deadline.before or deadline.after
    start = anchor_date(procedure, case, event, deadline.anchor) if event else None
    if start is None:
        return None
    return cal.add(start, deadline.within, before=bool(deadline.before), non_working_day=due.non_working_day)


def due_date(procedure: Procedure, case: Case, due: MeetingDue, cal: Calendar) -> dt.date | None:
    """The date *due* sets in *case*, or ``None`` when it sets no number or its anchor has not happened.

    Alternatives combine as the rule says: "whichever is sooner" is the
    earliest of the dates known so far; "whichever is later" needs them all.
    """
    if due.timescale is not None:
        return None
    if due.alternatives:
        dates = [_deadline(procedure, case, cal, alt, due) for alt in due.alternatives]
        known = [d for d in dates if d is not None]
        if due.combine is Combine.LATER:
            return max(known) if known and len(known) == len(dates) else None
        return min(known) if known else None
    if due.within is None:
        return None
    if due.recurring:
        # recurring deadlines chain from the actual date of the previous occurrence
        start = anchor_date(procedure, case, due.after, due.anchor) if due.after else None
        last = anchor_date(procedure, case, due.meeting, Anchor.LAST)
        if last is not None and (start is None or last >= start):
            start = last
        if start is None:
            return None
        return cal.add(start, due.within, non_working_day=due.non_working_day)
    single = Deadline(within=due.within, after=due.after, before=due.before, anchor=due.anchor)
    return _deadline(procedure, case, cal, single, due)
