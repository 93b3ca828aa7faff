"""Working-day calendars for the UK bank-holiday divisions, and date arithmetic.

The semantics (docs/durations.md has worked examples):

* The event day is day 0. "Within N working days after" is due on the Nth
  working day strictly after the event: ICPC Mon 2022-09-12 + 10 working days
  = Tue 2022-09-27 (Mon 2022-09-19 was the Queen's state funeral). An event on
  a weekend or holiday counts the same way: Sat + 1 working day = Mon.
* "N working days before" is the Nth working day strictly before the event.
* Days and weeks are calendar days. Months add calendar months and clip to
  the month's end (31 Jan + 1 month = 28 or 29 Feb).
* Hours are clock hours; on a date with no time they count from the start
  of the day.
* A deadline in calendar days, weeks or months may fall on a weekend or bank
  holiday: by default the date stands (and :meth:`Calendar.is_working_day`
  says it is not a working day); a rule may move it to the previous or next
  working day.

Bank holidays ship with the package (``procedurekit/data/bank-holidays.json``,
from GOV.UK; ``scripts/update_bank_holidays.py`` regenerates it). Nothing is
fetched at run time. Dates outside the shipped years raise
:class:`CalendarRangeError` rather than give a silently wrong answer.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import json
import operator
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Protocol

from procedurekit.durations import Duration, Unit
from procedurekit.errors import InputError

__all__ = [
    "DIVISIONS", "Calendar", "CalendarError", "CalendarRangeError", "NonWorkingDay",
    "get_calendar", "procedure_calendar", "add_months", "bank_holiday_data", "CountsOnACalendar",
    "CALENDAR_CACHE_SIZE",
]

DIVISIONS = ("england-and-wales", "scotland", "northern-ireland")
DATA_FILE = Path(__file__).parent / "data" / "bank-holidays.json"


class CalendarError(InputError, ValueError):
    """A calendar that does not exist, or a date it cannot answer for."""


class CalendarRangeError(CalendarError):
    """A date outside the years whose bank holidays are known."""


class NonWorkingDay(enum.Enum):
    """What happens to a deadline that falls on a weekend or bank holiday."""

    STANDS = "stands"
    PREVIOUS = "previous-working-day"
    NEXT = "next-working-day"


_STANDS = NonWorkingDay.STANDS
_WORKING_DAYS, _DAYS, _WEEKS, _MONTHS, _HOURS = Unit.WORKING_DAYS, Unit.DAYS, Unit.WEEKS, Unit.MONTHS, Unit.HOURS
_fromordinal = dt.date.fromordinal


@functools.cache
def bank_holiday_data() -> Mapping[str, Any]:
    """The shipped bank-holiday table (read once)."""
    data: Mapping[str, Any] = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return data


def add_months(day: dt.date, months: int) -> dt.date:
    """Add calendar months, clipping to the end of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    if day.day <= 28:
        return day.replace(year=year, month=month)
    # the last day of the target month: the day before the 1st of the next
    last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return day.replace(year=year, month=month, day=min(day.day, last))


