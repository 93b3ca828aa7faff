"""Working-day calendars: every division and year, one-off holidays, and the counting rules."""

from __future__ import annotations

import datetime as dt

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from procedurekit.calendars import (
    DIVISIONS, CalendarError, CalendarRangeError, NonWorkingDay, add_months, bank_holiday_data, get_calendar,
)
from procedurekit.durations import Duration, Unit, parse_duration

D = dt.date
SUBDIVISIONS = {"england-and-wales": ["ENG", "WLS"], "scotland": ["SCT"], "northern-ireland": ["NIR"]}


def add(start: dt.date, text: str, division: str = "england-and-wales", **kwargs) -> dt.date:
    return get_calendar(division).add(start, parse_duration(text), **kwargs)


def years(division: str) -> range:
    cal = get_calendar(division)
    return range(cal.first.year, cal.last.year + 1)


CASES = [(division, year) for division in DIVISIONS for year in years(division)]


@pytest.mark.parametrize(("division", "year"), CASES, ids=[f"{d}-{y}" for d, y in CASES])
def test_every_division_and_year_matches_the_holidays_package(division, year):
    cal = get_calendar(division)
    ours = {d for d in cal.holidays if d.year == year and d.weekday() < 5}
    for subdiv in SUBDIVISIONS[division]:
        theirs = {d for d in holidays.country_holidays("GB", subdiv=subdiv, years=year) if d.weekday() < 5}
        assert ours == theirs
    # and the working-day flag agrees with the table
    for day in ours:
        assert not cal.is_working_day(day)


def test_shipped_range_covers_whole_years():
    for division in DIVISIONS:
        cal = get_calendar(division)
        assert (cal.first.month, cal.first.day, cal.last.month, cal.last.day) == (1, 1, 12, 31)
        assert cal.first.year <= 2018 and cal.last.year >= 2027


def test_data_says_where_it_came_from():
    data = bank_holiday_data()
    assert "GOV.UK" in data["source"]
    for supplement in data["supplements"]:
        assert supplement["why"] and supplement["division"] in DIVISIONS


@pytest.mark.parametrize("division", DIVISIONS)
@pytest.mark.parametrize(("day", "name"), [
    (D(2022, 6, 3), "Platinum Jubilee"),
    (D(2022, 9, 19), "State Funeral"),
    (D(2023, 5, 8), "Coronation"),
])
def test_one_off_holidays(division, day, name):
    cal = get_calendar(division)
    assert not cal.is_working_day(day)
    assert name.lower() in cal.why_not_working(day).lower()


def test_spring_bank_holiday_moved_for_the_jubilee():
    cal = get_calendar("england-and-wales")
    assert not cal.is_working_day(D(2022, 6, 2)) and cal.is_working_day(D(2022, 5, 30))


def test_design_example_icpc_plus_ten_working_days():
    # Mon 12 Sep 2022 + 10 working days: 13,14,15,16, (19 state funeral), 20,21,22,23, 26, 27
    assert add(D(2022, 9, 12), "10 working days") == D(2022, 9, 27)


@pytest.mark.parametrize(("division", "start", "expected"), [
    # Thu 24 Dec 2020: Fri 25 Christmas, Sat/Sun, Mon 28 Boxing Day substitute -> Tue 29
    ("england-and-wales", D(2020, 12, 24), D(2020, 12, 29)),
    # Fri 31 Dec 2021 (Scotland): Mon 3 Jan and Tue 4 Jan are both substitute days -> Wed 5
    ("scotland", D(2021, 12, 31), D(2022, 1, 5)),
    ("england-and-wales", D(2021, 12, 31), D(2022, 1, 4)),
    # Thu 11 Jul 2024 (Northern Ireland): Fri 12 July is the Battle of the Boyne -> Mon 15
    ("northern-ireland", D(2024, 7, 11), D(2024, 7, 15)),
    ("england-and-wales", D(2024, 7, 11), D(2024, 7, 12)),
])
def test_christmas_new_year_and_local_holidays(division, start, expected):
    assert add(start, "1 working day", division) == expected


