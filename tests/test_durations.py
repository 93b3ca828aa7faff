"""Duration parsing and printing; misspellings get a suggestion."""

from __future__ import annotations

import pytest

from procedurekit.durations import Duration, DurationError, Frequency, Unit, parse_duration, parse_frequency


@pytest.mark.parametrize(("text", "amount", "unit"), [
    ("10 working days", 10, Unit.WORKING_DAYS),
    ("1 working day", 1, Unit.WORKING_DAYS),
    ("15 days", 15, Unit.DAYS),
    ("28 calendar days", 28, Unit.DAYS),
    ("6 weeks", 6, Unit.WEEKS),
    ("1 week", 1, Unit.WEEKS),
    ("3 months", 3, Unit.MONTHS),
    ("24 hours", 24, Unit.HOURS),
    ("  10   Working Days ", 10, Unit.WORKING_DAYS),
])
def test_parse(text, amount, unit):
    assert parse_duration(text) == Duration(amount, unit)


@pytest.mark.parametrize(("text", "expected"), [
    ("monthly", "1 month"), ("weekly", "1 week"), ("fortnightly", "2 weeks"),
    ("a fortnight", "2 weeks"), ("2 months", "2 months"),
])
def test_frequency_words(text, expected):
    freq = parse_frequency(text)
    assert isinstance(freq, Frequency) and str(freq) == expected


@pytest.mark.parametrize(("text", "fragment"), [
    ("10 workin days", 'did you mean "10 working days"?'),
    ("3 monhts", 'did you mean "3 months"?'),
    ("10", "has no unit"),
    ("working days", 'has no number: write e.g. "10 working days"'),
    ("ten working days", 'write the number in digits, e.g. "10 working days"'),
    ("monthly", 'a deadline needs a number and a unit, e.g. "1 month"'),
    ("soon", "is not a duration"),
    ("", "empty duration"),
])
def test_errors_suggest_the_valid_form(text, fragment):
    with pytest.raises(DurationError) as info:
        parse_duration(text)
    assert fragment in str(info.value)


def test_print_round_trip():
    for text in ["1 working day", "10 working days", "1 month", "6 weeks", "24 hours", "15 days"]:
        assert str(parse_duration(text)) == text


def test_durations_are_immutable_values():
    import pickle

    d = parse_duration("10 working days")
    with pytest.raises(AttributeError):
        d.amount = 5
    assert d == Duration(10, Unit.WORKING_DAYS) and hash(d) == hash(Duration(10, Unit.WORKING_DAYS))
    assert d != Frequency(10, Unit.WORKING_DAYS)
    assert len({d, Duration(10, Unit.WORKING_DAYS), parse_duration("10 days")}) == 2
    assert pickle.loads(pickle.dumps(d)) == d
    assert repr(d) == "Duration(10, Unit.WORKING_DAYS)"
