"""A small application on procedurekit's public API: what is due in one child's case.

Run from anywhere, after ``pip install -r requirements-dev.txt``:

    python examples/schedule_app.py              # judged on 1 March 2024
    python examples/schedule_app.py 2024-04-15   # or on another day

The day to judge against is always given, never taken from the clock, so the
output is the same whenever and wherever it runs.
"""

from __future__ import annotations

import datetime as dt
import sys

from procedurekit import Case, Library

PROCEDURE = "warrington"
TODAY = dt.date(2024, 3, 1)


def main(argv: list[str]) -> int:
    today = dt.date.fromisoformat(argv[0]) if argv else TODAY
    library = Library.load()  # built-in baselines + installed partnership plugins
    case = Case.from_events(
        [
            ("strategy-discussion", dt.date(2024, 1, 8)),
            ("agency-report", dt.date(2024, 1, 26)),
            ("icpc", dt.date(2024, 1, 31)),
            ("core-group", dt.date(2024, 2, 13)),
            ("core-group", dt.date(2024, 2, 27)),
        ],
        id="W-2024-017",
    )
    schedule = library.schedule(PROCEDURE, case, today)

    print(f"Case {case.id} under {PROCEDURE}, on {today.isoformat()}")
    print(f"{'obligation':<34} {'due':<10}  {'done':<10}  status")
    for instance in schedule.instances:
        if instance.due is None:  # no date to show: no number, not applicable or still provisional
            continue
        done = instance.done.isoformat() if instance.done else "-"
        status = instance.status.value
        if instance.late_by:
            status += f" by {instance.late_by} working day{'s' if instance.late_by != 1 else ''}"
        print(f"{instance.obligation:<34} {instance.due.isoformat():<10}  {done:<10}  {status}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
