"""Comparing timescales: deadlines and intervals by the calendar days they span, on each reading.

A duration is stricter than another when it is never longer from any start
(4 weeks against a month: equal only in a February); a timescale with two
readings is compared on each pair of readings (``depends-on-reading`` when
the class differs between them).
"""

from __future__ import annotations

from collections.abc import Iterator

from procedurekit import describe, model
from procedurekit.calendars import Calendar
from procedurekit.compare.classes import Change, Difference
from procedurekit.durations import Duration, Unit

__all__ = ["compare_durations", "kind_of_timing", "timescale_differences", "lower_bound"]


def compare_durations(left: Duration, right: Duration, left_cal: Calendar, right_cal: Calendar) -> Change:
    """How *right* compares with *left* as an upper bound: shorter is stricter."""
    if left == right and left_cal.division == right_cal.division:
        return Change.SAME
    if left.unit is right.unit and left_cal.division == right_cal.division:
        return Change.STRICTER if right.amount < left.amount else Change.LOOSER
    left_lo, left_hi = left_cal.span_bounds(left)
    right_lo, right_hi = right_cal.span_bounds(right)
    if left_lo == left_hi == right_lo == right_hi or (
            (left_lo, left_hi) == (right_lo, right_hi) and left.unit is right.unit):
        return Change.SAME  # "14 days" and "2 weeks"
    # never longer from any start (equal at most where the spans touch: 4 weeks and a February)
    if right_hi <= left_lo:
        return Change.STRICTER
    if right_lo >= left_hi:
        return Change.LOOSER
    return Change.NOT_COMPARABLE


def _numbered(ob: model.Obligation) -> bool:
    return ob.within is not None or ob.every is not None or bool(ob.alternatives)


def kind_of_timing(a: model.Obligation, b: model.Obligation) -> tuple[Change, str] | None:
    """How *b*'s kind of timescale compares with *a*'s, or ``None`` if the kinds are the same."""
    numbered_a, numbered_b = _numbered(a), _numbered(b)
    if a.timescale == b.timescale and numbered_a == numbered_b:
        return None
    if b.timescale is model.Timescale.IMMEDIATELY and a.timescale is not model.Timescale.IMMEDIATELY:
        return Change.STRICTER, "immediately is sooner than any timescale"
    if a.timescale is model.Timescale.IMMEDIATELY:
        return Change.LOOSER, "no longer immediately"
    if numbered_a and not numbered_b:
        return Change.LOOSER, "sets no number where the other does"
    if numbered_b and not numbered_a:
        return Change.STRICTER, "sets a number where the other does not"
    return Change.CHANGED, "a different kind of timescale"


def timescale_differences(section: str, item: str, a: model.Obligation, b: model.Obligation,
               procedures: tuple[model.Procedure, model.Procedure], calendars: tuple[Calendar, Calendar],
               same_start: bool) -> Iterator[Difference]:
    """The deadline (``within``) and the interval (``every``): shorter is stricter."""
    (pa, pb), (ca, cb) = procedures, calendars
    recurring = a.every is not None and b.every is not None
    for field, label in (("within", "deadline"), ("every", "frequency")):
        da, db = getattr(a, field), getattr(b, field)
        if da is None and db is None:
            continue
        if da is None or db is None:
            change = Change.STRICTER if da is None else Change.LOOSER
            yield Difference(section, item, label, change, str(da or "-"), str(db or "-"),
                             f"{label} {'added' if da is None else 'removed'}")
            continue
        options_a, options_b = _readings(a, field), _readings(b, field)
        if len(options_a) > 1 or len(options_b) > 1:
            yield from _by_reading(section, item, label, options_a, options_b, calendars)
            continue
        change = compare_durations(da, db, ca, cb)
        starts = ""
        if recurring and field == "every" and not same_start:
            # the interval is the rule; where the recurrence starts is said alongside
            starts = (f" (from {describe.event_name(pa, a.after) or 'the start'} vs from "
                      f"{describe.event_name(pb, b.after) or 'the start'})")
            if change is Change.SAME:
                yield Difference(section, item, "frequency starts", Change.CHANGED, str(da), str(db),
                                 "the same interval, starting from a different event" + starts)
                continue
        if change is not Change.SAME:
            yield Difference(section, item, label, change, str(da), str(db),
                             _why_durations(label, change, (da, db), calendars) + starts)


