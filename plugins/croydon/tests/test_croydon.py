"""Croydon scenarios, worked by hand from the guidance (sources/core-group-guidance-2011.txt).

The plugin is used as installed; its hooks decide the chair and the next core group.
"""

from __future__ import annotations

import datetime as dt

import pytest

from procedurekit import Library
from procedurekit.model import Case, CaseEvent, Timescale

D = dt.date
PID = "croydon"


@pytest.fixture(scope="module")
def library() -> Library:
    library = Library.load()
    assert library.entry(PID).plugin == "croydon" and library.errors(PID) == []
    return library


def case(*events: tuple[str, dt.date]) -> Case:
    return Case("c", tuple(CaseEvent(e, d) for e, d in events))


def next_core_group(library, c: Case):
    return library.next_meeting_date(PID, "core-group", c)


def chair_of_next(library, c: Case):
    return library.select_chair(PID, "core-group", len(c.occurrences("core-group")) + 1, case=c)


def test_first_core_group_within_10_working_days_chaired_by_team_leader(library):
    # ICPC Mon 4 Mar 2024 + 10 working days: 5-8 Mar (1-4), 11-15 (5-9), 18 (10) -> Mon 18 Mar.
    c = case(("icpc", D(2024, 3, 4)))
    due, date = next_core_group(library, c)
    assert due.obligation == "core-group-first" and date == D(2024, 3, 18)
    assert due.decided_by == "croydon"
    chair = chair_of_next(library, c)
    assert chair.roles == ("team-leader", "operational-manager") and chair.strength.value == "must"
    assert chair.decided_by == "croydon"


def test_second_core_group_within_six_weeks_chaired_by_key_worker(library):
    # First core group Mon 11 Mar 2024 + 6 weeks -> Mon 22 Apr 2024.
    c = case(("icpc", D(2024, 3, 4)), ("core-group", D(2024, 3, 11)))
    due, date = next_core_group(library, c)
    assert due.obligation == "core-group-second" and date == D(2024, 4, 22)
    assert chair_of_next(library, c).roles == ("lead-social-worker",)
    # a third before the first review: no interval is stated, none is invented
    c3 = case(("icpc", D(2024, 3, 4)), ("core-group", D(2024, 3, 11)), ("core-group", D(2024, 4, 15)))
    due, date = next_core_group(library, c3)
    assert due.timescale is Timescale.SET_PER_CASE and date is None


def test_after_each_review_conference_the_first_core_group_is_chaired_by_the_team_leader(library):
    # Review conference Tue 28 May 2024 (Mon 27 May a bank holiday): + 10 working days:
    # 29, 30, 31 May (1-3), 3-7 Jun (4-8), 10 (9), 11 (10) -> Tue 11 Jun 2024.
    c = case(("icpc", D(2024, 3, 4)), ("core-group", D(2024, 3, 11)), ("core-group", D(2024, 4, 22)),
             ("rcpc", D(2024, 5, 28)))
    due, date = next_core_group(library, c)
    assert due.obligation == "core-group-after-review" and date == D(2024, 6, 11)
    chair = chair_of_next(library, c)
    assert chair.roles == ("team-leader", "operational-manager")
    assert "2024-05-28" in chair.reason
    # the TOML alone would say "key worker": this is the fourth core group of the case
    assert library.get(PID).meetings["core-group"].chair.rule_for(4).roles == ("lead-social-worker",)


def test_every_two_months_after_the_first_review(library):
    # Core group held straight after the review on Tue 28 May 2024: next within 2 months -> Sun 28 Jul 2024,
    # which stands (a non-working day, flagged by the calendar).
    c = case(("icpc", D(2024, 3, 4)), ("core-group", D(2024, 3, 11)), ("rcpc", D(2024, 5, 28)),
             ("core-group", D(2024, 5, 28)))
    due, date = next_core_group(library, c)
    assert due.obligation == "core-group-subsequent" and date == D(2024, 7, 28)
    assert library.calendar(PID).why_not_working(date) == "Sunday"
    # and chaining from the actual date: the next after a core group on Fri 19 Jul -> Thu 19 Sep
    later = case(*[(e.event, e.date) for e in c.events], ("core-group", D(2024, 7, 19)))
    assert next_core_group(library, later)[1] == D(2024, 9, 19)


def test_school_move_brings_a_core_group_at_the_new_school(library):
    # School move Mon 25 Mar 2024 + 10 working days (Good Friday 29 Mar, Easter Monday 1 Apr):
    # 26-28 Mar (1-3), 2-5 Apr (4-7), 8-10 Apr (8-10) -> Wed 10 Apr, sooner than 22 Apr (six weeks).
    c = case(("icpc", D(2024, 3, 4)), ("core-group", D(2024, 3, 11)), ("school-move", D(2024, 3, 25)))
    due, date = next_core_group(library, c)
    assert due.obligation == "school-move-core-group" and date == D(2024, 4, 10)
    assert library.get(PID).obligations["school-move-core-group"].note == "Held at the new school."


def test_minutes_within_seven_working_days_and_exclusion_decision(library):
    proc = library.get(PID)
    record = proc.obligations["core-group-record"]
    # Core group Thu 19 Dec 2024: 20, 23, 24 (1-3), 25/26 Christmas, 27, 30, 31 (4-6), 2 Jan (7) -> Thu 2 Jan 2025.
    assert library.calendar(PID).add(D(2024, 12, 19), record.within) == D(2025, 1, 2)
    exclusion = proc.obligations["exclusion-decision"]
    assert exclusion.owner == "team-leader" and exclusion.strength.value == "may"
    assert exclusion.when == ("family-member-prevents-functioning",)


def test_escalation_pathways(library):
    route = library.escalation_pathway(PID, "conflict between agencies")
    assert route.pathway == "conflict-between-agencies" and route.steps[0].role == "conference-chair"
    concerns = library.escalation_pathway(PID, "concerns about the child's safety")
    assert [s.role or s.meeting for s in concerns.steps] == [
        "line-manager", "lead-social-worker", "conference-chair", "team-leader", "rcpc"]


def test_first_core_group_rule_is_tighter_in_strength_than_england(library):
    croydon, england = library.get(PID), library.get("england")
    assert croydon.obligations["core-group-first"].strength.value == "must"
    assert england.obligations["core-group-first"].strength.value == "should"
    assert not [d for d in library.problems(PID) if d.code == "relaxes-floor"]
