"""Each timing of a compiled rule, over every case of a chunk: the array form of ``Rule.evaluate``.

Every function here mirrors a method of :class:`~procedurekit.cases.rules.Rule`
(named in its docstring) and must give the same rows; the per-case method is
the reference, and tests compare the two on generated cases.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from procedurekit.cases import arrays as A
from procedurekit.cases.arrays import DAY_BITS, DAY_MASK
from procedurekit.cases.chunks import Chunk, Part
from procedurekit.cases.rules import _DAY_BEFORE, MAX_RECURRENCES, Rule
from procedurekit.durations import Duration
from procedurekit.model import Timing

if TYPE_CHECKING:
    from procedurekit.cases.columnar import ColumnarPlan

__all__ = ["evaluate_rule"]

_EMPTY = np.zeros(0, dtype=np.int64)


def evaluate_rule(cp: ColumnarPlan, rule: Rule, index: int, chunk: Chunk, today: int,
                  applies: np.ndarray) -> tuple[Part, np.ndarray]:
    """(*rule*'s rows for the chunk's cases, the cases it could not compute); ``Rule.evaluate``.

    A rule the columnar engine does not compute gives only the rows of the cases it does not apply to.
    """
    outside = np.zeros(chunk.count, dtype=bool)
    parts = []
    if rule.conditional and not applies.all():
        parts.append(_inapplicable(cp, rule, chunk, ~applies))
    if cp.compiled[index] and applies.any():
        part = _timed(cp, rule, chunk, applies, today, outside)
        if rule.period_ends:
            part = _clip(cp, rule, chunk, part)
        parts.append(part)
    return (Part.join(parts) if parts else Part.constant(_EMPTY, 0, 0)), outside


def _inapplicable(cp: ColumnarPlan, rule: Rule, chunk: Chunk, cases_mask: np.ndarray) -> Part:
    """``Rule._inapplicable``: not applicable, or a judgement the case does not record."""
    ob = rule.ob
    cases = np.flatnonzero(cases_mask)
    part = Part.constant(cases, A.NOT_APPLICABLE, cp.notes.code("its conditions do not hold"))
    judged = [c for c in ob.when if c in rule.judgement]
    if not judged:
        return part
    pattern = np.zeros(len(cases), dtype=np.int64)
    only_judged = np.ones(len(cases), dtype=bool)
    for bit, name in enumerate(ob.when):
        missing = ~cp.flag(chunk, name)[cases]
        pattern |= missing.astype(np.int64) << bit
        if name not in rule.judgement:
            only_judged &= ~missing
    for name in ob.unless:
        only_judged &= ~cp.flag(chunk, name)[cases]
    judgement = only_judged & (pattern != 0)
    for value in np.unique(pattern[judgement]).tolist():
        missing_names = sorted(name for bit, name in enumerate(ob.when) if value >> bit & 1)
        rows = judgement & (pattern == value)
        part.status[rows] = A.JUDGEMENT
        part.note[rows] = cp.notes.code(f"applies only if judged so ({', '.join(missing_names)}); the case does "
                                        "not record it")
    return part


def _timed(cp: ColumnarPlan, rule: Rule, chunk: Chunk, wanted: np.ndarray, today: int,
           outside: np.ndarray) -> Part:
    """The rows of the cases *wanted*, by the rule's timing (``Rule.evaluate``)."""
    timing = rule.timing
    if timing is Timing.DEADLINE:
        return _deadlines(cp, rule, chunk, wanted, today, rule.within, outside)
    if timing is Timing.RECURRING:
        return _recurring(cp, rule, chunk, wanted, today, outside)
    if timing is Timing.FOLLOWS:
        return _follows(cp, rule, chunk, wanted, "the procedure sets no number")
    if timing is Timing.NONE:
        return Part.constant(np.flatnonzero(wanted), A.NO_DEADLINE,
                             cp.notes.code("a standing duty: no event to count from"))
    if timing is Timing.IMMEDIATELY and rule.anchors:
        return _deadlines(cp, rule, chunk, wanted, today, None, outside)
    # a timescale a case would set (never, in an audit) or that the procedure leaves open
    if rule.anchors:
        return _follows(cp, rule, chunk, wanted, f"timescale {timing.value}")
    return Part.constant(np.flatnonzero(wanted), A.NO_DEADLINE, cp.notes.code(f"timescale {timing.value}"))