def _readings(ob: model.Obligation, field: str) -> list[tuple[str, Duration]]:
    """Each reading of the obligation's *field*, named by its basis: one entry when it has one reading."""
    duration = getattr(ob, field)
    if not ob.readings or field != ("within" if ob.within is not None else "every"):
        return [("", duration)]
    written = ob.basis.value if ob.basis else "as written"
    return [(written, duration), *((r.basis.value, r.within) for r in ob.readings)]


def _by_reading(section: str, item: str, label: str, options_a: list[tuple[str, Duration]],
                options_b: list[tuple[str, Duration]], calendars: tuple[Calendar, Calendar]) -> Iterator[Difference]:
    """A timescale with two readings, compared on each pair of readings."""
    ca, cb = calendars
    pairs = []
    for name_a, da in options_a:
        for name_b, db in options_b:
            change = compare_durations(da, db, ca, cb)
            said = " against ".join(f"{name} {d}".strip() if len(options) > 1 else str(d)
                                    for name, d, options in ((name_b, db, options_b), (name_a, da, options_a)))
            pairs.append((said, change, (da, db)))
    left = " or ".join(str(d) for _, d in options_a)
    right = " or ".join(str(d) for _, d in options_b)
    classes = {change for _, change, _ in pairs}
    if classes == {Change.SAME}:
        return
    if len(classes) == 1:
        change = classes.pop()
        yield Difference(section, item, label, change, left, right, "on every reading: " + _why_durations(
            label, change, pairs[0][2], calendars))
        return
    yield Difference(section, item, label, Change.DEPENDS_ON_READING, left, right,
                     "the class depends on the reading: " + "; ".join(f"{said}: {c.value}" for said, c, _ in pairs),
                     tuple((said, c) for said, c, _ in pairs))


def _why_durations(label: str, change: Change, durations: tuple[Duration, Duration],
                   calendars: tuple[Calendar, Calendar]) -> str:
    word = {"deadline": "deadline", "frequency": "interval"}[label]
    (la, ha), (lb, hb) = (cal.span_bounds(d) for cal, d in zip(calendars, durations))
    if change in (Change.STRICTER, Change.LOOSER):
        shorter, longer = (durations[1], durations[0]) if change is Change.STRICTER else durations
        touch = (hb == la) if change is Change.STRICTER else (ha == lb)
        if not touch:
            return f"a {'shorter' if change is Change.STRICTER else 'longer'} {word}"
        low = la if change is Change.STRICTER else lb
        return (f"a {'shorter' if change is Change.STRICTER else 'longer'} {word}: {shorter} is never longer "
                f"than {longer}, and equal only {_when_shortest(longer, low)}")
    if change is Change.SAME:
        return f"the same {word}"
    return f"the {word}s overlap in calendar days ({la}-{ha} vs {lb}-{hb})"


def _when_shortest(duration: Duration, days: int) -> str:
    """When *duration* spans its fewest calendar days, in words."""
    if duration.unit is Unit.MONTHS and duration.amount == 1 and days == 28:
        return "in a February"
    if duration.unit is Unit.WORKING_DAYS:
        return "when no bank holiday falls within it"
    return f"when {duration} spans {days} calendar days"


def lower_bound(section: str, item: str, a: model.Obligation, b: model.Obligation) -> Iterator[Difference]:
    """"Not immediately after" and ``earliest``: a lower bound added is stricter."""
    if (a.not_immediately, a.earliest) == (b.not_immediately, b.earliest):
        return
    added = (b.not_immediately and not a.not_immediately) or (b.earliest and not a.earliest)
    removed = (a.not_immediately and not b.not_immediately) or (a.earliest and not b.earliest)
    change = Change.STRICTER if added and not removed else Change.LOOSER if removed and not added \
        else Change.CHANGED
    yield Difference(section, item, "lower bound", change,
                     "not immediately after" if a.not_immediately else str(a.earliest or "-"),
                     "not immediately after" if b.not_immediately else str(b.earliest or "-"),
                     "a lower bound narrows when it may happen")
