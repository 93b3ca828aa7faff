"""Concepts: rules say what they are about, so procedures are compared by meaning, not by id."""

from __future__ import annotations

from procedurekit.compare.align import align, role_classes
from procedurekit.compare.diff import Change, compare_procedures
from procedurekit.model import CONCEPTS, TOPICS

AREA = '''
[procedure]
id = "{id}"
title = "{id}"
partnership = "{id} partnership"
extends = "england"

[sources.s]
title = "Local procedures"

{rules}
'''

SOURCE = 'source = {{ doc = "s", section = "1", quote = "{quote}" }}'


def _rule(item_id: str, body: str, quote: str = "as written") -> str:
    return f"[obligations.{item_id}]\n{body}\n{SOURCE.format(quote=quote)}\n"


def _library(load, tmp_path, **areas: str):
    for pid, rules in areas.items():
        (tmp_path / f"{pid}.toml").write_text(AREA.format(id=pid, rules=rules))
    return load(plugin_dirs=[tmp_path])


FREQUENCY = ('meeting = "core-group"\nevery = "{every}"\nafter = "{after}"\nconcept = "core-group-frequency"\n'
             'strength = "{strength}"')


def test_rules_of_one_concept_under_different_ids_are_compared(load, tmp_path):
    library = _library(
        load, tmp_path,
        north=_rule("core-groups-monthly", FREQUENCY.format(every="1 month", after="core-group", strength="should")),
        south=_rule("core-group-interval", FREQUENCY.format(every="4 weeks", after="core-group", strength="should")))
    items = {i.key: i for i in compare_procedures(library.get("north"), library.get("south")).items}
    row = items["obligations.core-groups-monthly"]
    assert (row.concept, row.left_items, row.right_items) == ("core-group-frequency", ("core-groups-monthly",),
                                                              ("core-group-interval",))
    # every 4 weeks is never longer than a month: stricter, not "added" and "removed"
    assert row.change is Change.STRICTER
    assert "obligations.core-group-interval" not in items


def test_a_phased_concept_is_one_row_and_a_further_rule_is_stricter(load, tmp_path):
    phased = (_rule("core-group-subsequent", FREQUENCY.format(every="1 month", after="core-group",
                                                              strength="should"))
              + _rule("core-group-after-review", FREQUENCY.format(every="2 months", after="rcpc", strength="should")))
    library = _library(
        load, tmp_path,
        north=_rule("core-group-subsequent", FREQUENCY.format(every="1 month", after="core-group",
                                                              strength="should")),
        south=phased)
    forward = compare_procedures(library.get("north"), library.get("south"))
    rows = [i for i in forward.items if i.concept == "core-group-frequency"]
    assert len(rows) == 1 and rows[0].change is Change.STRICTER
    assert {d.aspect for d in rows[0].differences} == {"core-group-after-review"}
    backward = compare_procedures(library.get("south"), library.get("north"))
    row = next(i for i in backward.items if i.concept == "core-group-frequency")
    assert row.change is Change.LOOSER and row.differences[0].right == "-"


def test_rules_without_a_concept_on_one_side_only_are_narrative(load, tmp_path):
    library = _library(load, tmp_path,
                       north=_rule("family-invited", 'what = "the family is invited"\nstrength = "should"'),
                       south=_rule("venue-suitable", 'what = "the venue suits the family"\nstrength = "should"'))
    comparison = compare_procedures(library.get("north"), library.get("south"))
    narrative = {i.item: i for i in comparison.items if i.narrative}
    assert narrative["family-invited"].change is Change.REMOVED
    assert narrative["venue-suitable"].change is Change.ADDED


def test_an_override_by_id_inherits_the_baselines_concept(load, tmp_path):
    library = _library(load, tmp_path, north=_rule(
        "core-group-first", 'meeting = "core-group"\noccurrence = "first"\nwithin = "5 working days"\n'
                            'after = "icpc"\nstrength = "must"'))
    assert library.get("england").obligations["core-group-first"].concept == "first-core-group"
    assert library.get("north").obligations["core-group-first"].concept == "first-core-group"


