"""Batch audit: many cases from one long CSV, evaluated with a procedure's compiled plan.

The CSV has one row per case event::

    case_id,event,date,inquorate,pre-birth
    C1,strategy-discussion,2024-05-02,,
    C1,icpc,2024-05-28,yes,
    C2,pre-birth-conference,2024-01-10,,yes

The first three columns are required. Any further column names a condition
of the procedure (``pre-birth``, ``inquorate``...): a true value (``yes``,
``true``, ``1``, ``x``) on any row of a case makes the condition hold for that
case. Rows with an unknown event, a bad date or a missing case id are
reported with their line numbers and left out; every other row is used.
"""

from __future__ import annotations

import datetime as dt
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from attrs import define, field

from procedurekit.calendars import CalendarError
from procedurekit.diagnostics import Diagnostic
from procedurekit.cases.engine import Plan, Row, Status
from procedurekit.cases.csvlines import csv_rows
from procedurekit.cases.records import TRUE, truthy
from procedurekit.cases.rules import filtered
from procedurekit.model import Obligation

__all__ = ["AuditResult", "audit_csv", "audit_rows", "TRUE"]

REQUIRED = ("case_id", "event", "date")


@define
class AuditResult:
    """The outcome of a batch audit: instance rows, per-obligation counts, and rejected input rows."""

    rows_read: int = 0
    rows_used: int = 0
    #: cases found in the CSV; ``not_audited`` of them could not be (a date outside the calendar)
    cases: int = 0
    not_audited: int = 0
    rejected: list[Diagnostic] = field(factory=list)
    #: obligation id -> status value -> count
    counts: dict[str, dict[str, int]] = field(factory=dict)

    def compliance(self, obligation: str, *, lenient: bool = False) -> float | None:
        """Share of instances done on time, of those met, met on the lenient reading, late or overdue.

        Met on the lenient reading counts as on time only with *lenient*.
        """
        c = self.counts.get(obligation, {})
        judged = c.get("met", 0) + c.get("met-lenient", 0) + c.get("late", 0) + c.get("overdue", 0)
        met = c.get("met", 0) + (c.get("met-lenient", 0) if lenient else 0)
        return met / judged if judged else None


#: a case's events are held as ints, event code * _PACK + day ordinal, until the case is evaluated:
#: one list per case instead of a dict of lists (day ordinals stay below 10**6 until the year 2738)
_PACK = 1_000_000
#: dates from here on are refused: they would not fit the packing (a year is a clearer bound than a day)
_LAST_ORDINAL = dt.date(2738, 1, 1).toordinal()


_STATUSES = {"held": "held", "booked": "booked", "cancelled": "cancelled", "canceled": "cancelled", "": ""}


class _Columns:
    """What the header's columns after case_id,event,date mean for a plan."""

    def __init__(self, plan: Plan):
        self.status: int | None = None
        self.conditions: list[tuple[int, str]] = []
        self.attributes: list[tuple[int, str]] = []
        #: (column, implied event) pairs: a true cell also records that event on the row's date
        self.implied: list[tuple[int, str]] = []
        self.plan = plan

    @property
    def extra(self) -> bool:
        return bool(self.status is not None or self.conditions or self.attributes)


def case_event_names(plan: Plan) -> list[str]:
    """The event ids an audit packs, by code: ``0..n-1`` held, ``n..2n-1`` the same events booked."""
    return sorted(plan.events | plan.implied | {filtered(e, combo) for combo in plan.filters for e in plan.events})


def read_chunks(path: Path, plan: Plan, result: AuditResult, today: int, chunk_cases: int | None = None,
                names: list[str] | None = None) -> Iterator[tuple[dict[str, list[int]], dict[str, set[str]]]]:
    """The CSV's cases as (case id -> packed events, case id -> conditions), *chunk_cases* whole cases at a time.

    Chunking needs each case's rows together (the documented input order); with ``None`` the whole file
    is one chunk, which any order allows.
    """
    if not stat.S_ISREG(path.stat().st_mode):  # a FIFO would wait for a writer forever
        result.rejected.append(Diagnostic("not-a-file", "not an ordinary file (a FIFO, device or socket): the "
                                          "cases must be an ordinary CSV file", str(path), 1, 1))
        return
    names = names if names is not None else case_event_names(plan)
    bad_lines: list[Diagnostic] = []
    with path.open("rb") as handle:
        rows = csv_rows(handle, str(path), bad_lines)
        first = next(rows, None)
        if first is not None and first[0] != 1:
            bad_lines.append(Diagnostic("missing-key", "the first line must be the header case_id,event,date",
                                        str(path), 1, 1))
            first = None
        columns = _header(first[1] if first else None, plan, result, str(path))
        if columns is not None and first is not None:
            codes = {name: code * _PACK for code, name in enumerate(names)}
            yield from _read_rows(rows, plan, codes, columns, result, str(path), today, len(first[1]), chunk_cases)
    if bad_lines:
        result.rows_read += len(bad_lines) if columns is not None else 0
        result.rejected.extend(bad_lines)
        result.rejected.sort(key=lambda d: d.line or 0)


