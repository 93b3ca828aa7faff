"""The command line still works, and says what is missing, with each default plugin left out.

Like pytest's check that it runs with each non-essential default plugin
disabled: every key command is run with ``--disable NAME`` for each name in
``DEFAULT_PLUGINS``. Each must end with exit status 0, 1 or 2 and a clean
message (never a traceback or an internal error), and what the plugin does
must be visibly gone while the rest still works.
"""

from __future__ import annotations

import pytest
from conftest import MALFORMED

from procedurekit.builtins import DEFAULT_PLUGINS

CASE = """\
id = "T-1"

[[events]]
event = "strategy-discussion"
date = 2024-01-08

[[events]]
event = "icpc"
date = 2024-01-31

[[events]]
event = "core-group"
date = 2024-02-13
"""

CSV = """\
case_id,event,date,pre-birth
A,strategy-discussion,2024-01-08,
A,icpc,2024-01-31,
A,core-group,2024-02-13,
B,strategy-discussion,2024-02-05,
"""


@pytest.fixture
def files(tmp_path):
    (tmp_path / "case.toml").write_text(CASE, encoding="utf-8")
    (tmp_path / "cases.csv").write_text(CSV, encoding="utf-8")
    return tmp_path


def key_commands(folder) -> dict[str, list[str]]:
    return {
        "list": ["list"],
        "show": ["show", "england"],
        "validate": ["validate"],
        "compare": ["compare", "warrington", "croydon"],
        "schedule": ["schedule", "warrington", str(folder / "case.toml"), "--today", "2024-03-01"],
        "audit": ["audit", "england", str(folder / "cases.csv"), "--today", "2024-03-01"],
        "render": ["render", "england"],
    }


def clean(result) -> None:
    """Exit status 0, 1 or 2, something said, and no traceback or internal error."""
    assert result.exit_code in (0, 1, 2), result.output
    assert result.output.strip()
    assert "Traceback" not in result.output and "internal error" not in result.output, result.output


def next_meetings(output: str) -> str:
    return output[output.index("NEXT MEETINGS"):]


@pytest.mark.parametrize("command", ["list", "show", "validate", "compare", "schedule", "audit", "render"])
@pytest.mark.parametrize("plugin", list(DEFAULT_PLUGINS))
def test_key_commands_end_cleanly_without_each_default_plugin(run, files, plugin, command):
    result = run("--disable", plugin, *key_commands(files)[command], real_plugins=True)
    clean(result)
    if plugin != "baselines":  # everything but the baselines leaves the shipped procedures usable
        assert result.exit_code == 0, result.output


def test_without_baselines_the_national_procedures_are_gone_and_said_to_be(run, files):
    commands = key_commands(files)
    results = {name: run("--disable", "baselines", *argv, real_plugins=True) for name, argv in commands.items()}
    for result in results.values():
        clean(result)
    assert results["show"].exit_code == 2 and 'no procedure "england"' in results["show"].output
    assert results["render"].exit_code == 2 and results["audit"].exit_code == 2
    listing = results["list"]
    assert listing.exit_code == 1
    assert "\nwarrington (invalid)" in listing.output and "\nengland " not in listing.output
    for name in ("validate", "compare", "schedule"):
        assert results[name].exit_code == 1
        assert 'unknown-procedure: extends "england", which is not installed' in results[name].output


def test_without_chairing_the_schedule_lists_instances_but_no_chairs(run, files):
    argv = key_commands(files)["schedule"]
    full = run(*argv, real_plugins=True).output
    result = run("--disable", "chairing", *argv, real_plugins=True)
    assert result.exit_code == 0
    assert "chair: conference-chair" in next_meetings(full)
    assert "chair:" not in result.output
    assert "icpc #1" in result.output and "core-group-first #1" in result.output and "NEXT MEETINGS" in result.output


def test_without_scheduling_instances_stay_and_next_meetings_lose_their_rules(run, files):
    argv = key_commands(files)["schedule"]
    full = run(*argv, real_plugins=True).output
    result = run("--disable", "scheduling", *argv, real_plugins=True)
    assert result.exit_code == 0
    # the instances come from the compiled plan; only "when is the next meeting due" is the plugin's
    assert result.output[:result.output.index("NEXT MEETINGS")] == full[:full.index("NEXT MEETINGS")]
    assert "core-group-subsequent" in next_meetings(full)
    assert "core-group-subsequent" not in next_meetings(result.output)
    assert "no rule sets when it is next due" in next_meetings(result.output)


def test_without_escalation_the_key_commands_answer_the_same(run, files):
    for argv in key_commands(files).values():
        full = run(*argv, real_plugins=True)
        result = run("--disable", "escalation", *argv, real_plugins=True)
        assert (result.exit_code, result.output) == (full.exit_code, full.output), argv


def test_without_checks_undefined_references_go_unnoticed(run):
    argv = ["validate", str(MALFORMED / "undefined-role.toml")]
    checked = run(*argv, real_plugins=True)
    assert checked.exit_code == 1 and 'undefined-reference: "lead-socal-worker" is not a defined role' in checked.output
    unchecked = run("--disable", "checks", *argv, real_plugins=True)
    clean(unchecked)
    assert unchecked.exit_code == 0 and "1 procedure checked: no problems" in unchecked.output


def test_without_floor_relaxing_the_baseline_is_not_reported(run):
    argv = ["validate", str(MALFORMED / "relaxes-floor.toml")]
    assert "relaxes-floor: warning" in run(*argv, real_plugins=True).output
    result = run("--disable", "floor", *argv, real_plugins=True)
    clean(result)
    assert result.exit_code == 0 and "relaxes-floor" not in result.output.replace("relaxes-floor.toml", "")


def test_every_default_plugin_is_covered_here():
    tested = {"baselines", "chairing", "scheduling", "escalation", "checks", "floor"}
    assert set(DEFAULT_PLUGINS) == tested, "add a test_without_<plugin> for the new default plugin"
