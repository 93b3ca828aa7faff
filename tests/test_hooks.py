"""Every hook is documented and tested (meta-tests), and each hook does what its spec says."""

from __future__ import annotations

import datetime as dt
import inspect
import sys
from pathlib import Path

import attrs
import pytest

from procedurekit import hookspecs
from procedurekit.diagnostics import Diagnostic
from procedurekit.model import Case, CaseEvent

ROOT = Path(__file__).parent.parent
HOOKS = sorted(n for n, f in inspect.getmembers(hookspecs, inspect.isfunction) if n.startswith("procedurekit_"))

PATHWAYS = '''
[procedure]
id = "pathways"
title = "Pathways"
extends = "england"

[sources.local]
title = "Local"

[pathways.professional-disagreement]
name = "Resolving professional disagreements"
concern = "disagreement between agencies"
strength = "must"
steps = [{ role = "line-manager" }, { role = "team-manager", within = "2 working days" }]
source = { doc = "local", section = "Escalation" }

[pathways.drift]
name = "Plan drift"
concern = "plan not progressing"
strength = "should"
steps = [{ role = "conference-chair" }]
source = { doc = "local", section = "Drift" }
'''


def test_hook_list_is_what_the_issue_names():
    assert HOOKS == [
        "procedurekit_escalation_pathway", "procedurekit_next_meeting_due", "procedurekit_procedure_files",
        "procedurekit_select_chair", "procedurekit_validate_procedure",
    ]


@pytest.mark.parametrize("name", HOOKS)
def test_every_hook_has_docstring_and_types(name):
    func = getattr(hookspecs, name)
    assert func.__doc__ and len(func.__doc__.strip()) > 80
    signature = inspect.signature(func)
    assert signature.return_annotation is not inspect.Signature.empty
    assert all(p.annotation is not inspect.Parameter.empty for p in signature.parameters.values())



@pytest.mark.parametrize("name", HOOKS)
def test_every_hook_has_a_test(name):
    tests = (Path(__file__).read_text() + (Path(__file__).parent / "test_plugins.py").read_text())
    assert f"def test_hook_{name.removeprefix('procedurekit_')}" in tests


def test_hook_procedure_files(load):
    library = load()
    assert library.entry("england").plugin == "baselines"
    assert Path(library.entry("england").path).name == "england.toml"


def test_hook_select_chair(load):
    library = load()
    decision = library.select_chair("england", "rcpc", 2)
    assert decision.roles == ("conference-chair",)
    assert "independent" in decision.reason
    assert decision.source[0].doc == "wt2023"


def test_hook_escalation_pathway(load, tmp_path):
    (tmp_path / "p.toml").write_text(PATHWAYS)
    library = load(plugin_dirs=[tmp_path])
    chosen = library.escalation_pathway("pathways", "disagreement")
    assert chosen.pathway == "professional-disagreement"
    assert [s.role for s in chosen.steps] == ["line-manager", "team-manager"]
    assert str(chosen.steps[1].within) == "2 working days"
    assert library.escalation_pathway("pathways", "plan not progressing").pathway == "drift"
    assert library.escalation_pathway("pathways", "something else") is None


def test_hook_validate_procedure(load, fixture_plugins, monkeypatch, tmp_path):
    # a plugin's extra validation: diagnostics with a key are located in the file
    from procedurekit import hookimpl

    module = type(sys)("pk_extra_check")
    module.__file__ = str(tmp_path / "pk_extra_check" / "__init__.py")

    @hookimpl
    def procedurekit_validate_procedure(procedure):
        return [Diagnostic("local-rule", "core group must be within 5 working days",
                           key=("obligations", "core-group-first", "within"))]

    module.procedurekit_validate_procedure = procedurekit_validate_procedure
    (tmp_path / "pk_extra_check" / "procedures").mkdir(parents=True)
    (tmp_path / "pk_extra_check" / "procedures" / "x.toml").write_text(
        '[procedure]\nid = "extra"\ntitle = "Extra"\nextends = "england"\n')
    monkeypatch.setitem(sys.modules, "pk_extra_check", module)
    from importlib.metadata import EntryPoint

    library = load(entry_points=[EntryPoint("extra_check", "pk_extra_check", "procedurekit")])
    (d,) = library.errors("extra")
    assert d.code == "local-rule" and d.plugin == "extra_check"
    # the item is england's, so the position is in england.toml
    assert d.path.endswith("england.toml") and d.line is not None
    assert library.errors("england") == []  # the plugin's check does not apply to england


