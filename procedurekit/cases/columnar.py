"""The columnar audit: each compiled rule evaluated over every case of a chunk at once, with numpy.

The per-case engine (:mod:`procedurekit.cases.rules`) is the reference: for
each rule this module computes, over arrays, exactly the rows that engine
gives case by case (the tests compare them byte for byte). A rule whose
shape it does not cover (alternatives, deadlines moved off a non-working
day) is evaluated by the per-case engine for the cases it
applies to; a case with a date outside the calendar's years, or more
recurrences than :data:`~procedurekit.cases.rules.MAX_RECURRENCES`, is
evaluated wholly by the per-case engine, which reports it.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np

from procedurekit.calendars import CalendarError, NonWorkingDay
from procedurekit.cases import arrays as A
from procedurekit.cases.chunks import Chunk, Notes, Part
from procedurekit.cases.engine import Plan, Row, Status
from procedurekit.cases.kernels import evaluate_rule
from procedurekit.cases.rules import Rule
from procedurekit.diagnostics import Diagnostic
from procedurekit.model import Timing

__all__ = ["Chunk", "ColumnarPlan", "Evaluated", "chunk_of"]


def _compiled(rule: Rule) -> bool:
    """Whether the columnar engine computes *rule* itself (else the per-case engine does, case by case)."""
    timing = rule.timing
    if timing is Timing.ALTERNATIVES:
        return False
    # deadlines moved off a non-working day (no shipped procedure has one yet)
    return rule.non_working_day is NonWorkingDay.STANDS or timing not in (
        Timing.DEADLINE, Timing.RECURRING, Timing.IMMEDIATELY)


class ColumnarPlan:
    """A :class:`Plan` compiled for chunks of cases: the event codes and conditions its rules read."""

    def __init__(self, plan: Plan, names: list[str]):
        self.plan = plan
        self.names = names
        self.index = {name: code for code, name in enumerate(names)}
        self.conditions = sorted(plan.conditions)
        self.arithmetic = A.Arithmetic(plan.calendar)
        self.notes = Notes()
        self.compiled = [_compiled(rule) for rule in plan.rules]
        self.rule_index = {rule.id: index for index, rule in enumerate(plan.rules)}

    def codes(self, names: Sequence[str]) -> tuple[int, ...]:
        return tuple(sorted(self.index[n] for n in names if n in self.index))

    def evaluate(self, chunk: Chunk, today: int, where: str) -> Evaluated:
        """Every rule's rows for the chunk's cases, with the per-case engine's where it takes over."""
        parts, outside, fallback = self._columns(chunk, today)
        rows = [(index, row) for index, row in fallback if not outside[row[0]]]
        problems: list[Diagnostic] = []
        for case in np.flatnonzero(outside).tolist():
            held, booked = self.events_of(chunk, case)
            try:
                found = self.plan.evaluate(held, self.conditions_of(chunk, case), today, None, booked)
            except CalendarError as exc:
                problems.append(Diagnostic("bad-value", f"case {chunk.ids[case]} not audited: {exc}", where))
                continue
            rows += [(self.rule_index[row[0]], (case, *row[1:])) for row in found]  # type: ignore[misc]
        if outside.any():
            parts = [part.take(~outside[part.case]) for part in parts]
        return Evaluated(self, chunk, parts, rows, problems)

    def _columns(self, chunk: Chunk, today: int) -> tuple[list[Part], np.ndarray, list[tuple[int, Row]]]:
        """(each rule's part, the cases left to the per-case engine, rows the per-case engine gave per rule).

        The per-case rows are ``(rule index, row)`` with the row's case index in place of its id.
        """
        outside = np.zeros(chunk.count, dtype=bool)
        parts: list[Part] = []
        pending: list[tuple[int, np.ndarray]] = []
        for index, rule in enumerate(self.plan.rules):
            applies = self.applies(rule, chunk)
            part, cases_out = evaluate_rule(self, rule, index, chunk, today, applies)
            parts.append(part if rule.in_force is None else self._restrict(rule, part))
            outside |= cases_out
            if not self.compiled[index]:
                pending.append((index, np.flatnonzero(applies)))
        fallback = self._per_case(chunk, today, pending, outside)
        return parts, outside, fallback

    def _restrict(self, rule: Rule, part: Part) -> Part:
        """``Rule.restrict`` over a part: its version's rows, and those from a gap reported as not in force."""
        lo, hi = rule.in_force  # type: ignore[misc]
        anchor = part.anchor
        keep = ((anchor >= lo) & (anchor <= hi)) | ((anchor == 0) & rule.anchorless_here)
        for g_lo, g_hi, reason in rule.gaps:
            gap = (anchor >= g_lo) & (anchor <= g_hi) & (anchor != 0)
            if gap.any():
                # new arrays: a part's columns may share one array (Part.constant)
                part = Part(part.case, part.n, anchor, np.where(gap, 0, part.due), np.where(gap, 0, part.done),
                            np.where(gap, A.CODE[Status.NOT_IN_FORCE], part.status).astype(np.int8),
                            np.where(gap, -1, part.late), np.where(gap, 0, part.limit),
                            np.where(gap, self.notes.code(reason), part.note), np.where(gap, 0, part.note_day))
                keep |= gap
        return part if keep.all() else part.take(keep)

    def applies(self, rule: Rule, chunk: Chunk) -> np.ndarray:
        """Per case, whether *rule*'s when/unless conditions hold."""
        holds = np.ones(chunk.count, dtype=bool)
        if rule.conditional:
            for name in rule.ob.when:
                holds &= self.flag(chunk, name)
            for name in rule.ob.unless:
                holds &= ~self.flag(chunk, name)
        return holds

    def flag(self, chunk: Chunk, name: str) -> np.ndarray:
        if name in self.conditions:
            return chunk.flags[:, self.conditions.index(name)]
        return np.zeros(chunk.count, dtype=bool)

    def events_of(self, chunk: Chunk, case: int) -> tuple[dict[str, list[int]], dict[str, list[int]] | None]:
        """One case's (held, booked) events in the per-case engine's form."""
        lo, hi = np.searchsorted(chunk.case, [case, case + 1])
        held: dict[str, list[int]] = {}
        booked: dict[str, list[int]] | None = None
        names = self.names
        for code, day, is_booked in zip(chunk.code[lo:hi].tolist(), chunk.day[lo:hi].tolist(),
                                        chunk.booked[lo:hi].tolist()):
            if is_booked:
                booked = booked if booked is not None else {}
                booked.setdefault(names[code], []).append(day)
            else:
                held.setdefault(names[code], []).append(day)
        return held, booked

    def conditions_of(self, chunk: Chunk, case: int) -> frozenset[str]:
        row = chunk.flags[case]
        return frozenset(name for name, on in zip(self.conditions, row.tolist()) if on)

    def _per_case(self, chunk: Chunk, today: int, pending: list[tuple[int, np.ndarray]],
                  outside: np.ndarray) -> list[tuple[int, Row]]:
        """Rules the columnar engine leaves to the per-case engine, for the cases they apply to."""
        rows: list[tuple[int, Row]] = []
        rules = self.plan.rules
        cache: dict[int, tuple[dict[str, list[int]], dict[str, list[int]] | None, frozenset[str]]] = {}
        for index, cases in pending:
            for case in cases.tolist():
                if outside[case]:
                    continue
                if case not in cache:
                    cache[case] = (*self.events_of(chunk, case), self.conditions_of(chunk, case))
                held, booked, conditions = cache[case]
                try:
                    found = rules[index].evaluate(held, conditions, today, {}, booked)
                except Exception:  # noqa: BLE001 - a date outside the calendar: the whole case goes per case
                    outside[case] = True
                    continue
                if rules[index].in_force is not None:
                    found = rules[index].restrict(found)
                rows += [(index, (case, *row[1:])) for row in found]  # type: ignore[misc]
        return rows



