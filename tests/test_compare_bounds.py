"""compare by bounds (a month against 4 weeks) and by each reading of an ambiguous timescale."""

from __future__ import annotations

import json

import pytest

from procedurekit.compare.diff import Change, compare_procedures

BASE = '''
[procedure]
id = "{id}"
title = "{id}"

[sources.s]
title = "S"

[meetings.core-group]
name = "Core group"

[obligations.core-groups]
meeting = "core-group"
occurrence = "subsequent"
every = "{every}"
strength = "should"
source = {{ doc = "s" }}

[obligations.first-core-group]
meeting = "core-group"
occurrence = "first"
within = "{within}"
after = "icpc"
strength = "should"
source = {{ doc = "s" }}
{readings}
'''


def write(tmp_path, pid, every="1 month", within="10 working days", readings=""):
    (tmp_path / f"{pid}.toml").write_text(BASE.format(id=pid, every=every, within=within, readings=readings))


@pytest.fixture
def compared(load, tmp_path):
    def build(**right):
        write(tmp_path, "left")
        write(tmp_path, "right", **right)
        library = load(plugin_dirs=[tmp_path])
        assert library.errors() == [], library.errors()
        return {i.key: i for i in compare_procedures(library.get("left"), library.get("right")).items}
    return build


@pytest.mark.parametrize(("every", "expected", "why"), [
    ("4 weeks", Change.STRICTER, "equal only in a February"),      # 28 days against 28-31
    ("4-weekly", Change.STRICTER, "equal only in a February"),
    ("5 weeks", Change.LOOSER, "a longer interval"),               # 35 days against 28-31
    ("30 days", Change.NOT_COMPARABLE, "overlap"),                  # longer than February, shorter than March
    ("1 month", Change.SAME, None),
])
def test_every_4_weeks_against_monthly_by_bounds(compared, every, expected, why):
    item = compared(every=every)["obligations.core-groups"]
    assert item.change is expected, item.explanation
    if why:
        assert why in item.explanation


@pytest.mark.parametrize(("within", "expected"), [
    ("10 days", Change.STRICTER),        # 10 calendar days against 14-19
    ("3 weeks", Change.LOOSER),          # 21 calendar days against at most 19
    ("2 weeks", Change.STRICTER),        # 14 calendar days: never longer, equal over a fortnight with no holiday
    ("15 days", Change.NOT_COMPARABLE),  # 15 against 14-19: either may be longer
])
def test_calendar_days_against_working_days(compared, within, expected):
    item = compared(within=within)["obligations.first-core-group"]
    assert item.change is expected, item.explanation


BOTH = '''basis = "literal"
readings = [{ within = "10 working days", basis = "national", reason = "national guidance counts working days" }]'''


def test_a_rule_with_two_readings_is_classed_on_each(compared):
    # left: 10 working days; right: "10 days" as written, 10 working days on the national reading
    item = compared(within="10 days", readings=BOTH)["obligations.first-core-group"]
    assert item.change is Change.DEPENDS_ON_READING, item.explanation
    (diff,) = item.differences
    assert dict(diff.readings) == {"literal 10 days against 10 working days": Change.STRICTER,
                                   "national 10 working days against 10 working days": Change.SAME}
    assert diff.right == "10 days or 10 working days"


def test_the_same_class_on_every_reading_is_that_class(compared):
    # 5 days and 5 working days are both shorter than 10 working days
    item = compared(within="5 days", readings=BOTH.replace("10 working days", "5 working days"))
    first = item["obligations.first-core-group"]
    assert first.change is Change.STRICTER
    assert "on every reading" in first.explanation


def test_floor_warns_when_one_reading_relaxes_it(run, tmp_path):
    # "12 days" (or 12 working days) against a floor of 10 working days: 12 calendar days is not ordered
    # against 10 working days (14-19 days), but 12 working days is longer: looser on the national reading
    write(tmp_path, "left")
    (tmp_path / "right.toml").write_text(BASE.format(id="right", every="1 month", within="12 days",
                                                     readings=BOTH.replace("10 working", "12 working"))
                                         .replace('title = "right"', 'title = "right"\nextends = "left"')
                                         .replace("sources.s]", "sources.r]").replace('doc = "s"', 'doc = "r"'))
    result = run("validate", "right", env={"PROCEDUREKIT_PLUGIN_PATH": str(tmp_path)})
    assert "relaxes-floor" in result.output, result.output
    assert "on the reading national 12 working days against 10 working days only" in result.output, result.output


def test_cli_reports_and_gates_on_the_reading(run, tmp_path):
    write(tmp_path, "left")
    write(tmp_path, "right", within="12 days", readings=BOTH.replace("10 working", "12 working"))
    env = {"PROCEDUREKIT_PLUGIN_PATH": str(tmp_path)}
    text = run("compare", "left", "right", env=env)
    assert text.exit_code == 0, text.output
    assert "depends-on-reading" in text.output
    assert "national 12 working days against 10 working days: looser" in text.output
    data = json.loads(run("compare", "left", "right", "--format", "json", env=env).output)
    cell = next(r for r in data["rows"] if r["item"] == "first-core-group")["cells"]["right"]
    assert cell["change"] == "depends-on-reading"
    assert data["summary"]["right"]["depends-on-reading"] == 1
    # a CI gate on looser catches a rule that is looser on one of its readings
    gate = run("compare", "left", "right", "--fail-on", "looser", env=env)
    assert gate.exit_code == 1, gate.output
    assert run("compare", "left", "right", "--fail-on", "depends-on-reading", env=env).exit_code == 1


def test_conditional_chairs_and_per_child_quorums_are_compared(tmp_path, load):
    write(tmp_path, "left")
    right = BASE.format(id="right", every="1 month", within="10 working days", readings="").replace(
        '[meetings.core-group]\nname = "Core group"\n',
        '[meetings.core-group]\nname = "Core group"\n'
        'quorum = { minimum = 2, per_child = true, strength = "must", source = { doc = "s" } }\n\n'
        '[[meetings.core-group.chair.conditional]]\nroles = ["team-manager"]\nwhen = ["looked-after"]\n'
        'strength = "should"\nsource = { doc = "s" }\n')
    vocabulary = '[roles.team-manager]\nname = "Team manager"\n\n[conditions.looked-after]\nname = "Looked after"\n\n'
    (tmp_path / "right.toml").write_text(right.replace("[sources.s]", vocabulary + "[sources.s]"))
    library = load(plugin_dirs=[tmp_path])
    assert library.errors() == [], library.errors()
    item = next(i for i in compare_procedures(library.get("left"), library.get("right")).items
                if i.key == "meetings.core-group")
    aspects = {d.aspect: d.change for d in item.differences}
    assert aspects["chair (conditional.1)"] is Change.CHANGED
    assert aspects["quorum"] is Change.STRICTER  # a quorum added
