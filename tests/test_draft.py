"""``procedurekit draft``: rules proposed from a procedure's prose.

The five shipped source texts give validating drafts whose quotes are exact; two texts written for these
tests (tests/draft/, not shipped, in the general style of English procedures) check the patterns on prose
they were not read from, against timed rules worked out by hand below.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from procedurekit import Library
from procedurekit.authoring.draftplugin import text_of
from procedurekit.authoring.arrangements import arrange, proposed_keys, written_arrangements
from procedurekit.authoring.draftplugin import vocabulary
from procedurekit.authoring.drafting import propose
from procedurekit.authoring.draftreview import measure, score, timed_rules

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
#: by hand, by a reviewer who had read only the docs, before the tool was run on these two texts
ASHCOMBE = [
    ("within", 15, "working days", "strategy-discussion", "must"), ("before", 3, "working days", "icpc", "should"),
    ("before", 2, "working days", "icpc", "should"),
    ("within", 15, "working days", "conference", "should"),  # under "Minutes of Conferences": any conference
    ("within", 10, "working days", "icpc", "should"), ("every", 6, "weeks", "core-group", "should"),
    ("within", 5, "working days", "core-group", "should"), ("within", 3, "months", "icpc", "must"),
    ("every", 6, "months", "rcpc", "should"), ("before", 10, "weeks", "expected-birth", "should"),
    ("within", 10, "working days", "plan-ends", "should"), ("within", 2, "working days", "plan-ends", "must"),
]
ASHCOMBE_WHO = [
    ("chair", "icpc", "each", ("conference-chair",), "must"), ("chair", "rcpc", "each", ("conference-chair",), "must"),
    ("quorum", "icpc", 3, ("childrens-social-care",), "must"),
    ("minutes", "icpc", ("minute-taker",), False, "must"), ("minutes", "rcpc", ("minute-taker",), False, "must"),
    ("recipients", "minutes", ("child", "parent"), "should"),
    ("chair", "core-group", "first", ("team-manager",), "must"),
    ("chair", "core-group", "subsequent", ("lead-social-worker",), "usually"),
    ("chair", "core-group", "fallback", ("core-group-member",), "should"),
    ("recipients", "minutes", ("core-group-member",), "should"),
]
REDMARSH = [
    ("within", 10, "working days", "icpc", "must"), ("every", 4, "weeks", "core-group", "should"),
    ("within", 7, "working days", "core-group", "should"), ("within", 3, "months", "icpc", "must"),
    ("every", 6, "months", "rcpc", "should"), ("before", 5, "working days", "rcpc", "should"),
    ("within", 1, "working days", "rcpc", "must"),  # "the conference" under "2. Review Child Protection Conferences"
    ("within", 1, "working days", "referral", "usually"), ("within", 5, "working days", "plan-ends", "must"),
]
REDMARSH_WHO = [
    ("chair", "core-group", "first", ("practice-manager",), "must"),
    ("chair", "core-group", "subsequent", ("lead-social-worker",), "should"),
    ("minutes", "core-group", ("core-group-member",), True, "must"),
    ("recipients", "minutes", ("core-group-member", "parent"), "should"),
    ("quorum", "rcpc", 3, ("childrens-social-care", "health", "police"), "must"),
    ("recipients", "plan", ("gp", "parent"), "must"),
]
#: written blind: by a helper who never saw the tool's code or ran it, hand lists made before any run
KESTRELFORD = [
    ('within', 24, 'hours', 'strategy-discussion', 'must'),
    ('within', 15, 'working days', 'strategy-discussion', 'must'),
    ('before', 3, 'working days', 'conference', 'should'),
    ('before', 2, 'working days', 'conference', 'good-practice'),
    ('within', 1, 'working days', 'icpc', 'must'),
    ('within', 15, 'working days', 'conference', 'must'),
    ('within', 10, 'working days', 'icpc', 'must'),
    ('every', 4, 'weeks', 'core-group', 'must'),
    ('every', 2, 'weeks', 'core-group', 'may'),
    ('within', 10, 'days', 'school-move', 'should'),
]
KESTRELFORD_WHO = [
    ('chair', 'icpc', 'each', ('conference-chair',), 'must'),
    ('chair', 'icpc', 'fallback', ('conference-chair', 'safeguarding-unit-manager'), 'must'),
    ('quorum', 'icpc', 3, ('childrens-social-care',), 'must'),
    ('minutes', 'icpc', ('minute-taker',), False, 'must'),
    ('recipients', 'plan', ('core-group-member', 'parent'), 'must'),
    ('recipients', 'minutes', ('child', 'core-group-member', 'lead-social-worker', 'parent'), 'must'),
    ('chair', 'core-group', 'first', ('team-manager',), 'must'),
    ('chair', 'core-group', 'subsequent', ('lead-social-worker',), 'usually'),
    ('minutes', 'core-group', ('core-group-member',), True, 'must'),
]
KESTRELFORD_ESCALATION = [
    ('conference-chair', 2),
    ('safeguarding-unit-manager', 5),
    ('head-of-service', None),
    ('independent-scrutineer', None),
]
BRACKENMOOR = [
    ('within', 10, 'working days', 'referral', 'must'),
    ('before', 10, 'weeks', 'expected-birth', 'should'),
    ('within', 10, 'working days', 'pre-birth-conference', 'must'),
    ('within', 24, 'hours', 'birth', 'must'),
    ('within', 2, 'working days', 'birth', 'must'),
    ('within', 4, 'weeks', 'birth', 'usually'),
    ('within', 3, 'months', 'icpc', 'must'),
    ('every', 6, 'months', 'rcpc', 'must'),
    ('before', 5, 'working days', 'rcpc', 'good-practice'),
    ('within', 20, 'working days', 'rcpc', 'must'),
    ('within', 5, 'working days', 'rcpc', 'must'),
    ('every', 1, 'months', 'core-group', 'must'),
    ('within', 5, 'working days', 'plan-ends', 'must'),
    ('within', 3, 'months', 'plan-ends', 'should'),
]
BRACKENMOOR_WHO = [
    ('chair', 'strategy-discussion', 'each', ('team-manager',), 'must'),
    ('chair', 'rcpc', 'each', ('conference-chair',), 'must'),
    ('chair', 'rcpc', 'fallback', ('child-protection-service-manager',), 'must'),
    ('quorum', 'rcpc', 3, ('health', 'lead-social-worker'), 'must'),
    ('minutes', 'rcpc', ('business-support-officer',), False, 'must'),
    ('recipients', 'minutes', ('gp', 'independent-reviewing-officer', 'lead-social-worker', 'parent'), 'must'),
    ('recipients', 'plan', ('child', 'core-group-member', 'gp', 'parent'), 'must'),
    ('chair', 'core-group', 'each', ('lead-social-worker',), 'must'),
    ('minutes', 'core-group', ('core-group-member',), True, 'should'),
]
BRACKENMOOR_ESCALATION = [
    ('line-manager', None),
    ('child-protection-service-manager', 3),
    ('head-of-service', 5),
    ('partnership-business-manager', None),
]
#: written blind after the fixes the first two blind texts led to, by another helper in the same way
FERNLEIGH = [
    ('within', 15, 'working days', 'strategy-discussion', 'must'),
    ('before', 5, 'working days', 'icpc', 'usually'),
    ('before', 2, 'working days', 'icpc', 'should'),
    ('within', 1, 'working days', 'conference', 'should'),
    ('within', 20, 'working days', 'conference', 'must'),
    ('within', 3, 'months', 'icpc', 'must'),
    ('every', 6, 'months', 'rcpc', 'should'),
    ('before', 5, 'working days', 'rcpc', 'must'),
    ('within', 10, 'working days', 'icpc', 'must'),
    ('within', 10, 'days', 'icpc', 'must'),
    ('every', 4, 'weeks', 'core-group', 'should'),
]
FERNLEIGH_WHO = [
    ('chair', 'icpc', 'each', ('conference-chair',), 'must'),
    ('chair', 'rcpc', 'each', ('conference-chair',), 'must'),
    ('chair', 'icpc', 'fallback', ('safeguarding-service-manager',), 'must'),
    ('chair', 'rcpc', 'fallback', ('safeguarding-service-manager',), 'must'),
    ('chair', 'core-group', 'each', ('lead-social-worker',), 'must'),
    ('chair', 'core-group', 'fallback', ('team-manager',), 'must'),
    ('quorum', 'icpc', 3, ('childrens-social-care',), 'must'),
    ('quorum', 'rcpc', 3, ('childrens-social-care',), 'must'),
    ('minutes', 'icpc', ('minute-taker',), True, 'must'),
    ('minutes', 'rcpc', ('minute-taker',), True, 'must'),
    ('recipients', 'minutes', ('child', 'core-group-member', 'gp', 'parent'), 'must'),
]
FERNLEIGH_ESCALATION = [
    ('conference-chair', 5),
    ('safeguarding-service-manager', 10),
    ('head-of-service', None),
]
CASTLEMERE = [
    ('within', 24, 'hours', 'referral', 'must'),
    ('before', 10, 'weeks', 'expected-birth', 'usually'),
    ('within', 10, 'working days', 'pre-birth-conference', 'must'),
    ('within', 1, 'months', 'birth', 'must'),
    ('every', 1, 'months', 'core-group', 'should'),
    ('within', 5, 'working days', 'core-group', 'must'),
    ('within', 3, 'months', 'icpc', 'should'),
    ('every', 6, 'months', 'rcpc', 'must'),
    ('before', 3, 'working days', 'rcpc', 'good-practice'),
    ('before', 1, 'working days', 'rcpc', 'may'),
    ('within', 15, 'working days', 'rcpc', 'must'),
    ('within', 3, 'months', 'plan-ends', 'should'),
    ('within', 5, 'days', 'school-move', 'must'),
]
CASTLEMERE_WHO = [
    ('chair', 'core-group', 'first', ('team-manager',), 'must'),
    ('chair', 'core-group', 'subsequent', ('lead-social-worker',), 'must'),
    ('minutes', 'core-group', ('business-support-officer',), True, 'must'),
    ('quorum', 'core-group', 3, ('health', 'lead-social-worker'), 'must'),
    ('recipients', 'plan', ('conference-chair', 'core-group-member', 'parent'), 'must'),
    ('chair', 'rcpc', 'each', ('conference-chair',), 'must'),
    ('chair', 'rcpc', 'fallback', ('conference-chair',), 'must'),
    ('minutes', 'rcpc', ('minute-taker',), False, 'must'),
    ('recipients', 'minutes', ('child', 'core-group-member', 'health', 'parent', 'police'), 'must'),
]
CASTLEMERE_ESCALATION = [
    ('lead-social-worker', 2),
    ('team-manager', 5),
    ('head-of-service', 10),
    ('independent-scrutineer', None),
]
#: the third blind pair, written after the fixes the second pair led to
THAMESBANK = [
    ('within', 15, 'working days', 'strategy-discussion', 'must'),
    ('within', 3, 'working days', 'referral', 'usually'),
    ('before', 3, 'days', 'conference', 'should'),
    ('before', 2, 'working days', 'conference', 'must'),
    ('within', 20, 'working days', 'conference', 'should'),
    ('within', 24, 'hours', 'conference', 'must'),
    ('within', 5, 'working days', 'icpc', 'must'),
    ('within', 10, 'working days', 'icpc', 'must'),
    ('every', 2, 'weeks', 'core-group', 'should'),
    ('every', 6, 'weeks', 'core-group', 'may'),
    ('within', 3, 'months', 'icpc', 'must'),
    ('every', 6, 'months', 'rcpc', 'must'),
    ('before', 10, 'weeks', 'expected-birth', 'should'),
    ('within', 10, 'working days', 'pre-birth-conference', 'good-practice'),
    ('within', 4, 'weeks', 'birth', 'usually'),
    ('within', 6, 'weeks', 'plan-ends', 'should'),
    ('within', 2, 'working days', 'school-move', 'must'),
]
THAMESBANK_WHO = [
    ('chair', 'icpc', 'each', ('conference-chair',), 'must'),
    ('chair', 'rcpc', 'each', ('conference-chair',), 'must'),
    ('chair', 'icpc', 'fallback', ('head-of-service',), 'may'),
    ('chair', 'rcpc', 'fallback', ('head-of-service',), 'may'),
    ('chair', 'core-group', 'first', ('team-manager',), 'should'),
    ('chair', 'core-group', 'subsequent', ('lead-social-worker',), 'must'),
    ('minutes', 'icpc', ('minute-taker',), True, 'must'),
    ('minutes', 'rcpc', ('minute-taker',), True, 'must'),
    ('quorum', 'icpc', 3, ('childrens-social-care',), 'must'),
    ('quorum', 'rcpc', 3, ('childrens-social-care',), 'must'),
    ('quorum', 'core-group', None, ('lead-social-worker', 'parent'), 'must'),
    ('recipients', 'minutes', ('gp', 'lead-social-worker', 'parent', 'police'), 'should'),
    ('recipients', 'plan', ('core-group-member', 'parent'), 'must'),
]
THAMESBANK_ESCALATION = [
    ('conference-chair', 5),
    ('quality-assurance-service-manager', 10),
    ('assistant-director', None),
]
HARTMOOR = [
    ('within', 15, 'working days', 'strategy-discussion', 'must'),
    ('within', 10, 'working days', 'icpc', 'must'),
    ('every', 4, 'weeks', 'core-group', 'must'),
    ('within', 3, 'months', 'icpc', 'must'),
    ('every', 6, 'months', 'rcpc', 'must'),
    ('before', 12, 'weeks', 'expected-birth', 'must'),
    ('within', 15, 'working days', 'conference', 'must'),
    ('within', 24, 'hours', 'referral', 'should'),
    ('within', 2, 'working days', 'referral', 'usually'),
    ('within', 10, 'working days', 'core-group', 'must'),
    ('within', 5, 'working days', 'pre-birth-conference', 'good-practice'),
    ('within', 2, 'weeks', 'birth', 'may'),
    ('within', 1, 'months', 'plan-ends', 'must'),
    ('within', 5, 'days', 'school-move', 'must'),
]
HARTMOOR_WHO = [
    ('chair', 'icpc', 'each', ('conference-chair',), 'must'),
    ('chair', 'rcpc', 'each', ('conference-chair',), 'must'),
    ('chair', 'icpc', 'fallback', ('safeguarding-service-manager',), 'may'),
    ('chair', 'rcpc', 'fallback', ('safeguarding-service-manager',), 'may'),
    ('chair', 'core-group', 'each', ('lead-social-worker',), 'usually'),
    ('minutes', 'icpc', ('business-support-officer',), True, 'must'),
    ('minutes', 'rcpc', ('business-support-officer',), True, 'must'),
    ('minutes', 'core-group', ('core-group-member',), True, 'should'),
    ('quorum', 'icpc', 3, ('childrens-social-care',), 'must'),
    ('quorum', 'rcpc', 3, ('childrens-social-care',), 'must'),
    ('recipients', 'minutes', ('child', 'conference-member', 'gp', 'parent'), 'must'),
    ('recipients', 'plan', ('core-group-member', 'parent'), 'must'),
]
HARTMOOR_ESCALATION = [
    ('practitioner', 2),
    ('line-manager', 3),
    ('head-of-service', 5),
    ('independent-scrutineer', None),
]
#: by hand, from tests/draft/westbrook.txt: who chairs, minutes, makes a quorum and receives the minutes, keyed as
#: arrangements.arrangement_key (a role the baseline lacks takes the text's own words as its id)
WESTBROOK = [
    ("chair", "icpc", "each", ("independent-reviewing-officer",), "must"),  # "all ... conferences will be chaired by"
    ("chair", "rcpc", "each", ("independent-reviewing-officer",), "must"),
    ("quorum", "icpc", 3, ("childrens-social-care",), "must"),  # children's social care and at least two other agencies
    ("quorum", "rcpc", 3, ("childrens-social-care",), "must"),
    ("minutes", "icpc", ("minute-taker",), False, "must"),  # "the conference", under "Minutes of conferences": both
    ("minutes", "rcpc", ("minute-taker",), False, "must"),
    ("recipients", "minutes", ("invited-agency", "parent"), "must"),  # the conference's minutes
    ("chair", "core-group", "each", ("lead-social-worker",), "should"),
    ("chair", "core-group", "fallback", ("team-manager",), "should"),  # "if the lead social worker is absent"
    ("minutes", "core-group", ("core-group-member",), True, "should"),  # "other than the chair"
    ("recipients", "minutes", ("core-group-member",), "must"),  # "the record of each meeting"
]


def _keys(text: str) -> list[tuple]:
    return [(p.kind, p.number, p.unit, p.anchor, p.strength) for p in propose(text)[0]]


@pytest.mark.parametrize(("name", "expected"), [("northmoor", NORTHMOOR), ("eastvale", EASTVALE)])
def test_texts_not_shipped_give_the_rules_worked_out_by_hand(name, expected):
    proposed = _keys((TEXTS / f"{name}.txt").read_text())
    wrong = [p for p in proposed if p not in expected]
    assert wrong == []  # every proposal is right
    result = measure(propose((TEXTS / f"{name}.txt").read_text())[0], expected, exact=False)
    assert result["recall"] == 1.0, result["missed"]


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


OTHERS = sorted(p for p in TEXTS.iterdir() if p.suffix in (".txt", ".html"))


@pytest.mark.parametrize("source", SHIPPED + OTHERS, ids=[p.parent.parent.name for p in SHIPPED] + [p.name for p in OTHERS])
def test_each_text_gives_a_validating_draft(run, tmp_path, source):
    target = tmp_path / "plugin"
    result = run("draft", str(source), "--name", "goodshire", "-o", str(target))
    assert result.exit_code == 0, result.output
    checked = run("--plugin-dir", str(target), "validate", "goodshire")
    assert checked.exit_code == 0, checked.output
    # each rule is a draft; where one restates the baseline's below its floor, validate says so too
    warnings = [line for line in checked.output.splitlines() if "warning: " in line]
    assert warnings and all(re.search(r": (draft-rule|relaxes-floor): warning: ", line) for line in warnings)
    assert any(": draft-rule: " in line for line in warnings)
    procedure = tomllib.loads((target / "procedurekit_goodshire" / "procedures" / "goodshire.toml").read_text())
    text = text_of(source.read_text(encoding="utf-8"))
    rules = [*procedure["obligations"].values(), *procedure.get("documents", {}).values(),
             *procedure.get("pathways", {}).values(),
             *(rule for meeting in procedure.get("meetings", {}).values() for rule in _meeting_rules(meeting))]
    quotes = [src["quote"] for rule in [*rules, *procedure.get("roles", {}).values()]
              for src in (rule["source"] if isinstance(rule["source"], list) else [rule["source"]])]
    assert quotes and all(q in text for q in quotes) and all(rule["draft"] for rule in rules)
    coverage = tomllib.loads((target / "procedurekit_goodshire" / "coverage.toml").read_text())
    assert all(entry["reason"].startswith("draft: ") for entry in coverage["unencoded"])


def _meeting_rules(meeting: dict) -> list[dict]:
    return [*meeting.get("chair", {}).values(), *(meeting[k] for k in ("minutes", "quorum") if k in meeting)]


@pytest.mark.parametrize(("text", "due"), [
    ((TEXTS / "northmoor.txt").read_text(), "2024-03-18"),
    # a text whose first core group differs from England's: the scenario checks the draft's own rule
    ("Core Groups\n\nThe first core group meeting must take place within 15 working days of the initial "
     "conference.\n", "2024-03-25"),
])
def test_the_generated_plugin_passes_its_own_scenario_tests(run, tmp_path, text, due):
    (tmp_path / "goodshire.txt").write_text(text)
    target = tmp_path / "goodshire"
    assert run("draft", str(tmp_path / "goodshire.txt"), "-o", str(target)).exit_code == 0
    scenario = tomllib.loads((target / "tests" / "test_goodshire.toml").read_text())["scenario"][0]
    assert scenario["next"] == [{"meeting": "core-group", "obligation": "core-group-first",
                                 "due": dt.date.fromisoformat(due)}]
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", str(target / "tests")],
                          capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"\b1 passed\b", done.stdout)


def test_the_shipped_texts_measured_against_their_plugins():
    library = Library.load()
    words = vocabulary(library.get("england"))
    totals = {"written": 0, "proposed": 0, "right": 0}
    for source in SHIPPED:
        pid = source.parent.parent.parent.name
        entry = library.entries[pid]
        doc = next(d for d, s in entry.written.sources.items() if s.file and Path(s.file).name == source.name)
        proposals = propose(source.read_text(encoding="utf-8"), words["names"], words["groups"])[0]
        result = measure(proposals, timed_rules(entry.written, doc))
        for key in totals:
            totals[key] += result[key]  # type: ignore[operator]
    # docs/draft.md reports these figures (20 of 22, 20 of 21); the goal is 80% and 90%
    assert (totals["written"], totals["proposed"], totals["right"]) == (22, 21, 20)


def test_draft_refuses_a_name_that_is_not_an_id(run, tmp_path):
    result = run("draft", str(TEXTS / "northmoor.txt"), "--name", "Good Shire", "-o", str(tmp_path / "x"))
    assert result.exit_code == 2 and "is not a procedure id" in result.output


def test_compare_shows_a_revised_text_beside_the_installed_plugin(run, tmp_path):
    source = next(p for p in SHIPPED if "warrington" in str(p))
    revised = tmp_path / "warrington-2027.txt"  # a revision: reports due 3 working days before, not 2
    revised.write_text(source.read_text(encoding="utf-8").replace("in the template provided 2 working days prior",
                                                                  "in the template provided 3 working days prior"))
    result = run("draft", str(revised), "--name", "goodshire", "-o", str(tmp_path / "p"), "--compare", "warrington",
                 real_plugins=True)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "core-group-first: within 10 working days of icpc, should (line 107)" in out  # the same in both
    # the revised rule is paired with the one it replaces
    assert ("1 changed:\n  agency-report: 2 working days before conference, should -> 3 working days before "
            "conference, should (line 53)") in out
    assert "0 only in the draft:" in out and "0 only in warrington:" in out
    # who: the quorum read from the text is Warrington's, for the two conferences England defines
    assert "2 the same:\n  icpc quorum: 3 agencies including childrens-social-care, should (line 39)" in out
    assert "1 only in warrington:\n  pre-birth-conference quorum" in out


def test_who_chairs_minutes_and_makes_a_quorum_in_a_text_not_shipped():
    words = vocabulary(Library.load().get("england"))
    got = proposed_keys(arrange((TEXTS / "westbrook.txt").read_text(), **words))
    assert [key for key in got if key not in WESTBROOK] == []  # every proposal is right
    result = score(got, WESTBROOK)
    # "the minutes of the conference", under "Minutes of conferences", are any conference's
    assert result["missed"] == []


def test_escalation_stages_are_read_in_order():
    words = vocabulary(Library.load().get("england"))
    found = arrange((TEXTS / "westbrook.txt").read_text(), **words)
    (route,) = found.escalations
    assert route.title == "Resolving professional disagreements" and route.strength == "should"
    assert [(s.role, s.meeting, s.within) for s in route.steps] == [
        ("line-manager", None, (2, "working days")), ("equivalent-manager", None, (5, "working days")),
        ("designated-safeguarding-lead", None, (5, "working days")), (None, "rcpc", None)]
    assert {r.id for r in found.roles} == {"independent-reviewing-officer", "minute-taker", "invited-agency",
                                           "equivalent-manager", "designated-safeguarding-lead"}


def test_the_draft_writes_meeting_rules_documents_roles_and_a_pathway(run, tmp_path):
    target = tmp_path / "westbrook"
    result = run("draft", str(TEXTS / "westbrook.txt"), "-o", str(target))
    assert result.exit_code == 0, result.output
    assert "1 escalation route and" in result.stderr and "11 rules of who" in result.stderr
    path = target / "procedurekit_westbrook" / "procedures" / "westbrook.toml"
    procedure = tomllib.loads(path.read_text())
    assert procedure["meetings"]["core-group"]["chair"]["fallback"]["roles"] == ["team-manager"]
    assert procedure["meetings"]["core-group"]["minutes"] == {**procedure["meetings"]["core-group"]["minutes"],
                                                              "by": ["core-group-member"], "not_chair": True}
    assert procedure["meetings"]["icpc"]["quorum"]["minimum"] == 3
    assert procedure["documents"]["core-group-minutes"]["recipients"] == ["core-group-member"]
    assert procedure["documents"]["core-group-minutes"]["producer"] == "lead-social-worker"
    # the timed rule of the statement that sends the minutes is about the document
    (sending,) = [ob for ob in procedure["obligations"].values() if ob.get("document") == "core-group-minutes"]
    assert sending["within"] == "5 working days"
    (route,) = procedure["pathways"].values()
    assert [step.get("role") or step.get("meeting") for step in route["steps"]] == [
        "line-manager", "equivalent-manager", "designated-safeguarding-lead", "rcpc"]
    assert procedure["roles"]["designated-safeguarding-lead"]["name"] == "Designated Safeguarding Lead"
    checked = run("--plugin-dir", str(target), "validate", "westbrook")
    assert checked.exit_code == 0, checked.output
    # every proposed rule is a warning at its own line until a person removes the mark
    line = next(i for i, text in enumerate(path.read_text().splitlines(), start=1)
                if text == "[meetings.core-group.chair.fallback]")
    assert re.search(rf"westbrook.toml:{line + 3}:\d+: draft-rule: warning: \"core-group.chair.fallback\"",
                     checked.output), checked.output
    assert re.search(r"draft-rule: warning: \"resolving-professional-disagreements\"", checked.output)
    # the statements read into these rules are not left in coverage.toml
    coverage = (target / "procedurekit_westbrook" / "coverage.toml").read_text()
    assert "Stage 2" not in coverage and "should chair the core group" not in coverage
    assert "inquorate" in coverage


def test_the_shipped_texts_who_measured_against_their_plugins():
    library = Library.load()
    words = vocabulary(library.get("england"))
    totals = {"written": 0, "proposed": 0, "right": 0}
    for source in SHIPPED:
        entry = library.entries[source.parent.parent.parent.name]
        doc = next(d for d, s in entry.written.sources.items() if s.file and Path(s.file).name == source.name)
        result = score(proposed_keys(arrange(source.read_text(encoding="utf-8"), **words)),
                       written_arrangements(entry.written, doc))
        for key in totals:
            totals[key] += result[key]  # type: ignore[operator]
    # docs/draft.md reports these figures
    assert (totals["written"], totals["proposed"], totals["right"]) == (21, 15, 11)


def _drafted(run, tmp_path, text: str) -> dict:
    tmp_path.mkdir(exist_ok=True)
    source = tmp_path / "goodshire.txt"
    source.write_text(text)
    assert run("draft", str(source), "-o", str(tmp_path / "plugin")).exit_code == 0
    checked = run("--plugin-dir", str(tmp_path / "plugin"), "validate", "goodshire")
    assert checked.exit_code == 0, checked.output
    path = tmp_path / "plugin" / "procedurekit_goodshire" / "procedures" / "goodshire.toml"
    return tomllib.loads(path.read_text())["obligations"]


def test_immediately_straight_after_and_at_the_conference(run, tmp_path):
    obligations = _drafted(run, tmp_path, (
        "Initial Conferences\n\n"
        "Implementation of the plan must begin immediately after the initial child protection conference.\n\n"
        "The outline plan will be agreed at the conference.\n\n"
        "The first core group should not be held immediately after the conference.\n\n"
        "Core group members will have been identified at the initial conference.\n\n"
        "It is good practice for the first core group to take place straight after the initial conference.\n"))
    immediate = [ob for ob in obligations.values() if ob.get("timescale") == "immediately"]
    assert [(ob.get("meeting"), ob["after"], ob["strength"]) for ob in immediate] == [
        (None, "icpc", "must"), (None, "icpc", "must"), ("core-group", "icpc", "good-practice")]
    # a duty due at the conference is not the conference held again
    assert immediate[0]["what"].startswith("Implementation of the plan") and immediate[2]["occurrence"] == "first"


def test_bare_days_keep_both_readings(run, tmp_path):
    obligations = _drafted(run, tmp_path, "Core Groups\n\nMinutes of each core group should be circulated within "
                                          "7 days of the meeting.\n")
    (rule,) = obligations.values()
    assert (rule["within"], rule["basis"], rule["readings"][0]["within"]) == ("7 days", "literal", "7 working days")


def test_the_strategy_discussion_that_began_the_enquiry_is_marked(run, tmp_path):
    obligations = _drafted(run, tmp_path, (TEXTS / "northmoor.txt").read_text())
    (rule,) = [ob for ob in obligations.values() if ob.get("after") == "strategy-discussion"]
    assert rule["anchor_where"] == ["s47-initiated"]
    obligations = _drafted(run, tmp_path / "2", "Reviews\n\nAn early review conference must be held within 4 weeks "
                                                "of any inquorate conference.\n")
    (rule,) = obligations.values()
    assert (rule["meeting"], rule["within"], rule["anchor_where"]) == ("rcpc", "4 weeks", ["inquorate"])


def test_a_bare_conference_is_the_one_its_heading_is_about():
    words = vocabulary(Library.load().get("england"))
    text = ("1. Initial Child Protection Conference\n\n1.1 Reports should be shared 2 working days before the "
            "conference.\n\nPreparation for conference\n\nReports should be shared 3 working days before the "
            "conference.\n\nCore Groups\n\nThe core group must meet within 10 working days of the conference.\n")
    proposals = propose(text, words["names"], words["groups"])[0]
    assert [(p.number, p.anchor) for p in proposals] == [(2, "icpc"), (3, "conference"), (10, "icpc")]
    # without the baseline's conference group, a bare conference stays the initial one
    assert [p.anchor for p in propose(text, words["names"])[0]] == ["icpc", "icpc", "icpc"]


@pytest.mark.parametrize("baseline", ["scotland", "wales"])
def test_a_draft_extends_another_baseline(run, tmp_path, baseline):
    target = tmp_path / "westbrook"
    assert run("draft", str(TEXTS / "westbrook.txt"), "--extends", baseline, "-o", str(target)).exit_code == 0
    checked = run("--plugin-dir", str(target), "validate", "westbrook")
    assert checked.exit_code == 0, checked.output
    procedure = tomllib.loads((target / "procedurekit_westbrook" / "procedures" / "westbrook.toml").read_text())
    assert procedure["procedure"]["extends"] == baseline
    # "children's social care and at least two other agencies" is three, whatever the baseline calls the first
    assert procedure["meetings"]["icpc"]["quorum"]["minimum"] == 3


@pytest.mark.parametrize(("name", "timed", "who"), [
    ("ashcombe.txt", ASHCOMBE, ASHCOMBE_WHO), ("redmarsh.html", REDMARSH, REDMARSH_WHO),
    ("kestrelford.txt", KESTRELFORD, KESTRELFORD_WHO), ("brackenmoor.html", BRACKENMOOR, BRACKENMOOR_WHO),
    ("fernleigh.txt", FERNLEIGH, FERNLEIGH_WHO),
    ("castlemere.html", CASTLEMERE, CASTLEMERE_WHO),
    ("thamesbank.txt", THAMESBANK, THAMESBANK_WHO), ("hartmoor.html", HARTMOOR, HARTMOOR_WHO),
])
def test_texts_others_wrote_give_the_rules_they_worked_out_by_hand(name, timed, who):
    words = vocabulary(Library.load().get("england"))
    text = text_of((TEXTS / name).read_text())
    proposals = propose(text, words["names"], words["groups"])[0]
    assert measure(proposals, timed, exact=False)["right"] == len(timed)
    # every proposal is right; a stage's "within" is the stage's, counted with its pathway, not a timed rule
    stages = {step.line for e in arrange(text, **words).escalations for step in e.steps}
    assert measure([p for p in proposals if p.line not in stages], timed, exact=False)["proposed"] == len(timed)
    found = proposed_keys(arrange(text, **words))
    assert score(found, who)["missed"] == [] and [key for key in found if key not in who] == []
    raw = (TEXTS / name).read_text()
    hidden = re.findall(r"<(script|style)[^>]*>(.*?)</\1>", raw, re.S)
    assert name.endswith(".txt") or (hidden and all(body.strip()[:30] not in text for _, body in hidden))


def test_an_escalation_section_among_numbered_headings(run, tmp_path):
    target = tmp_path / "redmarsh"
    assert run("draft", str(TEXTS / "redmarsh.html"), "-o", str(target)).exit_code == 0
    procedure = tomllib.loads((target / "procedurekit_redmarsh" / "procedures" / "redmarsh.toml").read_text())
    (route,) = procedure["pathways"].values()
    assert route["strength"] == "should"  # the section's own lead, not the last stage's "will"
    assert route["steps"] == [
        {"role": "counterpart"}, {"role": "line-manager", "within": "5 working days"},
        {"role": "designated-safeguarding-lead", "within": "10 working days"},
        {"role": "partnership-business-manager", "action": "convene a resolution meeting"}]
    assert all(role["draft"] for role in procedure["roles"].values())
    # a stage's timescale is not also proposed as a duty of its own
    assert not [ob for ob in procedure["obligations"].values() if "Level" in ob["source"]["quote"]]
    checked = run("--plugin-dir", str(target), "validate", "redmarsh")
    assert checked.exit_code == 0 and 'draft-rule: warning: "counterpart"' in checked.output


def test_a_stage_naming_no_one_leaves_the_route_to_a_person(run, tmp_path):
    text = ("Escalation\n\nStage 1: Discuss the concern with your line manager.\n"
            "Stage 2: If it is still not resolved, write down what was agreed.\n")
    source = tmp_path / "goodshire.txt"
    source.write_text(text)
    assert run("draft", str(source), "-o", str(tmp_path / "p")).exit_code == 0
    assert run("--plugin-dir", str(tmp_path / "p"), "validate", "goodshire").exit_code == 0
    procedure = tomllib.loads((tmp_path / "p" / "procedurekit_goodshire" / "procedures" / "goodshire.toml").read_text())
    assert "pathways" not in procedure
    coverage = tomllib.loads((tmp_path / "p" / "procedurekit_goodshire" / "coverage.toml").read_text())
    assert [e["quote"] for e in coverage["unencoded"]] == ["Stage 1: Discuss the concern with your line manager.",
                                                           "Stage 2: If it is still not resolved, write down what was "
                                                           "agreed."]
    assert "naming no role or meeting" in coverage["unencoded"][0]["reason"]


@pytest.mark.parametrize(("content", "message"), [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a text file (it holds binary data)"),
    ("Core Groups\n\nThe core group must meet within 10 working days.\nCaf\xe9 notes\n".encode("latin-1"),
     "source.txt:4: not UTF-8 text (byte 0xe9)"),
    (b"   \n\n", "there is no text to draft from"),
    (b"<html><body><script>var x = 'must within 3 days';</script></body></html>", "there is no text to draft from"),
])
def test_a_source_that_is_not_text_is_refused_and_nothing_is_written(run, tmp_path, content, message):
    source = tmp_path / "source.txt"
    source.write_bytes(content)
    result = run("draft", str(source), "--name", "goodshire", "-o", str(tmp_path / "out"))
    assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("args", "message"), [
    (["--name", "england"], '"england" is the procedure the draft extends'),
    (["--name", ""], '"" is not a procedure id'),
    (["--extends", "nowhere"], '--extends: no procedure "nowhere"'),
    (["--compare", "nowhere"], '--compare: no procedure "nowhere"'),
])
def test_draft_options_are_checked_before_anything_is_written(run, tmp_path, args, message):
    result = run("draft", str(TEXTS / "northmoor.txt"), *args, "-o", str(tmp_path / "out"))
    assert result.exit_code == 2 and message in result.output
    assert not (tmp_path / "out").exists()


def test_a_text_with_no_rules_warns(run, tmp_path):
    source = tmp_path / "goodshire.txt"
    source.write_text("About us\n\nThe partnership brings agencies together.\n")
    result = run("draft", str(source), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0 and "warning: no rule was proposed" in result.stderr


@pytest.mark.parametrize(("name", "stages"), [("kestrelford.txt", KESTRELFORD_ESCALATION),
                                              ("brackenmoor.html", BRACKENMOOR_ESCALATION),
                                              ("fernleigh.txt", FERNLEIGH_ESCALATION),
                                              ("castlemere.html", CASTLEMERE_ESCALATION),
                                              ("thamesbank.txt", THAMESBANK_ESCALATION)])
def test_escalation_stages_of_the_blind_texts(name, stages):
    words = vocabulary(Library.load().get("england"))
    (route,) = arrange(text_of((TEXTS / name).read_text()), **words).escalations
    assert [(s.role or s.meeting, s.within[0] if s.within else None) for s in route.steps] == stages


def test_recipients_listed_below_and_in_the_next_sentence(run, tmp_path):
    text = ("Minutes\n\nThe minutes must be circulated to the following within 20 working days of the conference:\n"
            "  • the parents;\n  • the child's GP;\n  • the Independent Reviewing Officer, where the child is looked "
            "after.\n\nThe plan will be sent to the lead social worker within 1 working day of the conference. The "
            "child will also receive a copy.\n")
    words = vocabulary(Library.load().get("england"))
    keys = proposed_keys(arrange(text, **words))
    assert ("recipients", "minutes", ("gp", "independent-reviewing-officer", "parent"), "must") in keys
    assert ("recipients", "plan", ("child", "lead-social-worker"), "must") in keys
    obligations = _drafted(run, tmp_path, text)
    assert {ob.get("document") for ob in obligations.values()} == {"icpc-minutes", "child-protection-plan"}


def test_given_a_copy_of_the_plan():
    words = vocabulary(Library.load().get("england"))
    text = "Plans\n\nEach core group member should be given their own copy of the child protection plan.\n"
    assert proposed_keys(arrange(text, **words)) == [("recipients", "plan", ("core-group-member",), "should")]


def test_the_initial_or_review_conference_is_either():
    words = vocabulary(Library.load().get("england"))
    text = ("Core Groups\n\nIt is good practice for the first core group to take place straight after the initial or "
            "review conference.\n")
    (proposal,) = propose(text, words["names"], words["groups"])[0]
    assert (proposal.kind, proposal.subject, proposal.anchor, proposal.strength) == (
        "immediately", "core-group", "conference", "good-practice")


def test_a_table_of_timescales_reads_as_a_list_under_its_sentence(run, tmp_path):
    page = ("<html><body><h3>Timescales</h3><p>The timescales in the table below must be met in every case.</p>"
            "<table><tr><th>Meeting</th><th>Timescale</th></tr>"
            "<tr><td>Initial child protection conference</td><td>Within 15 working days of the strategy discussion</td>"
            "</tr><tr><td>Core group meetings thereafter</td><td>At least every 4 weeks</td></tr></table></body></html>")
    text = text_of(page)
    assert "Initial child protection conference | Within 15 working days" in text
    keys = [(p.kind, p.number, p.unit, p.anchor, p.strength) for p in propose(text)[0]]
    assert keys == [("within", 15, "working days", "strategy-discussion", "must"), ("every", 4, "weeks", "core-group", "must")]


def test_a_quorum_stated_as_a_definition(run, tmp_path):
    words = vocabulary(Library.load().get("england"))
    text = ("Core Groups\n\nA core group meeting is not quorate unless the lead social worker and at least one parent "
            "attend.\n\nReview Conferences\n\nA review conference is quorate when children's social care and at least "
            "two other agencies are present.\n")
    assert proposed_keys(arrange(text, **words)) == [
        ("quorum", "core-group", None, ("lead-social-worker", "parent"), "must"),
        ("quorum", "rcpc", 3, ("childrens-social-care",), "must")]


def test_a_name_already_installed_is_refused(run, tmp_path):
    result = run("draft", str(TEXTS / "northmoor.txt"), "--name", "croydon", "-o", str(tmp_path / "out"),
                 real_plugins=True)
    assert result.exit_code == 2 and 'a procedure "croydon" is installed' in result.output
    source = tmp_path / "über.txt"
    source.write_text((TEXTS / "northmoor.txt").read_text())
    assert run("draft", str(source), "-o", str(tmp_path / "uber")).exit_code == 0
    assert (tmp_path / "uber" / "procedurekit_uber").is_dir()
