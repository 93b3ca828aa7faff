"""One broken file per kind of error: the right code at the right line:col, never a traceback."""

from __future__ import annotations

import pytest

from conftest import MALFORMED
from procedurekit.loader import load_file

CASES = [
    line.split()
    for line in (MALFORMED / "EXPECTED.txt").read_text().splitlines()
    if line.strip() and not line.startswith("#")
]


def test_corpus_is_large_and_complete():
    listed = {name for name, _, _ in CASES}
    on_disk = {p.name for p in MALFORMED.iterdir() if p.suffix == ".toml" or p.is_dir()}
    assert listed == on_disk
    assert len(CASES) >= 40


@pytest.mark.parametrize(("name", "code", "position"), CASES, ids=[c[0] for c in CASES])
def test_validate_reports_code_at_position(run, name, code, position):
    result = run("validate", "--strict", str(MALFORMED / name))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    first = next(line for line in result.output.splitlines() if ": " in line and "checked" not in line)
    where, found_code, message = first.split(": ", 2)
    assert found_code == code
    assert where.endswith(":" + position), first
    assert name in where
    assert message.strip(), "every diagnostic says what is wrong"


@pytest.mark.parametrize("name", [c[0] for c in CASES if c[0].endswith(".toml")])
def test_json_output_has_the_same_diagnostic(run, name):
    import json

    result = run("validate", "--strict", "--format", "json", str(MALFORMED / name))
    data = json.loads(result.output)
    assert data["ok"] is False
    first = data["diagnostics"][0]
    expected = dict((c[0], c) for c in CASES)[name]
    assert first["code"] == expected[1]
    assert f"{first['line']}:{first['column']}" == expected[2]


def test_syntax_errors_in_every_file_are_reported_together(run, tmp_path):
    (tmp_path / "a.toml").write_text('[procedure]\nid = "a"\ntitle = Untitled\n')
    (tmp_path / "b.toml").write_text('[procedure\n')
    result = run("validate", str(tmp_path))
    assert "a.toml:3:9: toml-syntax" in result.output
    assert "b.toml:1:11: toml-syntax" in result.output


def test_all_errors_in_a_file_are_reported(run):
    # bad duration, bad strength and unknown key in one file: all three, in line order
    result = run("validate", str(MALFORMED.parent / "fixtures" / "many-errors.toml"))
    codes = [line.split(": ")[1] for line in result.output.splitlines() if ": " in line and "checked" not in line]
    assert codes == ["unknown-key", "bad-duration", "bad-value"]
    assert result.exit_code == 1


def test_many_errors_are_all_reported_by_the_loader():
    pf = load_file(MALFORMED.parent / "fixtures" / "many-errors.toml")
    assert [d.code for d in pf.diagnostics] == ["unknown-key", "bad-duration", "bad-value"]
    assert [d.line for d in pf.diagnostics] == sorted(d.line for d in pf.diagnostics)
