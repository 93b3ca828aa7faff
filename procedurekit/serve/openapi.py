"""The OpenAPI document of ``procedurekit serve``, built from the JSON Schemas the command line's JSON
follows (``procedurekit/schemas/*.schema.json``, and the procedure format's from ``procedurekit schema``):
one source of truth for both."""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

from procedurekit import __version__

__all__ = ["SCHEMAS", "schema", "openapi_document"]

#: every schema served at /schemas/NAME and used by the OpenAPI document
SCHEMAS = ("procedures", "procedure", "history", "validation", "comparison", "case", "schedule", "audit",
           "calendar-add", "calendar-between", "calendar-holidays", "error", "procedure-file")


@functools.cache
def schema(name: str) -> dict[str, Any]:
    """The JSON Schema *name* (one of :data:`SCHEMAS`)."""
    if name == "procedure-file":
        from procedurekit.authoring.schema import procedure_schema

        return procedure_schema()
    file = "compare" if name == "comparison" else name
    text = resources.files("procedurekit").joinpath("schemas", f"{file}.schema.json").read_text(encoding="utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(name: str, description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref(name)}}}


_ERRORS = {
    "400": _json("error", "Bad input: a parameter or a body that cannot be read"),
    "404": _json("error", "No such procedure, version or schema, or no version in force on that day"),
    "413": _json("error", "The body is larger than the server accepts"),
    "422": _json("error", "Input that reads but is not valid: a case or procedure with errors, with positions"),
    "503": _json("error", "The request took longer than the server allows"),
}
_PID = {"name": "pid", "in": "path", "required": True, "schema": {"type": "string"},
        "description": "A procedure id, or ID@VERSION for one version (docs/versions.md)"}
_TODAY = {"name": "today", "in": "query", "schema": {"type": "string", "format": "date"},
          "description": "The day to judge 'due' and 'overdue' against (default: the server's date)"}
_CALENDAR = {"name": "calendar", "in": "query", "schema": {"enum": ["england-and-wales", "scotland",
                                                                     "northern-ireland"]},
             "description": "The bank holidays counted (default england-and-wales)"}


def _query(name: str, description: str, *, required: bool = False, fmt: str | None = None) -> dict[str, Any]:
    kind: dict[str, Any] = {"type": "string", **({"format": fmt} if fmt else {})}
    return {"name": name, "in": "query", "required": required, "schema": kind, "description": description}


def _get(summary: str, name: str, parameters: list[dict[str, Any]]) -> dict[str, Any]:
    return {"get": {"summary": summary, "parameters": parameters,
                    "responses": {"200": _json(name, summary), **_ERRORS}}}


def _post(summary: str, name: str, parameters: list[dict[str, Any]], body: dict[str, Any]) -> dict[str, Any]:
    return {"post": {"summary": summary, "parameters": parameters, "requestBody": {"required": True, "content": body},
                     "responses": {"200": _json(name, summary), **_ERRORS}}}


@functools.cache
def openapi_document() -> dict[str, Any]:
    """The OpenAPI 3.1 document of every endpoint."""
    paths = {
        "/procedures": _get("Every installed procedure, with its versions", "procedures", []),
        "/procedures/{pid}": _get("One procedure, resolved (as show --format json)", "procedure", [
            _PID, _query("on", "The version in force on this day", fmt="date")]),
        "/procedures/{pid}/history": _get("Every version and what each revision changed (as history)", "history",
                                          [_PID]),
        "/procedures/{pid}/schedule": _post(
            "What is due in one case (as schedule --format json)", "schedule",
            [_PID, _TODAY, _query("on", "Judge every duty by the version in force on this day", fmt="date")],
            {"application/json": {"schema": _ref("case")}}),
        "/procedures/{pid}/audit": _post(
            "Many cases audited (as audit --format json)", "audit", [_PID, _TODAY],
            {"text/csv": {"schema": {"type": "string", "description": "The long CSV: case_id,event,date[,...]"}},
             "application/json": {"schema": {"type": "array", "items": {"type": "object"}}}}),
        "/validate": _post("A procedure file checked (as validate)", "validation", [],
                           {"application/toml": {"schema": {"type": "string"}},
                            "text/plain": {"schema": {"type": "string"}}}),
        "/compare": _get("Two or more procedures compared (as compare --format json)", "comparison", [
            {**_query("id", "A procedure id or ID@VERSION; repeat it", required=True), "explode": True},
            _query("baseline", "The procedure the others are compared against (default: the first id)"),
            _query("topic", "Only the rules of one topic")]),
        "/calendar/add": _get("A date plus a duration", "calendar-add", [
            _query("start", "The day counted from (day 0)", required=True, fmt="date"),
            _query("duration", 'For example "10 working days", "3 months"', required=True),
            _query("before", "Count back instead (true/false)"), _CALENDAR]),
        "/calendar/between": _get("Working days after start up to end", "calendar-between", [
            _query("start", "", required=True, fmt="date"), _query("end", "", required=True, fmt="date"), _CALENDAR]),
        "/calendar/holidays": _get("The bank holidays", "calendar-holidays", [_query("year", "One year only"),
                                                                                _CALENDAR]),
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "procedurekit", "version": __version__,
                 "description": "Local child-protection procedures as code: read-only answers over the installed "
                                "procedures (docs/serve.md)."},
        "paths": paths,
        "components": {"schemas": {name: _component(name) for name in SCHEMAS}},
    }


def _component(name: str) -> dict[str, Any]:
    """Schema *name* as an OpenAPI component: its $defs refer within components."""
    data = json.loads(json.dumps(schema(name)).replace('"#/$defs/', f'"#/components/schemas/{name}/$defs/'))
    data.pop("$id", None)
    return data  # type: ignore[no-any-return]
