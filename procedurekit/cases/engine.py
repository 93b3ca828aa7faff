"""The case engine: a procedure compiled into a plan, and a case's schedule under it.

A :class:`Plan` is built once per procedure: each obligation becomes a
compiled rule (:mod:`procedurekit.cases.rules`) working on day ordinals, so
one case or a hundred thousand are evaluated the same way. :func:`schedule`
gives one case's instances as objects and each meeting's next occurrence (its
rule from the hooks' answers, its date from the plan);
:mod:`procedurekit.cases.audit` runs the same plan over a CSV of many cases.
The statuses are described in :mod:`procedurekit.cases.records`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import attrs
from typing import Protocol

from procedurekit import describe
from procedurekit.calendars import Calendar, procedure_calendar
from procedurekit.cases.quorum import check_quorum
from procedurekit.cases.records import Instance, QuorumCheck, Row, Schedule, Status, truthy
from procedurekit.cases.rules import Adder, Rule, filtered
from procedurekit.durations import DurationError, parse_duration
from procedurekit.model import (
    Case, CaseEvent, ChairDecision, EventStatus, MeetingDue, Obligation, Occurrence, Procedure, Strength,
)

__all__ = [
    "Status", "Row", "Instance", "Schedule", "Plan", "Answers", "schedule", "due_date", "case_events",
    "conditions_of",
]


# -- cases as the plan reads them ---------------------------------------------------------

def conditions_of(case: Case, known: set[str]) -> frozenset[str]:
    """The case's conditions, plus any condition named as a true attribute of one of its held events."""
    extra = {name for e in case.events if e.held for name, value in e.attributes.items()
             if name in known and truthy(value)}
    return frozenset(case.conditions) | extra


def case_events(case: Case, plan: Plan | None = None) -> dict[str, list[int]]:
    """Event id -> sorted day ordinals of the case's held events: the form a plan evaluates.

    With *plan*, events also count as the events they name as true attributes
    (a review conference with ``plan-ends = true``) and are listed under the
    attribute filters the plan's rules use (see :func:`~procedurekit.cases.rules.filtered`).
    """
    return _events(case, plan)[0]


def _events(case: Case, plan: Plan | None) -> tuple[dict[str, list[int]], dict[str, list[int]] | None]:
    """(held, booked) event maps of *case*; booked is ``None`` when nothing is booked."""
    held: dict[str, list[int]] = {}
    booked: dict[str, list[int]] | None = None
    implied = plan.implied if plan else set()
    filters = plan.filters if plan else ()
    for e in case.events:
        if e.status is EventStatus.CANCELLED:
            continue
        if e.held:
            target = held
        else:
            target = booked = booked if booked is not None else {}
        ordinal = e.date.toordinal()
        target.setdefault(e.event, []).append(ordinal)
        attributes = e.attributes
        if attributes:
            for name, value in attributes.items():
                if name in implied and truthy(value):
                    target.setdefault(name, []).append(ordinal)
            for combo in filters:
                if all(truthy(attributes.get(a)) for a in combo):
                    target.setdefault(filtered(e.event, combo), []).append(ordinal)
    for ordinals in held.values():
        ordinals.sort()
    for ordinals in (booked or {}).values():
        ordinals.sort()
    return held, booked


