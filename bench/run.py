"""Benchmarks: prints the figures the issues ask for. A script, not a test.

    python bench/run.py            # all benchmarks
    python bench/run.py startup    # only those whose name contains "startup"
    BENCH_CASES=1000000 python bench/run.py audit_command   # the audit on a million generated cases

The audit references need pandas and numpy (requirements-dev.txt).

Timings are wall-clock medians on this machine; compare runs on the same
machine only.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

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
    from procedurekit.host.library import Library

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


@benchmark
def working_days() -> list[tuple[str, str]]:
    """Working-day additions per second, and what the calendar adds to start-up."""
    import datetime as dt
    import random

    from procedurekit.calendars import get_calendar

    cal = get_calendar("england-and-wales")
    rng = random.Random(1)
    starts = [dt.date(2013, 1, 1) + dt.timedelta(days=rng.randrange(5000)) for _ in range(1000)]
    ns = [rng.randrange(1, 60) for _ in range(1000)]
    pairs = list(zip(starts, ns)) * 1000  # a million additions
    add = cal.add_working_days

    def run() -> None:
        for day, n in pairs:
            add(day, n)

    seconds = _median_seconds(run, 3)
    # what the calendar adds to a CLI process that has already imported its own modules
    code = ("import procedurekit.cli, time; t=time.perf_counter(); import procedurekit.calendars as c; "
            "c.get_calendar('england-and-wales'); print(time.perf_counter()-t)")
    imports = statistics.median(
        float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
        for _ in range(15))
    return [
        ("add_working_days per second, one core (goal >= 1,000,000)", f"{len(pairs) / seconds:,.0f}"),
        ("calendar import + one division, on top of the CLI (goal < 10 ms)", f"{imports * 1000:.1f} ms"),
    ]


@benchmark
def comparisons() -> list[tuple[str, str]]:
    """Every pair of installed procedures, and a 150-procedure synthetic matrix."""
    import itertools

    import attrs

    from procedurekit.compare.diff import compare_matrix, compare_procedures
    from procedurekit.durations import Duration, Unit
    from procedurekit.host.library import Library

    library = Library.load()
    procedures = [library.get(pid) for pid in library.ids()]
    pairs = list(itertools.permutations(procedures, 2))
    compare_procedures(procedures[0], procedures[1])  # warm caches (calendar bounds)
    pair_time = _median_seconds(lambda: [compare_procedures(a, b) for a, b in pairs], 3)
    # 150 partnership-sized procedures: the five real ones, varied in their timescales
    base = library.get("england")
    real = [library.get(pid) for pid in library.ids() if library.get(pid).extends == "england"]
    synthetic = []
    for i in range(150):
        proc = real[i % len(real)]
        obligations = dict(proc.obligations)
        first = obligations["core-group-first"]
        obligations["core-group-first"] = attrs.evolve(first, within=Duration(5 + i % 11, Unit.WORKING_DAYS))
        synthetic.append(attrs.evolve(proc, id=f"synthetic-{i}", obligations=obligations))
    matrix_time = _median_seconds(lambda: compare_matrix(base, synthetic), 3)
    return [
        (f"compare every ordered pair of the {len(procedures)} installed ({len(pairs)} pairs)",
         f"{pair_time * 1000:.0f} ms"),
        ("150-procedure matrix against england (goal < 2 s)", f"{matrix_time:.2f} s"),
    ]


@benchmark
def census_audit() -> list[tuple[str, str]]:
    """`procedurekit audit` of a generated CIN census (BENCH_CHILDREN, default 100,000), end to end, beside the
    audit of the same cases as a long CSV (goal: >= 10,000 children a second on one core)."""
    import tempfile

    sys.path.insert(0, str(Path(__file__).parent))
    from census_generator import write_census

    children = int(os.environ.get("BENCH_CHILDREN", "100000"))
    cmd = _command()
    with tempfile.TemporaryDirectory() as folder:
        census = Path(folder) / "census.xml"
        write_census(census, children, seed=7)
        out = []
        for pid in ("england", "warrington"):
            seconds, peak, _ = _timed([*cmd, "audit", pid, str(census), "--quiet"], repeat=3)
            out.append((f"audit {pid} census.xml, {children:,} children", f"{seconds:.2f} s, "
                        f"{children / seconds:,.0f} children/s, {peak:.0f} MiB"))
        csv_file = Path(folder) / "cases.csv"
        from procedurekit.cases.census import read_census
        from procedurekit.host.library import Library

        with open(csv_file, "w", encoding="utf-8", newline="") as stream:
            read_census(census, stream, Library.load().plan("england")).close()
        seconds, peak, _ = _timed([*cmd, "audit", "england", str(csv_file), "--today", "2024-03-31", "--quiet"])
        out.append(("audit england of the same cases as a long CSV, for reference", f"{seconds:.2f} s, {peak:.0f} MiB"))
    return out


@benchmark
def explorer_site() -> list[tuple[str, str]]:
    """`procedurekit site` end to end (new process each time, goal < 5 s), beside `procedurekit list` and
    `compare --all --format html`, which it contains."""
    import tempfile

    cmd = _command()
    with tempfile.TemporaryDirectory() as folder:
        site = _median_seconds(lambda: subprocess.run([*cmd, "site", "-o", f"{folder}/site"], check=True,
                                                      capture_output=True), 5)
        report = _median_seconds(lambda: subprocess.run([*cmd, "compare", "--all", "--format", "html", "-o",
                                                         f"{folder}/report.html"], check=True,
                                                        capture_output=True), 5)
    listing = _median_seconds(lambda: subprocess.run([*cmd, "list"], check=True, capture_output=True), 5)
    return [
        ("procedurekit site, every installed procedure, median of 5", f"{site * 1000:.0f} ms"),
        ("procedurekit compare --all --format html, for reference", f"{report * 1000:.0f} ms"),
        ("procedurekit list, for reference", f"{listing * 1000:.0f} ms"),
    ]


def generate_cases(path, cases: int, seed: int = 7) -> int:
    """Write a realistic case CSV: about ten events a case. Returns the number of event rows."""
    import datetime as dt
    import random

    rng = random.Random(seed)
    rows = 0
    with open(path, "w", encoding="utf-8") as out:
        out.write("case_id,event,date,inquorate\n")
        for n in range(cases):
            # from the day England's baseline is in force, so every duty is judged (docs/versions.md)
            day = dt.date(2023, 12, 15) + dt.timedelta(days=rng.randrange(700))
            events = [("strategy-discussion", day)]
            day += dt.timedelta(days=rng.randrange(10, 30))
            events.append(("icpc", day))
            cg = day
            for _ in range(rng.randrange(3, 6)):
                cg += dt.timedelta(days=rng.randrange(7, 45))
                events.append(("core-group", cg))
            review = day + dt.timedelta(days=rng.randrange(70, 110))
            events.append(("rcpc", review))
            events.append(("core-group", review + dt.timedelta(days=rng.randrange(1, 20))))
            events.append(("plan-ends", review + dt.timedelta(days=rng.randrange(100, 200))))
            flag = "yes" if rng.random() < 0.05 else ""
            for event, date in events:
                out.write(f"C{n},{event},{date.isoformat()},{flag}\n")
                rows += 1
    return rows


@benchmark
def batch_audit() -> list[tuple[str, str]]:
    """Batch audit throughput on a generated 100,000-case file, and peak memory."""
    import datetime as dt
    import resource
    import tempfile
    import tracemalloc

    from procedurekit.cases.audit import AuditResult, audit_rows
    from procedurekit.host.library import Library

    library = Library.load()
    figures = []
    with tempfile.TemporaryDirectory() as tmp:
        path = f"{tmp}/cases.csv"
        events = generate_cases(path, 100_000)
        for pid in ("england", "warrington"):
            plan = library.plan(pid)
            runs = []
            for _ in range(3):
                result = AuditResult()
                start, cpu = time.perf_counter(), time.process_time()
                instances = sum(1 for _ in audit_rows(plan, path, dt.date(2026, 1, 1), result))
                runs.append((time.perf_counter() - start, time.process_time() - cpu))
            seconds = min(r[0] for r in runs)
            cpu_seconds = min(r[1] for r in runs)
            figures += [
                (f"{pid}: {result.cases:,} cases, {events:,} events, {instances:,} instances (best of 3)",
                 f"{seconds:.2f} s wall, {cpu_seconds:.2f} s CPU"),
                (f"{pid}: cases per second (goal >= 50,000)", f"{result.cases / seconds:,.0f}"),
                (f"{pid}: cases per CPU second", f"{result.cases / cpu_seconds:,.0f}"),
                (f"{pid}: events per second", f"{events / seconds:,.0f}"),
            ]
        tracemalloc.start()
        sum(1 for _ in audit_rows(library.plan("england"), path, dt.date(2026, 1, 1), AuditResult()))
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    figures.append(("peak Python memory during an audit (tracemalloc)", f"{peak / 2**20:.0f} MiB"))
    figures.append(("peak resident memory of this process (ru_maxrss)",
                    f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"))
    return figures


#: runs a command and prints, on stderr, the peak RSS (KiB) of the largest process it waited for; a fresh
#: process each time, so no earlier command's peak is counted
_PEAK = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], stderr=subprocess.DEVNULL); "
         "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)")


#: the spread of each command timed by :func:`_timed`, printed beside its median
SPREAD: dict[str, str] = {}


def _timed(command: list[str], repeat: int = 3) -> tuple[float, float, bytes]:
    """Median wall seconds and the largest peak RSS (MiB) of *command* run *repeat* times, and its last output."""
    times, peaks, output = [], [], b""
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", _PEAK, *command], capture_output=True, check=False)
        times.append(time.perf_counter() - start)
        peaks.append(int(done.stderr.split()[-1]) / 1024)
        output = done.stdout
    SPREAD["last"] = f"{min(times):.2f}-{max(times):.2f} s over {repeat}"
    return statistics.median(times), max(peaks), output


@benchmark
def audit_command() -> list[tuple[str, str]]:
    """`procedurekit audit` end to end (process start to exit) on generated cases, beside references measured
    in the same run: the analyst's pandas + numpy script (bench/reference_audit.py) and a plain CSV read."""
    import json
    import tempfile

    figures = []
    size = int(os.environ.get("BENCH_CASES", "100000"))
    with tempfile.TemporaryDirectory() as tmp:
        path = f"{tmp}/cases.csv"
        generate_cases(path, size)
        read_only = [sys.executable, "-c", f"import csv; sum(1 for _ in csv.reader(open({path!r})))"]
        floor, floor_peak, _ = _timed(read_only)
        figures.append(("reference: read the CSV in Python (csv module)", f"{floor:.2f} s, {floor_peak:.0f} MiB"))
        script = [sys.executable, str(Path(__file__).parent / "reference_audit.py"), path, "2026-01-01"]
        pandas_time, pandas_peak, pandas_out = _timed(script)
        figures.append((f"reference: pandas + numpy script, 3 England rules, {size:,} cases",
                        f"{pandas_time:.2f} s [{SPREAD['last']}] ({size / pandas_time:,.0f} cases/s), "
                        f"{pandas_peak:.0f} MiB"))
        runs = [("england", "text", "1", "columnar"), ("england", "text", "2", "columnar"),
                ("england", "json", "1", "columnar"), ("england", "csv", "1", "columnar"),
                ("england", "text", "1", "per-case"), ("warrington", "text", "1", "columnar"),
                ("warrington", "text", "2", "columnar"), ("warrington", "json", "1", "columnar")]
        for pid, fmt, jobs, engine in runs:
            command = [*_command(), "audit", pid, path, "--today", "2026-01-01", "--format", fmt, "-o",
                       f"{tmp}/out.{fmt}", "--jobs", jobs, "--quiet", "--engine", engine]
            if size >= 1_000_000 and (engine == "per-case" or (pid, fmt) == ("warrington", "json")):
                continue  # minutes a run at this size: measured at 100,000 cases
            seconds, peak, _ = _timed(command)
            figures.append((f"procedurekit audit {pid} --format {fmt} --jobs {jobs} --engine {engine}",
                            f"{seconds:.2f} s [{SPREAD['last']}] ({size / seconds:,.0f} cases/s; "
                            f"{seconds / pandas_time:.2f}x the pandas script, {seconds / floor:.1f}x the CSV "
                            f"read), {peak:.0f} MiB"))
            if (pid, fmt, jobs, engine) == ("england", "json", "1", "columnar"):
                summary = json.loads(Path(f"{tmp}/out.json").read_text())["summary"]
                ours = {s["obligation"]: s["met"] for s in summary}
                theirs = json.loads(pandas_out)
                agree = all(ours[k] == v for k, v in theirs.items())
                figures.append(("the audit and the pandas script agree on met (icpc, core-group-first, rcpc-first)",
                                f"{'yes' if agree else 'NO'}: {theirs}"))
    return figures


