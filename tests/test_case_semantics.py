"""Case semantics through the command line: held/booked/cancelled events, the plan's end, both
readings, quorum from attendance (the procedure is tests/worked/procedures/worked.toml)."""

from __future__ import annotations

import json
from pathlib import Path

import icalendar

WORKED = str(Path(__file__).parent / "worked" / "procedures")


def _schedule(run, tmp_path, body: str, today: str, fmt: str = "json"):
    path = tmp_path / "case.toml"
    path.write_text(body)
    return run("--plugin-dir", WORKED, "schedule", "worked", str(path), "--today", today, "--format", fmt)


def test_an_event_marked_held_after_today_is_read_as_booked_with_a_warning(run, tmp_path):
    # ICPC Mon 5 Feb 2024 "held" in a file judged on Thu 1 Feb: it cannot have happened yet.
    result = _schedule(run, tmp_path, 'id = "c"\n[[events]]\nevent = "strategy-discussion"\ndate = 2024-01-15\n'
                       '[[events]]\nevent = "icpc"\ndate = 2024-02-05\nstatus = "held"\n', "2024-02-01")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["warnings"] == ["icpc on 2024-02-05 is marked held but is after today (2024-02-01): only a "
                                "booking can be dated after today, so it is read as booked"]
    icpc = next(i for i in data["instances"] if i["obligation"] == "icpc")
    assert (icpc["status"], icpc["done"], icpc["booked"]) == ("due", None, "2024-02-05")
    text = _schedule(run, tmp_path, (tmp_path / "case.toml").read_text(), "2024-02-01", "text").stdout
    assert "warning: icpc on 2024-02-05 is marked held" in text and "booked for 2024-02-05" in text


def test_a_bad_event_status_is_located(run, tmp_path):
    result = _schedule(run, tmp_path, 'id = "c"\n[[events]]\nevent = "icpc"\ndate = 2024-02-05\nstatus = "done"\n',
                       "2024-03-01")
    assert result.exit_code == 1
    assert 'case.toml:5:10: bad-value: status "done" of event "icpc" is not one of held, booked, cancelled' \
        in result.output


def test_schedule_json_lists_quorum_limits_and_bookings(run, tmp_path):
    result = _schedule(run, tmp_path, '''id = "c"
[[events]]
event = "icpc"
date = 2024-02-05
attended = ["childrens-social-care", "police"]
[[events]]
event = "core-group"
date = 2024-02-15
[[events]]
event = "core-group"
date = 2024-03-14
status = "booked"
''', "2024-02-08")
    data = json.loads(result.stdout)
    assert data["quorum"] == [{"meeting": "icpc", "date": "2024-02-05", "quorate": False,
                               "attended": ["childrens-social-care", "police"],
                               "missing": ["1 more agencies (at least 3 in all)"], "proceeded": False,
                               "note": "held without a quorum, and the case does not record the decision to "
                                       "proceed"}]
    visit = next(i for i in data["instances"] if i["obligation"] == "first-visit")
    # "5 days" from Mon 5 Feb: Sat 10 Feb as written, Mon 12 Feb in working days
    assert (visit["due"], visit["limit"], visit["status"]) == ("2024-02-10", "2024-02-12", "due")
    # on Thu 8 Feb the core group of Thu 15 Feb is still a booking: the first core group is due
    # 10 working days after the ICPC (Mon 19 Feb), booked for the 15th
    core = next(u for u in data["upcoming"] if u["meeting"] == "core-group")
    assert (core["due"], core["booked"]) == ("2024-02-19", "2024-02-15")


def test_ics_leaves_out_the_meetings_of_an_ended_plan(run, tmp_path):
    body = '''id = "c"
[[events]]
event = "icpc"
date = 2024-02-05
[[events]]
event = "core-group"
date = 2024-02-15
'''
    running = _schedule(run, tmp_path, body, "2024-03-01", "ics")
    ended = _schedule(run, tmp_path, body + '[[events]]\nevent = "plan-ends"\ndate = 2024-03-01\n', "2024-03-01",
                      "ics")
    summaries = lambda r: [str(c.get("summary")) for c in icalendar.Calendar.from_ical(r.stdout).walk("VEVENT")]  # noqa: E731
    assert any("ore group" in s for s in summaries(running))
    assert not any("ore group" in s for s in summaries(ended))
    assert not any("eview" in s for s in summaries(ended))