class Plan:
    """A procedure compiled for evaluating cases: built once, used for any number of cases."""

    def __init__(self, procedure: Procedure, calendar: Calendar | None = None):
        self.procedure = procedure
        self.calendar = calendar or procedure_calendar(procedure)
        self._adder = Adder(self.calendar)
        self.rules = [Rule(ob_id, ob, procedure, self._adder) for ob_id, ob in procedure.obligations.items()]
        self.conditions = procedure.condition_ids()
        #: every event id a case may use with this procedure
        self.events = (procedure.event_ids() | set(procedure.documents) | set(procedure.obligations)
                       | set(procedure.triggers))
        #: the attribute sets rules filter their anchors on ("the strategy discussion at which...")
        self.filters = tuple(sorted({tuple(sorted(ob.anchor_where)) for ob in procedure.obligations.values()
                                     if ob.anchor_where}))
        #: event ids an event may name as a true attribute (a review conference that ends the plan)
        self.implied = {e for period in procedure.periods.values() for end in period.ends
                        for e in procedure.expand_event(end)}
        #: the attributes a case's events may carry that change what the plan computes
        self.attributes = {a for combo in self.filters for a in combo} | self.implied

    def __repr__(self) -> str:
        return f"<Plan {self.procedure.id}: {len(self.rules)} rules>"

    def evaluate(self, events: Mapping[str, list[int]], conditions: frozenset[str], today: int,
                 settings: Mapping[str, object] | None = None,
                 booked: Mapping[str, list[int]] | None = None) -> list[Row]:
        """Raw instance rows for one case (see :data:`Row`): at least one for every obligation.

        *events* are the held events; *booked* the booked ones, which only set
        dates that count back from them ("2 working days before the conference").
        """
        settings = settings or {}
        rows: list[Row] = []
        for rule in self.rules:
            found = rule.evaluate(events, conditions, today, settings, booked)
            rows += found if rule.in_force is None else rule.restrict(found)
        return rows

    def instance(self, row: Row) -> Instance:
        """The :class:`Instance` a raw row stands for."""
        ob_id, n, anchor, due, done, status, late, note, limit = row
        ob = self.procedure.obligations[ob_id]
        date = dt.date.fromordinal
        return Instance(
            obligation=ob_id, occurrence=n, what=describe.subject(self.procedure, ob), owner=ob.owner,
            anchor=ob.after or ob.before, anchor_date=date(anchor) if anchor else None,
            due=date(due) if due else None, done=date(done) if done else None, status=status, late_by=late,
            rule=describe.timing(self.procedure, ob), strength=ob.strength.value, source=ob.source, note=note,
            limit=date(limit) if limit else None,
        )

    def next_date(self, due: MeetingDue, case: Case) -> dt.date | None:
        """The date *due* sets for the next meeting in *case* (see :func:`due_date`).

        ``None`` once the period the meeting belongs to has ended: none of its meetings is next then,
        not even one missed while it ran.
        """
        return _next_date(self.procedure, self._adder, due, case, self)

    def ended(self, meeting: str, held: Mapping[str, list[int]]) -> tuple[str, dt.date] | None:
        """(period name, end date) if *meeting* belongs to a period that has ended in a case's *held* events."""
        for period in self.procedure.periods.values():
            if meeting not in period.meetings:
                continue
            ends = [o for end in period.ends for e in self.procedure.expand_event(end) for o in held.get(e, ())]
            starts = [o for start in period.starts for e in self.procedure.expand_event(start)
                      for o in held.get(e, ())]
            if ends and (not starts or max(ends) >= max(starts)):
                return period.name.lower(), dt.date.fromordinal(max(ends))
        return None

    def quorum(self, case: Case) -> list[QuorumCheck]:
        """The quorum of every held meeting of *case* that records its attendance."""
        checks = []
        for e in case.events:
            meeting = self.procedure.meetings.get(e.event)
            if e.held and meeting is not None and meeting.quorum is not None:
                check = check_quorum(meeting.quorum, e)
                if check is not None:
                    checks.append(check)
        return sorted(checks, key=lambda c: c.date)


def _next_date(procedure: Procedure, adder: Adder, due: MeetingDue, case: Case, plan: Plan | None = None
               ) -> dt.date | None:
    named = procedure.obligations.get(due.obligation or "")
    rule = Rule(due.obligation or f"next-{due.meeting}", _as_obligation(due, named), procedure, adder)
    held, booked = _events(case, plan)
    if plan is not None and plan.ended(due.meeting, held):
        return None
    rows = rule.evaluate(held, frozenset(), dt.date.max.toordinal(), _settings(case.settings), booked)
    for row in rows:
        if row[4] is None and row[5] in _OPEN:  # the first occurrence not yet held
            return dt.date.fromordinal(row[3]) if row[3] is not None else None
    return None


def _as_obligation(due: MeetingDue, named: Obligation | None) -> Obligation:
    """The obligation a hook's :class:`MeetingDue` describes, for the engine to evaluate."""
    return Obligation(
        strength=named.strength if named else Strength.MUST, meeting=due.meeting,
        occurrence=Occurrence.EACH, after=due.after, before=due.before, anchor=due.anchor,
        within=None if due.recurring else due.within, every=due.within if due.recurring else None,  # type: ignore[arg-type]
        until=named.until if named else None, alternatives=due.alternatives, combine=due.combine,
        timescale=due.timescale, non_working_day=due.non_working_day,
        readings=named.readings if named and not due.recurring and named.within == due.within else (),
        during=named.during if named else None,
        # the rule's own selection and pregnancy timing, where the hook's answer is that rule
        anchor_where=named.anchor_where if named and named.after == due.after else (),
        gestation=named.gestation if named and named.gestation is not None and due.within is None else None,
    )