@benchmark
def audit_scaling() -> list[tuple[str, str]]:
    """How the audit's time and memory grow with the number of cases (BENCH_SCALE, comma-separated sizes)."""
    import tempfile

    sizes = [int(n) for n in os.environ.get("BENCH_SCALE", "10000,100000,1000000").split(",")]
    figures = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            path = f"{tmp}/cases.csv"
            generate_cases(path, size)
            for fmt, jobs in (("text", "1"), ("text", "2"), ("json", "1")):
                command = [*_command(), "audit", "england", path, "--today", "2026-01-01", "--format", fmt,
                           "-o", f"{tmp}/out.{fmt}", "--jobs", jobs, "--quiet"]
                seconds, peak, _ = _timed(command, repeat=1 if size >= 1_000_000 else 3)
                figures.append((f"audit england --format {fmt} --jobs {jobs}, {size:,} cases",
                                f"{seconds:.2f} s ({size / seconds:,.0f} cases/s), {peak:.0f} MiB"))
            os.remove(path)
    return figures


@benchmark
def csv_readers() -> list[tuple[str, str]]:
    """Reading the audit's CSV: the standard library against pyarrow (the audit's reader) and polars if installed."""
    import tempfile

    size = int(os.environ.get("BENCH_CASES", "100000"))
    readers = {
        "csv module": "import csv; sum(1 for _ in csv.reader(open(PATH, newline='')))",
        "pyarrow.csv, 1 MiB blocks, one thread": (
            "import pyarrow.csv as c; r = c.open_csv(PATH, read_options=c.ReadOptions(block_size=1 << 20, "
            "use_threads=False)); sum(b.num_rows for b in r)"),
        "polars scan_csv, streaming batches": (
            "import polars as pl; sum(b.height for b in pl.scan_csv(PATH, infer_schema=False).collect_batches())"),
    }
    figures = []
    with tempfile.TemporaryDirectory() as tmp:
        path = f"{tmp}/cases.csv"
        generate_cases(path, size)
        for name, code in readers.items():
            command = [sys.executable, "-c", code.replace("PATH", repr(path))]
            if subprocess.run(command[:2] + [code.split(";")[0]], capture_output=True).returncode:
                figures.append((f"{name}, {size:,} cases", "not installed"))
                continue
            seconds, peak, _ = _timed(command)
            figures.append((f"{name}, {size:,} cases", f"{seconds:.2f} s, {peak:.0f} MiB"))
    return figures


