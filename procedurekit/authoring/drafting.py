"""Proposed rules from a procedure's prose: the timed statements of a source text, read by rules.

Every normative statement of the text (:func:`procedurekit.authoring.coverage.statements`) is read for a
timescale ("within 10 working days of the initial conference", "at least every 6 weeks", "no later than 5
working days before the review", "monthly"), the event it counts from, what it is about (a meeting, its
first or later occurrences) and its strength (must, should, usually, may). A statement that yields all of
them is a :class:`Proposal`; one that does not is listed with the reason. The patterns follow the general
phrasing of English child-protection procedures, not one text (docs/draft.md); nothing here is fitted to
a shipped plugin, which :func:`measure` uses only to count what the proposals get right.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from attrs import evolve, frozen

from procedurekit.authoring.coverage import Statement
from procedurekit.authoring.prose import (
    BARE_CONFERENCE, EVENT_NAMES, NUMBER, UNIT, conference_mentioned, event_table, events_named, first_event,
    in_context, last_event, modal_before, Names, number, statement_strength, subject_event, unit, which_conference,
)

__all__ = ["Proposal", "Unparsed", "propose", "EVENT_NAMES"]

#: "within 10 working days of", "no later than 5 working days before", "2 working days prior to", "a maximum of
#: 15 days of", "take place 10 working days from": a number and a unit, then the word that ties it to an event
_DEADLINE = re.compile(
    r"\b(?:(?:within|no later than|not later than|no more than|a maximum of|at least|by)\s+)?(?:a maximum of\s+)?"
    + NUMBER + r"(?:\s*\(\d+\))?\s+" + UNIT + r"\s+(of|after|from|following|before|prior to)\b\s*(?:the\s+)?"
    r"((?:(?!\b(?:or|and)\s+(?:within|no later than|not later than|by|at least)\b)[^.;,]){0,80})", re.I)
#: "minutes circulated within 5 working days." with no event after it: counted from what the section is about
_BARE_DEADLINE = re.compile(r"\bwithin\s+" + NUMBER + r"\s+" + UNIT + r"\b(?!\s+(?:of|after|from|following|"
                            r"before|prior to)\b)", re.I)
#: "every 6 weeks", "at least every 4 weeks", "no less than once every two months", "at intervals of not more
#: than 6 months"
_EVERY = re.compile(
    r"\b(?:(?:at least |no less than |not less than )?(?:once )?every|at intervals(?: of)?(?: not more than| no more than|"
    r" not exceeding| not greater than| of no more than| of not more than)?)\s+" + NUMBER + r"\s+" + UNIT, re.I)
#: "within six weeks of the first meeting": counted from the subject's own earlier meeting
_OWN_MEETING = re.compile(r"(?:(?:first|last|previous|preceding|that|this|each) )?meeting\b", re.I)
#: "immediately after the initial conference", "straight after the conference"; not "not ... immediately after"
_IMMEDIATE = re.compile(r"\b(?:immediately|straight|directly)\s+(?:after|following)\s+(?:the\s+)?([^.;,]{1,80})", re.I)
#: "the plan will be outlined at the conference", "a lead social worker must be appointed at the initial conference"
_AT = re.compile(r"\b(?:be|is|are)\s+(?:\w+ly\s+)?\w+(?:ed|en|wn|up)\s+(?:\w+\s+){0,3}?(?:at|during)\s+(?:the|each|every)\s+"
                 r"([^.;,]{1,60})", re.I)
_EITHER_CONFERENCE = re.compile(r"\s*(?:the\s+|an?\s+)?(?:initial|review)\s+or\s+(?:initial|review)\b", re.I)


#: "of the move", "of the change": the event the sentence named before
_THE_EVENT = re.compile(r"\s*(?:the\s+)?(?:move|change|transfer|event)\b", re.I)
#: "of the first meeting", "at the first core group": the anchor's first occurrence
_FIRST = re.compile(r"\s*(?:the\s+)?first\b", re.I)
#: "... following the first review conference" after a frequency
_RECURS_AFTER = re.compile(r"[^.;]{0,40}?\b(?:following|after|from)\s+(?:the\s+)?(first\s+)?([^.;,]{1,60})", re.I)


def _first_of_several(anchor: str, words: str) -> bool:
    """"the strategy discussion at which the section 47 enquiry was initiated" counts from the first such
    discussion when none is marked (docs/format.md), unless the text says the last."""
    return anchor == "strategy-discussion" and bool(_marked(anchor, words)) and not re.search(r"\blast\b", words, re.I)


#: 'circulated', 'the minutes', 'a report': what is owed is a thing, not a meeting
_DONE = re.compile(r"\b(minutes|notes|record|report|reports|circulated?|circulate|distribute[sd]?|sent|send|share[sd]?|"
                   r"copied|inform|informed|notify|notified)\b", re.I)
_OTHER_MEETING = re.compile(r"\b(?:a|an|the)\s+((?:[\w-]+\s+){1,4}meeting)\s+(?:should|must|will|shall|is to|needs to)\b"
                            r"[^.;]*$", re.I)
_PRE_BIRTH = re.compile(r"\b(pre-birth|unborn)\b", re.I)
#: "monthly", "six-weekly", "4 weekly" (a count, never "meet monthly")
_EVERY_ADVERB = re.compile(r"\b(?:not less than |at least |no less than )?((?:" + NUMBER[1:-1] + r")[- ](?:weekly|"
                           r"monthly)|monthly|weekly|fortnightly)\b", re.I)


@frozen
class Proposal:
    """A timed rule read from one statement: what it is about, when, counted from what, how binding."""

    line: int
    section: str
    quote: str
    kind: str  # "within", "before", "every", "immediately" or "alternatives"
    number: int
    unit: str  # "working days", "days", "weeks", "months", "hours"
    anchor: str | None
    subject: str | None
    occurrence: str | None
    strength: str
    #: "days" written bare: the working-day reading is proposed beside the literal one
    bare_days: bool = False
    #: "within 1 month of the birth or 3 months of the conference, whichever is sooner": each deadline as
    #: ``(number, unit, anchor)``, and ``combine`` (``kind`` is then "alternatives")
    alternatives: tuple[tuple[int, str, str], ...] = ()
    combine: str | None = None
    #: the anchor is the occurrence so marked: "the strategy discussion at which the section 47 enquiry was
    #: initiated" (``s47-initiated``), "any inquorate conference" (``inquorate``)
    anchor_where: tuple[str, ...] = ()
    #: what is owed is a thing sent or done ("minutes circulated within 5 days of the meeting"), not a meeting held
    done: bool = False
    #: counted from the first occurrence of the anchor ("within six weeks of the first meeting", "every two months
    #: following the first review conference")
    anchor_first: bool = False
    #: the statement is about an unborn child ("pre-birth", "unborn"): the rule holds in pre-birth cases only
    pre_birth: bool = False


@frozen
class Unparsed:
    line: int
    section: str
    quote: str
    reason: str


def _occurrence(text: str) -> str | None:
    if re.search(r"\b(first|initial)\b", text, re.I):
        return "first"
    if re.search(r"\b(subsequent|further|thereafter|later|following)\b", text, re.I):
        return "subsequent"
    return None


def _read(statement: Statement, names: Names, inherited: str | None, context: str, antecedent: str | None
          ) -> list[Proposal] | Unparsed:
    """Every timed rule of *statement*; its strength, or that of the lead-in it is listed under. A deadline
    that names no event counts from the meeting *context* (the heading, or the lead-in) is about. A bare "the
    conference" is the one the text under the same title last mentioned (*antecedent*; "" when the baseline
    has no conference group), else the one its heading is about."""
    any_conference = antecedent != ""
    text = statement.text
    overall = statement_strength(text, inherited)
    if overall is None:
        return Unparsed(statement.line, statement.section, text, "no modal verb (must, should, will, may)")
    found: list[Proposal] = []
    timescales, unanchored = _timescales(text, names, context)
    for kind, amount, units, bare, anchor, start, where, done_at, first in timescales:
        before = text[:start]
        # "a child in need meeting should be held within ...": a meeting the names do not know is the subject
        other = _OTHER_MEETING.search(before)
        subject = (None if other and first_event(other.group(1), names) is None
                   else (subject_event if kind == "every" else last_event)(before, names) or first_event(context, names))
        if any_conference and anchor in ("icpc", "rcpc") and _EITHER_CONFERENCE.match(where):
            anchor = "conference"  # "straight after the initial or review conference": either
        elif any_conference and anchor == "icpc" and BARE_CONFERENCE.match(where):  # and the subject with it
            # "minutes of every conference ... within 15 working days of the conference": any conference
            anchor = conference_mentioned(before) or which_conference(context, antecedent)
            subject = anchor if subject == "icpc" else subject
        clause = modal_before(text, start) or inherited or overall  # the clause's modal, else the lead-in's
        found.append(Proposal(statement.line, statement.section, text, kind, amount, units, anchor,
                              None if done_at else subject,
                              None if done_at else "subsequent" if kind == "every" else _occurrence(before),
                              clause, bare, anchor_where=_marked(anchor, where), done=bool(_DONE.search(before)),
                              pre_birth=bool(_PRE_BIRTH.search(text)), anchor_first=first or _first_of_several(
                                  anchor, where)))
    if found:
        return found
    return Unparsed(statement.line, statement.section, text, f"a timescale ({unanchored}) counted from no event named"
                    if unanchored else "no timescale with a number and a unit")


#: kind, number, unit, bare days, the event counted from, where it stands, the words naming the event, whether it
#: is a thing done at the event, and whether it counts from the event's first occurrence
_Timescale = tuple[str, int, str, bool, str, int, str, bool, bool]


def _timescales(text: str, names: Names, context: str) -> tuple[list[_Timescale], str | None]:
    """The timescales of *text* with the events they count from, and the last one counted from no event."""
    out: list[_Timescale] = []
    unanchored = None
    for deadline in _DEADLINE.finditer(text):
        before = text[:deadline.start()]
        anchor = first_event(deadline.group(4), names)
        if _OWN_MEETING.match(deadline.group(4)):  # "of the first meeting": the subject's own meeting
            anchor = first_event(before, names, people=True) or first_event(context, names)
        elif anchor is None and _THE_EVENT.match(deadline.group(4)):  # "changes school ... within 5 days of the move"
            anchor = last_event(before, names)
        if anchor is None:
            unanchored = deadline.group(0).strip()
            continue
        kind = "before" if deadline.group(3).lower() in ("before", "prior to") else "within"
        # the anchor's words, and the rest of the sentence: "..., the one at which the section 47 enquiry began"
        out.append((kind, number(deadline.group(1)), *unit(deadline.group(2)), anchor, deadline.start(),
                    deadline.group(4) + text[deadline.end():], False, bool(_FIRST.match(deadline.group(4)))))
    for bare in _BARE_DEADLINE.finditer(text):
        # "minutes circulated within 5 working days": from the event the sentence or its heading names; "the
        # first core group must meet within 10 working days" under "Core groups following the initial
        # conference": from the heading's event, not the meeting held
        before = text[:bare.start()]
        anchor = first_event(before, names) or first_event(context, names)
        if anchor is not None and anchor == subject_event(before, names) and not _DONE.search(before):
            anchor = next((e for e in events_named(context, names) if e != anchor), anchor)
        if anchor is None:
            unanchored = bare.group(0).strip()
            continue
        # "within 6 months thereafter": the interval between later occurrences
        again = bool(re.match(r"\s*thereafter\b", text[bare.end():], re.I))
        out.append(("every" if again else "within", number(bare.group(1)), *unit(bare.group(2)), anchor,
                    bare.start(), "", False, False))
    for every in [*_EVERY.finditer(text), *_EVERY_ADVERB.finditer(text)]:
        amount, units, bare_days = ((number(every.group(1)), *unit(every.group(2))) if every.re is _EVERY
                                    else _adverb(every))
        subject = subject_event(text[:every.start()], names) or first_event(context, names) or first_event(text, names)
        # "once every two months following the first review conference": counted from that event
        after = _RECURS_AFTER.match(text, every.end())
        since = first_event(after.group(2), names) if after else None
        if amount and subject is not None:
            out.append(("every", amount, units, bare_days, since or subject, every.start(), "", False,
                        bool(since and after and after.group(1))))
    for anchor, start, words, done_at in _due_at(text, names):
        # "the dates should be agreed at the core group": what is done, not a meeting held
        out.append(("immediately", 0, "", False, anchor, start, words, done_at, bool(_FIRST.match(words))))
    return out, unanchored


def _due_at(text: str, names: Names) -> list[tuple[str, int, str, bool]]:
    """``(event, position, words, done at it)`` of each duty *text* makes due at an event: "immediately after
    the conference" (the subject may be a meeting), "will be agreed at the conference" (a thing done)."""
    out = []
    for at in [*_IMMEDIATE.finditer(text), *_AT.finditer(text)]:
        # "should not be held immediately after the conference" is a lower bound, and "will have been identified
        # at the conference" tells what happened: neither is a duty due at the event
        if re.search(r"\bnot\b[^.;,]{0,25}$|\bha(?:ve|s) been\b[^.;,]{0,25}$", text[:at.start()], re.I):
            continue
        anchor = first_event(at.group(1), names)
        if anchor is not None:
            out.append((anchor, at.start(), at.group(1), at.re is _AT))
    return out


