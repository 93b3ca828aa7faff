"""The explorer site (``procedurekit site``): its pages, links, quotes and search index, without a browser.

tests/test_browser.py opens the same site in Chromium.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from procedurekit import model

CROYDON_QUOTE = "It is a requirement for the first Core Group Meeting to be either chaired"


class _Page(HTMLParser):
    """The ids, links and asset references of one page."""

    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.assets: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag in ("script", "img", "iframe") and attrs.get("src"):
            self.assets.append(attrs["src"])
        if tag == "link" and attrs.get("href"):
            self.assets.append(attrs["href"])


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from click.testing import CliRunner

    from procedurekit.cli import cli

    folder = tmp_path_factory.mktemp("site") / "explorer"
    result = CliRunner().invoke(cli, ["site", "-o", str(folder), "--today", "2026-01-05"])
    assert result.exit_code == 0, result.output
    return folder


def test_builds_a_page_for_every_installed_procedure(site, run):
    listed = run("list", "--format", "json", real_plugins=True)
    import json

    ids = [p["id"] for p in json.loads(listed.output)["procedures"]]
    assert len(ids) >= 8
    for pid in ids:
        assert (site / "procedures" / f"{pid}.html").is_file(), pid
        assert (site / "procedures" / f"{pid}-manual.html").is_file(), pid
    for topic in model.TOPICS:
        assert (site / "topics" / f"{topic}.html").is_file()
    home = (site / "index.html").read_text()
    assert all(f'href="procedures/{pid}.html"' in home for pid in ids)
    assert "Keeps to the floor of england" in home
    assert "Built 2026-01-05" in home  # --today dates the pages, not the clock


def test_every_internal_link_resolves_and_no_asset_is_external(site):
    pages = {p.relative_to(site).as_posix(): _parse(p) for p in site.rglob("*.html")}
    checked = 0
    for name, page in pages.items():
        for asset in page.assets:
            assert not urlsplit(asset).scheme and not asset.startswith("//"), (name, asset)
            assert (site / name).parent.joinpath(asset).resolve().is_file(), (name, asset)
        for link in page.links:
            parts = urlsplit(link)
            if parts.scheme in ("http", "https"):
                continue
            target = (site / name).parent.joinpath(parts.path).resolve() if parts.path else (site / name)
            assert target.is_file(), (name, link)
            if parts.fragment:
                key = target.relative_to(site.resolve()).as_posix()
                assert parts.fragment in pages[key].ids, (name, link)
            checked += 1
    assert checked > 500


def test_quotes_are_highlighted_in_the_source_text_and_linked_both_ways(site):
    page = (site / "procedures" / "croydon.html").read_text()
    # the text -> the rule: the quoted words are marked, inside a link to the rule that quotes them
    mark = re.search(r'<a href="#(rule-[a-z-]+)"[^>]*><mark class="quote">([^<]*)</mark></a>',
                     page[page.index("source-text"):].replace("\n", " "))
    assert mark
    marked = re.findall(r'<a href="#(rule-[a-z-]+)"[^>]*><mark class="quote">([^<]*)</mark>', page)
    quoting = [rule for rule, words in marked if words.startswith(CROYDON_QUOTE)]
    assert quoting == ["rule-meetings-core-group"]
    # the rule -> the text: the rule's "in the text" link goes to the anchor in front of those words
    assert 'id="rule-meetings-core-group"' in page
    anchor = re.search(r'<span id="(q-rule-meetings-core-group-\d+)" class="anchor"></span>(?:<span[^>]*></span>)*'
                       r'<a href="#rule-meetings-core-group"[^>]*><mark class="quote">' + re.escape(CROYDON_QUOTE), page)
    assert anchor
    rule = page[page.index('id="rule-meetings-core-group"'):]
    assert f'href="#{anchor.group(1)}"' in rule[:rule.index("</li>")]
    # statements not encoded are marked with the reason from coverage.toml
    assert 'title="Not encoded: A definition of the core assessment, not a rule."' in page


def test_search_index_holds_rules_quotes_and_roles(site):
    script = (site / "search-index.js").read_text()
    assert script.startswith("window.PROCEDUREKIT_SEARCH = ")
    import json

    entries = json.loads(script.removeprefix("window.PROCEDUREKIT_SEARCH = ").rstrip().rstrip(";"))
    hit = [e for e in entries if CROYDON_QUOTE.lower() in e["text"]]
    assert [e["url"] for e in hit] == ["procedures/croydon.html#rule-meetings-core-group"]
    assert any(e["kind"] == "role" and e["procedure"] == "wales" for e in entries)


def test_comparison_pages_show_rules_in_a_few_words(site):
    page = (site / "compare.html").read_text()
    assert "2 readings: 15 days / 15 WD, should" in page  # warrington's ICPC
    chairs = (site / "topics" / "chairs.html").read_text()
    assert 'aria-current="page">Chairs</a>' in chairs
    assert "chair: key worker&#39;s team leader/operational manager, then key worker" in chairs
    floor = (site / "floor.html").read_text()
    assert 'id="floor-warrington"' in floor and 'id="floor-england"' not in floor


def test_refuses_a_folder_that_is_not_an_earlier_site(run, tmp_path):
    keep = tmp_path / "notes.txt"
    keep.write_text("mine")
    result = run("site", "-o", str(tmp_path), real_plugins=True)
    assert result.exit_code == 2
    assert "is not empty and holds no earlier site" in result.output
    assert keep.read_text() == "mine" and not (tmp_path / "index.html").exists()


def test_rebuilds_over_an_earlier_site(run, tmp_path):
    folder = tmp_path / "out"
    assert run("site", "-o", str(folder), "--today", "2026-01-05", real_plugins=True).exit_code == 0
    again = run("site", "-o", str(folder), "--today", "2026-01-06", real_plugins=True)
    assert again.exit_code == 0, again.output
    assert "Built 2026-01-06" in (folder / "index.html").read_text()
    assert not [p for p in folder.rglob("*") if p.name.startswith(".") and p.name != ".procedurekit-site"]


def test_a_procedure_that_does_not_validate_is_left_out_and_named(run, tmp_path):
    broken = tmp_path / "plugin"
    broken.mkdir()
    (broken / "broken.toml").write_text('[procedure]\nid = "broken"\ntitle = "Broken"\nextends = "england"\n'
                                        '[obligations.x]\nwithin = "10 wrking days"\n')
    result = run("--plugin-dir", str(broken), "site", "-o", str(tmp_path / "out"), real_plugins=True)
    assert result.exit_code == 0, result.output
    assert "left out, as they do not validate: broken" in result.output
    assert "broken" in (tmp_path / "out" / "index.html").read_text()
    assert not (tmp_path / "out" / "procedures" / "broken.html").exists()
