"""Durations as procedures write them: "10 working days", "3 months", "24 hours".

Units are mandatory. ``"10 days"`` means calendar days; working days are named
as such. Frequencies ("every" in a procedure) also accept the words procedures
use for them: "weekly", "fortnightly", "monthly", "a fortnight", "4-weekly", "six-monthly".
"""

from __future__ import annotations

import enum
import re
from typing import TypeVar

__all__ = ["Unit", "Duration", "Frequency", "DurationError", "parse_duration", "parse_frequency"]


class Unit(enum.Enum):
    WORKING_DAYS = "working days"
    DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"
    HOURS = "hours"

    @property
    def singular(self) -> str:
        return self.value.removesuffix("s")


class Duration:
    """A length of time in one unit, e.g. ``Duration(10, Unit.WORKING_DAYS)``. Immutable.

    A plain class rather than an attrs class: the calendar commands import
    this module, and must start fast.
    """

    __slots__ = ("amount", "unit")
    amount: int
    unit: Unit

    def __init__(self, amount: int, unit: Unit):
        object.__setattr__(self, "amount", amount)
        object.__setattr__(self, "unit", unit)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return (self.amount, self.unit) == (other.amount, other.unit)

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.amount, self.unit))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.amount}, {self.unit})"

    def __str__(self) -> str:
        return f"{self.amount} {self.unit.singular if self.amount == 1 else self.unit.value}"

    def __reduce__(self) -> tuple[type[Duration], tuple[int, Unit]]:
        return (type(self), (self.amount, self.unit))


class Frequency(Duration):
    """The interval of a recurring obligation ("at least every 2 months")."""

    __slots__ = ()


class DurationError(ValueError):
    """A string that is not a duration; the message says what would be."""


# Every spelling accepted for each unit, singular and plural.
_UNIT_WORDS: dict[str, Unit] = {}
for _unit, _words in {
    Unit.WORKING_DAYS: ("working day", "working days"),
    Unit.DAYS: ("day", "days", "calendar day", "calendar days"),
    Unit.WEEKS: ("week", "weeks"),
    Unit.MONTHS: ("month", "months", "calendar month", "calendar months"),
    Unit.HOURS: ("hour", "hours"),
}.items():
    for _word in _words:
        _UNIT_WORDS[_word] = _unit

#: the longest duration accepted in each unit: ten years, so every date a deadline reaches can be computed
_LONGEST = {Unit.WORKING_DAYS: 2610, Unit.DAYS: 3653, Unit.WEEKS: 522, Unit.MONTHS: 120, Unit.HOURS: 87660}

# Frequency words: only valid for "every".
_FREQUENCY_WORDS = {
    "weekly": (1, Unit.WEEKS),
    "fortnightly": (2, Unit.WEEKS),
    "monthly": (1, Unit.MONTHS),
    "a fortnight": (2, Unit.WEEKS),
    "fortnight": (2, Unit.WEEKS),
    "1 fortnight": (2, Unit.WEEKS),
}

_NUMBER_WORDS = {
    word: n
    for n, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
}
_NUMBER_WORDS["a"] = _NUMBER_WORDS["an"] = 1

# "4-weekly", "six monthly": every so many weeks or months
_PERIODIC_UNITS = {"daily": Unit.DAYS, "weekly": Unit.WEEKS, "monthly": Unit.MONTHS}
_COUNT_WORDS = "|".join(w for w, n in _NUMBER_WORDS.items() if n > 1)
_PERIODIC = re.compile(rf"^(?P<number>[1-9]\d*|{_COUNT_WORDS})[- ]?(?P<unit>daily|weekly|monthly)$")
_SHAPE = re.compile(r"^\s*(?P<number>\S+)\s*(?P<unit>.*?)\s*$")
_EXAMPLES = '"10 working days", "15 days", "6 weeks", "3 months" or "24 hours"'


