"""The domain model: procedures and the rules they are made of.

All classes are frozen ``attrs`` classes built by the loader from TOML (see
docs/format.md for the file format, which mirrors these classes key for key).
The vocabulary (:mod:`.vocabulary`), the items of a procedure (:mod:`.items`),
the procedure itself (:mod:`.procedure`) and cases with the hooks' answers
(:mod:`.cases`) each have a module; import them all from here.
Rules carry a :class:`Strength` (procedures are written in modal language), an
optional ``interpretation`` (how an ambiguous text was read, and why) and the
:class:`Source` they rest on.
"""

from __future__ import annotations

from procedurekit.calendars import DIVISIONS
from procedurekit.model.cases import Case, CaseEvent, ChairDecision, MeetingDue, PathwayDecision
from procedurekit.model.concepts import CONCEPTS, TOPICS, Concept
from procedurekit.model.items import (
    Category, ChairRule, Chairing, Condition, Deadline, Document, Event, Key, Meeting, MinuteRule, Obligation,
    Pathway, PathwayStep, Period, Quorum, Reading, Right, Role, Source, SourceDocument, Sources, Trigger,
)
from procedurekit.model.procedure import RULE_SECTIONS, SECTIONS, Procedure, ProcedureHeader
from procedurekit.model.vocabulary import (
    CANONICAL_CONDITIONS, CANONICAL_EVENTS, CANONICAL_KINDS, JURISDICTIONS, Anchor, Combine, EventStatus, Occurrence, ReadingBasis, Strength,
    Timescale, Timing, Verification,
)

__all__ = [
    "Strength", "Verification", "Occurrence", "Anchor", "Combine", "EventStatus", "ReadingBasis", "Timescale", "Timing",
    "Source", "Sources", "Key", "SourceDocument", "Role", "Event", "Condition", "Category",
    "ChairRule", "Chairing", "MinuteRule", "Quorum", "Meeting", "Document",
    "Period", "Reading", "Deadline", "Obligation", "PathwayStep", "Pathway", "Trigger", "Right",
    "Procedure", "ProcedureHeader", "CaseEvent", "Case", "ChairDecision", "MeetingDue", "PathwayDecision",
    "Concept", "CONCEPTS", "TOPICS",
    "CANONICAL_EVENTS", "CANONICAL_KINDS", "CANONICAL_CONDITIONS", "DIVISIONS", "JURISDICTIONS", "SECTIONS", "RULE_SECTIONS",
]
