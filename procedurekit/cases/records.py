"""What the engine finds in a case: statuses, obligation instances and schedules.

Statuses (docs/engine.md):

- ``met``: done on or before the due date
- ``met-lenient``: done after the due date on the strict reading of an
  ambiguous timescale, but by the date on the lenient one ("15 days":
  calendar or working days)
- ``late``: done, N working days after the due date
- ``due``: not done, due date today or later
- ``overdue``: not done, due date passed (by N working days)
- ``provisional``: the event it counts from has not happened (or, for
  "whichever is sooner", not all of them)
- ``no-deadline``: the procedure sets no number ("an early review",
  "immediately", a per-case timescale the case does not give, a standing duty)
- ``not-applicable``: its conditions do not hold for this case, or the period it
  belongs to (the plan) ended before it fell due (the note says why)
- ``judgement``: it applies only if a professional so judges ("if appropriate"),
  and the case does not record that judgement: shown, not computed
"""

from __future__ import annotations

import datetime as dt
import enum

from collections.abc import Mapping

from attrs import field, frozen

from procedurekit.model import MeetingDue, Source

__all__ = ["Status", "Row", "Instance", "Schedule", "QuorumCheck", "TRUE", "truthy"]

#: the cell values (any case) that say yes in a case's CSV columns and string attributes
TRUE = frozenset({"yes", "true", "1", "x", "y"})


def truthy(value: object) -> bool:
    """Whether an event attribute or CSV cell says yes: ``true``, a non-zero number, or one of :data:`TRUE`."""
    if isinstance(value, str):
        return value.strip().lower() in TRUE
    return value is True or (type(value) is int and value != 0)


class Status(enum.Enum):
    """The state of one obligation instance in a case on a given day."""

    MET = "met"
    MET_LENIENT = "met-lenient"
    LATE = "late"
    DUE = "due"
    OVERDUE = "overdue"
    PROVISIONAL = "provisional"
    NO_DEADLINE = "no-deadline"
    NOT_APPLICABLE = "not-applicable"
    JUDGEMENT = "judgement"
    #: the event it counts from happened when no version of the procedure was in force (docs/versions.md)
    NOT_IN_FORCE = "not-in-force"


# Module-level names: enum members looked up through their class are slow in a hot loop.

# A raw instance, as the plan produces it (cheap to make by the million):
# (obligation id, occurrence number, anchor ordinal, due ordinal, done ordinal, status, days late, note,
#  the lenient reading's due ordinal where the timescale has two readings)
Row = tuple[str, int, "int | None", "int | None", "int | None", Status, "int | None", str, "int | None"]


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
    #: the due date on the lenient reading of an ambiguous timescale (``due`` is the strict one)
    limit: dt.date | None = None
    #: the booked date of the meeting or document that would fulfil it, and how many working
    #: days after ``due`` that booking is (0 or None when it is in time)
    booked: dt.date | None = None
    booked_late_by: int | None = None
    #: the versions it was judged under, e.g. "warrington 2024.1 over england 2023.1" (docs/versions.md)
    version: str = ""


@frozen
class Schedule:
    """A case under a procedure: every obligation instance, and what is next for each meeting."""

    procedure: str
    case: str
    today: dt.date
    instances: tuple[Instance, ...]
    #: (meeting, the rule for its next occurrence or None, its date or None, the chair decision or None)
    upcoming: tuple[tuple[str, MeetingDue | None, dt.date | None, object], ...]
    #: meeting -> its next booked date
    booked: Mapping[str, dt.date] = field(factory=dict)
    #: the quorum of each conference that recorded its attendance
    quorum: tuple[QuorumCheck, ...] = ()
    #: what the case file claims that cannot be so (an event marked held but dated after today), and
    #: duties that arose when no version of the procedure was in force
    warnings: tuple[str, ...] = ()
    #: the versions its duties were judged under, in date order
    versions: tuple[str, ...] = ()


@frozen
class QuorumCheck:
    """Whether one meeting had its quorum, from the attendance the case records."""

    meeting: str
    date: dt.date
    quorate: bool
    attended: tuple[str, ...]
    #: what was missing: "police (required)", "2 more agencies", "child-b: 1 more agency"
    missing: tuple[str, ...] = ()
    #: the chair recorded a decision to go ahead without a quorum
    proceeded: bool = False
    note: str = ""
