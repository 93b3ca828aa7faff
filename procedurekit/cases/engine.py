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
from typing import Protocol

from procedurekit import describe
from procedurekit.calendars import Calendar, procedure_calendar
from procedurekit.cases.records import Instance, Row, Schedule, Status
from procedurekit.cases.rules import Adder, Rule
from procedurekit.durations import DurationError, parse_duration
from procedurekit.model import Case, ChairDecision, MeetingDue, Obligation, Occurrence, Procedure, Strength

__all__ = [
    "Status", "Row", "Instance", "Schedule", "Plan", "Answers", "schedule", "due_date", "case_events",
    "conditions_of",
]


# -- cases as the plan reads them ---------------------------------------------------------

def conditions_of(case: Case, known: set[str]) -> frozenset[str]:
    """The case's conditions, plus any condition named as a true attribute of one of its events."""
    extra = {name for e in case.events for name, value in e.attributes.items()
             if name in known and value not in (False, "false", "no", "0", "", None)}
    return frozenset(case.conditions) | extra


def case_events(case: Case) -> dict[str, list[int]]:
    """Event id -> sorted day ordinals: the form a plan evaluates."""
    out: dict[str, list[int]] = {}
    for e in case.events:
        out.setdefault(e.event, []).append(e.date.toordinal())
    for ordinals in out.values():
        ordinals.sort()
    return out


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

    def __repr__(self) -> str:
        return f"<Plan {self.procedure.id}: {len(self.rules)} rules>"

    def evaluate(self, events: Mapping[str, list[int]], conditions: frozenset[str], today: int,
                 settings: Mapping[str, object] | None = None) -> list[Row]:
        """Raw instance rows for one case (see :data:`Row`): at least one for every obligation."""
        settings = settings or {}
        rows: list[Row] = []
        for rule in self.rules:
            rows += rule.evaluate(events, conditions, today, settings)
        return rows

    def instance(self, row: Row) -> Instance:
        """The :class:`Instance` a raw row stands for."""
        ob_id, n, anchor, due, done, status, late, note = row
        ob = self.procedure.obligations[ob_id]
        date = dt.date.fromordinal
        return Instance(
            obligation=ob_id, occurrence=n, what=describe.subject(self.procedure, ob), owner=ob.owner,
            anchor=ob.after or ob.before, anchor_date=date(anchor) if anchor else None,
            due=date(due) if due else None, done=date(done) if done else None, status=status, late_by=late,
            rule=describe.timing(self.procedure, ob), strength=ob.strength.value, source=ob.source, note=note,
        )

    def next_date(self, due: MeetingDue, case: Case) -> dt.date | None:
        """The date *due* sets for the next meeting in *case* (see :func:`due_date`)."""
        return _next_date(self.procedure, self._adder, due, case)


def _next_date(procedure: Procedure, adder: Adder, due: MeetingDue, case: Case) -> dt.date | None:
    named = procedure.obligations.get(due.obligation or "")
    rule = Rule(due.obligation or f"next-{due.meeting}", _as_obligation(due, named), procedure, adder)
    rows = rule.evaluate(case_events(case), frozenset(), dt.date.max.toordinal(), _settings(case.settings))
    for row in rows:
        if row[4] is None:  # the first occurrence not yet held
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
    """
    conditions = conditions_of(case, plan.conditions)
    case = Case(case.id, case.events, conditions, case.settings)
    rows = plan.evaluate(case_events(case), conditions, today.toordinal(), _settings(case.settings))
    instances = tuple(plan.instance(r) for r in rows)
    upcoming = []
    chair_absent = "chair-absent" in conditions
    for meeting in plan.procedure.meetings:
        due = answers.next_meeting_due(meeting, case)
        date = plan.next_date(due, case) if due is not None else None
        held = len(case.occurrences(meeting))
        chair = answers.select_chair(meeting, held + 1, case=case, chair_absent=chair_absent)
        if due is not None or chair is not None:
            upcoming.append((meeting, due, date, chair))
    return Schedule(plan.procedure.id, case.id, today, instances, tuple(upcoming))


def _settings(raw: Mapping[str, object]) -> dict[str, object]:
    out: dict[str, object] = {}
    for key, value in raw.items():
        try:
            out[key] = parse_duration(str(value))
        except DurationError:
            out[key] = value
    return out
