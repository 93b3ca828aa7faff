"""The public API: what `import procedurekit` offers, short reprs, and the case constructor."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

import procedurekit
from procedurekit import Case, Library, Status

D = dt.date


@pytest.fixture(scope="module")
def library() -> Library:
    return Library.load()


def test_dir_lists_the_lazily_exported_names():
    names = dir(procedurekit)
    for name in ("Library", "Case", "CaseEvent", "Status", "Schedule", "due_date", "MeetingDue", "hookimpl",
                 "load_case", "Timing", "__version__"):
        assert name in names
    assert set(procedurekit.__all__) <= set(names)
    for name in procedurekit.__all__:
        assert getattr(procedurekit, name) is not None


def test_importing_the_package_loads_no_submodule_until_asked():
    code = "import sys, procedurekit; print(sorted(m for m in sys.modules if m.startswith('procedurekit.')))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_reprs_are_short_and_say_what_the_object_is(library):
    england = library.get("england")
    assert repr(england).startswith("<Procedure 'england'") and "obligations" in repr(england)
    assert len(repr(england)) < 200
    assert repr(library).startswith("<Library: ") and len(repr(library)) < 200
    assert repr(library.plan("england")).startswith("<Plan england: ")
    assert len(repr(library.entry("croydon"))) < 300
    from procedurekit.compare.diff import compare_matrix, compare_procedures

    comparison = compare_procedures(library.get("warrington"), library.get("croydon"))
    assert repr(comparison).startswith("<Comparison warrington -> croydon: ") and len(repr(comparison)) < 200
    assert "stricter" in repr(comparison) and repr(comparison.items[0]).startswith("<ItemComparison ")
    matrix = compare_matrix(england, [library.get("croydon"), library.get("warrington")])
    assert repr(matrix).startswith("<Matrix against england: 2 procedures")


def test_case_from_events_orders_occurrences_and_keeps_attributes():
    case = Case.from_events([("core-group", D(2024, 4, 2)), ("icpc", D(2024, 3, 4), {"inquorate": True}),
                             ("core-group", D(2024, 3, 11))], id="C-1", conditions=["pre-birth"],
                            settings={"core-group-subsequent": "4 weeks"})
    assert case.id == "C-1" and case.conditions == frozenset({"pre-birth"})
    assert [e.date for e in case.occurrences("core-group")] == [D(2024, 3, 11), D(2024, 4, 2)]
    assert case.occurrences("icpc")[0].attributes == {"inquorate": True}
    assert case.settings == {"core-group-subsequent": "4 weeks"}


def test_schedule_and_next_meeting_through_the_library(library):
    # England: ICPC Tue 28 May 2024; first core group within 10 working days: Tue 11 June (27 May is a holiday,
    # but counting starts the day after the conference)
    case = Case.from_events([("strategy-discussion", D(2024, 5, 2)), ("icpc", D(2024, 5, 28))])
    result = library.schedule("england", case, D(2024, 5, 29))
    (core,) = [i for i in result.instances if i.obligation == "core-group-first"]
    assert core.due == D(2024, 6, 11) and core.status is Status.DUE
    due, date = library.next_meeting_date("england", "core-group", case)
    assert due.obligation == "core-group-first" and date == core.due
    upcoming = {meeting: date for meeting, _, date, _ in result.upcoming}
    assert upcoming["core-group"] == core.due


def test_due_date_for_hooks_agrees_with_the_schedule(library):
    from procedurekit import MeetingDue, due_date

    # England's later reviews: every 6 months from the last review, until the plan ends
    england = library.get("england")
    case = Case.from_events([("icpc", D(2024, 3, 4)), ("rcpc", D(2024, 5, 30)), ("rcpc", D(2024, 11, 20))])
    due = MeetingDue.for_obligation("rcpc", "rcpc-subsequent", england.obligations["rcpc-subsequent"])
    scheduled = [i for i in library.schedule("england", case, D(2025, 1, 6)).instances
                 if i.obligation == "rcpc-subsequent" and i.done is None]
    assert due_date(england, case, due) == scheduled[0].due == D(2025, 5, 20)
    # once the plan has ended nothing is outstanding under a rule that runs until it ends
    ended = Case.from_events([*((e.event, e.date) for e in case.events), ("plan-ends", D(2025, 1, 6))])
    assert due_date(england, ended, due) is None
