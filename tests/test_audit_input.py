"""An audit survives any row: each bad line is one rejected row with its line number, and the counts add up;
outputs cannot inject into a spreadsheet or merge calendar events (issue 13)."""

from __future__ import annotations

import csv
import io
import json

import icalendar
import pytest

GOOD = b"C1,icpc,2024-02-05\n"


@pytest.mark.parametrize(("line", "reason"), [
    (b'C2,"icpc,2024-02-05\n', "a quote (\") is not closed on this line"),
    (b"C2,ic\xe9pc,2024-02-05\n", "byte 0xe9 is not UTF-8"),
    (b"C2,icpc,2024-02-05\x00\n", "NUL byte"),
    (b"C2,icpc,2024-02-05,x,y\n", "row has 5 fields; the header has 3"),
    (b"C2," + b"a" * (10 * 1024 * 1024) + b",2024-02-05\n", "a row may be at most 65,536"),
    (b"C2,icpc,2738-03-01\n", "after the year 2737"),
    (b"C2,icpc\n", "row has 2 fields"),
])
@pytest.mark.parametrize("fmt", ["text", "json", "csv"])
def test_one_bad_line_is_one_rejected_row(run, tmp_path, line, reason, fmt):
    path = tmp_path / "cases.csv"
    path.write_bytes(b"case_id,event,date\n" + GOOD + line + b"C3,icpc,2024-02-06\r\n" + b"C4,icpc,2024-02-07")
    result = run("audit", "england", str(path), "--today", "2024-06-01", "--format", fmt)
    assert result.exit_code == 1, result.output
    assert f"cases.csv:3:" in result.stderr and reason in result.stderr, result.stderr
    assert "4 rows read: 3 used, 1 rejected; 3 cases audited" in result.stderr
    if fmt == "json":
        data = json.loads(result.stdout)
        assert (data["rows_read"], data["rows_used"], len(data["rejected"])) == (4, 3, 1)
    if fmt == "csv":
        cases = {row["case_id"] for row in csv.DictReader(io.StringIO(result.stdout))}
        assert cases == {"C1", "C3", "C4"}


def test_a_bad_first_line_is_a_missing_header(run, tmp_path):
    path = tmp_path / "cases.csv"
    path.write_bytes(b"case_id,ev\xe9nt,date\n" + GOOD)
    result = run("audit", "england", str(path), "--today", "2024-06-01")
    assert result.exit_code == 1
    assert "cases.csv:1:1: missing-key: the first line must be the header" in result.stderr


def test_dates_outside_the_calendar_are_reported_per_case_not_scored(run, tmp_path):
    path = tmp_path / "cases.csv"
    path.write_text("case_id,event,date\nOLD,icpc,2011-03-01\nNEW,icpc,2030-01-07\nOK,icpc,2024-01-08\n")
    result = run("audit", "england", str(path), "--today", "2031-06-01", "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert {i["case_id"] for i in data["instances"]} == {"OK"}
    assert data["cases_not_audited"] == 2
    messages = [d["message"] for d in data["rejected"]]
    assert any("case OLD not audited: 2011-03-01 is outside" in m and "check the year" in m for m in messages)
    assert any("case NEW not audited" in m and "update procedurekit for later years" in m for m in messages)
    assert not any("OLD" in m and "later years" in m for m in messages)


def test_csv_cells_a_spreadsheet_would_run_are_neutralised(run, tmp_path):
    path = tmp_path / "cases.csv"
    path.write_text('case_id,event,date\n"=HYPERLINK(""http://x"")",icpc,2024-02-05\n-5,icpc,2024-02-05\n'
                    "@SUM(A1),icpc,2024-02-05\n")
    result = run("audit", "england", str(path), "--today", "2024-06-01", "--format", "csv")
    ids = {row["case_id"] for row in csv.DictReader(io.StringIO(result.stdout))}
    assert ids == {"'=HYPERLINK(\"http://x\")", "-5", "'@SUM(A1)"}  # a number is left alone


def test_schedule_csv_neutralises_formulas(run, tmp_path):
    case = tmp_path / "case.toml"
    case.write_text('id = "=1+1"\n[[events]]\nevent = "icpc"\ndate = 2024-02-05\n')
    result = run("schedule", "england", str(case), "--today", "2024-03-01", "--format", "csv")
    assert result.exit_code == 0, result.output
    for row in csv.DictReader(io.StringIO(result.stdout)):
        assert not any(str(v).startswith(("=", "@")) for v in row.values()), row


def test_ics_uids_are_distinct_for_case_ids_that_read_alike(run, tmp_path):
    uids = []
    for n, case_id in enumerate(["C 1", "C/1", "C-1"]):
        case = tmp_path / f"case{n}.toml"
        case.write_text(f'id = "{case_id}"\n[[events]]\nevent = "icpc"\ndate = 2024-02-05\n')
        result = run("schedule", "england", str(case), "--today", "2024-02-06", "--format", "ics")
        assert result.exit_code == 0, result.output
        calendar = icalendar.Calendar.from_ical(result.stdout)
        uids.append({str(e["UID"]) for e in calendar.walk("VEVENT")})
    assert uids[0] and not (uids[0] & uids[1] or uids[0] & uids[2] or uids[1] & uids[2])
    again = run("schedule", "england", str(tmp_path / "case0.toml"), "--today", "2024-02-06", "--format", "ics")
    assert {str(e["UID"]) for e in icalendar.Calendar.from_ical(again.stdout).walk("VEVENT")} == uids[0]
