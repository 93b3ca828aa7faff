"""The case engine: every obligation instance of a case, its due date and its status.

A :class:`Plan` is built once per procedure: each obligation with a timescale
becomes a compiled rule working on day ordinals (``date.toordinal()``), so
one case or a hundred thousand are evaluated the same way. :func:`schedule`
gives one case's instances as objects (and the next meeting due, through the
hooks); :mod:`procedurekit.cases.audit` runs the same plan over a CSV of many cases.

Statuses (docs/engine.md):

``met``            done on or before the due date
``late``           done, N working days after the due date
``due``            not done, due date today or later
``overdue``        not done, due date passed (by N working days)
``provisional``    the event it counts from has not happened (or, for
                   "whichever is sooner", not all of them)
``no-deadline``    the procedure sets no number ("an early review", "immediately",
                   a per-case timescale the case does not give)
``not-applicable`` its conditions do not hold for this case
"""

from __future__ import annotations

import bisect
import datetime as dt
import enum
from collections.abc import Mapping, Sequence

from attrs import frozen

from procedurekit.calendars import Calendar, NonWorkingDay, add_months, procedure_calendar
from procedurekit.durations import Duration, DurationError, Unit, parse_duration
from procedurekit.model import (
    Anchor, Case, Combine, Deadline, MeetingDue, Obligation, Occurrence, Procedure, Source, Timescale,
)

__all__ = [
    "Status", "Instance", "Schedule", "Plan", "schedule", "anchor_date", "due_date", "case_events",
    "conditions_of",
]

#: how many instances of one recurring rule a case may produce (a plan lasting decades is an error)
MAX_RECURRENCES = 500


class Status(enum.Enum):
    MET = "met"
    LATE = "late"
    DUE = "due"
    OVERDUE = "overdue"
    PROVISIONAL = "provisional"
    NO_DEADLINE = "no-deadline"
    NOT_APPLICABLE = "not-applicable"


# Module-level names: enum members looked up through their class are slow in a hot loop.
MET, LATE, DUE, OVERDUE = Status.MET, Status.LATE, Status.DUE, Status.OVERDUE
PROVISIONAL, NO_DEADLINE, NOT_APPLICABLE = Status.PROVISIONAL, Status.NO_DEADLINE, Status.NOT_APPLICABLE
_EMPTY: list[int] = []
_STANDS = NonWorkingDay.STANDS
_WORKING_DAYS, _DAYS, _WEEKS, _MONTHS, _HOURS = Unit.WORKING_DAYS, Unit.DAYS, Unit.WEEKS, Unit.MONTHS, Unit.HOURS

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


# -- small helpers shared with the hooks ------------------------------------------------

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
    Recurring rules chain from the meeting's own last occurrence.
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
        start = anchor_date(procedure, case, due.after, due.anchor) if due.after else None
        last = anchor_date(procedure, case, due.meeting, Anchor.LAST)
        if last is not None and (start is None or last >= start):
            start = last
        if start is None:
            return None
        return cal.add(start, due.within, non_working_day=due.non_working_day)
    single = Deadline(within=due.within, after=due.after, before=due.before, anchor=due.anchor)
    return _deadline(procedure, case, cal, single, due)


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


# -- the compiled plan ---------------------------------------------------------------------

class _Adder:
    """Date arithmetic on ordinals for one calendar, fast for working days."""

    def __init__(self, cal: Calendar):
        self.cal = cal
        self.base = cal._base
        self.cumulative = cal._cumulative
        self.working = cal._working

    def add(self, ordinal: int, duration: Duration, sign: int, non_working_day) -> int:
        unit = duration.unit
        if non_working_day is _STANDS and unit is not _WORKING_DAYS:
            if unit is _DAYS:
                return ordinal + sign * duration.amount
            if unit is _WEEKS:
                return ordinal + 7 * sign * duration.amount
            if unit is _MONTHS:
                return add_months(dt.date.fromordinal(ordinal), sign * duration.amount).toordinal()
            # hours from the start of the day: the day the deadline falls on
            return ordinal + (sign * duration.amount) // 24
        if unit is _WORKING_DAYS:
            index = ordinal - self.base
            if 0 <= index < len(self.cumulative):
                if sign > 0:
                    position = self.cumulative[index] + duration.amount - 1
                else:
                    position = (self.cumulative[index - 1] if index else 0) - duration.amount
                if 0 <= position < len(self.working):
                    return self.working[position] if duration.amount else ordinal
            # outside the known years: let the calendar raise its clear error
            return self.cal.add(dt.date.fromordinal(ordinal), duration, before=sign < 0).toordinal()
        day = dt.date.fromordinal(ordinal)
        return self.cal.add(day, duration, before=sign < 0, non_working_day=non_working_day).toordinal()

    def between(self, start: int, end: int) -> int:
        cum = self.cumulative
        return cum[end - self.base] - cum[start - self.base]


