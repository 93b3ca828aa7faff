"""Regenerate procedurekit/data/bank-holidays.json from GOV.UK's bank-holiday data.

    python scripts/update_bank_holidays.py                    # fetch https://www.gov.uk/bank-holidays.json
    python scripts/update_bank_holidays.py --from FILE        # a saved copy of that JSON
    python scripts/update_bank_holidays.py --from-package     # the copy inside the govuk-bank-holidays package

Every year is then cross-checked against the ``holidays`` package (a dev
dependency); a difference is printed and makes the script exit 1 without
writing, unless --allow-differences is given. procedurekit itself never
fetches anything: it reads only the file this script writes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import urllib.request
from pathlib import Path

from procedurekit import atomic

GOVUK_URL = "https://www.gov.uk/bank-holidays.json"
OUT = Path(__file__).resolve().parent.parent / "procedurekit" / "data" / "bank-holidays.json"
SUBDIVISIONS = {"england-and-wales": ["ENG", "WLS"], "scotland": ["SCT"], "northern-ireland": ["NIR"]}

# Bank holidays proclaimed after the GOV.UK copy in use was published. Applied
# only when that copy lacks the date; each is recorded in the output's
# "supplements" so the data says where every day came from.
SUPPLEMENTS = {
    "scotland": [
        ("2026-06-15", "Bank holiday for Scotland's participation in the FIFA World Cup",
         "proclaimed in 2026; listed by the holidays package (0.109) but not in GOV.UK's copy of February 2026"),
    ],
}


def read_govuk(args: argparse.Namespace) -> tuple[dict, str]:
    if args.from_package:
        from importlib.resources import files

        path = files("govuk_bank_holidays") / "bank-holidays.json"
        return json.loads(path.read_text(encoding="utf-8")), "GOV.UK bank-holidays.json as cached in the govuk-bank-holidays package"
    if args.source:
        return json.loads(Path(args.source).read_text(encoding="utf-8")), f"GOV.UK bank-holidays.json (saved copy {Path(args.source).name})"
    with urllib.request.urlopen(GOVUK_URL, timeout=30) as response:  # noqa: S310 - fixed https URL
        return json.load(response), GOVUK_URL


def convert(raw: dict, source: str) -> dict:
    divisions = {}
    applied = []
    for division in SUBDIVISIONS:
        events = list(raw[division]["events"])
        known = {e["date"] for e in events}
        for day, title, why in SUPPLEMENTS.get(division, []):
            if day not in known:
                events.append({"date": day, "title": title, "notes": ""})
                applied.append({"division": division, "date": day, "title": title, "why": why})
        holidays = []
        for event in sorted(events, key=lambda e: e["date"]):
            name = event["title"].replace("\u2019", "'")
            if event.get("notes"):
                name += f" ({event['notes'].lower()})"
            holidays.append([event["date"], name])
        years = [int(e["date"][:4]) for e in events]
        divisions[division] = {
            "first": f"{min(years)}-01-01",
            "last": f"{max(years)}-12-31",
            "holidays": holidays,
        }
    return {"source": source, "generated": dt.date.today().isoformat(), "supplements": applied,
            "divisions": divisions}


def cross_check(data: dict) -> list[str]:
    import holidays

    problems = []
    for division, subdivs in SUBDIVISIONS.items():
        entry = data["divisions"][division]
        ours = {dt.date.fromisoformat(d) for d, _ in entry["holidays"]}
        years = range(int(entry["first"][:4]), int(entry["last"][:4]) + 1)
        for subdiv in subdivs:
            theirs = set(holidays.country_holidays("GB", subdiv=subdiv, years=years))
            # holidays also lists the weekend date a substitute day replaces;
            # only weekdays change working-day arithmetic, so only they are compared
            ours = {d for d in ours if d.weekday() < 5}
            theirs = {d for d in theirs if d.weekday() < 5}
            for day in sorted(ours - theirs):
                problems.append(f"{division}: {day} is a bank holiday on GOV.UK but not in holidays ({subdiv})")
            for day in sorted(theirs - ours):
                problems.append(f"{division}: {day} is a bank holiday in holidays ({subdiv}) but not on GOV.UK")
    return problems


def dump(data: dict) -> str:
    """JSON with one holiday a line, so that updates read well in a diff."""
    text = json.dumps(data, indent=1, ensure_ascii=False)
    for entry in data["divisions"].values():
        for pair in entry["holidays"]:
            spread = json.dumps(pair, indent=1, ensure_ascii=False).replace("\n", "\n    ")
            text = text.replace(spread, json.dumps(pair, ensure_ascii=False), 1)
    return text + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--from", dest="source", metavar="FILE", help="a saved copy of GOV.UK's JSON")
    where.add_argument("--from-package", action="store_true", help="the govuk-bank-holidays package's copy")
    parser.add_argument("--allow-differences", action="store_true")
    parser.add_argument("--output", type=Path, default=OUT)
    args = parser.parse_args(argv)
    raw, source = read_govuk(args)
    data = convert(raw, source)
    problems = cross_check(data)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems and not args.allow_differences:
        print(f"{len(problems)} differences from the holidays package: not written", file=sys.stderr)
        return 1
    atomic.write_text(args.output, dump(data))
    for division, entry in data["divisions"].items():
        print(f"{division}: {len(entry['holidays'])} bank holidays, {entry['first']} to {entry['last']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
