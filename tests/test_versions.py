"""Versions in force by date: Library.get(on=), ID@VERSION, each duty under its own version, history, drafts.

The worked examples of docs/versions.md are run here as they are written.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shlex
import shutil
from pathlib import Path

import pytest

from procedurekit import Library
from procedurekit.cases.audit import audit_csv
from procedurekit.cases.files import load_case
from procedurekit.diagnostics import ProcedureError

ROOT = Path(__file__).parent.parent
DOC = ROOT / "docs" / "versions.md"
D = dt.date


@pytest.fixture(scope="module")
def library() -> Library:
    return Library.load()


def _console_blocks() -> list[tuple[str, str]]:
    """(command, output) of each ``console`` block of docs/versions.md."""
    found = []
    for body in re.findall(r"^```console\n(.*?)^```$", DOC.read_text(encoding="utf-8"), re.M | re.S):
        command, _, output = body.partition("\n")
        found.append((command.removeprefix("$ "), output))
    return found


@pytest.mark.parametrize(("command", "output"), _console_blocks(), ids=[c for c, _ in _console_blocks()])
def test_the_worked_examples_print_what_the_docs_show(run, monkeypatch, command, output):
    monkeypatch.chdir(ROOT)
    argv = shlex.split(command)[1:]
    result = run(*argv, real_plugins=True, env={"COLUMNS": "100"})
    if output.rstrip().endswith("..."):  # a long output, shown in part
        shown = output.rstrip().removesuffix("...").rstrip("\n")
        assert result.stdout.startswith(shown), result.stdout
    else:
        assert result.stdout == output


def test_the_docs_show_every_example_they_name():
    assert {c.split()[1] for c, _ in _console_blocks()} == {"schedule", "audit", "history"}


@pytest.mark.parametrize(("day", "version"), [
    (D(2021, 9, 1), "2021.1"), (D(2022, 6, 1), "2021.1"), (D(2023, 8, 30), "2021.1"),
    (D(2023, 8, 31), "2023.1"), (D(2026, 12, 4), "2023.1")])
def test_get_on_a_day_gives_the_version_in_force(library, day, version):
    assert library.get("scotland", on=day).version == version


def test_before_the_earliest_version_nothing_is_in_force(library):
    with pytest.raises(ProcedureError) as caught:
        library.get("scotland", on=D(2021, 8, 31))
    (problem,) = caught.value.diagnostics
    assert problem.code == "not-in-force" and "2021-09-01" in problem.message
    # a partnership is in force only while the baseline it extends is: England from 15 December 2023
    with pytest.raises(ProcedureError, match='no version of "england" is in force on 2023-12-14'):
        library.get("warrington", on=D(2023, 12, 14))
    assert library.get("warrington", on=D(2023, 12, 15)).obligations == library.get("warrington").obligations


def test_a_version_by_name(library):
    earlier, latest = library.get("scotland@2021.1"), library.get("scotland")
    assert (earlier.version, latest.version) == ("2021.1", "2023.1")
    assert str(earlier.obligations["core-group-first"].within) == "15 days"
    assert str(latest.obligations["core-group-first"].within) == "15 working days"
    assert "cppm-record" not in earlier.obligations and "cppm-record" in latest.obligations
    assert [e.written.version for e in library.versions("scotland")] == ["2021.1", "2023.1"]
    with pytest.raises(ProcedureError, match='no version "1999"; its versions: scotland@2021.1, scotland@2023.1'):
        library.get("scotland@1999")


def test_the_cli_takes_id_at_version(run):
    shown = json.loads(run("show", "scotland@2021.1", "--format", "json").stdout)
    assert shown["version"] == "2021.1" and shown["effective_from"] == "2021-09-01"
    unknown = run("show", "scotland@1999")
    assert unknown.exit_code == 2 and 'procedure "scotland" has no version "1999"' in unknown.output


def test_a_case_spanning_the_change_is_judged_duty_by_duty(library):
    # worked by hand in docs/versions.md
    case = load_case(ROOT / "examples" / "scotland-case.toml")
    result = library.schedule("scotland", case, D(2024, 3, 15))
    got = {i.obligation: (i.due, i.limit, i.done, i.status.value, i.version) for i in result.instances if i.due}
    assert got["icpc"] == (D(2023, 9, 11), None, D(2023, 8, 29), "met", "scotland 2021.1")
    assert got["core-group-first"] == (D(2023, 9, 13), D(2023, 9, 19), D(2023, 9, 15), "met-lenient",
                                       "scotland 2021.1")
    assert got["rcpc-first"] == (D(2024, 2, 29), None, D(2024, 2, 26), "met", "scotland 2021.1")
    assert got["rcpc-subsequent"] == (D(2024, 8, 26), None, None, "due", "scotland 2023.1")
    # the record of the CPPM is a 2023 rule; the CPPM was held under 2021
    assert "cppm-record" not in {i.obligation for i in result.instances}
    assert result.versions == ("scotland 2021.1", "scotland 2023.1")
    # judged by the latest version alone, the first core group is simply met
    alone = {i.obligation: i for i in library.schedule("scotland@2023.1", case, D(2024, 3, 15)).instances}
    assert alone["core-group-first"].status.value == "met"


def test_the_audit_judges_as_the_schedule_does_across_the_change(library, tmp_path):
    rows = ["case_id,event,date"]
    for n, start in enumerate(D(2021, 8, 1) + dt.timedelta(days=d) for d in range(0, 900, 11)):
        for event, gap in (("ird", 0), ("icpc", 12), ("core-group", 16), ("rcpc", 150), ("rcpc", 180)):
            start += dt.timedelta(days=gap)
            rows.append(f"C{n},{event},{start}")
    path = tmp_path / "cases.csv"
    path.write_text("\n".join(rows) + "\n")
    today = D(2025, 1, 15)
    found, _ = audit_csv(library.audit_plan("scotland", today), path, today)
    audited = sorted((case, r[0], r[1], r[3], r[4], r[5].value) for case, r in found)
    scheduled = []
    by_case: dict[str, list[tuple[str, str]]] = {}
    for line in rows[1:]:
        case_id, event, day = line.split(",")
        by_case.setdefault(case_id, []).append((event, day))
    from procedurekit.model import Case

    for case_id, events in by_case.items():
        case = Case.from_events([(e, D.fromisoformat(d)) for e, d in events], id=case_id)
        for i in library.schedule("scotland", case, today).instances:
            scheduled.append((case_id, i.obligation, i.occurrence, i.due and i.due.toordinal(),
                              i.done and i.done.toordinal(), i.status.value))
    assert audited == sorted(scheduled)
    statuses = {s for *_, s in audited}
    assert "not-in-force" in statuses and "met-lenient" in statuses and "met" in statuses


def test_history_lists_what_the_2023_update_changed(run):
    result = run("history", "scotland", "--format", "json")
    data = json.loads(result.stdout)
    assert [(v["version"], v["effective_from"], v["effective_to"]) for v in data["versions"]] == [
        ("2021.1", "2021-09-01", "2023-08-30"), ("2023.1", "2023-08-31", None)]
    (step,) = data["steps"]
    changed = {(row["section"], row["item"], row["cells"]["scotland@2023.1"]["change"])
               for row in step["rows"] if row["cells"]["scotland@2023.1"]["change"] != "same"}
    # by hand, from the two texts: the first core group "within 15 days" became 15 working days (looser on
    # the literal reading, the same on the working-day one); Appendix D's record of the CPPM (a document and
    # its deadline) and reconvening an inquorate CPPM are new; the pre-birth CPPM's timing is new beside the
    # 2021 review after a pre-birth CPPM, which makes that concept stricter
    assert changed == {
        ("obligations", "core-group-first", "depends-on-reading"),
        ("obligations", "conference-minutes", "added"),
        ("documents", "conference-minutes", "added"),
        ("obligations", "conference-quorum", "added"),
        ("obligations", "rcpc-after-pre-birth", "stricter"),
    }
    assert run("history", "scotland", "--fail-on", "looser").exit_code == 1
    assert run("history", "scotland", "--fail-on", "removed").exit_code == 0
    assert "One version: nothing to compare." in run("history", "england").stdout


def test_compare_two_versions(run):
    result = run("compare", "scotland@2021.1", "scotland@2023.1", "--format", "json")
    data = json.loads(result.stdout)
    assert data["summary"]["scotland@2023.1"]["added"] == 3


def test_compare_a_draft_with_the_installed_version(run, tmp_path):
    plugin = tmp_path / "procedurekit_warrington"
    shutil.copytree(ROOT / "plugins" / "warrington" / "procedurekit_warrington", plugin)
    draft = plugin / "procedures" / "warrington.toml"
    draft.write_text(draft.read_text().replace('within = "10 working days"', 'within = "15 working days"', 1))
    result = run("compare", "warrington", str(draft), "--fail-on", "looser", real_plugins=True)
    assert result.exit_code == 1
    assert "warrington -> warrington@draft: 1 looser" in result.stdout
    assert "in warrington@draft" in result.stderr
    broken = plugin / "procedures" / "broken.toml"
    broken.write_text(draft.read_text().replace('strength = "should"', 'strength = "shoud"', 1))
    refused = run("compare", "warrington", str(broken), real_plugins=True)
    assert refused.exit_code == 1 and re.search(r"broken\.toml:\d+:\d+: ", refused.output)


def test_the_explorer_shows_the_history(run, tmp_path):
    assert run("site", "-o", str(tmp_path / "site")).exit_code == 0
    page = (tmp_path / "site" / "procedures" / "scotland-history.html").read_text()
    assert "2021-09-01" in page and "2023-08-31" in page and "depends-on-reading" in page
    assert "Within 15 working days" in page  # the 2023 source quoted
    assert 'href="scotland-history.html"' in (tmp_path / "site" / "procedures" / "scotland.html").read_text()
    assert not (tmp_path / "site" / "procedures" / "england-history.html").exists()


def _version_file(folder: Path, version: str, start: str, rules: str) -> None:
    """One version of a procedure "goodshire" extending England, with *rules* after its header."""
    (folder / f"goodshire-{version}.toml").write_text(f'''[procedure]
id = "goodshire"
title = "Goodshire procedures"
extends = "england"
version = "{version}"
effective_from = {start}

[sources.cp]
title = "Child protection procedures"
''' + rules)


def test_versions_of_a_plugin_folder_from_toml_alone(run, tmp_path):
    for version, start, within in (("2024.1", "2024-01-08", "10 working days"),
                                   ("2025.1", "2025-04-07", "5 working days")):
        _version_file(tmp_path, version, start, f'''
[obligations.core-group-first]
meeting = "core-group"
occurrence = "first"
within = "{within}"
after = "icpc"
strength = "should"
source = {{ doc = "cp", section = "4", quote = "The first core group meets within {within} of the conference." }}
''')
    checked = run("--plugin-dir", str(tmp_path), "validate", "goodshire")
    assert checked.exit_code == 0, checked.output
    case = tmp_path / "case.csv"
    # one conference under each version: 10 working days from Mon 3 March 2025, 5 from Mon 14 April 2025
    case.write_text("case_id,event,date\nA,icpc,2025-03-03\nB,icpc,2025-04-14\n")
    result = run("--plugin-dir", str(tmp_path), "audit", "goodshire", str(case), "--today", "2025-06-02",
                 "--format", "csv")
    rows = {r["case_id"]: r for r in csv.DictReader(io.StringIO(result.stdout))
            if r["obligation"] == "core-group-first"}
    assert (rows["A"]["due"], rows["B"]["due"]) == ("2025-03-17", "2025-04-23")  # Easter: 18 and 21 April
    history = run("--plugin-dir", str(tmp_path), "history", "goodshire", "--fail-on", "looser")
    assert history.exit_code == 0 and "stricter" in history.stdout


def test_a_procedure_in_force_throughout_is_judged_by_its_one_plan(library):
    # Wales ships one version with no dates and extends nothing: its plan, unchanged
    assert library.audit_plan("wales", D(2024, 6, 1)) is library.plan("wales")
    # England is in force from 15 December 2023: the same rules, kept to the days from then
    england = library.audit_plan("england", D(2024, 6, 1))
    assert [r.id for r in england.rules] == [r.id for r in library.plan("england").rules]
    assert {r.in_force[0] for r in england.rules} == {D(2023, 12, 15).toordinal()}


def test_a_case_may_record_events_of_every_version(run, tmp_path):
    # a document required only by the earlier version can still be recorded as done
    for version, start, extra in (("2024.1", "2024-01-08", True), ("2025.1", "2025-01-06", False)):
        body = ""
        if extra:
            body += '''
[documents.core-group-notes]
name = "Core group notes"
strength = "should"
source = { doc = "cp", section = "5", quote = "Notes of each core group are sent within 5 working days." }

[obligations.core-group-notes]
document = "core-group-notes"
within = "5 working days"
after = "core-group"
strength = "should"
source = { doc = "cp", section = "5", quote = "Notes of each core group are sent within 5 working days." }
'''
        else:
            body += '''
[procedure.changes]
"documents.core-group-notes" = "Notes are replaced by the plan's update."
"obligations.core-group-notes" = "Notes are replaced by the plan's update."
'''
        _version_file(tmp_path, version, start, body)
    case = tmp_path / "case.toml"
    case.write_text('id = "A"\n[[events]]\nevent = "core-group"\ndate = 2024-03-12\n'
                    '[[events]]\nevent = "core-group-notes"\ndate = 2024-03-15\n')
    result = run("--plugin-dir", str(tmp_path), "schedule", "goodshire", str(case), "--today", "2025-03-01",
                 "--format", "csv")
    assert result.exit_code == 0, result.output
    (row,) = [r for r in csv.DictReader(io.StringIO(result.stdout)) if r["obligation"] == "core-group-notes"]
    assert (row["due"], row["done"], row["status"], row["version"]) == (
        "2024-03-19", "2024-03-15", "met", "goodshire 2024.1 over england 2023.1")


def test_get_takes_a_day_written_as_text(library):
    assert library.get("scotland", on="2022-05-01").version == "2021.1"
