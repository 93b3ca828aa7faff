"""Authoring: new (scaffold), fmt, schema and render, end to end and on bad input."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import jsonschema
import pytest

ROOT = Path(__file__).parent.parent


def test_new_plugin_installs_validates_and_its_tests_pass(run, tmp_path):
    target = tmp_path / "goodshire"
    result = run("new", "goodshire", "--directory", str(target), "--partnership", "Goodshire SCP")
    assert result.exit_code == 0, result.output
    # the plugin declares the procedurekit release series it was made for, which includes this one
    from packaging.specifiers import SpecifierSet

    import procedurekit

    (requirement,) = tomllib.loads((target / "pyproject.toml").read_text())["project"]["dependencies"]
    assert requirement.startswith("procedurekit>=")
    assert procedurekit.__version__ in SpecifierSet(requirement.removeprefix("procedurekit"))
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
                    "--target", str(site), str(target)], check=True, capture_output=True)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), *sys.path])}
    validate = subprocess.run([sys.executable, "-m", "procedurekit", "validate", "goodshire"], env=env,
                              capture_output=True, text=True, cwd=tmp_path)
    assert validate.returncode == 0, validate.stdout + validate.stderr
    assert "no problems" in validate.stdout
    tests = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(target / "tests")],
                           env=env, capture_output=True, text=True, cwd=tmp_path)
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert "1 passed" in tests.stdout
    listed = subprocess.run([sys.executable, "-m", "procedurekit", "list"], env=env, capture_output=True, text=True)
    assert "goodshire" in listed.stdout and "Goodshire SCP" in listed.stdout


def test_new_refuses_an_existing_directory_and_bad_names(run, tmp_path):
    (tmp_path / "taken").mkdir()
    result = run("new", "taken", "--directory", str(tmp_path / "taken"))
    assert result.exit_code == 1 and "already exists" in result.output
    assert list((tmp_path / "taken").iterdir()) == []
    bad = run("new", "Good Shire", "--directory", str(tmp_path / "x"))
    assert bad.exit_code == 1 and 'e.g. "good-shire"' in bad.output
    clash = run("new", "england", "--directory", str(tmp_path / "y"))
    assert clash.exit_code == 2 and "already installed" in clash.output


# -- schema --------------------------------------------------------------------------

def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


SHIPPED = sorted([*ROOT.glob("procedures/*.toml"), *ROOT.glob("plugins/*/procedurekit_*/procedures/*.toml")])


@pytest.fixture(scope="module")
def schema():
    from click.testing import CliRunner

    from procedurekit.cli import cli

    return json.loads(CliRunner().invoke(cli, ["--no-entry-points", "schema"]).output)


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_every_shipped_procedure_validates_against_the_schema(schema, path):
    jsonschema.validate(_jsonable(tomllib.loads(path.read_text())), schema,
                        format_checker=jsonschema.FormatChecker())


@pytest.mark.parametrize("name", ["unknown-key-obligation.toml", "bad-strength.toml", "bad-duration-misspelt.toml",
                                  "wrong-type-boolean.toml", "bad-item-id.toml"])
def test_schema_rejects_what_the_loader_rejects(schema, name):
    data = _jsonable(tomllib.loads((ROOT / "tests" / "malformed" / name).read_text()))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)


def test_schema_is_generated_from_the_model(schema):
    import attrs

    from procedurekit import model

    obligation = schema["$defs"]["Obligation"]["properties"]
    assert set(obligation) == {f.name for f in attrs.fields(model.Obligation)}
    assert schema["$defs"]["Obligation"]["properties"]["strength"]["enum"] == [s.value for s in model.Strength]


# -- render --------------------------------------------------------------------------

def test_render_markdown_has_rules_and_footnoted_sources(run):
    out = run("render", "warrington", real_plugins=True).output
    assert out.startswith("# Warrington: Child Protection Conferences and Core Groups")
    assert "## Who does what, by when" in out and "## Meetings" in out and "## Bringing meetings forward" in out
    assert "within 15 days after the first strategy discussion, read as 15 days (literal reading); or 15 working " \
        "days (national reading)" in out
    notes = [line for line in out.splitlines() if line.startswith("[^")]
    refs = {ref for ref in __import__("re").findall(r"\[\^(\d+)\](?!:)", out)}
    assert notes and refs == {line[2:line.index("]")] for line in notes}
    assert any("Conference quoram" in n for n in notes)


def test_render_html_is_self_contained(run, tmp_path):
    target = tmp_path / "croydon.html"
    assert run("render", "croydon", "--format", "html", "-o", str(target), real_plugins=True).exit_code == 0
    page = target.read_text()
    assert page.startswith("<!DOCTYPE html>") and "<h2>Sources</h2>" in page
    assert "<script" not in page and "<link" not in page


def test_render_unknown_id(run):
    result = run("render", "croydn", real_plugins=True)
    assert result.exit_code == 2 and 'did you mean "croydon"' in result.output
