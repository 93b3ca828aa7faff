"""Shared fixtures: isolated libraries, fixture plugins as entry points, the CLI runner."""

from __future__ import annotations

import importlib.metadata
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from procedurekit.cli import cli
from procedurekit.host.library import Library

HERE = Path(__file__).parent
FIXTURE_PLUGINS = HERE / "fixtures" / "plugins"
MALFORMED = HERE / "malformed"


@pytest.fixture(scope="session", autouse=True)
def _cache_folder(tmp_path_factory):
    """The loaded-file cache in a folder of this test run, never the user's own."""
    import os

    os.environ["PROCEDUREKIT_CACHE_DIR"] = str(tmp_path_factory.mktemp("procedurekit-cache"))


@pytest.fixture
def fixture_plugins(monkeypatch):
    """Make the fixture plugin packages importable; return an entry-point factory."""
    monkeypatch.syspath_prepend(str(FIXTURE_PLUGINS))
    # each test imports the fixture modules afresh
    for name in [m for m in sys.modules if m.startswith("pk_")]:
        monkeypatch.delitem(sys.modules, name)

    def entry_points(*names: str) -> list[importlib.metadata.EntryPoint]:
        return [importlib.metadata.EntryPoint(name.removeprefix("pk_"), name, "procedurekit")
                for name in names]

    return entry_points


@pytest.fixture
def load(monkeypatch):
    """Library.load with no installed plugins and no PROCEDUREKIT_PLUGIN_PATH, unless given."""
    monkeypatch.delenv("PROCEDUREKIT_PLUGIN_PATH", raising=False)

    def _load(**kwargs) -> Library:
        kwargs.setdefault("entry_points", False)
        return Library.load(**kwargs)

    return _load


@pytest.fixture
def run(monkeypatch):
    """Run the CLI in-process; installed plugins are loaded only with real_plugins=True."""
    monkeypatch.delenv("PROCEDUREKIT_PLUGIN_PATH", raising=False)

    def _run(*args: str, real_plugins: bool = False, env: dict | None = None):
        argv = list(args) if real_plugins else ["--no-entry-points", *args]
        result = CliRunner().invoke(cli, argv, env=env, catch_exceptions=True)
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result

    return _run
