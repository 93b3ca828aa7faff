"""Compiled rules: one obligation evaluated over a case's day ordinals, fast enough for a million cases.

A case reaches a rule as ``event id -> sorted day ordinals`` (``date.toordinal()``);
each rule yields raw :data:`~procedurekit.cases.records.Row` tuples, cheap to
make by the million. The evaluation path is the obligation's one
:class:`~procedurekit.model.Timing`.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Mapping, Sequence

from procedurekit.calendars import Calendar, NonWorkingDay, add_months
from procedurekit.cases.records import Row, Status
from procedurekit.durations import Duration, Unit, parse_duration
from procedurekit.model import Anchor, Combine, Obligation, Occurrence, Procedure, Timing

__all__ = ["MAX_RECURRENCES", "Adder", "Rule"]

#: how many instances of one recurring rule a case may produce (a plan lasting decades is an error)
MAX_RECURRENCES = 500


# Module-level names: enum members looked up through their class are slow in a hot loop.
MET, LATE, DUE, OVERDUE = Status.MET, Status.LATE, Status.DUE, Status.OVERDUE
PROVISIONAL, NO_DEADLINE, NOT_APPLICABLE = Status.PROVISIONAL, Status.NO_DEADLINE, Status.NOT_APPLICABLE
_DEADLINE, _RECURRING, _ALTERNATIVES = Timing.DEADLINE, Timing.RECURRING, Timing.ALTERNATIVES
_FOLLOWS, _NONE = Timing.FOLLOWS, Timing.NONE
_EMPTY: list[int] = []
_STANDS = NonWorkingDay.STANDS
_WORKING_DAYS, _DAYS, _WEEKS, _MONTHS, _HOURS = Unit.WORKING_DAYS, Unit.DAYS, Unit.WEEKS, Unit.MONTHS, Unit.HOURS
class Adder:
    """Date arithmetic on ordinals for one calendar, fast for working days."""

    def __init__(self, cal: Calendar):
        self.cal = cal
        self.base = cal._base
        self.cumulative = cal._cumulative
        self.working = cal._working

    def add(self, ordinal: int, duration: Duration, sign: int, non_working_day: NonWorkingDay) -> int:
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


class Rule:
    """One obligation, compiled."""

    def __init__(self, ob_id: str, ob: Obligation, procedure: Procedure, adder: Adder):
        self.id = ob_id
        self.ob = ob
        self.adder = adder
        expand = procedure.expand_event
        subject: list[str] = []
        if ob.meeting:
            subject += expand(ob.meeting)
        if ob.document:
            subject.append(ob.document)
        subject.append(ob_id)
        self.subject = tuple(dict.fromkeys(subject))
        self.anchor_event = ob.after or ob.before
        self.anchors = tuple(expand(self.anchor_event)) if self.anchor_event else ()
        self.until = tuple(expand(ob.until)) if ob.until else ()
        self.strict = bool(set(self.subject) & set(self.anchors))
        self.sign = -1 if ob.before else 1
        self.alternatives = [
            (tuple(expand(a.before or a.after or "")), a.within, -1 if a.before else 1, a.anchor)
            for a in ob.alternatives
        ]
        # flags read once, not per case
        self.anchor_first = ob.anchor is Anchor.FIRST
        self.anchor_last = ob.anchor in (Anchor.LAST, Anchor.PREVIOUS)
        self.anchor_each = ob.anchor is Anchor.EACH
        self.first_occurrence = ob.occurrence is Occurrence.FIRST
        self.non_working_day = ob.non_working_day
        self.conditional = bool(ob.when or ob.unless)
        #: the evaluation path, from the one timing classification of the model
        self.timing = ob.timing

    # The entry point: raw rows for one case. Every rule yields at least one row.
    def evaluate(self, events: Mapping[str, list[int]], conditions: frozenset[str], today: int,
                 settings: Mapping[str, object]) -> list[Row]:
        if self.conditional and not self.ob.applies(conditions):
            return [(self.id, 1, None, None, None, NOT_APPLICABLE, None, "its conditions do not hold")]
        timing = self.timing
        if timing is _DEADLINE:
            rows = self._deadlines(events, today, self.ob.within)
        elif timing is _RECURRING:
            rows = self._recurring(events, today, self.ob.every)  # type: ignore[arg-type]
        elif timing is _ALTERNATIVES:
            rows = self._alternatives(events, today)
        elif timing is _FOLLOWS:
            rows = self._follows(events)
        elif timing is _NONE:
            return [(self.id, 1, None, None, None, NO_DEADLINE, None, "a standing duty: no event to count from")]
        else:
            rows = self._timescale(events, today, settings)
        if not rows:
            # a recurrence whose plan ended before its first fell due
            return [(self.id, 1, None, None, None, NOT_APPLICABLE, None, f"{self.ob.until} came first")]
        return rows

    def _timescale(self, events: Mapping[str, list[int]], today: int, settings: Mapping[str, object]) -> list[Row]:
        ob = self.ob
        per_case = settings.get(self.id) if self.timing is Timing.SET_PER_CASE else None
        if per_case is None:
            anchor = self._anchor_points(events)
            return [(self.id, 1, anchor[0] if anchor else None, None, None, NO_DEADLINE, None,
                     f"timescale {self.timing.value}")]
        duration = per_case if isinstance(per_case, Duration) else parse_duration(str(per_case))
        if ob.occurrence is Occurrence.SUBSEQUENT or (ob.meeting and not self.anchors):
            return self._recurring(events, today, duration)
        return self._deadlines(events, today, duration)

    def _follows(self, events: Mapping[str, list[int]]) -> list[Row]:
        """A duty that follows an event but sets no number: when it was done, never late."""
        points = self._anchor_points(events)
        if not points:
            return [(self.id, 1, None, None, None, PROVISIONAL, None, f"waiting for {self.anchor_event}")]
        subject = _merge(events, self.subject)
        rows: list[Row] = []
        for n, point in enumerate(points, start=1):
            done = _first_at_or_after(subject, point, strictly=self.strict) if subject else None
            rows.append((self.id, n, point, None, done, NO_DEADLINE, None, "the procedure sets no number"))
        return rows

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
