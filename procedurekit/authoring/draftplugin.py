"""``procedurekit draft``: a plugin scaffold whose procedure holds the rules proposed from a source text.

Every proposed rule is marked ``draft = true`` (a ``draft-rule`` warning until a person removes it) and
quotes its statement exactly, with its section; every normative statement not turned into a rule goes to
``coverage.toml`` with the reason. HTML saved from a web page is reduced to its text first.
"""

from __future__ import annotations

import datetime as dt
import html.parser
import json
import re
from pathlib import Path

from typing import Any

from attrs import frozen

from procedurekit import atomic
from procedurekit.authoring.arrangements import Arrangement, Arrangements, Escalation, arrange, documents
from procedurekit.authoring.drafting import Proposal, Unparsed, propose
from procedurekit.authoring.scaffold import scaffold
from procedurekit.calendars import procedure_calendar
from procedurekit.durations import parse_duration
from procedurekit.model import Procedure

__all__ = ["SourceError", "read_source", "text_of", "vocabulary", "write_draft"]


class SourceError(ValueError):
    """A source text that cannot be drafted from: binary, not UTF-8, or empty."""


def read_source(path: Path) -> str:
    """The text of the procedure at *path* (HTML reduced to its text); :class:`SourceError` if there is none."""
    raw = path.read_bytes()
    if b"\0" in raw[:65536]:
        raise SourceError(f"{path}: not a text file (it holds binary data): give the procedure's text, or its web "
                          "page saved as HTML")
    try:
        decoded = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise SourceError(f"{path}:{line}: not UTF-8 text (byte 0x{raw[exc.start]:02x}): save the file as UTF-8 "
                          "(in a browser, save the page as HTML)") from None
    text = text_of(decoded)
    if not text.strip():
        raise SourceError(f"{path}: there is no text to draft from (the file is empty, or its page has no text)")
    return text

_BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "table", "ul",
           "ol", "dd", "dt", "blockquote"}


class _Text(html.parser.HTMLParser):
    """The text of an HTML page: blocks on their own lines, list items as bullets, scripts and styles left out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0
        self.cells = 0  # the cells of the table row being read

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in ("script", "style", "template", "noscript"):
            self.hidden += 1
        elif tag in ("td", "th"):  # a table's row is one line, its cells apart: "Meeting | Within 15 working days"
            self.parts.append(" | " if self.cells else "")
            self.cells += 1
        elif tag in _BLOCKS:
            self.cells = 0
            # a table's rows read as the items of a list, under the sentence that introduces the table
            self.parts.append("\n" + ("  • " if tag in ("li", "tr") else ""))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template", "noscript"):
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def text_of(raw: str) -> str:
    """*raw* as plain text: HTML (a page saved from the web) reduced to its text, anything else as it is."""
    if not re.match(r"\s*(<!doctype html|<html|<body|<div|<p\b|<h[1-6])", raw, re.I):
        return raw
    parser = _Text()
    parser.feed(raw)
    parser.close()
    lines = (re.sub(r"[ \t\u00a0]+", " ", line).rstrip() for line in "".join(parser.parts).splitlines())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def _toml(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _held(p: Proposal, meetings: set[str], document: str | None) -> str | None:
    """The meeting *p* says to hold, if it says to hold one."""
    # not a duty done before the meeting ("reports 2 working days before the conference"), nor one due at it
    # ("agreed at the conference"), nor a thing sent ("minutes circulated within 5 days of the meeting")
    if document or p.done or p.subject not in meetings:
        return None
    return None if p.kind in ("before", "immediately") and p.subject == p.anchor else p.subject


def _baseline_id(p: Proposal, meeting: str | None, baseline: Procedure, taken: set[str]) -> str | None:
    """The id of the baseline's rule *p* restates with its own numbers ("the first core group within 10 working
    days of the conference"), so the draft's rule replaces it rather than standing beside it."""
    timing = {"within": "deadline", "before": "deadline", "every": "recurring", "immediately": "immediately"}
    for ob_id, ob in baseline.obligations.items():
        if (ob_id not in taken and meeting and ob.meeting == meeting and ob.timing.value == timing.get(p.kind)
                and (ob.before if p.kind == "before" else ob.after) == p.anchor
                and p.occurrence in (None, ob.occurrence.value)):
            return ob_id
    return None


