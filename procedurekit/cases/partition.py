"""A cases CSV whose cases' rows are apart, split on disk into parts that each hold whole cases.

Each line goes to one of a number of temporary files chosen by a hash of its
first field (the case id), so every row of a case lands in the same part and a
part is small enough to read whole: memory stays bounded by the part size,
not the file. The cost is one more pass that writes the file's bytes again to
temporary files. Each part remembers the line each of its rows had in the file,
so bad rows are reported where they are.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from procedurekit.cases.fastread import _first_field_hashes, _lines_blocks

__all__ = ["PART_BYTES", "parts", "line_numbers"]

#: about how many bytes of the file each part holds
PART_BYTES = 16 * 1024 * 1024


@contextlib.contextmanager
def parts(path: Path, part_bytes: int = PART_BYTES) -> Iterator[list[tuple[Path, Path]]]:
    """``(part CSV, its rows' line numbers in the file as int64)`` for each part, in a temporary folder.

    Each part CSV starts with the file's header line. Parts are numbered by hash, so the order is
    the same on every run.
    """
    size = path.stat().st_size
    count = max(1, -(-size // part_bytes))
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

