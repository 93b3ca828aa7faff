"""The columnar audit against the per-case engine: the same bytes on random cases of every procedure (issue 14)."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from procedurekit import Library
from procedurekit.cases.audit import AuditResult, case_event_names
from procedurekit.cases.batch import audit_chunks

TODAY = dt.date(2025, 1, 15)
_LIBRARY: list[Library] = []


def _library() -> Library:
    if not _LIBRARY:
        _LIBRARY.append(Library.load())
    return _LIBRARY[0]


def _audit(pid: str, path: Path, engine: str, output: str) -> tuple[list, AuditResult]:
    """The audit's rows (CSV lines, JSON objects or row tuples) and its result; chunks may differ in size."""
    result = AuditResult()
    rows: list = []
    for chunk in audit_chunks(_library().plan(pid), path, TODAY, result, output=output, engine=engine):
        if output == "csv":
            rows += chunk.splitlines()
        elif isinstance(chunk, str):  # JSON objects joined as the writer joins them
            rows += chunk.split(",\n  ") if chunk else []
        else:
            rows += chunk
    return rows, result


def _cases(pid: str, rng: random.Random, count: int, header: list[str]) -> list[str]:
    """Random cases of *pid*'s own events (and their attribute-filtered forms), statuses and conditions."""
    plan = _library().plan(pid)
    events = sorted(e for e in case_event_names(plan) if "[" not in e)
    lines = [",".join(header)]
    for n in range(count):
        start = dt.date(2022, 6, 1) + dt.timedelta(days=rng.randrange(900))
        if rng.random() < 0.02:  # a date before the calendar's first year: the case is not audited
            start = dt.date(1990, 1, 1)
        for _ in range(rng.randrange(1, 14)):
            day = start + dt.timedelta(days=rng.randrange(400))
            status = rng.choice(["", "", "", "held", "booked", "cancelled"])
            if status == "held" and day > TODAY:
                status = "booked"
            cells = [f"K{n}", rng.choice(events), day.isoformat()]
            for column in header[3:]:
                cells.append(status if column == "status" else ("yes" if rng.random() < 0.15 else ""))
            lines.append(",".join(cells))
    return lines


PIDS = ["england", "warrington", "croydon", "derby-derbyshire", "bedfordshire-luton", "milton-keynes", "wales",
        "scotland"]


@settings(max_examples=40, deadline=None)
@given(pid=st.sampled_from(PIDS), seed=st.integers(0, 10_000), with_status=st.booleans())
def test_columnar_rows_are_the_per_case_rows(tmp_path_factory, pid, seed, with_status):
    plan = _library().plan(pid)
    # every condition and event attribute the procedure reads, as columns: "inquorate", "plan-ends", ...
    extra = sorted(plan.conditions | plan.attributes)
    header = ["case_id", "event", "date"] + (["status"] if with_status else []) + extra
    path = tmp_path_factory.mktemp("columnar") / "cases.csv"
    path.write_text("\n".join(_cases(pid, random.Random(seed), 60, header)) + "\n")
    for output in ("csv", "json"):
        per_case, expected = _audit(pid, path, "per-case", output)
        columnar, got = _audit(pid, path, "columnar", output)
        assert columnar == per_case
        assert got == expected


def test_bad_rows_are_read_by_the_exact_reader_with_their_lines(tmp_path):
    # a block with a bad row goes to the line-by-line reader: same rejections, same lines, same rows
    lines = _cases("england", random.Random(5), 400, ["case_id", "event", "date", "inquorate"])
    lines.insert(37, "K5,not-an-event,2024-01-01,")
    lines.insert(90, 'K9,icpc,"2024-02-30",')
    lines.insert(200, "K20,icpc,2024-02-30,")  # a date pyarrow alone would roll over into March
    lines.insert(300, 'K30,"icpc,2024-01-01,')  # a line the csv module cannot read at all
    path = tmp_path / "cases.csv"
    path.write_text("\n".join(lines) + "\n")
    per_case, expected = _audit("england", path, "per-case", "csv")
    columnar, got = _audit("england", path, "columnar", "csv")
    assert columnar == per_case and got == expected
    assert [d.line for d in got.rejected if d.line] == [38, 91, 201, 301]


def test_a_case_whose_deadline_leaves_the_calendar_is_reported_not_audited(tmp_path):
    path = tmp_path / "cases.csv"
    path.write_text("case_id,event,date\nA,strategy-discussion,2024-05-02\nA,icpc,2024-05-20\n"
                    "B,strategy-discussion,1990-05-02\n")
    columnar, got = _audit("england", path, "columnar", "rows")
    assert got.not_audited == 1 and "case B not audited" in got.rejected[0].message
    assert {case for case, _ in columnar} == {"A"}


