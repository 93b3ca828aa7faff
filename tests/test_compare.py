"""Comparing procedures: each class of difference, real differences in the seeds, reports and the CI gate."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest

from procedurekit.compare.diff import Change, compare_matrix, compare_procedures, find_changes
from procedurekit.host.library import Library
from procedurekit.compare.reports import matrix_data
from procedurekit.compare.text import render_text

ROOT = Path(__file__).parent.parent
SCHEMA = json.loads((ROOT / "procedurekit" / "schemas" / "compare.schema.json").read_text())

LEFT = '''
[procedure]
id = "left"
title = "Left"

[sources.s]
title = "S"

[roles.team-manager]
name = "Team manager"

[roles.lead-social-worker]
name = "Lead social worker"

[meetings.core-group]
name = "Core group"
chair.first = { roles = ["team-manager"], strength = "must", source = { doc = "s" } }

[obligations.first]
meeting = "core-group"
occurrence = "first"
within = "10 working days"
after = "icpc"
strength = "should"
source = { doc = "s", quote = "left first" }

[obligations.minutes]
what = "Circulate minutes"
within = "10 working days"
after = "core-group"
strength = "should"
interpretation = "Read as working days."
source = { doc = "s" }

[obligations.reviews]
meeting = "rcpc"
every = "6 months"
after = "rcpc"
strength = "should"
source = { doc = "s" }

[obligations.visits]
what = "Visit the child"
within = "10 working days"
after = "core-group"
strength = "should"
source = { doc = "s" }

[obligations.only-left]
what = "Left only"
strength = "should"
source = { doc = "s" }
'''


@pytest.fixture
def pair(load, tmp_path):
    def build(right_text: str):
        (tmp_path / "left.toml").write_text(LEFT)
        (tmp_path / "right.toml").write_text(right_text)
        library = load(plugin_dirs=[tmp_path])
        assert library.errors() == [], library.errors()
        comparison = compare_procedures(library.get("left"), library.get("right"))
        return {item.key: item for item in comparison.items}
    return build


def test_each_class_of_difference(pair):
    right = LEFT.replace('id = "left"', 'id = "right"').replace('title = "Left"', 'title = "Right"')
    right = right.replace('within = "10 working days"\nafter = "icpc"', 'within = "5 working days"\nafter = "icpc"')
    right = right.replace('within = "10 working days"\nafter = "core-group"\nstrength = "should"\n'
                          'interpretation', 'within = "15 working days"\nafter = "core-group"\nstrength = "should"\n'
                          'interpretation')
    right = right.replace('chair.first = { roles = ["team-manager"]', 'chair.first = { roles = ["lead-social-worker"]')
    right = right.replace('what = "Visit the child"\nwithin = "10 working days"', 'what = "Visit the child"\nwithin = "2 weeks"')
    right = right.replace('[obligations.only-left]\nwhat = "Left only"', '[obligations.only-right]\nwhat = "Right only"')
    items = pair(right)
    assert items["obligations.first"].change is Change.STRICTER       # 5 < 10 working days
    assert items["obligations.minutes"].change is Change.LOOSER       # 15 > 10 working days
    assert items["meetings.core-group"].change is Change.CHANGED      # a different chair role
    assert items["obligations.visits"].change is Change.STRICTER  # 2 weeks: never longer than 10 working days
    assert items["obligations.reviews"].change is Change.SAME
    assert items["obligations.only-left"].change is Change.REMOVED
    assert items["obligations.only-right"].change is Change.ADDED
    looser = items["obligations.minutes"].differences[0]
    assert (looser.aspect, looser.left, looser.right) == ("deadline", "10 working days", "15 working days")
    assert "longer" in looser.explanation


@pytest.mark.parametrize(("change_from", "change_to", "expected"), [
    ('strength = "should"\nsource = { doc = "s", quote = "left first" }',
     'strength = "must"\nsource = { doc = "s", quote = "left first" }', Change.STRICTER),
    ('strength = "should"\nsource = { doc = "s", quote = "left first" }',
     'strength = "may"\nsource = { doc = "s", quote = "left first" }', Change.LOOSER),
    ('every = "6 months"', 'every = "3 months"', Change.STRICTER),
    ('every = "6 months"', 'every = "1 year"'.replace("1 year", "12 months"), Change.LOOSER),
    ('after = "icpc"\nstrength', 'after = "icpc"\nnot_immediately = true\nstrength', Change.STRICTER),
    ('after = "icpc"\nstrength', 'after = "strategy-discussion"\nstrength', Change.CHANGED),
    ('within = "10 working days"\nafter = "icpc"', 'timescale = "set-per-case"\nafter = "icpc"', Change.LOOSER),
    ('within = "10 working days"\nafter = "icpc"', 'timescale = "immediately"\nafter = "icpc"', Change.STRICTER),
])
def test_ordering_rules(pair, change_from, change_to, expected):
    right = LEFT.replace('id = "left"', 'id = "right"').replace(change_from, change_to, 1)
    items = pair(right)
    changed = [i for i in items.values() if i.change is not Change.SAME]
    assert len(changed) == 1 and changed[0].change is expected, [(i.key, i.change) for i in changed]


def test_sources_and_readings_alone_are_not_differences(pair):
    right = LEFT.replace('id = "left"', 'id = "right"').replace('quote = "left first"', 'quote = "other words"')
    right = right.replace('interpretation = "Read as working days."', 'interpretation = "Another reading."')
    assert all(i.change is Change.SAME for i in pair(right).values() if i.left is not None and i.right is not None)


# -- the real procedures ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def library() -> Library:
    return Library.load()


REAL = [
    # (left, right, item, class, why)
    ("england", "scotland", "obligations.core-group-first", Change.LOOSER, "15 working days after the CPPM vs 10"),
    ("wales", "scotland", "obligations.core-group-subsequent", Change.LOOSER, "'regular basis' vs every 6 weeks"),
    ("england", "croydon", "obligations.core-group-first", Change.STRICTER, "Croydon: 'must be within ten working days'"),
    ("england", "bedfordshire-luton", "obligations.core-group-first", Change.STRICTER, "not immediately after"),
    ("england", "warrington", "meetings.icpc", Change.STRICTER, "Warrington adds a quorum"),
    ("warrington", "croydon", "meetings.icpc", Change.LOOSER, "Croydon's page sets no conference quorum"),
    ("warrington", "croydon", "obligations.core-group-subsequent", Change.CHANGED,
     "monthly (usually) vs every 2 months after the first review (should)"),
    ("england", "wales", "obligations.icpc", Change.CHANGED, "from the last strategy discussion, not the first"),
    ("england", "scotland", "obligations.icpc", Change.CHANGED, "28 days after the IRD"),
    ("england", "wales", "obligations.core-group-frequency", Change.ADDED, "Wales: every 6 weeks"),
    ("england", "scotland", "categories.neglect", Change.REMOVED, "Scotland requires no category"),
    ("england", "wales", "obligations.rcpc-subsequent", Change.SAME, "6-monthly reviews in both"),
    ("warrington", "croydon", "obligations.core-group-record", Change.STRICTER, "a record within 7 working days"),
    ("england", "warrington", "obligations.rcpc-first", Change.CHANGED, "not after a pre-birth conference"),
]


@pytest.mark.parametrize(("left", "right", "key", "expected", "why"), REAL, ids=[f"{r[0]}-{r[1]}-{r[2]}" for r in REAL])
def test_real_differences(library, left, right, key, expected, why):
    items = {i.key: i for i in compare_procedures(library.get(left), library.get(right)).items}
    assert items[key].change is expected, items[key].explanation


def test_core_group_frequency_warrington_vs_croydon_in_detail(library):
    items = {i.key: i for i in compare_procedures(library.get("warrington"), library.get("croydon")).items}
    row = items["obligations.core-group-subsequent"]
    # one row for the concept, whatever the ids: Croydon says it in five rules (the phases of its plan)
    assert row.concept == "core-group-frequency"
    assert row.left_items == ("core-group-subsequent",)
    assert set(row.right_items) == {"core-group-subsequent", "core-group-second", "core-group-after-review",
                                    "core-group-agreed-frequency", "conference-recommends-frequency"}
    diffs = {d.aspect: d for d in row.differences}
    frequency, strength = diffs["core-group-subsequent: frequency"], diffs["core-group-subsequent: strength"]
    assert frequency.change is Change.LOOSER
    assert (frequency.left, frequency.right) == ("1 month", "2 months")
    assert "review child protection conference" in frequency.explanation
    assert strength.change is Change.STRICTER  # "should" against Warrington's "usually"
    # Croydon's further rules about the frequency (six weeks after the first, ...) ask more, so are stricter
    assert diffs["core-group-second"].change is Change.STRICTER
    assert diffs["core-group-second"].left == "-"


def test_warrington_and_croydon_are_compared_by_meaning(library):
    """The same duties under different ids are side by side, not "added" and "removed"."""
    comparison = compare_procedures(library.get("warrington"), library.get("croydon"))
    by_concept = {i.concept: i for i in comparison.items if i.concept}
    for concept in ("core-group-frequency", "core-group-minutes", "conference-reports"):
        entry = by_concept[concept]
        assert entry.left is not None and entry.right is not None, concept
        assert entry.change not in (Change.ADDED, Change.REMOVED), concept
    # the core group's chair is a rule of the meeting in both: compared with its values
    core_group = next(i for i in comparison.items if i.key == "meetings.core-group")
    chair = [d for d in core_group.differences if d.aspect.startswith("chair (first)")]
    assert chair and "team-leader" in chair[0].right
    # narrative duties (no concept) found in one procedure only are apart from the counts
    assert sum(1 for i in comparison.items if i.narrative) > 50
    assert all(i.concept is None for i in comparison.items if i.narrative)


def test_partnerships_do_not_relax_the_national_floor(library):
    for pid in ("bedfordshire-luton", "croydon", "derby-derbyshire", "milton-keynes", "warrington"):
        comparison = compare_procedures(library.get("england"), library.get(pid))
        assert not find_changes(comparison, {Change.LOOSER}), pid


def test_find_changes_looks_at_aspects_and_works_on_a_matrix(library):
    comparison = compare_procedures(library.get("warrington"), library.get("croydon"))
    found = {i.key: i for i in find_changes(comparison, {Change.LOOSER})}
    # changed overall (stricter strength, looser frequency), found by its looser aspect
    assert found["obligations.core-group-subsequent"].change is Change.CHANGED
    assert found["meetings.icpc"].change is Change.LOOSER
    assert all(i.change is Change.LOOSER or any(d.change is Change.LOOSER or Change.LOOSER in dict(d.readings).values()
                                                for d in i.differences)
               for i in found.values())
    assert find_changes(comparison, []) == []
    matrix = compare_matrix(library.get("england"), [library.get("scotland"), library.get("croydon")])
    removed = find_changes(matrix, {Change.REMOVED})
    assert all(i.right is None for i in removed)
    # a narrative rule (no concept) found in England only is listed apart, not a "removed" a gate fails on
    neglect = matrix.cell("categories", "neglect", "scotland")
    assert neglect is not None and neglect.change is Change.REMOVED and neglect.narrative
    assert ("categories", "neglect") not in {(i.section, i.item) for i in removed}
    assert len(matrix.items) == len(matrix.cells)


# -- reports -------------------------------------------------------------------------------

def test_json_matches_schema_pair_and_matrix(run):
    pair = json.loads(run("compare", "england", "croydon", "--format", "json", real_plugins=True).output)
    jsonschema.validate(pair, SCHEMA)
    matrix = json.loads(run("compare", "--all", "--baseline", "england", "--format", "json",
                            real_plugins=True).output)
    jsonschema.validate(matrix, SCHEMA)
    assert {p["id"] for p in matrix["procedures"]} >= {"croydon", "warrington", "wales", "scotland"}
    row = next(r for r in matrix["rows"] if r["item"] == "core-group-first")
    assert row["cells"]["scotland"]["change"] == "looser"
    assert row["cells"]["scotland"]["value"]["sources"][0]["doc"] == "ngcps2023"
    assert row["baseline"]["sources"][0]["verified"] == "secondary"


def test_text_pair_report(run):
    result = run("compare", "warrington", "croydon", real_plugins=True)
    assert result.exit_code == 0
    out = result.output
    assert out.startswith("warrington -> croydon:")
    assert "\x1b[" not in out  # no colour when not a terminal
    assert all(len(line) <= 100 for line in out.splitlines())
    assert "frequency [looser]: warrington: 1 month | croydon: 2 months" in out
    assert "croydon source: core-group-guidance" in out


def test_text_colour_only_when_asked():
    data = {"baseline": {"id": "a"}, "procedures": [{"id": "b"}], "summary": {"b": {"looser": 1}},
            "rows": [{"section": "obligations", "item": "x", "baseline": None,
                      "cells": {"b": {"change": "looser", "differences": [], "value": None, "explanation": ""}}}]}
    assert "\x1b[" in render_text(data, colour=True) and "\x1b[" not in render_text(data, colour=False)


def test_matrix_text_fits_100_columns(run):
    out = run("compare", "--all", "--baseline", "england", real_plugins=True).output
    assert all(len(line) <= 100 for line in out.splitlines()[:-1])
    assert "\nFirst core group " in out and "▼" in out  # rows named by concept; a mark per class


def test_markdown_report(run):
    out = run("compare", "england", "warrington", "--format", "markdown", real_plugins=True).output
    assert "| class | item | aspect | england | warrington | why |" in out
    assert "### Sources" in out and "cp-conferences" in out


class _Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.external: list[str] = []
        self.checkboxes: list[str] = []
        self.rows = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "img", "iframe") and attrs.get("src"):
            self.external.append(attrs["src"])
        if tag == "link":
            self.external.append(attrs.get("href", ""))
        if tag == "input" and attrs.get("type") == "checkbox":
            self.checkboxes.append(attrs["value"])
        if tag == "tr" and "data-topics" in attrs:
            self.rows += 1


def test_html_report_is_self_contained_and_filterable(run, tmp_path):
    target = tmp_path / "report.html"
    result = run("compare", "--all", "--baseline", "england", "--format", "html", "-o", str(target),
                 real_plugins=True)
    assert result.exit_code == 0
    page = target.read_text()
    parser = _Assets()
    parser.feed(page)
    assert parser.external == []
    assert parser.checkboxes == [c.value for c in Change]
    assert parser.rows > 30  # rules and concepts; narrative duties are listed apart
    # each cell says the rule in a few words, marked by class; the legend explains every class
    assert re.search(r'data-change="looser">\s*<details><summary><span class="mark" title="looser">▼</span>', page)
    assert "2 readings: 15 days / 15 WD, should" in page  # warrington's ICPC, both readings
    for change in Change:
        assert re.search(rf'<b>{change.value}</b>: \w', page), change
    assert 'value="same">' in page and 'value="looser" checked>' in page  # "same" hidden unless asked
    embedded = re.search(r'<script id="report-data" type="application/json">(.*?)</script>', page, re.S)
    import html as html_module

    jsonschema.validate(json.loads(html_module.unescape(embedded.group(1))), SCHEMA)
    assert "<blockquote>" in page  # sources quoted


def test_fail_on_exit_codes(run):
    assert run("compare", "england", "scotland", "--fail-on", "looser", real_plugins=True).exit_code == 1
    assert run("compare", "england", "croydon", "--fail-on", "looser", real_plugins=True).exit_code == 0
    assert run("compare", "england", "croydon", "--fail-on", "looser,removed", real_plugins=True).exit_code == 0
    assert run("compare", "england", "scotland", "--fail-on", "removed", real_plugins=True).exit_code == 1
    bad = run("compare", "england", "croydon", "--fail-on", "loser", real_plugins=True)
    assert bad.exit_code == 2 and "use one or more of" in bad.output


def test_usage_errors(run):
    assert run("compare", "england", real_plugins=True).exit_code == 2
    unknown = run("compare", "england", "croydn", real_plugins=True)
    assert unknown.exit_code == 2 and 'did you mean "croydon"' in unknown.output


def test_same_case_in_different_areas(run, tmp_path):
    case = tmp_path / "case.toml"
    case.write_text('id = "pre-birth"\nconditions = ["pre-birth"]\n\n'
                    '[[events]]\nevent = "pre-birth-conference"\ndate = 2024-01-10\n\n'
                    '[[events]]\nevent = "birth"\ndate = 2024-02-20\n\n'
                    '[[events]]\nevent = "icpc"\ndate = 2024-01-10\n')
    out = run("compare", "england", "warrington", "croydon", "--case", str(case), "--format", "json",
              real_plugins=True).output
    data = json.loads(out)
    rcpc = next(r for r in data["rows"] if r["meeting"] == "rcpc")
    # england: 3 months after the conference; warrington: 1 month after birth, the sooner
    assert rcpc["cells"]["england"]["date"] == "2024-04-10"
    assert rcpc["cells"]["warrington"]["date"] == "2024-03-20"
    assert rcpc["cells"]["warrington"]["obligation"] == "rcpc-after-pre-birth"
    text = run("compare", "england", "warrington", "--case", str(case), real_plugins=True).output
    assert "next rcpc:" in text and "2024-03-20" in text


def test_bad_case_file_is_reported_with_its_line(run, tmp_path):
    case = tmp_path / "case.toml"
    case.write_text('id = "x"\n\n[[events]]\nevent = "icpc"\ndate = "next week"\n')
    result = run("compare", "england", "warrington", "--case", str(case), real_plugins=True)
    assert result.exit_code == 1
    assert "case.toml:5:8: wrong-type" in result.output


def test_matrix_api(library):
    matrix = compare_matrix(library.get("england"), [library.get("croydon"), library.get("derby-derbyshire")])
    assert matrix.cell("obligations", "core-group-first", "croydon").change is Change.STRICTER
    data = matrix_data(matrix)
    jsonschema.validate(data, SCHEMA)
