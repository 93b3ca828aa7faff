"""The explorer site and the comparison report in a real browser (Playwright driving Chromium).

The browser is Debian's Chromium (``apt-get install chromium``) at
``/usr/bin/chromium``, or the one ``PROCEDUREKIT_CHROMIUM`` names. Without one
these tests skip with a message saying how to get one, unless
``PROCEDUREKIT_REQUIRE_BROWSER=1`` (set by CI), when they fail instead.
Screenshots at laptop and phone widths go to ``ci-artifacts/screenshots``
(or ``PROCEDUREKIT_SCREENSHOTS``).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
CROYDON_QUOTE = "It is a requirement for the first Core Group Meeting to be either chaired"
SIZES = {"laptop": (1366, 900), "phone": (390, 844)}
PAGE_TYPES = {"home": "index.html", "procedure": "procedures/croydon.html", "manual": "procedures/croydon-manual.html",
              "compare": "compare.html", "topic": "topics/chairs.html", "floor": "floor.html",
              "search": "search.html", "history": "procedures/scotland-history.html"}


def _chromium() -> str:
    named = os.environ.get("PROCEDUREKIT_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if Path(named).is_file():
        return named
    message = ("no Chromium to drive: install Debian's (apt-get install chromium) or set PROCEDUREKIT_CHROMIUM "
               "to a Chromium or Chrome executable")
    if os.environ.get("PROCEDUREKIT_REQUIRE_BROWSER") == "1":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def browser():
    executable = _chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The explorer site and a comparison report, built by the command line."""
    from click.testing import CliRunner

    from procedurekit.cli import cli

    folder = tmp_path_factory.mktemp("browser")
    site = folder / "site"
    assert CliRunner().invoke(cli, ["site", "-o", str(site), "--today", "2026-01-05"]).exit_code == 0
    report = folder / "report.html"
    assert CliRunner().invoke(cli, ["compare", "--all", "--format", "html", "-o", str(report)]).exit_code == 0
    return site, report


@pytest.fixture
def open_page(browser):
    """A function: open a file at a width, failing on any console error or uncaught script error."""
    pages = []

    def _open(path: Path, size: str = "laptop", suffix: str = ""):
        width, height = SIZES[size]
        page = browser.new_page(viewport={"width": width, "height": height})
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(path.resolve().as_uri() + suffix)
        page.wait_for_load_state("load")
        pages.append((page, errors))
        return page

    yield _open
    for page, errors in pages:
        assert errors == [], page.url
        page.close()


