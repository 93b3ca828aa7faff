"""Built-in validation of a resolved procedure: every reference resolves."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from procedurekit.diagnostics import Diagnostic
from procedurekit.hookspecs import hookimpl
from procedurekit.model import Procedure, Source

Key = tuple[str | int, ...]

#: kind of reference -> (noun, section where such ids are defined)
KINDS = {
    "role": ("role", "roles"),
    "event": ("event", "events"),
    "meeting": ("meeting", "meetings"),
    "document": ("document", "documents"),
    "condition": ("condition", "conditions"),
    "source": ("source document", "sources"),
}


def _names(kind: str, values: tuple[str, ...], key: Key) -> Iterator[tuple[str, str, Key]]:
    for i, value in enumerate(values):
        yield kind, value, key + (i,)


def references(procedure: Procedure) -> Iterator[tuple[str, str, Key]]:
    """Yield ``(kind, id, key)`` for every reference an item makes to another id."""
    for key, source in iter_sources(procedure):
        yield "source", source.doc, key
    for item_id, event in procedure.events.items():
        yield from _names("event", event.includes, ("events", item_id, "includes"))
    for m_id, m in procedure.meetings.items():
        key = ("meetings", m_id)
        yield from _names("role", m.members, key + ("members",))
        if m.chair:
            for which in ("each", "first", "subsequent", "fallback"):
                rule = getattr(m.chair, which)
                if rule is not None:
                    yield from _names("role", rule.roles, key + ("chair", which, "roles"))
        if m.minutes:
            yield from _names("role", m.minutes.by, key + ("minutes", "by"))
            yield from _names("role", m.minutes.not_by, key + ("minutes", "not_by"))
        if m.quorum:
            yield from _names("role", m.quorum.required, key + ("quorum", "required"))
            if m.quorum.decided_by:
                yield "role", m.quorum.decided_by, key + ("quorum", "decided_by")
    for d_id, d in procedure.documents.items():
        key = ("documents", d_id)
        if d.producer:
            yield "role", d.producer, key + ("producer",)
        yield from _names("role", d.recipients, key + ("recipients",))
    for o_id, o in procedure.obligations.items():
        key = ("obligations", o_id)
        if o.meeting:
            yield "meeting", o.meeting, key + ("meeting",)
        if o.document:
            yield "document", o.document, key + ("document",)
        if o.owner:
            yield "role", o.owner, key + ("owner",)
        yield from _names("role", o.recipients, key + ("recipients",))
        for field in ("after", "before", "until"):
            if getattr(o, field):
                yield "event", getattr(o, field), key + (field,)
        if o.set_by:
            kind = "role" if o.set_by in procedure.roles else "event"
            yield kind, o.set_by, key + ("set_by",)
        for i, alt in enumerate(o.alternatives):
            for field in ("after", "before"):
                if getattr(alt, field):
                    yield "event", getattr(alt, field), key + ("alternatives", i, field)
        yield from _names("condition", o.when, key + ("when",))
        yield from _names("condition", o.unless, key + ("unless",))
    for p_id, p in procedure.pathways.items():
        key = ("pathways", p_id)
        for i, step in enumerate(p.steps):
            if step.role:
                yield "role", step.role, key + ("steps", i, "role")
            if step.meeting:
                yield "meeting", step.meeting, key + ("steps", i, "meeting")
    for t_id, t in procedure.triggers.items():
        key = ("triggers", t_id)
        yield "meeting", t.meeting, key + ("meeting",)
        if t.raised_by:
            yield "role", t.raised_by, key + ("raised_by",)
    for r_id, r in procedure.rights.items():
        key = ("rights", r_id)
        yield from _names("role", r.holders, key + ("holders",))


def iter_sources(procedure: Procedure) -> Iterator[tuple[Key, Source]]:
    """Every citation in a procedure, with the TOML key of its ``doc``."""
    import attrs

    def walk(obj: object, key: Key) -> Iterator[tuple[Key, Source]]:
        for field in attrs.fields(type(obj)):
            value = getattr(obj, field.name)
            if field.name == "source" and isinstance(value, tuple):
                for i, src in enumerate(value):
                    yield key + (("source", i, "doc") if len(value) > 1 else ("source", "doc")), src
            elif attrs.has(type(value)):
                yield from walk(value, key + (field.name,))

    for section, item_id, item in procedure.items():
        if attrs.has(type(item)):
            yield from walk(item, (section, item_id))


def _defined(procedure: Procedure) -> dict[str, set[str]]:
    return {
        "role": set(procedure.roles),
        "event": procedure.event_ids(),
        "meeting": procedure.event_ids(),
        "document": set(procedure.documents),
        "condition": procedure.condition_ids(),
        "source": set(procedure.sources),
    }


def _included(procedure: Procedure, event_id: str) -> set[str]:
    found: set[str] = set()
    todo = list(procedure.events[event_id].includes)
    while todo:
        member = todo.pop()
        if member in found:
            continue
        found.add(member)
        if member in procedure.events:
            todo += procedure.events[member].includes
    return found


@hookimpl(trylast=True)
def procedurekit_validate_procedure(procedure: Procedure, baseline: Procedure | None) -> list[Diagnostic]:
    defined = _defined(procedure)
    out = []
    for event_id, event in procedure.events.items():
        if event_id in _included(procedure, event_id):
            out.append(Diagnostic("bad-value", f'event "{event_id}" includes itself (through "includes"); '
                                  "an event group must list other events", key=("events", event_id, "includes")))
    for kind, value, key in references(procedure):
        if value in defined[kind]:
            continue
        noun, section = KINDS[kind]
        close = difflib.get_close_matches(value, sorted(defined[kind]), n=1, cutoff=0.6)
        hint = (f'; did you mean "{close[0]}"?' if close
                else f"; define it under [{section}.{value}] or fix the spelling")
        out.append(Diagnostic("undefined-reference", f'"{value}" is not a defined {noun}{hint}', key=key))
    return out
