"""A cache of loaded procedure files, so a command does not parse and check the same TOML on every run.

Each entry is keyed by the file's bytes, its path, its plugin and the procedurekit code itself (the
version and every module's size and modification time), so an edited file, another plugin or a
changed procedurekit never reads a stale entry. Entries live in the user's cache folder
(``$PROCEDUREKIT_CACHE_DIR``, else ``$XDG_CACHE_HOME/procedurekit``, else ``~/.cache/procedurekit``),
are written whole (a temporary file, then a rename), so concurrent runs are safe, and an entry that
cannot be read is ignored. ``--no-cache`` or ``PROCEDUREKIT_NO_CACHE=1`` turns it off.

Entries are Python pickles: the cache folder must be the user's own, like the rest of their home.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
import stat
from collections.abc import Mapping
from pathlib import Path

from procedurekit import __version__, atomic
from procedurekit.loader import ProcedureFile, load_bytes, load_file

__all__ = ["cache_folder", "load_cached"]


def cache_folder(environ: Mapping[str, str] | None = None) -> Path | None:
    """Where entries are kept, or ``None`` when caching is off."""
    env = os.environ if environ is None else environ
    if env.get("PROCEDUREKIT_NO_CACHE"):
        return None
    if env.get("PROCEDUREKIT_CACHE_DIR"):
        return Path(env["PROCEDUREKIT_CACHE_DIR"])
    base = env.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "procedurekit"


@functools.cache
def _code_fingerprint() -> bytes:
    """procedurekit's version and every module's size and modification time: a new release or an edit."""
    package = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
    digest = hashlib.sha256(__version__.encode())
    for relative, size, mtime in sorted(_modules(package, "")):
        digest.update(f"{relative}:{size}:{mtime}".encode())
    return digest.digest()


def _modules(folder: str, prefix: str) -> list[tuple[str, int, int]]:
    """``(path under the package, size, modification time)`` of every ``.py`` file in *folder*, at any depth."""
    found = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.endswith(".py") and entry.is_file():
                info = entry.stat()
                found.append((prefix + entry.name, info.st_size, info.st_mtime_ns))
            elif entry.is_dir() and entry.name != "__pycache__":
                found += _modules(entry.path, f"{prefix}{entry.name}/")
    return found


def load_cached(path: Path, plugin: str | None, folder: Path | None) -> ProcedureFile:
    """``load_file(path, plugin=plugin)``, from *folder*'s entry when one matches."""
    if folder is None:
        return load_file(path, plugin=plugin)
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return load_file(path, plugin=plugin)  # it says why such a file is not read
        data = path.read_bytes()
    except OSError:
        return load_file(path, plugin=plugin)
    key = hashlib.sha256(_code_fingerprint() + f"\0{path}\0{plugin}\0".encode() + data).hexdigest()
    entry = folder / f"{key}.pickle"
    with contextlib.suppress(Exception):  # a missing, partial or foreign entry: load afresh
        with entry.open("rb") as handle:
            cached = pickle.load(handle)
        if isinstance(cached, ProcedureFile) and cached.path == str(path):
            return cached
    loaded = load_bytes(data, str(path), plugin=plugin) if len(data) else load_file(path, plugin=plugin)
    with contextlib.suppress(OSError):  # a read-only home still works, uncached
        folder.mkdir(parents=True, exist_ok=True)
        loaded._index = None  # positions are found again from the text when a message needs one
        atomic.write_bytes(entry, pickle.dumps(loaded, protocol=pickle.HIGHEST_PROTOCOL))
    return loaded
