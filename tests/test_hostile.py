"""Every input of the hostile corpus (tests/hostile/corpus.py) through the command line: the exit status and
diagnostic it must give, and never a traceback, an internal error, a hang, or a change to a file it must not touch."""

from __future__ import annotations

import hashlib
import os
import signal
from pathlib import Path

import pytest
from click.testing import CliRunner

from hostile.corpus import corpus
from procedurekit.cli import cli

CORPUS = corpus()
#: seconds any one input may take before it counts as a hang
TIMEOUT = 60


def test_the_corpus_is_large_and_covers_every_category():
    assert len(CORPUS) >= 400
    assert {h.category for h in CORPUS} == {"procedure", "fmt", "case", "csv", "cli", "injection"}
    assert len({h.name for h in CORPUS}) == len(CORPUS)


def _hang(signum, frame):
    raise TimeoutError(f"no answer within {TIMEOUT} s")


@pytest.mark.parametrize("item", CORPUS, ids=[h.name for h in CORPUS])
def test_hostile_input(item, tmp_path, monkeypatch):
    monkeypatch.delenv("PROCEDUREKIT_PLUGIN_PATH", raising=False)
    monkeypatch.chdir(tmp_path)
    for name, content in item.files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content() if callable(content) else content)
    for name in item.fifos:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(tmp_path / name)
    before = {name: hashlib.sha256((tmp_path / name).read_bytes()).hexdigest() for name in item.untouched}
    argv = ["--no-entry-points", *(part.replace("{dir}", str(tmp_path)) for part in item.argv)]
    previous = signal.signal(signal.SIGALRM, _hang)
    signal.alarm(TIMEOUT)
    try:
        result = CliRunner().invoke(cli, argv, catch_exceptions=True)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    output = result.output
    assert not isinstance(result.exception, TimeoutError), "hung"
    assert result.exit_code != 3 and "internal error" not in output, output
    assert "Traceback" not in output, output
    assert result.exit_code == item.exit, output
    if item.code:
        assert item.code in output, output
    for text in item.forbidden:
        assert text not in output, text
    for name, digest in before.items():
        assert hashlib.sha256((tmp_path / name).read_bytes()).hexdigest() == digest, f"{name} was changed"
    assert not (tmp_path / "RAN").exists(), "a TOML-only plugin folder ran code"
    assert not [p for p in Path(tmp_path).rglob("*.tmp")], "a temporary file was left behind"
