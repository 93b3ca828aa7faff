"""The ``calendar`` commands: working-day arithmetic on the UK bank-holiday calendars."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import click

from procedurekit.cli.app import LazyGroup, parse_date

if TYPE_CHECKING:
    from procedurekit.durations import Duration

__all__ = ["calendar"]

DIVISION = click.option("--division", default="england-and-wales", show_default=True,
                        type=click.Choice(["england-and-wales", "scotland", "northern-ireland"]),
                        help="Bank-holiday division whose working days count.")


def _parse_duration(words: tuple[str, ...]) -> Duration:
    from procedurekit.durations import DurationError, parse_duration

    try:
        return parse_duration(" ".join(words))
    except DurationError as exc:
        raise click.BadParameter(str(exc), param_hint="DURATION") from None


@click.group(cls=LazyGroup)
def calendar() -> None:
    """Working-day arithmetic on the UK bank-holiday calendars."""


@calendar.command("add")
@click.argument("start")
@click.argument("duration", nargs=-1, required=True)
@DIVISION
@click.option("--before", is_flag=True, help="Count backwards (\"2 working days before\").")
@click.option("--non-working-day", type=click.Choice(["stands", "previous-working-day", "next-working-day"]),
              default="stands", show_default=True,
              help="Where a deadline in days, weeks or months lands on a weekend or bank holiday.")
def calendar_add(start: str, duration: tuple[str, ...], division: str, before: bool, non_working_day: str) -> None:
    """Print the date DURATION after (or --before) START, e.g. 2022-09-12 10 working days.

    The event day is day 0: 10 working days after is the 10th working day
    strictly after START. A result that is not a working day is noted on stderr.
    """
    from procedurekit.calendars import NonWorkingDay, get_calendar

    day = parse_date(start, "START")
    length = _parse_duration(duration)
    cal = get_calendar(division)
    due = cal.add(day, length, before=before, non_working_day=NonWorkingDay(non_working_day))
    click.echo(due.isoformat())
    why = cal.why_not_working(due)
    if why:
        click.echo(f"note: {due.isoformat()} is not a working day ({why})", err=True)


@calendar.command("between")
@click.argument("start")
@click.argument("end")
@DIVISION
def calendar_between(start: str, end: str, division: str) -> None:
    """Print the number of working days after START up to and including END."""
    from procedurekit.calendars import get_calendar

    cal = get_calendar(division)
    click.echo(cal.working_days_between(parse_date(start, "START"), parse_date(end, "END")))


@calendar.command("holidays")
@click.argument("year", type=click.IntRange(1, 9999))
@DIVISION
def calendar_holidays(year: int, division: str) -> None:
    """List the bank holidays of YEAR."""
    from procedurekit.calendars import get_calendar

    cal = get_calendar(division)
    # a year outside the known ones is an error (CalendarRangeError), not an empty list
    cal.is_working_day(dt.date(year, 1, 1))
    cal.is_working_day(dt.date(year, 12, 31))
    for day, name in sorted(cal.holidays.items()):
        if day.year == year:
            click.echo(f"{day.isoformat()}  {day.strftime('%a')}  {name}")
