"""The domain model: procedures and the rules they are made of.

All classes are frozen ``attrs`` classes built by the loader from TOML (see
docs/format.md for the file format, which mirrors these classes key for key).
Rules carry a :class:`Strength` (procedures are written in modal language), an
optional ``interpretation`` (how an ambiguous text was read, and why) and the
:class:`Source` they rest on.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import attrs
from attrs import field, frozen

from procedurekit.calendars import DIVISIONS, NonWorkingDay
from procedurekit.durations import Duration, Frequency

__all__ = [
    "Strength", "Verification", "Occurrence", "Anchor", "Combine", "Timescale", "Timing",
    "Source", "SourceDocument", "Role", "Event", "Condition", "Category",
    "ChairRule", "Chairing", "MinuteRule", "Quorum", "Meeting", "Document",
    "Deadline", "Obligation", "PathwayStep", "Pathway", "Trigger", "Right",
    "Procedure", "ProcedureHeader", "CaseEvent", "Case", "ChairDecision", "MeetingDue", "PathwayDecision",
    "CANONICAL_EVENTS", "CANONICAL_KINDS", "CANONICAL_CONDITIONS", "DIVISIONS", "JURISDICTIONS", "SECTIONS",
]


class Strength(enum.Enum):
    """How binding a rule is, in the procedure's own words. Ordered strongest first."""

    MUST = "must"
    SHOULD = "should"
    USUALLY = "usually"
    GOOD_PRACTICE = "good-practice"
    MAY = "may"

    @property
    def rank(self) -> int:
        """0 for ``must`` up to 4 for ``may``: lower is more binding."""
        return list(Strength).index(self)


class Verification(enum.Enum):
    """How far a citation of national guidance was checked (see docs/provenance.md)."""

    YES = "yes"
    PARTIAL = "partial"
    SECONDARY = "secondary"
    UNVERIFIED = "unverified"


class Occurrence(enum.Enum):
    """Which occurrences of a meeting or document an obligation governs."""

    FIRST = "first"
    SUBSEQUENT = "subsequent"
    EACH = "each"


class Anchor(enum.Enum):
    """Which occurrence of the ``after``/``before`` event a deadline counts from."""

    EACH = "each"
    FIRST = "first"
    LAST = "last"
    PREVIOUS = "previous"


class Combine(enum.Enum):
    """How alternative deadlines combine: "whichever is sooner" or "later"."""

    SOONER = "sooner"
    LATER = "later"


class Timescale(enum.Enum):
    """Timescales without a number of their own."""

    SET_PER_CASE = "set-per-case"  # e.g. "the conference decides how often"
    IMMEDIATELY = "immediately"
    UNSPECIFIED = "unspecified"  # e.g. "an early review", "regularly"


class Timing(enum.StrEnum):
    """What kind of timing an obligation has: the one classification the engine, compare and render use."""

    DEADLINE = "deadline"  # within a duration after or before an event
    FOLLOWS = "follows"  # after (or before) an event, with no number
    RECURRING = "recurring"  # every so often
    ALTERNATIVES = "alternatives"  # several deadlines, whichever is sooner or later
    SET_PER_CASE = "set-per-case"  # a number each case sets (e.g. the conference decides)
    IMMEDIATELY = "immediately"
    UNSPECIFIED = "unspecified"  # "an early review", "regularly"
    NONE = "none"  # a standing duty, with no event to count from

    @property
    def dated(self) -> bool:
        """Whether a case can give this timing a due date."""
        return self in (Timing.DEADLINE, Timing.RECURRING, Timing.ALTERNATIVES, Timing.SET_PER_CASE)


#: Canonical events shared by every procedure: event id -> name.
CANONICAL_EVENTS: Mapping[str, str] = {
    "strategy-discussion": "Strategy discussion",
    "icpc": "Initial child protection conference",
    "core-group": "Core group meeting",
    "rcpc": "Review child protection conference",
    "plan-ends": "Child protection plan ends",
    "pre-birth-conference": "Pre-birth child protection conference",
    "birth": "Birth of the child",
    "school-move": "Child moves school",
}

#: Canonical events that other canonical events also count as: a conference held
#: before birth is the initial conference of a pre-birth case, so a rule that
#: counts from (or asks for) the initial conference is met by it too.
CANONICAL_KINDS: Mapping[str, tuple[str, ...]] = {
    "icpc": ("pre-birth-conference",),
}

