"""Built-in validation of a resolved procedure: every reference resolves."""

from __future__ import annotations

from collections.abc import Iterator

from procedurekit.diagnostics import Diagnostic, Severity
from procedurekit.hookspecs import hookimpl
from procedurekit.loader import is_id, suggest_id
from procedurekit.model import CONCEPTS, ChairRule, Key, Meeting, MinuteRule, Obligation, Occurrence, Procedure

#: kind of reference -> (noun, section where such ids are defined)
KINDS = {
    "role": ("role", "roles"),
    "event": ("event", "events"),
    "meeting": ("meeting", "meetings"),
    "document": ("document", "documents"),
    "condition": ("condition", "conditions"),
    "source": ("source document", "sources"),
    "period": ("period", "periods"),
    "concept": ("concept", None),
}

#: a reference: (kind, the id referred to, the TOML key where it is written)
Reference = tuple[str, str, Key]


def _names(kind: str, values: tuple[str, ...], key: Key) -> Iterator[Reference]:
    for i, value in enumerate(values):
        yield kind, value, key + (i,)


def _one(kind: str, value: str | None, key: Key) -> Iterator[Reference]:
    if value:
        yield kind, value, key


def references(procedure: Procedure) -> Iterator[Reference]:
    """Yield ``(kind, id, key)`` for every reference an item makes to another id."""
    for key, source in procedure.citations():
        yield "source", source.doc, key
    for item_id, event in procedure.events.items():
        yield from _names("event", event.includes, ("events", item_id, "includes"))
    for p_id, period in procedure.periods.items():
        for name in ("starts", "ends"):
            yield from _names("event", getattr(period, name), ("periods", p_id, name))
        yield from _names("meeting", period.meetings, ("periods", p_id, "meetings"))
        yield from _names("document", period.documents, ("periods", p_id, "documents"))
    for m_id, m in procedure.meetings.items():
        yield from _meeting_references(m, ("meetings", m_id))
    for d_id, d in procedure.documents.items():
        yield from _one("role", d.producer, ("documents", d_id, "producer"))
        yield from _names("role", d.recipients, ("documents", d_id, "recipients"))
    for o_id, o in procedure.obligations.items():
        yield from _obligation_references(procedure, o, ("obligations", o_id))
    for section in ("roles", "obligations", "documents", "pathways"):
        for item_id, item in procedure.section(section).items():
            yield from _one("concept", getattr(item, "concept", None), (section, item_id, "concept"))
    for p_id, p in procedure.pathways.items():
        for i, step in enumerate(p.steps):
            yield from _one("role", step.role, ("pathways", p_id, "steps", i, "role"))
            yield from _one("meeting", step.meeting, ("pathways", p_id, "steps", i, "meeting"))
    for t_id, t in procedure.triggers.items():
        yield "meeting", t.meeting, ("triggers", t_id, "meeting")
        yield from _one("role", t.raised_by, ("triggers", t_id, "raised_by"))
    for r_id, r in procedure.rights.items():
        yield from _names("role", r.holders, ("rights", r_id, "holders"))


def _meeting_references(m: Meeting, key: Key) -> Iterator[Reference]:
    yield from _names("role", m.members, key + ("members",))
    for name, rule in m.rules():
        where = key + tuple(name.split("."))
        if isinstance(rule, ChairRule):
            yield from _names("role", rule.roles, where + ("roles",))
            yield from _names("condition", rule.when, where + ("when",))
            yield from _names("condition", rule.unless, where + ("unless",))
        elif isinstance(rule, MinuteRule):
            yield from _names("role", rule.by, where + ("by",))
            yield from _names("role", rule.not_by, where + ("not_by",))
        else:
            yield from _names("role", rule.required, where + ("required",))
            yield from _one("role", rule.decided_by, where + ("decided_by",))


def _obligation_references(procedure: Procedure, o: Obligation, key: Key) -> Iterator[Reference]:
    yield from _one("meeting", o.meeting, key + ("meeting",))
    yield from _one("document", o.document, key + ("document",))
    yield from _one("role", o.owner, key + ("owner",))
    yield from _names("role", o.recipients, key + ("recipients",))
    for name in ("after", "before", "until"):
        yield from _one("event", getattr(o, name), key + (name,))
    if o.set_by:
        yield "role" if o.set_by in procedure.roles else "event", o.set_by, key + ("set_by",)
    for i, alt in enumerate(o.alternatives):
        for name in ("after", "before"):
            yield from _one("event", getattr(alt, name), key + ("alternatives", i, name))
    yield from _names("condition", o.when, key + ("when",))
    yield from _names("condition", o.unless, key + ("unless",))
    yield from _one("period", o.during, key + ("during",))


