"""The analyst's script: three England rules over a long case CSV with pandas and numpy.

The reference `bench/run.py` times `procedurekit audit` against. For each case: the first strategy
discussion, ICPC, core group and review; the ICPC within 15 working days of the strategy
discussion, the first core group within 10 working days of the ICPC, the first review within 3
months of it. Prints how many of each were met, for checking against the audit.

    python bench/reference_audit.py cases.csv 2026-01-01

Events after the day given (today) have not happened yet and are left out, as the audit books them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

HOLIDAYS = Path(__file__).resolve().parent.parent / "procedurekit" / "data" / "bank-holidays.json"


def bank_holidays() -> np.ndarray:
    data = json.loads(HOLIDAYS.read_text())
    return np.array([day for day, _ in data["divisions"]["england-and-wales"]["holidays"]], dtype="datetime64[D]")


def main(path: str, today: str) -> dict[str, int]:
    frame = pd.read_csv(path, usecols=["case_id", "event", "date"], dtype={"case_id": str, "event": str})
    frame["date"] = pd.to_datetime(frame["date"]).values.astype("datetime64[D]")
    frame = frame[frame["date"] <= np.datetime64(today)]
    first = frame.groupby(["case_id", "event"], sort=False)["date"].min().unstack()
    holidays = bank_holidays()

    def working_days_after(days: pd.Series, n: int) -> np.ndarray:
        values = days.values.astype("datetime64[D]")
        known = ~np.isnat(values)
        out = np.full(values.shape, np.datetime64("NaT"), dtype="datetime64[D]")
        # the nth working day after the day (a non-working day counts from the working day before it)
        out[known] = np.busday_offset(values[known], n, roll="backward", holidays=holidays)
        return out

    icpc_due = working_days_after(first["strategy-discussion"], 15)
    core_group_due = working_days_after(first["icpc"], 10)
    review_due = (first["icpc"] + pd.DateOffset(months=3)).values.astype("datetime64[D]")
    met = {
        "icpc": int((first["icpc"].values.astype("datetime64[D]") <= icpc_due).sum()),
        "core-group-first": int((first["core-group"].values.astype("datetime64[D]") <= core_group_due).sum()),
        "rcpc-first": int((first["rcpc"].values.astype("datetime64[D]") <= review_due).sum()),
    }
    return met


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], sys.argv[2])))