def test_an_unknown_concept_is_an_error_at_its_line(load, tmp_path):
    library = _library(load, tmp_path, north=_rule(
        "core-groups", 'meeting = "core-group"\nevery = "1 month"\nafter = "core-group"\n'
                       'concept = "core-group-frequncy"\nstrength = "should"'))
    errors = [d for d in library.diagnostics if d.code == "undefined-reference" and "concept" in d.message]
    assert len(errors) == 1
    error = errors[0]
    assert 'did you mean "core-group-frequency"?' in error.message
    text = (tmp_path / "north.toml").read_text().splitlines()
    assert error.path.endswith("north.toml") and text[error.line - 1].startswith("concept = ")


def test_equivalent_roles_are_the_same_owner(load):
    library = load()
    classes = role_classes(library.get("england").roles, library.get("wales").roles, library.get("scotland").roles)
    assert classes["social-services"] == classes["childrens-social-care"] == classes["social-work"]
    assert classes["cppm-chair"] == classes["conference-chair"]


def test_align_keeps_the_left_order_and_every_rule_once():
    class Rule:
        def __init__(self, concept=None):
            self.concept = concept

    left = {"a": Rule("first-review"), "b": Rule(), "c": Rule("later-reviews")}
    right = {"x": Rule("later-reviews"), "b": Rule(), "y": Rule("first-review"), "z": Rule()}
    rows = list(align(left, right))
    assert [(r.key, r.left, r.right) for r in rows] == [
        ("a", ("a",), ("y",)), ("b", ("b",), ("b",)), ("c", ("c",), ("x",)), ("z", (), ("z",))]
    assert [r.narrative for r in rows] == [False, False, False, True]


def test_every_concept_has_a_known_topic():
    assert CONCEPTS and all(c.topic in TOPICS for c in CONCEPTS.values())


def test_the_format_docs_list_every_concept():
    from pathlib import Path

    text = (Path(__file__).parent.parent / "docs" / "format.md").read_text(encoding="utf-8")
    for cid, concept in CONCEPTS.items():
        assert f"| `{cid}` | {concept.title} |" in text, f"docs/format.md does not list the concept {cid}"


def test_a_matrix_lines_up_a_concept_whatever_each_area_calls_it(run):
    import json

    result = run("compare", "--all", "--topic", "minutes", "--format", "json", real_plugins=True)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    rows = {f"{r['section']}.{r['item']}": r for r in data["rows"]}
    # England has no core group minutes rule: one row under the concept's id, whatever each area's id
    row = rows["obligations.core-group-minutes"]
    assert row["concept"] == "core-group-minutes" and row["topic"] == "minutes"
    assert {"bedfordshire-luton", "croydon", "derby-derbyshire", "milton-keynes", "warrington"} <= set(row["cells"])
    assert row["cells"]["croydon"]["items"] == ["core-group-record"]
    assert "within 7 working days" in row["cells"]["croydon"]["value"]["text"]
    assert all("minutes" in r.get("topic", "minutes") or r["section"] == "meetings" for r in data["rows"])
    chairs = json.loads(run("compare", "--all", "--topic", "chairs", "--format", "json",
                            real_plugins=True).output)
    assert {r["item"] for r in chairs["rows"]} >= {"core-group", "icpc", "core-group-chair"}
    assert not any(r["section"] == "obligations" and r.get("topic") != "chairs" for r in chairs["rows"])


def test_the_gate_looks_at_procedures_that_extend_the_baseline_or_are_named(run):
    from click.testing import CliRunner

    from procedurekit.cli.app import cli

    runner = CliRunner()
    gate = runner.invoke(cli, ["compare", "--all", "--baseline", "england", "--fail-on", "looser"])
    assert gate.exit_code == 0, gate.output
    assert "not gated against england, as they do not extend it: scotland, wales" in gate.stderr
    named = runner.invoke(cli, ["compare", "england", "wales", "--fail-on", "looser"])
    assert named.exit_code == 1
    assert "difference(s) of class looser in wales" in named.stderr
    assert "not gated" not in named.stderr
