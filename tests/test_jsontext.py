"""jsontext.dumps writes the text json.dumps(indent=2) writes."""

from __future__ import annotations

import enum
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from procedurekit import jsontext


class Level(enum.IntEnum):
    LOW = 1


class Word(str):
    pass


AWKWARD = [
    {}, [], (), "", 0, -0.0, 1.5e300, 10**30, True, False, None, float("nan"), float("inf"), float("-inf"),
    {"a": {}, "b": [], "c": [[]], "d": [{}], "é": "naïve — “quoted”", "\u2028": "\x00\x1f\\\""},
    {1: "int key", 2.5: "float key", True: "bool key", None: "null key", Word("w"): Word("subclass")},
    [Level.LOW, (1, (2, [3])), {"nested": {"deeper": [None, True, 0.1]}}],
]


@pytest.mark.parametrize("ensure_ascii", [True, False])
@pytest.mark.parametrize("value", AWKWARD, ids=range(len(AWKWARD)))
def test_the_same_text_as_json_dumps(value, ensure_ascii):
    assert jsontext.dumps(value, ensure_ascii=ensure_ascii) == json.dumps(value, indent=2, ensure_ascii=ensure_ascii)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4),
    max_leaves=30)


@settings(max_examples=200, deadline=None)
@given(value=json_values, ensure_ascii=st.booleans())
def test_any_json_value(value, ensure_ascii):
    assert jsontext.dumps(value, ensure_ascii=ensure_ascii) == json.dumps(value, indent=2, ensure_ascii=ensure_ascii)


@pytest.mark.parametrize("value", [{1, 2}, {"a": object()}, {(1, 2): "tuple key"}])
def test_what_json_refuses_it_refuses(value):
    with pytest.raises(TypeError):
        json.dumps(value, indent=2)
    with pytest.raises(TypeError):
        jsontext.dumps(value)


def test_the_comparison_report_of_the_installed_procedures(load):
    from procedurekit.compare.diff import compare_matrix
    from procedurekit.compare.reports import matrix_data

    library = load(entry_points=True)
    ids = [pid for pid in library.ids() if pid != "england"]
    data = matrix_data(compare_matrix(library.get("england"), [library.get(pid) for pid in ids]))
    assert jsontext.dumps(data, ensure_ascii=False) == json.dumps(data, indent=2, ensure_ascii=False)