@benchmark
def versions() -> list[tuple[str, str]]:
    """What choosing versions by date costs: `audit` of a procedure against the same procedure named by its one
    version (ID@VERSION, judged by its plan alone, as before versions), end to end, in the same run; and a
    procedure with two versions. In-process schedule loops are a labelled extra."""
    import datetime as dt
    import tempfile

    from procedurekit import Library
    from procedurekit.model import Case

    figures = []
    size = int(os.environ.get("BENCH_CASES", "100000"))
    with tempfile.TemporaryDirectory() as tmp:
        path = f"{tmp}/cases.csv"
        generate_cases(path, size)
        for pid, pinned in (("england", "england@2023.1"), ("warrington", "warrington@2024.1"),
                            ("scotland", "scotland@2023.1")):
            timed = {}
            for key in (pinned, pid):
                command = [*_command(), "audit", key, path, "--today", "2026-01-01", "--quiet", "-o", f"{tmp}/out"]
                timed[key], peak, _ = _timed(command)
                figures.append((f"procedurekit audit {key}, {size:,} cases", f"{timed[key]:.2f} s "
                                f"[{SPREAD['last']}], {peak:.0f} MiB"))
            figures.append((f"  {pid} by date against {pinned}", f"{timed[pid] / timed[pinned]:.3f}x"))
    library = Library.load()
    case = Case.from_events([("strategy-discussion", dt.date(2024, 1, 8)), ("icpc", dt.date(2024, 1, 31)),
                             ("core-group", dt.date(2024, 2, 13)), ("rcpc", dt.date(2024, 5, 2))], id="x")
    today = dt.date(2024, 6, 1)
    for key in ("england@2023.1", "england", "scotland"):
        seconds = _median_seconds(lambda: [library.schedule(key, case, today) for _ in range(2000)], 3)
        figures.append((f"(in-process extra) library.schedule({key!r}), 2,000 times", f"{seconds * 1000:.0f} ms"))
    return figures