def _screenshots() -> Path:
    folder = Path(os.environ.get("PROCEDUREKIT_SCREENSHOTS", ROOT / "ci-artifacts" / "screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("kind", [*PAGE_TYPES, "report"])
def test_every_page_type_loads_cleanly_fits_and_is_captured(built, open_page, kind, size):
    site, report = built
    page = open_page(report if kind == "report" else site / PAGE_TYPES[kind], size)
    page.screenshot(path=str(_screenshots() / f"{kind}-{size}.png"), full_page=False)
    # usable on a phone: the page itself never scrolls sideways (wide tables scroll in their own box)
    scroll, inner = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner + 1


def test_every_internal_link_resolves(built, open_page):
    site, _ = built
    targets: dict[str, set[str]] = {}
    for name in PAGE_TYPES.values():
        page = open_page(site / name)
        for href in page.evaluate("Array.from(document.querySelectorAll('a[href]'), a => a.href)"):
            if href.startswith("file://"):
                file, _, fragment = href.partition("#")
                targets.setdefault(file.split("?")[0], set()).add(fragment)
    assert len(targets) > 10
    for file, fragments in targets.items():
        page = open_page(Path(file.removeprefix("file://")))
        ids = set(page.evaluate("Array.from(document.querySelectorAll('[id]'), e => e.id)"))
        assert fragments - {""} <= ids, (file, sorted(fragments - ids - {""})[:5])


def test_search_finds_a_known_quote_and_leads_to_its_rule(built, open_page):
    site, _ = built
    page = open_page(site / "search.html")
    page.get_by_label("Search rules, quotes and roles").fill("first core group meeting to be either chaired")
    results = page.locator("ol.results a")
    assert results.count() == 1
    results.first.click()
    page.wait_for_load_state("load")
    assert page.url.endswith("procedures/croydon.html#rule-meetings-core-group")
    assert page.evaluate("document.querySelector(':target').id") == "rule-meetings-core-group"


def test_the_quote_is_highlighted_in_the_source_text(built, open_page):
    site, _ = built
    page = open_page(site / "procedures/croydon.html", suffix="#rule-meetings-core-group")
    source = page.locator("#rule-meetings-core-group p", has=page.locator("a", has_text="in the text")).nth(1)
    assert "para 7.2" in source.inner_text()  # the source that quotes CROYDON_QUOTE
    source.locator("a", has_text="in the text").click()
    target = page.evaluate("location.hash").lstrip("#")
    assert target.startswith("q-rule-meetings-core-group-")
    marked = page.locator(f"#{target} + a mark.quote")
    assert marked.inner_text().startswith(CROYDON_QUOTE)
    colour = marked.evaluate("m => getComputedStyle(m).backgroundColor")
    assert colour not in ("rgba(0, 0, 0, 0)", "transparent")
    assert marked.is_visible()


def test_class_filter_topics_and_sort_work_in_the_report(built, open_page):
    _, report = built
    page = open_page(report)
    visible = "Array.from(document.querySelectorAll('tbody tr')).filter(r => !r.classList.contains('hidden'))"
    same_cells = "Array.from(document.querySelectorAll('td[data-change=same]'))"
    # "same" starts unticked: its cells are blank and rows of nothing else are hidden
    assert page.evaluate(f"{same_cells}.every(td => td.classList.contains('off'))")
    page.get_by_label("same: the same rule").check()
    assert page.evaluate(f"{same_cells}.every(td => getComputedStyle(td.firstElementChild).display !== 'none')")
    page.get_by_label("added: a rule the baseline does not have").uncheck()
    assert page.evaluate("Array.from(document.querySelectorAll('td[data-change=added]'))"
                         ".every(td => td.classList.contains('off'))")
    # the topic view keeps only the rows of that topic
    page.get_by_label("Topic").select_option("chairs")
    topics = page.evaluate(f"{visible}.map(r => r.dataset.topics)")
    assert topics and all("chairs" in t.split() for t in topics)
    page.get_by_label("Topic").select_option("")
    page.get_by_label("added: a rule the baseline does not have").check()
    # search narrows the rows to those that say the words
    page.get_by_label("Search rules").fill("core group frequency")
    texts = page.evaluate(f"{visible}.map(r => r.textContent.toLowerCase())")
    assert texts and all("core group" in t and "frequency" in t for t in texts)
    page.get_by_label("Search rules").fill("")
    # sorting a procedure's column puts its looser rules first, then the others in a stable order
    page.get_by_role("button", name="scotland").click()
    header = page.locator("th[data-col=scotland]")
    assert header.get_attribute("aria-sort") == "ascending"
    order = ["looser", "depends-on-reading", "removed", "changed", "not-comparable", "added", "stricter", "same"]
    column = page.evaluate("Array.from(document.querySelectorAll('tbody tr'), r => "
                           "(r.querySelector('td[data-col=scotland]') || {}).dataset?.change || '')")
    ranks = [order.index(c) if c in order else len(order) for c in column]
    assert ranks == sorted(ranks) and ranks[0] == 0
    page.get_by_role("button", name="scotland").click()
    assert header.get_attribute("aria-sort") == "descending"


def test_a_cell_opens_the_full_rule_and_its_sources(built, open_page):
    _, report = built
    page = open_page(report)
    cell = page.locator("td[data-col=warrington][data-change=depends-on-reading]").first
    cell.locator("summary").click()
    detail = cell.locator(".detail")
    assert detail.is_visible()
    assert "Source:" in detail.inner_text() and "Reading:" in detail.inner_text()


ACCESSIBILITY = """() => {
  const problems = [];
  if (!document.documentElement.lang) problems.push('no lang');
  if (document.querySelectorAll('main').length !== 1) problems.push('not one main landmark');
  if (!document.querySelector('h1')) problems.push('no h1');
  document.querySelectorAll('input, select, textarea').forEach(el => {
    const labelled = el.labels && el.labels.length || el.getAttribute('aria-label');
    if (!labelled) problems.push('unlabelled ' + el.outerHTML.slice(0, 60));
  });
  document.querySelectorAll('svg[role=img]').forEach(svg => {
    if (!svg.querySelector('title')) problems.push('svg without a title');
  });
  document.querySelectorAll('a').forEach(a => {
    if (!a.textContent.trim() && !a.getAttribute('aria-label')) problems.push('empty link ' + a.href);
  });
  const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = el => {
    for (let e = el; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (!walker.currentNode.textContent.trim() || seen.has(el) || el.closest('svg')) continue;
    seen.add(el);
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || !el.getClientRects().length) continue;
    const [a, b] = [lum(rgb(style.color).slice(0, 3)), lum(background(el))];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const large = parseFloat(style.fontSize) >= 24 || (parseFloat(style.fontSize) >= 18.66 && style.fontWeight >= 700);
    if (ratio < (large ? 3 : 4.5)) problems.push(`contrast ${ratio.toFixed(2)}: ${el.textContent.trim().slice(0, 40)}`);
  }
  return problems;
}"""


@pytest.mark.parametrize("kind", [*PAGE_TYPES, "report"])
def test_accessibility_landmarks_labels_and_contrast(built, open_page, kind):
    site, report = built
    page = open_page(report if kind == "report" else site / PAGE_TYPES[kind])
    if kind == "report":
        page.get_by_label("same: the same rule").check()  # every cell shown, so every colour is checked
    assert page.evaluate(ACCESSIBILITY) == []
    if kind != "report":
        assert page.locator("header nav").count() == 1 and page.locator("footer").count() == 1
