"""A generated corpus of hostile inputs: procedure files, case files, CSVs, command lines, plugin folders
and injection payloads, each with the exit status and diagnostic code procedurekit must answer with.

Kept small on disk: every input is built here, the large ones when the test runs. ``tests/test_hostile.py``
runs each through the command line. The categories are listed in docs/errors.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

#: a valid procedure every procedure mutation starts from
PROCEDURE = '''[procedure]
id = "hostile"
title = "Hostile"
extends = "england"

[sources.local]
title = "Local procedure"

[obligations.first]
meeting = "core-group"
occurrence = "first"
within = "10 working days"
after = "icpc"
strength = "must"
source = { doc = "local", section = "1", quote = "q" }
'''

CASE = '''id = "c1"
conditions = []

[[events]]
event = "icpc"
date = 2024-02-05

[[events]]
event = "core-group"
date = 2024-02-12
'''

CSV_HEADER = b"case_id,event,date\n"
CSV_GOOD = b"C1,icpc,2024-02-05\nC1,core-group,2024-02-12\n"


@dataclass
class Hostile:
    """One hostile input: files to write, the command to run on them, and what it must answer."""

    name: str
    category: str
    argv: list[str]
    exit: int
    code: str | None = None  # a diagnostic code (or words) the output must hold
    files: dict[str, bytes | Callable[[], bytes]] = field(default_factory=dict)
    fifos: tuple[str, ...] = ()
    untouched: tuple[str, ...] = ()  # files that must be byte for byte the same afterwards
    forbidden: tuple[str, ...] = ()  # text the output must not hold (injection)


def _procedure(name: str, text: str | bytes, exit: int, code: str | None, category: str = "procedure",
               command: str = "validate") -> Hostile:
    data = text.encode() if isinstance(text, str) else text
    argv = [command, "{dir}/hostile.toml"] if command == "validate" else ["fmt", "{dir}/hostile.toml"]
    return Hostile(f"{category}/{name}", category, argv, exit, code, {"hostile.toml": data},
                   untouched=("hostile.toml",) if command == "fmt" else ())


def _replace(old: str, new: str) -> str:
    assert old in PROCEDURE, old
    return PROCEDURE.replace(old, new, 1)


BAD_DURATIONS = [
    "10 workin days", "ten working days", "10", "", "10 dayz", "-3 days", "1.5 weeks", "10 wd", "10d", "P10D",
    "10 working days and 2 weeks", "10 years", "0x10 days", "100000 months", "4-weekly", "fortnightly", "monthly",
    "10 working", "working days", "days", "10 working days!", "1e3 days", "10 weeks ago", "∞ days", "10 月",
]
WRONG_TYPES = [
    ('within = "10 working days"', "within = 10", "bad-duration"),
    ('within = "10 working days"', "within = true", "bad-duration"),
    ('within = "10 working days"', 'within = ["10 working days"]', "bad-duration"),
    ('strength = "must"', "strength = 1", "wrong-type"),
    ('strength = "must"', "strength = true", "wrong-type"),
    ('occurrence = "first"', "occurrence = 1", "wrong-type"),
    ('occurrence = "first"', 'occurrence = ["first"]', "wrong-type"),
    ('after = "icpc"', "after = 1", "wrong-type"),
    ('after = "icpc"', 'after = { event = "icpc" }', "wrong-type"),
    ('meeting = "core-group"', "meeting = 3", "wrong-type"),
    ('source = { doc = "local", section = "1", quote = "q" }', 'source = "local"', "wrong-type"),
    ('source = { doc = "local", section = "1", quote = "q" }', "source = 3", "wrong-type"),
    ('source = { doc = "local", section = "1", quote = "q" }', 'source = { doc = 1 }', "wrong-type"),
    ('title = "Hostile"', "title = 5", "wrong-type"),
    ('title = "Hostile"', "title = [1, 2]", "wrong-type"),
    ('extends = "england"', "extends = true", "wrong-type"),
    ('[obligations.first]', "[obligations.first]\nwhen = 5", "wrong-type"),
    ('[obligations.first]', "[obligations.first]\nnot_immediately = \"yes\"", "wrong-type"),
    ('[obligations.first]', "[obligations.first]\nrecipients = 1", "wrong-type"),
    ('[obligations.first]', "[obligations.first]\nreadings = \"15 days\"", "wrong-type"),
]
BAD_VALUES = ["shall", "Must", "required", "", "MUST", "must ", "should not", "mandatory", "optional?", "1"]
UNKNOWN_KEYS = [
    ('title = "Hostile"', 'title = "Hostile"\ntitel = "x"'),
    ('strength = "must"', 'strength = "must"\nstrenght = "must"'),
    ('strength = "must"', 'strength = "must"\nwithn = "5 days"'),
    ('title = "Local procedure"', 'title = "Local procedure"\nlink = "x"'),
    ('section = "1"', 'section = "1", page = 3'),
    ('[obligations.first]', '[meetings.core-group.chair]\nwhen-looked-after = { roles = ["x"], strength = "must" }'
     '\n\n[obligations.first]'),
    ('[obligations.first]', '[obligationz.first]\nwhat = "x"\n\n[obligations.first]'),
    ('[obligations.first]', '[meetings.core-group]\nnmae = "x"\n\n[obligations.first]'),
    ('[obligations.first]', '[roles.x]\nname = "X"\nfoo = 1\n\n[obligations.first]'),
    ('[obligations.first]', '[events.x]\nname = "X"\nwhen = "now"\n\n[obligations.first]'),
    ('extends = "england"', 'extends = "england"\nobligations = 3'),
    ('[obligations.first]', '[periods.x]\nname = "X"\nstart = "icpc"\n\n[obligations.first]'),
]
REFERENCES = [
    ('after = "icpc"', 'after = "nope"'), ('after = "icpc"', 'after = "ICPC"'),
    ('meeting = "core-group"', 'meeting = "nope"'), ('doc = "local"', 'doc = "nope"'),
    ('[obligations.first]', '[obligations.first]\nowner = "nope"'),
    ('[obligations.first]', '[obligations.first]\nwhen = ["nope"]'),
    ('[obligations.first]', '[obligations.first]\nunless = ["nope"]'),
    ('[obligations.first]', '[obligations.first]\nrecipients = ["nope"]'),
    ('[obligations.first]', '[obligations.first]\nduring = "nope"'),
    ('after = "icpc"', 'after = "core group"'),
]


def procedure_inputs() -> Iterator[Hostile]:
    for i, duration in enumerate(BAD_DURATIONS):
        yield _procedure(f"duration-{i}", _replace('within = "10 working days"', f'within = "{duration}"'), 1,
                         "bad-duration")
        valid = duration in ("fortnightly", "monthly", "4-weekly")  # frequencies: right for every
        yield _procedure(f"every-{i}", _replace('occurrence = "first"\nwithin = "10 working days"\nafter = "icpc"',
                                                f'occurrence = "subsequent"\nevery = "{duration}"'),
                         0 if valid else 1, "no problems" if valid else "bad-duration")
    for i, (old, new, code) in enumerate(WRONG_TYPES):
        yield _procedure(f"type-{i}", _replace(old, new), 1, code)
    for i, value in enumerate(BAD_VALUES):
        yield _procedure(f"strength-{i}", _replace('strength = "must"', f'strength = "{value}"'), 1, "bad-value")
    for i, (old, new) in enumerate(UNKNOWN_KEYS):
        yield _procedure(f"unknown-key-{i}", _replace(old, new), 1, "unknown-key")
    for i, (old, new) in enumerate(REFERENCES):
        yield _procedure(f"reference-{i}", _replace(old, new), 1, "undefined-reference")
    yield from _structure()
    yield from _bytes()
    data = PROCEDURE.encode()
    for cut in range(7, len(data) - 1, 11):  # cut anywhere: never a crash, and never valid by accident
        yield _procedure(f"truncated-{cut}", data[:cut], 1, None)


def _structure() -> Iterator[Hostile]:
    yield _procedure("duplicate-table", PROCEDURE + '\n[obligations.first]\nwhat = "x"\n', 1, "duplicate-id")
    yield _procedure("duplicate-key", _replace('strength = "must"', 'strength = "must"\nstrength = "may"'), 1,
                     "duplicate-id")
    yield _procedure("extends-self", _replace('extends = "england"', 'extends = "hostile"'), 1, "extends-cycle")
    yield _procedure("extends-unknown", _replace('extends = "england"', 'extends = "engl"'), 1, "unknown-procedure")
    yield _procedure("no-procedure", PROCEDURE.split("[sources.local]")[1], 1, None)
    yield _procedure("bad-id", _replace('id = "hostile"', 'id = "Hostile Area"'), 1, "bad-id")
    yield _procedure("every-and-within", _replace('within = "10 working days"',
                                                  'within = "10 working days"\nevery = "4 weeks"'), 1,
                     "conflicting-keys")
    yield _procedure("relaxes-floor", _replace('within = "10 working days"', 'within = "20 working days"').replace(
        "[obligations.first]", "[obligations.core-group-first]"), 0, "relaxes-floor")
    yield _procedure("missing-strength", _replace('strength = "must"\n', ""), 1, "missing-key")
    yield _procedure("missing-source", _replace('source = { doc = "local", section = "1", quote = "q" }\n', ""),
                     1, "missing-source")
    yield _procedure("group-cycle", PROCEDURE + '\n[events.a]\nname = "A"\nincludes = ["b"]\n\n'
                     '[events.b]\nname = "B"\nincludes = ["a"]\n', 1, "bad-value")
    cycle_a = '[procedure]\nid = "a"\ntitle = "A"\nextends = "b"\n'
    cycle_b = '[procedure]\nid = "b"\ntitle = "B"\nextends = "a"\n'
    yield Hostile("procedure/extends-loop", "procedure", ["--plugin-dir", "{dir}/loop", "validate"], 1,
                  "extends-cycle", {"loop/a.toml": cycle_a.encode(), "loop/b.toml": cycle_b.encode()})
    yield Hostile("procedure/duplicate-procedure", "procedure", ["--plugin-dir", "{dir}/dup", "validate"], 1,
                  "duplicate-procedure", {"dup/one.toml": PROCEDURE.encode(), "dup/two.toml": PROCEDURE.encode()})


def _bytes() -> Iterator[Hostile]:
    data = PROCEDURE.encode()
    for i in (0, 10, 60, len(data) - 2):
        yield _procedure(f"nul-{i}", data[:i] + b"\x00" + data[i:], 1, "encoding")
        yield _procedure(f"latin1-{i}", data[:i] + b"\xe9" + data[i:], 1, "encoding")
    yield _procedure("bom", b"\xef\xbb\xbf" + data, 0, "no problems")
    yield _procedure("crlf", data.replace(b"\n", b"\r\n"), 0, "no problems")
    yield _procedure("empty", b"", 1, "empty-file")
    yield _procedure("comments-only", b"# nothing\n# here\n", 1, "empty-file")
    yield _procedure("nested-arrays", b'[procedure]\nid = "x"\ntitle = "X"\nx = ' + b"[" * 5000 + b"]" * 5000, 1,
                     "too-deep")
    yield _procedure("nested-tables", b'[procedure]\nid = "x"\ntitle = "X"\nx = ' + b"{a=" * 3000 + b"1"
                     + b"}" * 3000, 1, "too-deep")
    yield _procedure("dotted-key", b'[procedure]\nid = "x"\ntitle = "X"\n' + b".".join([b"a"] * 20000) + b" = 1\n",
                     1, "too-deep")
    yield _procedure("dotted-table", b'[procedure]\nid = "x"\ntitle = "X"\n[' + b".".join([b"a"] * 20000) + b"]\n",
                     1, "too-deep")
    yield Hostile("procedure/too-large", "procedure", ["validate", "{dir}/hostile.toml"], 1, "file-too-large",
                  {"hostile.toml": lambda: data + b"# " + b"x" * (3 * 1024 * 1024) + b"\n"})
    yield Hostile("procedure/fifo", "procedure", ["validate", "{dir}/hostile.toml"], 1, "not-a-file",
                  fifos=("hostile.toml",))
    yield Hostile("procedure/fifo-in-folder", "procedure", ["--plugin-dir", "{dir}/plugin", "validate"], 1,
                  "not-a-file", {"plugin/good.toml": data}, fifos=("plugin/stuck.toml",))


def fmt_inputs() -> Iterator[Hostile]:
    """fmt on every bad procedure: reported, exit 1, the file byte for byte as it was."""
    # a file whose problems are only between procedures (references, extends) loads, so it is formatted
    between = ("procedure/reference-", "procedure/extends-", "procedure/group-cycle", "procedure/relaxes-floor")
    for item in procedure_inputs():
        if item.exit != 1 or item.argv[0] != "validate" or item.fifos or "hostile.toml" not in item.files \
                or item.name.startswith(between):
            continue
        yield Hostile(item.name.replace("procedure/", "fmt/"), "fmt", ["fmt", "{dir}/hostile.toml"], 1,
                      None if item.code in ("missing-source", "bad-value") else item.code,
                      item.files, untouched=("hostile.toml",))
    yield Hostile("fmt/pyproject", "fmt", ["fmt", "{dir}/pyproject.toml"], 1, "missing-key",
                  {"pyproject.toml": b'[project]\nname = "x"  # keep\n'}, untouched=("pyproject.toml",))
    yield Hostile("fmt/fifo", "fmt", ["fmt", "{dir}/hostile.toml"], 1, "not-a-file", fifos=("hostile.toml",))


def case_inputs() -> Iterator[Hostile]:
    def case(name: str, text: str | bytes, code: str | None, suffix: str = "toml", exit: int = 1) -> Hostile:
        data = text.encode() if isinstance(text, str) else text
        return Hostile(f"case/{name}", "case", ["schedule", "england", f"{{dir}}/case.{suffix}", "--today",
                                                "2024-06-01"], exit, code, {f"case.{suffix}": data},
                       untouched=(f"case.{suffix}",))

    yield case("date-syntax", CASE.replace("date = 2024-02-05", "date = 2024-13-01", 1), "toml-syntax")
    for i, date in enumerate(['"yesterday"', '"2024-02-30"', "20240101", '"01/02/2024"', '""',
                              "true", "[2024-01-01]"]):
        yield case(f"date-{i}", CASE.replace("date = 2024-02-05", f"date = {date}", 1), "wrong-type")
    for i, event in enumerate(["ICPC", "nope", "", "core group", "icpc "]):
        yield case(f"event-{i}", CASE.replace('event = "icpc"', f'event = "{event}"', 1), "undefined-reference")
    for i, status in enumerate(["done", "HELD?", "", "1"]):
        yield case(f"status-{i}", CASE.replace("date = 2024-02-05", f'date = 2024-02-05\nstatus = "{status}"', 1),
                   "bad-value")
    for i, setting in enumerate(['"6 weaks"', "6", '"ten days"', "[1]", '"100000 months"']):
        yield case(f"setting-{i}", CASE.replace("conditions = []", f"conditions = []\n[settings]\n"
                                                f"core-group-subsequent = {setting}", 1), "bad-duration")
    yield case("setting-unknown", CASE.replace("conditions = []", 'conditions = []\n[settings]\nnope = "6 weeks"'),
               "undefined-reference")
    for i, (old, new, code) in enumerate([
        ("conditions = []", 'conditions = "x"', "wrong-type"), ("conditions = []", "conditions = [1]", "wrong-type"),
        ('id = "c1"', 'id = "c1"\nevents = "x"', None), ("conditions = []", "conditions = []\nextra = 1", "unknown-key"),
        ('event = "icpc"', "event = 1", "missing-key"), ("[[events]]", "[events]", None),
        ('id = "c1"', 'id = "c1"\nsettings = 3', "wrong-type"),
    ]):
        yield case(f"shape-{i}", CASE.replace(old, new, 1), code)
    data = CASE.encode()
    for cut in range(5, len(data) - 1, 9):
        yield case(f"truncated-{cut}", data[:cut], None)
    yield case("nul", data[:20] + b"\x00" + data[20:], None)
    yield case("latin1", data[:20] + b"\xe9" + data[20:], "unreadable")
    yield case("nested", b"x = " + b"[" * 5000 + b"]" * 5000, "too-deep")
    yield case("dotted", b".".join([b"a"] * 20000) + b" = 1\n", "too-deep")
    yield case("empty", b"", "PROVISIONAL", exit=0)  # a case with no events yet
    yield case("json-bad", b'{"id": "c", "events": [{"event": "icpc", "date": "2024-02-30"}]}', "wrong-type", "json")
    yield case("json-syntax", b'{"id": "c", "events": [', None, "json")
    yield case("json-list", b"[1, 2]", "wrong-type", "json")
    yield case("held-after-today", CASE.replace("date = 2024-02-12", "date = 2025-02-12\nstatus = \"held\""),
               None, exit=0)
    yield Hostile("case/fifo", "case", ["schedule", "england", "{dir}/case.toml", "--today", "2024-06-01"], 1,
                  "not-a-file", fifos=("case.toml",))


BAD_LINES = [
    (b'C2,"icpc,2024-02-05\n', "bad-row"), (b"C2,ic\xe9pc,2024-02-05\n", "bad-row"),
    (b"C2,icpc,2024-02-05\x00\n", "bad-row"), (b"C2,icpc,2024-02-05,x,y\n", "bad-row"),
    (b"C2,icpc,2738-03-01\n", "bad-value"), (b"C2,icpc\n", "missing-key"), (b",icpc,2024-02-05\n", "missing-key"),
    (b"C2,nope,2024-02-05\n", "undefined-reference"), (b"C2,icpc,2024-02-30\n", "wrong-type"),
    (b"C2,icpc,05/02/2024\n", "wrong-type"), (b'C2,icpc,"2024-02-05"x\n', "bad-row"), (b"\n", "missing-key"),
    (b"C2;icpc;2024-02-05\n", "missing-key"), (b"\xff\xfe\n", "bad-row"),
]


def csv_inputs() -> Iterator[Hostile]:
    def audit(name: str, data: bytes | Callable[[], bytes], exit: int, code: str | None,
              columns: bytes = CSV_HEADER) -> Hostile:
        body = data if callable(data) else columns + data
        return Hostile(f"csv/{name}", "csv", ["audit", "england", "{dir}/cases.csv", "--today", "2024-06-01"],
                       exit, code, {"cases.csv": body}, untouched=("cases.csv",))

    for i, (line, code) in enumerate(BAD_LINES):
        yield audit(f"first-{i}", line + CSV_GOOD, 1, code)
        yield audit(f"middle-{i}", CSV_GOOD + line + CSV_GOOD.replace(b"C1", b"C3"), 1, code)
        if line.strip():  # a blank last line is only the file's final newline
            yield audit(f"last-{i}", CSV_GOOD + line.rstrip(b"\n"), 1, code)
    yield audit("long-line", lambda: CSV_HEADER + CSV_GOOD + b"C2," + b"a" * (10 * 1024 * 1024) + b",x\n", 1, "bad-row")
    yield audit("empty", lambda: b"", 1, "empty-file")
    yield audit("header-only", b"", 0, "0 rows read")
    yield audit("no-header", lambda: CSV_GOOD, 1, "missing-key")
    yield audit("bad-header", lambda: b"case,event,date\n" + CSV_GOOD, 1, "missing-key")
    yield audit("latin1-header", lambda: b"case_id,\xe9vent,date\n" + CSV_GOOD, 1, "missing-key")
    yield audit("bom", lambda: b"\xef\xbb\xbf" + CSV_HEADER + CSV_GOOD, 0, "2 rows read: 2 used")
    yield audit("crlf", lambda: (CSV_HEADER + CSV_GOOD).replace(b"\n", b"\r\n"), 0, "2 rows read: 2 used")
    yield audit("unknown-column", CSV_GOOD.replace(b"\n", b",yes\n"), 1, "unknown-key",
                b"case_id,event,date,colour\n")
    yield audit("bad-status", b"C1,icpc,2024-02-05,done\n", 1, "bad-value", b"case_id,event,date,status\n")
    yield audit("held-after-today", b"C1,icpc,2025-02-05,held\n", 1, "bad-value", b"case_id,event,date,status\n")
    yield audit("outside-calendar", b"C1,icpc,2011-02-07\n", 1, "not audited")
    yield audit("formula-case-id", b"=1+1,icpc,2024-02-05\n", 0, None)
    yield Hostile("csv/fifo", "csv", ["audit", "england", "{dir}/cases.csv", "--today", "2024-06-01"], 1,
                  "not-a-file", fifos=("cases.csv",))


def cli_inputs() -> Iterator[Hostile]:
    case = {"case.toml": CASE.encode()}

    def cli(name: str, argv: list[str], exit: int, code: str | None, files: dict | None = None) -> Hostile:
        return Hostile(f"cli/{name}", "cli", argv, exit, code, files if files is not None else dict(case),
                       untouched=tuple(files if files is not None else case))

    for i, today in enumerate(["tomorrow", "2024-13-01", "2024/01/01", "", "01-02-2024", "2024-02-30", "x" * 1000]):
        yield cli(f"today-{i}", ["schedule", "england", "{dir}/case.toml", "--today", today], 2, "is not a date")
    for i, command in enumerate([["show", "nope"], ["render", "nope"], ["compare", "england", "nope"],
                                 ["schedule", "nope", "{dir}/case.toml"], ["validate", "nope"],
                                 ["show", "England"], ["compare", "--baseline", "nope", "england"]]):
        yield cli(f"unknown-id-{i}", command, 2, None)
    for i, command in enumerate([["show", "england", "--format", "yaml"], ["schedule", "england", "{dir}/case.toml",
                                 "--format", "pdf"], ["compare", "england", "wales", "--fail-on", "worse"],
                                 ["calendar", "add", "2024-01-01", "10 workin days"],
                                 ["calendar", "add", "2024-02-30", "10 days"],
                                 ["calendar", "add", "2024-01-01", "100000 months"],
                                 ["calendar", "add", "2024-01-01", "10 days", "--calendar", "mars"],
                                 ["schedule", "england"], ["fmt"], ["new", "Bad Name", "--directory", "{dir}/x"]]):
        yield cli(f"usage-{i}", command, 2 if i != 9 else 1, None)
    yield cli("calendar-outside", ["calendar", "add", "2035-01-01", "10 working days"], 1, "outside")
    yield cli("calendar-before", ["calendar", "add", "2005-01-01", "10 working days"], 1, "check the year")
    yield cli("output-is-input", ["schedule", "england", "{dir}/case.toml", "-o", "{dir}/case.toml"], 2,
              "is one of this command's inputs")
    yield cli("output-missing-folder", ["schedule", "england", "{dir}/case.toml", "-o", "{dir}/no/such/out.txt"], 2,
              "does not exist")
    yield cli("output-audit-is-input", ["audit", "england", "{dir}/cases.csv", "-o", "{dir}/cases.csv"], 2,
              "is one of this command's inputs", {"cases.csv": CSV_HEADER + CSV_GOOD})
    for i, partnership in enumerate(["A\nB", "\x00", "Tab\tname", "   "]):
        yield cli(f"new-partnership-{i}", ["new", "goodshire", "--directory", "{dir}/p", "--partnership",
                                           partnership], 1, "one line of printable text", {})
    yield cli("plugin-dir-missing", ["--plugin-dir", "{dir}/nowhere", "validate"], 1, "plugin-error", {})


INJECTIONS = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))", "=cmd|' /C calc'!A0",
    '"><svg onload=alert(1)>', "&lt;b&gt;", "</td></tr></table><script>alert(1)</script>",
]


def injection_inputs() -> Iterator[Hostile]:
    for i, payload in enumerate(INJECTIONS):
        escaped = payload.replace("\\", "\\\\").replace('"', '\\"')
        text = _replace('title = "Hostile"', f'title = "{escaped}"').replace(
            'quote = "q"', f'quote = "{escaped}"').replace(
            'title = "Local procedure"', 'title = "Local"\nurl = "javascript:alert(1)"')
        files = {"plugin/hostile.toml": text.encode()}
        forbidden = ("<script>alert", "<img src=x", "<svg onload", 'href="javascript')
        for fmt_name, argv in [("render-html", ["render", "hostile", "--format", "html"]),
                               ("render-md", ["render", "hostile", "--format", "markdown"]),
                               ("compare-html", ["compare", "england", "hostile", "--format", "html"]),
                               ("compare-md", ["compare", "england", "hostile", "--format", "markdown"])]:
            yield Hostile(f"injection/{fmt_name}-{i}", "injection", ["--plugin-dir", "{dir}/plugin", *argv], 0, None,
                          files, forbidden=forbidden)
    # a TOML-only plugin folder runs no code, whatever Python sits beside its TOML
    yield Hostile("injection/python-beside-toml", "injection", ["--plugin-dir", "{dir}/plugin", "validate"], 0,
                  "no problems", {"plugin/hostile.toml": PROCEDURE.encode(),
                                  "plugin/__init__.py": b"open('RAN', 'w').write('ran')\n",
                                  "plugin/hostile.py": b"open('RAN', 'w').write('ran')\n"},
                  untouched=("plugin/__init__.py",))


def corpus() -> list[Hostile]:
    """Every hostile input, in a stable order."""
    return [*procedure_inputs(), *fmt_inputs(), *case_inputs(), *csv_inputs(), *cli_inputs(), *injection_inputs()]
