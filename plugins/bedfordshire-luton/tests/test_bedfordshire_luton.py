"""Bedford Borough, Central Bedfordshire and Luton scenarios, worked by hand from the chapter
(sources/cp-plans-and-core-groups.txt)."""

from __future__ import annotations

import datetime as dt

import pytest

from procedurekit import Library
from procedurekit.model import Case

D = dt.date
PID = "bedfordshire-luton"


@pytest.fixture(scope="module")
def library(procedure_library) -> Library:
    assert procedure_library.errors(PID) == []
    return procedure_library



def test_first_core_group_within_10_working_days_but_not_immediately(library):
    # ICPC Tue 16 Apr 2024: 17-19 (1-3), 22-26 (4-8), 29, 30 (9, 10) -> Tue 30 Apr 2024.
    due, date = library.next_meeting_date(PID, "core-group", Case.from_events([("icpc", D(2024, 4, 16))]))
    assert due.obligation == "core-group-first" and date == D(2024, 4, 30)
    rule = library.get(PID).obligations["core-group-first"]
    # "should not be held immediately after the conference": a lower bound, read as not the same day
    assert rule.not_immediately and "not on the same day" in rule.interpretation




def test_chair_is_a_core_group_member_and_minutes_not_by_the_chair(library):
    # "The Core Group meeting should: ... Be chaired by a member of the Core Group": the first core
    # group's list; "Subsequent Core Group meetings" and "All Core Group meetings" name no chair.
    assert library.select_chair(PID, "core-group", 1).roles == ("core-group-member",)
    assert library.select_chair(PID, "core-group", 2) is None
    minutes = library.get(PID).meetings["core-group"].minutes
    assert minutes.not_chair and minutes.by == ("core-group-member",)
    # Minutes: core group Thu 2 May 2024 + 5 working days (Mon 6 May bank holiday) -> Fri 10 May.
    ob = library.get(PID).obligations["core-group-minutes"]
    assert library.calendar(PID).add(D(2024, 5, 2), ob.within) == D(2024, 5, 10)




def test_lower_bound_is_a_tightening_of_the_floor_not_a_relaxation(library):
    from procedurekit.calendars import procedure_calendar
    from procedurekit.compare.diff import Change, compare_items

    england, local = library.get("england"), library.get(PID)
    diffs = compare_items("obligations", "core-group-first", england.obligations["core-group-first"],
                          local.obligations["core-group-first"], england, local,
                          procedure_calendar(england), procedure_calendar(local))
    assert [(d.aspect, d.change) for d in diffs] == [("lower bound", Change.STRICTER)]
    assert [d for d in library.problems(PID) if d.code == "relaxes-floor"] == []


def test_every_timescale_of_the_text_has_its_unit(library):
    # The chapter gives no bare "N days": its three numbers are "10 working days", "5 working days"
    # and "20 working days", so no rule carries a second reading.
    procedure = library.get(PID)
    own = {"core-group-first": "10 working days", "core-group-minutes": "5 working days",
           "child-in-need-meeting": "20 working days"}
    for key, within in own.items():
        rule = procedure.obligations[key]
        assert str(rule.within) == within and not rule.readings


def test_family_group_meeting_after_the_plan_ended_needs_no_core_group_agreement(library):
    # Plan ends Fri 13 Dec 2024; Family Group Meeting Thu 9 Jan 2025. The core group's agreement
    # (before the meeting, during the plan) would be due Wed 8 Jan 2025, after the plan ended:
    # engine.md: "an instance due after the end and not done by it is not-applicable".
    case = Case.from_events([("icpc", D(2024, 6, 3)), ("plan-ends", D(2024, 12, 13)),
                             ("family-group-meeting", D(2025, 1, 9))], id="BL-FGM")
    found = {i.obligation: i for i in library.schedule(PID, case, D(2025, 1, 20)).instances}
    agreement = found["fgm-agreed-by-core-group"]
    assert agreement.due == D(2025, 1, 8)
    assert agreement.status.value == "not-applicable"
