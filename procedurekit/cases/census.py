"""The DfE children-in-need (CIN) census XML, read as cases for the audit.

Each child's ``CINdetails`` is an episode; each episode becomes one case of the
long CSV the audit reads (``case_id`` is ``LAchildID#n``), its dates mapped to
procedure events (docs/cin-census.md gives the mapping field by field). The file
is parsed as a stream, one child at a time, by expat with every DTD refused (so
no entity can be declared, expanded or fetched: the protection defusedxml
gives, without its SAX layer's cost). Records that cannot be audited are
reported with their XML line and left out; the national indicators and the
file's own ICPC targets are computed as the file is read.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any
from xml.parsers import expat

from attrs import define, field

from procedurekit.calendars import CalendarError, add_months
from procedurekit.cases.engine import Plan
from procedurekit.diagnostics import Diagnostic
from procedurekit.durations import Duration, Unit
from procedurekit.errors import InputError

__all__ = ["is_census", "CensusError", "CensusReport", "read_census", "CENSUS_EVENTS", "KNOWN_YEARS",
           "KEPT_DIFFERENCES", "EPISODE_FIELDS"]

#: collection years whose schema this reader knows (the DfE's CIN census schemas 2017 to 2024)
KNOWN_YEARS = range(2017, 2025)

#: procedure event -> the census field it is read from
CENSUS_EVENTS = {
    "referral": "CINreferralDate (unless ReferralNFA is true)",
    "assessment": "AssessmentAuthorisationDate",
    "strategy-discussion": "S47ActualStartDate (a proxy: the census has no strategy discussion date)",
    "icpc": "DateOfInitialCPC (Section47, or CINdetails when no Section47 holds it), when the child was born by then",
    "pre-birth-conference": "DateOfInitialCPC, before PersonBirthDate or with only an expected birth",
    "rcpc": "CPPreviewDate",
    "plan-ends": "CPPendDate",
    "birth": "PersonBirthDate",
    "expected-birth": "ExpectedPersonBirthDate",
}
_FIFTEEN_WD = Duration(15, Unit.WORKING_DAYS)
#: the fields of ``--episodes``: one row an episode of each child, audited or rejected
EPISODE_FIELDS = ("child", "episode", "case_id", "line", "audited", "reason", "referral", "s47_starts", "conferences",
                  "plan_starts", "plan_ends", "icpc_held", "icpc_within_15_working_days", "reviews_due",
                  "reviews_in_time")
#: the report's total for each measure of an episode
_TOTALS = {"icpc_held": "icpc_held", "icpc_within_15_working_days": "icpc_within", "reviews_due": "reviews_due",
           "reviews_in_time": "reviews_in_time", "unmeasured": "unmeasured"}
#: target differences shown in the text report (the JSON form has them all)
KEPT_DIFFERENCES = 20


class CensusError(InputError):
    """A census file that cannot be read: not well-formed XML, a DTD, or cut short."""


def is_census(path: str | Path) -> bool:
    """Whether *path* holds a CIN census: XML whose root element is ``Message`` (read from its start)."""
    try:
        with open(path, "rb") as stream:
            head = stream.read(4096)
    except OSError:
        return False
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    return text.startswith(b"<") and b"<Message" in text


@define
class CensusReport:
    """What reading a census file found, besides the cases: counts, rejections, indicators, targets."""

    year: int | None = None
    reference_date: dt.date | None = None
    children_read: int = 0
    children_rejected: int = 0
    episodes_read: int = 0
    episodes_rejected: int = 0
    rejected: list[Diagnostic] = field(factory=list)
    warnings: list[str] = field(factory=list)
    #: national ICPC timeliness: conferences within 15 working days of the s47 start, of those held
    icpc_within: int = 0
    icpc_held: int = 0
    #: national review timeliness: reviews held in time, of reviews that fell due
    reviews_in_time: int = 0
    reviews_due: int = 0
    #: not measurable: dates outside the bank-holiday calendar
    unmeasured: int = 0
    #: the first of the cases whose InitialCPCtarget differs from the target computed: (child, line, the
    #: file's target, the target computed, working days apart); all of them go to *differences_file*,
    #: so that memory does not grow with the file
    target_differences: list[tuple[str, int, dt.date, dt.date, int]] = field(factory=list)
    differences_count: int = 0
    differences_file: IO[str] | None = None

    def note_difference(self, difference: tuple[str, int, dt.date, dt.date, int]) -> None:
        """Keep a target difference: the first few in memory, every one in a temporary file."""
        import tempfile

        self.differences_count += 1
        if len(self.target_differences) < KEPT_DIFFERENCES:
            self.target_differences.append(difference)
        if self.differences_file is None:
            self.differences_file = tempfile.TemporaryFile("w+", encoding="utf-8", prefix="procedurekit-")
        child, line, target, local, apart = difference
        self.differences_file.write(f"{line},{target},{local},{apart},{child}\n")

    def close(self) -> None:
        """Let go of the temporary file of target differences (read :meth:`every_difference` first)."""
        if self.differences_file is not None:
            self.differences_file.close()

    def every_difference(self) -> Iterator[tuple[str, int, dt.date, dt.date, int]]:
        """Every target difference, in file order."""
        if self.differences_file is None:
            return
        self.differences_file.seek(0)
        for text in self.differences_file:
            line, target, local, apart, child = text.rstrip("\n").split(",", 4)
            yield child, int(line), dt.date.fromisoformat(target), dt.date.fromisoformat(local), int(apart)

    @property
    def children_audited(self) -> int:
        return self.children_read - self.children_rejected

    @property
    def episodes_audited(self) -> int:
        return self.episodes_read - self.episodes_rejected


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text.strip()) if text and text.strip() else None


class _Child:
    """One child's fields as the parser meets them, each with its line."""

    def __init__(self, line: int):
        self.line = line
        self.fields: dict[str, tuple[str, int]] = {}
        self.episodes: list[dict[str, Any]] = []