@pytest.mark.parametrize("fmt", ["csv", "json", "text"])
def test_the_engines_write_the_same_bytes(run, tmp_path, fmt):
    lines = _cases("warrington", random.Random(11), 300, ["case_id", "event", "date", "status", "inquorate",
                                                          "plan-ends", "s47-initiated", "pre-birth"])
    path = tmp_path / "cases.csv"
    path.write_text("\n".join(lines) + "\n")
    outputs = []
    for engine in ("per-case", "columnar"):
        out = tmp_path / f"{engine}.{fmt}"
        result = run("audit", "warrington", str(path), "--today", TODAY.isoformat(), "--format", fmt, "-o",
                     str(out), "--engine", engine, real_plugins=True)
        assert result.exit_code in (0, 1), result.output
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1] and len(outputs[0]) > 1000


def test_a_file_whose_cases_are_apart_is_counted_as_one_in_order(tmp_path):
    # only counts: the columnar audit reads as if grouped, sees a case id come back, and reads again whole
    lines = _cases("england", random.Random(7), 300, ["case_id", "event", "date", "inquorate"])
    header, rows = lines[0], lines[1:]
    random.Random(8).shuffle(rows)
    path = tmp_path / "cases.csv"
    path.write_text("\n".join([header, *rows]) + "\n")
    _, expected = _audit("england", path, "per-case", "csv")
    result = AuditResult()
    assert list(audit_chunks(_library().plan("england"), path, TODAY, result)) and result == expected
    assert result.cases == len({row.split(",")[0] for row in rows})


def test_the_audit_imports_neither_pandas_nor_anything_it_does_not_use(tmp_path):
    # pyarrow imports pandas when it is handed a numpy array or asked for one (a quarter of a second)
    import subprocess
    import sys

    path = tmp_path / "cases.csv"
    path.write_text("case_id,event,date\nA,strategy-discussion,2024-05-02\nA,icpc,2024-05-20\n")
    code = ("import sys; from procedurekit.cli.app import main\n"
            f"sys.argv = ['procedurekit', 'audit', 'england', {str(path)!r}, '--today', '2024-06-01', '-q']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print('pandas' in sys.modules, 'pyarrow' in sys.modules, 'numpy' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout.split()[-3:] == ["False", "True", "True"], done.stderr


@pytest.mark.parametrize("output", ["csv", None])
def test_a_file_whose_cases_are_apart_is_split_into_parts_of_whole_cases(tmp_path, monkeypatch, output):
    # many small parts on disk: the same instances as the file in case order, bad rows at their own lines
    from procedurekit.cases import partition

    monkeypatch.setattr(partition, "PART_BYTES", 2_000)
    lines = _cases("england", random.Random(9), 200, ["case_id", "event", "date", "inquorate"])
    header, rows = lines[0], lines[1:]
    grouped = tmp_path / "grouped.csv"
    grouped.write_text("\n".join(lines) + "\n")
    random.Random(10).shuffle(rows)
    rows.insert(50, "K3,not-an-event,2024-01-01,")
    rows.insert(120, 'K4,"icpc,2024-01-01,')
    apart = tmp_path / "apart.csv"
    apart.write_text("\n".join([header, *rows]) + "\n")
    expected, in_order = _audit("england", grouped, "per-case", "csv")
    for engine in ("per-case", "columnar"):
        result = AuditResult()
        chunks = list(audit_chunks(_library().plan("england"), apart, TODAY, result, output=output, engine=engine))
        if output == "csv":
            assert sorted(line for chunk in chunks for line in chunk.splitlines()) == sorted(expected)
        assert result.counts == in_order.counts and result.cases == in_order.cases
        assert [(d.line, d.path) for d in result.rejected if d.line] == [(52, str(apart)), (122, str(apart))]


def test_a_spreadsheets_crlf_line_ends_give_the_same_audit(tmp_path):
    lines = _cases("warrington", random.Random(12), 300, ["case_id", "event", "date", "status", "inquorate"])
    unix, windows = tmp_path / "unix.csv", tmp_path / "windows.csv"
    unix.write_text("\n".join(lines) + "\n")
    windows.write_bytes(("\r\n".join(lines) + "\r\n").encode())
    from procedurekit.cases.fastread import _plain

    assert _plain(windows.read_bytes().split(b"\n", 1)[1])  # parsed in bulk, not line by line
    expected, counted = _audit("warrington", unix, "per-case", "csv")
    for engine in ("columnar", "per-case"):
        rows, result = _audit("warrington", windows, engine, "csv")
        assert rows == expected and result == counted


def test_case_ids_that_hash_alike_in_a_part_are_still_told_apart(tmp_path, monkeypatch):
    # every id hashing alike: the part keeps the file's order, and its interleaved cases go to the exact reader
    import numpy as np

    from procedurekit.cases import partition

    monkeypatch.setattr(partition, "_first_field_hashes", lambda block: np.zeros(block.count(b"\n"), np.uint64))
    lines = _cases("england", random.Random(13), 50, ["case_id", "event", "date"])
    header, rows = lines[0], lines[1:]
    grouped = tmp_path / "grouped.csv"
    grouped.write_text("\n".join(lines) + "\n")
    random.Random(14).shuffle(rows)
    apart = tmp_path / "apart.csv"
    apart.write_text("\n".join([header, *rows]) + "\n")
    expected, in_order = _audit("england", grouped, "per-case", "csv")
    got, result = _audit("england", apart, "columnar", "csv")
    assert sorted(got) == sorted(expected) and result.counts == in_order.counts
