"""The loaded-file cache: reused when nothing changed, never stale, off on request, harmless when broken."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from procedurekit.host import filecache
from procedurekit.host.library import Library

PROCEDURE = '[procedure]\nid = "cached"\ntitle = "Cached"\nextends = "england"\n'


@pytest.fixture
def folder(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("PROCEDUREKIT_CACHE_DIR", str(cache))
    plugin = tmp_path / "plugin"
    plugin.mkdir()
    (plugin / "cached.toml").write_text(PROCEDURE)
    return plugin, cache


def _load(plugin, **kwargs) -> Library:
    return Library.load(plugin_dirs=[plugin], entry_points=False, **kwargs)


def test_a_second_load_reads_the_cache_not_the_toml(folder, monkeypatch):
    plugin, cache = folder
    first = _load(plugin)
    assert len(list(cache.glob("*.pickle"))) >= 1

    def refuse(*args, **kwargs):
        raise AssertionError("parsed again")

    monkeypatch.setattr(filecache, "load_bytes", refuse)
    monkeypatch.setattr(filecache, "load_file", refuse)
    second = _load(plugin)
    assert second.get("cached") == first.get("cached")


def test_an_edited_file_is_loaded_afresh(folder):
    plugin, _ = folder
    assert _load(plugin).get("cached").title == "Cached"
    (plugin / "cached.toml").write_text(PROCEDURE.replace('"Cached"', '"Edited"'))
    assert _load(plugin).get("cached").title == "Edited"


def test_errors_are_cached_with_their_positions(folder):
    plugin, _ = folder
    (plugin / "cached.toml").write_text(PROCEDURE + "\n[meetings.core-group]\nnmae = 1\n")
    messages = [[str(d) for d in _load(plugin).diagnostics] for _ in range(2)]
    assert messages[0] == messages[1] and any(":7:1: unknown-key" in m for m in messages[0])


def test_off_on_request(folder, monkeypatch, run):
    plugin, cache = folder
    _load(plugin, cache=False)
    assert not cache.exists()
    monkeypatch.setenv("PROCEDUREKIT_NO_CACHE", "1")
    _load(plugin)
    assert not cache.exists()
    monkeypatch.delenv("PROCEDUREKIT_NO_CACHE")
    assert run("--no-cache", "--plugin-dir", str(plugin), "validate", "cached").exit_code == 0
    assert not cache.exists()


def test_a_broken_entry_is_ignored_and_replaced(folder):
    plugin, cache = folder
    _load(plugin)
    for entry in cache.glob("*.pickle"):
        entry.write_bytes(b"not a pickle")
    assert _load(plugin).get("cached").title == "Cached"


def test_an_unwritable_cache_folder_only_slows_things_down(folder):
    plugin, cache = folder
    cache.write_text("a file where the folder should be")
    assert _load(plugin).get("cached").title == "Cached"
    assert os.path.isfile(cache)


def test_the_code_fingerprint_covers_every_module_and_sees_an_edit(tmp_path):
    package = tmp_path / "package"
    (package / "sub" / "__pycache__").mkdir(parents=True)
    (package / "top.py").write_text("x = 1\n")
    (package / "sub" / "deep.py").write_text("y = 2\n")
    (package / "sub" / "__pycache__" / "deep.py").write_text("")  # not a module
    (package / "data.json").write_text("{}")
    before = sorted(filecache._modules(str(package), ""))
    assert [path for path, _, _ in before] == ["sub/deep.py", "top.py"]
    os.utime(package / "sub" / "deep.py", ns=(1, 1))
    assert sorted(filecache._modules(str(package), "")) != before
    # and procedurekit's own modules, every one
    import procedurekit

    root = os.path.dirname(procedurekit.__file__)
    ours = {path for path, _, _ in filecache._modules(root, "")}
    assert ours == {p.relative_to(root).as_posix() for p in Path(root).rglob("*.py")}
