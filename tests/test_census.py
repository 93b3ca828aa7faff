"""``procedurekit audit PROCEDURE census.xml``: the DfE children-in-need census, audited.

examples/census.xml holds hand-worked children (the expected statuses are
worked out in its comments); rejections.xml one record for each reason a record
cannot be audited; the hostile files a DTD bomb and an external entity.
"""

from __future__ import annotations

import csv
import io
import json
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
CENSUS = Path(__file__).parent / "census"
WORKED = ROOT / "examples" / "census.xml"  # hand-worked children, the README's example
sys.path.insert(0, str(ROOT / "bench"))

from census_generator import write_census  # noqa: E402


def _audit(run, *args):
    return run("audit", *args, real_plugins=True)


def _rows(text):
    return {(r["case_id"], r["obligation"], r["occurrence"]): r for r in csv.DictReader(io.StringIO(text))}


def _stdout(result):
    return result.stdout if hasattr(result, "stdout") else result.output


def test_hand_worked_children(run):
    result = _audit(run, "england", str(WORKED), "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = _rows(result.stdout)
    # 15 working days from Tue 14 May 2024 over the late May bank holiday: Wed 5 June
    assert rows[("ON-TIME#1", "icpc", "1")]["due"] == "2024-06-05"
    assert rows[("ON-TIME#1", "icpc", "1")]["status"] == "met"
    assert rows[("DAY-16#1", "icpc", "1")]["status"] == "late"
    assert rows[("DAY-16#1", "icpc", "1")]["working_days_late"] == "1"
    # the first review due 3 months after Fri 8 March: Sat 8 June, held that day
    review = rows[("WEEKEND-REVIEW#1", "rcpc-first", "1")]
    assert (review["due"], review["done"], review["status"]) == ("2024-06-08", "2024-06-08", "met")
    # a plan that ended before its first review fell due: the review does not apply
    assert rows[("ENDED#1", "rcpc-first", "1")]["status"] == "not-applicable"
    # two episodes, two cases; the second's conference within 15 working days of Mon 1 July (Mon 22 July)
    assert rows[("TWO-EPISODES#2", "icpc", "1")]["due"] == "2024-07-22"
    assert rows[("TWO-EPISODES#2", "icpc", "1")]["status"] == "met"
    assert rows[("TWO-EPISODES#1", "icpc", "1")]["status"] == "provisional"
    # the conference recorded only on the episode (Wed 10 January) starts the first review's clock:
    # due Wed 10 April, held Fri 12 April, 2 working days late
    review = rows[("EPISODE-CONFERENCE#1", "rcpc-first", "1")]
    assert (review["due"], review["done"], review["status"], review["working_days_late"]) == (
        "2024-04-10", "2024-04-12", "late", "2")
    # what the census cannot evidence is never scored
    assert not [key for key in rows if key[1] == "core-group-first"]
    assert "7 children read: 7 audited, 0 rejected; 8 episodes read: 8 audited, 0 rejected" in result.stderr


def test_pre_birth_conference_from_an_expected_birth(run, tmp_path):
    data = json.loads(_audit(run, "england", str(WORKED), "--format", "json").stdout)
    unborn = [i for i in data["instances"] if i["case_id"] == "UNBORN#1" and i["obligation"] == "icpc"]
    assert unborn[0]["done"] == "2024-06-05"  # the pre-birth conference does the initial conference's duty
    from procedurekit.cases.census import read_census
    from procedurekit.host.library import Library

    out = io.StringIO()
    read_census(WORKED, out, Library.load().plan("england")).close()
    assert "UNBORN#1,pre-birth-conference,2024-06-05" in out.getvalue()
    assert "ON-TIME#1,icpc,2024-06-05" in out.getvalue()


def test_text_report_has_national_indicators_targets_and_what_is_not_auditable(run):
    result = _audit(run, "england", str(WORKED))
    out = result.stdout
    assert "CIN census, collection year 2024 (reference date 2024-07-31)" in out
    # ICPCs: ON-TIME, UNBORN, WEEKEND-REVIEW, ENDED and TWO-EPISODES#2 within 15 WD; DAY-16 not
    assert "5 of 6" in out and "83.3%" in out
    assert "core-group-first: the census records no date of what it asks for" in out
    # the file's target for ON-TIME counts the start day as day 1: a working day before ours
    assert "child ON-TIME: file 2024-06-04, computed 2024-06-05 (-1 working days)" in out
    assert "proxy: the strategy discussion is taken to be the day the section 47 enquiry started" in out


def test_every_rejection_is_reported_with_its_line_and_counted(run):
    result = _audit(run, "england", str(CENSUS / "rejections.xml"), "--format", "json")
    assert result.exit_code == 1
    where = "rejections.xml"  # shown relative to the working folder
    for line, reason in [(13, "CPPstartDate 2024-05-01 is before CINreferralDate 2024-05-13"),
                         (22, "CPPreviewDate 2024-02-01 is before CPPstartDate 2024-03-01"),
                         (29, "no DateOfInitialCPC, ICPCnotRequired is false"),
                         (38, "CINreferralDate '2024-02-30' is not a date"),
                         (41, "LAchildID GOOD appears twice in the file")]:
        assert any(f"{where}:{line}:1: census-record: " in l and reason in l
                   for l in result.stderr.splitlines()), (line, reason)
    census = json.loads(result.stdout)["census"]
    # children: GOOD and HALF (its first episode) audited; the other five rejected, the second GOOD among them
    assert census["children"] == {"read": 7, "audited": 2, "rejected": 5}
    assert census["episodes"] == {"read": 8, "audited": 2, "rejected": 6}
    assert len(census["rejected"]) == 6
    assert {i["case_id"] for i in json.loads(result.stdout)["instances"]} == {"GOOD#1", "HALF#1"}


@pytest.mark.parametrize("name", ["billion-laughs.xml", "external-entity.xml"])
def test_hostile_files_are_refused_without_expanding_or_fetching(run, name):
    result = _audit(run, "england", str(CENSUS / name))
    assert result.exit_code == 1
    assert "a DTD or entity declaration" in result.stderr and "Traceback" not in result.output
    assert f"{name}:2:" in result.stderr
    assert "root:" not in result.output  # /etc/passwd was not read


def test_a_file_cut_short_audits_nothing_unless_partial(run, tmp_path):
    cut = tmp_path / "cut.xml"
    whole = WORKED.read_bytes()
    data = whole[:whole.index(b"</Child>") + len(b"</Child>") + 30]  # the first child, and a little more
    cut.write_bytes(data)
    refused = _audit(run, "england", str(cut))
    assert refused.exit_code == 1
    line = data[:data.rindex(b"<")].count(b"\n") + 1  # the tag the file stops inside
    assert f"{cut}:{line}:" in refused.stderr and "not well-formed XML" in refused.stderr
    assert "Audit of" not in refused.stdout
    partial = _audit(run, "england", str(cut), "--partial")
    assert partial.exit_code == 0
    assert "1 children read: 1 audited" in partial.stderr and "--partial" in partial.stderr


def test_recognised_by_content_not_extension(run, tmp_path):
    renamed = tmp_path / "export.csv"
    renamed.write_bytes((WORKED).read_bytes())
    result = _audit(run, "england", str(renamed))
    assert "CIN census, collection year 2024" in result.stdout


def test_unknown_collection_year_is_a_warning(run, tmp_path):
    future = tmp_path / "census.xml"
    future.write_text((WORKED).read_text().replace("<Year>2024</Year>", "<Year>2031</Year>"))
    result = _audit(run, "england", str(future))
    assert result.exit_code == 0
    assert "collection year 2031 is not one this reader knows" in result.stderr


def _independent_csv(census: Path) -> str:
    """The census as the long CSV, by a separate reading (ElementTree) of the mapping in docs/cin-census.md."""
    lines = ["case_id,event,date,pre-birth"]
    for child in ElementTree.parse(census).getroot().iter("Child"):
        cid = child.findtext("ChildIdentifiers/LAchildID")
        for n, episode in enumerate(child.findall("CINdetails"), start=1):
            rows = []
            if episode.findtext("ReferralNFA", "false") not in ("true", "1"):
                rows.append(("referral", episode.findtext("CINreferralDate"), ""))
            for a in episode.findall("Assessments"):
                if a.findtext("AssessmentAuthorisationDate"):
                    rows.append(("assessment", a.findtext("AssessmentAuthorisationDate"), ""))
            for s47 in episode.findall("Section47"):
                if not s47.findtext("DateOfInitialCPC") and s47.findtext("ICPCnotRequired") in ("true", "1"):
                    continue  # no conference was needed: no clock starts
                rows.append(("strategy-discussion", s47.findtext("S47ActualStartDate"), ""))
                if s47.findtext("DateOfInitialCPC"):
                    rows.append(("icpc", s47.findtext("DateOfInitialCPC"), ""))
            held = episode.findtext("DateOfInitialCPC")  # the episode's own, if no enquiry holds it
            if held and held not in [day for event, day, _ in rows if event == "icpc"]:
                rows.append(("icpc", held, ""))
            for plan in episode.findall("ChildProtectionPlans"):
                rows += [("rcpc", r.text, "") for r in plan.iter("CPPreviewDate")]
                if plan.findtext("CPPendDate"):
                    rows.append(("plan-ends", plan.findtext("CPPendDate"), ""))
            rows.append(("birth", child.findtext("ChildIdentifiers/PersonBirthDate"), ""))
            for event, day, _ in sorted(rows, key=lambda r: r[1]):
                lines.append(f"{cid}#{n},{event},{day},")
    return "\n".join(lines) + "\n"


def test_census_audit_equals_the_audit_of_the_same_cases_as_csv(run, tmp_path):
    census = tmp_path / "census.xml"
    write_census(census, 300, seed=11)
    as_csv = tmp_path / "cases.csv"
    as_csv.write_text(_independent_csv(census))
    from_xml = _audit(run, "england", str(census), "--format", "csv", "--today", "2024-03-31")
    from_csv = _audit(run, "england", str(as_csv), "--format", "csv", "--today", "2024-03-31")
    assert from_xml.exit_code == 0 and from_csv.exit_code == 0, from_csv.output
    xml_rows = _rows(from_xml.stdout)
    csv_rows = {key: row for key, row in _rows(from_csv.stdout).items() if key[1] in {k[1] for k in xml_rows}}
    assert len(xml_rows) > 900 and xml_rows == csv_rows


def test_generated_census_counts_add_up_in_every_format(run, tmp_path):
    census = tmp_path / "census.xml"
    write_census(census, 200, seed=3)
    for fmt in ("text", "csv", "json"):
        result = _audit(run, "warrington", str(census), "--format", fmt)
        assert result.exit_code == 0
        assert "200 children read: 200 audited, 0 rejected" in result.stderr
    data = json.loads(_audit(run, "warrington", str(census), "--format", "json").stdout)["census"]
    assert data["children"]["read"] == data["children"]["audited"] + data["children"]["rejected"]
    assert data["reference_date"] == "2024-03-31"  # judged on the census date unless --today says otherwise


def test_an_enquiry_that_needed_no_conference_starts_no_clock(run, tmp_path):
    census = tmp_path / "census.xml"
    census.write_text(
        '<Message><Header><CollectionDetails><Year>2024</Year><ReferenceDate>2024-03-31</ReferenceDate>'
        '</CollectionDetails></Header><Children><Child><ChildIdentifiers><LAchildID>A</LAchildID>'
        '</ChildIdentifiers><CINdetails><CINreferralDate>2024-01-02</CINreferralDate>'
        # the first enquiry needed no conference; the second, from Thu 1 February, had one on Thu 15 February
        '<Section47><S47ActualStartDate>2024-01-03</S47ActualStartDate><ICPCnotRequired>true</ICPCnotRequired>'
        '</Section47><Section47><S47ActualStartDate>2024-02-01</S47ActualStartDate>'
        '<DateOfInitialCPC>2024-02-15</DateOfInitialCPC><ICPCnotRequired>false</ICPCnotRequired></Section47>'
        '</CINdetails></Child></Children></Message>')
    rows = _rows(_audit(run, "england", str(census), "--format", "csv").stdout)
    icpc = rows[("A#1", "icpc", "1")]
    # 15 working days from Thu 1 February 2024: Thu 22 February
    assert (icpc["anchor_date"], icpc["due"], icpc["status"]) == ("2024-02-01", "2024-02-22", "met")


def test_episodes_file_has_a_row_for_every_episode_read(run, tmp_path):
    rows_file = tmp_path / "episodes.csv"
    result = _audit(run, "england", str(CENSUS / "rejections.xml"), "--episodes", str(rows_file))
    assert result.exit_code == 1
    rows = list(csv.DictReader(io.StringIO(rows_file.read_text())))
    assert len(rows) == 8  # every episode read, audited or not
    by_case = {r["case_id"]: r for r in rows}
    # the first GOOD is audited, the second (the same id again) is not
    assert [(r["audited"], r["reason"]) for r in rows if r["child"] == "GOOD"] == [
        ("yes", ""), ("no", "LAchildID GOOD appears twice in the file")]
    assert by_case["PLAN-BEFORE-REFERRAL#1"]["audited"] == "no"
    assert "is before CINreferralDate" in by_case["PLAN-BEFORE-REFERRAL#1"]["reason"]
    assert [r["audited"] for r in rows if r["child"] == "HALF"] == ["yes", "no"]
    as_json = tmp_path / "episodes.json"
    _audit(run, "england", str(WORKED), "--episodes", str(as_json))
    episodes = {e["case_id"]: e for e in json.loads(as_json.read_text())}
    # the national measures per episode add up to the report's
    assert episodes["DAY-16#1"]["icpc_held"] == 1 and episodes["DAY-16#1"]["icpc_within_15_working_days"] == 0
    assert episodes["WEEKEND-REVIEW#1"]["reviews_in_time"] == 1
    census = json.loads(_audit(run, "england", str(WORKED), "--format", "json").stdout)["census"]
    icpc = census["national_indicators"][0]
    assert sum(e["icpc_held"] for e in episodes.values()) == icpc["of"]
    assert sum(e["icpc_within_15_working_days"] for e in episodes.values()) == icpc["met"]


def test_episodes_file_is_refused_for_a_csv_and_never_overwrites_the_input(run, tmp_path):
    result = _audit(run, "england", str(ROOT / "examples" / "cases.csv"), "--episodes", str(tmp_path / "e.csv"))
    assert result.exit_code == 2 and "--episodes is for a CIN census file" in result.output
    copy = tmp_path / "census.xml"
    copy.write_bytes(WORKED.read_bytes())
    clash = _audit(run, "england", str(copy), "--episodes", str(copy))
    assert clash.exit_code == 2 and copy.read_bytes() == WORKED.read_bytes()


SCHEMAS = CENSUS / "schemas"  # the DfE schemas, one per distinct year (their source and licence in its README)


@pytest.mark.parametrize("year, schema", [(2017, 2017), (2020, 2017), (2021, 2021), (2022, 2022), (2023, 2024),
                                          (2024, 2024)])
def test_generated_census_is_valid_against_its_years_schema(tmp_path, year, schema):
    import xmlschema  # a dev dependency (requirements-dev.txt)
    census = tmp_path / "census.xml"
    write_census(census, 150, seed=year, year=year)
    assert [str(e) for e in xmlschema.XMLSchema(SCHEMAS / f"CIN_schema_{schema}.xsd").iter_errors(census)] == []
    if schema == 2017:  # the child in need plan dates came in 2022, and are left out before
        assert b"CINPlanDates" not in census.read_bytes()


def test_the_schemas_check_what_they_say(tmp_path):
    import xmlschema  # a dev dependency (requirements-dev.txt)
    worked = xmlschema.XMLSchema(SCHEMAS / "CIN_schema_2024.xsd")
    assert list(worked.iter_errors(WORKED)) == []  # the README's hand-worked example is a valid census
    later = tmp_path / "2024.xml"
    write_census(later, 50, seed=1, year=2024)
    # a 2024 file with child in need plan dates is not valid under the 2017 schema
    assert list(xmlschema.XMLSchema(SCHEMAS / "CIN_schema_2017.xsd").iter_errors(later))


@pytest.mark.parametrize("procedure", ["england", "warrington"])
def test_public_sample_file_is_read_and_its_bad_plan_reported(run, procedure):
    # liia-tools' public sample: one child, made-up 1970 dates, a plan that starts before its referral
    sample = CENSUS / "liia-tools-cin-2022.xml"
    result = _audit(run, procedure, str(sample), "--format", "json")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert ("liia-tools-cin-2022.xml:64:1: census-record: child DfEX0000001, episode 1 not audited: "
            "CPPstartDate 1970-02-17 is before CINreferralDate 1970-10-06") in result.stderr
    census = json.loads(result.stdout)["census"]
    assert census["collection_year"] == 2022 and census["children"] == {"read": 1, "audited": 0, "rejected": 1}


def test_an_episode_outside_the_bank_holiday_data_is_rejected_and_counted_so(run, tmp_path):
    old = tmp_path / "census.xml"
    # TWO-EPISODES's first episode moved to January 2011, before the bank-holiday data begins
    old.write_text(WORKED.read_text().replace("2024-01-08", "2011-01-08").replace("2024-02-01<", "2011-02-01<"))
    result = _audit(run, "england", str(old), "--format", "json")
    assert result.exit_code == 1
    assert "child TWO-EPISODES, episode 1 not audited: its dates (2011-01-08 to 2011-01-08) fall outside" \
        in result.stderr
    data = json.loads(result.stdout)
    assert data["census"]["episodes"] == {"read": 8, "audited": 7, "rejected": 1}
    # the census's counts and the audit's agree: the rejected episode is no case of the audit
    assert not [i for i in data["instances"] if i["case_id"] == "TWO-EPISODES#1"]
    assert "TWO-EPISODES#2" in {i["case_id"] for i in data["instances"]}