def test_weekend_start_counts_from_the_next_working_day():
    # Sat 10 Sep 2022: the 1st working day strictly after it is Mon 12
    assert add(D(2022, 9, 10), "1 working day") == D(2022, 9, 12)
    assert add(D(2022, 9, 11), "10 working days") == add(D(2022, 9, 9), "10 working days") == D(2022, 9, 26)
    # a bank holiday start likewise: Easter Monday 1 Apr 2024 + 1 working day = Tue 2 Apr
    assert add(D(2024, 4, 1), "1 working day") == D(2024, 4, 2)


@pytest.mark.parametrize(("start", "months", "expected"), [
    (D(2023, 1, 31), 1, D(2023, 2, 28)),
    (D(2024, 1, 31), 1, D(2024, 2, 29)),  # leap year
    (D(2024, 2, 29), 12, D(2025, 2, 28)),
    (D(2024, 3, 31), 1, D(2024, 4, 30)),
    (D(2023, 8, 31), 6, D(2024, 2, 29)),
    (D(2023, 11, 15), 3, D(2024, 2, 15)),
    (D(2024, 3, 31), -1, D(2024, 2, 29)),
])
def test_months_clip_to_month_end(start, months, expected):
    assert add_months(start, months) == expected


def test_calendar_units():
    assert add(D(2024, 1, 10), "15 days") == D(2024, 1, 25)
    assert add(D(2024, 1, 10), "6 weeks") == D(2024, 2, 21)
    assert add(D(2024, 1, 31), "1 month") == D(2024, 2, 29)


def test_before_offsets():
    # "2 working days prior to conference" on Thu 7 Mar 2024 -> Tue 5 Mar
    assert add(D(2024, 3, 7), "2 working days", before=True) == D(2024, 3, 5)
    # across Easter: Tue 2 Apr 2024 (Mon 1 Apr Easter Monday, Fri 29 Mar Good Friday) -> Wed 27 Mar
    assert add(D(2024, 4, 2), "2 working days", before=True) == D(2024, 3, 27)
    # "24 hours before" a meeting at 10:00
    cal = get_calendar()
    assert cal.add(dt.datetime(2024, 3, 7, 10), parse_duration("24 hours"), before=True) == dt.datetime(2024, 3, 6, 10)
    assert add(D(2024, 3, 7), "24 hours", before=True) == D(2024, 3, 6)
    assert add(D(2024, 3, 7), "3 months", before=True) == D(2023, 12, 7)


def test_whichever_is_sooner_and_later():
    # pre-birth conference 2024-01-10, birth 2024-02-20: review within 1 month of birth
    # (2024-03-20) or 3 months of the conference (2024-04-10), whichever is sooner
    options = [add(D(2024, 2, 20), "1 month"), add(D(2024, 1, 10), "3 months")]
    assert min(options) == D(2024, 3, 20) and max(options) == D(2024, 4, 10)


def test_non_working_day_deadlines():
    # 6 Dec 2023 + 1 month = Sat 6 Jan 2024
    start, month = D(2023, 12, 6), "1 month"
    assert add(start, month) == D(2024, 1, 6)
    assert add(start, month, non_working_day=NonWorkingDay.PREVIOUS) == D(2024, 1, 5)
    assert add(start, month, non_working_day=NonWorkingDay.NEXT) == D(2024, 1, 8)
    assert get_calendar().why_not_working(D(2024, 1, 6)) == "Saturday"


def test_local_closure_days():
    cal = get_calendar("england-and-wales", closures=[D(2024, 12, 27)])
    assert cal.add_working_days(D(2024, 12, 24), 1) == D(2024, 12, 30)
    assert get_calendar().add_working_days(D(2024, 12, 24), 1) == D(2024, 12, 27)
    assert cal.why_not_working(D(2024, 12, 27)) == "local closure day"


