"""The batch audit in chunks and across processes: the same answers byte for byte, flat memory (issue 14)."""

from __future__ import annotations

import datetime as dt
import random
import subprocess
import sys
from pathlib import Path

import pytest

EVENTS = ["strategy-discussion", "icpc", "core-group", "core-group", "rcpc", "core-group"]


def generate(path: Path, cases: int, seed: int = 3, bad_every: int | None = 997) -> None:
    """Cases with each case's rows together: held, booked and cancelled events, plan ends, a few bad rows."""
    rng = random.Random(seed)
    lines = ["case_id,event,date,status,inquorate"]
    for n in range(cases):
        day = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(1500))
        for event in EVENTS[:rng.randrange(2, len(EVENTS) + 1)]:
            day += dt.timedelta(days=rng.randrange(3, 40))
            status = rng.choice(["", "", "", "held", "booked", "cancelled"])
            if status == "held" and day > dt.date(2024, 6, 1):
                status = "booked"
            lines.append(f"C{n},{event},{day.isoformat()},{status},{'yes' if rng.random() < 0.03 else ''}")
        if rng.random() < 0.3:
            lines.append(f"C{n},rcpc,{(day + dt.timedelta(days=60)).isoformat()},,")
            lines.append(f"C{n},plan-ends,{(day + dt.timedelta(days=60)).isoformat()},,")
        if bad_every and n % bad_every == 0:
            lines.append(f"C{n},not-an-event,2024-01-01,,")
    path.write_text("\n".join(lines) + "\n")


@pytest.fixture(scope="module")
def cases_csv(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("batch") / "cases.csv"
    generate(path, 12_000)  # more than two chunks of 5,000
    return path


@pytest.mark.parametrize("fmt", ["csv", "json", "text"])
def test_jobs_give_byte_identical_output(run, cases_csv, tmp_path, fmt):
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}.{fmt}"
        result = run("audit", "england", str(cases_csv), "--today", "2024-06-01", "--format", fmt, "--jobs", jobs,
                     "-o", str(out))
        assert result.exit_code == 1, result.output  # the bad rows
        assert "rows read" in result.stderr and "rejected" in result.stderr
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1] and len(outputs[0]) > 500


@pytest.mark.parametrize("engine", ["columnar", "per-case"])
def test_chunks_give_the_same_rows_as_one_chunk(load, cases_csv, monkeypatch, engine):
    from procedurekit.cases import batch
    from procedurekit.cases.audit import AuditResult, audit_rows
    from procedurekit.host.library import Library

    plan = Library.load().plan("england")
    whole, chunked = AuditResult(), AuditResult()
    monkeypatch.setattr(batch, "CHUNK_CASES", 10**6)
    monkeypatch.setattr(batch, "COLUMNAR_CASES", 10**6)
    one = list(audit_rows(plan, cases_csv, dt.date(2024, 6, 1), whole, engine=engine))
    monkeypatch.setattr(batch, "CHUNK_CASES", 7)  # chunk boundaries everywhere
    monkeypatch.setattr(batch, "COLUMNAR_CASES", 7)
    many = list(audit_rows(plan, cases_csv, dt.date(2024, 6, 1), chunked, engine=engine))
    assert one == many and len(one) > 50_000
    assert (whole.rows_read, whole.rows_used, whole.cases, whole.counts) == \
        (chunked.rows_read, chunked.rows_used, chunked.cases, chunked.counts)
    assert [str(d) for d in whole.rejected] == [str(d) for d in chunked.rejected]
    assert whole.rows_read == whole.rows_used + len(whole.rejected)


def test_rows_of_a_case_apart_are_read_whole_and_give_the_same_instances(run, cases_csv, tmp_path):
    lines = cases_csv.read_text().splitlines()
    shuffled = [lines[0], *random.Random(5).sample(lines[1:], len(lines) - 1)]
    apart = tmp_path / "apart.csv"
    apart.write_text("\n".join(shuffled) + "\n")
    together = run("audit", "england", str(cases_csv), "--today", "2024-06-01", "--format", "csv")
    mixed = run("audit", "england", str(apart), "--today", "2024-06-01", "--format", "csv")
    assert sorted(together.stdout.splitlines()) == sorted(mixed.stdout.splitlines())


def test_memory_stays_flat(tmp_path):
    # 200,000 cases under an address-space limit that the audit holding every case (before issue 14) exceeded
    # by far (it needed 2.5 GiB for these as JSON); the limit is on address space, not resident memory, and
    # numpy and pyarrow map about 300 MiB of shared libraries and arenas as they load
    import resource

    path = tmp_path / "cases.csv"
    generate(path, 200_000, bad_every=None)
    limit = 700 * 1024 * 1024

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    # JSON: the audit before streaming held every instance for it, and ran out at this limit
    result = subprocess.run([sys.executable, "-m", "procedurekit", "audit", "england", str(path), "--today",
                             "2024-06-01", "--format", "json", "-o", str(tmp_path / "out.json")],
                            preexec_fn=cap, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert "0 rejected" in result.stderr and (tmp_path / "out.json").stat().st_size > 10_000_000


def test_the_audit_agrees_with_an_independent_pandas_reading(run, tmp_path):
    # bench/reference_audit.py: the analyst's pandas + numpy script for three England rules
    import importlib.util
    import json

    spec = importlib.util.spec_from_file_location("reference_audit", Path(__file__).parent.parent / "bench" /
                                                  "reference_audit.py")
    reference = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(reference)
    path = tmp_path / "cases.csv"
    rng = random.Random(11)
    lines = ["case_id,event,date"]
    for n in range(3000):
        # from the day England's baseline is in force (15 December 2023): nothing is reported not in force
        day = dt.date(2023, 12, 15) + dt.timedelta(days=rng.randrange(800))
        for event, gap in (("strategy-discussion", 0), ("icpc", rng.randrange(5, 30)),
                           ("core-group", rng.randrange(3, 25)), ("rcpc", rng.randrange(60, 110))):
            day += dt.timedelta(days=gap)
            lines.append(f"C{n},{event},{day.isoformat()}")
    path.write_text("\n".join(lines) + "\n")
    theirs = reference.main(str(path), "2026-06-01")
    result = run("audit", "england", str(path), "--today", "2026-06-01", "--format", "json")
    ours = {s["obligation"]: s["met"] for s in json.loads(result.stdout)["summary"]}
    assert {k: ours[k] for k in theirs} == theirs
    assert min(theirs.values()) > 100  # the rules are exercised


def test_audit_reads_standard_input(run, cases_csv):
    from click.testing import CliRunner

    from procedurekit.cli import cli

    from_file = run("audit", "england", str(cases_csv), "--today", "2024-06-01", "--format", "csv")
    piped = CliRunner().invoke(cli, ["--no-entry-points", "audit", "england", "-", "--today", "2024-06-01",
                                     "--format", "csv"], input=cases_csv.read_bytes())
    assert piped.exit_code == from_file.exit_code == 1  # the generated bad rows
    assert piped.stdout == from_file.stdout and len(piped.stdout) > 100_000