def _first_at_or_after(ordinals: Sequence[int], value: int, strictly: bool = False) -> int | None:
    i = (bisect.bisect_right if strictly else bisect.bisect_left)(ordinals, value)
    return ordinals[i] if i < len(ordinals) else None


def _last_at_or_before(ordinals: Sequence[int], value: int) -> int | None:
    i = bisect.bisect_right(ordinals, value)
    return ordinals[i - 1] if i else None


def _merge(events: Mapping[str, list[int]], names: Sequence[str]) -> list[int]:
    """The sorted ordinals of any of *names*; no copy when only one of them occurs (the usual case)."""
    found = None
    merged = None
    for name in names:
        ordinals = events.get(name)
        if not ordinals:
            continue
        if found is None:
            found = ordinals
        else:
            merged = (merged or list(found)) + ordinals
    if merged is not None:
        merged.sort()
        return merged
    return found if found is not None else _EMPTY


class _Rule:
    """One obligation, compiled."""

    def __init__(self, ob_id: str, ob: Obligation, procedure: Procedure, adder: _Adder):
        self.id = ob_id
        self.ob = ob
        self.adder = adder
        expand = procedure.expand_event
        subject = []
        if ob.meeting:
            subject += expand(ob.meeting)
        if ob.document:
            subject.append(ob.document)
        subject.append(ob_id)
        self.subject = tuple(dict.fromkeys(subject))
        self.anchor_event = ob.after or ob.before
        self.anchors = tuple(expand(self.anchor_event)) if self.anchor_event else ()
        self.until = tuple(expand(ob.until)) if ob.until else ()
        self.when, self.unless = set(ob.when), set(ob.unless)
        self.strict = bool(set(self.subject) & set(self.anchors))
        self.sign = -1 if ob.before else 1
        self.alternatives = [
            (tuple(expand(a.before or a.after)), a.within, -1 if a.before else 1, a.anchor) for a in ob.alternatives
        ]
        # flags read once, not per case
        self.anchor_first = ob.anchor is Anchor.FIRST
        self.anchor_last = ob.anchor in (Anchor.LAST, Anchor.PREVIOUS)
        self.anchor_each = ob.anchor is Anchor.EACH
        self.first_occurrence = ob.occurrence is Occurrence.FIRST
        self.non_working_day = ob.non_working_day
        self.conditional = bool(self.when or self.unless)
        # the evaluation path, chosen once
        if ob.timescale is not None:
            self.kind = "timescale"
        elif ob.every is not None:
            self.kind = "recurring"
        elif ob.alternatives:
            self.kind = "alternatives"
        elif ob.within is not None or ob.before:
            self.kind = "deadline"
        else:
            self.kind = "none"

    def applies(self, conditions: frozenset[str]) -> bool:
        return self.when <= conditions and not (self.unless & conditions)

    # The entry point: raw rows for one case.
    def evaluate(self, events: Mapping[str, list[int]], conditions: frozenset[str], today: int,
                 settings: Mapping[str, object]) -> list[Row]:
        if self.conditional and not self.applies(conditions):
            return [(self.id, 1, None, None, None, NOT_APPLICABLE, None, "")]
        kind = self.kind
        if kind == "deadline":
            return self._deadlines(events, today, self.ob.within)
        if kind == "recurring":
            return self._recurring(events, today, self.ob.every)
        ob = self.ob
        if kind == "timescale":
            per_case = settings.get(self.id) if ob.timescale is Timescale.SET_PER_CASE else None
            if per_case is None:
                anchor = self._anchor_points(events)
                return [(self.id, 1, anchor[0] if anchor else None, None, None, Status.NO_DEADLINE, None,
                         f"timescale {ob.timescale.value}")]
            duration = per_case if isinstance(per_case, Duration) else parse_duration(str(per_case))
            if ob.occurrence is Occurrence.SUBSEQUENT or (ob.meeting and not self.anchors):
                return self._recurring(events, today, duration)
            return self._deadlines(events, today, duration)
        if kind == "alternatives":
            return self._alternatives(events, today)
        return []

    def _anchor_points(self, events: Mapping[str, list[int]]) -> list[int]:
        points = _merge(events, self.anchors) if self.anchors else _EMPTY
        if not points:
            return _EMPTY
        if self.anchor_first:
            return points[:1]
        if self.anchor_last:
            return points[-1:]
        return points

    def _status(self, due: int | None, done: int | None, today: int, provisional: bool = False
                ) -> tuple[Status, int | None]:
        if done is not None and due is not None:
            if done <= due:
                return MET, None
            return LATE, self._late(due, done)
        if due is None or provisional:
            return PROVISIONAL, None
        if today > due:
            return OVERDUE, self._late(due, today)
        return DUE, None

    def _late(self, due: int, when: int) -> int | None:
        try:
            return self.adder.between(due, when)
        except IndexError:
            return None

    def _deadlines(self, events: Mapping[str, list[int]], today: int, within: Duration | None) -> list[Row]:
        ob = self.ob
        subject = _merge(events, self.subject)
        points = self._anchor_points(events)
        if not points:
            return [(self.id, 1, None, None, None, Status.PROVISIONAL, None, f"waiting for {self.anchor_event}")]
        rows: list[Row] = []
        count = len(points)
        add = self.adder.add
        for n, point in enumerate(points, start=1):
            following = points[n] if n < count else None
            due = point if within is None else add(point, within, self.sign, self.non_working_day)
            note = ""
            if self.sign < 0:
                previous = points[n - 2] if n > 1 else None
                done = _last_at_or_before(subject, point) if subject else None
                if done is not None and previous is not None and done <= previous:
                    done = None
            else:
                done = _first_at_or_after(subject, point, strictly=self.strict) if subject else None
                if done is not None and following is not None and done >= following and self.anchor_each:
                    done = None
                if self.first_occurrence and done is not None and done != subject[0]:
                    done = subject[0] if subject[0] >= point else done
                if done is not None and ob.not_immediately and done == point:
                    note = "held on the same day, which the rule advises against"
                if done is not None and ob.earliest is not None:
                    floor = self.adder.add(point, ob.earliest, 1, ob.non_working_day)
                    if done < floor:
                        note = f"earlier than the {ob.earliest} the rule allows"
            status, late = self._status(due, done, today)
            rows.append((self.id, n, point, due, done, status, late, note))
        return rows

    def _recurring(self, events: Mapping[str, list[int]], today: int, every: Duration) -> list[Row]:
        ob = self.ob
        subject = _merge(events, self.subject)
        if self.anchors:
            starts = _merge(events, self.anchors)
            if not starts:
                return [(self.id, 1, None, None, None, Status.PROVISIONAL, None, f"waiting for {self.anchor_event}")]
            start = starts[-1] if self.anchor_last else starts[0]
        elif subject:
            start = subject[0]
        else:
            return [(self.id, 1, None, None, None, Status.PROVISIONAL, None, "waiting for the first occurrence")]
        ends = _merge(events, self.until) if self.until else []
        end = _first_at_or_after(ends, start) if ends else None
        rows: list[Row] = []
        previous = start
        for n in range(1, MAX_RECURRENCES + 1):
            if end is not None and previous >= end:
                break
            due = self.adder.add(previous, every, 1, ob.non_working_day)
            done = _first_at_or_after(subject, previous, strictly=True)
            if end is not None and done is not None and done > end:
                done = None
            if end is not None and done is None and due > end:
                break  # the plan ended before this one fell due
            status, late = self._status(due, done, today)
            rows.append((self.id, n, previous, due, done, status, late, ""))
            if done is None:
                break
            previous = done
        return rows

    def _alternatives(self, events: Mapping[str, list[int]], today: int) -> list[Row]:
        ob = self.ob
        dues: list[int] = []
        missing = 0
        starts: list[int] = []
        for anchors, within, sign, anchor in self.alternatives:
            points = _merge(events, anchors)
            if not points:
                missing += 1
                continue
            point = points[0] if anchor is Anchor.FIRST else points[-1]
            starts.append(point)
            dues.append(self.adder.add(point, within, sign, ob.non_working_day))
        if not dues:
            return [(self.id, 1, None, None, None, Status.PROVISIONAL, None, "waiting for its events")]
        later = ob.combine is Combine.LATER
        due = max(dues) if later else min(dues)
        subject = _merge(events, self.subject)
        done = _first_at_or_after(subject, min(starts))
        provisional = missing > 0 and (later or done is None)
        status, late = self._status(due, done, today, provisional=provisional and done is None)
        if provisional and later:
            status, late = (Status.PROVISIONAL, None) if done is None else (status, late)
        note = "an alternative's event has not happened yet" if missing else ""
        return [(self.id, 1, min(starts), due, done, status, late, note)]