@benchmark
def serve() -> list[tuple[str, str]]:
    """Latency of `procedurekit serve` (warm, one keep-alive client): a schedule request (goal: median under
    5 ms) beside, in the same run, the calendar endpoint (the HTTP path alone) and the same schedule in-process."""
    import json
    import socket
    import tomllib

    import httpx

    from procedurekit import Library
    from procedurekit.cases.files import load_case

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen([*_command(), "serve", "--port", str(port)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    case_path = Path(__file__).parent.parent / "examples" / "case.toml"
    data = tomllib.loads(case_path.read_text())
    for event in data["events"]:
        event["date"] = event["date"].isoformat()
    body = json.dumps(data).encode()
    figures = []
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
            for _ in range(300):
                try:
                    client.get("/procedures")
                    break
                except httpx.TransportError:
                    time.sleep(0.1)

            def timed(request: Callable[[], object], n: int = 500) -> list[float]:
                for _ in range(50):
                    request()
                out = []
                for _ in range(n):
                    start = time.perf_counter()
                    request()
                    out.append((time.perf_counter() - start) * 1000)
                return sorted(out)

            schedule = timed(lambda: client.post("/procedures/warrington/schedule?today=2024-03-01", content=body))
            calendar = timed(lambda: client.get("/calendar/add?start=2024-05-20&duration=10%20working%20days"))
    finally:
        process.terminate()
        process.wait(10)
    library = Library.load()
    case = load_case(case_path)
    library.schedule("warrington", case, dt.date(2024, 3, 1))
    inproc = sorted(_median_seconds(lambda: library.schedule("warrington", case, dt.date(2024, 3, 1)), 1) * 1000
                    for _ in range(500))
    for name, times in (("POST /procedures/warrington/schedule (examples/case.toml)", schedule),
                        ("reference: GET /calendar/add (the HTTP path alone)", calendar),
                        ("reference: library.schedule in-process, the same case", inproc)):
        figures.append((name, f"median {times[len(times) // 2]:.2f} ms, p95 {times[int(len(times) * 0.95)]:.2f} ms"))
    return figures


@benchmark
def draft() -> list[tuple[str, str]]:
    """`procedurekit draft` on each shipped source text, end to end (goal: under a second each), and how many of
    the hand-written timed rules it proposes (recall) and how many of its proposals are right (precision),
    per text and in all; the same for who chairs, minutes, makes a quorum and receives documents; then the
    texts written for the tests (tests/draft/), against their hand lists."""
    import importlib.util
    import tempfile

    from procedurekit import Library
    from procedurekit.authoring.arrangements import arrange, proposed_keys, written_arrangements
    from procedurekit.authoring.draftplugin import text_of, vocabulary
    from procedurekit.authoring.drafting import propose
    from procedurekit.authoring.draftreview import measure, score, timed_rules

    root = Path(__file__).parent.parent
    library = Library.load()
    words = vocabulary(library.get("england"))
    figures, totals, who = [], [0, 0, 0], [0, 0, 0]
    for source in sorted(root.glob("plugins/*/procedurekit_*/sources/*.txt")):
        pid = source.parent.parent.parent.name
        entry = library.entries[pid]
        doc = next(d for d, s in entry.written.sources.items() if s.file and Path(s.file).name == source.name)
        with tempfile.TemporaryDirectory() as tmp:
            seconds, _, _ = _timed([*_command(), "draft", str(source), "--name", "goodshire", "-o", f"{tmp}/p"],
                                   repeat=1)
        text = source.read_text(encoding="utf-8")
        m = measure(propose(text, words["names"], words["groups"])[0], timed_rules(entry.written, doc))
        a = score(proposed_keys(arrange(text, **words)), written_arrangements(entry.written, doc))
        totals = [totals[0] + m["written"], totals[1] + m["proposed"], totals[2] + m["right"]]  # type: ignore
        who = [who[0] + a["written"], who[1] + a["proposed"], who[2] + a["right"]]  # type: ignore
        figures.append((f"draft {pid}: {seconds:.2f} s", f"timed: {m['right']} right of {m['written']} written, "
                        f"{m['proposed']} proposed; missed {m['missed']}"))
        figures.append((f"  who ({pid})", f"{a['right']} right of {a['written']} written, {a['proposed']} proposed;"
                        f" missed {a['missed']}"))
    figures.append(("shipped texts in all, timed rules", f"recall {totals[2] / totals[0]:.1%} ({totals[2]}/"
                    f"{totals[0]}), precision {totals[2] / totals[1]:.1%} ({totals[2]}/{totals[1]}) (goal: 80% and 90%)"))
    figures.append(("shipped texts in all, who", f"recall {who[2] / who[0]:.1%} ({who[2]}/{who[0]}), precision "
                    f"{who[2] / who[1]:.1%} ({who[2]}/{who[1]})"))
    spec = importlib.util.spec_from_file_location("test_draft", root / "tests" / "test_draft.py")
    hand = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(hand)  # type: ignore[union-attr]
    for name, expected in (("northmoor", hand.NORTHMOOR), ("eastvale", hand.EASTVALE)):
        m = measure(propose((root / "tests" / "draft" / f"{name}.txt").read_text(), words["names"], words["groups"])[0],
                    expected, exact=False)
        figures.append((f"not shipped: {name}", f"recall {m['recall']:.0%}, precision {m['precision']:.0%}; "
                        f"missed {m['missed']}"))
    text = (root / "tests" / "draft" / "westbrook.txt").read_text()
    a = score(proposed_keys(arrange(text, **words)), hand.WESTBROOK)
    figures.append(("not shipped: westbrook, who", f"recall {a['recall']:.0%}, precision {a['precision']:.0%}; "
                    f"missed {a['missed']}"))
    # written by a reviewer who had read only the docs, and blind by a helper who never saw the code or ran the
    # tool; each with hand lists made before the tool was run on it
    for name, timed, who in (("ashcombe.txt", hand.ASHCOMBE, hand.ASHCOMBE_WHO),
                             ("redmarsh.html", hand.REDMARSH, hand.REDMARSH_WHO),
                             ("kestrelford.txt", hand.KESTRELFORD, hand.KESTRELFORD_WHO),
                             ("brackenmoor.html", hand.BRACKENMOOR, hand.BRACKENMOOR_WHO),
                             ("fernleigh.txt", hand.FERNLEIGH, hand.FERNLEIGH_WHO),
                             ("castlemere.html", hand.CASTLEMERE, hand.CASTLEMERE_WHO),
                             ("thamesbank.txt", hand.THAMESBANK, hand.THAMESBANK_WHO),
                             ("hartmoor.html", hand.HARTMOOR, hand.HARTMOOR_WHO)):
        text = text_of((root / "tests" / "draft" / name).read_text())
        found = arrange(text, **words)
        stages = {step.line for e in found.escalations for step in e.steps}
        m = measure([p for p in propose(text, words["names"], words["groups"])[0] if p.line not in stages], timed,
                    exact=False)
        a = score(proposed_keys(found), who)
        figures.append((f"text written by others: {name}", f"timed {m['right']}/{m['written']} right, {m['proposed']} "
                        f"proposed; who {a['right']}/{a['written']} right, {a['proposed']} proposed"))
    return figures


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
