"""A JSON Schema of the procedure file format, generated from the model classes.

Editors that read JSON Schema for TOML (Taplo / Even Better TOML, tombi)
complete and check keys as people type: add ``#:schema ./procedure.schema.json``
as the first line of a procedure file, or map ``*.toml`` to it in the editor.
"""

from __future__ import annotations

import collections.abc
import datetime as dt
import enum
import typing
from typing import Any

import attrs

from procedurekit import model
from procedurekit.durations import Duration, Frequency
from procedurekit.loader import ID_PATTERN, SECTION_TYPES

__all__ = ["procedure_schema", "ID_PATTERN", "DURATION_PATTERN"]

_UNITS = "(working days?|days?|calendar days?|weeks?|months?|calendar months?|hours?)"
DURATION_PATTERN = rf"^\s*[0-9]+\s+{_UNITS}\s*$"
FREQUENCY_PATTERN = rf"^(\s*[0-9]+\s+{_UNITS}\s*|weekly|fortnightly|monthly|a fortnight|fortnight)$"

#: a short description of each class, shown by editors
_DESCRIPTIONS = {
    model.ProcedureHeader: "What the procedure is and what it extends.",
    model.SourceDocument: "A published document that rules cite.",
    model.Source: "Where a rule comes from: a document of [sources], a place in it, its words.",
    model.Role: "A person or agency function.",
    model.Event: "Something that happens on a date in a case.",
    model.Condition: "A circumstance of a case that switches rules on or off.",
    model.Category: "A category of abuse or neglect.",
    model.Meeting: "A meeting: chair, minutes and quorum rules.",
    model.Document: "A plan, record or report: who produces it, who receives it, what it contains.",
    model.Obligation: "Who owes what, by when, relative to which event.",
    model.Pathway: "An ordered escalation route.",
    model.Trigger: "A circumstance that brings a meeting forward.",
    model.Right: "Something a child, family member or professional is entitled to.",
}


def _type(annotation: Any, definitions: dict[str, Any]) -> dict[str, Any]:
    if annotation == model.Sources:
        ref = _ref(model.Source, definitions)
        return {"anyOf": [ref, {"type": "array", "items": ref}]}
    if annotation == tuple[str, ...]:
        return {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        options = [a for a in args if a is not type(None)]
        return _type(options[0], definitions) if len(options) == 1 else {"anyOf": [_type(a, definitions) for a in options]}
    if origin is tuple:
        return {"type": "array", "items": _type(args[0], definitions)}
    if origin in (collections.abc.Mapping, dict):  # e.g. [procedure.changes]: "section.id" -> why
        return {"type": "object", "additionalProperties": _type(args[1], definitions)}
    if isinstance(annotation, type):
        if issubclass(annotation, Frequency):
            return {"type": "string", "pattern": FREQUENCY_PATTERN, "examples": ["1 month", "6 weeks", "monthly"]}
        if issubclass(annotation, Duration):
            return {"type": "string", "pattern": DURATION_PATTERN, "examples": ["10 working days", "3 months"]}
        if issubclass(annotation, enum.Enum):
            return {"enum": [m.value for m in annotation]}
        if annotation is bool:
            return {"type": "boolean"}
        if annotation is int:
            return {"type": "integer", "minimum": 0}
        if annotation is str:
            return {"type": "string"}
        if annotation is dt.date:
            return {"type": "string", "format": "date"}
        if attrs.has(annotation):
            return _ref(annotation, definitions)
    raise TypeError(f"no schema for {annotation!r}")


def _ref(cls: type, definitions: dict[str, Any]) -> dict[str, Any]:
    name = cls.__name__
    if name not in definitions:
        definitions[name] = {}  # placeholder against recursion
        definitions[name] = _object(cls, definitions)
    return {"$ref": f"#/$defs/{name}"}


def _object(cls: type, definitions: dict[str, Any], skip: tuple[str, ...] = ("origins",)) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    properties = {}
    required = []
    for field in attrs.fields(cls):
        if field.name in skip:
            continue
        properties[field.name] = _type(hints[field.name], definitions)
        if field.default is attrs.NOTHING:
            required.append(field.name)
    schema: dict[str, Any] = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        schema["required"] = required
    if cls in _DESCRIPTIONS:
        schema["description"] = _DESCRIPTIONS[cls]
    return schema


def procedure_schema() -> dict[str, Any]:
    """The JSON Schema (2020-12) of a procedure TOML file."""
    definitions: dict[str, Any] = {}
    header = _object(model.ProcedureHeader, definitions)
    header["properties"]["id"]["pattern"] = ID_PATTERN
    properties: dict[str, Any] = {"procedure": header}
    for section, cls in SECTION_TYPES.items():
        properties[section] = {
            "type": "object",
            "description": f"[{section}.ID] tables; ids are lower-case words joined by hyphens.",
            "patternProperties": {ID_PATTERN: _ref(cls, definitions)},
            "additionalProperties": False,
        }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "procedurekit procedure",
        "description": "A local child-protection procedure (see docs/format.md).",
        "type": "object",
        "properties": properties,
        "required": ["procedure"],
        "additionalProperties": False,
        "$defs": definitions,
    }
