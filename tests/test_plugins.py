"""Plugin discovery and isolation: entry points, folders, broken plugins, ownership of hooks."""

from __future__ import annotations

from pathlib import Path

import pytest

from procedurekit.host.library import Library
from procedurekit.model import Case, CaseEvent
from procedurekit.host.plugins import get_plugin_manager


def codes(library: Library) -> list[str]:
    return [d.code for d in library.diagnostics]


def test_plugin_manager_is_fresh_each_time():
    a, b = get_plugin_manager(), get_plugin_manager()
    assert a is not b
    assert a.get_plugin("chairing") is not None
    assert [n for n, _ in a.list_name_plugin()] == [n for n, _ in b.list_name_plugin()]


def test_default_plugins_can_be_disabled_by_name(load):
    library = load(disable=["baselines"])
    assert library.ids() == []
    assert "baselines" not in {p.name for p in library.plugins}


def test_entry_point_plugin_is_discovered(load, fixture_plugins):
    library = load(entry_points=fixture_plugins("pk_good"))
    assert "goodshire" in library.ids()
    entry = library.entry("goodshire")
    assert entry.plugin == "good"
    assert Path(entry.path).name == "goodshire.toml"
    assert not library.errors()
    assert {"name": "good", "kind": "entry point"}.items() <= {
        "name": library.plugins[-1].name, "kind": library.plugins[-1].kind}.items()


def test_toml_only_package_needs_no_hook(load, fixture_plugins):
    library = load(entry_points=fixture_plugins("pk_toml_only"))
    assert library.entry("tomlshire").plugin == "toml_only"
    assert library.get("tomlshire").extends == "england"


def test_plugin_failing_to_import_is_reported_and_others_load(load, fixture_plugins):
    library = load(entry_points=fixture_plugins("pk_broken_import", "pk_good"))
    assert "goodshire" in library.ids()
    (problem,) = [d for d in library.diagnostics if d.code == "plugin-error"]
    assert problem.plugin == "broken_import"
    assert "failed to import" in problem.message
    assert "RuntimeError: this plugin is broken on purpose" in problem.message


def test_misspelt_hook_is_reported_by_plugin_name(load, fixture_plugins):
    library = load(entry_points=fixture_plugins("pk_misspelt_hook", "pk_good"))
    (problem,) = [d for d in library.diagnostics if d.code == "plugin-error"]
    assert problem.plugin == "misspelt_hook"
    assert "procedurekit_select_chiar" in problem.message
    assert "goodshire" in library.ids()


def test_hook_raising_is_reported_and_default_answers(load, fixture_plugins):
    library = load(entry_points=fixture_plugins("pk_raises"))
    # validation hook raised during load: reported, the procedure is still checked by the defaults
    raised = [d for d in library.diagnostics if d.code == "plugin-error"]
    assert any("ValueError: validation hook failed" in d.message and d.plugin == "raises" for d in raised)
    decision = library.select_chair("raisington", "icpc")
    assert decision.roles == ("conference-chair",)
    assert decision.decided_by == "chairing"
    assert any("ZeroDivisionError: chair hook failed" in d.message for d in library.diagnostics)


def test_hook_returning_wrong_type_is_reported(load, fixture_plugins):
    library = load(entry_points=fixture_plugins("pk_wrong_return"))
    decision = library.select_chair("wrongton", "icpc")
    assert decision.decided_by == "chairing"
    (problem,) = [d for d in library.diagnostics if d.code == "plugin-error"]
    assert "returned str" in problem.message and problem.plugin == "wrong_return"


def test_hooks_apply_only_to_the_plugins_own_procedures(load, fixture_plugins):
    library = load(entry_points=fixture_plugins("pk_good", "pk_toml_only"))
    own = library.select_chair("goodshire", "core-group", 1)
    assert own.roles == ("team-manager",) and own.decided_by == "good"
    other = library.select_chair("tomlshire", "core-group", 1)
    assert other is None  # good's hook is not consulted for tomlshire; england sets no core group chair


def test_plugin_paths_are_confined_to_the_package(load, fixture_plugins):
    library = load(entry_points=fixture_plugins("pk_escape"))
    (problem,) = [d for d in library.diagnostics if d.code == "plugin-path"]
    assert problem.plugin == "escape" and "outside its package" in problem.message


def test_two_plugins_with_the_same_procedure_id(load, fixture_plugins):
    library = load(entry_points=fixture_plugins("pk_dup_a", "pk_dup_b"))
    problems = [d for d in library.diagnostics if d.code == "duplicate-procedure"]
    assert len(problems) == 2
    for d in problems:
        assert "plugin dup_a" in d.message and "plugin dup_b" in d.message
        assert d.line == 2
    with pytest.raises(Exception, match="duplicate-procedure"):
        library.get("sameton")


def test_plugin_directory_is_discovered(load, tmp_path):
    folder = tmp_path / "draftshire"
    folder.mkdir()
    (folder / "draft.toml").write_text('[procedure]\nid = "draft"\ntitle = "Draft"\nextends = "england"\n')
    library = load(plugin_dirs=[folder])
    assert library.entry("draft").plugin == "draftshire"
    assert {"draftshire"} <= {p.name for p in library.plugins if p.kind == "directory"}


def test_plugin_path_environment_variable(load, tmp_path):
    import os

    dirs = []
    for name in ("one", "two"):
        d = tmp_path / name
        d.mkdir()
        (d / f"{name}.toml").write_text(f'[procedure]\nid = "{name}"\ntitle = "{name}"\nextends = "england"\n')
        dirs.append(str(d))
    library = load(environ={"PROCEDUREKIT_PLUGIN_PATH": os.pathsep.join(dirs)})
    assert {"one", "two"} <= set(library.ids())


def test_missing_plugin_directory_is_an_error(load, tmp_path):
    library = load(plugin_dirs=[tmp_path / "nowhere"])
    assert codes(library) == ["plugin-error"]


def test_toml_only_directory_runs_no_code(load, tmp_path):
    marker = tmp_path / "executed"
    folder = tmp_path / "plugin"
    folder.mkdir()
    (folder / "__init__.py").write_text(f"open({str(marker)!r}, 'w').write('ran')\n")
    (folder / "hooks.py").write_text(f"open({str(marker)!r}, 'w').write('ran')\n")
    (folder / "quiet.toml").write_text('[procedure]\nid = "quiet"\ntitle = "Quiet"\nextends = "england"\n')
    library = load(plugin_dirs=[folder])
    assert "quiet" in library.ids()
    assert not marker.exists()


def test_hook_next_meeting_due_default(load, fixture_plugins):
    library = load(entry_points=fixture_plugins("pk_good"))
    import datetime as dt

    case = Case("c1", (CaseEvent("icpc", dt.date(2024, 3, 4)),))
    due = library.next_meeting_due("goodshire", "core-group", case)
    assert due.obligation == "core-group-first"
    assert str(due.within) == "5 working days" and due.after == "icpc"
    assert due.decided_by == "scheduling"