class Evaluated:
    """The rows of one chunk: per-rule parts (the columnar engine's) and per-case rows (the per-case engine's)."""

    def __init__(self, cp: ColumnarPlan, chunk: Chunk, parts: list[Part], rows: list[tuple[int, Row]],
                 problems: list[Diagnostic]):
        self.cp, self.chunk, self.parts, self.rows, self.problems = cp, chunk, parts, rows, problems

    def counts(self) -> dict[str, dict[Status, int]]:
        """Obligation id -> status -> instances, in the plan's order (as ``evaluate_chunk`` counts)."""
        extra = np.zeros((len(self.parts), len(A.STATUSES)), dtype=np.int64)
        for index, row in self.rows:
            extra[index, A.CODE[row[5]]] += 1
        counts: dict[str, dict[Status, int]] = {}
        for index, (rule, part) in enumerate(zip(self.cp.plan.rules, self.parts)):
            found = np.bincount(part.status, minlength=len(A.STATUSES)) + extra[index]
            if found.any():
                # a plan over several versions has a rule of one id for each (cases.versions)
                before = counts.get(rule.id)
                counts[rule.id] = dict(zip(A.STATUSES, found.tolist() if before is None else
                                           [a + b for a, b in zip(before.values(), found.tolist())]))
        return counts

    def table(self) -> tuple[np.ndarray, Part]:
        """(rule index, rows) of every row, in output order: by case, then rule, then occurrence."""
        notes = self.cp.notes
        parts = list(self.parts)
        rules = [np.full(len(p.case), i, dtype=np.int64) for i, p in enumerate(parts)]
        if self.rows:
            index, raw = zip(*self.rows)
            columns = list(zip(*raw))
            none = [0 if v is None else v for v in columns[2]], [0 if v is None else v for v in columns[3]]
            parts.append(Part(
                np.array(columns[0], dtype=np.int64), np.array(columns[1], dtype=np.int64),
                np.array(none[0], dtype=np.int64), np.array(none[1], dtype=np.int64),
                np.array([0 if v is None else v for v in columns[4]], dtype=np.int64),
                np.array([A.CODE[s] for s in columns[5]], dtype=np.int8),
                np.array([-1 if v is None else v for v in columns[6]], dtype=np.int64),
                np.array([0 if v is None else v for v in columns[8]], dtype=np.int64),
                np.array([notes.code(t) for t in columns[7]], dtype=np.int64), np.zeros(len(raw), dtype=np.int64)))
            rules.append(np.array(index, dtype=np.int64))
        rows, rule = Part.join(parts), np.concatenate(rules)
        order = np.argsort((rows.case * len(self.parts) + rule) * 1024 + rows.n, kind="stable")
        return rule[order], rows.take(order)

    def tuples(self) -> list[tuple[str, Row]]:
        """``(case id, row)`` pairs, as the per-case engine gives them."""
        rule, rows = self.table()
        ids, names, statuses, notes = self.chunk.ids, [r.id for r in self.cp.plan.rules], A.STATUSES, self.cp.notes
        out: list[tuple[str, Row]] = []
        for case, r, n, anchor, due, done, status, late, limit, note, day in zip(
                *(a.tolist() for a in (rows.case, rule, rows.n, rows.anchor, rows.due, rows.done, rows.status,
                                       rows.late, rows.limit, rows.note, rows.note_day))):
            out.append((ids[case], (names[r], n, anchor or None, due or None, done or None, statuses[status],
                                    None if late < 0 else late, notes.text(note, day), limit or None)))
        return out


def chunk_of(cp: ColumnarPlan, packed: dict[str, list[int]], flags: dict[str, set[str]], pack: int) -> Chunk:
    """A chunk from the CSV reader's packed events (event code * *pack* + day; booked codes after held ones)."""
    ids = list(packed)
    lengths = np.fromiter((len(v) for v in packed.values()), dtype=np.int64, count=len(ids))
    values = np.fromiter(itertools.chain.from_iterable(packed.values()), dtype=np.int64, count=int(lengths.sum()))
    code, day = np.divmod(values, pack)
    names = len(cp.names)
    matrix = np.zeros((len(ids), len(cp.conditions)), dtype=bool)
    if flags:
        position = {case_id: i for i, case_id in enumerate(ids)}
        column = {name: i for i, name in enumerate(cp.conditions)}
        for case_id, held in flags.items():
            for name in held:
                matrix[position[case_id], column[name]] = True
    return Chunk(ids, np.repeat(np.arange(len(ids), dtype=np.int64), lengths), code % names, day, code >= names,
                 matrix)
