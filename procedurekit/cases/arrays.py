"""Array arithmetic for the columnar audit: searches over every case at once, working days, statuses.

Events of many cases are held as one sorted ``int64`` array of keys,
``case index << DAY_BITS | day ordinal``: the events of case *c* on or after
day *d* start at ``searchsorted(keys, c << DAY_BITS | d)``, for all cases in
one call. ``0`` stands for "no date" and ``-1`` for "no number of days", as
``None`` does in the per-case engine's rows.
"""

from __future__ import annotations

import numpy as np

from procedurekit.calendars import Calendar, NonWorkingDay
from procedurekit.cases.records import Status
from procedurekit.durations import Duration, Unit

__all__ = ["DAY_BITS", "DAY_MASK", "STATUSES", "Arithmetic", "first_of_case", "last_of_case", "at_or_after",
           "last_at_or_before", "rank_in_case", "next_in_case"]

#: a day ordinal fits in 20 bits until the year 2871 (an audit refuses dates from 2738 on)
DAY_BITS = 20
DAY_MASK = (1 << DAY_BITS) - 1
#: status codes: an index into this tuple
STATUSES: tuple[Status, ...] = tuple(Status)
CODE = {status: code for code, status in enumerate(STATUSES)}
MET, MET_LENIENT, LATE, DUE, OVERDUE = (CODE[s] for s in (Status.MET, Status.MET_LENIENT, Status.LATE, Status.DUE,
                                                          Status.OVERDUE))
PROVISIONAL, NO_DEADLINE, NOT_APPLICABLE, JUDGEMENT = (CODE[s] for s in (
    Status.PROVISIONAL, Status.NO_DEADLINE, Status.NOT_APPLICABLE, Status.JUDGEMENT))
#: the ordinal of 1970-01-01, numpy's day 0
EPOCH = 719163


def _starts(cases: np.ndarray) -> np.ndarray:
    """Where each case's run begins in an array grouped by case."""
    flags = np.empty(len(cases), dtype=bool)
    if len(cases):
        flags[0] = True
        np.not_equal(cases[1:], cases[:-1], out=flags[1:])
    return flags


def first_of_case(keys: np.ndarray, count: int) -> np.ndarray:
    """Each case's first day in *keys* (0 where it has none), for cases ``0..count-1``."""
    out = np.zeros(count, dtype=np.int64)
    cases = keys >> DAY_BITS
    starts = _starts(cases)
    out[cases[starts]] = keys[starts] & DAY_MASK
    return out


def last_of_case(keys: np.ndarray, count: int) -> np.ndarray:
    """Each case's last day in *keys* (0 where it has none)."""
    out = np.zeros(count, dtype=np.int64)
    cases = keys >> DAY_BITS
    ends = np.empty(len(cases), dtype=bool)
    if len(cases):
        ends[-1] = True
        np.not_equal(cases[1:], cases[:-1], out=ends[:-1])
    out[cases[ends]] = keys[ends] & DAY_MASK
    return out


def rank_in_case(keys: np.ndarray) -> np.ndarray:
    """1 for each case's first key, 2 for its second..."""
    starts = _starts(keys >> DAY_BITS)
    index = np.arange(len(keys))
    return index - np.maximum.accumulate(np.where(starts, index, 0)) + 1


def next_in_case(keys: np.ndarray) -> np.ndarray:
    """The day of the next key of the same case (0 for a case's last)."""
    out = np.zeros(len(keys), dtype=np.int64)
    if len(keys) > 1:
        same = (keys[1:] >> DAY_BITS) == (keys[:-1] >> DAY_BITS)
        out[:-1] = np.where(same, keys[1:] & DAY_MASK, 0)
    return out


def at_or_after(keys: np.ndarray, cases: np.ndarray, days: np.ndarray, strictly: bool = False) -> np.ndarray:
    """For each (case, day), the case's first day in *keys* on (or strictly after) *day*; 0 if none or no day."""
    if not len(keys):
        return np.zeros(len(cases), dtype=np.int64)
    wanted = (cases << DAY_BITS) | (days + strictly)
    i = np.minimum(np.searchsorted(keys, wanted, "left"), len(keys) - 1)
    found = keys[i]
    ok = ((found >> DAY_BITS) == cases) & (found >= wanted) & (days > 0)
    return np.where(ok, found & DAY_MASK, 0)


