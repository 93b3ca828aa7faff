"""The loader on hostile and unusual input: never a traceback, never a hang."""

from __future__ import annotations

import datetime as dt

import pytest

from procedurekit.loader import MAX_FILE_BYTES, load_bytes, load_file, load_text
from procedurekit.model import Anchor, Combine, Occurrence, Strength, Timescale

VALID = '''
[procedure]
id = "example"
title = "Example"
effective_from = 2024-05-10
calendar = "scotland"

[sources.local]
title = "Local procedure"

[roles.key-worker]
name = "Key worker"

[meetings.core-group]
name = "Core group"
chair.first = { roles = ["key-worker"], strength = "must", source = { doc = "local", section = "7.2" } }

[obligations.review-after-pre-birth]
meeting = "rcpc"
occurrence = "first"
when = "pre-birth"
combine = "sooner"
alternatives = [
  { within = "1 month", after = "birth" },
  { within = "3 months", after = "pre-birth-conference" },
]
strength = "should"
interpretation = "Calendar months."
source = [{ doc = "local", section = "Review", quote = "whichever is sooner" }, { doc = "local", section = "2" }]

[obligations.core-group-frequency]
meeting = "core-group"
occurrence = "subsequent"
timescale = "set-per-case"
set_by = "icpc"
strength = "should"
source = { doc = "local", section = "3" }
'''


def test_valid_file_builds_the_model():
    pf = load_text(VALID, "example.toml")
    assert pf.diagnostics == [] and pf.ok
    proc = pf.procedure
    assert proc.effective_from == dt.date(2024, 5, 10) and proc.calendar == "scotland"
    ob = proc.obligations["review-after-pre-birth"]
    assert ob.combine is Combine.SOONER and ob.occurrence is Occurrence.FIRST
    assert ob.when == ("pre-birth",) and ob.strength is Strength.SHOULD
    assert [str(a.within) for a in ob.alternatives] == ["1 month", "3 months"]
    assert ob.alternatives[0].anchor is Anchor.EACH
    assert len(ob.source) == 2 and ob.timing == "alternatives"
    freq = proc.obligations["core-group-frequency"]
    assert freq.timescale is Timescale.SET_PER_CASE and freq.timing == "set-per-case"
    assert proc.meetings["core-group"].chair.first.roles == ("key-worker",)


def test_utf8_bom_is_accepted():
    pf = load_bytes(b"\xef\xbb\xbf" + VALID.encode())
    assert pf.ok


def test_huge_file_is_refused_without_reading_it_all(tmp_path):
    big = tmp_path / "big.toml"
    big.write_bytes(b"# " + b"x" * (MAX_FILE_BYTES + 10))
    pf = load_file(big)
    assert [d.code for d in pf.diagnostics] == ["file-too-large"]


def test_missing_file(tmp_path):
    pf = load_file(tmp_path / "absent.toml")
    assert [d.code for d in pf.diagnostics] == ["unreadable"]


@pytest.mark.parametrize("opener,closer", [("[", "]"), ("{ a = ", "}")])
def test_extremely_deep_nesting_gives_an_error_not_recursion(opener, closer):
    depth = 100_000
    text = '[procedure]\nid = "a"\ntitle = "T"\nx = ' + opener * depth + closer * depth + "\n"
    pf = load_text(text)
    assert [d.code for d in pf.diagnostics] == ["too-deep"]
    assert pf.diagnostics[0].line == 4


def test_nesting_inside_strings_is_not_counted():
    text = '[procedure]\nid = "a"\ntitle = "' + "[" * 500 + '"\n'
    assert load_text(text).ok


def test_many_items_load(tmp_path):
    parts = ['[procedure]\nid = "many"\ntitle = "Many"\n\n[sources.s]\ntitle = "S"\n']
    for i in range(3000):
        parts.append(f'\n[obligations.o{i}]\nwhat = "duty {i}"\nstrength = "must"\nsource = {{ doc = "s" }}\n')
    pf = load_text("".join(parts))
    assert pf.ok and len(pf.procedure.obligations) == 3000


def test_many_errors_all_reported():
    parts = ['[procedure]\nid = "many"\ntitle = "Many"\n']
    for i in range(50):
        parts.append(f'\n[roles.r{i}]\nnmae = "x"\n')
    pf = load_text("".join(parts))
    unknown = [d for d in pf.diagnostics if d.code == "unknown-key"]
    assert len(unknown) == 50
    assert unknown[0].line == 6 and unknown[-1].line == 6 + 3 * 49


def test_frequency_words_only_for_every():
    text = VALID.replace('timescale = "set-per-case"\nset_by = "icpc"', 'every = "monthly"\nafter = "icpc"')
    assert str(load_text(text).procedure.obligations["core-group-frequency"].every) == "1 month"


# -- a bug is not bad input ------------------------------------------------------------

@pytest.fixture
def fresh_converter():
    """The private converter rebuilt around the test, so that patched hooks are used and then dropped."""
    from procedurekit import converter

    converter._converter.cache_clear()
    yield converter
    converter._converter.cache_clear()


@pytest.mark.parametrize(("hook", "error"), [("_structure_date", ZeroDivisionError),
                                             ("_structure_enum", RuntimeError),
                                             ("_structure_names", KeyError)])
def test_an_error_in_a_structure_hook_propagates(fresh_converter, monkeypatch, hook, error):
    def broken(value, cls):
        raise error("a bug in procedurekit")

    monkeypatch.setattr(fresh_converter, hook, broken)
    with pytest.raises(error, match="a bug in procedurekit"):
        load_text(VALID, "example.toml")


def test_wrong_shapes_are_still_reported_as_such(fresh_converter):
    text = VALID.replace("effective_from = 2024-05-10", "effective_from = 5").replace('name = "Key worker"', "")
    pf = load_text(text, "example.toml")
    assert [(d.code, d.message) for d in pf.diagnostics] == [
        ("wrong-type", "expected a date such as 2024-05-10, got a number 5"),
        ("missing-key", 'a role needs the key "name"'),
    ]
