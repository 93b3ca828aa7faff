"""Writes that cannot destroy data, and inputs that cannot hang or inject (issue 13)."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
CASE = 'id = "c"\n[[events]]\nevent = "icpc"\ndate = 2024-02-05\n'


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_in_a_plugin_folder_is_reported_not_read(tmp_path):
    # reading a FIFO waits for a writer: run in a subprocess with a timeout, so a hang fails the test
    folder = tmp_path / "plugin"
    folder.mkdir()
    os.mkfifo(folder / "stuck.toml")
    result = subprocess.run([sys.executable, "-m", "procedurekit", "--no-entry-points", "--plugin-dir", str(folder),
                             "validate"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "stuck.toml:1:1: not-a-file: not an ordinary file" in result.stdout + result.stderr


@pytest.mark.parametrize("command", [
    ["schedule", "england", "{case}", "--today", "2024-03-01"],
    ["compare", "england", "wales", "--case", "{case}"],
])
def test_output_naming_an_input_is_refused_before_anything_is_written(run, tmp_path, command):
    case = tmp_path / "case.toml"
    case.write_text(CASE)
    args = [part.replace("{case}", str(case)) for part in command]
    result = run(*args, "-o", str(case))
    assert result.exit_code == 2
    assert "is one of this command's inputs" in result.output
    assert case.read_text() == CASE


def test_output_over_a_procedure_file_is_refused(run, tmp_path):
    procedure = tmp_path / "p.toml"
    text = '[procedure]\nid = "p"\ntitle = "P"\nextends = "england"\n'
    procedure.write_text(text)
    result = run("--plugin-dir", str(tmp_path), "render", "p", "-o", str(procedure))
    assert result.exit_code == 2 and "is one of this command's inputs" in result.output
    assert procedure.read_text() == text


def test_audit_output_naming_its_csv_is_refused(run, tmp_path):
    cases = tmp_path / "cases.csv"
    cases.write_text("case_id,event,date\nC1,icpc,2024-02-05\n")
    result = run("audit", "england", str(cases), "--format", "csv", "-o", str(cases))
    assert result.exit_code == 2 and "is one of this command's inputs" in result.output
    assert cases.read_text() == "case_id,event,date\nC1,icpc,2024-02-05\n"


def test_output_into_a_missing_folder_is_a_clean_error(run, tmp_path):
    case = tmp_path / "case.toml"
    case.write_text(CASE)
    result = run("schedule", "england", str(case), "--today", "2024-03-01", "-o", str(tmp_path / "no" / "out.txt"))
    assert result.exit_code == 2
    assert "the folder" in result.output and "does not exist" in result.output
    assert "Traceback" not in result.output


def test_outputs_are_written_whole(run, tmp_path):
    case = tmp_path / "case.toml"
    case.write_text(CASE)
    out = tmp_path / "schedule.json"
    out.write_text("old")
    assert run("schedule", "england", str(case), "--today", "2024-03-01", "--format", "json",
               "-o", str(out)).exit_code == 0
    assert out.read_text().startswith("{")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.toml", "schedule.json"]


@pytest.mark.parametrize("partnership", [
    'Quote " and backslash \\ Partnership',
    '"""; import os; os.system("echo owned") #',
    "Tab\there",
])
def test_new_keeps_the_partnership_name_out_of_code(run, tmp_path, partnership):
    target = tmp_path / "p"
    result = run("new", "goodshire", "--directory", str(target), "--partnership", partnership)
    if not partnership.isprintable():
        assert result.exit_code == 1 and "one line of printable text" in result.output
        assert not target.exists()
        return
    assert result.exit_code == 0, result.output
    procedure = tomllib.loads((target / "procedurekit_goodshire" / "procedures" / "goodshire.toml").read_text())
    assert procedure["procedure"]["partnership"] == partnership
    assert tomllib.loads((target / "pyproject.toml").read_text())["project"]["description"].startswith(partnership)
    assert partnership not in (target / "procedurekit_goodshire" / "__init__.py").read_text()
    assert run("--plugin-dir", str(target / "procedurekit_goodshire" / "procedures"),
               "validate", "goodshire").exit_code == 0


def test_new_refuses_a_partnership_name_over_several_lines(run, tmp_path):
    result = run("new", "goodshire", "--directory", str(tmp_path / "p"), "--partnership", "One\nTwo")
    assert result.exit_code == 1 and "one line" in result.output
    assert not (tmp_path / "p").exists()