def grouped(path: Path) -> tuple[bool, int]:
    """Whether each case's rows stand together in the CSV (then it can be read a chunk at a time), and
    how many cases it holds. Reads only each line's first field: one quick pass over the file."""
    finished: set[bytes] = set()
    current = None
    with path.open("rb") as handle:
        next(handle, None)
        for line in handle:
            case = line.split(b",", 1)[0]
            if case != current:
                if case in finished:
                    return False, 0
                if current is not None:
                    finished.add(current)
                current = case
    return True, len(finished) + (current is not None)


def _header(header: list[str] | None, plan: Plan, result: AuditResult, where: str) -> _Columns | None:
    """What each column after case_id,event,date holds; ``None`` if the header is unusable."""
    if header is None:
        result.rejected.append(Diagnostic("empty-file", "the CSV is empty: its first row must be the "
                                          "header case_id,event,date", where, 1, 1))
        return None
    header = [h.strip() for h in header]
    if header[:3] != list(REQUIRED):
        result.rejected.append(Diagnostic("missing-key", f"the header must start case_id,event,date; found "
                                          f"{','.join(header[:3])}", where, 1, 1))
        return None
    columns = _Columns(plan)
    for col, name in enumerate(header[3:], start=3):
        known = False
        if name == "status":
            columns.status, known = col, True
        if name in plan.conditions:
            columns.conditions.append((col, name))
            known = True
        if name in plan.attributes:
            columns.attributes.append((col, name))
            if name in plan.implied:
                columns.implied.append((col, name))
            known = True
        if not known:
            usable = sorted(plan.conditions | plan.attributes | {"status"})
            result.rejected.append(Diagnostic(
                "unknown-key", f'column "{name}" is not a condition or event attribute of {plan.procedure.id}; '
                f"known: {', '.join(usable)} (the column is ignored)", where, 1, col + 1))
    return columns


def _read_rows(rows: Iterator[tuple[int, list[str]]], plan: Plan, codes: dict[str, int], columns: _Columns,
               result: AuditResult, where: str, today: int, width: int, chunk_cases: int | None
               ) -> Iterator[tuple[dict[str, list[int]], dict[str, set[str]]]]:
    """Every usable row of *rows* (line number, fields) packed into its case's events and conditions.

    The others are rejected with their line. This loop is the audit's hot path: lookups are bound
    to local names and events are packed into ints (see :data:`_PACK`).
    """
    packed: dict[str, list[int]] = {}
    flags: dict[str, set[str]] = {}
    rejected = result.rejected
    dates: dict[str, int] = {}
    dates_get, codes_get, packed_get = dates.get, codes.get, packed.get
    booked_offset = len(codes) * _PACK
    extra = columns.extra
    conditions_only = extra and columns.status is None and not columns.attributes
    limit = chunk_cases or -1
    read = used = 0
    for line, row in rows:
        read += 1
        if not 3 <= len(row) <= width:
            rejected.append(_bad_width(len(row), width, where, line))
            continue
        case_id, event, raw_date = row[0], row[1], row[2]
        if len(packed) == limit and case_id not in packed:  # a chunk of whole cases is complete
            result.rows_read, result.rows_used, read, used = result.rows_read + read, result.rows_used + used, 0, 0
            yield packed, flags
            packed, flags = {}, {}
            packed_get = packed.get
        ordinal = dates_get(raw_date)
        if ordinal is None:
            ordinal = dates[raw_date] = _ordinal(raw_date)
        code = codes_get(event)
        if ordinal <= 0 or code is None or not case_id:
            rejected.append(_bad_row(case_id, event, raw_date, plan, where, line, ordinal))
            continue
        values = [code + ordinal]
        if conditions_only:  # the common case: no status or attribute to read
            _flag_conditions(row, columns.conditions, case_id, flags)
        elif extra:
            problem = _extras(row, columns, case_id, event, ordinal, today, codes, flags, values)
            if problem is not None:
                rejected.append(Diagnostic("bad-value", problem, where, line, 1))
                continue
            if values[0] < 0:  # cancelled: a valid row that records nothing due
                used += 1
                continue
        if ordinal > today and values[0] < booked_offset:  # no status: booked when after today
            values = [v + booked_offset for v in values]
        events = packed_get(case_id)
        if events is None:
            packed[case_id] = values
        else:
            events += values
        used += 1
    result.rows_read, result.rows_used = result.rows_read + read, result.rows_used + used
    if packed:
        yield packed, flags


