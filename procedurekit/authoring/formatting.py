"""Canonical formatting of procedure files (``procedurekit fmt``).

The canonical form is what ``tomli-w`` writes from the file's data, with
keys in a fixed order: ``[procedure]`` first, then the sections in the
model's order, items in the order written, and each item's keys in the
model's field order. Formatting is idempotent.

Comments cannot be kept: ``tomli-w`` writes data, not the text around it. A
file with comments is left alone unless the caller agrees to drop them.
"""

from __future__ import annotations

import re
import tomllib
from typing import Any

import attrs
import tomli_w

from procedurekit import model
from procedurekit.loader import SECTION_TYPES

__all__ = ["canonical", "has_comments"]

_STRING = re.compile(r'"""(?:[^\\]|\\.)*?"""|\'\'\'.*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'', re.S)


def has_comments(text: str) -> bool:
    """Whether the TOML text has a comment (a # outside strings)."""
    return "#" in _STRING.sub("", text)


def _ordered(value: Any, cls: type | None) -> Any:
    if isinstance(value, dict) and cls is not None and attrs.has(cls):
        hints = attrs.resolve_types(cls) and {f.name: f.type for f in attrs.fields(cls)}
        out = {}
        for field in attrs.fields(cls):
            if field.name in value:
                out[field.name] = _ordered(value[field.name], _attrs_class(hints[field.name]))
        return out
    if isinstance(value, list):
        return [_ordered(v, cls) for v in value]
    return value


def _attrs_class(annotation: Any) -> type | None:
    import typing

    if annotation == model.Sources:
        return model.Source
    for candidate in (annotation, *typing.get_args(annotation)):
        if isinstance(candidate, type) and attrs.has(candidate):
            return candidate
        for inner in typing.get_args(candidate):
            if isinstance(inner, type) and attrs.has(inner):
                return inner
    return None


def canonical(text: str) -> str:
    """The canonical form of a procedure file's text (which must be valid TOML)."""
    data = tomllib.loads(text)
    out: dict[str, Any] = {}
    if "procedure" in data:
        out["procedure"] = _ordered(data["procedure"], model.ProcedureHeader)
    for section, cls in SECTION_TYPES.items():
        if section in data:
            out[section] = {item_id: _ordered(item, cls) for item_id, item in data[section].items()}
    return tomli_w.dumps(out)
