"""scripts/update_bank_holidays.py reproduces the shipped data from GOV.UK's JSON."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent
SCRIPT = ROOT / "scripts" / "update_bank_holidays.py"
SHIPPED = ROOT / "procedurekit" / "data" / "bank-holidays.json"


def _without_date(data: dict) -> dict:
    return {k: v for k, v in data.items() if k != "generated"}


def test_script_reproduces_shipped_data(tmp_path):
    out = tmp_path / "bank-holidays.json"
    done = subprocess.run([sys.executable, str(SCRIPT), "--from-package", "--output", str(out)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert _without_date(json.loads(out.read_text())) == _without_date(json.loads(SHIPPED.read_text()))
    # Same text line for line, except the date it was generated (which is the day the script ran).
    dated = re.compile(r'^ "generated": "\d{4}-\d{2}-\d{2}",$')
    ours, shipped = out.read_text().splitlines(), SHIPPED.read_text().splitlines()
    assert dated.match(ours[2]) and dated.match(shipped[2])
    assert ours[:2] + ours[3:] == shipped[:2] + shipped[3:]


def test_script_refuses_data_that_disagrees_with_the_holidays_package(tmp_path):
    from importlib.resources import files

    raw = json.loads((files("govuk_bank_holidays") / "bank-holidays.json").read_text(encoding="utf-8"))
    raw["england-and-wales"]["events"] = [e for e in raw["england-and-wales"]["events"]
                                          if e["date"] != "2023-05-08"]  # drop the coronation
    source = tmp_path / "govuk.json"
    source.write_text(json.dumps(raw))
    out = tmp_path / "out.json"
    done = subprocess.run([sys.executable, str(SCRIPT), "--from", str(source), "--output", str(out)],
                          capture_output=True, text=True)
    assert done.returncode == 1
    assert "2023-05-08 is a bank holiday in holidays (ENG) but not on GOV.UK" in done.stderr
    assert not out.exists()