def last_at_or_before(keys: np.ndarray, cases: np.ndarray, days: np.ndarray) -> np.ndarray:
    """For each (case, day), the case's last day in *keys* on or before *day*; 0 if none or no day."""
    if not len(keys):
        return np.zeros(len(cases), dtype=np.int64)
    i = np.searchsorted(keys, (cases << DAY_BITS) | days, "right") - 1
    found = keys[np.maximum(i, 0)]
    ok = (i >= 0) & ((found >> DAY_BITS) == cases) & (days > 0)
    return np.where(ok, found & DAY_MASK, 0)


class Arithmetic:
    """A calendar's date arithmetic over arrays of day ordinals.

    Each call also marks the entries it cannot answer from the calendar's
    table (a date outside its years) in :attr:`outside`, per case: those
    cases go to the per-case engine, which reports them.
    """

    def __init__(self, calendar: Calendar):
        self.base = calendar._base
        self.cumulative = np.asarray(calendar._cumulative, dtype=np.int64)
        self.working = np.asarray(calendar._working, dtype=np.int64)

    def add(self, days: np.ndarray, duration: Duration, sign: int,
            non_working_day: NonWorkingDay = NonWorkingDay.STANDS) -> tuple[np.ndarray, np.ndarray]:
        """(*days* plus or minus *duration*, where that could not be computed); as :meth:`Adder.add`."""
        unit, amount = duration.unit, duration.amount
        outside = np.zeros(len(days), dtype=bool)
        if non_working_day is not NonWorkingDay.STANDS and unit is not Unit.WORKING_DAYS:
            raise ValueError("only deadlines that stand on a non-working day are computed over arrays")
        if unit is Unit.DAYS:
            return days + sign * amount, outside
        if unit is Unit.WEEKS:
            return days + 7 * sign * amount, outside
        if unit is Unit.HOURS:
            return days + (sign * amount) // 24, outside
        if unit is Unit.MONTHS:
            return add_months(days, sign * amount), outside
        index = days - self.base
        outside = (index < 0) | (index >= len(self.cumulative))
        index = np.where(outside, 0, index)
        if sign > 0:
            position = self.cumulative[index] + amount - 1
        else:
            position = np.where(index > 0, self.cumulative[np.maximum(index - 1, 0)], 0) - amount
        outside |= (position < 0) | (position >= len(self.working))
        result = self.working[np.clip(position, 0, len(self.working) - 1)]
        return (days.copy() if amount == 0 else result), outside

    def between(self, start: np.ndarray, end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(working days after *start* up to *end*, -1 past the table's end; where *start* or *end* is before it)."""
        size = len(self.cumulative)
        a, b = start - self.base, end - self.base
        before = (a < 0) | (b < 0)
        past = (a >= size) | (b >= size)
        a, b = np.clip(a, 0, size - 1), np.clip(b, 0, size - 1)
        return np.where(past, -1, self.cumulative[b] - self.cumulative[a]), before


def add_months(days: np.ndarray, months: int) -> np.ndarray:
    """Day ordinals plus calendar *months*, clipped to the end of a shorter month (as :func:`calendars.add_months`)."""
    dates = (days - EPOCH).astype("datetime64[D]")
    month = dates.astype("datetime64[M]")
    day_of_month = (dates - month.astype("datetime64[D]")).astype(np.int64)
    target = month + months
    start = target.astype("datetime64[D]")
    length = ((target + 1).astype("datetime64[D]") - start).astype(np.int64)
    return (start.astype(np.int64) + np.minimum(day_of_month, length - 1)) + EPOCH


def status(due: np.ndarray, done: np.ndarray, today: int, limit: np.ndarray, arithmetic: Arithmetic,
           provisional: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(status codes, working days late or -1, where the days late fell before the calendar) as ``Rule._status``."""
    judged = (done > 0) & (due > 0)
    met = judged & (done <= due)
    lenient = judged & ~met & (limit > 0) & (done <= limit)
    late = judged & ~met & ~lenient
    open_ = ~judged & (due > 0)
    if provisional is not None:
        open_ &= ~provisional
    overdue = open_ & (today > due)
    codes = np.full(len(due), PROVISIONAL, dtype=np.int8)
    codes[met] = MET
    codes[lenient] = MET_LENIENT
    codes[late] = LATE
    codes[open_] = DUE
    codes[overdue] = OVERDUE
    counted = late | overdue
    until = np.where(late, done, today)
    days, before = arithmetic.between(np.where(counted, due, arithmetic.base), np.where(counted, until,
                                                                                         arithmetic.base))
    return codes, np.where(counted, days, -1), before & counted