def _short(quote: str, limit: int = 120) -> str:
    """*quote* cut at a word before *limit* characters, with an ellipsis: the duty in words."""
    return quote if len(quote) <= limit else quote[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _span(number: int, unit: str) -> str:
    """ "1 working day", "3 months". """
    return f"{number} {unit[:-1] if number == 1 else unit}"


def _rule(key: str, p: Proposal, doc: str, held: str | None, document: str | None) -> str:
    lines = [f"[obligations.{key}]"]
    holds_meeting = held is not None
    if document:  # "distribute the minutes to ... within five working days of the meeting"
        lines.append(f"document = {_toml(document)}")
    elif holds_meeting:
        lines.append(f"meeting = {_toml(held)}")
    else:
        lines.append(f"what = {_toml(_short(p.quote))}")
    if p.occurrence and holds_meeting:
        lines.append(f"occurrence = {_toml(p.occurrence)}")
    if p.kind == "alternatives":
        options = ", ".join(f"{{ within = {_toml(_span(n, unit))}, after = {_toml(anchor)} }}"
                            for n, unit, anchor in p.alternatives)
        lines += [f"alternatives = [{options}]", f"combine = {_toml(p.combine)}"]
    elif p.kind == "every":
        lines += [f"every = {_toml(_span(p.number, p.unit))}", f"after = {_toml(p.anchor)}"]
    elif p.kind == "immediately":  # "immediately after the conference", "agreed at the conference"
        lines += ['timescale = "immediately"', f"after = {_toml(p.anchor)}"]
    else:
        lines.append(f"within = {_toml(_span(p.number, p.unit))}")
        lines.append(f"{'before' if p.kind == 'before' else 'after'} = {_toml(p.anchor)}")
    if p.anchor_first:
        lines.append('anchor = "first"')
    if p.anchor_where:
        lines.append(f"anchor_where = {_toml(list(p.anchor_where))}")
    if p.bare_days and p.kind in ("within", "before", "every"):
        # both readings, the literal one as due and the working-day one as the outer limit (docs/format.md)
        reason = (f"'{p.number} days' names no unit: read as written (calendar days); procedures often count "
                  "working days, so a person must choose")
        lines += ['basis = "literal"', f"readings = [{{ within = {_toml(_span(p.number, 'working days'))}, "
                                       f'basis = "local", reason = {_toml(reason)} }}]']
    if p.pre_birth:
        lines.append('when = ["pre-birth"]')
    lines.append(f"strength = {_toml(p.strength)}")
    lines.append("draft = true")
    source = {"doc": doc, "section": p.section, "quote": p.quote} if p.section else {"doc": doc, "quote": p.quote}
    lines.append("source = { " + ", ".join(f"{k} = {_toml(v)}" for k, v in source.items()) + " }")
    return "\n".join(lines)


def vocabulary(baseline: Procedure) -> dict[str, Any]:
    """What the readers learn from the *baseline*: its meeting and event names, role names and ids, and its
    event groups of meetings ("conference": icpc, rcpc...)."""
    names = {m.name.lower(): mid for mid, m in baseline.meetings.items() if m.name}
    names |= {e.name.lower(): eid for eid, e in baseline.events.items() if e.name}
    groups = {eid: tuple(i for i in e.includes if i in baseline.meetings) for eid, e in baseline.events.items()
              if e.includes}
    return {"names": names, "roles": {r.name.lower(): rid for rid, r in baseline.roles.items()},
            "defined_roles": set(baseline.roles), "groups": {k: v for k, v in groups.items() if v}}


def write_draft(source: Path, text: str, name: str, target: Path, *, baseline: Procedure,
                title: str | None = None) -> tuple[list[Path], list[Proposal], Arrangements, list[Unparsed]]:
    """Write the draft plugin of *source*, whose *text* is :func:`read_source`'s, for procedure *name*,
    extending *baseline*, into *target*: the written files, the timed rules, the arrangements and the
    statements left to coverage."""
    words = vocabulary(baseline)
    proposals, unparsed = propose(text, words["names"], words["groups"])
    found = arrange(text, **words)
    written = scaffold(name, target, baseline=baseline.id)
    module = "procedurekit_" + name.replace("-", "_")
    text_name = re.sub(r"[^a-z0-9-]+", "-", source.stem.lower()).strip("-") or "source"
    text_path = target / module / "sources" / f"{text_name}.txt"
    atomic.write_text(text_path, text)
    procedure = target / module / "procedures" / f"{name}.toml"
    doc = "source-text"
    parts = [f"# {name}: rules proposed by procedurekit draft from {source.name}.",
             "# Each rule is marked draft = true: check it against its quote, correct it, then remove the mark.",
             "# The statements not turned into rules are in ../coverage.toml, with the reason.", "",
             "[procedure]", f"id = {_toml(name)}", f"title = {_toml(title or name.replace('-', ' ').title())}",
             'version = "0.1.0"', f"extends = {_toml(baseline.id)}", "",
             f"[sources.{doc}]", f"title = {_toml(source.stem)}", f'file = "../sources/{text_name}.txt"', ""]
    who = _who(found, doc, baseline)
    parts += who.lines
    counts: dict[str, int] = {}
    taken: set[str] = set()
    example: tuple[str, str, Proposal] | None = None  # the rule the scaffold's scenario test checks
    stages = {step.line for e in found.escalations for step in e.steps}
    # "within 5 working days" of an escalation stage is the stage's, in its pathway
    proposals = [p for p in proposals if p.line not in stages]
    for p in proposals:
        document = who.documents.get((p.line, p.quote))
        held = _held(p, set(baseline.meetings), document)
        key = _baseline_id(p, held, baseline, taken)
        if key is None:
            stem = f"{p.subject or 'duty'}-{p.kind}"
            counts[stem] = counts.get(stem, 0) + 1
            key = f"{stem}-{counts[stem]}"
        taken.add(key)
        parts += [_rule(key, p, doc, held, document), ""]
        if example is None and held and p.kind == "within" and not (p.anchor_where or p.pre_birth) \
                and p.occurrence in (None, "first") and p.anchor in baseline.meetings:
            example = (key, held, p)
    atomic.write_text(procedure, "\n".join(parts).rstrip() + "\n")
    left = [u for u in unparsed if (u.line, u.quote) not in found.used] + who.unused
    coverage = target / module / "coverage.toml"
    entries = ["# Normative statements of the text that procedurekit draft did not turn into a rule, and why.", ""]
    for u in sorted(left, key=lambda u: u.line):
        entries += ["[[unencoded]]", *([f"section = {_toml(u.section)}"] if u.section else []),
                    f"quote = {_toml(u.quote)}", f"reason = {_toml('draft: ' + u.reason)}", ""]
    atomic.write_text(coverage, "\n".join(entries))
    # the scenario tests load this plugin's folder, so they run before it is installed
    scenarios = target / "tests" / f"test_{name.replace('-', '_')}.toml"
    atomic.write_text(scenarios, 'plugin_dir = ".."\n' + (_scenario(name, example, baseline) if example
                                                          else scenarios.read_text(encoding="utf-8")))
    return [*written, text_path, coverage], proposals, found, left


def _scenario(name: str, example: tuple[str, str, Proposal], baseline: Procedure) -> str:
    """A scenario test of one proposed rule: its anchor event on Monday 4 March 2024, its meeting due then."""
    key, meeting, p = example
    start = dt.date(2024, 3, 4)
    span = _span(p.number, p.unit)
    due = procedure_calendar(baseline).add(start, parse_duration(span))
    return "\n".join([
        "# Scenario tests: given these dated events, expect these due dates, chairs and statuses.",
        "# Run with: pytest tests", f"procedure = {_toml(name)}", "", "[[scenario]]",
        f"name = {_toml(f'{key}: {meeting} within {span} of {p.anchor}')}",
        f"# Worked by procedurekit draft from the proposed rule, on {baseline.id}'s calendar: {p.anchor} on Mon 4 Mar"
        f" 2024, due {due:%a %d %b %Y}. Check the date by hand, then add scenarios of your own.",
        f"events = [{{ event = {_toml(p.anchor)}, date = {start.isoformat()} }}]",
        f"next = [{{ meeting = {_toml(meeting)}, obligation = {_toml(key)}, due = {due:%Y-%m-%d} }}]", ""])


@frozen
class _Who:
    lines: list[str]
    #: the document id each statement that sends one names, by ``(line, quote)``: its timed rule is about it
    documents: dict[tuple[int, str], str]
    unused: list[Unparsed]


def _source(doc: str, section: str, quote: str) -> str:
    fields = {"doc": doc, **({"section": section} if section else {}), "quote": quote}
    return "{ " + ", ".join(f"{k} = {_toml(v)}" for k, v in fields.items()) + " }"


def _who(found: Arrangements, doc: str, baseline: Procedure) -> _Who:
    """The TOML of the new roles, meeting rules, documents and escalation pathways *found* proposes."""
    lines: list[str] = []
    for role in found.roles:
        lines += [f"[roles.{role.id}]", f"name = {_toml(role.name[:1].upper() + role.name[1:])}", "draft = true",
                  f"source = {_source(doc, '', role.quote)}", ""]
    taken: dict[tuple[object, ...], int] = {}
    sending = documents(found.arrangements)
    sent: dict[tuple[int, str], str] = {}
    for doc_id, sends in sending.items():
        for a in sends:
            sent.setdefault((a.line, a.quote), doc_id)
    unused: list[Unparsed] = []
    for a in found.arrangements:
        if a.kind == "recipients":
            continue
        slot = (a.meeting, a.kind, a.slot)
        if a.meeting not in baseline.meetings or slot in taken:
            why = (f"a second {a.kind} rule for the {a.meeting} meeting (line {taken.get(slot)})" if slot in taken
                   else f"a {a.kind} rule for a meeting the baseline does not define ({a.meeting})")
            unused.append(Unparsed(a.line, a.section, a.quote, why))
            continue
        taken[slot] = a.line
        lines += [f"[meetings.{a.meeting}.{a.kind}{'.' + a.slot if a.slot else ''}]", *_meeting_rule(a)]
        lines += [f"strength = {_toml(a.strength)}", "draft = true", f"source = {_source(doc, a.section, a.quote)}",
                  ""]
    for doc_id, sends in sending.items():
        lines += _document(doc_id, sends, doc, baseline)
    for escalation in found.escalations:
        lost = [step for step in escalation.steps if not (step.role or step.meeting)]
        if lost:  # a pathway's every step goes to someone or convenes a meeting: left for a person to write
            unused += [Unparsed(step.line, escalation.title, step.quote, "an escalation stage naming no role or "
                                f"meeting the draft could read; the route ({escalation.title}) is not proposed")
                       for step in escalation.steps]
            continue
        lines += _pathway(escalation, doc)
    return _Who(lines, sent, unused)


def _meeting_rule(a: Arrangement) -> list[str]:
    if a.kind == "chair":
        return [f"roles = {_toml(list(a.roles))}", *(["independent = true"] if a.independent else []),
                *(["records = true"] if a.records else [])]
    if a.kind == "minutes":
        return [f"by = {_toml(list(a.roles))}", *(["not_chair = true"] if a.not_chair else [])]
    return [*([f"minimum = {a.minimum}"] if a.minimum else []), f"required = {_toml(list(a.roles))}",
            *(["per_child = true"] if a.per_child else [])]


def _document(doc_id: str, sends: list[Arrangement], doc: str, baseline: Procedure) -> list[str]:
    first = sends[0]
    recipients = list(dict.fromkeys(r for a in sends for r in a.roles))
    meeting = baseline.meetings.get(first.meeting or "")
    name = ("Child protection plan" if first.document == "plan"
            else f"{meeting.name if meeting and meeting.name else str(first.meeting).capitalize()} minutes")
    concept = (None if first.document == "plan" else "core-group-minutes" if first.meeting == "core-group"
               else "conference-minutes" if first.meeting in ("icpc", "rcpc", "conference") else None)
    sources = ", ".join(_source(doc, a.section, a.quote) for a in sends)
    unread = list(dict.fromkeys(u for a in sends for u in a.unread))
    note = f"Also sent to, in the text's words, with no role read: {'; '.join(unread)}" if unread else None
    return [f"[documents.{doc_id}]", f"name = {_toml(name)}",
            *([f"producer = {_toml(first.producer)}"] if first.producer else []),
            f"recipients = {_toml(recipients)}", *([f"concept = {_toml(concept)}"] if concept else []),
            f"strength = {_toml(first.strength)}", *([f"note = {_toml(note)}"] if note else []), "draft = true",
            f"source = [{sources}]", ""]


def _pathway(escalation: Escalation, doc: str) -> list[str]:
    steps = []
    for step in escalation.steps:
        fields = {"role": step.role} if step.role else {"meeting": step.meeting or ""}
        if step.action:
            fields["action"] = step.action
        if step.within:
            fields["within"] = f"{step.within[0]} {step.within[1]}"
        steps.append("{ " + ", ".join(f"{k} = {_toml(v)}" for k, v in fields.items()) + " }")
    pid = re.sub(r"[^a-z0-9]+", "-", escalation.title.lower()).strip("-")[:50].strip("-") or "escalation"
    sources = ", ".join(_source(doc, escalation.title, step.quote) for step in escalation.steps)
    return [f"[pathways.{pid}]", f"name = {_toml(escalation.title)}", 'concept = "escalation-route"',
            "steps = [", *(f"  {s}," for s in steps), "]", f"strength = {_toml(escalation.strength or 'should')}",
            *([] if escalation.strength else ['interpretation = "No step says how binding it is: read as should."']),
            "draft = true", f"source = [{sources}]", ""]
