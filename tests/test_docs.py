"""Documentation stays true to the code: generated pages are current, every error code documented."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from procedurekit.diagnostics import CODES

ROOT = Path(__file__).parent.parent
DOCS = ROOT / "docs"


@pytest.fixture(scope="module")
def generate():
    sys.path.insert(0, str(DOCS))
    try:
        import generate
    finally:
        sys.path.pop(0)
    return generate


def test_key_reference_is_current(generate):
    assert (DOCS / "keys.md").read_text(encoding="utf-8") == generate.format_markdown(), \
        "docs/keys.md is stale: run python docs/generate.py"


def test_hook_reference_is_current(generate):
    assert (DOCS / "hooks.md").read_text(encoding="utf-8") == generate.hooks_markdown(), \
        "docs/hooks.md is stale: run python docs/generate.py"


def test_every_error_code_is_documented():
    text = (DOCS / "errors.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z-]+)` \|", text, re.M))
    assert documented == set(CODES)


def test_every_code_used_in_the_package_is_known():
    used = set()
    for path in (ROOT / "procedurekit").rglob("*.py"):
        used |= set(re.findall(r'(?:Diagnostic|diagnostic|_Invalid|_failed)\(\s*"([a-z-]+)"', path.read_text()))
        used |= set(re.findall(r'_failed\([^,]+, "([a-z-]+)"', path.read_text()))
    assert used, "the pattern finds the codes"
    assert used <= set(CODES), used - set(CODES)


def test_every_code_has_a_malformed_example():
    expected = (ROOT / "tests" / "malformed" / "EXPECTED.txt").read_text()
    tested_elsewhere = {"file-too-large", "unreadable", "plugin-error", "plugin-path", "not-a-file", "bad-row",
                        "census-record",  # tests/test_census.py
                        "not-in-force", "unknown-version"}  # tests/test_versions.py
    for code in set(CODES) - tested_elsewhere:
        assert f" {code} " in expected, code


def test_readme_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "pip install -r requirements-dev.txt && procedurekit list" in readme
    assert "pip install -r requirements-dev.txt && pytest" in readme
    assert "pytest" in (ROOT / ".ci" / "run").read_text()


def test_cli_reference_is_current_and_covers_every_command(generate):
    import click

    from procedurekit.cli import cli

    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    assert text == generate.cli_markdown(), "docs/cli.md is stale: run python docs/generate.py"
    ctx = click.Context(cli)
    for name in cli.list_commands(ctx):
        assert f"## `procedurekit {name}`" in text
        command = cli.get_command(ctx, name)
        if isinstance(command, click.Group):
            for sub in command.list_commands(ctx):
                assert f"`procedurekit {name} {sub}`" in text


def test_every_hook_is_in_the_reference():
    from procedurekit import hookspecs

    text = (DOCS / "hooks.md").read_text(encoding="utf-8")
    for name in dir(hookspecs):
        if name.startswith("procedurekit_"):
            assert f"## `{name}`" in text


def test_manuals_are_current(generate):
    for name, text in generate.manuals().items():
        assert (DOCS / "manuals" / f"{name}.md").read_text(encoding="utf-8") == text, \
            f"docs/manuals/{name}.md is stale: run python docs/generate.py"


def test_every_page_is_in_the_site():
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    for page in DOCS.glob("*.md"):
        if page.stem != "index":
            assert f"\n{page.stem}\n" in index, f"docs/{page.name} is not in the table of contents"
