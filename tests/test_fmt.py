"""fmt: canonical order and spacing with every comment kept; files with errors, and files that are not
procedures, are reported and never touched; a write is whole or not at all."""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path

import pytest

from procedurekit.loader import load_file

ROOT = Path(__file__).parent.parent
SHIPPED = sorted([*ROOT.glob("procedures/*.toml"), *ROOT.glob("plugins/*/procedurekit_*/procedures/*.toml")])
#: shipped procedures and the valid ones the tests use
VALID = [*SHIPPED, ROOT / "tests" / "worked" / "procedures" / "worked.toml",
         ROOT / "tests" / "areas" / "newshire" / "procedures" / "newshire.toml"]

MESSY = '''# Goodshire: child protection procedures.
# (opening comments stay at the top)

# -- obligations --

# the first core group
[obligations.core-group-first]
strength   =   "must"   # the text says "must"
# counted from the initial conference
after = "icpc"
meeting = "core-group"
source = [
  { doc = "local", section = "2", quote = "q" },  # a comment inside a value
]
within = "10 working days"



[procedure]
title = "Goodshire"
id = "goodshire"  # the plugin's id
extends = "england"

[sources.local]
title = "Local procedure"
# the end
'''

CANONICAL = '''# Goodshire: child protection procedures.
# (opening comments stay at the top)

[procedure]
id = "goodshire"  # the plugin's id
title = "Goodshire"
extends = "england"

[sources.local]
title = "Local procedure"

# -- obligations --

# the first core group
[obligations.core-group-first]
meeting = "core-group"
within = "10 working days"
# counted from the initial conference
after = "icpc"
strength = "must"  # the text says "must"
source = [
  { doc = "local", section = "2", quote = "q" },  # a comment inside a value
]

# the end
'''


def test_fmt_orders_and_spaces_and_keeps_every_comment(run, tmp_path):
    path = tmp_path / "goodshire.toml"
    path.write_text(MESSY)
    assert run("fmt", "--check", str(path)).exit_code == 1
    assert path.read_text() == MESSY  # --check changes nothing
    result = run("fmt", str(path))
    assert result.exit_code == 0, result.output
    assert path.read_text() == CANONICAL
    assert tomllib.loads(CANONICAL) == tomllib.loads(MESSY)
    assert run("fmt", "--check", str(path)).exit_code == 0
    assert run("fmt", str(path)).output == ""  # idempotent: nothing to do


@pytest.mark.parametrize(("name", "text", "code"), [
    ("pyproject.toml", '[project]\nname = "x"\n# keep me\n', "missing-key"),
    ("misspelt.toml", '[procedure]\nid = "m"\ntitle = "M"\n\n[meetings.core-group]\nnmae = "Core group"\n',
     "unknown-key"),
    ("syntax.toml", '[procedure]\nid = "s"\ntitle = "S\n', "toml-syntax"),
    ("duration.toml", '[procedure]\nid = "d"\ntitle = "D"\nextends = "england"\n[sources.l]\ntitle = "L"\n'
     '[obligations.x]\nwhat = "x"\nwithin = "10 workin days"\nafter = "icpc"\nstrength = "must"\n'
     'source = { doc = "l" }\n', "bad-duration"),
])
def test_fmt_never_touches_a_file_with_errors(run, tmp_path, name, text, code):
    path = tmp_path / name
    path.write_bytes(text.encode())
    before = path.stat().st_mtime_ns
    result = run("fmt", str(path))
    assert result.exit_code == 1
    assert f": {code}: " in result.output, result.output
    assert "not formatted" in result.output and "Traceback" not in result.output
    assert path.read_bytes() == text.encode() and path.stat().st_mtime_ns == before
    assert os.listdir(tmp_path) == [name]  # no temporary file left behind


def test_fmt_refuses_a_table_it_cannot_reorder_without_changing_the_data(run, tmp_path):
    # keys of [sources.local] written after a sub-table of another section: still the same data once moved
    path = tmp_path / "p.toml"
    text = '[procedure]\nid = "p"\ntitle = "P"\n\n[sources.local]\ntitle = "L"\n'
    path.write_text(text)
    assert run("fmt", str(path)).exit_code == 0
    assert tomllib.loads(path.read_text()) == tomllib.loads(text)


def test_a_write_that_fails_leaves_the_file_as_it_was(run, tmp_path, monkeypatch):
    import procedurekit.atomic

    path = tmp_path / "goodshire.toml"
    path.write_text(MESSY)

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(procedurekit.atomic.os, "replace", full_disk)
    result = run("fmt", str(path))
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert path.read_text() == MESSY
    assert os.listdir(tmp_path) == ["goodshire.toml"]


@pytest.mark.parametrize("path", VALID, ids=[p.stem for p in VALID])
def test_every_shipped_procedure_is_canonical(run, path):
    result = run("fmt", "--check", str(path))
    assert result.exit_code == 0, result.output


def test_the_new_template_is_canonical(run, tmp_path):
    assert run("new", "goodshire", "--directory", str(tmp_path / "g")).exit_code == 0
    (procedure,) = (tmp_path / "g").glob("procedurekit_goodshire/procedures/*.toml")
    result = run("fmt", "--check", str(procedure))
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("path", VALID, ids=[p.stem for p in VALID])
def test_fmt_then_load_gives_the_same_procedure(run, tmp_path, path):
    formatted = tmp_path / path.name
    formatted.write_text(path.read_text().replace("# -- ", "#   -- ") + "\n\n\n")  # something to do
    assert run("fmt", str(formatted)).exit_code == 0
    original, again = load_file(path), load_file(formatted)
    assert original.procedure is not None and again.procedure == original.procedure
    if path.parent == ROOT / "procedures":
        # a baseline resolves alone: show it, the copy standing in for the built-in one
        pid = original.procedure.id
        key = f"{pid}@{original.procedure.version}"  # this file's version, where several are shipped
        shown = [json.loads(run(*args, "show", key, "--format", "json").output.replace(str(folder), "FOLDER"))
                 for folder, args in ((path.parent, []),
                                      (tmp_path, ["--disable", "baselines", "--plugin-dir", str(tmp_path)]))]
        for data in shown:
            data.pop("plugin")  # the copy's plugin is the folder it was loaded from
        assert shown[0] == shown[1] and shown[0]["id"] == pid
