"""Entry points found by reading sys.path's distribution folders: the same as importlib.metadata finds."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
import zipfile

import pytest

from procedurekit.host import entrypoints


def _seen(eps) -> list[tuple]:
    return sorted((ep.name, ep.value, ep.group, ep.dist.metadata["Name"] if ep.dist else None,
                   ep.dist.version if ep.dist else None) for ep in eps)


@pytest.mark.parametrize("group", ["procedurekit", "console_scripts", "pytest11", "no-such-group"])
def test_the_installed_entry_points_are_importlib_metadatas(group):
    assert _seen(entrypoints.entry_points(group)) == _seen(importlib.metadata.entry_points(group=group))


def _dist(folder, name, *, group="procedurekit", entries="", metadata="METADATA", headers=None):
    dist = folder / name
    dist.mkdir(parents=True)
    if entries is not None:
        (dist / "entry_points.txt").write_text(f"# a comment\n\n[{group}]\n{entries}\n[other]\nx = y\n")
    if headers is not None:
        (dist / metadata).write_text(headers)
    return dist


def test_folders_on_sys_path(tmp_path, monkeypatch):
    first, second = tmp_path / "first", tmp_path / "second"
    _dist(first, "pk_alpha-1.0.dist-info", entries="alpha = pk_alpha:plugin [extra]\n  beta=pk_alpha.sub",
          headers="Metadata-Version: 2.1\nName: pk-alpha\nVersion: 1.0\nSummary: a\n  folded\n\nName: body\n")
    # the same distribution further down sys.path is shadowed, as importlib.metadata does
    _dist(second, "PK.Alpha-2.0.dist-info", entries="shadowed = nowhere", headers="Name: pk-alpha\nVersion: 2.0\n")
    _dist(second, "pk_gamma-0.1.egg-info", entries="gamma = pk_gamma", metadata="PKG-INFO",
          headers="Metadata-Version: 1.0\nname: pk-gamma\nVersion: 0.1\n")
    _dist(second, "pk_delta-3.dist-info", entries="delta = pk_delta")  # no METADATA at all
    _dist(second, "pk_none-1.dist-info", entries=None, headers="Name: pk-none\n")
    monkeypatch.setattr(sys, "path", [str(first), str(tmp_path / "missing"), str(second)])
    ours = entrypoints.entry_points("procedurekit")
    assert _seen(ours) == _seen(importlib.metadata.entry_points(group="procedurekit"))
    found = {ep.name: ep for ep in ours}
    assert sorted(found) == ["alpha", "beta", "delta", "gamma"]  # not "shadowed", nor "other" group's
    assert found["alpha"].dist.version == "1.0" and found["gamma"].dist.metadata["Name"] == "pk-gamma"
    assert found["delta"].dist.metadata["Name"] is None


def test_loading_names_the_module_and_attribute(tmp_path, monkeypatch):
    (tmp_path / "pk_loaded.py").write_text("class plugin:\n    inner = 42\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert entrypoints.EntryPoint("x", "pk_loaded:plugin.inner", "procedurekit").load() == 42
    assert entrypoints.EntryPoint("x", "pk_loaded", "procedurekit").load().__name__ == "pk_loaded"
    with pytest.raises(AttributeError):  # as importlib.metadata's own fails on a value it cannot read
        entrypoints.EntryPoint("x", "not a value", "procedurekit").load()


def test_a_zip_on_sys_path_is_left_to_importlib_metadata(tmp_path, monkeypatch):
    archive = tmp_path / "plugins.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("pk_zipped-1.0.dist-info/METADATA", "Name: pk-zipped\nVersion: 1.0\n")
        zf.writestr("pk_zipped-1.0.dist-info/entry_points.txt", "[procedurekit]\nzipped = pk_zipped\n")
    monkeypatch.setattr(sys, "path", [str(archive)])
    assert [(ep.name, ep.dist.version) for ep in entrypoints.entry_points("procedurekit")] == [("zipped", "1.0")]


@pytest.mark.parametrize("command", ["list", "validate"])
def test_short_commands_import_only_what_they_use(command):
    code = ("import sys; from procedurekit.cli import main; names = sys.argv[2:]\n"
            "sys.argv = ['procedurekit', sys.argv[1]]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(*(name in sys.modules for name in names))")
    unused = ["importlib.metadata", "tomllib", "cattrs", "tempfile", "difflib", "procedurekit.cases.engine"]
    for _ in range(2):  # the second run reads every file from the cache, as the user's second run does
        done = subprocess.run([sys.executable, "-c", code, command, "procedurekit_croydon", *unused],
                              capture_output=True, text=True, check=True)
    # the installed plugins are still found; no TOML parsed, nothing written, no engine
    assert done.stdout.splitlines()[-1] == " ".join(["True"] + ["False"] * len(unused))


@pytest.mark.parametrize("name", ["pk_alpha", "PK.Alpha", "a.-_b", "_lead", "trail..", "x__y--z"])
def test_names_are_normalised_as_importlib_metadata_does(name):
    import re

    assert entrypoints._normalise(name.lower()) == re.sub(r"[-_.]+", "-", name).lower().replace("-", "_")
