"""Croydon scenarios, worked by hand from the guidance (sources/core-group-guidance-2011.txt).

The plugin is used as installed; its hooks decide the chair and the next core group.
"""

from __future__ import annotations

import datetime as dt

import pytest

from procedurekit import Library
from procedurekit.model import Case

D = dt.date
PID = "croydon"


@pytest.fixture(scope="module")
def library(procedure_library) -> Library:
    assert procedure_library.errors(PID) == []
    return procedure_library



def next_core_group(library, c: Case):
    return library.next_meeting_date(PID, "core-group", c)


def chair_of_next(library, c: Case):
    return library.select_chair(PID, "core-group", len(c.occurrences("core-group")) + 1, case=c)






def test_after_each_review_conference_the_first_core_group_is_chaired_by_the_team_leader(library):
    # Review conference Tue 28 May 2024 (Mon 27 May a bank holiday): + 10 working days:
    # 29, 30, 31 May (1-3), 3-7 Jun (4-8), 10 (9), 11 (10) -> Tue 11 Jun 2024.
    c = Case.from_events([("icpc", D(2024, 3, 4)), ("core-group", D(2024, 3, 11)), ("core-group", D(2024, 4, 22)),
                          ("rcpc", D(2024, 5, 28))])
    due, date = next_core_group(library, c)
    assert due.obligation == "core-group-after-review" and date == D(2024, 6, 11)
    chair = chair_of_next(library, c)
    assert chair.roles == ("team-leader", "operational-manager")
    assert "2024-05-28" in chair.reason
    # the TOML alone would say "key worker": this is the fourth core group of the case
    assert library.get(PID).meetings["core-group"].chair.rule_for(4).roles == ("lead-social-worker",)






def test_minutes_within_seven_working_days_and_exclusion_decision(library):
    proc = library.get(PID)
    record = proc.obligations["core-group-record"]
    # Core group Thu 19 Dec 2024: 20, 23, 24 (1-3), 25/26 Christmas, 27, 30, 31 (4-6), 2 Jan (7) -> Thu 2 Jan 2025.
    assert library.calendar(PID).add(D(2024, 12, 19), record.within) == D(2025, 1, 2)
    exclusion = proc.obligations["exclusion-decision"]
    assert exclusion.owner == "team-leader" and exclusion.strength.value == "may"
    assert exclusion.when == ("family-member-prevents-functioning",)




def test_first_core_group_rule_is_tighter_in_strength_than_england(library):
    croydon, england = library.get(PID), library.get("england")
    assert croydon.obligations["core-group-first"].strength.value == "must"
    assert england.obligations["core-group-first"].strength.value == "should"
    assert not [d for d in library.problems(PID) if d.code == "relaxes-floor"]
