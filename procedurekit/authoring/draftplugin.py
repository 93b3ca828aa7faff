"""``procedurekit draft``: a plugin scaffold whose procedure holds the rules proposed from a source text.

Every proposed rule is marked ``draft = true`` (a ``draft-rule`` warning until a person removes it) and
quotes its statement exactly, with its section; every normative statement not turned into a rule goes to
``coverage.toml`` with the reason. HTML saved from a web page is reduced to its text first.
"""

from __future__ import annotations

import html.parser
import json
import re
from pathlib import Path

from procedurekit import atomic
from procedurekit.authoring.drafting import Proposal, Unparsed, propose
from procedurekit.authoring.scaffold import scaffold

__all__ = ["text_of", "write_draft"]

_BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "table", "ul",
           "ol", "dd", "dt", "blockquote"}


class _Text(html.parser.HTMLParser):
    """The text of an HTML page: blocks on their own lines, list items as bullets, scripts and styles left out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in ("script", "style", "template", "noscript"):
            self.hidden += 1
        elif tag in _BLOCKS:
            self.parts.append("\n" + ("  • " if tag == "li" else ""))

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


def _rule(key: str, p: Proposal, doc: str, meetings: set[str]) -> str:
    lines = [f"[obligations.{key}]"]
    # a duty done before a meeting ("reports 2 working days before the conference") is not the meeting
    holds_meeting = p.subject in meetings and not (p.kind == "before" and p.subject == p.anchor)
    if holds_meeting:
        lines.append(f"meeting = {_toml(p.subject)}")
    else:
        lines.append(f"what = {_toml(p.quote[:120])}")
    if p.occurrence and holds_meeting:
        lines.append(f"occurrence = {_toml(p.occurrence)}")
    if p.kind == "alternatives":
        options = ", ".join(f"{{ within = {_toml(f'{n} {unit}')}, after = {_toml(anchor)} }}"
                            for n, unit, anchor in p.alternatives)
        lines += [f"alternatives = [{options}]", f"combine = {_toml(p.combine)}"]
    elif p.kind == "every":
        lines += [f"every = {_toml(f'{p.number} {p.unit}')}", f"after = {_toml(p.anchor)}"]
    else:
        lines.append(f"within = {_toml(f'{p.number} {p.unit}')}")
        lines.append(f"{'before' if p.kind == 'before' else 'after'} = {_toml(p.anchor)}")
    lines.append(f"strength = {_toml(p.strength)}")
    if p.bare_days:
        reading = f"'{p.number} days' names no unit: read as calendar days, as written; it may mean working days"
        lines.append(f"interpretation = {_toml(reading)}")
    lines.append("draft = true")
    source = {"doc": doc, "section": p.section, "quote": p.quote} if p.section else {"doc": doc, "quote": p.quote}
    lines.append("source = { " + ", ".join(f"{k} = {_toml(v)}" for k, v in source.items()) + " }")
    return "\n".join(lines)


def write_draft(source: Path, name: str, target: Path, *, baseline: str, meetings: set[str],
                names: dict[str, str], title: str | None = None) -> tuple[list[Path], list[Proposal], list[Unparsed]]:
    """Write the draft plugin of *source* (text or HTML) for procedure *name* into *target*."""
    text = text_of(source.read_text(encoding="utf-8"))
    proposals, unparsed = propose(text, names)
    written = scaffold(name, target, baseline=baseline)
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
             'version = "0.1.0"', f"extends = {_toml(baseline)}", "",
             f"[sources.{doc}]", f"title = {_toml(source.stem)}", f'file = "../sources/{text_name}.txt"', ""]
    counts: dict[str, int] = {}
    for p in proposals:
        stem = f"{p.subject or 'duty'}-{p.kind}"
        counts[stem] = counts.get(stem, 0) + 1
        parts += [_rule(f"{stem}-{counts[stem]}", p, doc, meetings), ""]
    atomic.write_text(procedure, "\n".join(parts).rstrip() + "\n")
    coverage = target / module / "coverage.toml"
    entries = ["# Normative statements of the text that procedurekit draft did not turn into a rule, and why.", ""]
    for u in unparsed:
        entries += ["[[unencoded]]", *([f"section = {_toml(u.section)}"] if u.section else []),
                    f"quote = {_toml(u.quote)}", f"reason = {_toml('draft: ' + u.reason)}", ""]
    atomic.write_text(coverage, "\n".join(entries))
    # the scenario tests load this plugin's folder, so they run before it is installed
    scenarios = target / "tests" / f"test_{name.replace('-', '_')}.toml"
    atomic.write_text(scenarios, 'plugin_dir = ".."\n' + scenarios.read_text(encoding="utf-8"))
    return [*written, text_path, coverage], proposals, unparsed
