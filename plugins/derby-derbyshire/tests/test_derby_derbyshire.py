"""Derby and Derbyshire scenarios, worked by hand from the chapter (sources/implementation-of-cp-plans-v6.txt)."""

from __future__ import annotations

import datetime as dt

import pytest

from procedurekit import Library
from procedurekit.model import Case, CaseEvent

D = dt.date
PID = "derby-derbyshire"


@pytest.fixture(scope="module")
def library() -> Library:
    library = Library.load()
    assert library.entry(PID).plugin == "derby-derbyshire" and library.errors(PID) == []
    return library


def case(*events: tuple[str, dt.date]) -> Case:
    return Case("c", tuple(CaseEvent(e, d) for e, d in events))


def test_absent_lead_social_worker_another_member_chairs_and_records(library):
    present = library.select_chair(PID, "core-group", 3)
    assert present.roles == ("lead-social-worker",)
    absent = library.select_chair(PID, "core-group", 3, chair_absent=True)
    assert absent.roles == ("core-group-member",)
    assert "also records" in absent.reason
    assert "chair and record the meeting" in absent.source[0].quote
    # and the meeting goes ahead: absence of one member does not make it inquorate
    quorum = library.get(PID).meetings["core-group"].quorum
    assert quorum.minimum is None and "including the social worker" in quorum.proceed_if[0]


def test_first_core_group_within_10_days_read_as_working_days(library):
    # ICPC Thu 19 Dec 2024: 20 (1), 23 (2), 24 (3), [25, 26 Christmas], 27 (4), 30 (5), 31 (6),
    # [1 Jan], 2 (7), 3 (8), 6 (9), 7 (10) -> Tue 7 Jan 2025.
    due, date = library.next_meeting_date(PID, "core-group", case(("icpc", D(2024, 12, 19))))
    assert due.obligation == "core-group-first" and date == D(2025, 1, 7)
    assert "working days" in library.get(PID).obligations["core-group-first"].interpretation


def test_record_and_plan_copies_within_5_working_days(library):
    proc, cal = library.get(PID), library.calendar(PID)
    # First core group Fri 24 May 2024 (Mon 27 May spring bank holiday): 28 (1), 29, 30, 31, 3 Jun (5) -> Mon 3 Jun.
    assert cal.add(D(2024, 5, 24), proc.obligations["plan-circulated"].within) == D(2024, 6, 3)
    assert cal.add(D(2024, 5, 24), proc.obligations["core-group-record"].within) == D(2024, 6, 3)
    assert proc.obligations["plan-circulated"].anchor.value == "first"


def test_reviews_three_then_six_months(library):
    # ICPC Fri 30 Aug 2024 + 3 months -> Sat 30 Nov 2024 (stands; not a working day).
    due, date = library.next_meeting_date(PID, "rcpc", case(("icpc", D(2024, 8, 30))))
    assert due.obligation == "rcpc-first" and date == D(2024, 11, 30)
    assert library.calendar(PID).why_not_working(date) == "Saturday"
    # Review held Wed 27 Nov 2024 -> next by Tue 27 May 2025.
    due, date = library.next_meeting_date(PID, "rcpc", case(("icpc", D(2024, 8, 30)), ("rcpc", D(2024, 11, 27))))
    assert due.obligation == "rcpc-subsequent" and date == D(2025, 5, 27)


def test_escalation_pathways(library):
    route = library.escalation_pathway(PID, "difficulties implementing the plan")
    assert route.pathway == "implementation-difficulties"
    assert [s.role or s.meeting for s in route.steps] == [
        "line-manager", "lead-social-worker", "child-protection-manager", "core-group", "strategy-discussion"]
    dispute = library.escalation_pathway(PID, "disagreement between agencies")
    assert dispute.pathway == "professional-disagreement" and dispute.steps[-1].role == "safeguarding-lead"


def test_implementation_immediately_and_rights(library):
    proc = library.get(PID)
    assert proc.obligations["implementation-starts"].timescale.value == "immediately"
    assert set(proc.rights) >= {"complaints", "dissent-recorded", "preferences-explained"}
