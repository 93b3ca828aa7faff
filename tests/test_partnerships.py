"""Every installed partnership plugin: valid, every rule sourced, every normative statement accounted for."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from procedurekit.builtins import DEFAULT_PLUGINS
from procedurekit.authoring.coverage import _matches, document_coverage, load_unencoded, normalise
from procedurekit.host.library import Library

ROOT = Path(__file__).parent.parent
PARTNERSHIPS = sorted(p.stem for p in (ROOT / "plugins").glob("*/procedurekit_*/procedures/*.toml"))


@pytest.fixture(scope="module")
def library() -> Library:
    return Library.load()


def test_list_shows_the_baselines_and_the_five_partnerships(run):
    result = run("list", real_plugins=True)
    assert result.exit_code == 0, result.output
    ids = {line.split()[0] for line in result.output.splitlines()[1:]}
    assert ids >= {"england", "wales", "scotland", "bedfordshire-luton", "croydon", "derby-derbyshire",
                   "milton-keynes", "warrington"}


def test_all_shipped_procedures_are_installed(library):
    assert set(library.ids()) >= {"england", "wales", "scotland", *PARTNERSHIPS}
    for pid in PARTNERSHIPS:
        assert library.entry(pid).plugin not in DEFAULT_PLUGINS


def test_every_plugin_in_the_repository_is_installed_by_requirements():
    requirements = (ROOT / "requirements-dev.txt").read_text()
    for folder in sorted((ROOT / "plugins").iterdir()):
        if (folder / "pyproject.toml").exists():
            assert f"-e plugins/{folder.name}" in requirements


def test_validate_passes_on_all(run):
    result = run("validate", real_plugins=True)
    assert result.exit_code == 0, result.output
    assert "error" not in result.output


@pytest.mark.parametrize("pid", PARTNERSHIPS)
def test_show_json_has_a_source_on_every_rule(run, pid):
    data = json.loads(run("show", pid, "--format", "json", real_plugins=True).output)
    origins = data["origins"]
    for section in ("categories", "documents", "obligations", "pathways", "triggers", "rights"):
        for item_id, item in data[section].items():
            assert item["source"], f"{pid}: {section}.{item_id} has no source"
            if origins.get(f"{section}.{item_id}") == pid:
                assert any(s["quote"] for s in item["source"]), f"{pid}: {section}.{item_id} quotes nothing"
    for meeting_id, meeting in data["meetings"].items():
        for rule in [meeting["minutes"], meeting["quorum"], *(meeting["chair"] or {}).values()]:
            if rule:
                assert rule["source"], f"{pid}: meetings.{meeting_id} has a rule without a source"


def _plugin_dir(library: Library, pid: str) -> Path:
    return Path(library.entry(pid).path).resolve().parent.parent


@pytest.mark.parametrize("pid", PARTNERSHIPS)
def test_every_normative_statement_is_encoded_or_explained(library, pid):
    procedure = library.entry(pid).written
    unencoded = load_unencoded(_plugin_dir(library, pid) / "coverage.toml")
    documents = {d: s for d, s in procedure.sources.items() if s.file}
    assert documents, f"{pid} ships the text of its source document"
    missing = []
    total = 0
    for doc_id, doc in documents.items():
        text = (Path(library.entry(pid).path).parent / doc.file).read_text(encoding="utf-8")
        for entry in document_coverage(procedure, doc_id, text, unencoded):
            total += 1
            if not entry.items and not entry.reason:
                missing.append(f"line {entry.statement.line}: {entry.statement.text}")
    assert not missing, f"{pid}: not encoded and no reason in coverage.toml:\n" + "\n".join(missing)
    assert total >= 40


@pytest.mark.parametrize("pid", PARTNERSHIPS)
def test_coverage_reasons_quote_the_text(library, pid):
    procedure = library.entry(pid).written
    texts = " ".join(normalise((Path(library.entry(pid).path).parent / d.file).read_text(encoding="utf-8"))
                     for d in procedure.sources.values() if d.file)
    for entry in load_unencoded(_plugin_dir(library, pid) / "coverage.toml"):
        assert entry.reason.strip()
        assert _matches(entry.quote, texts) or normalise(entry.quote) in texts, entry.quote


@pytest.mark.parametrize("pid", PARTNERSHIPS)
def test_every_own_rule_cites_its_own_document(library, pid):
    procedure = library.entry(pid).written
    for key, src in procedure.citations():
        assert src.doc in procedure.sources, f"{pid}: {'.'.join(map(str, key))} cites {src.doc}"


def test_coverage_page_is_current():
    import sys

    sys.path.insert(0, str(ROOT / "docs"))
    try:
        import generate
    finally:
        sys.path.pop(0)
    assert (ROOT / "docs" / "coverage.md").read_text(encoding="utf-8") == generate.coverage_markdown(), \
        "docs/coverage.md is stale: run python docs/generate.py"
