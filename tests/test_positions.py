"""The TOML position index maps key paths to line:col."""

from __future__ import annotations

import tomllib

from procedurekit.positions import PositionIndex, nesting_offset

TEXT = '''# comment
[procedure]
id = "x"  # trailing
"quoted.key" = 1

[obligations.a]
within = "10 working days"
source = { doc = "d", section = "s" }
list = [
  "a", # note
  { k = 1 },
]
text = """
[not a table]
"""
after = 'icpc'

[[pathways.p.steps]]
role = "r"
[[pathways.p.steps]]
role = "s"
a.b = 2
'''


def test_text_is_valid_toml():
    tomllib.loads(TEXT)


def test_keys_and_values():
    index = PositionIndex(TEXT)
    assert index.key(("procedure", "id")) == (3, 1)
    assert index.value(("procedure", "id")) == (3, 6)
    assert index.key(("procedure", "quoted.key")) == (4, 1)
    assert index.key(("obligations", "a")) == (6, 14)
    assert index.value(("obligations", "a", "within")) == (7, 10)
    assert index.value(("obligations", "a", "source", "section")) == (8, 33)
    assert index.value(("obligations", "a", "list", 0)) == (10, 3)
    assert index.key(("obligations", "a", "list", 1, "k")) == (11, 5)
    assert index.value(("obligations", "a", "after")) == (16, 9)
    assert index.key(("pathways", "p", "steps", 1, "role")) == (21, 1)
    assert index.key(("pathways", "p", "steps", 1, "a", "b")) == (22, 3)


def test_locate_falls_back_to_parent():
    index = PositionIndex(TEXT)
    assert index.locate(("obligations", "a", "missing")) == (6, 14)
    assert index.locate(("nowhere",)) == (1, 1)


def test_multiline_string_does_not_open_a_table():
    assert PositionIndex(TEXT).key(("not a table",)) is None


def test_nesting_offset():
    assert nesting_offset('x = "[[[[[[[["') is None
    text = "x = " + "[" * 40 + "]" * 40
    assert nesting_offset(text, limit=32) == 4 + 32
