"""Files the tool writes, written whole or not at all.

Every file procedurekit writes (``fmt``, ``-o`` outputs, ``new``, the
generated docs) goes to a temporary file in the same folder and is moved into
place with :func:`os.replace`: a full disk, a size limit or a kill leaves the
old file as it was, and a reader never sees half a file.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

__all__ = ["write_text", "write_bytes", "replacing"]


@contextlib.contextmanager
def replacing(path: str | Path, *, newline: str | None = None) -> Iterator[IO[str]]:
    """A text stream whose contents replace *path* when the block ends without an error.

    The file keeps the permissions of the one it replaces (new files get the
    usual ones for the user's umask).
    """
    with _replacing(path, "w", encoding="utf-8", newline=newline) as stream:
        yield stream


def write_text(path: str | Path, text: str, *, newline: str | None = None) -> None:
    """Replace *path* with *text* (UTF-8), atomically."""
    with replacing(path, newline=newline) as stream:
        stream.write(text)


def write_bytes(path: str | Path, data: bytes) -> None:
    """Replace *path* with *data*, atomically."""
    with _replacing(path, "wb") as stream:
        stream.write(data)


@contextlib.contextmanager
def _replacing(path: str | Path, mode: str, **options: str | None) -> Iterator[IO[Any]]:
    """A stream opened with *mode* on a temporary file beside *path*, moved into its place at the end."""
    import tempfile  # here, not at the top: most commands never write a file

    target = Path(path)
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, mode, **options) as stream:  # type: ignore[call-overload]
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, _mode(target))
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _mode(target: Path) -> int:
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
