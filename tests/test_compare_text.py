"""The text matrix and ``list`` fit the terminal: any number of procedures, any width, never a crash."""

from __future__ import annotations

import copy
import json
import re

import pytest

from procedurekit.compare.classes import Change
from procedurekit.compare.text import render_markdown, render_text

ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture(scope="module")
def shipped():
    """The shipped matrix (every installed procedure against england) as JSON data."""
    from click.testing import CliRunner

    from procedurekit.cli import cli

    result = CliRunner().invoke(cli, ["compare", "--all", "--format", "json"])
    assert result.exit_code == 0
    return json.loads(result.output)


def _many(data, n):
    """*data* with its columns repeated under *n* procedure ids."""
    out = copy.deepcopy(data)
    real = [p["id"] for p in data["procedures"]]
    ids = [(f"partnership-number-{i:03d}", real[i % len(real)]) for i in range(n)]
    out["procedures"] = [dict(data["procedures"][i % len(real)], id=new) for i, (new, _) in enumerate(ids)]
    for row in out["rows"]:
        row["cells"] = {new: row["cells"][old] for new, old in ids if old in row["cells"]}
    out["summary"] = {new: data["summary"][old] for new, old in ids}
    out["narrative"] = {new: data["narrative"][old] for new, old in ids}
    return out


@pytest.mark.parametrize("count, width", [(200, 80), (11, 80), (30, 40), (7, 120)])
def test_matrix_fits_the_width_with_any_number_of_procedures(shipped, count, width):
    data = _many(shipped, count)
    text = ANSI.sub("", render_text(data, width=width, colour=True))
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= width
    # every procedure is named in full (in the key when its column has a code)
    for proc in data["procedures"]:
        assert re.search(rf"(= |^|\s){re.escape(proc['id'])}(\s|$|:)", text, re.M), proc["id"]
    assert any(line.startswith("First core group") for line in lines)  # rows named by concept
    table, rest = text[:text.index("marks:")], text[text.index("marks:"):]
    legend = re.split(r"\n(?:columns:|\n)", rest)[0]
    marks = dict(re.findall(r"(\S) ([a-z-]+)(?:,|$)", " ".join(legend.split())))
    assert set(marks.values()) == {c.value for c in Change}  # the legend explains every class
    assert "▲" in table and "·" in table
    assert not set(re.findall(r"[^\w\s().,:'…/-]", table)) - set(marks)  # every mark used is in the legend
    assert "narrative duties (not compared)" in text and "only in" in text


def test_every_row_of_the_matrix_appears_in_each_column_block(shipped):
    text = render_text(_many(shipped, 200), width=80)
    rows = len(shipped["rows"])
    blocks = [i for i, line in enumerate(text.splitlines()) if line.startswith("rule ")]
    assert len(blocks) > 1  # 200 columns do not fit one block in 80 characters
    assert all(text.splitlines()[b + rows].strip() for b in blocks)


def test_cli_matrix_with_eleven_procedures_in_a_narrow_terminal(run, tmp_path):
    folder = tmp_path / "areas"
    folder.mkdir()
    for i in range(10):
        (folder / f"area{i}.toml").write_text(f'[procedure]\nid = "area-{i}"\ntitle = "Area {i}"\n'
                                              'extends = "england"\n')
    result = run("--plugin-dir", str(folder), "compare", "--all", real_plugins=True, env={"COLUMNS": "50"})
    assert result.exit_code == 0, result.output
    assert max(len(line) for line in result.output.splitlines()) <= 50
    assert "= area-9" in result.output


def test_pair_report_wraps_and_lists_narrative_duties(run):
    result = run("compare", "warrington", "croydon", real_plugins=True, env={"COLUMNS": "60"})
    assert result.exit_code == 0
    assert max(len(line) for line in result.output.splitlines()) <= 60
    assert "only in croydon:" in result.output


def test_markdown_lists_narrative_duties_apart(shipped):
    text = render_markdown(shipped)
    assert "### Narrative duties (listed, not compared)" in text
    assert "| First core group (`obligations.core-group-first`) |" in text


def test_list_fits_the_terminal_and_shows_paths_on_request(run):
    narrow = run("list", real_plugins=True, env={"COLUMNS": "80"})
    assert narrow.exit_code == 0
    assert max(len(line) for line in narrow.output.splitlines()) <= 80
    assert "FILE" not in narrow.output and ".toml" not in narrow.output
    wide = run("list", "--paths", real_plugins=True, env={"COLUMNS": "250"})
    assert "FILE" in wide.output and "croydon.toml" in wide.output