def _defined(procedure: Procedure) -> dict[str, set[str]]:
    return {
        "role": set(procedure.roles),
        "event": procedure.event_ids(),
        "meeting": procedure.event_ids(),
        "document": set(procedure.documents),
        "condition": procedure.condition_ids(),
        "source": set(procedure.sources),
        "period": set(procedure.periods),
        "concept": set(CONCEPTS),
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


def _drafts(procedure: Procedure) -> Iterator[tuple[str, ...]]:
    """The keys of the rules marked ``draft = true``: proposed by ``procedurekit draft``, unchecked."""
    for section in ("roles", "obligations", "documents", "pathways"):
        for item_id, item in getattr(procedure, section).items():
            if item.draft:
                yield section, item_id
    for meeting_id, meeting in procedure.meetings.items():
        for key, rule in meeting.rules():
            if rule.draft:
                yield ("meetings", meeting_id, *key.split("."))


@hookimpl(trylast=True)
def procedurekit_validate_procedure(procedure: Procedure, baseline: Procedure | None) -> list[Diagnostic]:
    defined = _defined(procedure)
    out = []
    for event_id, event in procedure.events.items():
        if event_id in _included(procedure, event_id):
            out.append(Diagnostic("bad-value", f'event "{event_id}" includes itself (through "includes"); '
                                  "an event group must list other events", key=("events", event_id, "includes")))
    out += list(_ambiguities(procedure))
    out += [Diagnostic("draft-rule", f'"{".".join(key[1:])}" was proposed by procedurekit draft from the text: '
                       "check it against its quote, then remove draft = true", key=(*key, "draft"),
                       severity=Severity.WARNING)
            for key in _drafts(procedure)]
    for kind, value, key in references(procedure):
        if value in defined[kind]:
            continue
        noun, section = KINDS[kind]
        hint = _reference_hint(value, defined[kind], section)
        out.append(Diagnostic("undefined-reference", f'"{value}" is not a defined {noun}{hint}', key=key))
    return out


def _reference_hint(value: str, defined: set[str], section: str | None) -> str:
    """What the author meant: the id spelt as ids are ("ICPC" is "icpc"), the nearest id, or a new one."""
    import difflib  # only to suggest a spelling

    if section is None:  # a fixed vocabulary (concepts): name the nearest, else point to the list
        close = difflib.get_close_matches(value, sorted(defined), n=1, cutoff=0.6)
        return (f'; did you mean "{close[0]}"?' if close else "") + \
            " (the concepts are listed in docs/format.md, or leave concept out for a narrative duty)"

    spelt = suggest_id(value, default="")
    if spelt != value and spelt in defined:
        return f'; ids are lower case with hyphens: write "{spelt}"'
    close = difflib.get_close_matches(spelt or value, sorted(defined), n=1, cutoff=0.6)
    if close:
        return f'; did you mean "{close[0]}"?'
    if not is_id(value):
        spelt = spelt or "my-id"
        return f'; ids are lower case with hyphens ("{spelt}"): define it under [{section}.{spelt}]'
    return f"; define it under [{section}.{value}] or fix the spelling"


def _ambiguities(procedure: Procedure) -> Iterator[Diagnostic]:
    """Timings that could mean two things, or that combine keys which cannot go together."""
    for o_id, o in procedure.obligations.items():
        key = ("obligations", o_id)
        # holding a meeting "before" that same meeting: the same one (met at once) or the next? Only then
        # is it ambiguous; a duty done before each meeting ("seek the child's view before it") is not
        if o.meeting and not (o.what or o.document) and o.before and not o.after \
                and o.occurrence is not Occurrence.LAST \
                and set(procedure.expand_event(o.meeting)) & set(procedure.expand_event(o.before)):
            yield Diagnostic("ambiguous", f'a {o.meeting} counted back from a {o.before} could mean the same '
                             f'meeting or the next one: for "before the next one" add after = "{o.meeting}"; '
                             f'for the last one before it, occurrence = "last"', key=key + ("before",))
        if o.gestation is not None and (o.after or o.before or o.within or o.every or o.alternatives):
            yield Diagnostic("conflicting-keys", '"gestation" counts back from the expected birth on its own: '
                             'drop "within", "after", "before", "every" and "alternatives"', key=key + ("gestation",))
        if o.readings and not (o.within or o.every):
            yield Diagnostic("conflicting-keys", '"readings" are other readings of "within" or "every": '
                             "give the timescale as written in one of them", key=key + ("readings",))
        if o.occurrence is Occurrence.LAST and not o.before:
            yield Diagnostic("conflicting-keys", 'occurrence = "last" is the last one before an event: add '
                             'before = "..."', key=key + ("occurrence",))
