"""What the engine finds in a case: statuses, obligation instances and schedules.

Statuses (docs/engine.md):

- ``met``: done on or before the due date
- ``late``: done, N working days after the due date
- ``due``: not done, due date today or later
- ``overdue``: not done, due date passed (by N working days)
- ``provisional``: the event it counts from has not happened (or, for
  "whichever is sooner", not all of them)
- ``no-deadline``: the procedure sets no number ("an early review",
  "immediately", a per-case timescale the case does not give, a standing duty)
- ``not-applicable``: its conditions do not hold for this case (the note says why)
"""

from __future__ import annotations

import datetime as dt
import enum

from attrs import frozen

from procedurekit.model import MeetingDue, Source

__all__ = ["Status", "Row", "Instance", "Schedule"]


class Status(enum.Enum):
    """The state of one obligation instance in a case on a given day."""

    MET = "met"
    LATE = "late"
    DUE = "due"
    OVERDUE = "overdue"
    PROVISIONAL = "provisional"
    NO_DEADLINE = "no-deadline"
    NOT_APPLICABLE = "not-applicable"


# Module-level names: enum members looked up through their class are slow in a hot loop.

# A raw instance, as the plan produces it (cheap to make by the million):
# (obligation id, occurrence number, anchor ordinal, due ordinal, done ordinal, status, days late, note)
Row = tuple[str, int, "int | None", "int | None", "int | None", Status, "int | None", str]


@frozen
class Instance:
    """One occurrence of an obligation in a case."""

    obligation: str
    occurrence: int
    what: str
    owner: str | None
    anchor: str | None
    anchor_date: dt.date | None
    due: dt.date | None
    done: dt.date | None
    status: Status
    late_by: int | None  # working days late (late) or overdue (overdue)
    rule: str
    strength: str
    source: tuple[Source, ...]
    note: str = ""


@frozen
class Schedule:
    """A case under a procedure: every obligation instance, and what is next for each meeting."""

    procedure: str
    case: str
    today: dt.date
    instances: tuple[Instance, ...]
    #: (meeting, the rule for its next occurrence or None, its date or None, the chair decision or None)
    upcoming: tuple[tuple[str, MeetingDue | None, dt.date | None, object], ...]