_EPISODE_FIELDS = {"CINreferralDate", "CINclosureDate", "DateOfInitialCPC", "ReferralNFA"}
_S47_FIELDS = {"S47ActualStartDate", "InitialCPCtarget", "DateOfInitialCPC", "ICPCnotRequired"}
_CPP_FIELDS = {"CPPstartDate", "CPPendDate"}
_ASSESSMENT_FIELDS = {"AssessmentActualStartDate", "AssessmentAuthorisationDate"}
_GROUPS = {"Section47": "s47", "ChildProtectionPlans": "cpp", "Assessments": "assessments"}


class _Parser:
    """expat callbacks that build one child at a time and hand it on when it ends."""

    def __init__(self, path: str, on_child: Any, report: CensusReport):
        self.path, self.on_child, self.report = path, on_child, report
        self.stack: list[str] = []
        self.text: list[str] = []
        self.child: _Child | None = None
        self.group: dict[str, Any] | None = None
        self.header: dict[str, str] = {}
        p = expat.ParserCreate()
        p.buffer_text = True
        p.StartElementHandler, p.EndElementHandler, p.CharacterDataHandler = self.start, self.end, self.chars
        # no DTD, so no entity declarations (billion laughs) and no external references
        p.StartDoctypeDeclHandler = self.forbid
        p.EntityDeclHandler = self.forbid
        p.ExternalEntityRefHandler = self.forbid
        p.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        self.parser = p

    def forbid(self, *args: object) -> None:
        raise CensusError(f"{self.path}:{self.parser.CurrentLineNumber}:{self.parser.CurrentColumnNumber + 1}: "
                          "a DTD or entity declaration: a census file has none, so it is refused (nothing is "
                          "expanded or fetched) and nothing is audited")

    def start(self, name: str, attrs: object) -> None:
        self.stack.append(name)
        self.text = []
        line = self.parser.CurrentLineNumber
        if name == "Child":
            self.child = _Child(line)
        elif self.child is not None and name == "CINdetails":
            self.child.episodes.append({"line": line, "s47": [], "cpp": [], "assessments": [], "fields": {}})
        elif self.child is not None and name in _GROUPS and self.child.episodes:
            self.group = {"line": line, "reviews": []}
            self.child.episodes[-1][_GROUPS[name]].append(self.group)

    def chars(self, data: str) -> None:
        self.text.append(data)

    def end(self, name: str) -> None:
        self.stack.pop()
        value = "".join(self.text).strip()
        self.text = []
        line = self.parser.CurrentLineNumber
        child = self.child
        if child is None:
            if name in ("Year", "ReferenceDate"):
                self.header[name] = value
            elif name == "Header":
                _header(self.header, self.report)
            return
        if name == "Child":
            self.on_child(child)
            self.child = None
        elif name in _GROUPS:
            self.group = None
        elif self.group is not None and (name in _S47_FIELDS or name in _CPP_FIELDS or name in _ASSESSMENT_FIELDS):
            self.group[name] = (value, line)
        elif self.group is not None and name == "CPPreviewDate":
            self.group["reviews"].append((value, line))
        elif name in _EPISODE_FIELDS and child.episodes and self.stack and self.stack[-1] == "CINdetails":
            child.episodes[-1]["fields"][name] = (value, line)
        elif self.stack and self.stack[-1] == "ChildIdentifiers":
            child.fields[name] = (value, line)


