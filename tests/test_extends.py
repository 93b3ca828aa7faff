"""``extends``: a procedure overrides the items of its baseline by id, rule by rule for meetings."""

from __future__ import annotations

import pytest

from procedurekit.diagnostics import ProcedureError


@pytest.fixture
def goodshire(load, fixture_plugins):
    return load(entry_points=fixture_plugins("pk_good"))


def test_override_replaces_item_with_same_id(goodshire):
    england, good = goodshire.get("england"), goodshire.get("goodshire")
    assert str(england.obligations["core-group-first"].within) == "10 working days"
    assert str(good.obligations["core-group-first"].within) == "5 working days"
    assert good.origins["obligations.core-group-first"] == "goodshire"


def test_items_not_overridden_are_inherited_with_their_origin(goodshire):
    good = goodshire.get("goodshire")
    assert good.obligations["rcpc-first"] == goodshire.get("england").obligations["rcpc-first"]
    assert good.origins["obligations.rcpc-first"] == "england"
    assert "neglect" in good.categories


def test_meeting_rules_merge_with_the_baseline(goodshire):
    meeting = goodshire.get("goodshire").meetings["core-group"]
    assert meeting.name == "Core group meeting"  # kept from england
    assert meeting.chair.subsequent.roles == ("lead-social-worker",)
    rcpc = goodshire.get("goodshire").meetings["rcpc"]
    assert rcpc.chair.each.independent  # untouched baseline meeting
    assert goodshire.get("goodshire").origins["meetings.core-group.chair.subsequent"] == "goodshire"


def test_baseline_is_untouched_by_extension(goodshire):
    england = goodshire.get("england")
    assert england.meetings["core-group"].chair is None
    assert set(england.sources) == {"wt2023"}
    assert all(origin == "england" for origin in england.origins.values())


def test_calendar_is_inherited(goodshire):
    assert goodshire.get("goodshire").calendar == "england-and-wales"


def test_error_in_baseline_item_is_located_in_the_baseline_file(load, tmp_path):
    (tmp_path / "base.toml").write_text(
        '[procedure]\nid = "base"\ntitle = "Base"\n\n[sources.s]\ntitle = "S"\n\n'
        '[obligations.x]\nwhat = "x"\nowner = "nobody"\nstrength = "must"\nsource = { doc = "s" }\n')
    (tmp_path / "child.toml").write_text('[procedure]\nid = "child"\ntitle = "Child"\nextends = "base"\n')
    library = load(plugin_dirs=[tmp_path])
    for pid in ("base", "child"):
        (d,) = library.errors(pid)
        assert d.code == "undefined-reference"
        assert d.path.endswith("base.toml") and (d.line, d.column) == (10, 9)


def test_get_unknown_procedure_suggests(load):
    with pytest.raises(ProcedureError, match='did you mean "england"'):
        load().get("englnd")