def _keys(cp: ColumnarPlan, chunk: Chunk, names: tuple[str, ...], wanted: np.ndarray,
          booked: bool = False) -> np.ndarray:
    keys = chunk.keys_of(cp.codes(names), booked)
    return keys[wanted[keys >> DAY_BITS]]


def _anchor_points(cp: ColumnarPlan, rule: Rule, chunk: Chunk, wanted: np.ndarray, booked: bool
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(keys of the anchor points, their occurrence numbers, note codes): ``Rule._anchor_points``."""
    keys = _keys(cp, chunk, rule.anchors, wanted, booked)
    notes = np.zeros(len(keys), dtype=np.int64)
    if rule.ob.anchor_where:
        # a case that marks none of its anchor events counts from the plain ones, and says so
        marked = np.zeros(chunk.count, dtype=bool)
        marked[keys >> DAY_BITS] = True
        plain = _keys(cp, chunk, rule.plain_anchors, wanted & ~marked, booked)
        if rule.anchor_each:
            plain = plain[A.rank_in_case(plain) == 1]
        code = cp.notes.code(f"no {rule.anchor_event} is marked {', '.join(rule.ob.anchor_where)}: counted from "
                             f"the {'last' if rule.anchor_last else 'first'}")
        keys = np.concatenate([keys, plain])
        notes = np.concatenate([notes, np.full(len(plain), code, dtype=np.int64)])
        order = np.argsort(keys, kind="stable")
        keys, notes = keys[order], notes[order]
    if rule.anchor_first or rule.anchor_last:
        rank = A.rank_in_case(keys)
        chosen = rank == 1 if rule.anchor_first else A.next_in_case(keys) == 0
        keys, notes = keys[chosen], notes[chosen]
        return keys, np.ones(len(keys), dtype=np.int64), notes
    return keys, A.rank_in_case(keys), notes


def _waiting(cp: ColumnarPlan, chunk: Chunk, wanted: np.ndarray, keys: np.ndarray, note: str) -> Part:
    """A provisional row for each case *wanted* that has none of *keys*."""
    has = np.zeros(chunk.count, dtype=bool)
    has[keys >> DAY_BITS] = True
    return Part.constant(np.flatnonzero(wanted & ~has), A.PROVISIONAL, cp.notes.code(note))


def _due(cp: ColumnarPlan, rule: Rule, points: np.ndarray, within: Duration | None, sign: int,
         readings: tuple[Duration, ...], outside: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(due, the lenient reading's due or 0, where the calendar could not answer): ``Rule._due``."""
    add = cp.arithmetic.add
    none = np.zeros(len(points), dtype=np.int64)
    if within is None:
        if sign > 0:
            return points.copy(), none, np.zeros(len(points), dtype=bool)
        due, out = add(points, _DAY_BEFORE, -1)
        return due, none, out
    due, out = add(points, within, sign, rule.non_working_day)
    if not readings:
        return due, none, out
    low, high = due.copy(), due.copy()
    for reading in readings:
        other, more = add(points, reading, sign, rule.non_working_day)
        out = out | more
        low, high = np.minimum(low, other), np.maximum(high, other)
    return low, np.where(high != low, high, 0), out


def _deadlines(cp: ColumnarPlan, rule: Rule, chunk: Chunk, wanted: np.ndarray, today: int,
               within: Duration | None, outside: np.ndarray) -> Part:
    """``Rule._deadlines``."""
    ob, sign = rule.ob, rule.sign
    keys, n, notes = _anchor_points(cp, rule, chunk, wanted, booked=sign < 0)
    waiting = _waiting(cp, chunk, wanted, keys, f"waiting for {rule.anchor_event}")
    cases, points = keys >> DAY_BITS, keys & DAY_MASK
    readings = rule.readings if within is rule.within else ()
    unbooked = np.zeros(len(keys), dtype=bool)
    if rule.window:
        # after X and before Y: counted back from the next Y (held or booked) after each X
        target = A.at_or_after(chunk.keys_of(cp.codes(rule.window), booked=True), cases, points, strictly=True)
        unbooked = target == 0
        due, limit, out = _due(cp, rule, np.where(unbooked, points, target), within, -1, readings, outside)
        out &= ~unbooked
    else:
        due, limit, out = _due(cp, rule, points, within, sign, readings, outside)
    subject = chunk.keys_of(cp.codes(rule.subject))
    if sign < 0:
        previous = np.zeros(len(keys), dtype=np.int64)
        previous[1:] = np.where(n[1:] > 1, points[:-1], 0)
        done = A.last_at_or_before(subject, cases, points)
        done = np.where((done > 0) & (previous > 0) & (done <= previous), 0, done)
    else:
        done = A.at_or_after(subject, cases, points, strictly=rule.strict)
        if rule.anchor_each:
            following = A.next_in_case(keys)
            beyond = done > following if rule.strict else done >= following
            done = np.where((done > 0) & (following > 0) & beyond, 0, done)
        if rule.first_occurrence:
            first = A.first_of_case(subject, chunk.count)[cases]
            done = np.where((done > 0) & (done != first) & (first >= points), first, done)
        if ob.not_immediately:
            same_day = cp.notes.code("held on the same day, which the rule advises against")
            notes = np.where((done > 0) & (done == points), same_day, notes)
        if ob.earliest is not None:
            floor, more = cp.arithmetic.add(points, ob.earliest, 1, ob.non_working_day)
            out = out | more
            notes = np.where((done > 0) & (done < floor), cp.notes.code(f"earlier than the {ob.earliest} the rule "
                                                                        "allows"), notes)
    status, late, before = A.status(due, done, today, limit, cp.arithmetic)
    lenient = (status == A.OVERDUE) & (limit > 0) & (today <= limit) & (notes == 0)
    notes = np.where(lenient, cp.notes.code("within the lenient reading until {}"), notes)
    if rule.window:
        before &= ~unbooked
        due, done, limit = (np.where(unbooked, 0, a) for a in (due, done, limit))
        status = np.where(unbooked, A.PROVISIONAL, status).astype(np.int8)
        late = np.where(unbooked, -1, late)
        notes = np.where(unbooked, cp.notes.code(f"waiting for the next {ob.before} to be booked"), notes)
        lenient &= ~unbooked
    outside[cases[out | before]] = True
    part = Part(cases, n, points, due, done, status, late, limit, notes, np.where(lenient, limit, 0))
    return Part.join([waiting, part])


def _follows(cp: ColumnarPlan, rule: Rule, chunk: Chunk, wanted: np.ndarray, note: str) -> Part:
    """``Rule._follows``: when it was done after each anchor, never late."""
    keys, n, _ = _anchor_points(cp, rule, chunk, wanted, booked=False)
    waiting = _waiting(cp, chunk, wanted, keys, f"waiting for {rule.anchor_event}")
    cases, points = keys >> DAY_BITS, keys & DAY_MASK
    subject = chunk.keys_of(cp.codes(rule.subject))
    done = A.at_or_after(subject, cases, points, strictly=rule.strict)
    part = Part.constant(cases, A.NO_DEADLINE, cp.notes.code(note))
    part.n, part.anchor, part.done = n, points, done
    return Part.join([waiting, part])


def _recurring(cp: ColumnarPlan, rule: Rule, chunk: Chunk, wanted: np.ndarray, today: int,
               outside: np.ndarray) -> Part:
    """``Rule._recurring``: each occurrence due a period after the one before, until the period ends."""
    subject = chunk.keys_of(cp.codes(rule.subject))
    count = chunk.count
    pick = A.last_of_case if rule.anchor_last else A.first_of_case
    if rule.anchors:
        start = pick(_keys(cp, chunk, rule.anchors, wanted), count)
        if rule.anchors != rule.plain_anchors:
            start = np.where(start > 0, start, pick(_keys(cp, chunk, rule.plain_anchors, wanted), count))
        waiting = f"waiting for {rule.anchor_event}"
    else:
        start = A.first_of_case(subject, count)
        waiting = "waiting for the first occurrence"
    start = np.where(wanted, start, 0)
    parts = [Part.constant(np.flatnonzero(wanted & (start == 0)), A.PROVISIONAL, cp.notes.code(waiting))]
    cases = np.flatnonzero(start > 0)
    start = start[cases]
    ends = chunk.keys_of(cp.codes(rule.until + rule.period_ends)) if rule.until or rule.period_ends else _EMPTY
    end = A.at_or_after(ends, cases, start)
    distinct = subject[np.concatenate([[True], subject[1:] != subject[:-1]])] if len(subject) else subject
    lo = np.searchsorted(distinct, (cases << DAY_BITS) | start, "right")
    hi = np.searchsorted(distinct, (cases + 1) << DAY_BITS, "left")
    j = np.minimum(np.where(end > 0, np.searchsorted(distinct, (cases << DAY_BITS) | end, "left"), hi), hi)
    last = max(len(distinct) - 1, 0)
    hit = (j < hi) & (distinct[np.minimum(j, last)] == ((cases << DAY_BITS) | end)) if len(distinct) else j < 0
    rows = np.where((end > 0) & (start >= end), 0, j - lo + 1)
    outside[cases[rows > MAX_RECURRENCES]] = True
    rows = np.minimum(rows, MAX_RECURRENCES)
    ended_first = (f"{rule.ob.until} came first" if rule.ob.until and rule.ob.until not in rule.period_ends
                   else f"the {rule.period_text} ended first")
    parts.append(Part.constant(cases[rows == 0], A.NOT_APPLICABLE, cp.notes.code(ended_first)))
    parts.append(_chain(cp, rule, cases, start, end, lo, j, hit, rows, distinct, today, outside))
    return Part.join(parts)


def _chain(cp: ColumnarPlan, rule: Rule, cases: np.ndarray, start: np.ndarray, end: np.ndarray, lo: np.ndarray,
           j: np.ndarray, hit: np.ndarray, rows: np.ndarray, distinct: np.ndarray, today: int,
           outside: np.ndarray) -> Part:
    """The rows of a recurrence: each held occurrence in turn, then the one outstanding (or ended)."""
    total = int(rows.sum())
    case = np.repeat(cases, rows)
    n = np.arange(total) - np.repeat(np.cumsum(rows) - rows, rows) + 1
    position = np.repeat(lo, rows) + n - 1
    last = max(len(distinct) - 1, 0)
    days = distinct & DAY_MASK if len(distinct) else np.zeros(1, dtype=np.int64)
    previous = np.where(n == 1, np.repeat(start, rows), days[np.clip(position - 1, 0, last)])
    stop, hit_r, end_r = np.repeat(j, rows), np.repeat(hit, rows), np.repeat(end, rows)
    done = np.where((position < stop) | ((position == stop) & hit_r), days[np.minimum(position, last)], 0)
    due, limit, out = _due(cp, rule, previous, rule.ob.every, 1, rule.readings, outside)
    status, late, before = A.status(due, done, today, limit, cp.arithmetic)
    ended = (done == 0) & (end_r > 0) & (due > end_r)
    status[ended] = A.NOT_APPLICABLE
    late[ended] = -1
    outside[case[out | before]] = True
    note = np.where(ended, cp.notes.code(_ended_note(rule)), 0)
    return Part(case, n, previous, due, done, status, late, limit, note, np.where(ended, end_r, 0))


def _ended_note(rule: Rule) -> str:
    """``Rule._ended_note``, with ``{}`` for the date."""
    if rule.period or not rule.ob.until:
        return f"the {rule.period_text} ended on {{}}, before it fell due"
    return f"{rule.ob.until} on {{}} came first, before it fell due"


def _clip(cp: ColumnarPlan, rule: Rule, chunk: Chunk, part: Part) -> Part:
    """``Rule._clip``: nothing of a period's duty falls due after the period ends."""
    ends = chunk.keys_of(cp.codes(rule.period_ends))
    if not len(ends):
        return part
    starts = chunk.keys_of(cp.codes(rule.period_starts))
    start = np.where(part.anchor > 0, part.anchor, part.due)
    end = A.at_or_after(ends, part.case, start)
    cut = (end > 0) & ((part.done == 0) | (part.done > end)) & ((part.due == 0) | (part.due > end))
    ended = A.last_at_or_before(ends, part.case, np.maximum(start - 1, 0))
    restart = A.last_at_or_before(starts, part.case, start)
    had_ended = ~cut & (start > 0) & (ended > 0) & ((restart == 0) | (restart <= ended))
    changed = cut | had_ended
    if not changed.any():
        return part
    notes = cp.notes
    part.done = np.where(changed, 0, part.done)
    part.status = np.where(changed, A.NOT_APPLICABLE, part.status).astype(np.int8)
    part.late = np.where(changed, -1, part.late)
    part.limit = np.where(changed, 0, part.limit)
    cut_note = np.where(part.due > 0, notes.code(_ended_note(rule)), notes.code(f"the {rule.period_text} ended on {{}}"))
    part.note = np.where(cut, cut_note, np.where(had_ended, notes.code(f"the {rule.period_text} had ended on {{}}"),
                                                 part.note))
    part.note_day = np.where(cut, end, np.where(had_ended, ended, part.note_day))
    return part