def test_equal_procedures_share_one_calendar_and_the_cache_is_bounded():
    from procedurekit import calendars
    from procedurekit.loader import load_text

    text = ('[procedure]\nid = "closed"\ntitle = "Closed"\ncalendar = "scotland"\n'
            "closures = [2024-12-27, 2024-12-24]\n")
    first, second = load_text(text).procedure, load_text(text).procedure
    assert first is not second and first == second
    shared = calendars.procedure_calendar(first)
    assert calendars.procedure_calendar(second) is shared
    assert calendars.get_calendar("scotland", [D(2024, 12, 24), D(2024, 12, 27), D(2024, 12, 24)]) is shared
    assert shared.span_bounds(parse_duration("10 working days")) is shared.span_bounds(
        parse_duration("10 working days"))
    # procedures rebuilt with ever new closure days do not grow the cache without bound
    for day in range(1, 200):
        calendars.get_calendar("england-and-wales", [D(2024, 1, 1) + dt.timedelta(days=day)])
    assert calendars._calendar.cache_info().currsize <= calendars.CALENDAR_CACHE_SIZE


def test_outside_the_shipped_range_is_an_error_not_a_guess():
    cal = get_calendar()
    with pytest.raises(CalendarRangeError, match="outside the dates whose bank holidays are known"):
        cal.add(D(2028, 12, 1), parse_duration("3 months"))
    with pytest.raises(CalendarRangeError):
        cal.add_working_days(cal.last, 1)
    with pytest.raises(CalendarRangeError):
        cal.working_days_between(D(2011, 12, 1), D(2012, 1, 5))
    with pytest.raises(CalendarError, match="no calendar"):
        get_calendar("wales")


def test_span_bounds():
    cal = get_calendar()
    assert cal.span_bounds(parse_duration("10 working days"))[0] == 14
    assert cal.span_bounds(parse_duration("10 working days"))[1] >= 17  # Christmas and Easter
    assert cal.span_bounds(parse_duration("3 months")) == (89, 92)
    assert cal.span_bounds(parse_duration("2 weeks")) == (14, 14)


def _naive_add(cal, day: dt.date, n: int) -> dt.date:
    step = 1 if n > 0 else -1
    remaining = abs(n)
    while remaining:
        day += dt.timedelta(days=step)
        if day.weekday() < 5 and day not in cal.holidays and day not in cal.closures:
            remaining -= 1
    return day


# at least 25 working days inside the known years at either end (the widest step the tests take)
dates = st.dates(min_value=D(2012, 3, 1), max_value=D(2028, 11, 1))


@settings(max_examples=300, deadline=None)
@given(division=st.sampled_from(DIVISIONS), day=dates, n=st.integers(min_value=-25, max_value=25))
def test_working_day_addition_agrees_with_day_by_day_reference(division, day, n):
    cal = get_calendar(division)
    assert cal.add_working_days(day, n) == _naive_add(cal, day, n)


@settings(max_examples=300, deadline=None)
@given(division=st.sampled_from(DIVISIONS), day=dates, n=st.integers(min_value=-25, max_value=25))
def test_between_inverts_addition(division, day, n):
    # Counting forwards the inverse holds from any day; counting backwards from
    # a weekend or holiday it cannot, since that day itself is not counted.
    cal = get_calendar(division)
    if n < 0:
        day = cal.next_working_day(day)
    assert cal.working_days_between(day, cal.add_working_days(day, n)) == n


@settings(max_examples=200, deadline=None)
@given(day=dates, other=dates)
def test_between_counts_working_days(day, other):
    cal = get_calendar()
    lo, hi = sorted((day, other))
    naive = sum(1 for i in range(1, (hi - lo).days + 1)
                if cal.is_working_day(lo + dt.timedelta(days=i)))
    assert cal.working_days_between(lo, hi) == naive
    assert cal.working_days_between(hi, lo) == -naive



# the whole shipped range and a month either side, so the fast paths meet the range's edges
any_dates = st.dates(min_value=D(2011, 12, 1), max_value=D(2029, 1, 31))
durations = st.builds(Duration, st.integers(min_value=0, max_value=40), st.sampled_from(list(Unit)))


def _outcome(call):
    try:
        return call()
    except CalendarRangeError as exc:
        return str(exc)


