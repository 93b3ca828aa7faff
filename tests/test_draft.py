"""``procedurekit draft``: rules proposed from a procedure's prose.

The five shipped source texts give validating drafts whose quotes are exact; two texts written for these
tests (tests/draft/, not shipped, in the general style of English procedures) check the patterns on prose
they were not read from, against timed rules worked out by hand below.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from procedurekit import Library
from procedurekit.authoring.draftplugin import text_of
from procedurekit.authoring.drafting import measure, propose, timed_rules

ROOT = Path(__file__).parent.parent
TEXTS = Path(__file__).parent / "draft"
SHIPPED = sorted(ROOT.glob("plugins/*/procedurekit_*/sources/*.txt"))

#: by hand, from each text: (kind, number, unit, the event counted from, strength)
NORTHMOOR = [
    ("within", 15, "working days", "strategy-discussion", "must"),   # 1.1
    ("before", 3, "working days", "icpc", "should"),                 # 1.2 reports before the conference
    ("within", 1, "working days", "icpc", "must"),                   # 1.3 "will be sent": will read as must
    ("within", 10, "working days", "icpc", "should"),                # 2.1 the first core group
    ("every", 4, "weeks", "core-group", "should"),                   # 2.2
    ("within", 5, "working days", "core-group", "must"),             # 2.3 minutes "of the meeting"
    ("within", 2, "working days", "school-move", "should"),          # 2.4
    ("within", 3, "months", "icpc", "must"),                         # 3.1 the first review...
    ("every", 6, "months", "rcpc", "should"),                        # ...and its own "should" for later ones
    ("before", 10, "weeks", "expected-birth", "should"),             # 4.1
]
EASTVALE = [
    ("within", 15, "working days", "strategy-discussion", "usually"),  # "will normally"
    ("before", 2, "working days", "icpc", "should"),                   # "are expected to"
    ("within", 10, "working days", "icpc", "should"),                  # listed under "The core group should:"
    ("every", 1, "months", "core-group", "should"),                    # "at least monthly thereafter"
    ("within", 7, "days", "core-group", "should"),                     # bare days, from the lead-in's meeting
    ("within", 3, "months", "icpc", "must"),
    ("every", 6, "months", "rcpc", "must"),
    ("within", 5, "working days", "plan-ends", "must"),
]


def _keys(text: str) -> list[tuple]:
    return [(p.kind, p.number, p.unit, p.anchor, p.strength) for p in propose(text)[0]]


@pytest.mark.parametrize(("name", "expected"), [("northmoor", NORTHMOOR), ("eastvale", EASTVALE)])
def test_texts_not_shipped_give_the_rules_worked_out_by_hand(name, expected):
    proposed = _keys((TEXTS / f"{name}.txt").read_text())
    wrong = [p for p in proposed if p not in expected]
    assert wrong == []  # every proposal is right
    result = measure(propose((TEXTS / f"{name}.txt").read_text())[0], expected)
    # Eastvale's "are expected to" is not among the words that make a statement normative
    assert result["recall"] >= 7 / 8, result["missed"]


def test_each_proposal_quotes_its_statement_exactly_with_its_section():
    text = (TEXTS / "northmoor.txt").read_text()
    proposals, unparsed = propose(text)
    assert all(p.quote in text for p in proposals) and all(u.quote in text for u in unparsed)
    first = proposals[0]
    assert first.section == "1.1" and first.subject == "icpc" and first.occurrence == "first"
    assert [u.reason for u in unparsed] == ["no timescale with a number and a unit"]


def test_whichever_is_sooner_is_one_rule_of_alternatives(run, tmp_path):
    text = ("Review Conferences\n\nAfter a pre-birth conference, the review conference should take place within 1 month"
            " of the child's birth or within 3 months of the pre-birth conference, whichever is sooner.\n")
    (proposal,) = propose(text)[0]
    assert (proposal.kind, proposal.combine, proposal.subject) == ("alternatives", "sooner", "rcpc")
    assert proposal.alternatives == ((1, "months", "birth"), (3, "months", "pre-birth-conference"))
    source = tmp_path / "goodshire.txt"
    source.write_text(text)
    assert run("draft", str(source), "-o", str(tmp_path / "plugin")).exit_code == 0
    checked = run("--plugin-dir", str(tmp_path / "plugin"), "validate", "goodshire")
    assert checked.exit_code == 0 and "draft-rule" in checked.output


def test_the_same_rule_twice_is_one_rule_and_the_second_statement_is_listed():
    text = ("Reviews\n\nFurther reviews should be held at intervals of not more than 6 months.\n\n"
            "Subsequent review conferences should take place within 6 months thereafter.\n")
    proposals, unparsed = propose(text)
    assert [(p.kind, p.number, p.unit, p.anchor) for p in proposals] == [("every", 6, "months", "rcpc")]
    assert unparsed[0].reason == "the same rule as the statement on line 3"


def test_bare_days_are_marked():
    (proposal,) = [p for p in propose((TEXTS / "eastvale.txt").read_text())[0] if p.unit == "days"]
    assert proposal.bare_days and proposal.number == 7


def test_html_gives_the_same_rules_as_its_text():
    text = (TEXTS / "eastvale.txt").read_text()
    lines = []
    for line in text.splitlines():
        if line.strip().startswith("•"):
            lines.append(f"<ul><li>{line.strip()[1:].strip()}</li></ul>")
        elif line.strip():
            lines.append(f"<p>{line.strip()}</p>")
    page = ("<!doctype html><html><head><style>p {color: red}</style><script>var x = 'must within 3 days';"
            "</script></head><body>" + "\n".join(lines) + "</body></html>")
    assert _keys(text_of(page)) == _keys(text)
    assert "var x" not in text_of(page)


@pytest.mark.parametrize("source", SHIPPED, ids=[p.parent.parent.name for p in SHIPPED])
def test_each_shipped_text_gives_a_validating_draft(run, tmp_path, source):
    target = tmp_path / "plugin"
    result = run("draft", str(source), "--name", "goodshire", "-o", str(target))
    assert result.exit_code == 0, result.output
    checked = run("--plugin-dir", str(target), "validate", "goodshire")
    assert checked.exit_code == 0, checked.output
    warnings = [line for line in checked.output.splitlines() if ": warning: " in line]
    assert warnings and all(": draft-rule: " in line for line in warnings)
    procedure = tomllib.loads((target / "procedurekit_goodshire" / "procedures" / "goodshire.toml").read_text())
    text = source.read_text(encoding="utf-8")
    quotes = [ob["source"]["quote"] for ob in procedure["obligations"].values()]
    assert quotes and all(q in text for q in quotes) and all(ob["draft"] for ob in procedure["obligations"].values())
    coverage = tomllib.loads((target / "procedurekit_goodshire" / "coverage.toml").read_text())
    assert all(entry["reason"].startswith("draft: ") for entry in coverage["unencoded"])


def test_the_generated_plugin_passes_its_own_scenario_tests(run, tmp_path):
    target = tmp_path / "northmoor"
    assert run("draft", str(TEXTS / "northmoor.txt"), "-o", str(target)).exit_code == 0
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", str(target / "tests")],
                          capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"\b1 passed\b", done.stdout)


def test_the_shipped_texts_measured_against_their_plugins():
    library = Library.load()
    totals = {"written": 0, "proposed": 0, "right": 0}
    for source in SHIPPED:
        pid = source.parent.parent.parent.name
        entry = library.entries[pid]
        doc = next(d for d, s in entry.written.sources.items() if s.file and Path(s.file).name == source.name)
        result = measure(propose(source.read_text(encoding="utf-8"))[0], timed_rules(entry.written, doc))
        for key in totals:
            totals[key] += result[key]  # type: ignore[operator]
    # docs/draft.md reports these figures (18 of 22, 18 of 20); the goal is 80% and 90%
    assert totals["written"] == 22
    assert totals["right"] / totals["written"] >= 0.8 and totals["right"] / totals["proposed"] >= 0.9


def test_draft_refuses_a_name_that_is_not_an_id(run, tmp_path):
    result = run("draft", str(TEXTS / "northmoor.txt"), "--name", "Good Shire", "-o", str(tmp_path / "x"))
    assert result.exit_code == 2 and "is not a procedure id" in result.output


def test_compare_shows_the_draft_beside_an_installed_plugin(run, tmp_path):
    source = next(p for p in SHIPPED if "warrington" in str(p))
    result = run("draft", str(source), "--name", "goodshire", "-o", str(tmp_path / "p"), "--compare", "warrington",
                 real_plugins=True)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "core-group-first: within 10 working days of icpc, should" in out  # the same in both
    # Warrington counts its reports from any conference, an event of its own; the draft from the initial one
    assert "only in the draft:\n  line 53: 2 working days before icpc, should" in out
    assert "only in warrington:\n  agency-report: 2 working days before conference, should" in out
