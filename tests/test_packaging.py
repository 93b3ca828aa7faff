"""The built wheel carries the national baselines, the typing marker and the licence, and finds the
baselines when installed; every plugin declares the procedurekit versions it works with."""

from __future__ import annotations

import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)],
        check=True, capture_output=True,
    )
    (built,) = out.glob("procedurekit-*.whl")
    return built


def test_wheel_contains_baselines(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    baselines = sorted(p.name for p in (ROOT / "procedures").glob("*.toml"))
    assert baselines, "procedures/ holds the national baselines"
    for name in baselines:
        assert f"procedurekit/procedures/{name}" in names


def test_installed_wheel_finds_its_baselines(wheel, tmp_path):
    target = tmp_path / "site"
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(target)
    code = ("from procedurekit.builtins.baselines import baseline_dir; d = baseline_dir(); "
            "print(d); print(sorted(p.name for p in d.glob('*.toml')))")
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env={"PYTHONPATH": str(target)},
                          capture_output=True, text=True, check=True)
    folder, names = done.stdout.splitlines()
    assert Path(folder) == target / "procedurekit" / "procedures"
    assert "england.toml" in names


def test_wheel_is_marked_typed(wheel):
    # PEP 561: without procedurekit/py.typed, type checkers ignore the package's annotations.
    assert "procedurekit/py.typed" in zipfile.ZipFile(wheel).namelist()


def test_wheel_carries_the_licence(wheel):
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        (metadata,) = [n for n in names if n.endswith(".dist-info/METADATA")]
        dist_info = metadata.rsplit("/", 1)[0]
        assert f"{dist_info}/licenses/LICENSE" in names
        assert zf.read(f"{dist_info}/licenses/LICENSE") == (ROOT / "LICENSE").read_bytes()
        text = zf.read(metadata).decode()
    assert "License-Expression: MIT" in text
    assert "Classifier: Typing :: Typed" in text


@pytest.mark.parametrize("project", sorted((ROOT / "plugins").glob("*/pyproject.toml")),
                         ids=lambda p: p.parent.name)
def test_plugin_declares_the_procedurekit_versions_it_needs(project):
    from packaging.requirements import Requirement

    from procedurekit import __version__

    meta = tomllib.loads(project.read_text(encoding="utf-8"))["project"]
    assert meta["license"] == "MIT"
    assert {"Source", "Issues"} <= set(meta["urls"])
    (requirement,) = [r for r in map(Requirement, meta["dependencies"]) if r.name == "procedurekit"]
    operators = {spec.operator for spec in requirement.specifier}
    assert operators == {">=", "<"}, f"{project}: give a lower and an upper bound, as in procedurekit>=0.1,<0.2"
    assert requirement.specifier.contains(__version__), \
        f"{project}: {requirement} does not admit procedurekit {__version__}"
