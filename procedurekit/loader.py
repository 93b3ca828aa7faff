"""Read one procedure file: TOML text -> :class:`~procedurekit.model.Procedure`.

Every problem becomes a :class:`~procedurekit.diagnostics.Diagnostic` at the
line and column of the offending key or value, and all problems of a file are
reported together. Checks that need other procedures (references to items a
baseline defines, ``extends``) happen in :mod:`procedurekit.host.library`.
"""

from __future__ import annotations

import re
import stat
import typing
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from procedurekit import model
from procedurekit.converter import InvalidValue, input_errors, missing_key, noun, structure, unstructure
from procedurekit.diagnostics import Diagnostic, Severity
from procedurekit.positions import PositionIndex, TooDeep, too_deep

if TYPE_CHECKING:
    import tomllib

__all__ = [
    "ProcedureFile", "load_file", "load_bytes", "load_text", "MAX_FILE_BYTES", "unstructure",
    "SECTION_TYPES", "RULE_SECTIONS", "ID_PATTERN", "is_id", "suggest_id", "check_file",
]

#: Largest procedure file accepted. Real procedures are tens of kilobytes.
MAX_FILE_BYTES = 2 * 1024 * 1024

#: what an id (of a procedure or an item) looks like: lower-case words and digits joined by hyphens
ID_PATTERN = "^[a-z0-9]+(-[a-z0-9]+)*$"
_ID = re.compile(ID_PATTERN)


def is_id(text: str) -> bool:
    """Whether *text* is a valid procedure or item id."""
    return _ID.match(text) is not None


def suggest_id(text: str, default: str = "core-group") -> str:
    """An id made from *text*: "Core Group" -> "core-group" (*default* if nothing is left)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or default


def _section_types() -> dict[str, type]:
    hints = typing.get_type_hints(model.Procedure)
    return {name: typing.get_args(hints[name])[1] for name in model.SECTIONS}


#: section -> item class, in the model's order (read from ``Procedure``'s ``Mapping[str, Item]`` fields)
SECTION_TYPES: Mapping[str, type] = _section_types()

#: sections whose items are rules and so must cite a source
#: sections whose items carry a strength of their own (a meeting's rules carry theirs)
RULE_SECTIONS = tuple(s for s in model.RULE_SECTIONS if s != "meetings")

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
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):
            # reading a FIFO would wait for a writer forever; a device could be endless
            return _failed(display, "not-a-file", "not an ordinary file (a FIFO, device or socket): "
                           "procedurekit reads procedures only from ordinary files; remove it or move it away",
                           plugin)
        size = status.st_size
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
    deep = too_deep(text)
    if deep is not None:
        line, col, what = deep
        pf.diagnostics.append(Diagnostic("too-deep", f"{what}: a procedure never needs this", path, line, col,
                                         plugin=plugin))
        return pf
    import tomllib  # here, not at the top: a command whose files are all cached parses none

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
    if isinstance(header, dict) and isinstance(header.get("id"), str) and is_id(header["id"]):
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


# within = 10 working days: a duration written without its quotes
_UNQUOTED_DURATION = re.compile(r"^\s*(?P<key>[A-Za-z0-9_-]+)\s*=\s*(?P<value>\d+\s*[A-Za-z][A-Za-z ]*?)\s*(#.*)?$")


def _syntax_diagnostic(exc: tomllib.TOMLDecodeError, text: str, path: str, plugin: str | None) -> Diagnostic:
    raw = str(exc)
    m = _TOML_POS.match(raw)
    msg = m["msg"] if m else raw
    lines = text.splitlines()
    if m and m["line"]:
        line, col = int(m["line"]), int(m["col"])
    else:  # "at end of document"
        line, col = max(len(lines), 1), len(lines[-1]) + 1 if lines else 1
    source_line = lines[line - 1] if 0 < line <= len(lines) else None
    code, hint = "toml-syntax", None
    for pattern, pattern_code, pattern_hint in _SYNTAX_HINTS:
        if pattern.search(msg):
            code, hint = pattern_code, pattern_hint
            break
    declared = re.match(r"Cannot declare \((.*)\) twice", msg)
    if declared:
        msg = f"[{'.'.join(p.strip().strip(chr(39)) for p in declared[1].split(','))}] is declared twice"
    if code == "duplicate-id" and source_line is not None:
        # tomllib points past the repeated value; point at the start of its line instead
        col = len(source_line) - len(source_line.lstrip()) + 1
    message = msg[0].lower() + msg[1:] if msg else "invalid TOML"
    unquoted = _UNQUOTED_DURATION.match(source_line) if source_line is not None else None
    if unquoted:
        hint = f'put the duration in quotes: {unquoted["key"]} = "{unquoted["value"].strip()}"'
    if hint:
        message += f": {hint}"
    return Diagnostic(code, message, path, line, col, plugin=plugin)


# -- structuring -----------------------------------------------------------


def _fields(cls: type) -> list[str]:
    return [a.name for a in attrs.fields(cls)] if attrs.has(cls) else []


def _unknown_keys(exc: Any, key: tuple, pf: ProcedureFile) -> None:
    """Diagnostics for cattrs' ForbiddenExtraKeysError: each unknown key, with the nearest known one."""
    import difflib  # only to suggest a spelling

    allowed = _fields(exc.cl)
    for extra in sorted(exc.extra_fields):
        if exc.cl is model.ProcedureHeader and extra in SECTION_TYPES:
            pf.diagnostics.append(pf.diagnostic(
                "unknown-key", f'"{extra}" is a section, not a key of [procedure]: write its items '
                f"as tables, e.g. [{extra}.some-id], below the [procedure] table", key + (extra,)))
            continue
        close = difflib.get_close_matches(extra, allowed, n=1, cutoff=0.6)
        hint = f'; did you mean "{close[0]}"?' if close else f"; allowed keys: {', '.join(allowed)}"
        if exc.cl in (model.Chairing, model.ChairRule) and not close:
            meeting = key[1] if len(key) > 1 and key[0] == "meetings" else "ID"
            hint += (f"; a chair that depends on a circumstance is a [[meetings.{meeting}.chair.conditional]] "
                     'table with when = ["a-condition"] and roles = ["a-role"]')
        pf.diagnostics.append(pf.diagnostic(
            "unknown-key", f'unknown key "{extra}" in {noun(exc.cl)}{hint}', key + (extra,)))


