"""Benchmarks: prints the figures the issues ask for. A script, not a test.

    python bench/run.py            # all benchmarks
    python bench/run.py startup    # only those whose name contains "startup"

Timings are wall-clock medians on this machine; compare runs on the same
machine only.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable

BENCHMARKS: dict[str, Callable[[], list[tuple[str, str]]]] = {}


def benchmark(func: Callable[[], list[tuple[str, str]]]) -> Callable[[], list[tuple[str, str]]]:
    BENCHMARKS[func.__name__] = func
    return func


def _median_seconds(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _command() -> list[str]:
    exe = shutil.which("procedurekit")
    return [exe] if exe else [sys.executable, "-m", "procedurekit"]


@benchmark
def startup() -> list[tuple[str, str]]:
    """Cold ``procedurekit --version`` (a new process each time) against bare Python."""
    cmd = _command()
    bare = _median_seconds(lambda: subprocess.run([sys.executable, "-c", "pass"], check=True), 15)
    version = _median_seconds(lambda: subprocess.run([*cmd, "--version"], check=True,
                                                     capture_output=True), 15)
    return [
        ("procedurekit --version (median of 15, goal <= 150 ms)", f"{version * 1000:.0f} ms"),
        ("python -c pass, for reference", f"{bare * 1000:.0f} ms"),
    ]


@benchmark
def load_and_validate() -> list[tuple[str, str]]:
    """Load, resolve and validate every installed procedure, in-process and as a command."""
    from procedurekit.library import Library

    Library.load()  # warm imports
    library = Library.load()
    count = len(library.ids())
    warm = _median_seconds(Library.load, 10)
    cmd = _command()
    cold = _median_seconds(lambda: subprocess.run([*cmd, "validate"], capture_output=True), 5)
    return [
        ("procedures installed", str(count)),
        ("Library.load() in-process, median of 10", f"{warm * 1000:.1f} ms"),
        ("procedurekit validate, new process, median of 5", f"{cold * 1000:.0f} ms"),
    ]


def main(argv: list[str]) -> None:
    wanted = argv[1:] or list(BENCHMARKS)
    for name, func in BENCHMARKS.items():
        if not any(w in name for w in wanted):
            continue
        print(f"## {name}: {func.__doc__.strip().splitlines()[0]}")
        for label, value in func():
            print(f"  {label:<60} {value}")


if __name__ == "__main__":
    main(sys.argv)
