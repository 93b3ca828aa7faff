"""Read one procedure file: TOML text -> :class:`~procedurekit.model.Procedure`.

Every problem becomes a :class:`~procedurekit.diagnostics.Diagnostic` at the
line and column of the offending key or value, and all problems of a file are
reported together. Checks that need other procedures (references to items a
baseline defines, ``extends``) happen in :mod:`procedurekit.host.library`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import enum
import functools
import re
import tomllib
import typing
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from procedurekit import model
from procedurekit.diagnostics import Diagnostic, Severity
from procedurekit.durations import Duration, DurationError, Frequency, parse_duration, parse_frequency
from procedurekit.positions import MAX_DEPTH, PositionIndex, TooDeep, nesting_offset

__all__ = ["ProcedureFile", "load_file", "load_text", "MAX_FILE_BYTES", "unstructure"]

#: Largest procedure file accepted. Real procedures are tens of kilobytes.
MAX_FILE_BYTES = 2 * 1024 * 1024

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

#: section -> item class
SECTION_TYPES: Mapping[str, type] = {
    "sources": model.SourceDocument,
    "roles": model.Role,
    "events": model.Event,
    "conditions": model.Condition,
    "categories": model.Category,
    "meetings": model.Meeting,
    "documents": model.Document,
    "obligations": model.Obligation,
    "pathways": model.Pathway,
    "triggers": model.Trigger,
    "rights": model.Right,
}

#: sections whose items are rules and so must cite a source
RULE_SECTIONS = ("categories", "documents", "obligations", "pathways", "triggers", "rights")

_SOURCE_HINT = 'add source = { doc = "...", section = "...", quote = "..." }'


@attrs.define
class ProcedureFile:
    """A procedure file as loaded: its text, the procedure (if valid) and diagnostics."""

    path: str
    text: str
    procedure: model.Procedure | None
    diagnostics: list[Diagnostic]
    plugin: str | None = None
    #: the id the file declares, known even when the file has errors
    declared_id: str | None = None
    _index: PositionIndex | None = None

    @property
    def ok(self) -> bool:
        return self.procedure is not None and not any(
            d.severity is Severity.ERROR for d in self.diagnostics
        )

    def locate(self, key: Sequence[str | int], *, at_value: bool = False) -> tuple[int, int]:
        if self._index is None:
            self._index = PositionIndex(self.text)
        try:
            return self._index.locate(key, at_value=at_value)
        except TooDeep:
            return (1, 1)

    def diagnostic(
        self, code: str, message: str, key: Sequence[str | int] = (), *, at_value: bool = False,
        severity: Severity = Severity.ERROR,
    ) -> Diagnostic:
        line, col = self.locate(key, at_value=at_value) if key else (1, 1)
        return Diagnostic(code, message, self.path, line, col, severity, self.plugin)


def load_file(path: str | Path, *, plugin: str | None = None) -> ProcedureFile:
    """Load one procedure file. Never raises for bad content: see ``.diagnostics``."""
    path = Path(path)
    display = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return _failed(display, "file-too-large",
                           f"file is {size:,} bytes; a procedure file may be at most "
                           f"{MAX_FILE_BYTES:,} bytes: split it or check it is the right file", plugin)
        data = path.read_bytes()
    except OSError as exc:
        return _failed(display, "unreadable", f"cannot read file: {exc.strerror or exc}", plugin)
    return load_bytes(data, display, plugin=plugin)


def load_bytes(data: bytes, path: str = "<text>", *, plugin: str | None = None) -> ProcedureFile:
    if len(data) > MAX_FILE_BYTES:
        return _failed(path, "file-too-large",
                       f"file is {len(data):,} bytes; a procedure file may be at most "
                       f"{MAX_FILE_BYTES:,} bytes", plugin)
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        return _failed(path, "encoding", "file contains NUL bytes: it looks like a binary file, "
                       "not TOML text", plugin, line)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return _failed(path, "encoding", f"byte 0x{data[exc.start]:02x} is not UTF-8: save the file "
                       "as UTF-8 (most editors offer this under 'Save as' or 'Encoding')",
                       plugin, line, col)
    return load_text(text, path, plugin=plugin)


def load_text(text: str, path: str = "<text>", *, plugin: str | None = None) -> ProcedureFile:
    """Load a procedure from TOML text; *path* is used in diagnostics."""
    pf = ProcedureFile(path, text, None, [], plugin)
    deep = nesting_offset(text)
    if deep is not None:
        line, col = PositionIndex(text).line_col(deep)
        pf.diagnostics.append(Diagnostic("too-deep", f"lists or tables nested more than {MAX_DEPTH} "
                                         "levels deep: a procedure never needs this",
                                         path, line, col, plugin=plugin))
        return pf
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        pf.diagnostics.append(_syntax_diagnostic(exc, text, path, plugin))
        return pf
    except RecursionError:
        pf.diagnostics.append(Diagnostic("too-deep", "values are nested too deeply", path, 1, 1,
                                         plugin=plugin))
        return pf
    header = raw.get("procedure")
    if isinstance(header, dict) and isinstance(header.get("id"), str) and _ID.match(header["id"]):
        pf.declared_id = header["id"]
    pf.procedure = _build(raw, pf)
    if pf.procedure is not None:
        pf.diagnostics.extend(check_file(pf.procedure, pf))
    if any(d.severity is Severity.ERROR for d in pf.diagnostics):
        pf.procedure = None
    pf.diagnostics.sort(key=lambda d: (d.line or 0, d.column or 0))
    return pf


def _failed(path: str, code: str, message: str, plugin: str | None,
            line: int | None = None, col: int | None = None) -> ProcedureFile:
    diag = Diagnostic(code, message, path, line or 1, col or 1, plugin=plugin)
    return ProcedureFile(path, "", None, [diag], plugin)


# -- TOML syntax errors ----------------------------------------------------

_TOML_POS = re.compile(r"^(?P<msg>.*?)\s*\(at (?:line (?P<line>\d+), column (?P<col>\d+)|end of document)\)$",
                       re.S)
_SYNTAX_HINTS = [
    (re.compile(r"Illegal character '\\n'"), "toml-syntax",
     "text in quotes must end on the same line: add the closing quote, or use triple quotes "
     '(""" ... """) for text over several lines'),
    (re.compile(r"Expected ']'"), "toml-syntax", "close the [table] header with ]"),
    (re.compile(r"Cannot declare|Cannot overwrite|Cannot mutate"), "duplicate-id",
     "this key or table is already defined above: each id may be defined once per file; "
     "rename one of them or merge the two"),
    (re.compile(r"Invalid value"), "toml-syntax",
     'check the value: text needs quotes ("..."), lists need [ ], tables need { }'),
    (re.compile(r"Expected '=' after a key"), "toml-syntax",
     'write key = value; a key with spaces needs quotes'),
    (re.compile(r"Unclosed|Unterminated|Expected newline"), "toml-syntax",
     "a string, list or table is not closed where expected"),
    (re.compile(r"Invalid statement|Invalid initial character"), "toml-syntax",
     "each line must be a [table] header, a key = value pair, a comment (#) or blank"),
]


def _syntax_diagnostic(exc: tomllib.TOMLDecodeError, text: str, path: str, plugin: str | None) -> Diagnostic:
    raw = str(exc)
    m = _TOML_POS.match(raw)
    msg = m["msg"] if m else raw
    if m and m["line"]:
        line, col = int(m["line"]), int(m["col"])
    else:  # "at end of document"
        lines = text.splitlines() or [""]
        line, col = len(lines), len(lines[-1]) + 1
    code, hint = "toml-syntax", None
    for pattern, pattern_code, pattern_hint in _SYNTAX_HINTS:
        if pattern.search(msg):
            code, hint = pattern_code, pattern_hint
            break
    declared = re.match(r"Cannot declare \((.*)\) twice", msg)
    if declared:
        msg = f"[{'.'.join(p.strip().strip(chr(39)) for p in declared[1].split(','))}] is declared twice"
    if code == "duplicate-id":
        # tomllib points past the repeated value; point at the start of its line instead
        lines = text.splitlines()
        if 0 < line <= len(lines):
            col = len(lines[line - 1]) - len(lines[line - 1].lstrip()) + 1
    message = msg[0].lower() + msg[1:] if msg else "invalid TOML"
    if hint:
        message += f": {hint}"
    return Diagnostic(code, message, path, line, col, plugin=plugin)


# -- structuring -----------------------------------------------------------


class _Invalid(ValueError):
    """Raised by structure hooks: a value with a precise code and message."""

    def __init__(self, code: str, message: str, step: tuple = ()):
        super().__init__(message)
        self.code = code
        self.step = step  # where inside the value, e.g. (2,) for a list item


def _describe(value: object) -> str:
    return {
        bool: "true/false", int: "a number", float: "a number", str: "text",
        list: "a list", dict: "a table", dt.date: "a date", dt.datetime: "a date and time",
        dt.time: "a time",
    }.get(type(value), type(value).__name__) + (f" {value!r}" if isinstance(value, (int, float, str)) and not isinstance(value, bool) else "")


def _expect(kind: str, value: object) -> _Invalid:
    return _Invalid("wrong-type", f"expected {kind}, got {_describe(value)}")


def _structure_str(value: object, _: type) -> str:
    if not isinstance(value, str):
        raise _expect('text in quotes ("...")', value)
    return value


def _structure_int(value: object, _: type) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _expect("a whole number", value)
    if value < 0:
        raise _Invalid("bad-value", f"expected a number of 0 or more, got {value}")
    return value


def _structure_bool(value: object, _: type) -> bool:
    if not isinstance(value, bool):
        raise _expect("true or false (no quotes)", value)
    return value


def _structure_date(value: object, _: type) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise _expect("a date such as 2024-05-10", value)


def _structure_enum(value: object, cls: type[enum.Enum]) -> enum.Enum:
    allowed = [m.value for m in cls]
    if isinstance(value, str):
        try:
            return cls(value)
        except ValueError:
            close = difflib.get_close_matches(value, allowed, n=1, cutoff=0.5)
            hint = f'; did you mean "{close[0]}"?' if close else ""
            raise _Invalid("bad-value", f'"{value}" is not one of {", ".join(map(repr, allowed))}{hint}') from None
    raise _expect(f"one of {', '.join(map(repr, allowed))}", value)


def _structure_duration(value: object, cls: type) -> Duration:
    if not isinstance(value, str):
        raise _Invalid("bad-duration", f'expected a duration in quotes such as "10 working days", '
                                       f"got {_describe(value)}")
    try:
        return parse_frequency(value) if cls is Frequency else parse_duration(value)
    except DurationError as exc:
        raise _Invalid("bad-duration", str(exc)) from None


def _structure_names(value: object, _: type) -> tuple[str, ...]:
    # A single name may be written without a list: roles = "lead-social-worker"
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list):
        raise _expect('a list of text, e.g. ["a", "b"]', value)
    bad = [i for i, v in enumerate(value) if not isinstance(v, str)]
    if bad:
        raise _Invalid("wrong-type", f"item {bad[0] + 1} of the list is {_describe(value[bad[0]])}, "
                                     "expected text in quotes", (bad[0],))
    return tuple(value)


def _make_converter():
    from cattrs import Converter
    from cattrs.gen import make_dict_structure_fn

    conv = Converter(forbid_extra_keys=True, detailed_validation=True)
    conv.register_structure_hook(str, _structure_str)
    conv.register_structure_hook(int, _structure_int)
    conv.register_structure_hook(bool, _structure_bool)
    conv.register_structure_hook(dt.date, _structure_date)
    conv.register_structure_hook_func(lambda t: t == tuple[str, ...], _structure_names)
    conv.register_structure_hook_func(
        lambda t: isinstance(t, type) and issubclass(t, enum.Enum), _structure_enum)

    def sources(value: object, _: type) -> tuple[model.Source, ...]:
        # One citation as a table, or several as a list of tables.
        if isinstance(value, dict):
            return (conv.structure(value, model.Source),)
        if not isinstance(value, list):
            raise _expect("a table such as { doc = ..., section = ..., quote = ... } or a list of them", value)
        return structure_list(value, model.Sources)

    conv.register_structure_hook_func(lambda t: t == model.Sources, sources)

    def attrs_factory(cls: type):
        inner = make_dict_structure_fn(cls, conv, _cattrs_forbid_extra_keys=True)

        def structure(value: object, _: type):
            if not isinstance(value, dict):
                raise _expect(f"a table of keys for {_noun(cls)}", value)
            return inner(value, cls)

        return structure

    conv.register_structure_hook_factory(attrs.has, attrs_factory)
    # Durations are attrs classes but are written as text; registered after the
    # attrs factory so that this hook wins.
    conv.register_structure_hook_func(
        lambda t: isinstance(t, type) and issubclass(t, Duration), _structure_duration)

    def tuples(t: type):
        (item,) = typing.get_args(t)[:1]

        def structure(value: object, _: type):
            if not isinstance(value, list):
                raise _expect("a list [ ... ]", value)
            from cattrs.errors import IterableValidationError, IterableValidationNote

            out, errors = [], []
            for i, v in enumerate(value):
                try:
                    out.append(conv.structure(v, item))
                except Exception as exc:  # collected, then raised as a group
                    exc.__notes__ = [*getattr(exc, "__notes__", []),
                                     IterableValidationNote(f"Structuring item {i}", i, item)]
                    errors.append(exc)
            if errors:
                raise IterableValidationError("While structuring a list", errors, t)
            return tuple(out)

        return structure

    def structure_list(value: object, t: type):
        return tuples(t)(value, t)

    conv.register_structure_hook_factory(
        lambda t: typing.get_origin(t) is tuple and len(typing.get_args(t)) == 2
        and typing.get_args(t)[1] is Ellipsis and typing.get_args(t)[0] is not str
        and t != model.Sources,
        tuples)

    def unstructure_duration(d: Duration) -> str:
        return str(d)

    conv.register_unstructure_hook_func(
        lambda t: isinstance(t, type) and issubclass(t, Duration), unstructure_duration)
    conv.register_unstructure_hook(dt.date, lambda d: d.isoformat())
    return conv


@functools.cache
def _converter():
    # Built on first use so that importing procedurekit costs nothing; the
    # converter is immutable once configured, so sharing it is safe.
    return _make_converter()


def unstructure(obj: Any) -> Any:
    """Plain data (for JSON) from model objects; durations become their text."""
    return _converter().unstructure(obj)


def _noun(cls: type) -> str:
    name = re.sub(r"(?<!^)(?=[A-Z])", " ", cls.__name__).lower().lstrip("_ ")
    article = "an" if name[0] in "aeiou" else "a"
    return {"procedure header": "the procedure"}.get(name, f"{article} {name}")


def _fields(cls: type) -> list[str]:
    return [a.name for a in attrs.fields(cls)] if attrs.has(cls) else []


def _collect(exc: BaseException, key: tuple, pf: ProcedureFile, cls: type | None) -> None:
    from cattrs.errors import AttributeValidationNote, ForbiddenExtraKeysError, IterableValidationNote

    if isinstance(exc, ForbiddenExtraKeysError):
        allowed = _fields(exc.cl)
        for extra in sorted(exc.extra_fields):
            if exc.cl is model.ProcedureHeader and extra in SECTION_TYPES:
                pf.diagnostics.append(pf.diagnostic(
                    "unknown-key", f'"{extra}" is a section, not a key of [procedure]: write its items '
                    f"as tables, e.g. [{extra}.some-id], below the [procedure] table", key + (extra,)))
                continue
            close = difflib.get_close_matches(extra, allowed, n=1, cutoff=0.6)
            hint = f'; did you mean "{close[0]}"?' if close else f"; allowed keys: {', '.join(allowed)}"
            pf.diagnostics.append(pf.diagnostic(
                "unknown-key", f'unknown key "{extra}" in {_noun(exc.cl)}{hint}', key + (extra,)))
        return
    if isinstance(exc, BaseExceptionGroup):
        for sub in exc.exceptions:
            step: tuple = ()
            for note in getattr(sub, "__notes__", []):
                if isinstance(note, AttributeValidationNote):
                    step = (note.name,)
                elif isinstance(note, IterableValidationNote):
                    step = (note.index,)
            sub_cls = getattr(exc, "cl", cls)
            if isinstance(sub, KeyError) and step:
                pf.diagnostics.append(pf.diagnostic(
                    "missing-key", f'{_noun(sub_cls)} needs the key "{step[0]}"'
                    + (f": {_SOURCE_HINT}" if step[0] == "source" else ""), key))
                continue
            _collect(sub, key + step, pf, sub_cls)
        return
    if isinstance(exc, _Invalid):
        pf.diagnostics.append(pf.diagnostic(exc.code, exc.args[0], key + exc.step, at_value=True))
        return
    pf.diagnostics.append(pf.diagnostic("wrong-type", f"invalid value: {exc}", key, at_value=True))


def _structure(value: object, cls: type, key: tuple, pf: ProcedureFile) -> Any:
    try:
        return _converter().structure(value, cls)
    except Exception as exc:  # cattrs raises exception groups of many kinds
        _collect(exc, key, pf, cls if attrs.has(cls) else None)
        return None


def _build(raw: dict, pf: ProcedureFile) -> model.Procedure | None:
    if not raw:
        pf.diagnostics.append(pf.diagnostic(
            "empty-file", 'the file holds no procedure: start it with [procedure] and '
            'id = "...", title = "..."'))
        return None
    known = ("procedure", *SECTION_TYPES)
    for key in raw:
        if key not in known:
            close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
            hint = f'; did you mean "[{close[0]}]"?' if close else f"; sections are: {', '.join(known)}"
            pf.diagnostics.append(pf.diagnostic("unknown-key", f'unknown section "{key}"{hint}', (key,)))
    if "procedure" not in raw:
        pf.diagnostics.append(pf.diagnostic(
            "missing-key", 'the file needs a [procedure] table with at least id = "..." and title = "..."'))
        header = None
    else:
        header = _structure(raw["procedure"], model.ProcedureHeader, ("procedure",), pf)
    sections: dict[str, dict] = {}
    for name, cls in SECTION_TYPES.items():
        value = raw.get(name, {})
        if not isinstance(value, dict):
            pf.diagnostics.append(pf.diagnostic(
                "wrong-type", f'"{name}" must be a section of tables: [{name}.some-id]', (name,)))
            continue
        for item_id in value:
            if not _ID.match(item_id):
                pf.diagnostics.append(pf.diagnostic(
                    "bad-id", f'id "{item_id}" must be lower-case letters and digits joined by '
                    f'hyphens, e.g. "{_suggest_id(item_id)}"', (name, item_id)))
        items = _structure(value, dict[str, cls], (name,), pf)
        if items is not None:
            sections[name] = items
    if header is None or pf.diagnostics:
        return None
    if not _ID.match(header.id):
        pf.diagnostics.append(pf.diagnostic(
            "bad-id", f'procedure id "{header.id}" must be lower-case letters and digits joined by '
            f'hyphens, e.g. "{_suggest_id(header.id)}"', ("procedure", "id"), at_value=True))
        return None
    return model.Procedure(**attrs.asdict(header, recurse=False), **sections)


def _suggest_id(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "core-group"


# -- checks within one file --------------------------------------------------


def check_file(proc: model.Procedure, pf: ProcedureFile) -> list[Diagnostic]:
    """Checks that need only the file itself: choices of keys, sources present."""
    out: list[Diagnostic] = []
    if proc.calendar is not None and proc.calendar not in model.DIVISIONS:
        out.append(pf.diagnostic("bad-value", f'calendar "{proc.calendar}" is not one of '
                                 f'{", ".join(model.DIVISIONS)}', ("procedure", "calendar"), at_value=True))
    if proc.jurisdiction is not None and proc.jurisdiction not in model.JURISDICTIONS:
        out.append(pf.diagnostic("bad-value", f'jurisdiction "{proc.jurisdiction}" is not one of '
                                 f'{", ".join(model.JURISDICTIONS)}', ("procedure", "jurisdiction"),
                                 at_value=True))
    if proc.extends == proc.id:
        out.append(pf.diagnostic("extends-cycle", f'procedure "{proc.id}" extends itself',
                                 ("procedure", "extends"), at_value=True))
    for item_id in set(proc.events) & set(proc.meetings):
        out.append(pf.diagnostic("duplicate-id", f'"{item_id}" is defined both as an event and as a '
                                 "meeting; a meeting is already an event, so remove the [events] entry",
                                 ("events", item_id)))
    for section in RULE_SECTIONS:
        for item_id, item in proc.section(section).items():
            if not item.source:
                out.append(pf.diagnostic("missing-source", f'{section[:-1]} "{item_id}" has no source: '
                                         f"{_SOURCE_HINT}", (section, item_id)))
    for item_id, meeting in proc.meetings.items():
        rules = [("minutes", meeting.minutes), ("quorum", meeting.quorum)]
        if meeting.chair:
            rules += [(f"chair.{k}", getattr(meeting.chair, k)) for k in ("each", "first", "subsequent", "fallback")]
        for name, rule in rules:
            if rule is not None and not rule.source:
                out.append(pf.diagnostic("missing-source", f'meeting "{item_id}" {name} rule has no source: '
                                         f"{_SOURCE_HINT}", ("meetings", item_id, *name.split("."))))
    for item_id, ob in proc.obligations.items():
        out.extend(_check_timing(ob, ("obligations", item_id), pf))
    for item_id, pathway in proc.pathways.items():
        for i, step in enumerate(pathway.steps):
            if bool(step.role) == bool(step.meeting):
                out.append(pf.diagnostic("conflicting-keys", 'each step needs exactly one of "role" '
                                         '(someone to go to) or "meeting" (a meeting to convene)',
                                         ("pathways", item_id, "steps", i)))
    return out


def _check_timing(ob: model.Obligation, key: tuple, pf: ProcedureFile) -> list[Diagnostic]:
    out = []

    def conflict(message: str, field: str) -> None:
        out.append(pf.diagnostic("conflicting-keys", message, key + (field,)))

    if ob.after and ob.before:
        conflict('use either "after" or "before", not both: a deadline counts from one event', "before")
    if ob.within and not (ob.after or ob.before):
        conflict('"within" needs the event it counts from: add after = "..." or before = "..."', "within")
    if ob.timescale and (ob.within or ob.every or ob.alternatives):
        conflict(f'timescale = "{ob.timescale.value}" means the procedure sets no number, so it cannot '
                 'be used with "within", "every" or "alternatives"', "timescale")
    if ob.set_by and ob.timescale is not model.Timescale.SET_PER_CASE:
        conflict('"set_by" goes with timescale = "set-per-case"', "set_by")
    if ob.alternatives and ob.within:
        conflict('put every deadline in "alternatives" and drop "within"', "within")
    if ob.alternatives and ob.combine is None:
        conflict('"alternatives" needs combine = "sooner" or combine = "later" '
                 '("whichever is sooner/later")', "alternatives")
    if ob.combine is not None and len(ob.alternatives) < 2:
        conflict('"combine" needs at least two "alternatives"', "combine")
    for i, alt in enumerate(ob.alternatives):
        if bool(alt.after) == bool(alt.before):
            conflict('each alternative needs exactly one of "after" or "before"', "alternatives")
            break
    if ob.every and not (ob.meeting or ob.document or ob.what):
        conflict('a recurring obligation needs a "meeting", "document" or "what" that recurs', "every")
    if ob.until and not ob.every:
        conflict('"until" ends a recurrence: add every = "..." or drop "until"', "until")
    if ob.meeting and ob.document:
        conflict('an obligation is about one "meeting" or one "document", not both', "document")
    if not (ob.what or ob.meeting or ob.document):
        out.append(pf.diagnostic("missing-key", 'an obligation needs "what" (in words), "meeting" '
                                 'or "document" to say what is owed', key))
    return out