def _ordinal(raw_date: str) -> int:
    """A date's day ordinal; 0 if it is not a date, -1 if it is too far ahead to pack (see :data:`_PACK`)."""
    try:
        ordinal = dt.date.fromisoformat(raw_date).toordinal()
    except ValueError:
        return 0
    return ordinal if ordinal < _LAST_ORDINAL else -1


def _flag_conditions(row: list[str], conditions: list[tuple[int, str]], case_id: str,
                     flags: dict[str, set[str]]) -> None:
    for col, name in conditions:
        if col < len(row):
            cell = row[col]
            if cell and (cell in TRUE or cell.strip().lower() in TRUE):
                flags.setdefault(case_id, set()).add(name)


def _extras(row: list[str], columns: _Columns, case_id: str, event: str, ordinal: int, today: int,
            codes: dict[str, int], flags: dict[str, set[str]], values: list[int]) -> str | None:
    """Read a row's status, condition and attribute cells into *values* and *flags*; a problem, or ``None``."""
    width = len(row)
    if columns.status is not None and columns.status < width:
        status = _STATUSES.get(row[columns.status].strip().lower())
        if status is None:
            return f'status "{row[columns.status]}" is not held, booked or cancelled'
        if status == "held" and ordinal > today:
            return (f"{event} on {dt.date.fromordinal(ordinal)} is marked held but is after today "
                    f"({dt.date.fromordinal(today)}): mark it booked")
        if status == "cancelled":
            values[0] = -1
            return None
        if status == "booked":
            values[0] += len(codes) * _PACK
    _flag_conditions(row, columns.conditions, case_id, flags)
    if columns.attributes:
        true = {name for col, name in columns.attributes if col < width and truthy(row[col])}
        if true:
            shift = values[0] - codes[event] - ordinal  # 0, or the booked offset
            for col, name in columns.implied:
                if name in true:
                    values.append(codes[name] + ordinal + shift)
            for combo in columns.plan.filters:
                if true.issuperset(combo):
                    values.append(codes[filtered(event, combo)] + ordinal + shift)
    return None


def _unpack(values: list[int], names: list[str]) -> tuple[dict[str, list[int]], dict[str, list[int]] | None]:
    """Packed events -> (held, booked) event id -> sorted day ordinals."""
    values.sort()
    events: dict[str, list[int]] = {}
    booked: dict[str, list[int]] | None = None
    count = len(names)
    current = -1
    ordinals: list[int] = []
    for value in values:
        code, ordinal = divmod(value, _PACK)
        if code != current:
            current = code
            if code < count:
                ordinals = events[names[code]] = [ordinal]
            else:
                booked = booked if booked is not None else {}
                ordinals = booked[names[code - count]] = [ordinal]
        else:
            ordinals.append(ordinal)
    return events, booked


def _bad_width(fields: int, width: int, where: str, line: int) -> Diagnostic:
    if fields < 3:
        return Diagnostic("missing-key", f"row has {fields} fields; case_id,event,date are required", where, line, 1)
    return Diagnostic("bad-row", f"row has {fields} fields; the header has {width}: a comma too many, or a "
                      "value that needs quotes", where, line, 1)


def _bad_row(case_id: str, event: str, raw_date: str, plan: Plan, where: str, line: int,
             ordinal: int) -> Diagnostic:
    if not case_id:
        return Diagnostic("missing-key", "no case_id", where, line, 1)
    if event not in plan.events:
        return Diagnostic("undefined-reference", f'unknown event "{event}" for {plan.procedure.id}', where, line,
                          len(case_id) + 2)
    if ordinal < 0:
        return Diagnostic("bad-value", f"{raw_date} is after the year 2737, which an audit cannot hold: "
                          "check the year", where, line, len(case_id) + len(event) + 3)
    return Diagnostic("wrong-type", f'"{raw_date}" is not a date (YYYY-MM-DD)', where, line,
                      len(case_id) + len(event) + 3)


#: cases read and evaluated together: the unit of streaming (memory stays flat) and of ``--jobs``
CHUNK_CASES = 2_000