@settings(max_examples=500, deadline=None)
@given(day=any_dates, duration=durations, before=st.booleans(), rule=st.sampled_from(list(NonWorkingDay)),
       closures=st.sampled_from([(), (D(2022, 12, 28), D(2022, 12, 29), D(2022, 12, 30))]))
def test_add_on_ordinals_agrees_with_adding_dates(day, duration, before, rule, closures):
    cal = get_calendar("england-and-wales", closures)
    on_dates = _outcome(lambda: cal.add(day, duration, before=before, non_working_day=rule))
    on_ordinals = _outcome(lambda: cal.add_ordinal(day.toordinal(), duration, -1 if before else 1, rule))
    # the same date, or the same error
    assert on_ordinals == (on_dates.toordinal() if isinstance(on_dates, dt.date) else on_dates)
    if duration.unit is Unit.WORKING_DAYS and isinstance(on_dates, dt.date):
        assert on_dates == _naive_add(cal, day, -duration.amount if before else duration.amount)
    elif duration.unit in (Unit.DAYS, Unit.WEEKS) and rule is NonWorkingDay.STANDS:
        days = duration.amount * (7 if duration.unit is Unit.WEEKS else 1) * (-1 if before else 1)
        expected = day + dt.timedelta(days=days)
        assert on_dates == expected if cal.first <= expected <= cal.last else isinstance(on_dates, str)


@pytest.mark.parametrize("text", ["1 working day", "10 working days", "15 working days", "1 month", "3 months",
                                  "6 months", "0 working days"])
def test_span_bounds_are_the_fewest_and_most_days_from_any_working_day(text):
    duration = parse_duration(text)
    cal = get_calendar("england-and-wales", [D(2020, 12, 29), D(2020, 12, 30), D(2020, 12, 31)])
    spans = []
    day = cal.first
    while day <= cal.last:
        if cal.is_working_day(day):
            try:
                spans.append((cal.add(day, duration) - day).days)
            except CalendarRangeError:
                break
        day += dt.timedelta(days=1)
    assert cal.span_bounds(duration) == (min(spans), max(spans))


# -- command line --------------------------------------------------------------

def test_cli_add(run):
    result = run("calendar", "add", "2022-09-12", "10", "working", "days")
    assert result.exit_code == 0 and result.output.strip() == "2022-09-27"
    assert run("calendar", "add", "2024-03-07", "2 working days", "--before").output.strip() == "2024-03-05"
    assert run("calendar", "add", "2022-09-10", "1 working day", "--division", "scotland").output.strip() == "2022-09-12"


def test_cli_add_notes_non_working_day(run):
    result = run("calendar", "add", "2023-12-06", "1 month")
    assert result.stdout.strip() == "2024-01-06"
    assert "not a working day (Saturday)" in result.stderr
    moved = run("calendar", "add", "2023-12-06", "1 month", "--non-working-day", "next-working-day")
    assert moved.stdout.strip() == "2024-01-08"


def test_cli_between_and_holidays(run):
    assert run("calendar", "between", "2022-09-12", "2022-09-27").output.strip() == "10"
    lines = run("calendar", "holidays", "2023").output.splitlines()
    assert "2023-05-08  Mon  Bank holiday for the coronation of King Charles III" in lines
    assert len(lines) == 9


@pytest.mark.parametrize(("args", "code", "fragment"), [
    (["add", "2022-09-12", "10", "workin", "days"], 2, 'did you mean "10 working days"'),
    (["add", "2022-13-01", "1 day"], 2, "is not a date"),
    (["add", "2028-12-20", "1 month"], 1, "outside the dates whose bank holidays are known"),
    (["holidays", "2040"], 1, "outside the dates"),
    (["add", "2022-09-12", "1 day", "--division", "wales"], 2, "Invalid value for '--division'"),
])
def test_cli_bad_input(run, args, code, fragment):
    result = run("calendar", *args)
    assert result.exit_code == code
    assert fragment in result.output
    assert "Traceback" not in result.output