def test_case_settings_are_validated_at_their_place(run, tmp_path):
    case = tmp_path / "case.toml"
    case.write_text('id = "c"\n[settings]\ncore-group-subsequent = "6 weaks"\nbogus = "6 weeks"\n'
                    '[[events]]\nevent = "icpc"\ndate = 2024-02-05\n')
    result = run("schedule", "england", str(case), "--today", "2024-03-01")
    assert result.exit_code == 1
    assert 'case.toml:3:25: bad-duration: setting "core-group-subsequent": "6 weaks" is not a duration' \
        in result.output and 'did you mean "6 weeks"' in result.output
    case.write_text(case.read_text().replace("6 weaks", "6 weeks"))
    result = run("schedule", "england", str(case), "--today", "2024-03-01")
    assert 'case.toml:4:9: undefined-reference: setting "bogus" is not an obligation of england' in result.output


@pytest.mark.parametrize("args", [
    ["calendar", "add", "2024-01-01", "100000 months"],
    ["calendar", "add", "2024-01-01", "9999999 working days"],
])
def test_a_huge_duration_is_refused_with_its_bound(run, args):
    result = run(*args)
    assert result.exit_code == 2 and "longer than any procedure timescale" in result.output
    assert "internal error" not in result.output


def test_a_procedure_with_a_huge_duration_does_not_validate(run, tmp_path):
    (tmp_path / "huge.toml").write_text('[procedure]\nid = "huge"\ntitle = "H"\nextends = "england"\n'
                                        '[sources.l]\ntitle = "L"\n[obligations.x]\nmeeting = "core-group"\n'
                                        'within = "100000 months"\nafter = "icpc"\nstrength = "must"\n'
                                        'source = { doc = "l" }\n')
    result = run("--plugin-dir", str(tmp_path), "validate", "huge")
    assert result.exit_code == 1 and "huge.toml:9:10: bad-duration" in result.output
    assert "at most 120 months (ten years)" in result.output


def test_a_child_of_a_parent_that_failed_is_told_so(run, tmp_path):
    (tmp_path / "parent.toml").write_text('[procedure]\nid = "parent"\ntitle = "P"\nextends = "england"\n'
                                          '[meetings.core-group]\nnmae = "x"\n')
    (tmp_path / "child.toml").write_text('[procedure]\nid = "child"\ntitle = "C"\nextends = "parent"\n')
    result = run("--plugin-dir", str(tmp_path), "validate")
    assert 'child.toml:4:11: unknown-procedure: extends "parent", which failed to load' in result.output
    assert "not installed" not in result.output


def test_an_unknown_parent_is_never_suggested_as_the_procedure_itself(run, tmp_path):
    (tmp_path / "child.toml").write_text('[procedure]\nid = "child"\ntitle = "C"\nextends = "chlid"\n')
    result = run("--plugin-dir", str(tmp_path), "validate")
    assert 'extends "chlid", which is not installed' in result.output
    assert 'did you mean "child"' not in result.output and "child," not in result.output.split("installed")[-1]


def test_a_long_extends_chain_is_reported_where_it_passes_the_limit(run, tmp_path):
    from procedurekit.host.resolve import MAX_EXTENDS_DEPTH

    count = MAX_EXTENDS_DEPTH + 8  # p0 extends p1 ... extends england
    for i in range(count):
        parent = f"p{i + 1}" if i < count - 1 else "england"
        (tmp_path / f"p{i}.toml").write_text(f'[procedure]\nid = "p{i}"\ntitle = "P"\nextends = "{parent}"\n')
    result = run("--plugin-dir", str(tmp_path), "validate")
    over = count - MAX_EXTENDS_DEPTH  # p{over} is MAX + 1 procedures from its baseline, england
    assert f"p{over}.toml:4:11: extends-cycle: is {MAX_EXTENDS_DEPTH + 1} procedures from its baseline" \
        in result.output, result.output
    assert f"p{over - 1}.toml:4:11: unknown-procedure: extends \"p{over}\", which has errors" in result.output
    assert f"p{over + 1}.toml" not in result.output  # within the limit


