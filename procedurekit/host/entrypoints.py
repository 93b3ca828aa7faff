"""Installed entry points of one group, found without importing :mod:`importlib.metadata`.

Importing :mod:`importlib.metadata` (and the email parser it reads metadata
with) costs more than the rest of a short command's discovery, so
:func:`entry_points` reads the ``*.dist-info`` and ``*.egg-info`` folders on
``sys.path`` itself, as :func:`importlib.metadata.entry_points` does: the first
distribution of each normalised name wins, and each entry point carries its
distribution's ``Name`` and ``Version``. Where the import system could hold
distributions this scan does not see (a zip or egg on ``sys.path``, another
finder that lists distributions), it asks :mod:`importlib.metadata` instead.
"""

from __future__ import annotations

import functools
import importlib
import os
import re
import sys
from collections.abc import Sequence
from typing import Any

__all__ = ["EntryPoint", "Distribution", "entry_points"]

#: what importlib.metadata accepts as an entry point's value: ``module:attr.attr [extras]``
_VALUE = r"(?P<module>[\w.]+)\s*(:\s*(?P<attr>[\w.]+)\s*)?((?P<extras>\[.*\])\s*)?$"
_SUFFIXES = (".dist-info", ".egg-info")
#: a header line as the email parser reads one: a name without spaces, then a colon
_HEADER = r"([\041-\071\073-\176]*):"


class Distribution:
    """An installed distribution's folder; ``metadata["Name"]`` and ``version`` read from it when asked."""

    def __init__(self, path: str):
        self.path = path

    @functools.cached_property
    def metadata(self) -> dict[str, str]:
        """The first value of each header of ``METADATA`` (``PKG-INFO`` for an egg-info), keys as written."""
        for name in ("METADATA", "PKG-INFO"):
            text = _read(os.path.join(self.path, name))
            if text:
                return _headers(text)
        return _Caseless()

    @property
    def version(self) -> str | None:
        return self.metadata.get("Version")


class EntryPoint:
    """One entry point: ``name = value`` in ``group``, of distribution ``dist``."""

    def __init__(self, name: str, value: str, group: str, dist: Distribution | None = None):
        self.name, self.value, self.group, self.dist = name, value, group, dist

    def __repr__(self) -> str:
        return f"EntryPoint(name={self.name!r}, value={self.value!r}, group={self.group!r})"

    def load(self) -> Any:
        """The object the value names: its module imported, then each attribute looked up."""
        match = re.match(_VALUE, self.value)
        # a value that does not match fails as importlib.metadata's does (None has no group)
        module = importlib.import_module(match.group("module"))  # type: ignore[union-attr]
        return functools.reduce(getattr, filter(None, (match.group("attr") or "").split(".")), module)  # type: ignore[union-attr]


def entry_points(group: str) -> Sequence[Any]:
    """The entry points of *group* that ``importlib.metadata.entry_points(group=group)`` finds."""
    if not _scannable():
        import importlib.metadata

        return list(importlib.metadata.entry_points(group=group))
    found: list[EntryPoint] = []
    seen: set[str] = set()
    for folder in sys.path:
        for name, path in _distributions(folder):
            if name in seen:
                continue
            seen.add(name)
            text = _read(os.path.join(path, "entry_points.txt"))
            if text:
                dist = Distribution(path)
                found += [EntryPoint(key, value, group, dist) for key, value in _section(text, group)]
    return found


def _scannable() -> bool:
    """Whether every distribution the import system can list is in a folder on ``sys.path``."""
    from importlib.machinery import PathFinder

    for finder in sys.meta_path:
        if finder is not PathFinder and getattr(finder, "find_distributions", None) is not None:
            return False
    for folder in sys.path:
        if not isinstance(folder, str) or folder.lower().endswith(".egg"):
            return False
        if folder and os.path.exists(folder) and not os.path.isdir(folder):
            return False  # a zip file
    return True


def _distributions(folder: str) -> list[tuple[str, str]]:
    """``(normalised name, path)`` of the distributions in *folder*, in importlib.metadata's order."""
    try:
        children = os.listdir(folder or ".")
    except OSError:
        return []
    by_name: dict[str, list[str]] = {}
    for child in children:
        low = child.lower()
        if low.endswith(_SUFFIXES):
            name = _normalise(low.rpartition(".")[0].partition("-")[0])
            by_name.setdefault(name, []).append(os.path.join(folder, child))
    return [(name, path) for name, paths in by_name.items() for path in paths]


def _normalise(name: str) -> str:
    """``re.sub(r"[-_.]+", "-", name).replace("-", "_")``, importlib.metadata's normal form, without a regex."""
    name = name.replace("-", "_").replace(".", "_")
    while "__" in name:
        name = name.replace("__", "_")
    return name


def _read(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError):
        return None


def _section(text: str, group: str) -> list[tuple[str, str]]:
    """The ``name = value`` pairs of ``[group]`` in an ``entry_points.txt``."""
    pairs = []
    section = None
    for line in map(str.strip, text.splitlines()):
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line.strip("[]")
        elif section == group:
            name, _, value = line.partition("=")
            pairs.append((name.strip(), value.strip()))
    return pairs


def _headers(text: str) -> dict[str, str]:
    """The headers above the first blank line, each its first value (folded lines kept, as email does)."""
    headers: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines(keepends=True):
        if line[:1] in (" ", "\t") and current is not None:
            current.append(line)
            continue
        match = re.match(_HEADER, line)
        if match is None:
            break
        current = [line[match.end():].lstrip(" \t")]
        headers.setdefault(match.group(1).lower(), current)
    return _Caseless({name: "".join(lines).rstrip("\r\n") for name, lines in headers.items()})


class _Caseless(dict[str, str]):
    """Header names looked up in any case, as email messages do."""

    def get(self, key: str, default: Any = None) -> Any:
        return super().get(key.lower(), default)

    def __getitem__(self, key: str) -> Any:
        return super().get(key.lower())