class Calendar:
    """Working days of one division, optionally with local closure days.

    Working-day arithmetic is O(1): the calendar precomputes, for every day in
    its range, how many working days fall on or before it, and the ordinal of
    every working day.
    """

    def __init__(self, division: str, holidays: Mapping[dt.date, str], first: dt.date, last: dt.date,
                 closures: Iterable[dt.date] = ()):
        self.division = division
        self.first, self.last = first, last
        self.closures = frozenset(closures)
        self.holidays: Mapping[dt.date, str] = dict(holidays)
        self._base = first.toordinal()
        size = last.toordinal() - self._base + 1
        closed = {d.toordinal() - self._base for d in [*self.holidays, *self.closures] if first <= d <= last}
        cumulative = [0] * size  # working days on or before each day
        working: list[int] = []  # ordinals of the working days, in order
        weekday = first.weekday()
        count = 0
        for i in range(size):
            if (weekday + i) % 7 < 5 and i not in closed:
                count += 1
                working.append(self._base + i)
            cumulative[i] = count
        self._cumulative = cumulative
        self._working = working
        self._size, self._count = size, len(working)
        self._spans: dict[Duration, tuple[int, int]] = {}  # span_bounds, per duration

    def __repr__(self) -> str:
        extra = f", {len(self.closures)} local closure days" if self.closures else ""
        return f"<Calendar {self.division} {self.first}..{self.last}{extra}>"

    def with_closures(self, closures: Iterable[dt.date]) -> Calendar:
        """This calendar with extra non-working days (e.g. a council's Christmas closure)."""
        closures = frozenset(closures) | self.closures
        if closures == self.closures:
            return self
        return Calendar(self.division, self.holidays, self.first, self.last, closures)

    # -- checks ---------------------------------------------------------------
    def _known(self) -> str:
        return (f"the dates whose bank holidays are known for {self.division} "
                f"({self.first.isoformat()} to {self.last.isoformat()})")

    def _index(self, day: dt.date) -> int:
        index = day.toordinal() - self._base
        if not 0 <= index < len(self._cumulative):
            advice = ("update procedurekit for later years" if day > self.last
                      else "working days before then cannot be counted: check the year")
            raise CalendarRangeError(f"{day.isoformat()} is outside {self._known()}; {advice}")
        return index

    def is_working_day(self, day: dt.date) -> bool:
        index = self._index(day)
        return self._cumulative[index] != (self._cumulative[index - 1] if index else 0)

    def why_not_working(self, day: dt.date) -> str | None:
        """``None`` for a working day, else why not: "Saturday", a holiday's name, "local closure"."""
        if self.is_working_day(day):
            return None
        if day in self.holidays:
            return self.holidays[day]
        if day in self.closures:
            return "local closure day"
        return day.strftime("%A")

    # -- working days --------------------------------------------------------
    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        """The *n*-th working day strictly after *day* (strictly before it if *n* < 0)."""
        index = self._index(day)
        if n >= 0:
            position = self._cumulative[index] + n - 1
            if n == 0:
                return day
        else:
            position = (self._cumulative[index - 1] if index else 0) + n
        if not 0 <= position < len(self._working):
            raise CalendarRangeError(
                f"{abs(n)} working days {'after' if n > 0 else 'before'} {day.isoformat()} is outside {self._known()}")
        return dt.date.fromordinal(self._working[position])

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after *start* up to and including *end* (negative if *end* is earlier).

        ``working_days_between(d, add_working_days(d, n)) == n`` for every day
        *d* when *n* >= 0, and for every working day *d* when *n* < 0.
        """
        return self._cumulative[self._index(end)] - self._cumulative[self._index(start)]

    def next_working_day(self, day: dt.date) -> dt.date:
        """*day* itself if it is a working day, else the next one."""
        return day if self.is_working_day(day) else self.add_working_days(day, 1)

    def previous_working_day(self, day: dt.date) -> dt.date:
        """*day* itself if it is a working day, else the one before."""
        return day if self.is_working_day(day) else self.add_working_days(day, -1)

    # -- durations -----------------------------------------------------------
    def add(self, when: dt.date | dt.datetime, duration: Duration, *, before: bool = False,
            non_working_day: NonWorkingDay = NonWorkingDay.STANDS) -> dt.date | dt.datetime:
        """*when* plus (or, with *before*, minus) *duration*, on this calendar.

        Hours return a datetime when given one, else the date on which the
        deadline falls (hours counted from the start of the day).
        """
        if type(when) is dt.date and duration.unit is not _HOURS and duration.unit is not _MONTHS:
            return _fromordinal(self.add_ordinal(when.toordinal(), duration, -1 if before else 1, non_working_day))
        return self._add(when, duration, before, non_working_day)

    def add_ordinal(self, ordinal: int, duration: Duration, sign: int = 1,
                    non_working_day: NonWorkingDay = NonWorkingDay.STANDS) -> int:
        """:meth:`add` on day ordinals (``date.toordinal()``), *sign* -1 for before: the same answers and errors.

        Working days are two lookups in the working-day table, and days and
        weeks (when the date stands) a sum, without building a date.
        """
        index = ordinal - self._base
        if 0 <= index < self._size:
            unit, amount = duration.unit, duration.amount * sign
            if unit is _WORKING_DAYS:
                if amount > 0:
                    position = self._cumulative[index] + amount - 1
                elif amount < 0:
                    position = (self._cumulative[index - 1] if index else 0) + amount
                else:
                    return ordinal
                if 0 <= position < self._count:
                    return self._working[position]
            elif non_working_day is _STANDS and (unit is _DAYS or unit is _WEEKS):
                result = ordinal + (amount if unit is _DAYS else 7 * amount)
                if 0 <= result - self._base < self._size:
                    return result
        # months, a date moved off a non-working day, or a date outside the table: the calendar says why
        moved = self._add(_fromordinal(ordinal), duration, sign < 0, non_working_day)
        return moved.toordinal()

    def _add(self, when: dt.date | dt.datetime, duration: Duration, before: bool,
             non_working_day: NonWorkingDay) -> dt.date | dt.datetime:
        sign = -1 if before else 1
        amount, unit = duration.amount * sign, duration.unit
        if unit is Unit.HOURS:
            start = when if isinstance(when, dt.datetime) else dt.datetime.combine(when, dt.time())
            moved = start + dt.timedelta(hours=amount)
            self._index(moved.date())
            return moved if isinstance(when, dt.datetime) else moved.date()
        day = when.date() if isinstance(when, dt.datetime) else when
        if unit is Unit.WORKING_DAYS:
            return self.add_working_days(day, amount)
        if unit is Unit.DAYS:
            result = day + dt.timedelta(days=amount)
        elif unit is Unit.WEEKS:
            result = day + dt.timedelta(weeks=amount)
        else:
            result = add_months(day, amount)
        self._index(result)
        if non_working_day is NonWorkingDay.PREVIOUS:
            return self.previous_working_day(result)
        if non_working_day is NonWorkingDay.NEXT:
            return self.next_working_day(result)
        return result

    def span_bounds(self, duration: Duration) -> tuple[int, int]:
        """Fewest and most calendar days *duration* can cover from a working day.

        Meetings and deadlines start from working days, so only those starts
        count: 10 working days is 14 calendar days over a plain fortnight and
        up to 18 across Easter or Christmas; 3 months is 89 to 92 days. Used to
        compare durations in different units.
        """
        spans = self._spans.get(duration)
        if spans is None:
            spans = self._spans[duration] = _span_bounds(self, duration)
        return spans


def _span_bounds(cal: Calendar, duration: Duration) -> tuple[int, int]:
    amount, unit = duration.amount, duration.unit
    if unit is Unit.DAYS:
        return amount, amount
    if unit is Unit.WEEKS:
        return amount * 7, amount * 7
    if unit is Unit.HOURS:
        return amount // 24, -(-amount // 24)
    working = cal._working
    if unit is Unit.WORKING_DAYS and amount >= 0:
        # from the j-th working day, the n-th working day after it is the (j+n)-th
        spans = list(map(operator.sub, working[amount:], working)) if amount else [0] * len(working)
    else:
        spans = []
        for ordinal in working:
            try:
                result = cal.add_ordinal(ordinal, duration)
            except CalendarRangeError:
                break
            spans.append(result - ordinal)
    if not spans:
        raise CalendarRangeError(f"{duration} is longer than the calendar's range")
    return min(spans), max(spans)


@functools.cache
def _division_calendar(division: str) -> Calendar:
    data = bank_holiday_data()["divisions"]
    if division not in data:
        raise CalendarError(f'no calendar "{division}": use one of {", ".join(DIVISIONS)}')
    entry = data[division]
    holidays = {dt.date.fromisoformat(day): name for day, name in entry["holidays"]}
    return Calendar(division, holidays, dt.date.fromisoformat(entry["first"]),
                    dt.date.fromisoformat(entry["last"]))


class CountsOnACalendar(Protocol):
    """What :func:`procedure_calendar` reads of a procedure."""

    @property
    def calendar(self) -> str | None: ...

    @property
    def closures(self) -> tuple[dt.date, ...]: ...


def procedure_calendar(procedure: CountsOnACalendar) -> Calendar:
    """The calendar a resolved procedure counts on: its division plus its closure days."""
    return get_calendar(procedure.calendar or "england-and-wales", procedure.closures)


def get_calendar(division: str = "england-and-wales", closures: Iterable[dt.date] = ()) -> Calendar:
    """The working-day calendar of a division, with any local closure days added.

    Calendars are shared: the same division and the same closure days (in any
    order) give the same object, from a cache of at most :data:`CALENDAR_CACHE_SIZE`.
    """
    return _calendar(division, tuple(sorted(set(closures))))


#: how many calendars with closure days are kept (procedures rebuilt with the same days share one)
CALENDAR_CACHE_SIZE = 64


@functools.lru_cache(maxsize=CALENDAR_CACHE_SIZE)
def _calendar(division: str, closures: tuple[dt.date, ...]) -> Calendar:
    calendar = _division_calendar(division)
    return calendar.with_closures(closures) if closures else calendar