class _Reject(Exception):
    """A record that cannot be audited: where, and why."""

    def __init__(self, line: int, reason: str):
        super().__init__(reason)
        self.line, self.reason = line, reason


def _parsed(value: tuple[str, int] | None, name: str) -> dt.date | None:
    if value is None or not value[0]:
        return None
    try:
        return dt.date.fromisoformat(value[0])
    except ValueError:
        raise _Reject(value[1], f"{name} {value[0]!r} is not a date (YYYY-MM-DD)") from None


_TRUE = {"true", "1"}


class _Reader:
    """Turns each child into case rows, checking what the audit cannot use and measuring the indicators."""

    def __init__(self, path: str, writer: Any, report: CensusReport, plan: Plan):
        self.path, self.writer, self.report, self.calendar = path, writer, report, plan.calendar
        self.events = plan.events
        icpc = plan.procedure.obligations.get("icpc")
        self.within = icpc.within if icpc is not None else None
        #: the optional columns the procedure reads: the pre-birth condition, the s47-initiated attribute
        self.pre_birth = "pre-birth" in plan.conditions
        self.s47 = "s47-initiated" in plan.attributes
        #: every child id met so far: duplicates are rejected (8 bytes or so a child, not the file's size)
        self.seen: set[str] = set()
        #: the measures of the episode being read, counted only if it is audited
        self.pending: list[tuple[str, Any]] = []
        #: one row an episode, for --episodes (None: not asked for)
        self.episodes: Any = None

    def record(self, child_id: str, n: int, episode: dict[str, Any], reason: str | None) -> None:
        """Count the episode's measures if it is audited, and write its row for ``--episodes``."""
        measures = {"icpc_held": 0, "icpc_within_15_working_days": 0, "reviews_due": 0, "reviews_in_time": 0}
        if reason is None:
            for name, value in self.pending:
                if name == "difference":
                    self.report.note_difference(value)
                    continue
                if name in measures:
                    measures[name] += value
                setattr(self.report, _TOTALS[name], getattr(self.report, _TOTALS[name]) + value)
        if self.episodes is not None:
            fields = episode["fields"]
            self.episodes({
                "child": child_id, "episode": n, "case_id": f"{child_id}#{n}", "line": episode["line"],
                "audited": reason is None, "reason": reason or "",
                "referral": fields.get("CINreferralDate", ("", 0))[0],
                "s47_starts": ";".join(s.get("S47ActualStartDate", ("", 0))[0] for s in episode["s47"]),
                "conferences": ";".join(s["DateOfInitialCPC"][0] for s in episode["s47"] if "DateOfInitialCPC" in s),
                "plan_starts": ";".join(p.get("CPPstartDate", ("", 0))[0] for p in episode["cpp"]),
                "plan_ends": ";".join(p["CPPendDate"][0] for p in episode["cpp"] if "CPPendDate" in p),
                **measures})

    def reject(self, line: int, reason: str, what: str) -> None:
        self.report.rejected.append(Diagnostic("census-record", f"{what} not audited: {reason}", path=self.path,
                                               line=line, column=1))

    def child(self, child: _Child) -> None:
        report = self.report
        report.children_read += 1
        report.episodes_read += len(child.episodes)
        child_id = child.fields.get("LAchildID", ("", child.line))[0]
        try:
            if not child_id:
                raise _Reject(child.line, "no LAchildID")
            if child_id in self.seen:
                raise _Reject(child.fields["LAchildID"][1], f"LAchildID {child_id} appears twice in the file")
            self.seen.add(child_id)
            birth = _parsed(child.fields.get("PersonBirthDate"), "PersonBirthDate")
            expected = _parsed(child.fields.get("ExpectedPersonBirthDate"), "ExpectedPersonBirthDate")
            if not child.episodes:
                raise _Reject(child.line, "no CINdetails episode")
        except _Reject as problem:
            self.reject(problem.line, problem.reason, f"child {child_id or '(no id)'}")
            report.children_rejected += 1
            report.episodes_rejected += len(child.episodes)
            for n, episode in enumerate(child.episodes, start=1):
                self.record(child_id, n, episode, problem.reason)
            return
        audited = 0
        for n, episode in enumerate(child.episodes, start=1):
            self.pending = []
            try:
                rows = self.episode(child_id, episode, birth, expected)
            except _Reject as problem:
                self.reject(problem.line, problem.reason, f"child {child_id}, episode {n}")
                report.episodes_rejected += 1
                self.record(child_id, n, episode, problem.reason)
                continue
            audited += 1
            case_id = f"{child_id}#{n}"
            self.writer.writerows([case_id, *row] for row in rows)
            self.record(child_id, n, episode, None)
        if not audited:
            report.children_rejected += 1

    def episode(self, child_id: str, episode: dict[str, Any], birth: dt.date | None,
                expected: dt.date | None) -> list[list[str]]:
        fields = episode["fields"]
        referral = _parsed(fields.get("CINreferralDate"), "CINreferralDate")
        if referral is None:
            raise _Reject(episode["line"], "no CINreferralDate")
        # a referral with no further action starts no assessment's clock
        nfa = fields.get("ReferralNFA", ("", 0))[0].lower() in _TRUE
        rows: list[tuple[str, dt.date, bool]] = [] if nfa else [("referral", referral, False)]
        for assessment in episode["assessments"]:
            done = _parsed(assessment.get("AssessmentAuthorisationDate"), "AssessmentAuthorisationDate")
            _parsed(assessment.get("AssessmentActualStartDate"), "AssessmentActualStartDate")
            if done is not None:
                rows.append(("assessment", done, False))
        for s47 in episode["s47"]:
            rows += self.section47(child_id, s47, birth, expected)
        # the conference that started the plan, when no Section47 of the episode records it
        held = _parsed(fields.get("DateOfInitialCPC"), "DateOfInitialCPC")
        if held is not None and all(day != held for _, day, _ in rows):
            rows.append((_conference(held, birth, expected), held, False))
        for plan in episode["cpp"]:
            rows += self.plan(plan, referral)
        # the episode's own dates must be countable in working days (a birth long before is not counted from)
        days = [day for _, day, _ in rows] or [referral]
        if min(days) < self.calendar.first or max(days) > self.calendar.last:
            raise _Reject(episode["line"], f"its dates ({min(days)} to {max(days)}) fall outside the bank-holiday "
                          f"data ({self.calendar.first} to {self.calendar.last}): working days cannot be counted")
        if birth is not None:
            rows.append(("birth", birth, False))
        elif expected is not None:
            rows.append(("expected-birth", expected, False))
        pre_birth = any(event == "pre-birth-conference" for event, _, _ in rows)
        out = []
        for event, day, s47 in sorted(rows, key=lambda r: r[1]):
            if event not in self.events:
                continue
            extra = ["yes" if pre_birth else ""] * self.pre_birth + ["yes" if s47 else ""] * self.s47
            out.append([event, day.isoformat(), *extra])
        return out

    def section47(self, child_id: str, s47: dict[str, Any], birth: dt.date | None, expected: dt.date | None
                  ) -> list[tuple[str, dt.date, bool]]:
        start = _parsed(s47.get("S47ActualStartDate"), "S47ActualStartDate")
        if start is None:
            raise _Reject(s47["line"], "a Section47 with no S47ActualStartDate")
        icpc = _parsed(s47.get("DateOfInitialCPC"), "DateOfInitialCPC")
        target = _parsed(s47.get("InitialCPCtarget"), "InitialCPCtarget")
        not_required = s47.get("ICPCnotRequired", ("", 0))[0].lower() in _TRUE
        if icpc is None and not not_required and target is not None and self.report.reference_date \
                and target < self.report.reference_date:
            raise _Reject(s47["line"], "no DateOfInitialCPC, ICPCnotRequired is false and the target "
                          f"{target} had passed by the census date")
        if icpc is not None and icpc < start:
            raise _Reject(s47["DateOfInitialCPC"][1],
                          f"DateOfInitialCPC {icpc} is before S47ActualStartDate {start}")
        self.measure_icpc(child_id, s47["line"], start, icpc, target)
        if icpc is None and not_required:
            # the enquiry found no conference was needed: it starts no conference's clock
            return []
        rows = [("strategy-discussion", start, True)]
        if icpc is not None:
            rows.append((_conference(icpc, birth, expected), icpc, False))
        return rows

    def plan(self, plan: dict[str, Any], referral: dt.date) -> list[tuple[str, dt.date, bool]]:
        start = _parsed(plan.get("CPPstartDate"), "CPPstartDate")
        if start is None:
            raise _Reject(plan["line"], "a ChildProtectionPlans with no CPPstartDate")
        if start < referral:
            raise _Reject(plan["CPPstartDate"][1], f"CPPstartDate {start} is before CINreferralDate {referral}")
        end = _parsed(plan.get("CPPendDate"), "CPPendDate")
        if end is not None and end < start:
            raise _Reject(plan["CPPendDate"][1], f"CPPendDate {end} is before CPPstartDate {start}")
        reviews = []
        for value, line in plan["reviews"]:
            day = _parsed((value, line), "CPPreviewDate")
            if day is not None and day < start:
                raise _Reject(line, f"CPPreviewDate {day} is before CPPstartDate {start}")
            if day is not None:
                reviews.append(day)
        self.measure_reviews(start, end, sorted(reviews))
        return [("rcpc", day, False) for day in reviews] + ([("plan-ends", end, False)] if end else [])

    def measure_icpc(self, child_id: str, line: int, start: dt.date, icpc: dt.date | None,
                     target: dt.date | None) -> None:
        try:
            national = self.calendar.add(start, _FIFTEEN_WD)
            local = self.calendar.add(start, self.within) if self.within is not None else None
        except CalendarError:
            self.pending.append(("unmeasured", 1))
            return
        if icpc is not None:
            self.pending += [("icpc_held", 1), ("icpc_within_15_working_days", int(icpc <= national))]
        if target is not None and local is not None and target != local:
            apart = self.calendar.working_days_between(min(target, local), max(target, local))
            self.pending.append(("difference", (child_id, line, target, local, apart if target > local else -apart)))

    def measure_reviews(self, start: dt.date, end: dt.date | None, reviews: list[dt.date]) -> None:
        """The first review within 3 months of the plan's start, each later one within 6 months of the last."""
        limit = self.report.reference_date or dt.date.max
        due = add_months(start, 3)
        for day in reviews:
            self.pending += [("reviews_due", 1), ("reviews_in_time", int(day <= due))]
            due = add_months(day, 6)
        if (end is None or end > due) and due < limit:
            self.pending.append(("reviews_due", 1))  # fell due while the plan lasted, and was not held


