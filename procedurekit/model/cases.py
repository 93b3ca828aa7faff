"""Cases as the model sees them, and what hooks answer about them (chair, next meeting, pathway)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from attrs import field, frozen

from procedurekit.calendars import NonWorkingDay
from procedurekit.durations import Duration
from procedurekit.model.items import Deadline, Obligation, PathwayStep, Sources
from procedurekit.model.procedure import frozen_dict
from procedurekit.model.vocabulary import Anchor, Combine, EventStatus, Strength, Timescale

@frozen
class CaseEvent:
    """An event of a case: held, booked for its date, or cancelled.

    ``status`` left as ``None`` means held if the date is on or before the day
    the case is looked at, booked if after (see :meth:`Case.as_on`).
    """

    event: str
    date: dt.date
    attributes: Mapping[str, object] = field(factory=dict, converter=frozen_dict)
    status: EventStatus | None = None

    @property
    def held(self) -> bool:
        return self.status is None or self.status is EventStatus.HELD


@frozen
class Case:
    """A child's case: dated events and case-level circumstances."""

    id: str
    events: tuple[CaseEvent, ...] = ()
    conditions: frozenset[str] = frozenset()
    settings: Mapping[str, object] = field(factory=dict, converter=frozen_dict)

    @classmethod
    def from_events(
        cls,
        events: Iterable[tuple[str, dt.date] | tuple[str, dt.date, Mapping[str, object]]],
        *,
        id: str = "case",
        conditions: Iterable[str] = (),
        settings: Mapping[str, object] | None = None,
    ) -> Case:
        """A case from ``(event id, date)`` pairs (or ``(event id, date, attributes)``).

        >>> Case.from_events([("icpc", dt.date(2024, 3, 4))], id="c1").occurrences("icpc")[0].date
        datetime.date(2024, 3, 4)
        """
        built = tuple(CaseEvent(e[0], e[1], e[2] if len(e) > 2 else {}) for e in events)
        return cls(id, built, frozenset(conditions), settings or {})

    def as_on(self, today: dt.date) -> Case:
        """The case on *today*: each event without a status is held if dated on or before *today*, else booked.

        An event marked held but dated after *today* cannot have happened:
        :meth:`impossible` lists those, and here they count as booked.
        """
        def resolve(e: CaseEvent) -> CaseEvent:
            if e.date > today and e.status in (None, EventStatus.HELD):
                return CaseEvent(e.event, e.date, e.attributes, EventStatus.BOOKED)
            if e.status is None:
                return CaseEvent(e.event, e.date, e.attributes, EventStatus.HELD)
            return e
        return Case(self.id, tuple(resolve(e) for e in self.events), self.conditions, self.settings)

    def impossible(self, today: dt.date) -> list[CaseEvent]:
        """Events marked held that are dated after *today*."""
        return [e for e in self.events if e.status is EventStatus.HELD and e.date > today]

    def occurrences(self, event: str) -> list[CaseEvent]:
        """The case's held events with id *event*, in date order (bookings and cancellations left out)."""
        return sorted((e for e in self.events if e.event == event and e.held), key=lambda e: e.date)

    def bookings(self, event: str) -> list[CaseEvent]:
        """The case's booked events with id *event*, in date order."""
        return sorted((e for e in self.events if e.event == event and e.status is EventStatus.BOOKED),
                      key=lambda e: e.date)


@frozen
class ChairDecision:
    """Who chairs a meeting, why, and on what authority."""

    roles: tuple[str, ...]
    reason: str
    strength: Strength | None = None
    source: Sources = ()
    decided_by: str | None = None  # plugin that made the decision


@frozen
class MeetingDue:
    """When the next occurrence of a meeting is due, and the rule that says so."""

    meeting: str
    obligation: str | None
    reason: str
    after: str | None = None
    within: Duration | None = None
    timescale: Timescale | None = None
    alternatives: tuple[Deadline, ...] = ()
    combine: Combine | None = None
    before: str | None = None
    anchor: Anchor = Anchor.EACH
    non_working_day: NonWorkingDay = NonWorkingDay.STANDS
    #: a recurrence ("every"): it chains from the meeting's own last occurrence once that is
    #: on or after the anchor event
    recurring: bool = False
    source: Sources = ()
    decided_by: str | None = None

    @classmethod
    def for_obligation(cls, meeting: str, ob_id: str, ob: Obligation, reason: str | None = None) -> MeetingDue:
        """The next *meeting* as obligation *ob_id* of a procedure times it; *reason* defaults to the rule."""
        within = ob.every or ob.within
        anchor = ob.after or ob.before or (meeting if ob.every else None)
        return cls(meeting=meeting, obligation=ob_id, reason=reason or _due_reason(ob_id, ob, within, anchor),
                   after=None if ob.before else anchor, before=ob.before, within=within,
                   timescale=ob.timescale, alternatives=ob.alternatives, combine=ob.combine,
                   anchor=ob.anchor, non_working_day=ob.non_working_day, recurring=ob.every is not None,
                   source=ob.source)


def _due_reason(ob_id: str, ob: Obligation, within: Duration | None, anchor: str | None) -> str:
    if ob.timescale is not None:
        return f"{ob_id}: timescale {ob.timescale.value}"
    if ob.alternatives:
        return f"{ob_id}: whichever is {ob.combine.value if ob.combine else 'sooner'} of " + ", ".join(
            f"{a.within} {'before' if a.before else 'after'} {a.before or a.after}" for a in ob.alternatives)
    if within is not None:
        return f"{ob_id}: within {within} {'before' if ob.before else 'after'} {anchor}"
    if ob.gestation is not None:
        return f"{ob_id}: by {ob.gestation} of pregnancy (counted back from the expected birth)"
    return f"{ob_id}: no timescale given"


@frozen
class PathwayDecision:
    """The escalation pathway chosen for a concern."""

    pathway: str
    steps: tuple[PathwayStep, ...]
    reason: str
    source: Sources = ()
    decided_by: str | None = None