def due_date(procedure: Procedure, case: Case, due: MeetingDue, calendar: Calendar | None = None) -> dt.date | None:
    """The date a :class:`MeetingDue` sets for the next meeting in *case*: its first occurrence not yet held.

    Computed by the same compiled rules as schedules and audits (for plugins'
    hooks that weigh several rules). ``None`` when the rule sets no number,
    its event has not happened, or nothing is outstanding under it (the plan
    it belongs to has ended).
    """
    return _next_date(procedure, Adder(calendar or procedure_calendar(procedure)), due, case)


class Answers(Protocol):
    """What the engine asks the hooks about one procedure (see :meth:`Library.answers`)."""

    def next_meeting_due(self, meeting: str, case: Case) -> MeetingDue | None: ...

    def select_chair(self, meeting: str, occurrence: int = 1, *, case: Case | None = None,
                     chair_absent: bool = False) -> ChairDecision | None: ...


def schedule(plan: Plan, case: Case, today: dt.date, answers: Answers) -> Schedule:
    """Every obligation instance of *case* under *plan* on *today*, and each meeting's next occurrence.

    The next meeting and its chair come from *answers* (the hooks), so a
    partnership's hook changes the answer; its date comes from the plan.
    Events are read as on *today* (:meth:`Case.as_on`): only held ones
    satisfy a duty; a booking is shown beside what it would satisfy.
    """
    warnings = tuple(f"{e.event} on {e.date} is marked held but is after today ({today}): only a booking can "
                     "be dated after today, so it is read as booked" for e in case.impossible(today))
    case = case.as_on(today)
    checks = plan.quorum(case)
    inquorate = {(c.meeting, c.date) for c in checks if not c.quorate}
    if inquorate:
        # a meeting found inquorate from its attendance is inquorate for every rule that asks
        case = Case(case.id, tuple(
            CaseEvent(e.event, e.date, {"inquorate": True, **e.attributes}, e.status)
            if (e.event, e.date) in inquorate else e for e in case.events), case.conditions, case.settings)
    conditions = conditions_of(case, plan.conditions)
    case = Case(case.id, case.events, conditions, case.settings)
    held, booked = _events(case, plan)
    rows = plan.evaluate(held, conditions, today.toordinal(), _settings(case.settings), booked)
    instances = tuple(_with_booking(plan, plan.instance(r), case) for r in rows)
    upcoming = []
    chair_absent = "chair-absent" in conditions
    for meeting in plan.procedure.meetings:
        due = answers.next_meeting_due(meeting, case)
        date = plan.next_date(due, case) if due is not None else None
        ended = plan.ended(meeting, held)
        if due is not None and date is None and ended:
            due = attrs.evolve(due, reason=f"the {ended[0]} ended on {ended[1]}: none is due")
        count = len(case.occurrences(meeting))
        chair = answers.select_chair(meeting, count + 1, case=case, chair_absent=chair_absent)
        if due is not None or chair is not None:
            upcoming.append((meeting, due, date, chair))
    next_booked = {m: bookings[0].date for m in plan.procedure.meetings if (bookings := case.bookings(m))}
    return Schedule(plan.procedure.id, case.id, today, instances, tuple(upcoming), next_booked, tuple(checks),
                    warnings)


_OPEN = (Status.DUE, Status.OVERDUE, Status.PROVISIONAL)


def _with_booking(plan: Plan, instance: Instance, case: Case) -> Instance:
    """*instance* with the booking that would fulfil it, if it is still open and one is booked."""
    if instance.status not in _OPEN or instance.due is None:
        return instance
    ob = plan.procedure.obligations[instance.obligation]
    subject = plan.procedure.expand_event(ob.meeting) if ob.meeting else (ob.document or instance.obligation,)
    start = instance.anchor_date or dt.date.min
    dates = sorted(e.date for name in subject for e in case.bookings(name) if e.date >= start)
    if not dates:
        return instance
    booked = dates[0]
    late = plan.calendar.working_days_between(instance.due, booked) if booked > instance.due else 0
    return attrs.evolve(instance, booked=booked, booked_late_by=late)


def _settings(raw: Mapping[str, object]) -> dict[str, object]:
    out: dict[str, object] = {}
    for key, value in raw.items():
        try:
            out[key] = parse_duration(str(value))
        except DurationError:
            out[key] = value
    return out
