"""``schedule --format svg`` and ``--format html``: the case's timeline picture."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ElementTree
from pathlib import Path

CASE = Path(__file__).parent.parent / "examples" / "case.toml"
SVG = "{http://www.w3.org/2000/svg}"


def _schedule(run, fmt, *extra):
    result = run("schedule", "warrington", str(CASE), "--today", "2024-03-01", "--format", fmt, *extra,
                 real_plugins=True)
    assert result.exit_code == 0, result.output
    return result.output


def test_svg_draws_every_dated_duty_with_its_status(run):
    svg = ElementTree.fromstring(_schedule(run, "svg"))
    assert svg.tag == f"{SVG}svg" and svg.get("role") == "img"
    assert "W-2024-017" in svg.find(f"{SVG}title").text
    instances = json.loads(_schedule(run, "json"))["instances"]
    drawn = [i for i in instances if i["status"] != "not-applicable" and (i["due"] or i["anchor_date"])]
    lanes = svg.findall(f".//{SVG}g[@data-obligation]")
    assert [g.get("data-obligation") for g in lanes] == [f"{i['obligation']} #{i['occurrence']}" for i in drawn]
    for lane, instance in zip(lanes, drawn):
        assert f"status-{instance['status']}" in lane.get("class")
    overdue = [g for g in lanes if "status-overdue" in g.get("class")]
    assert overdue and all(g.find(f"{SVG}text[last()]").text == "overdue" for g in overdue)  # said, not only coloured


def test_svg_today_line_stands_at_today(run):
    svg = ElementTree.fromstring(_schedule(run, "svg"))
    start = dt.date.fromisoformat(svg.get("data-start"))
    x0, per_day = float(svg.get("data-x0")), float(svg.get("data-px-per-day"))
    line = svg.find(f".//{SVG}line[@class='today-line']")
    expected = x0 + (dt.date(2024, 3, 1) - start).days * per_day
    assert abs(float(line.get("x1")) - expected) < 0.2
    # the booked review is drawn as booked, not held
    assert any("rcpc" in (t.text or "") and "(booked)" in t.text for t in svg.iter(f"{SVG}text"))


def test_html_page_has_the_picture_and_a_row_per_duty(run, tmp_path):
    out = tmp_path / "case.html"
    _schedule(run, "html", "-o", str(out))
    page = out.read_text()
    assert page.startswith("<!DOCTYPE html>") and '<html lang="en">' in page
    assert page.count("<svg ") == 1
    instances = json.loads(_schedule(run, "json"))["instances"]
    body = page[page.index("<tbody>"):]
    assert body.count("<tr ") == len(instances)


def test_svg_file_is_written_whole(run, tmp_path):
    out = tmp_path / "case.svg"
    _schedule(run, "svg", "-o", str(out))
    ElementTree.parse(out)  # valid XML on its own
