"""The command line: list, show, validate, --version; exit codes; JSON contracts; the one error path."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import FIXTURE_PLUGINS, MALFORMED

from procedurekit import __version__
from procedurekit.errors import InputError, UsageError


def test_version(run):
    result = run("--version")
    assert result.exit_code == 0
    assert result.output.strip() == f"procedurekit {__version__}"


def test_version_runs_as_a_real_command():
    done = subprocess.run([sys.executable, "-m", "procedurekit", "--version"], capture_output=True, text=True)
    assert done.returncode == 0 and __version__ in done.stdout


def test_list_shows_baseline(run):
    result = run("list", "--paths", env={"COLUMNS": "200"})
    assert result.exit_code == 0
    header, *rows = result.output.splitlines()
    assert header.split() == ["ID", "PARTNERSHIP", "VERSION", "EXTENDS", "PLUGIN", "FILE"]
    england = next(r for r in rows if r.startswith("england "))
    assert "baselines" in england and "england.toml" in england


def test_list_json(run):
    data = json.loads(run("list", "--format", "json").output)
    (england,) = [p for p in data["procedures"] if p["id"] == "england"]
    assert england["plugin"] == "baselines" and england["valid"] is True
    assert data["problems"] == []


def test_list_with_plugin_dir_and_broken_file(run, tmp_path):
    (tmp_path / "ok.toml").write_text('[procedure]\nid = "ok"\ntitle = "OK"\nextends = "england"\n')
    (tmp_path / "bad.toml").write_text('[procedure]\nid = "bad"\ntitle = "Bad"\nextends = "englnd"\n')
    result = run("--plugin-dir", str(tmp_path), "list")
    assert result.exit_code == 1  # something is wrong: say so, but still list what loaded
    assert "\nok " in result.output and "bad (invalid)" in result.output


def test_show_text_has_sources(run):
    result = run("show", "england")
    assert result.exit_code == 0
    assert "core-group-first [should]" in result.output
    assert "within 10 working days after initial child protection conference" in result.output
    assert "source: wt2023" in result.output and "[verified: secondary]" in result.output


def test_show_json_every_rule_has_a_source(run):
    data = json.loads(run("show", "england", "--format", "json").output)
    assert data["id"] == "england" and data["format_version"] == 1
    for section in ("obligations", "categories", "documents", "pathways", "triggers", "rights"):
        for item_id, item in data[section].items():
            assert item["source"], f"{section}.{item_id} has no source"
    assert data["obligations"]["icpc"]["within"] == "15 working days"


def test_show_resolved_extension(run):
    plugin_dir = FIXTURE_PLUGINS / "pk_good" / "procedures"
    data = json.loads(run("--plugin-dir", str(plugin_dir), "show", "goodshire", "--format", "json").output)
    assert data["obligations"]["core-group-first"]["within"] == "5 working days"
    assert data["origins"]["obligations.rcpc-first"] == "england"
    text = run("--plugin-dir", str(plugin_dir), "show", "goodshire").output
    assert "rcpc-first [should] (from england)" in text


def test_show_unknown_id_is_a_usage_error(run):
    result = run("show", "englnd")
    assert result.exit_code == 2
    assert 'did you mean "england"' in result.output
    assert "Traceback" not in result.output


def test_show_invalid_procedure_exits_1(run):
    result = run("--plugin-dir", str(MALFORMED / "cycle"), "show", "cycle-a")
    assert result.exit_code == 1 and "extends-cycle" in result.output


def test_validate_clean(run):
    result = run("validate")
    assert result.exit_code == 0
    assert result.output.strip().endswith("no problems")


def test_validate_by_id(run):
    assert run("validate", "england").exit_code == 0
    assert run("validate", "nowhere").exit_code == 2


def test_validate_missing_file_is_usage_error(run, tmp_path):
    result = run("validate", str(tmp_path / "missing.toml"))
    assert result.exit_code == 2 and "no such file" in result.output


def test_validate_unknown_option_is_usage_error(run):
    assert run("validate", "--colour").exit_code == 2


def test_validate_json_clean(run):
    data = json.loads(run("validate", "--format", "json").output)
    assert data == {"ok": True, "procedures": ["england", "scotland", "wales"], "errors": 0, "warnings": 0,
                    "diagnostics": []}


def test_validate_draft_replaces_installed_procedure(run, tmp_path):
    draft = tmp_path / "england.toml"
    draft.write_text('[procedure]\nid = "england"\ntitle = "Draft"\n\n[roles.x]\nname = 3\n')
    result = run("validate", str(draft))
    assert result.exit_code == 1
    assert "england.toml:6:8: wrong-type" in result.output
    assert "duplicate-procedure" not in result.output


def test_validate_reports_broken_plugins_by_name(run, monkeypatch):
    monkeypatch.syspath_prepend(str(FIXTURE_PLUGINS))
    from importlib.metadata import EntryPoint

    import procedurekit.host.plugins as plugins

    monkeypatch.setattr(plugins.entrypoints, "entry_points",
                        lambda group: [EntryPoint("broken", "pk_broken_import", group)])
    result = run("validate", real_plugins=True)
    assert result.exit_code == 1
    assert "plugin broken: plugin-error: plugin broken failed to import: RuntimeError" in result.output


def test_floor_relaxation_is_a_warning_with_both_sources(run):
    from conftest import MALFORMED

    result = run("validate", str(MALFORMED / "relaxes-floor.toml"))
    assert result.exit_code == 0  # reported, but a finding rather than a broken file
    line = next(x for x in result.output.splitlines() if "relaxes-floor" in x)
    assert "relaxes-floor.toml:9:14: relaxes-floor: warning:" in line
    assert "15 working days where england has 10 working days" in line
    assert "within 15 working days of the conference" in line  # the local source
    assert "wt2023" in line  # and the baseline's
    assert "1 warning" in result.output
    assert run("validate", "--strict", str(MALFORMED / "relaxes-floor.toml")).exit_code == 1


def test_procedure_that_fails_to_load_is_known_by_its_id(run, tmp_path):
    (tmp_path / "broken.toml").write_text('[procedure]\nid = "brokenshire"\ntitle = "B"\nextends = "england"\n\n'
                                          '[obligations.x]\nwhat = "x"\nstrength = "mst"\nsource = { doc = "s" }\n')
    listing = run("--plugin-dir", str(tmp_path), "list")
    assert listing.exit_code == 1 and "brokenshire (invalid)" in listing.output
    checked = run("--plugin-dir", str(tmp_path), "validate", "brokenshire")
    assert checked.exit_code == 1
    assert "broken.toml:8:12: bad-value" in checked.output
    shown = run("--plugin-dir", str(tmp_path), "show", "brokenshire")
    assert shown.exit_code == 1 and "bad-value" in shown.output


def test_validate_a_name_that_is_also_a_folder_means_the_procedure(run, tmp_path, monkeypatch):
    # after `procedurekit new goodshire`, ./goodshire is a folder; `validate england` style ids still work
    monkeypatch.chdir(tmp_path)
    (tmp_path / "england").mkdir()
    result = run("validate", "england")
    assert result.exit_code == 0 and "1 procedure checked" in result.output


def test_validate_a_plugin_project_folder(run, tmp_path):
    assert run("new", "folkshire", "--directory", str(tmp_path / "folkshire")).exit_code == 0
    result = run("validate", str(tmp_path / "folkshire"))
    assert result.exit_code == 0 and "1 procedure checked: no problems" in result.output


def test_validate_an_empty_folder_is_a_usage_error(run, tmp_path):
    (tmp_path / "empty").mkdir()
    result = run("validate", str(tmp_path / "empty"))
    assert result.exit_code == 2 and "no procedure files in this folder" in result.output


# -- the one error path ------------------------------------------------------------------

SCHEDULE = ("schedule", "warrington", "examples/case.toml", "--today", "2024-03-01")
ROOT = FIXTURE_PLUGINS.parent.parent.parent


def _raise(exc):
    def raiser(*args, **kwargs):
        raise exc

    return raiser


def test_a_bug_in_a_command_is_one_line_and_exit_3(run, monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.setattr("procedurekit.host.library.Library.schedule", _raise(RuntimeError("boom\nsecond line")))
    result = run(*SCHEDULE, real_plugins=True)
    assert result.exit_code == 3
    assert result.stderr == ("procedurekit: internal error: RuntimeError: boom second line — this is a bug in "
                             "procedurekit; please report it (PROCEDUREKIT_DEBUG=1 shows the traceback)\n")
    assert "Traceback" not in result.output and result.stdout == ""


def test_procedurekit_debug_shows_the_traceback_of_a_bug(run, monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.setattr("procedurekit.host.library.Library.schedule", _raise(RuntimeError("boom")))
    with pytest.raises(RuntimeError, match="boom"):
        run(*SCHEDULE, real_plugins=True, env={"PROCEDUREKIT_DEBUG": "1"})


def test_the_console_entry_point_reports_a_bug_the_same_way(monkeypatch, capsys):
    from procedurekit.cli import main

    monkeypatch.delenv("PROCEDUREKIT_PLUGIN_PATH", raising=False)
    monkeypatch.setattr("procedurekit.host.library.Library.ids", _raise(KeyError("ids")))
    monkeypatch.setattr(sys, "argv", ["procedurekit", "--no-entry-points", "list"])
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code == 3
    err = capsys.readouterr().err
    assert err.startswith("procedurekit: internal error: KeyError: 'ids' — this is a bug in procedurekit")
    assert "Traceback" not in err


class Gone(UsageError):
    """A usage error of a kind procedurekit might add."""


@pytest.mark.parametrize(("exc", "code", "said"), [
    (InputError("the case file is empty"), 1, "procedurekit: the case file is empty\n"),
    (UsageError("that is not how it is used"), 2, "Error: that is not how it is used\n"),
    (Gone("no such thing"), 2, "Error: no such thing\n"),
])
def test_a_procedurekit_error_gives_its_exit_code_and_message(run, monkeypatch, exc, code, said):
    monkeypatch.setattr("procedurekit.host.library.Library.ids", _raise(exc))
    result = run("list")
    assert result.exit_code == code == exc.exit_code
    assert result.stderr.endswith(said) and result.stdout == ""
    if code == 2:  # as click's own usage errors: the command's usage first
        assert result.stderr.startswith("Usage: cli list [OPTIONS]")
    assert "Traceback" not in result.output and "internal error" not in result.output


def test_a_procedure_error_prints_each_diagnostic_with_its_place(run, monkeypatch, tmp_path):
    from procedurekit.diagnostics import Diagnostic, ProcedureError

    diagnostics = [Diagnostic("bad-value", "not a strength", str(tmp_path / "a.toml"), 3, 9),
                   Diagnostic("missing-source", "a rule without a source", str(tmp_path / "a.toml"), 7)]
    monkeypatch.setattr("procedurekit.host.library.Library.ids", _raise(ProcedureError(diagnostics)))
    result = run("list")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert [line.split("a.toml", 1)[1] for line in lines] == [
        ":3:9: bad-value: not a strength", ":7:1: missing-source: a rule without a source"]


def test_an_interrupt_exits_130(run, monkeypatch):
    monkeypatch.setattr("procedurekit.host.library.Library.ids", _raise(KeyboardInterrupt()))
    result = run("list")
    assert result.exit_code == 130 and result.stderr == "interrupted\n"


def test_a_calendar_out_of_range_is_an_input_error(run):
    result = run("calendar", "add", "1900-01-01", "10", "working", "days")
    assert result.exit_code == 1 and result.stderr.startswith("procedurekit: ")
    assert "internal error" not in result.output


def test_click_usage_errors_are_left_to_click(run):
    result = run("calendar", "add", "2024-02-30", "1", "day")
    assert result.exit_code == 2 and "Invalid value for START" in result.stderr
    assert run("nosuch").exit_code == 2


def test_a_command_module_that_fails_to_import_is_a_bug_not_a_traceback(run, monkeypatch):
    from procedurekit.cli import cli

    monkeypatch.setitem(cli.lazy_subcommands, "broken", "procedurekit.cli.no_such_module:broken")
    result = run("broken")
    assert result.exit_code == 3
    assert "internal error: ModuleNotFoundError" in result.stderr and "Traceback" not in result.output


def test_a_lazy_command_must_be_a_funnelled_command(run, monkeypatch):
    from procedurekit.cli import cli

    monkeypatch.setitem(cli.lazy_subcommands, "plain", "procedurekit.cli.app:FORMATS")
    result = run("plain")
    assert result.exit_code == 3 and "is not a procedurekit command" in result.stderr


# -- lazy loading ----------------------------------------------------------------------------

IMPORTED = ("import sys; from procedurekit.cli import main; sys.argv = ['procedurekit', *sys.argv[1:]]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(' '.join(sorted(m for m in sys.modules if m.startswith('procedurekit'))), file=sys.stderr)")


def _modules_after(*args: str) -> set[str]:
    done = subprocess.run([sys.executable, "-c", IMPORTED, *args], capture_output=True, text=True, timeout=120)
    return set(done.stderr.split())


def test_version_imports_no_command_and_no_library():
    loaded = _modules_after("--version")
    assert {m for m in loaded if m.startswith("procedurekit.cli.")} == {"procedurekit.cli.app"}
    assert not any(m.startswith("procedurekit.host") for m in loaded)


def test_list_imports_only_its_own_command_module():
    loaded = _modules_after("--no-entry-points", "list")
    assert {m for m in loaded if m.startswith("procedurekit.cli.")} == {"procedurekit.cli.app",
                                                                        "procedurekit.cli.procedures"}
    assert not {"procedurekit.authoring", "procedurekit.compare.reports", "procedurekit.cases.output",
                "procedurekit.cases.audit", "procedurekit.cases.files"} & loaded


def test_help_lists_every_command_in_order(run):
    from procedurekit.cli.app import COMMANDS

    result = run("--help")
    listed = [line.split()[0] for line in result.output.split("Commands:\n", 1)[1].splitlines() if line.strip()]
    assert listed == sorted(COMMANDS)
