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

#: a case's events as a rule reads them: event id (or :func:`filtered` key) -> sorted day ordinals
Events = Mapping[str, list[int]]


def filtered(event: str, attributes: Sequence[str]) -> str:
    """The key under which a case lists its *event*s that carry every one of *attributes*."""
    return f"{event}[{'+'.join(sorted(attributes))}]"


__all__ = ["MAX_RECURRENCES", "Adder", "Rule", "Events", "filtered"]

#: how many instances of one recurring rule a case may produce (a plan lasting decades is an error)
MAX_RECURRENCES = 500


# Module-level names: enum members looked up through their class are slow in a hot loop.
MET, LATE, DUE, OVERDUE = Status.MET, Status.LATE, Status.DUE, Status.OVERDUE
PROVISIONAL, NO_DEADLINE, NOT_APPLICABLE = Status.PROVISIONAL, Status.NO_DEADLINE, Status.NOT_APPLICABLE
NOT_IN_FORCE = Status.NOT_IN_FORCE
MET_LENIENT, JUDGEMENT = Status.MET_LENIENT, Status.JUDGEMENT
_DEADLINE, _RECURRING, _ALTERNATIVES = Timing.DEADLINE, Timing.RECURRING, Timing.ALTERNATIVES
_FOLLOWS, _NONE, _IMMEDIATELY = Timing.FOLLOWS, Timing.NONE, Timing.IMMEDIATELY
#: "before X" with no number: due by the end of the last working day before X
_DAY_BEFORE = Duration(1, Unit.WORKING_DAYS)
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


def _ended_before(ends: Sequence[int], starts: Sequence[int], value: int) -> int | None:
    """The end of a period that closed before *value* with no new start since, if any."""
    end = _last_at_or_before(ends, value - 1)
    if end is None:
        return None
    start = _last_at_or_before(starts, value)
    return end if start is None or start <= end else None


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


def _iso(ordinal: int) -> str:
    return dt.date.fromordinal(ordinal).isoformat()


