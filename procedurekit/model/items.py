"""The items a procedure is made of: sources, roles, events, meetings, documents, obligations, pathways."""

from __future__ import annotations

from collections.abc import Iterator

from attrs import frozen

from procedurekit.calendars import NonWorkingDay
from procedurekit.durations import Duration, Frequency
from procedurekit.model.vocabulary import (
    Anchor, Combine, Occurrence, ReadingBasis, Strength, Timescale, Timing, Verification,
)

@frozen
class Source:
    """Where a rule comes from: a document of ``[sources]``, a place in it, its words."""

    doc: str
    section: str | None = None
    paragraph: str | None = None
    quote: str | None = None
    verified: Verification | None = None
    note: str | None = None


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
    #: the same function under another id in other procedures (children's social care, social services,
    #: social work): compare does not count an owner "changed" between equivalent roles
    same_as: tuple[str, ...] = ()
    #: proposed by ``procedurekit draft`` and not yet checked by a person: a warning until removed
    draft: bool = False
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
    """A circumstance of a case that switches rules on or off (``when``/``unless``).

    A ``judgement`` condition is a professional's decision ("if appropriate",
    "where the chair considers it necessary"), not a fact: a case that does not
    record it gets the rule shown as a judgement to make, never computed as a duty.
    """

    name: str
    description: str | None = None
    judgement: bool = False
    source: Sources = ()


@frozen
class Period:
    """A stretch of a case, such as the child protection plan: from a start event to an end event.

    Every duty about one of its ``meetings`` or ``documents`` (or that names it
    in ``during``) belongs to it: once the period ends, nothing of it falls due.
    A case ends a period with one of the ``ends`` events, or with an event that
    has that event id as a true attribute (a review conference with ``plan-ends = true``).
    """

    name: str
    starts: tuple[str, ...] = ()
    ends: tuple[str, ...] = ()
    meetings: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()
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
    """Who chairs: any one of ``roles`` (in order of preference).

    ``when``/``unless`` (only in a meeting's ``chair.conditional`` list) limit
    the rule to cases where those conditions hold.
    """

    roles: tuple[str, ...]
    strength: Strength
    when: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()
    independent: bool = False  # independent of operational/line management of the case
    records: bool = False  # the chair also records (minutes) the meeting
    #: proposed by ``procedurekit draft`` and not yet checked by a person: a warning until removed
    draft: bool = False
    note: str | None = None
    interpretation: str | None = None
    source: Sources = ()


@frozen
class Chairing:
    """Chair rules of a meeting: ``each`` applies where ``first``/``subsequent`` do not;
    ``fallback`` applies when the chair is absent; the first of ``conditional``
    whose ``when``/``unless`` hold for the case comes before them all."""

    each: ChairRule | None = None
    first: ChairRule | None = None
    subsequent: ChairRule | None = None
    fallback: ChairRule | None = None
    conditional: tuple[ChairRule, ...] = ()

    #: the single-rule slots, in the order they are written and shown
    SLOTS = ("each", "first", "subsequent", "fallback")

    def slots(self) -> Iterator[tuple[str, ChairRule]]:
        """``(slot, rule)`` for every rule: the single slots, then ``conditional.1``, ``conditional.2``..."""
        for slot in self.SLOTS:
            rule = getattr(self, slot)
            if rule is not None:
                yield slot, rule
        for i, rule in enumerate(self.conditional, start=1):
            yield f"conditional.{i}", rule

    def rule_for(self, occurrence: int, *, chair_absent: bool = False,
                 conditions: frozenset[str] = frozenset()) -> ChairRule | None:
        """The rule for the *occurrence*-th meeting (1 = first) of a case with *conditions*."""
        for rule in self.conditional:
            if conditions.issuperset(rule.when) and conditions.isdisjoint(rule.unless):
                return rule
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
    #: proposed by ``procedurekit draft`` and not yet checked by a person: a warning until removed
    draft: bool = False
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
    #: the attending agencies must have had contact with each child (sibling conferences: checked per child)
    per_child: bool = False
    #: proposed by ``procedurekit draft`` and not yet checked by a person: a warning until removed
    draft: bool = False
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
    #: what the rule is about (:data:`procedurekit.model.concepts.CONCEPTS`), for comparing by meaning
    concept: str | None = None
    #: proposed by ``procedurekit draft`` and not yet checked by a person: a warning until removed
    draft: bool = False
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
class Reading:
    """Another reading of an ambiguous timescale ("within 15 days": calendar or working days?)."""

    within: Duration
    basis: ReadingBasis
    reason: str
    source: Sources = ()


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
    #: other readings of ``within`` (or ``every``) where the text is ambiguous; ``within`` is read as ``basis``
    readings: tuple[Reading, ...] = ()
    basis: ReadingBasis | None = None
    #: "by 34 weeks of pregnancy": due that many weeks into a 40-week pregnancy, from the case's expected birth
    gestation: Duration | None = None
    #: the anchor event must carry these attributes ("the strategy discussion at which the enquiry was initiated")
    anchor_where: tuple[str, ...] = ()
    #: the period (e.g. the plan) this duty belongs to, beyond the meetings and documents the period names
    during: str | None = None
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
    #: proposed by ``procedurekit draft`` and not yet checked by a person: a warning until removed
    draft: bool = False
    #: what the rule is about (:data:`procedurekit.model.concepts.CONCEPTS`), for comparing by meaning
    concept: str | None = None
    note: str | None = None
    interpretation: str | None = None
    source: Sources = ()

    def applies(self, conditions: frozenset[str]) -> bool:
        """Whether the ``when``/``unless`` conditions hold for a case with *conditions*."""
        return conditions.issuperset(self.when) and conditions.isdisjoint(self.unless)

    @property
    def timing(self) -> Timing:
        """The kind of timing this obligation has (see :class:`Timing`)."""
        if self.timescale is not None:
            return Timing(self.timescale.value)
        if self.every is not None:
            return Timing.RECURRING
        if self.alternatives:
            return Timing.ALTERNATIVES
        if self.within is not None or self.before or self.gestation is not None:
            # "before X" with no number is due by the last working day before X
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
    #: what the rule is about (:data:`procedurekit.model.concepts.CONCEPTS`), for comparing by meaning
    concept: str | None = None
    #: proposed by ``procedurekit draft`` and not yet checked by a person: a warning until removed
    draft: bool = False
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