def test_audit_reads_status_and_attribute_columns(run, tmp_path):
    # A: the ICPC is only booked (overdue on 2024-03-01). B: held. C: the ICPC row is held after today
    # (rejected, with its line). D: the second strategy discussion initiated the enquiry.
    path = tmp_path / "cases.csv"
    path.write_text("case_id,event,date,status,s47-initiated\n"
                    "A,strategy-discussion,2024-01-08,,\nA,icpc,2024-01-26,booked,\n"
                    "B,strategy-discussion,2024-01-08,,\nB,icpc,2024-01-26,held,\n"
                    "C,strategy-discussion,2024-01-08,,\nC,icpc,2024-03-05,held,\n"
                    "D,strategy-discussion,2024-01-08,,\nD,strategy-discussion,2024-01-15,,yes\nD,icpc,2024-02-01,,\n"
                    "E,core-group,2024-01-10,cancelled,\n")
    result = run("--plugin-dir", WORKED, "audit", "worked", str(path), "--today", "2024-03-01", "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert (data["rows_read"], data["rows_used"], len(data["rejected"])) == (10, 9, 1)
    assert data["rejected"][0]["line"] == 7 and "marked held but is after today" in data["rejected"][0]["message"]
    icpc = {i["case_id"]: i for i in data["instances"] if i["obligation"] == "icpc"}
    assert icpc["A"]["status"] == "overdue" and icpc["B"]["status"] == "met"
    # counted from Mon 15 Jan (the marked one): due Mon 5 Feb, held Thu 1 Feb
    assert (icpc["D"]["due"], icpc["D"]["status"]) == ("2024-02-05", "met")
    assert "E" not in {i["case_id"] for i in data["instances"]}


def test_audit_counts_met_on_the_lenient_reading_apart(run, tmp_path):
    # first-visit: "5 days" (Sat 10 Feb) or 5 working days (Mon 12 Feb) after an ICPC of Mon 5 Feb
    path = tmp_path / "cases.csv"
    path.write_text("case_id,event,date\nA,icpc,2024-02-05\nA,first-visit,2024-02-09\n"
                    "B,icpc,2024-02-05\nB,first-visit,2024-02-12\n")
    result = run("--plugin-dir", WORKED, "audit", "worked", str(path), "--today", "2024-03-01", "--format", "json")
    summary = next(s for s in json.loads(result.stdout)["summary"] if s["obligation"] == "first-visit")
    assert (summary["met"], summary["met-lenient"], summary["compliance"], summary["compliance_lenient"]) == \
        (1, 1, 0.5, 1.0)
    text = run("--plugin-dir", WORKED, "audit", "worked", str(path), "--today", "2024-03-01").stdout
    assert "met only on the lenient reading" in text


def test_scotland_unborn_child_cppm_by_28_weeks_of_pregnancy(run, tmp_path):
    # Concern raised Mon 2 Sep 2024; baby expected Fri 6 Dec 2024. 28 calendar days after the concern:
    # Mon 30 Sep. 28 weeks of pregnancy: 12 weeks before the expected birth, Fri 13 Sep 2024.
    # Whichever is sooner: Fri 13 Sep.
    path = tmp_path / "unborn.toml"
    path.write_text('id = "u"\nconditions = ["pre-birth"]\n[[events]]\nevent = "pre-birth-concern"\n'
                    'date = 2024-09-02\n[[events]]\nevent = "expected-birth"\ndate = 2024-12-06\n')
    result = run("schedule", "scotland", str(path), "--today", "2024-09-10", "--format", "json", real_plugins=True)
    assert result.exit_code == 0, result.output
    cppm = next(i for i in json.loads(result.stdout)["instances"] if i["obligation"] == "pre-birth-cppm")
    assert (cppm["due"], cppm["status"]) == ("2024-09-13", "due")