def test_a_folder_named_like_an_installed_plugin_gets_none_of_its_hooks(tmp_path):
    from procedurekit.host.library import Library

    folder = tmp_path / "croydon"
    folder.mkdir()
    (folder / "mine.toml").write_text('[procedure]\nid = "mine"\ntitle = "M"\nextends = "england"\n')
    library = Library.load(plugin_dirs=[folder])
    assert "croydon" in library.ids()  # the installed Croydon plugin is loaded
    owners = library.owner_chain("mine")
    assert "croydon" not in owners and owners[0] == str(folder)
    assert library.owner_chain("croydon")[0] == "croydon"


HOSTILE = '''[procedure]
id = "hostile"
title = "Hostile <script>alert(1)</script>"
extends = "england"

[sources.evil]
title = "Evil <img src=x onerror=alert(1)>"
url = "javascript:alert(1)"

[sources.good]
title = "Good"
url = "https://example.org/procedure"

[obligations.core-group-first]
meeting = "core-group"
within = "5 working days"
after = "icpc"
strength = "must"
source = [
  { doc = "evil", section = "1", quote = "<script>alert(2)</script> [click](javascript:alert(3)) &lt;b&gt;" },
  { doc = "good", section = "2", quote = "q" },
]
'''


@pytest.fixture
def hostile(tmp_path):
    (tmp_path / "hostile.toml").write_text(HOSTILE)
    return ["--plugin-dir", str(tmp_path)]


@pytest.mark.parametrize("command", [["compare", "england", "hostile", "--format", "html"],
                                     ["render", "hostile", "--format", "html"]])
def test_html_outputs_link_only_web_addresses_and_escape_procedure_text(run, hostile, command):
    result = run(*hostile, *command)
    assert result.exit_code in (0, 1), result.output
    page = result.output
    import re

    for target in re.findall(r'(?:href|src)\s*=\s*"([^"]*)"', page):
        assert target.startswith(("https://", "http://", "#")), target
    assert "<script>alert" not in page and "<img src=x" not in page
    if command[0] == "compare":
        assert 'href="https://example.org/procedure"' in page


@pytest.mark.parametrize("command", [["compare", "england", "hostile", "--format", "markdown"],
                                     ["render", "hostile", "--format", "markdown"]])
def test_markdown_outputs_escape_html_and_links_in_procedure_text(run, hostile, command):
    page = run(*hostile, *command).output
    assert "<script>" not in page and "<img" not in page
    assert "](javascript" not in page
    assert "&lt;script&gt;" in page or "Hostile &lt;script&gt;" in page


def test_link_targets():
    from procedurekit.markup import link_target

    assert link_target("https://example.org/a?b=1") == "https://example.org/a?b=1"
    assert link_target("docs/page.html") == "docs/page.html"
    for bad in ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "java\tscript:alert(1)", "data:text/html,x",
                "vbscript:x", "//evil.example/x", "file:///etc/passwd"]:
        assert link_target(bad) is None, bad


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "procedurekit", "--no-entry-points", *args], cwd=cwd,
                          capture_output=True, timeout=300)


def test_parallel_audits_and_fmt_runs_match_sequential_ones(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    rows = ["case_id,event,date"]
    for n in range(2000):
        day = 1 + n % 27
        rows += [f"C{n},strategy-discussion,2024-01-{day:02d}", f"C{n},icpc,2024-02-{day:02d}",
                 f"C{n},core-group,2024-03-{day:02d}"]
    (tmp_path / "cases.csv").write_text("\n".join(rows) + "\n")
    messy = (ROOT / "procedures" / "wales.toml").read_text().replace("# -- ", "#    -- ").replace(" = ", "   =  ")
    for n in range(9):
        (tmp_path / f"wales{n}.toml").write_text(messy)

    def audit(n: int) -> bytes:
        _cli("audit", "england", "cases.csv", "--today", "2024-06-01", "--format", "csv", "-o", f"out{n}.csv",
             cwd=tmp_path)
        return (tmp_path / f"out{n}.csv").read_bytes()

    def fmt(n: int) -> bytes:
        assert _cli("fmt", f"wales{n}.toml", cwd=tmp_path).returncode == 0
        return (tmp_path / f"wales{n}.toml").read_bytes()

    alone_audit, alone_fmt = audit(8), fmt(8)
    with ThreadPoolExecutor(8) as pool:
        audits = list(pool.map(audit, range(8)))
        formatted = list(pool.map(fmt, range(8)))
    assert alone_audit.count(b"\n") > 2000 and all(out == alone_audit for out in audits)
    assert all(out == alone_fmt for out in formatted) and b"#    -- " in alone_fmt  # comments kept