def _step(exc: BaseException) -> tuple:
    """Where in its table or list an error of a cattrs group happened, from cattrs' notes."""
    from cattrs.errors import AttributeValidationNote, IterableValidationNote

    step: tuple = ()
    for note in getattr(exc, "__notes__", []):
        if isinstance(note, AttributeValidationNote):
            step = (note.name,)
        elif isinstance(note, IterableValidationNote):
            step = (note.index,)
    return step


def _collect(exc: BaseException, key: tuple, pf: ProcedureFile, cls: type | None) -> None:
    """Diagnostics for one error of :func:`procedurekit.converter.input_errors`, groups included."""
    from cattrs.errors import ForbiddenExtraKeysError

    if isinstance(exc, ForbiddenExtraKeysError):
        _unknown_keys(exc, key, pf)
    elif isinstance(exc, BaseExceptionGroup):
        sub_cls = getattr(exc, "cl", cls)
        for sub in exc.exceptions:
            name = missing_key(sub)
            if name is not None:
                pf.diagnostics.append(pf.diagnostic(
                    "missing-key", f'{noun(sub_cls)} needs the key "{name}"'
                    + (f": {_SOURCE_HINT}" if name == "source" else ""), key))
            else:
                _collect(sub, key + _step(sub), pf, sub_cls)
    elif isinstance(exc, InvalidValue):
        pf.diagnostics.append(pf.diagnostic(exc.code, exc.args[0], key + exc.step, at_value=True))
    else:  # structure() lets no other error through
        raise exc


def _structure(value: object, cls: type, key: tuple, pf: ProcedureFile) -> Any:
    """*value* as a *cls*, or ``None`` with a diagnostic for each way its shape is wrong.

    Only input of the wrong shape is reported: an error in procedurekit's own
    code propagates (the command line reports it as an internal error).
    """
    try:
        return structure(value, cls)
    except input_errors() as exc:
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
            import difflib  # only to suggest a spelling

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
            if not is_id(item_id):
                pf.diagnostics.append(pf.diagnostic(
                    "bad-id", f'id "{item_id}" must be lower-case letters and digits joined by '
                    f'hyphens, e.g. "{suggest_id(item_id)}"', (name, item_id)))
        items = _structure(value, dict[str, cls], (name,), pf)
        if items is not None:
            sections[name] = items
    if header is None or pf.diagnostics:
        return None
    if not is_id(header.id):
        pf.diagnostics.append(pf.diagnostic(
            "bad-id", f'procedure id "{header.id}" must be lower-case letters and digits joined by '
            f'hyphens, e.g. "{suggest_id(header.id)}"', ("procedure", "id"), at_value=True))
        return None
    return model.Procedure(**attrs.asdict(header, recurse=False), **sections)


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
            rules += [(f"chair.conditional.{i}", rule) for i, rule in enumerate(meeting.chair.conditional)]
        for name, rule in rules:
            if rule is not None and not rule.source:
                key = tuple(int(k) if k.isdigit() else k for k in name.split("."))
                out.append(pf.diagnostic("missing-source", f'meeting "{item_id}" {name} rule has no source: '
                                         f"{_SOURCE_HINT}", ("meetings", item_id, *key)))
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

    if ob.after and ob.before and ob.alternatives:
        conflict('"after" with "before" (before the next one) cannot go with "alternatives": put each '
                 'deadline in "alternatives"', "before")
    if ob.within and not (ob.after or ob.before):
        conflict('"within" needs the event it counts from: add after = "..." or before = "..."', "within")
    if ob.timescale and (ob.within or ob.every or ob.alternatives):
        conflict(f'timescale = "{ob.timescale.value}" means the procedure sets no number, so it cannot '
                 'be used with "within", "every" or "alternatives"', "timescale")
    if ob.set_by and ob.timescale is not model.Timescale.SET_PER_CASE:
        conflict('"set_by" goes with timescale = "set-per-case"', "set_by")
    if ob.every and ob.within:
        conflict('"every" (a recurrence) and "within" (one deadline) cannot go together: write two '
                 'obligations, one with occurrence = "first" and within, one with occurrence = '
                 '"subsequent" and every', "every")
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
