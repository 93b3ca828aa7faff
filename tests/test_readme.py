"""Every command in the README runs as written from a fresh clone.

Each ``procedurekit ...`` line of the README's ``sh`` blocks runs through
click's test runner in a scratch folder holding a copy of ``examples/`` (so
``-o report.html`` writes there, not into the repository) and must exit 0,
or the code its ``# comment`` documents ("exits 1"), and print something.
Each ``python examples/...`` line runs as a subprocess from the repository
root, and each ``python`` block runs as it stands.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
import traceback
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).parent.parent
README = ROOT / "README.md"


def blocks(text: str, language: str) -> list[str]:
    """The bodies of the fenced code blocks of *language*, in order."""
    return re.findall(rf"^```{language}\n(.*?)^```$", text, re.M | re.S)


def split_command(line: str) -> tuple[list[str], str]:
    """A shell line as (argv, comment): the part after the last ``&&``, the ``# ...`` tail apart."""
    words = shlex.split(line.rsplit("&&", 1)[-1])
    for i, word in enumerate(words):
        if word.startswith("#"):
            return words[:i], " ".join(words[i:]).lstrip("#").strip()
    return words, ""


def commands(text: str, program: str) -> list[tuple[list[str], str]]:
    """(argv, comment) of every line of the sh blocks that runs *program* (``pip install`` lines are not run)."""
    found = []
    for block in blocks(text, "sh"):
        for line in block.splitlines():
            if not line.strip():
                continue
            argv, comment = split_command(line)
            if argv and argv[0] == program:
                found.append((argv, comment))
    return found


def documented_exit_code(comment: str) -> int:
    """The exit code a command's comment gives ("exits 1", "exit 1"), else 0."""
    match = re.search(r"\bexits? (\d+)\b", comment)
    return int(match.group(1)) if match else 0


def _traceback(exc_info) -> str:
    return "".join(traceback.format_exception(*exc_info)) if exc_info else ""


def output_files(argv: list[str]) -> list[str]:
    return [argv[i + 1] for i, word in enumerate(argv[:-1]) if word in ("-o", "--output")]


README_TEXT = README.read_text(encoding="utf-8")
CLI_COMMANDS = commands(README_TEXT, "procedurekit")
PYTHON_COMMANDS = commands(README_TEXT, "python")


def test_the_readme_has_commands_to_check():
    assert len(CLI_COMMANDS) >= 10
    assert [argv for argv, _ in PYTHON_COMMANDS if argv[1:] == ["examples/schedule_app.py"]]
    assert blocks(README_TEXT, "python")


@pytest.fixture
def clone(tmp_path, monkeypatch) -> Path:
    """A scratch working folder with the repository's examples/, as the current directory."""
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PROCEDUREKIT_PLUGIN_PATH", raising=False)
    return tmp_path


@pytest.mark.parametrize(("argv", "comment"), CLI_COMMANDS, ids=[shlex.join(a) for a, _ in CLI_COMMANDS])
def test_cli_command(argv, comment, clone):
    from procedurekit.cli import cli

    result = CliRunner().invoke(cli, argv[1:], catch_exceptions=True)
    expected = documented_exit_code(comment)
    assert result.exit_code == expected, (
        f"{shlex.join(argv)} exited {result.exit_code}, the README says {expected}:\n"
        f"{result.output}\n{_traceback(result.exc_info)}"
    )
    assert result.output.strip(), f"{shlex.join(argv)} printed nothing"
    for name in output_files(argv):
        written = clone / name
        if written.is_dir():  # a folder of output: the explorer site's home page, or a draft plugin's pyproject
            written = written / ("pyproject.toml" if argv[1] == "draft" else "index.html")
        assert written.is_file() and written.stat().st_size > 0, f"{shlex.join(argv)} did not write {name}"


@pytest.mark.parametrize("argv", [a for a, _ in PYTHON_COMMANDS], ids=[shlex.join(a) for a, _ in PYTHON_COMMANDS])
def test_python_command(argv):
    done = subprocess.run([sys.executable, *argv[1:]], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    # a table row: an obligation id, then its due date
    assert re.search(r"^\S+\s+\d{4}-\d{2}-\d{2}\s", done.stdout, re.M), done.stdout


@pytest.mark.parametrize("number", range(len(blocks(README_TEXT, "python"))))
def test_python_block(number, clone, capsys):
    code = blocks(README_TEXT, "python")[number]
    exec(compile(code, f"README.md python block {number + 1}", "exec"), {"__name__": "__readme__"})
    assert capsys.readouterr().out.strip()


def test_split_command():
    assert split_command("pip install -r requirements-dev.txt && procedurekit list") == (["procedurekit", "list"], "")
    assert split_command('procedurekit show england   # a procedure, "quoted" words') == (
        ["procedurekit", "show", "england"], 'a procedure, quoted words')
    assert split_command("procedurekit new x --partnership 'A # B'") == (
        ["procedurekit", "new", "x", "--partnership", "A # B"], "")
    assert documented_exit_code("a CI gate: exits 1, some areas are looser") == 1
    assert documented_exit_code("the N-way matrix") == 0
    assert output_files(["procedurekit", "compare", "-o", "report.html"]) == ["report.html"]