#: Case circumstances every procedure may name in ``when``/``unless``.
CANONICAL_CONDITIONS: Mapping[str, str] = {
    "pre-birth": "The initial conference was a pre-birth conference",
    "inquorate": "The conference was held without a quorum",
    "chair-absent": "The person due to chair the meeting is absent",
}

JURISDICTIONS = ("england", "wales", "scotland", "northern-ireland")


@frozen
class Source:
    """Where a rule comes from: a document of ``[sources]``, a place in it, its words."""

    doc: str
    section: str | None = None
    paragraph: str | None = None
    quote: str | None = None
    verified: Verification | None = None
    note: str | None = None

    def cite(self) -> str:
        parts = [self.doc]
        if self.section:
            parts.append(self.section)
        if self.paragraph:
            parts.append(f"para {self.paragraph}")
        return ", ".join(parts)


Sources = tuple[Source, ...]
#: a place in a procedure file, as TOML keys: ``("obligations", "icpc", "within")``
Key = tuple[str | int, ...]


@frozen
class SourceDocument:
    """A published document that rules cite, declared under ``[sources.ID]``."""

    title: str
    publisher: str | None = None
    url: str | None = None
    published: str | None = None
    edition: str | None = None
    #: the document's text, shipped with the plugin (a path relative to the
    #: procedure file, inside the plugin); every quote citing it is checked against it
    file: str | None = None
    note: str | None = None


@frozen
class Role:
    """A person or agency function: lead social worker, conference chair, GP..."""

    name: str
    description: str | None = None
    source: Sources = ()


@frozen
class Event:
    """Something that happens on a date in a case. Meetings are events too.

    An event with ``includes`` stands for any of those events: "conference"
    may include the initial, review and pre-birth conferences, so one rule
    can say "2 working days before the conference".
    """

    name: str
    description: str | None = None
    includes: tuple[str, ...] = ()
    source: Sources = ()


@frozen
class Condition:
    """A circumstance of a case that switches rules on or off (``when``/``unless``)."""

    name: str
    description: str | None = None
    source: Sources = ()


@frozen
class Category:
    """A category of abuse or neglect under which a plan is made."""

    name: str
    strength: Strength
    description: str | None = None
    interpretation: str | None = None
    source: Sources = ()


@frozen
class ChairRule:
    """Who chairs: any one of ``roles`` (in order of preference)."""

    roles: tuple[str, ...]
    strength: Strength
    independent: bool = False  # independent of operational/line management of the case
    records: bool = False  # the chair also records (minutes) the meeting
    note: str | None = None
    interpretation: str | None = None
    source: Sources = ()


@frozen
class Chairing:
    """Chair rules of a meeting: ``each`` applies where ``first``/``subsequent`` do not;
    ``fallback`` applies when the chair is absent."""

    each: ChairRule | None = None
    first: ChairRule | None = None
    subsequent: ChairRule | None = None
    fallback: ChairRule | None = None

    #: the slots, in the order they are written and shown
    SLOTS = ("each", "first", "subsequent", "fallback")

    def slots(self) -> Iterator[tuple[str, ChairRule]]:
        """``(slot, rule)`` for every slot that holds a rule."""
        for slot in self.SLOTS:
            rule = getattr(self, slot)
            if rule is not None:
                yield slot, rule

    def rule_for(self, occurrence: int, *, chair_absent: bool = False) -> ChairRule | None:
        """The rule for the *occurrence*-th meeting (1 = first)."""
        if chair_absent and self.fallback is not None:
            return self.fallback
        specific = self.first if occurrence == 1 else self.subsequent
        return specific or self.each


@frozen
class MinuteRule:
    """Who takes the minutes, and who may not."""

    strength: Strength
    by: tuple[str, ...] = ()
    not_by: tuple[str, ...] = ()
    not_chair: bool = False
    note: str | None = None
    interpretation: str | None = None
    source: Sources = ()


@frozen
class Quorum:
    """The least attendance with which a meeting may make decisions."""

    strength: Strength
    minimum: int | None = None  # agencies or professional groups, in total
    required: tuple[str, ...] = ()  # roles or agencies that must be among them
    exceptional_minimum: int | None = None  # allowed exceptionally, at the chair's discretion
    proceed_if: tuple[str, ...] = ()  # circumstances in which an inquorate meeting may go ahead
    decided_by: str | None = None  # role who decides to proceed when inquorate
    note: str | None = None
    interpretation: str | None = None
    source: Sources = ()