class Plan:
    """A procedure compiled for evaluating cases: built once, used for any number of cases."""

    def __init__(self, procedure: Procedure, calendar: Calendar | None = None):
        self.procedure = procedure
        self.calendar = calendar or procedure_calendar(procedure)
        adder = _Adder(self.calendar)
        self.rules = [_Rule(ob_id, ob, procedure, adder) for ob_id, ob in procedure.obligations.items()
                      if ob.timing != "none"]
        self.conditions = procedure.condition_ids()
        #: every event id a case may use with this procedure
        self.events = (procedure.event_ids() | set(procedure.documents) | set(procedure.obligations)
                       | set(procedure.triggers))

    def evaluate(self, events: Mapping[str, list[int]], conditions: frozenset[str], today: int,
                 settings: Mapping[str, object] | None = None) -> list[Row]:
        """Raw instance rows for one case (see :data:`Row`)."""
        settings = settings or {}
        rows: list[Row] = []
        for rule in self.rules:
            rows += rule.evaluate(events, conditions, today, settings)
        return rows

    def instance(self, row: Row) -> Instance:
        from procedurekit import describe

        ob_id, n, anchor, due, done, status, late, note = row
        ob = self.procedure.obligations[ob_id]
        date = dt.date.fromordinal
        return Instance(
            obligation=ob_id, occurrence=n, what=describe.subject(self.procedure, ob), owner=ob.owner,
            anchor=ob.after or ob.before, anchor_date=date(anchor) if anchor else None,
            due=date(due) if due else None, done=date(done) if done else None, status=status, late_by=late,
            rule=describe.timing(self.procedure, ob), strength=ob.strength.value, source=ob.source, note=note,
        )


