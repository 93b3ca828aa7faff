"""Milton Keynes scenarios, worked by hand from the chapter (sources/child-protection-plans.txt)."""

from __future__ import annotations

import datetime as dt

import pytest

from procedurekit import Library

D = dt.date
PID = "milton-keynes"


@pytest.fixture(scope="module")
def library(procedure_library) -> Library:
    assert procedure_library.errors(PID) == []
    return procedure_library


def test_minutes_and_revised_plan_within_five_working_days(library):
    proc, cal = library.get(PID), library.calendar(PID)
    minutes = proc.obligations["core-group-minutes"]
    assert set(minutes.recipients) == {"core-group-member", "conference-chair"}
    # Core group Thu 22 Aug 2024 (Mon 26 Aug summer bank holiday): 23 (1), 27, 28, 29, 30 (5) -> Fri 30 Aug.
    assert cal.add(D(2024, 8, 22), minutes.within) == D(2024, 8, 30)
    # Core group Fri 20 Dec 2024: 23 (1), 24 (2), [25, 26], 27 (3), 30 (4), 31 (5) -> Tue 31 Dec.
    assert cal.add(D(2024, 12, 20), minutes.within) == D(2024, 12, 31)




def test_outline_plan_at_every_conference_has_no_invented_date(library):
    proc = library.get(PID)
    for ob_id, event in (("outline-plan-icpc", "icpc"), ("outline-plan-rcpc", "rcpc")):
        ob = proc.obligations[ob_id]
        assert ob.after == event and ob.timescale.value == "immediately" and ob.strength.value == "must"
    assert len(proc.documents["outline-plan"].contents) == 7


def test_dissent_and_complaints(library):
    rights = library.get(PID).rights
    assert rights["dissent-recorded"].strength.value == "must"
    assert set(rights["dissent-recorded"].holders) == {"parent", "child", "professional"}
    assert rights["complaints"].strength.value == "must"


def test_no_relaxation_of_the_floor(library):
    assert [d for d in library.problems(PID) if d.code == "relaxes-floor"] == []


def test_case_semantics_of_the_chapter(library):
    proc = library.get(PID)
    # 3.19 'using an interpreter if required': a professional's judgement, not a fact of the case
    assert proc.conditions["interpreter-required"].judgement
    assert set(proc.obligations["child-interpreter"].when) == {"interpreter-required"}
    # 3.25 'or if not possible': a circumstance of the case
    assert not proc.conditions["commitment-not-possible"].judgement
    # 3.6 'an agenda item at each review conference': due the day of each review
    agenda = proc.obligations["plan-on-review-agenda"]
    assert agenda.after == "rcpc" and agenda.timescale.value == "immediately"
    # the plan's standing duties end with it
    for ob_id in ("roles-clear", "detailed-plan", "core-group-reviews-plan", "plan-clarifies-expectations",
                  "no-reduction-without-conference", "deliver-commitments", "renegotiate-commitments"):
        assert proc.period_of(proc.obligations[ob_id]) == "plan", ob_id
    # 3.24's minutes follow the core group, not the plan's life; the chapter has no bare 'N days'
    assert proc.period_of(proc.obligations["core-group-minutes"]) is None
    assert all(not ob.readings for ob in proc.obligations.values())
    assert all(ob.gestation is None for ob in proc.obligations.values())