def parse_duration(text: str) -> Duration:
    """Parse ``"10 working days"`` and the like; raise :class:`DurationError` with a suggestion."""
    return _parse(text, Duration, frequency=False)


def parse_frequency(text: str) -> Frequency:
    """Parse an interval: a duration, or "weekly", "fortnightly", "monthly", "a fortnight", "4-weekly"."""
    return _parse(text, Frequency, frequency=True)


_D = TypeVar("_D", bound=Duration)


def _parse(text: str, cls: type[_D], *, frequency: bool) -> _D:
    if not isinstance(text, str):
        raise DurationError(f"expected a duration in quotes such as {_EXAMPLES}, got {text!r}")
    norm = " ".join(text.lower().split())
    if norm in _FREQUENCY_WORDS:
        amount, every = _FREQUENCY_WORDS[norm]
        if not frequency:
            raise DurationError(
                f'"{text}" is a frequency; a deadline needs a number and a unit, '
                f'e.g. "{Duration(amount, every)}"'
            )
        return cls(amount, every)
    periodic = _PERIODIC.match(norm)
    if periodic:
        count = periodic["number"]
        amount = int(count) if count.isdigit() else _NUMBER_WORDS[count]
        every = _PERIODIC_UNITS[periodic["unit"]]
        if amount > _LONGEST[every]:
            raise DurationError(f'"{text}" is longer than any procedure timescale: at most '
                                f"{_LONGEST[every]} {every.value} (ten years)")
        if not frequency:
            raise DurationError(
                f'"{text}" is a frequency (every {Duration(amount, every)}): a deadline needs a number '
                f'and a unit, e.g. "{Duration(amount, every)}"; a recurrence takes every = "{text}"'
            )
        return cls(amount, every)
    match = _SHAPE.match(norm)
    if not norm or match is None:
        raise DurationError(f"empty duration: write one such as {_EXAMPLES}")
    number, unit_text = match["number"], match["unit"]
    # "10working days" -> split the digits from the word
    glued = re.match(r"^(\d+)([a-z].*)$", number)
    if glued:
        number, unit_text = glued[1], f"{glued[2]} {unit_text}".strip()
    unit = _UNIT_WORDS.get(unit_text)
    if number.isdigit():
        amount = int(number)
        if unit is not None:
            if amount > _LONGEST[unit]:
                raise DurationError(f'"{text}" is longer than any procedure timescale: at most '
                                    f"{_LONGEST[unit]} {unit.value} (ten years)")
            return cls(amount, unit)
        if not unit_text:
            raise DurationError(
                f'"{text}" has no unit: write e.g. "{amount} working days" or "{amount} days" '
                "(a bare number is ambiguous)"
            )
        guess = _nearest_unit(unit_text)
        hint = f'; did you mean "{amount} {guess}"?' if guess else f"; use one of {_EXAMPLES}"
        raise DurationError(f'"{text}" is not a duration: unknown unit "{unit_text}"{hint}')
    if number in _NUMBER_WORDS:
        amount = _NUMBER_WORDS[number]
        guess = unit.value if unit else _nearest_unit(unit_text)
        if guess:
            guess_text = Duration(amount, _UNIT_WORDS[guess])  # a guess is a unit's own name
            raise DurationError(f'"{text}": write the number in digits, e.g. "{guess_text}"')
    if _nearest_unit(norm):
        raise DurationError(f'"{text}" has no number: write e.g. "10 {_nearest_unit(norm)}"')
    raise DurationError(f'"{text}" is not a duration; use one of {_EXAMPLES}')


def _nearest_unit(words: str) -> str | None:
    import difflib  # only for a duration that does not read

    close = difflib.get_close_matches(words, list(_UNIT_WORDS), n=1, cutoff=0.6)
    if not close:
        return None
    unit = _UNIT_WORDS[close[0]]
    # Suggest the canonical plural spelling, not the variant that happened to match.
    return unit.value