def schedule(library, pid: str, case: Case, today: dt.date | None = None) -> Schedule:
    """Every obligation instance of *case* under procedure *pid*, and each meeting's next occurrence.

    The next meeting and its chair come from the hooks, so a partnership's
    hook changes the answer.
    """
    procedure = library.get(pid)
    today = today or dt.date.today()
    plan = library.plan(pid)
    conditions = conditions_of(case, plan.conditions)
    case = Case(case.id, case.events, conditions, case.settings)
    settings = _settings(case.settings)
    rows = plan.evaluate(case_events(case), conditions, today.toordinal(), settings)
    instances = tuple(plan.instance(r) for r in rows)
    upcoming = []
    for meeting in procedure.meetings:
        due, date = library.next_meeting_date(pid, meeting, case)
        held = len(case.occurrences(meeting))
        chair_absent = "chair-absent" in conditions
        chair = library.select_chair(pid, meeting, held + 1, case=case, chair_absent=chair_absent)
        if due is not None or chair is not None:
            upcoming.append((meeting, due, date, chair))
    return Schedule(pid, case.id, today, instances, tuple(upcoming))


def _settings(raw: Mapping[str, object]) -> dict[str, object]:
    out: dict[str, object] = {}
    for key, value in raw.items():
        try:
            out[key] = parse_duration(str(value))
        except DurationError:
            out[key] = value
    return out
