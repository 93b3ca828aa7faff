"""The built wheel carries the national baselines and finds them when installed."""

from __future__ import annotations

import subprocess
import sys
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
