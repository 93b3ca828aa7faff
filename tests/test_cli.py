"""The command line: list, show, validate, --version; exit codes; JSON contracts."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import FIXTURE_PLUGINS, MALFORMED

from procedurekit import __version__


def test_version(run):
    result = run("--version")
    assert result.exit_code == 0
    assert result.output.strip() == f"procedurekit {__version__}"


def test_version_runs_as_a_real_command():
    done = subprocess.run([sys.executable, "-m", "procedurekit", "--version"], capture_output=True, text=True)
    assert done.returncode == 0 and __version__ in done.stdout


def test_list_shows_baseline(run):
    result = run("list")
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

    monkeypatch.setattr(plugins.importlib.metadata, "entry_points",
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