def _gestation_lead(weeks: Duration) -> Duration:
    """How long before the expected birth "by N weeks of pregnancy" falls (a pregnancy counts 40 weeks)."""
    if weeks.unit is _WEEKS:
        return Duration(max(40 - weeks.amount, 0), _WEEKS)
    if weeks.unit is _DAYS:
        return Duration(max(280 - weeks.amount, 0), _DAYS)
    raise ValueError(f"gestation is counted in weeks or days, not {weeks.unit.value}")


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
        self.within = ob.within
        self.sign = -1 if ob.before and not ob.after else 1
        self.anchor_event = ob.after or ob.before
        if ob.gestation is not None:
            self.anchor_event, self.sign, self.within = "expected-birth", -1, _gestation_lead(ob.gestation)
        plain = tuple(expand(self.anchor_event)) if self.anchor_event else ()
        self.plain_anchors = plain
        self.anchors = tuple(filtered(a, ob.anchor_where) for a in plain) if ob.anchor_where else plain
        self.plain = not ob.anchor_where
        #: after X and before Y: the deadline counts back from the next Y after each X
        self.window = tuple(expand(ob.before)) if ob.after and ob.before else ()
        self.until = tuple(expand(ob.until)) if ob.until else ()
        period_id = procedure.period_of(ob)
        period = procedure.periods.get(period_id) if period_id else None
        self.period = period.name if period else None
        #: the period's name inside a sentence ("the child protection plan ended on ...")
        self.period_text = (period.name[:1].lower() + period.name[1:]) if period else "period"
        self.period_ends = tuple(e for end in period.ends for e in expand(end)) if period else ()
        self.period_starts = tuple(e for start in period.starts for e in expand(start)) if period else ()
        self.strict = bool(set(self.subject) & set(plain))
        self.readings = tuple(r.within for r in ob.readings)
        self.alternatives = [
            (tuple(expand(a.before or a.after or "")), a.within, -1 if a.before else 1, a.anchor)
            for a in ob.alternatives
        ]
        # flags read once, not per case
        self.anchor_first = ob.anchor is Anchor.FIRST
        self.anchor_last = ob.anchor in (Anchor.LAST, Anchor.PREVIOUS)
        self.anchor_each = ob.anchor in (Anchor.EACH, Anchor.NEXT)
        self.first_occurrence = ob.occurrence is Occurrence.FIRST
        self.non_working_day = ob.non_working_day
        self.conditional = bool(ob.when or ob.unless)
        self.judgement = frozenset(c for c in ob.when if c in procedure.conditions
                                   and procedure.conditions[c].judgement)
        #: the evaluation path, from the one timing classification of the model
        self.timing = ob.timing

    # The entry point: raw rows for one case. Every rule yields at least one row.
    #: the days (ordinals, inclusive) of the version this rule belongs to, when a plan judges a case under
    #: several versions (cases.versions); rows counting from other days are another version's
    in_force: tuple[int, int] | None = None
    #: whether rows with no anchor (standing, provisional, not applicable) are this version's: today's are
    anchorless_here = True
    #: days no version was in force, with why: rows counting from them are reported as not in force
    gaps: tuple[tuple[int, int, str], ...] = ()

    def restrict(self, rows: list[Row]) -> list[Row]:
        """*rows* of this rule that are its version's (:attr:`in_force`); those from a gap, not in force."""
        lo, hi = self.in_force or (0, 0)
        out = []
        for row in rows:
            anchor = row[2]
            if not anchor:
                if self.anchorless_here:
                    out.append(row)
            elif lo <= anchor <= hi:
                out.append(row)
            else:
                why = next((reason for g_lo, g_hi, reason in self.gaps if g_lo <= anchor <= g_hi), None)
                if why is not None:
                    out.append((row[0], row[1], anchor, None, None, NOT_IN_FORCE, None, why, None))
        return out

    def evaluate(self, events: Events, conditions: frozenset[str], today: int,
                 settings: Mapping[str, object], booked: Events | None = None) -> list[Row]:
        if self.conditional and not self.ob.applies(conditions):
            return [self._inapplicable(conditions)]
        timing = self.timing
        if timing is _DEADLINE:
            rows = self._deadlines(events, today, self.within, booked)
        elif timing is _RECURRING:
            rows = self._recurring(events, today, self.ob.every, self.readings)  # type: ignore[arg-type]
        elif timing is _ALTERNATIVES:
            rows = self._alternatives(events, today, booked)
        elif timing is _FOLLOWS:
            rows = self._follows(events, "the procedure sets no number")
        elif timing is _NONE:
            return [(self.id, 1, None, None, None, NO_DEADLINE, None, "a standing duty: no event to count from",
                     None)]
        elif timing is _IMMEDIATELY and self.anchors:
            rows = self._deadlines(events, today, None, booked)
        else:
            rows = self._timescale(events, today, settings, booked)
        if rows and self.period_ends:
            rows = self._clip(rows, events)
        if not rows:
            # a recurrence whose plan ended before its first fell due
            ended = (f"{self.ob.until} came first" if self.ob.until and self.ob.until not in self.period_ends
                     else f"the {self.period_text} ended first")
            return [(self.id, 1, None, None, None, NOT_APPLICABLE, None, ended, None)]
        return rows

    def _inapplicable(self, conditions: frozenset[str]) -> Row:
        ob = self.ob
        missing = set(ob.when) - conditions
        if missing and missing <= self.judgement and conditions.isdisjoint(ob.unless):
            return (self.id, 1, None, None, None, JUDGEMENT, None,
                    f"applies only if judged so ({', '.join(sorted(missing))}); the case does not record it", None)
        return (self.id, 1, None, None, None, NOT_APPLICABLE, None, "its conditions do not hold", None)

    def _clip(self, rows: list[Row], events: Events) -> list[Row]:
        """Rows of a duty that belongs to a period (the plan): none falls due after the period ends.

        A duty whose anchor comes after the period ended, with no new start
        in between, never fell due either (an event after the plan ended).
        """
        ends = _merge(events, self.period_ends)
        if not ends:
            return rows
        first_end = ends[0]
        for row in rows:
            point = row[2] if row[2] is not None else row[3]
            if row[4] is None or row[4] > first_end or (point is not None and point > first_end):
                break
        else:
            return rows  # all done before the plan first ended: nothing to cut (the usual case)
        starts = _merge(events, self.period_starts)
        out: list[Row] = []
        for row in rows:
            point, due, done = row[2], row[3], row[4]
            start = point if point is not None else due
            end = _first_at_or_after(ends, start) if start is not None else None
            if end is not None and (done is None or done > end) and (due is None or due > end):
                row = (self.id, row[1], point, due, None, NOT_APPLICABLE, None,
                       self._ended_note(end) if due else f"the {self.period_text} ended on {_iso(end)}", None)
            elif start is not None and (ended := _ended_before(ends, starts, start)) is not None:
                row = (self.id, row[1], point, due, None, NOT_APPLICABLE, None,
                       f"the {self.period_text} had ended on {_iso(ended)}", None)
            out.append(row)
        return out

    def _timescale(self, events: Events, today: int, settings: Mapping[str, object],
                   booked: Events | None) -> list[Row]:
        ob = self.ob
        per_case = settings.get(self.id) if self.timing is Timing.SET_PER_CASE else None
        if per_case is None:
            if self.anchors:
                return self._follows(events, f"timescale {self.timing.value}")
            return [(self.id, 1, None, None, None, NO_DEADLINE, None, f"timescale {self.timing.value}", None)]
        duration = per_case if isinstance(per_case, Duration) else parse_duration(str(per_case))
        if ob.occurrence is Occurrence.SUBSEQUENT or (ob.meeting and not self.anchors):
            return self._recurring(events, today, duration, ())
        return self._deadlines(events, today, duration, booked)

    def _follows(self, events: Events, note: str) -> list[Row]:
        """A duty that follows an event but sets no number: when it was done, never late."""
        points, _ = self._anchor_points(events, None)
        if not points:
            return [(self.id, 1, None, None, None, PROVISIONAL, None, f"waiting for {self.anchor_event}", None)]
        subject = _merge(events, self.subject)
        rows: list[Row] = []
        for n, point in enumerate(points, start=1):
            done = _first_at_or_after(subject, point, strictly=self.strict) if subject else None
            rows.append((self.id, n, point, None, done, NO_DEADLINE, None, note, None))
        return rows

    def _anchor_points(self, events: Events, booked: Events | None) -> tuple[list[int], str]:
        """The anchor points (held, and booked ones when counting back) and a note on how they were chosen."""
        anchors = self.anchors
        points = _merge(events, anchors) if anchors else _EMPTY
        if booked is None and points and self.plain:
            # the common case, read once per anchor: no bookings, no attribute filter
            return (points[:1] if self.anchor_first else points[-1:] if self.anchor_last else points), ""
        if booked and self.sign < 0:
            extra = _merge(booked, anchors)
            if extra:
                points = sorted(points + extra)
        note = ""
        if not points and self.ob.anchor_where:
            # the case marks none of its anchor events: it does not record the attribute, so count as usual
            points = _merge(events, self.plain_anchors)
            if booked and self.sign < 0:
                points = sorted(points + _merge(booked, self.plain_anchors))
            if points:
                note = (f"no {self.anchor_event} is marked {', '.join(self.ob.anchor_where)}: "
                        f"counted from the {'last' if self.anchor_last else 'first'}")
                if self.anchor_each:
                    points = points[:1]
        if not points:
            return _EMPTY, note
        if self.anchor_first:
            return points[:1], note
        if self.anchor_last:
            return points[-1:], note
        return points, note

    def _due(self, point: int, within: Duration | None, sign: int, readings: tuple[Duration, ...]
             ) -> tuple[int, int | None]:
        """The due ordinal from *point*, and the lenient reading's when the timescale has two readings."""
        add = self.adder.add
        if within is None:
            return (point if sign > 0 else add(point, _DAY_BEFORE, -1, _STANDS)), None
        due = add(point, within, sign, self.non_working_day)
        if not readings:
            return due, None
        dues = [due] + [add(point, r, sign, self.non_working_day) for r in readings]
        low, high = min(dues), max(dues)
        return low, (high if high != low else None)

    def _status(self, due: int | None, done: int | None, today: int, provisional: bool = False,
                limit: int | None = None) -> tuple[Status, int | None]:
        if done is not None and due is not None:
            if done <= due:
                return MET, None
            if limit is not None and done <= limit:
                return MET_LENIENT, None
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

    def _deadlines(self, events: Events, today: int, within: Duration | None, booked: Events | None) -> list[Row]:
        ob = self.ob
        subject = _merge(events, self.subject)
        points, anchor_note = self._anchor_points(events, booked)
        if not points:
            return [(self.id, 1, None, None, None, PROVISIONAL, None, f"waiting for {self.anchor_event}", None)]
        readings = self.readings if within is self.within else ()
        targets: list[int] = []
        if self.window:
            targets = _merge(events, self.window)
            if booked:
                targets = sorted(targets + _merge(booked, self.window))
        rows: list[Row] = []
        count = len(points)
        add = self.adder.add
        for n, point in enumerate(points, start=1):
            following = points[n] if n < count else None
            note = anchor_note
            if self.window:
                target = _first_at_or_after(targets, point, strictly=True)
                if target is None:
                    rows.append((self.id, n, point, None, None, PROVISIONAL, None,
                                 f"waiting for the next {ob.before} to be booked", None))
                    continue
                due, limit = self._due(target, within, -1, readings)
            elif readings or within is None:
                due, limit = self._due(point, within, self.sign, readings)
            else:
                due, limit = add(point, within, self.sign, self.non_working_day), None
            if self.sign < 0:
                previous = points[n - 2] if n > 1 else None
                done = _last_at_or_before(subject, point) if subject else None
                if done is not None and previous is not None and done <= previous:
                    done = None
            else:
                done = _first_at_or_after(subject, point, strictly=self.strict) if subject else None
                # a later anchor's own occurrence may satisfy this one when the rule is about the anchor
                # itself (a review after each inquorate conference, held as the next conference)
                if done is not None and following is not None and self.anchor_each and (
                        done > following if self.strict else done >= following):
                    done = None
                if self.first_occurrence and done is not None and done != subject[0]:
                    done = subject[0] if subject[0] >= point else done
                if done is not None and ob.not_immediately and done == point:
                    note = "held on the same day, which the rule advises against"
                if done is not None and ob.earliest is not None:
                    floor = self.adder.add(point, ob.earliest, 1, ob.non_working_day)
                    if done < floor:
                        note = f"earlier than the {ob.earliest} the rule allows"
            status, late = self._status(due, done, today, limit=limit)
            if status is OVERDUE and limit is not None and today <= limit:
                note = note or f"within the lenient reading until {_iso(limit)}"
            rows.append((self.id, n, point, due, done, status, late, note, limit))
        return rows

    def _recurring(self, events: Events, today: int, every: Duration, readings: tuple[Duration, ...]) -> list[Row]:
        subject = _merge(events, self.subject)
        if self.anchors:
            starts = _merge(events, self.anchors) or _merge(events, self.plain_anchors)
            if not starts:
                return [(self.id, 1, None, None, None, PROVISIONAL, None, f"waiting for {self.anchor_event}", None)]
            start = starts[-1] if self.anchor_last else starts[0]
        elif subject:
            start = subject[0]
        else:
            return [(self.id, 1, None, None, None, PROVISIONAL, None, "waiting for the first occurrence", None)]
        ends = _merge(events, self.until + self.period_ends) if self.until or self.period_ends else _EMPTY
        end = _first_at_or_after(ends, start) if ends else None
        rows: list[Row] = []
        previous = start
        for n in range(1, MAX_RECURRENCES + 1):
            if end is not None and previous >= end:
                break
            due, limit = self._due(previous, every, 1, readings)
            done = _first_at_or_after(subject, previous, strictly=True)
            if end is not None and done is not None and done > end:
                done = None
            if end is not None and done is None and due > end:
                # the plan ended before this one fell due: shown as not applicable, and the recurrence stops
                rows.append((self.id, n, previous, due, None, NOT_APPLICABLE, None, self._ended_note(end), limit))
                break
            status, late = self._status(due, done, today, limit=limit)
            rows.append((self.id, n, previous, due, done, status, late, "", limit))
            if done is None:
                break
            previous = done
        return rows

    def _ended_note(self, end: int) -> str:
        if self.period or not self.ob.until:
            return f"the {self.period_text} ended on {_iso(end)}, before it fell due"
        return f"{self.ob.until} on {_iso(end)} came first, before it fell due"

    def _alternatives(self, events: Events, today: int, booked: Events | None) -> list[Row]:
        ob = self.ob
        dues: list[int] = []
        missing = 0
        starts: list[int] = []
        for anchors, within, sign, anchor in self.alternatives:
            points = _merge(events, anchors)
            if booked and sign < 0:
                points = sorted(points + _merge(booked, anchors))
            if not points:
                missing += 1
                continue
            point = points[0] if anchor is Anchor.FIRST else points[-1]
            starts.append(point)
            dues.append(self.adder.add(point, within, sign, ob.non_working_day))
        if not dues:
            return [(self.id, 1, None, None, None, PROVISIONAL, None, "waiting for its events", None)]
        later = ob.combine is Combine.LATER
        due = max(dues) if later else min(dues)
        subject = _merge(events, self.subject)
        done = _first_at_or_after(subject, min(starts))
        provisional = missing > 0 and (later or done is None)
        status, late = self._status(due, done, today, provisional=provisional and done is None)
        if provisional and later:
            status, late = (PROVISIONAL, None) if done is None else (status, late)
        note = "an alternative's event has not happened yet" if missing else ""
        return [(self.id, 1, min(starts), due, done, status, late, note, None)]