def _marked(anchor: str, words: str) -> tuple[str, ...]:
    """The mark the anchor's occurrence carries, from the words that name it."""
    if anchor == "strategy-discussion" and re.search(r"\b(?:section|s\.?) ?47\b", words, re.I):
        return ("s47-initiated",)
    if re.search(r"\binquorate\b", words, re.I):
        return ("inquorate",)
    return ()


def _adverb(match: re.Match[str]) -> tuple[int, str, bool]:
    word = match.group(1).lower()
    if word == "monthly":
        return 1, "months", False
    if word == "weekly":
        return 1, "weeks", False
    if word == "fortnightly":
        return 2, "weeks", False
    count = re.split(r"[- ]", word)[0]
    return number(count), ("weeks" if word.endswith("weekly") else "months"), False


def propose(text: str, names: Mapping[str, str] = {}, groups: Mapping[str, tuple[str, ...]] = {}
            ) -> tuple[list[Proposal], list[Unparsed]]:
    """The timed rules proposed from source *text*, and its other normative statements with why not.
    *names* adds meeting and event names (lower case) to :data:`EVENT_NAMES`; with *groups* (the baseline's
    event groups of meetings), a bare "the conference" under a heading about conferences in general counts
    from any conference."""
    table = event_table(names)
    proposals: list[Proposal] = []
    unparsed: list[Unparsed] = []
    seen: dict[tuple[object, ...], int] = {}
    title, antecedent = "", None  # the conference the part of the text under one title last mentioned
    for statement, context, inherited, titled in in_context(text):
        if titled != title:
            title, antecedent = titled, None
        read = _read(statement, table, inherited, context, antecedent if "conference" in groups else "")
        antecedent = conference_mentioned(statement.text) or antecedent
        if isinstance(read, Unparsed):
            unparsed.append(read)
            continue
        for proposal in _combined(statement.text, read):
            key = (proposal.kind, proposal.number, proposal.unit, proposal.anchor, proposal.strength,
                   proposal.subject, proposal.alternatives)
            if key in seen:  # the same rule stated twice: one rule, the second statement listed with why
                unparsed.append(Unparsed(statement.line, statement.section, statement.text,
                                         f"the same rule as the statement on line {seen[key]}"))
                continue
            seen[key] = statement.line
            proposals.append(proposal)
    return proposals, unparsed


_COMBINE = re.compile(r"\bwhichever is (?:the )?(sooner|earlier|later)\b", re.I)


def _combined(text: str, found: list[Proposal]) -> list[Proposal]:
    """*found*, with the deadlines of "..., whichever is sooner" made one rule of alternatives."""
    match = _COMBINE.search(text)
    deadlines = [p for p in found if p.kind in ("within", "before")]
    if match is None or len(deadlines) < 2:
        return found
    first = deadlines[0]
    combined = evolve(first, kind="alternatives", alternatives=tuple((p.number, p.unit, p.anchor) for p in deadlines
                                                                      if p.anchor),
                      combine="later" if match.group(1).lower() == "later" else "sooner")
    return [combined, *(p for p in found if p not in deadlines)]
