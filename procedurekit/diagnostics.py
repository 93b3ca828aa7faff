"""Diagnostics: what is wrong, where, and what to do about it.

Every problem procedurekit finds in a procedure file or a plugin is a
:class:`Diagnostic`. They print as ``path:line:col: code: message`` so editors
and CI logs can jump to the spot. The codes are listed (with examples) in
docs/errors.md.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

from attrs import frozen

from procedurekit.errors import InputError

__all__ = ["Severity", "Diagnostic", "ProcedureError", "CODES"]


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


# code -> one-line meaning (docs/errors.md expands each)
CODES: dict[str, str] = {
    "toml-syntax": "the file is not valid TOML",
    "encoding": "the file is not UTF-8 text",
    "empty-file": "the file holds no procedure",
    "file-too-large": "the file is larger than a procedure can be",
    "too-deep": "values are nested deeper than a procedure needs",
    "unreadable": "the file could not be read",
    "bad-row": "a line of a cases CSV that cannot be read as a row (not UTF-8, a NUL, too long, a stray quote, too many fields)",
    "census-record": "a child or episode of a CIN census file that cannot be audited (dates out of order, an "
                     "impossible date, a missing conference, a duplicate child id)",
    "draft-rule": "a rule proposed by procedurekit draft that no person has checked yet (draft = true)",
    "version-anchor-changed": "a duty counts from another event in the next version of a procedure",
    "version-dates": "the versions of a procedure lack an effective_from, or a version ends before it starts",
    "version-overlap": "two versions of a procedure are in force on the same day",
    "version-dropped-item": "an item of a version is gone from the next with no reason recorded",
    "version-before-baseline": "a version is in force before any version of the baseline it extends",
    "not-in-force": "no version of a procedure (or of what it extends) is in force on the date asked",
    "unknown-version": "a procedure has no version by that name (ID@VERSION)",
    "not-a-file": "a FIFO, device or socket where a procedure file was expected",
    "unknown-key": "a key the procedure format does not have",
    "missing-key": "a required key is missing",
    "wrong-type": "a value of the wrong type (text, number, list, table...)",
    "bad-value": "a value outside the allowed set",
    "bad-duration": "a duration that is not a number and a unit",
    "bad-id": "an id that is not lower-case words joined by hyphens",
    "duplicate-id": "the same id defined twice",
    "undefined-reference": "a reference to a role, event, source... that is not defined",
    "conflicting-keys": "keys that cannot be used together",
    "ambiguous": "a timing that could mean two different things",
    "missing-source": "a rule without a source",
    "extends-cycle": "procedures that extend each other in a loop",
    "unknown-procedure": "a procedure id that is not installed",
    "duplicate-procedure": "two files or plugins define the same procedure id",
    "plugin-error": "a plugin failed to load or raised in a hook",
    "plugin-path": "a plugin named a file outside its own package",
    "relaxes-floor": "a procedure relaxes a rule of the procedure it extends (a warning)",
    "source-file": "a source document's text file is missing or outside the plugin",
    "quote-not-found": "a quote does not appear in the source document's text",
}


@frozen
class Diagnostic:
    """One problem, located as precisely as the input allows."""

    code: str
    message: str
    path: str | None = None
    line: int | None = None
    column: int | None = None
    severity: Severity = Severity.ERROR
    plugin: str | None = None
    #: TOML path of the offending key, e.g. ("obligations", "core-group-first", "within");
    #: hooks set it and the framework turns it into line and column.
    key: tuple[str | int, ...] = ()
    procedure: str | None = None

    def __str__(self) -> str:
        where = self.path or (f"plugin {self.plugin}" if self.plugin else "procedurekit")
        if self.line is not None:
            where += f":{self.line}:{self.column or 1}"
        level = "" if self.severity is Severity.ERROR else "warning: "
        return f"{where}: {self.code}: {level}{self.message}"

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "plugin": self.plugin,
            "procedure": self.procedure,
            "key": ".".join(map(str, self.key)) or None,
        }


class ProcedureError(InputError):
    """Raised by the library API when procedures cannot be used; holds the diagnostics (an input error: exit 1)."""

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics = tuple(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))