@frozen
class Meeting:
    """A meeting held in a case (its id is also an event id).

    A procedure that extends another may give only the parts it changes
    (e.g. just ``quorum``): the rest is kept from the procedure it extends.
    """

    name: str | None = None
    description: str | None = None
    chair: Chairing | None = None
    minutes: MinuteRule | None = None
    quorum: Quorum | None = None
    members: tuple[str, ...] = ()  # roles expected to attend
    source: Sources = ()

    def rules(self) -> Iterator[tuple[str, ChairRule | MinuteRule | Quorum]]:
        """Every rule the meeting states, keyed as in TOML: ``chair.first``..., ``minutes``, ``quorum``."""
        if self.chair is not None:
            for slot, rule in self.chair.slots():
                yield f"chair.{slot}", rule
        if self.minutes is not None:
            yield "minutes", self.minutes
        if self.quorum is not None:
            yield "quorum", self.quorum


@frozen
class Document:
    """A plan, record or report: who produces it, who receives it, what it contains."""

    name: str
    strength: Strength
    producer: str | None = None
    recipients: tuple[str, ...] = ()
    contents: tuple[str, ...] = ()
    description: str | None = None
    note: str | None = None
    interpretation: str | None = None
    source: Sources = ()


@frozen
class Deadline:
    """One alternative of an obligation that combines several ("whichever is sooner")."""

    within: Duration
    after: str | None = None
    before: str | None = None
    anchor: Anchor = Anchor.EACH


@frozen
class Obligation:
    """Who owes what, by when, relative to which event.

    Timing is one of: a deadline (``within`` after/before an event), a
    recurrence (``every``, until an event), alternatives combined sooner or
    later, a ``timescale`` without a number, or none (a standing duty).
    """

    strength: Strength
    what: str | None = None
    meeting: str | None = None
    document: str | None = None
    occurrence: Occurrence = Occurrence.EACH
    owner: str | None = None
    recipients: tuple[str, ...] = ()
    after: str | None = None
    before: str | None = None
    anchor: Anchor = Anchor.EACH
    within: Duration | None = None
    earliest: Duration | None = None  # lower bound: "no earlier than"
    not_immediately: bool = False  # lower bound: "not immediately after"
    every: Frequency | None = None
    until: str | None = None
    alternatives: tuple[Deadline, ...] = ()
    combine: Combine | None = None
    timescale: Timescale | None = None
    set_by: str | None = None  # the event or role that sets a per-case timescale
    when: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()
    #: a deadline in calendar days, weeks or months that falls on a non-working day
    non_working_day: NonWorkingDay = NonWorkingDay.STANDS
    note: str | None = None
    interpretation: str | None = None
    source: Sources = ()

    @property
    def timing(self) -> Timing:
        """The kind of timing this obligation has (see :class:`Timing`)."""
        if self.timescale is not None:
            return Timing(self.timescale.value)
        if self.every is not None:
            return Timing.RECURRING
        if self.alternatives:
            return Timing.ALTERNATIVES
        if self.within is not None or self.before:
            # "before X" with no number is due by X itself
            return Timing.DEADLINE
        if self.after:
            return Timing.FOLLOWS
        return Timing.NONE


@frozen
class PathwayStep:
    """One step of an escalation: a role to go to, or a meeting to convene."""

    role: str | None = None
    meeting: str | None = None
    action: str | None = None
    within: Duration | None = None
    note: str | None = None


@frozen
class Pathway:
    """An ordered escalation route."""

    name: str
    strength: Strength
    steps: tuple[PathwayStep, ...]
    concern: str | None = None
    note: str | None = None
    interpretation: str | None = None
    source: Sources = ()


@frozen
class Trigger:
    """A circumstance that brings a meeting forward (or calls for one)."""

    meeting: str
    circumstance: str
    strength: Strength
    action: str = "bring-forward"
    raised_by: str | None = None
    note: str | None = None
    interpretation: str | None = None
    source: Sources = ()


@frozen
class Right:
    """Something a child, family member or professional is entitled to."""

    what: str
    strength: Strength
    holders: tuple[str, ...] = ()
    note: str | None = None
    interpretation: str | None = None
    source: Sources = ()