def test_hook_next_meeting_due(load):
    library = load()
    case = Case("c", (CaseEvent("strategy-discussion", dt.date(2024, 1, 8)), CaseEvent("icpc", dt.date(2024, 1, 26))))
    due = library.next_meeting_due("england", "rcpc", case)
    assert due.obligation == "rcpc-first" and str(due.within) == "3 months"
    later = Case("c", case.events + (CaseEvent("rcpc", dt.date(2024, 4, 20)),))
    due = library.next_meeting_due("england", "rcpc", later)
    assert due.obligation == "rcpc-subsequent" and str(due.within) == "6 months" and due.after == "rcpc"


# -- calls go through pluggy's hook callers ----------------------------------------------------

def _plugin_module(tmp_path, monkeypatch, name, **hooks):
    """An importable plugin package named *name* with the given hook functions and one procedure."""
    module = type(sys)(name)
    module.__file__ = str(tmp_path / name / "__init__.py")
    for hook_name, function in hooks.items():
        setattr(module, hook_name, function)
    (tmp_path / name / "procedures").mkdir(parents=True)
    (tmp_path / name / "procedures" / "p.toml").write_text(
        f'[procedure]\nid = "{name.replace("_", "-")}"\ntitle = "T"\nextends = "england"\n')
    monkeypatch.setitem(sys.modules, name, module)
    from importlib.metadata import EntryPoint

    return EntryPoint(name.replace("_", "-"), name, "procedurekit")


def test_tryfirst_and_hook_wrappers_are_honoured(load, tmp_path, monkeypatch):
    from procedurekit import hookimpl
    from procedurekit.model import ChairDecision

    calls = []

    @hookimpl(tryfirst=True)
    def procedurekit_select_chair(meeting):
        calls.append("tryfirst")
        return ChairDecision(roles=("first-answer",), reason="tryfirst implementation")

    @hookimpl(wrapper=True)
    def procedurekit_next_meeting_due(meeting):
        calls.append("wrapper")
        due = yield
        return attrs.evolve(due, reason="wrapped: " + due.reason) if due is not None else None

    ep = _plugin_module(tmp_path, monkeypatch, "pk_order", procedurekit_select_chair=procedurekit_select_chair,
                        procedurekit_next_meeting_due=procedurekit_next_meeting_due)
    library = load(entry_points=[ep])
    decision = library.select_chair("pk-order", "rcpc", 2)
    assert decision.roles == ("first-answer",) and decision.decided_by == "pk-order"
    case = Case.from_events([("strategy-discussion", dt.date(2024, 1, 8)), ("icpc", dt.date(2024, 1, 26))])
    due = library.next_meeting_due("pk-order", "rcpc", case)
    assert due.reason.startswith("wrapped: ") and due.obligation == "rcpc-first"
    assert calls == ["tryfirst", "wrapper"]
    # the plugin's hooks do not apply to england
    assert library.select_chair("england", "rcpc", 2).roles == ("conference-chair",)
    assert not library.next_meeting_due("england", "rcpc", case).reason.startswith("wrapped")


def test_a_raising_hook_is_isolated_only_inside_the_library(load, tmp_path, monkeypatch):
    from procedurekit import hookimpl

    @hookimpl
    def procedurekit_select_chair(meeting):
        raise ZeroDivisionError("boom")

    ep = _plugin_module(tmp_path, monkeypatch, "pk_raises", procedurekit_select_chair=procedurekit_select_chair)
    library = load(entry_points=[ep])
    assert library.select_chair("pk-raises", "rcpc", 2).decided_by == "chairing"  # the default answered
    (problem,) = [d for d in library.diagnostics if d.plugin == "pk-raises"]
    assert "ZeroDivisionError: boom" in problem.message and problem.procedure == "pk-raises"
    # a plain pluggy call of the same manager is not guarded: the exception is the caller's
    with pytest.raises(ZeroDivisionError):
        library.pm.hook.procedurekit_select_chair(procedure=library.get("pk-raises"), meeting="rcpc",
                                                  occurrence=1, case=None, chair_absent=False)
