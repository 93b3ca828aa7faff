"""A cases CSV whose cases' rows are apart, split on disk into parts that each hold whole cases.

Each line goes to one of a number of temporary files chosen by a hash of its
first field (the case id), so every row of a case lands in the same part and a
part is small enough to read whole: memory stays bounded by the part size,
not the file. Each part's rows are then put in case order (cases in the order
they first appear) and read as a sorted file is. The cost is one more pass
that writes the file's bytes again to temporary files. Each part remembers the
line each of its rows had in the file, so bad rows are reported where they are.
"""

from __future__ import annotations

import contextlib
import io
import tempfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from procedurekit.cases.fastread import _first_field_hashes, _lines_blocks

__all__ = ["PART_BYTES", "parts", "line_numbers", "in_case_order", "case_blocks"]

#: about how many bytes of the file each part holds
PART_BYTES = 8 * 1024 * 1024
#: the most parts a file is split into
MAX_PARTS = 400


@contextlib.contextmanager
def parts(path: Path, part_bytes: int = PART_BYTES) -> Iterator[list[tuple[Path, Path]]]:
    """``(part CSV, its rows' line numbers in the file as int64)`` for each part, in a temporary folder.

    Each part CSV starts with the file's header line. Parts are numbered by hash, so the order is
    the same on every run.
    """
    size = path.stat().st_size
    # two open files a part: bounded well below the usual limit of 1,024 (larger parts for a huge file)
    count = min(MAX_PARTS, max(1, -(-size // part_bytes)))
    with tempfile.TemporaryDirectory(prefix="procedurekit-parts-") as folder:
        names = [(Path(folder) / f"part{k}.csv", Path(folder) / f"part{k}.lines") for k in range(count)]
        with path.open("rb") as handle, contextlib.ExitStack() as stack:
            header = handle.readline()
            csvs = [stack.enter_context(open(csv_path, "wb")) for csv_path, _ in names]
            lines = [stack.enter_context(open(lines_path, "wb")) for _, lines_path in names]
            for out in csvs:
                out.write(header if header.endswith(b"\n") else header + b"\n")
            first = 2
            for block in _lines_blocks(handle):
                first = _scatter(block, first, count, csvs, lines)
        yield names


def _scatter(block: bytes, first: int, count: int, csvs: list, lines: list) -> int:
    """Write each line of *block* (the first is line *first* of the file) to its case's part; the next line."""
    if not block.endswith(b"\n"):
        block += b"\n"
    buf = np.frombuffer(block, dtype=np.uint8)
    ends = np.flatnonzero(buf == 10) + 1
    starts = np.concatenate([[0], ends[:-1]])
    bucket = (_first_field_hashes(block) % np.uint64(count)).astype(np.int64)
    numbers = np.arange(first, first + len(starts), dtype=np.int64)
    for k in np.unique(bucket).tolist():
        chosen = np.flatnonzero(bucket == k)
        lengths = ends[chosen] - starts[chosen]
        offsets = np.repeat(starts[chosen] - (np.cumsum(lengths) - lengths), lengths)
        csvs[k].write(buf[np.arange(int(lengths.sum())) + offsets].tobytes())
        numbers[chosen].tofile(lines[k])
    return first + len(starts)


def line_numbers(lines_path: Path) -> np.ndarray:
    """A part's rows' line numbers in the file (index 0 is the part's line 2)."""
    return np.fromfile(lines_path, dtype=np.int64)



def in_case_order(part: Path, lines_path: Path) -> tuple[bytes, np.ndarray]:
    """A part's rows (without its header) with each case's rows together, the cases in the order they
    first appear, and each row's line in the file."""
    body = part.read_bytes().split(b"\n", 1)[1]
    numbers = line_numbers(lines_path)
    if not body:
        return body, numbers
    if not body.endswith(b"\n"):
        body += b"\n"
    # hashed a few MiB at a time: the arrays that hash a block are several times its size
    hashes = np.concatenate([_first_field_hashes(block) for block in _lines_blocks(io.BytesIO(body))])
    _, first, inverse = np.unique(hashes, return_index=True, return_inverse=True)
    order = np.argsort(first[inverse], kind="stable")
    ends = np.flatnonzero(np.frombuffer(body, dtype=np.uint8) == 10) + 1
    starts = np.concatenate([[0], ends[:-1]])
    view, out, at = memoryview(body), bytearray(len(body)), 0
    for a, b in zip(starts[order].tolist(), ends[order].tolist()):
        out[at:at + b - a] = view[a:b]
        at += b - a
    return bytes(out), numbers[order]


def case_blocks(body: bytes, size: int) -> Iterator[tuple[bytes, int]]:
    """*body* (rows in case order) in blocks of about *size* bytes that end where a case ends, each with
    the index of its first row."""
    start, first = 0, 0
    while start < len(body):
        cut = body.find(b"\n", min(start + size, len(body) - 1)) + 1 or len(body)
        line = body.rfind(b"\n", start, cut - 1) + 1
        comma = body.find(b",", line, cut)
        case = body[line:comma if comma >= 0 else cut - 1] + b","
        while cut < len(body) and body.startswith(case, cut):
            cut = body.find(b"\n", cut) + 1 or len(body)
        block = body[start:cut]
        yield block, first
        first += block.count(b"\n")
        start = cut