#: Procedure sections holding items by id, in display order.
SECTIONS = (
    "sources", "roles", "events", "conditions", "categories", "meetings",
    "documents", "obligations", "pathways", "triggers", "rights",
)


def _frozen_dict(value: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return dict(value or {})


@frozen
class ProcedureHeader:
    """The ``[procedure]`` table: what a procedure is, and what it extends."""

    id: str
    title: str
    partnership: str | None = None
    jurisdiction: str | None = None
    calendar: str | None = None  # None in a file means "as the procedure it extends"
    version: str | None = None
    effective: dt.date | None = None
    extends: str | None = None
    baseline: bool = False
    url: str | None = None
    description: str | None = None
    #: local non-working days, e.g. a council's Christmas closure (added to those it extends)
    closures: tuple[dt.date, ...] = ()


@frozen(repr=False)
class Procedure(ProcedureHeader):
    """A procedure: its header and its items, by section and id.

    A loaded procedure is as written in its file; a *resolved* one (from
    :class:`procedurekit.library.Library`) has its ``extends`` chain merged in
    and ``origins`` saying which procedure each item came from.
    """

    sources: Mapping[str, SourceDocument] = field(factory=dict, converter=_frozen_dict)
    roles: Mapping[str, Role] = field(factory=dict, converter=_frozen_dict)
    events: Mapping[str, Event] = field(factory=dict, converter=_frozen_dict)
    conditions: Mapping[str, Condition] = field(factory=dict, converter=_frozen_dict)
    categories: Mapping[str, Category] = field(factory=dict, converter=_frozen_dict)
    meetings: Mapping[str, Meeting] = field(factory=dict, converter=_frozen_dict)
    documents: Mapping[str, Document] = field(factory=dict, converter=_frozen_dict)
    obligations: Mapping[str, Obligation] = field(factory=dict, converter=_frozen_dict)
    pathways: Mapping[str, Pathway] = field(factory=dict, converter=_frozen_dict)
    triggers: Mapping[str, Trigger] = field(factory=dict, converter=_frozen_dict)
    rights: Mapping[str, Right] = field(factory=dict, converter=_frozen_dict)
    #: "section.item-id" -> id of the procedure that defined the item (resolved procedures)
    origins: Mapping[str, str] = field(factory=dict, converter=_frozen_dict)

    def __repr__(self) -> str:
        counts = ", ".join(f"{len(self.section(name))} {name}" for name in ("obligations", "meetings", "documents"))
        version = f" version={self.version!r}" if self.version else ""
        return f"<Procedure {self.id!r}{version} extends={self.extends!r}: {counts}>"

    def section(self, name: str) -> Mapping[str, object]:
        """The items of section *name* (one of :data:`SECTIONS`), by id."""
        return getattr(self, name)  # type: ignore[no-any-return]

    def items(self) -> Iterator[tuple[str, str, object]]:
        """Yield ``(section, id, item)`` for every item, in display order."""
        for name in SECTIONS:
            for item_id, item in self.section(name).items():
                yield name, item_id, item

    def citations(self) -> Iterator[tuple[Key, Source]]:
        """Every citation in the procedure, with the TOML key of its ``doc``."""

        def walk(obj: object, key: Key) -> Iterator[tuple[Key, Source]]:
            for f in attrs.fields(type(obj)):  # type: ignore[arg-type]  # only attrs items are walked
                value = getattr(obj, f.name)
                if f.name == "source" and isinstance(value, tuple):
                    for i, src in enumerate(value):
                        yield key + (("source", i, "doc") if len(value) > 1 else ("source", "doc")), src
                elif attrs.has(type(value)):
                    yield from walk(value, key + (f.name,))

        for section, item_id, item in self.items():
            if attrs.has(type(item)):
                yield from walk(item, (section, item_id))

    def event_ids(self) -> set[str]:
        return set(CANONICAL_EVENTS) | set(self.events) | set(self.meetings)

    def expand_event(self, event: str, _seen: frozenset[str] = frozenset()) -> tuple[str, ...]:
        """The events *event* stands for: itself (and its canonical kinds), or those it ``includes``."""
        spec = self.events.get(event)
        if spec is None or not spec.includes:
            return (event, *CANONICAL_KINDS.get(event, ()))
        out: list[str] = []
        for member in spec.includes:
            if member not in _seen and member != event:
                out += [e for e in self.expand_event(member, _seen | {event}) if e not in out]
        return tuple(out)

    def condition_ids(self) -> set[str]:
        return set(CANONICAL_CONDITIONS) | set(self.conditions)


# -- cases and hook results ------------------------------------------------


@frozen
class CaseEvent:
    """An event that happened (or is booked) in a case."""

    event: str
    date: dt.date
    attributes: Mapping[str, object] = field(factory=dict, converter=_frozen_dict)


@frozen
class Case:
    """A child's case: dated events and case-level circumstances."""

    id: str
    events: tuple[CaseEvent, ...] = ()
    conditions: frozenset[str] = frozenset()
    settings: Mapping[str, object] = field(factory=dict, converter=_frozen_dict)

    @classmethod
    def from_events(
        cls,
        events: Iterable[tuple[str, dt.date] | tuple[str, dt.date, Mapping[str, object]]],
        *,
        id: str = "case",
        conditions: Iterable[str] = (),
        settings: Mapping[str, object] | None = None,
    ) -> Case:
        """A case from ``(event id, date)`` pairs (or ``(event id, date, attributes)``).

        >>> Case.from_events([("icpc", dt.date(2024, 3, 4))], id="c1").occurrences("icpc")[0].date
        datetime.date(2024, 3, 4)
        """
        built = tuple(CaseEvent(e[0], e[1], e[2] if len(e) > 2 else {}) for e in events)
        return cls(id, built, frozenset(conditions), settings or {})

    def occurrences(self, event: str) -> list[CaseEvent]:
        """The case's events with id *event*, in date order."""
        return sorted((e for e in self.events if e.event == event), key=lambda e: e.date)


@frozen
class ChairDecision:
    """Who chairs a meeting, why, and on what authority."""

    roles: tuple[str, ...]
    reason: str
    strength: Strength | None = None
    source: Sources = ()
    decided_by: str | None = None  # plugin that made the decision


@frozen
class MeetingDue:
    """When the next occurrence of a meeting is due, and the rule that says so."""

    meeting: str
    obligation: str | None
    reason: str
    after: str | None = None
    within: Duration | None = None
    timescale: Timescale | None = None
    alternatives: tuple[Deadline, ...] = ()
    combine: Combine | None = None
    before: str | None = None
    anchor: Anchor = Anchor.EACH
    non_working_day: NonWorkingDay = NonWorkingDay.STANDS
    #: a recurrence ("every"): it chains from the meeting's own last occurrence once that is
    #: on or after the anchor event
    recurring: bool = False
    source: Sources = ()
    decided_by: str | None = None

    @classmethod
    def for_obligation(cls, meeting: str, ob_id: str, ob: Obligation, reason: str | None = None) -> MeetingDue:
        """The next *meeting* as obligation *ob_id* of a procedure times it; *reason* defaults to the rule."""
        within = ob.every or ob.within
        anchor = ob.after or ob.before or (meeting if ob.every else None)
        return cls(meeting=meeting, obligation=ob_id, reason=reason or _due_reason(ob_id, ob, within, anchor),
                   after=None if ob.before else anchor, before=ob.before, within=within,
                   timescale=ob.timescale, alternatives=ob.alternatives, combine=ob.combine,
                   anchor=ob.anchor, non_working_day=ob.non_working_day, recurring=ob.every is not None,
                   source=ob.source)


def _due_reason(ob_id: str, ob: Obligation, within: Duration | None, anchor: str | None) -> str:
    if ob.timescale is not None:
        return f"{ob_id}: timescale {ob.timescale.value}"
    if ob.alternatives:
        return f"{ob_id}: whichever is {ob.combine.value if ob.combine else 'sooner'} of " + ", ".join(
            f"{a.within} {'before' if a.before else 'after'} {a.before or a.after}" for a in ob.alternatives)
    if within is not None:
        return f"{ob_id}: within {within} {'before' if ob.before else 'after'} {anchor}"
    return f"{ob_id}: no timescale given"


@frozen
class PathwayDecision:
    """The escalation pathway chosen for a concern."""

    pathway: str
    steps: tuple[PathwayStep, ...]
    reason: str
    source: Sources = ()
    decided_by: str | None = None
