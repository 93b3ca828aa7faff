"""Warrington scenarios, worked by hand from the procedure text (sources/cp-conferences-and-core-groups.txt).

The plugin is used as installed (entry point ``warrington``), as an application would.
"""

from __future__ import annotations

import datetime as dt

import pytest

from procedurekit import Library
from procedurekit.model import Case, Timescale

D = dt.date
PID = "warrington"


@pytest.fixture(scope="module")
def library(procedure_library) -> Library:
    assert procedure_library.errors(PID) == []
    return procedure_library






def test_first_review_and_later_reviews(library):
    # ICPC Tue 12 Mar 2024: first review within 3 months -> Wed 12 Jun 2024.
    first = Case.from_events([("icpc", D(2024, 3, 12))])
    due, date = library.next_meeting_date(PID, "rcpc", first)
    assert due.obligation == "rcpc-first" and date == D(2024, 6, 12)
    # Review held early, Mon 3 Jun 2024: the next within 6 months of the actual date -> Tue 3 Dec 2024.
    later = Case.from_events([("icpc", D(2024, 3, 12)), ("rcpc", D(2024, 6, 3))])
    due, date = library.next_meeting_date(PID, "rcpc", later)
    assert due.obligation == "rcpc-subsequent" and date == D(2024, 12, 3)




def test_agency_report_has_two_deadlines_before_the_conference(library):
    proc, cal = library.get(PID), library.calendar(PID)
    report = proc.obligations["agency-report"]
    emailed = proc.obligations["agency-report-emailed"]
    assert report.document == emailed.document == "agency-report"
    # Conference Tue 2 Apr 2024 (Easter Monday 1 Apr, Good Friday 29 Mar): 2 working days before -> Wed 27 Mar.
    assert cal.add(D(2024, 4, 2), report.within, before=True) == D(2024, 3, 27)
    # E-mail 24 hours before a 10:00 conference -> 10:00 Mon 1 Apr.
    assert cal.add(dt.datetime(2024, 4, 2, 10), emailed.within, before=True) == dt.datetime(2024, 4, 1, 10)
    # "before the conference" means the initial, review or pre-birth conference
    assert set(proc.expand_event(report.before)) == {"icpc", "rcpc", "pre-birth-conference"}


def test_quorum_and_inquorate_conference(library):
    proc = library.get(PID)
    quorum = proc.meetings["icpc"].quorum
    assert quorum.minimum == 3 and quorum.required == ("childrens-social-care",)
    assert len(quorum.proceed_if) == 3 and quorum.decided_by == "conference-chair"
    early = proc.obligations["inquorate-early-review"]
    assert early.when == ("inquorate",) and early.timescale is Timescale.UNSPECIFIED
    # an inquorate initial conference: the early review has no number, so no invented date
    inquorate = Case.from_events([("icpc", D(2024, 3, 12))], conditions=("inquorate",))
    due, date = library.next_meeting_date(PID, "rcpc", inquorate)
    assert due.obligation == "inquorate-early-review" and due.timescale is Timescale.UNSPECIFIED
    assert date is None


def test_chair_is_the_independent_conference_chair(library):
    decision = library.select_chair(PID, "icpc")
    assert decision.roles == ("conference-chair",)
    assert "independent" in decision.reason


def test_bring_forward_triggers(library):
    triggers = library.get(PID).triggers
    assert len(triggers) == 7
    assert all(t.meeting == "rcpc" and t.action == "bring-forward" for t in triggers.values())
    assert triggers["early-end-considered"].raised_by == "core-group-member"
