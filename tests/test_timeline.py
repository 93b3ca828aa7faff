"""``schedule --format svg`` and ``--format html``: the case's timeline picture, through the command line."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

try:  # the picture is parsed as a browser would take an image/svg+xml file: as XML, refusing entities
    from defusedxml import ElementTree
except ImportError:  # pragma: no cover
    import xml.etree.ElementTree as ElementTree  # type: ignore[no-redef]

from procedurekit.cases.timeline import STATUS_COLOURS, STATUS_STYLES

EXAMPLE = Path(__file__).parent.parent / "examples" / "case.toml"
SVG = "{http://www.w3.org/2000/svg}"
TODAY = "2024-03-01"

#: an England case: the conference late, a core group held, the review booked, a core group cancelled;
#: the lead social worker's appointment ("immediately after the conference") is overdue on TODAY
ENGLAND_CASE = """\
id = "E-1"
[[events]]
event = "strategy-discussion"
date = 2024-01-08
[[events]]
event = "icpc"
date = 2024-02-05
[[events]]
event = "core-group"
date = 2024-02-13
[[events]]
event = "core-group"
date = 2024-03-12
status = "cancelled"
[[events]]
event = "rcpc"
date = 2024-04-30
status = "booked"
"""


@pytest.fixture(params=["england", "warrington"])
def case(request, tmp_path):
    """(procedure, case file, whether installed plugins are needed, the events in the file)."""
    if request.param == "england":
        path = tmp_path / "case.toml"
        path.write_text(ENGLAND_CASE)
        return "england", path, False, 5
    return "warrington", EXAMPLE, True, 6


def _schedule(run, case, fmt, *extra, today=TODAY):
    pid, path, real, _ = case
    result = run("schedule", pid, str(path), "--today", today, "--format", fmt, *extra, real_plugins=real)
    assert result.exit_code == 0, result.output
    return result.output


def _svg(run, case, **kwargs):
    text = _schedule(run, case, "svg", **kwargs)
    assert text.startswith("<svg ")  # no XML declaration: it can be inlined in HTML
    return ElementTree.fromstring(text)


def _instances(run, case):
    return json.loads(_schedule(run, case, "json"))["instances"]


def _scale(svg):
    start = dt.date.fromisoformat(svg.get("data-start"))
    x0, per_day = float(svg.get("data-x0")), float(svg.get("data-px-per-day"))
    return lambda day: x0 + (dt.date.fromisoformat(day) - start).days * per_day


def _lanes(svg):
    return svg.findall(f".//{SVG}g[@data-obligation]")


def test_svg_is_an_accessible_scalable_image(run, case):
    svg = _svg(run, case)
    assert svg.tag == f"{SVG}svg" and svg.get("role") == "img"
    assert len(svg.get("viewBox").split()) == 4
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert title is not None and desc is not None
    assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert TODAY in title.text and ("E-1" in title.text or "W-2024-017" in title.text)


def test_one_lane_per_instance_with_its_status_in_colour_drawing_and_words(run, case):
    svg = _svg(run, case)
    instances = _instances(run, case)
    lanes = _lanes(svg)
    assert len(lanes) == len(instances) == int(svg.get("data-instances"))
    drawn = sorted((g.get("data-obligation"), int(g.get("data-occurrence")), g.get("data-status")) for g in lanes)
    assert drawn == sorted((i["obligation"], i["occurrence"], i["status"]) for i in instances)
    for lane in lanes:
        status = lane.get("data-status")
        assert f"status-{status}" in lane.get("class").split()
        words = lane.find(f"{SVG}text[@class='words']").text
        assert words.startswith(STATUS_STYLES[status].words)  # said, not only coloured
    assert {g.get("data-status") for g in lanes} >= {"met", "late", "overdue", "due"}


def test_overdue_duties_are_drawn_hatched_red_to_today(run, case):
    svg = _svg(run, case)
    x = _scale(svg)
    patterns = {p.get("id"): p for p in svg.iter(f"{SVG}pattern")}
    overdue = [g for g in _lanes(svg) if g.get("data-status") == "overdue"]
    assert overdue
    for lane in overdue:
        fill = lane.find(f"{SVG}rect[@class='bar']").get("fill")
        pattern = patterns[re.fullmatch(r"url\(#(.+)\)", fill).group(1)]
        assert STATUS_COLOURS["overdue"] in {r.get("fill") for r in pattern.iter(f"{SVG}rect")}
        run_line = lane.find(f"{SVG}line[@class='overdue-run']")
        assert run_line.get("stroke") == STATUS_COLOURS["overdue"]
        assert abs(float(run_line.get("x2")) - x(TODAY)) < 0.2
    others = [g for g in _lanes(svg) if g.get("data-status") != "overdue"]
    assert not any(g.find(f"{SVG}line[@class='overdue-run']") is not None for g in others)
    assert all("overdue" not in (r.get("fill") or "") for g in others for r in g.iter(f"{SVG}rect"))


def test_bars_run_from_the_anchor_to_the_due_date_and_mark_done_and_booked(run, case):
    svg = _svg(run, case)
    x = _scale(svg)
    instances = {(i["obligation"], i["occurrence"]): i for i in _instances(run, case)}
    checked = 0
    for lane in _lanes(svg):
        i = instances[lane.get("data-obligation"), int(lane.get("data-occurrence"))]
        bar = lane.find(f"{SVG}rect[@class='bar']")
        if i["status"] == "not-applicable" or not (i["anchor_date"] or i["due"]):
            assert bar is None
            continue
        left = float(bar.get("x"))
        assert abs(left - x(i["anchor_date"] or i["due"])) < 0.2
        if i["anchor_date"] and i["due"] and i["due"] > i["anchor_date"]:
            assert abs(left + float(bar.get("width")) - x(i["due"])) < 0.2
            checked += 1
        done = lane.find(f"{SVG}circle[@class='done']")
        assert (done is None) == (i["done"] is None)
        if done is not None:
            assert abs(float(done.get("cx")) - x(i["done"])) < 0.2
        assert (lane.find(f"{SVG}path[@class='booked']") is None) == (i["booked"] is None)
    assert checked >= 3


def test_today_line_stands_at_today(run, case):
    for today in (TODAY, "2024-04-15"):
        svg = _svg(run, case, today=today)
        line = svg.find(f".//{SVG}line[@class='today-line']")
        assert float(line.get("x1")) == float(line.get("x2"))
        assert abs(float(line.get("x1")) - _scale(svg)(today)) < 0.2
        assert svg.get("data-today") == today


def test_events_are_drawn_held_booked_or_cancelled(run, case):
    svg = _svg(run, case)
    events = svg.findall(f".//{SVG}g[@data-event]")
    assert len(events) == case[3]
    kinds = {g.get("data-event"): g.get("class").split()[1] for g in events if "rcpc" in g.get("data-event")}
    assert kinds == {"rcpc": "event-booked"}
    booked = next(g for g in events if g.get("data-event") == "rcpc")
    assert booked.find(f"{SVG}text").text == "rcpc (booked)"
    assert abs(float(booked.find(f"{SVG}line").get("x1")) - _scale(svg)(booked.get("data-date"))) < 0.2
    if case[0] == "england":
        assert [g.get("class") for g in events if g.get("data-date") == "2024-03-12"] == ["event event-cancelled"]


def _luminance(colour):
    def channel(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _contrast(a, b):
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_text_is_readable_and_bars_stand_out(run, case):
    svg = _svg(run, case)
    background = svg.find(f"{SVG}rect")
    assert background.get("fill") == "#ffffff" and background.get("width") == svg.get("viewBox").split()[2]
    fills = {t.get("fill") for t in svg.iter(f"{SVG}text")}
    assert fills and all(_contrast(fill, "#ffffff") >= 4.5 for fill in fills), fills
    assert all(_contrast(style.colour, "#ffffff") >= 3 for style in STATUS_STYLES.values())
    # one drawing per status (not colour alone) among those with a bar
    drawings = [(s.fill, s.colour) for s in STATUS_STYLES.values()]
    assert len(set(drawings)) == len(drawings)
    legend = svg.find(f".//{SVG}g[@class='legend']")
    words = {t.text for t in legend.iter(f"{SVG}text")}
    assert {s.words for s in STATUS_STYLES.values()} <= words
    assert any(w.startswith("event booked") for w in words) and any(w.startswith("event cancelled") for w in words)


def test_the_picture_is_deterministic_and_written_whole(run, case, tmp_path):
    out = tmp_path / "case.svg"
    result = _schedule(run, case, "svg", "-o", str(out))
    assert f"wrote {out}" in result
    assert out.read_text(encoding="utf-8") == _schedule(run, case, "svg")
    ElementTree.parse(str(out))  # the file opens on its own
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary left behind


def test_html_page_has_the_picture_inline_and_a_row_per_instance(run, case, tmp_path):
    out = tmp_path / "case.html"
    _schedule(run, case, "html", "-o", str(out))
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="en">' in page
    assert '<meta name="viewport"' in page and page.count("<main>") == 1
    assert page.count("<svg ") == 1 and page.index("<svg ") < page.index("<table")
    svg = page[page.index("<svg "):page.index("</svg>") + len("</svg>")]
    assert svg.strip() + "\n" == _schedule(run, case, "svg")  # the same picture as --format svg
    assert not re.search(r"<script|<link|\bsrc=|https?://(?!www\.w3\.org/2000/svg)", page)  # no external assets
    duties = page[page.index("<tbody>"):page.index("</tbody>")]
    statuses = re.findall(r'<tr class="status-[\w-]+" data-status="([\w-]+)">', duties)
    assert statuses == [i["status"] for i in _instances(run, case)]
    upcoming = json.loads(_schedule(run, case, "json"))["upcoming"]
    later = page[page.index("</tbody>"):]
    assert later.count("<tr><th scope=\"row\">") == len(upcoming) > 0


def test_case_text_is_escaped(run, tmp_path):
    path = tmp_path / "case.toml"
    path.write_text(ENGLAND_CASE.replace('id = "E-1"', 'id = "<b>&amp;\\"x\\u0001\'</b>"'))
    case = ("england", path, False, 5)
    svg = _svg(run, case)
    assert "<b>&amp;\"x\ufffd'</b>" in svg.find(f"{SVG}title").text
    page = _schedule(run, case, "html")
    assert "<b>" not in page and "&lt;b&gt;&amp;amp;" in page


@pytest.mark.parametrize("fmt", ["svg", "html"])
def test_an_invalid_case_still_errors(run, tmp_path, fmt):
    path = tmp_path / "case.toml"
    path.write_text(ENGLAND_CASE.replace('event = "icpc"', 'event = "nope"'))
    out = tmp_path / f"out.{fmt}"
    result = run("schedule", "england", str(path), "--today", TODAY, "--format", fmt, "-o", str(out))
    assert result.exit_code == 1
    assert "undefined-reference" in result.output and "Traceback" not in result.output
    assert not out.exists()
