"""Scenario tests in TOML, as a pytest plugin (registered under ``pytest11``).

pytest collects every ``test_*.toml`` file holding ``[[scenario]]`` tables::

    procedure = "warrington"

    [[scenario]]
    name = "ICPC within 15 working days of the strategy discussion"
    today = 2024-06-01                                    # optional, for statuses
    conditions = ["pre-birth"]                            # optional
    settings = { core-group-subsequent = "4 weeks" }      # optional per-case timescales
    events = [{ event = "strategy-discussion", date = 2024-05-02 }]

    # any of these expectations
    next = [{ meeting = "icpc", due = 2024-05-24, obligation = "icpc" }]       # due = "none" for no date
    chair = [{ meeting = "core-group", occurrence = 1, roles = ["team-manager"] }]
    instances = [{ obligation = "icpc", occurrence = 1, due = 2024-05-24, status = "due" }]
    #   an instance may also check limit (the lenient reading's date), done, booked, booked_late_by,
    #   late_by and note (words the note contains)
    quorum = [{ meeting = "icpc", date = 2024-05-24, quorate = false }]
    pathway = [{ concern = "disagreement", pathway = "professional-disagreement", steps = ["line-manager"] }]

A failure names the file, the line of the expectation, and what differed. The
procedures are those installed (plugins included), loaded once per run; a
file may add ``plugin_dir = "folder"`` (relative to it) to test procedure
files that are not installed.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from procedurekit.host.library import Library
    from procedurekit.model import Case

SCENARIO_KEYS = {"name", "today", "conditions", "settings", "events", "next", "chair", "instances", "pathway",
                 "quorum"}
_LIBRARY = pytest.StashKey[Any]()


class ScenarioError(Exception):
    """Expectations not met: (line, message) pairs."""

    def __init__(self, problems: list[tuple[int, str]]):
        super().__init__(problems)
        self.problems = problems


@pytest.fixture(scope="session")
def procedure_library(pytestconfig: pytest.Config):
    """The installed procedures (plugins included), loaded once per test run."""
    return _library(pytestconfig)


def pytest_collect_file(file_path: Path, parent: pytest.Collector):
    if file_path.suffix == ".toml" and file_path.name.startswith("test_"):
        return ScenarioFile.from_parent(parent, path=file_path)
    return None


def _library(config: pytest.Config, plugin_dir: Path | None = None):
    if _LIBRARY not in config.stash:
        config.stash[_LIBRARY] = {}
    libraries = config.stash[_LIBRARY]
    if plugin_dir not in libraries:
        from procedurekit.host.library import Library

        libraries[plugin_dir] = Library.load(plugin_dirs=[plugin_dir] if plugin_dir else ())
    return libraries[plugin_dir]


class ScenarioFile(pytest.File):
    def collect(self):
        from procedurekit.positions import PositionIndex

        text = self.path.read_text(encoding="utf-8")
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            yield ScenarioItem.from_parent(self, name="(syntax)", spec={}, procedure=None, index=None,
                                           position=0, broken=f"not valid TOML: {exc}")
            return
        index = PositionIndex(text)
        scenarios = data.get("scenario", [])
        procedure = data.get("procedure")
        unknown = set(data) - {"procedure", "scenario", "plugin_dir"}
        plugin_dir = data.get("plugin_dir")
        if unknown or not isinstance(procedure, str) or not isinstance(scenarios, list) or not scenarios:
            problem = (f"unknown keys {sorted(unknown)}" if unknown else
                       'a scenario file needs procedure = "ID" and at least one [[scenario]]')
            yield ScenarioItem.from_parent(self, name="(file)", spec={}, procedure=None, index=index,
                                           position=0, broken=problem)
            return
        for i, spec in enumerate(scenarios):
            name = spec.get("name", f"scenario {i + 1}") if isinstance(spec, dict) else f"scenario {i + 1}"
            yield ScenarioItem.from_parent(self, name=str(name), spec=spec, procedure=procedure, index=index,
                                           position=i, plugin_dir=self.path.parent / plugin_dir
                                           if isinstance(plugin_dir, str) else None)


class ScenarioItem(pytest.Item):
    def __init__(self, *, spec: dict, procedure: str | None, index, position: int, broken: str | None = None,
                 plugin_dir: Path | None = None, **kwargs):
        super().__init__(**kwargs)
        self.plugin_dir = plugin_dir
        self.spec = spec
        self.procedure = procedure
        self.index = index
        self.position = position
        self.broken = broken

    def _line(self, *key: str | int) -> int:
        if self.index is None:
            return 1
        return self.index.locate(("scenario", self.position, *key))[0]

    def runtest(self) -> None:
        if self.broken:
            raise ScenarioError([(1, self.broken)])
        problems = _run(self, _library(self.config, self.plugin_dir))
        if problems:
            raise ScenarioError(problems)

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, ScenarioError):
            return "\n".join(f"{self.path}:{line}: {message}" for line, message in excinfo.value.problems)
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, self._line() - 1, f"scenario: {self.name}"


def _date(value: Any) -> dt.date | None | str:
    if isinstance(value, dt.date):
        return value
    if value in ("none", None):
        return None
    return dt.date.fromisoformat(str(value))


Problems = list[tuple[int, str]]


def _run(item: ScenarioItem, library: Library) -> Problems:
    """Run one scenario: every expectation that does not hold, with its line."""
    from procedurekit.diagnostics import ProcedureError

    spec = item.spec
    if not isinstance(spec, dict):
        return [(item._line(), "a scenario is a table")]
    unknown = set(spec) - SCENARIO_KEYS
    if unknown:
        return [(item._line(), f"unknown keys {sorted(unknown)}; a scenario has {sorted(SCENARIO_KEYS)}")]
    try:
        library.get(item.procedure)
    except ProcedureError as exc:
        return [(1, f'procedure "{item.procedure}": {exc.diagnostics[0].message}')]
    try:
        case = _case(item, spec)
    except ProcedureError as exc:
        return [(item._line("events"), d.message) for d in exc.diagnostics]
    problems: Problems = []
    for section, check in (("next", _check_next), ("chair", _check_chair), ("instances", _check_instances),
                           ("pathway", _check_pathway), ("quorum", _check_quorum)):
        for j, expect in enumerate(spec.get(section, [])):
            problems += check(library, item.procedure, case, spec, expect, item._line(section, j))
    return problems


def _case(item: ScenarioItem, spec: dict[str, Any]) -> Case:
    from procedurekit.cases.files import case_from_data

    case = case_from_data({"id": spec.get("name", "scenario"), "events": spec.get("events", []),
                           "conditions": spec.get("conditions", []), "settings": spec.get("settings", {})},
                          str(item.path))
    today = _date(spec.get("today"))
    # events after today are bookings, for the next meeting and the chair as for statuses
    return case.as_on(today) if isinstance(today, dt.date) else case


def _check_next(library: Library, pid: str, case: Case, spec: dict[str, Any], expect: dict[str, Any],
                line: int) -> Problems:
    due, date = library.next_meeting_date(pid, expect["meeting"], case)
    if due is None:
        return [(line, f"no rule gives the next {expect['meeting']}")]
    problems: Problems = []
    if "due" in expect and _date(expect["due"]) != date:
        problems.append((line, f"next {expect['meeting']}: due {date} ({due.reason}), expected {expect['due']}"))
    if "obligation" in expect and expect["obligation"] != due.obligation:
        problems.append((line, f"next {expect['meeting']}: rule {due.obligation}, expected {expect['obligation']}"))
    return problems


def _check_chair(library: Library, pid: str, case: Case, spec: dict[str, Any], expect: dict[str, Any],
                 line: int) -> Problems:
    decision = library.select_chair(pid, expect["meeting"], expect.get("occurrence", 1), case=case,
                                    chair_absent=expect.get("chair_absent", False))
    roles = list(decision.roles) if decision else []
    if roles == list(expect["roles"]):
        return []
    return [(line, f"chair of {expect['meeting']} #{expect.get('occurrence', 1)}: {roles}, expected "
                   f"{expect['roles']}" + (f" ({decision.reason})" if decision else ""))]


def _check_instances(library: Library, pid: str, case: Case, spec: dict[str, Any], expect: dict[str, Any],
                     line: int) -> Problems:
    today = _date(spec.get("today"))
    if not isinstance(today, dt.date):
        # a scenario judged against the day it runs would pass one day and fail the next
        return [(line, "statuses depend on the date: give today = YYYY-MM-DD")]
    found = {(i.obligation, i.occurrence): i for i in library.schedule(pid, case, today).instances}
    key = (expect["obligation"], expect.get("occurrence", 1))
    instance = found.get(key)
    if instance is None:
        return [(line, f"no instance {key[0]} #{key[1]}")]
    problems: Problems = []
    for field in ("due", "done", "limit", "booked"):
        if field in expect and _date(expect[field]) != getattr(instance, field):
            problems.append((line, f"{key[0]} #{key[1]}: {field} {getattr(instance, field)}, "
                                   f"expected {expect[field]}"))
    if "status" in expect and instance.status.value != expect["status"]:
        problems.append((line, f"{key[0]} #{key[1]}: status {instance.status.value}, expected {expect['status']}"))
    if "late_by" in expect and instance.late_by != expect["late_by"]:
        problems.append((line, f"{key[0]} #{key[1]}: {instance.late_by} working days late, expected "
                               f"{expect['late_by']}"))
    if "booked_late_by" in expect and instance.booked_late_by != expect["booked_late_by"]:
        problems.append((line, f"{key[0]} #{key[1]}: booked {instance.booked_late_by} working days after its due "
                               f"date, expected {expect['booked_late_by']}"))
    if "note" in expect and str(expect["note"]) not in instance.note:
        problems.append((line, f"{key[0]} #{key[1]}: note {instance.note!r} does not contain {expect['note']!r}"))
    return problems


def _check_quorum(library: Library, pid: str, case: Case, spec: dict[str, Any], expect: dict[str, Any],
                  line: int) -> Problems:
    today = _date(spec.get("today"))
    if not isinstance(today, dt.date):
        return [(line, "a quorum check needs today = YYYY-MM-DD (only held meetings are checked)")]
    checks = {(q.meeting, q.date): q for q in library.schedule(pid, case, today).quorum}
    key = (expect.get("meeting"), _date(expect.get("date")))
    check = checks.get(key)
    if check is None:
        return [(line, f"no quorum check for {key[0]} on {key[1]} (does the event record attended = [...]?)")]
    problems: Problems = []
    if "quorate" in expect and check.quorate != expect["quorate"]:
        problems.append((line, f"{key[0]} {key[1]}: quorate {check.quorate}, expected {expect['quorate']} "
                               f"(missing: {'; '.join(check.missing) or 'nothing'})"))
    return problems


def _check_pathway(library: Library, pid: str, case: Case, spec: dict[str, Any], expect: dict[str, Any],
                   line: int) -> Problems:
    decision = library.escalation_pathway(pid, expect.get("concern"), case=case)
    if decision is None:
        return [(line, f"no escalation pathway for {expect.get('concern')!r}")]
    problems: Problems = []
    if "pathway" in expect and decision.pathway != expect["pathway"]:
        problems.append((line, f"pathway {decision.pathway}, expected {expect['pathway']}"))
    steps = [s.role or s.meeting for s in decision.steps]
    if "steps" in expect and steps != list(expect["steps"]):
        problems.append((line, f"steps {steps}, expected {expect['steps']}"))
    return problems