def evaluate_chunk(plan: Plan, names: list[str], packed: dict[str, list[int]], flags: dict[str, set[str]],
                   today: int, where: str) -> tuple[list[tuple[str, Row]], dict[str, dict[Status, int]],
                                                    list[Diagnostic]]:
    """The instance rows of one chunk's cases, the counts of their statuses, and the cases not audited."""
    counts: dict[str, dict[Status, int]] = {}
    rows: list[tuple[str, Row]] = []
    problems: list[Diagnostic] = []
    no_conditions: frozenset[str] = frozenset()
    evaluate, counts_get, flags_get = plan.evaluate, counts.get, flags.get
    for case_id, values in packed.items():
        events, booked = _unpack(values, names)
        conditions = flags_get(case_id)
        try:
            case_rows = evaluate(events, frozenset(conditions) if conditions else no_conditions, today, None, booked)
        except CalendarError as exc:
            # reported for the case, never scored: its rows were read, its deadlines cannot be counted
            problems.append(Diagnostic("bad-value", f"case {case_id} not audited: {exc}", where))
            continue
        for row in case_rows:
            per = counts_get(row[0])
            if per is None:
                per = counts[row[0]] = dict.fromkeys(Status, 0)
            per[row[5]] += 1
            rows.append((case_id, row))
    return rows, counts, problems


def add_chunk(result: AuditResult, cases: int, counts: dict[str, dict[Status, int]],
              problems: list[Diagnostic]) -> None:
    """Count one evaluated chunk into *result*."""
    result.cases += cases
    result.not_audited += len(problems)
    result.rejected.extend(problems)
    for ob_id, per in counts.items():
        total = result.counts.setdefault(ob_id, {s.value: 0 for s in Status})
        for status, n in per.items():
            total[status.value] += n


def audit_rows(plan: Plan, path: str | Path, today: dt.date, result: AuditResult | None = None, *,
               engine: str = "columnar") -> Iterator[tuple[str, Row]]:
    """``(case id, instance row)`` for every case in the CSV, a chunk of cases at a time; fills *result*.

    *engine* is ``"columnar"`` or ``"per-case"`` (the reference): both give the same rows.
    """
    from procedurekit.cases.batch import audit_chunks

    for rows in audit_chunks(plan, path, today, result if result is not None else AuditResult(), output="rows",
                             engine=engine):
        yield from rows


def audit_csv(plan: Plan, path: str | Path, today: dt.date, *, engine: str = "columnar"
              ) -> tuple[list[tuple[str, Row]], AuditResult]:
    """Audit every case in a CSV; returns the instance rows and the result."""
    result = AuditResult()
    rows = list(audit_rows(plan, path, today, result, engine=engine))
    return rows, result


def row_fields(case_id: str, row: Row) -> list[str]:
    ob_id, n, anchor, due, done, status, late, note, limit = row
    iso = _ISO.get
    return [case_id, ob_id, str(n), iso(anchor) or _iso(anchor), iso(due) or _iso(due), iso(done) or _iso(done),
            status.value, "" if late is None else str(late), note, iso(limit) or _iso(limit)]


#: day ordinal -> ISO date, filled as rows are written (an audit's dates repeat a great deal)
_ISO: dict[int | None, str] = {None: "", 0: ""}


def _iso(ordinal: int | None) -> str:
    text = _ISO[ordinal] = dt.date.fromordinal(ordinal).isoformat() if ordinal else ""
    return text


ROW_HEADER = ["case_id", "obligation", "occurrence", "anchor_date", "due", "done", "status", "working_days_late",
              "note", "limit"]


def summary_rows(plan: Plan, result: AuditResult) -> Iterable[dict[str, object]]:
    for ob_id, counts in result.counts.items():
        rate = result.compliance(ob_id)
        lenient = result.compliance(ob_id, lenient=True)
        ob = _obligation(plan, ob_id)
        yield {"obligation": ob_id, "rule": _rule_text(plan, ob_id), "strength": ob.strength.value, **counts,
               "compliance": None if rate is None else round(rate, 4),
               "compliance_lenient": None if lenient is None else round(lenient, 4)}


def _rule_text(plan: Plan, ob_id: str) -> str:
    from procedurekit import describe

    return describe.obligation(plan.procedure, _obligation(plan, ob_id))


def _obligation(plan: Plan, ob_id: str) -> Obligation:
    """Obligation *ob_id* as the plan's procedure has it, or as the earlier version that had it does."""
    found = plan.procedure.obligations.get(ob_id)
    return found if found is not None else next(rule.ob for rule in plan.rules if rule.id == ob_id)