def _conference(day: dt.date, birth: dt.date | None, expected: dt.date | None) -> str:
    """An initial conference's event: a pre-birth conference before the birth, or with only an expected one."""
    before_birth = (birth is not None and day < birth) or (birth is None and expected is not None)
    return "pre-birth-conference" if before_birth else "icpc"


def read_census(path: str | Path, out: IO[str], plan: Plan, *, partial: bool = False,
                episodes: Any = None) -> CensusReport:
    """Read census *path* into *out* as the long CSV the audit reads, for *plan*'s procedure (only the
    events, condition and attribute it knows); return what was found (:meth:`CensusReport.close` it after).
    *episodes*, if given, is called with one dict an episode (:data:`EPISODE_FIELDS`), audited or not.

    A file that is not well-formed raises :class:`CensusError` at its first error (line and column);
    with *partial*, what was read before it is kept and the error is reported as a warning.
    """
    report = CensusReport()
    writer = csv.writer(out, lineterminator="\n")
    reader = _Reader(str(path), writer, report, plan)
    reader.episodes = episodes
    writer.writerow(["case_id", "event", "date"] + ["pre-birth"] * reader.pre_birth + ["s47-initiated"] * reader.s47)
    parser = _Parser(str(path), reader.child, report)
    try:
        with open(path, "rb") as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                parser.parser.Parse(block, False)
            parser.parser.Parse(b"", True)
    except CensusError:
        report.close()
        raise
    except expat.ExpatError as exc:
        if not partial:
            report.close()
        message = f"{path}:{exc.lineno}:{exc.offset + 1}: not well-formed XML: {expat.errors.messages[exc.code]}"
        if not partial:
            raise CensusError(message + " (nothing audited; --partial audits the children read before it)") \
                from None
        report.warnings.append(message + "; the children before it are audited (--partial)")
    if report.year is None:
        report.warnings.append("the file has no Header with a collection Year and ReferenceDate: the "
                               "collection year is unknown")
    return report


def _header(header: dict[str, str], report: CensusReport) -> bool:
    if "Year" not in header or "ReferenceDate" not in header:
        return False
    try:
        report.year = int(header["Year"])
        report.reference_date = dt.date.fromisoformat(header["ReferenceDate"])
    except ValueError:
        report.warnings.append(f"the header's Year/ReferenceDate ({header}) cannot be read")
        return True
    if report.year not in KNOWN_YEARS:
        report.warnings.append(f"collection year {report.year} is not one this reader knows "
                               f"({KNOWN_YEARS[0]}-{KNOWN_YEARS[-1]}); read as the {KNOWN_YEARS[-1]} schema")
    return True
