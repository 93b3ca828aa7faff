"""Derby and Derbyshire scenarios, worked by hand from the chapter (sources/implementation-of-cp-plans-v6.txt)."""

from __future__ import annotations

import datetime as dt

import pytest

from procedurekit import Library

D = dt.date
PID = "derby-derbyshire"
V6 = "derby-derbyshire@6"  # the scenarios are worked from version 6 and dated before it: judged by it alone


@pytest.fixture(scope="module")
def library(procedure_library) -> Library:
    assert procedure_library.errors(PID) == []
    return procedure_library


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




def test_record_within_5_days_on_either_reading_and_plan_copies_within_5_working_days(library):
    proc, cal = library.get(PID), library.calendar(PID)
    # First core group Fri 24 May 2024 (Mon 27 May spring bank holiday): 28 (1), 29, 30, 31, 3 Jun (5) -> Mon 3 Jun.
    assert cal.add(D(2024, 5, 24), proc.obligations["plan-circulated"].within) == D(2024, 6, 3)
    record = proc.obligations["core-group-record"]
    # "within 5 days": as written Wed 29 May; on the chapter's other 5-day reading, working days: Mon 3 Jun
    assert cal.add(D(2024, 5, 24), record.within) == D(2024, 5, 29) and record.basis.value == "literal"
    (other,) = record.readings
    assert other.basis.value == "local" and cal.add(D(2024, 5, 24), other.within) == D(2024, 6, 3)
    assert "within 5 working days" in other.source[0].quote
    assert proc.obligations["plan-circulated"].anchor.value == "first"






def test_implementation_immediately_and_rights(library):
    proc = library.get(PID)
    assert proc.obligations["implementation-starts"].timescale.value == "immediately"
    assert set(proc.rights) >= {"complaints", "dissent-recorded", "preferences-explained"}


def test_lead_social_worker_is_owed_at_initial_and_pre_birth_conferences_not_at_reviews(library):
    from procedurekit import Case

    # ICPC Mon 4 Mar 2024, review Tue 4 Jun 2024: one instance, due the day of the ICPC
    case = Case.from_events([("icpc", D(2024, 3, 4)), ("rcpc", D(2024, 6, 4))], id="lsw")
    result = library.schedule(V6, case, D(2024, 6, 10))
    mine = [i for i in result.instances if i.obligation == "appoint-lead-social-worker"]
    assert [(i.anchor_date, i.due) for i in mine] == [(D(2024, 3, 4), D(2024, 3, 4))]
    membership = [i for i in result.instances if i.obligation == "core-group-membership"]
    assert [i.due for i in membership] == [D(2024, 3, 4)]


def test_judgements_are_declared_as_such(library):
    proc = library.get(PID)
    assert proc.conditions["embassy-needed"].judgement and proc.conditions["family-circulation-appropriate"].judgement
    assert not proc.conditions["foreign-links"].judgement
    assert proc.obligations["inform-embassy"].when == ("foreign-links", "embassy-needed")
