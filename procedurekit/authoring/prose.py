"""Reading a procedure's prose: numbers, units, modal strength and the events a statement names.

The shared vocabulary of :mod:`procedurekit.authoring.drafting` (the timed rules of a text) and
:mod:`procedurekit.authoring.arrangements` (its chairs, minutes, quorums, recipients and escalation steps),
written from the general phrasing of English child-protection procedures (docs/draft.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from procedurekit.authoring.coverage import Statement, statements

__all__ = ["EVENT_NAMES", "NUMBER", "UNIT", "WORDS", "Names", "number", "unit", "strength", "modal_before",
           "strength_of_will", "subject_event", "events_named", "statement_strength", "BARE_CONFERENCE",
           "which_conference", "conference_mentioned", "titles", "event_table", "first_event", "last_event",
           "in_context"]

#: compiled event names, longest first, each with the event it names (:func:`event_table`)
Names = list[tuple[re.Pattern[str], str]]

WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
          "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "twenty-eight": 28, "thirty": 30}
NUMBER = r"(\d+|" + "|".join(sorted(WORDS, key=len, reverse=True)) + r")"
UNIT = r"(working days?|calendar days?|days?|weeks?|months?|hours?)"
STRENGTHS = [("must", re.compile(r"\b(must|shall|is required|are required|is a requirement|has to|have to)\b", re.I)),
             ("should", re.compile(r"\b(should|is expected to|are expected to|ought)\b", re.I)),
             ("usually", re.compile(r"\b(usually|normally|generally)\b", re.I)),
             ("good-practice", re.compile(r"\b(good practice|best practice)\b", re.I)),
             ("may", re.compile(r"\bmay\b", re.I)),
             ("must", re.compile(r"\bwill\b", re.I))]

#: the usual names and abbreviations of the shared events (docs/draft.md); a baseline's own meeting names
#: are added by :func:`event_table`
EVENT_NAMES: Mapping[str, str] = {
    "initial child protection conference": "icpc", "initial child protection case conference": "icpc",
    "initial cp conference": "icpc", "initial conference": "icpc", "icpc": "icpc",
    "child protection conference": "icpc", "conference": "icpc",
    "review child protection conference": "rcpc", "child protection review conference": "rcpc",
    "review conference": "rcpc", "rcpc": "rcpc",
    "review": "rcpc",  # as a noun only (event_table)
    "strategy discussion": "strategy-discussion", "strategy meeting": "strategy-discussion",
    "core group meeting": "core-group", "core group": "core-group",
    "pre-birth conference": "pre-birth-conference", "pre-birth child protection conference": "pre-birth-conference",
    "referral": "referral", "birth": "birth", "expected date of delivery": "expected-birth",
    "child protection plan ends": "plan-ends", "plan ends": "plan-ends", "plan ceases": "plan-ends",
    "plan ending": "plan-ends", "plan ended": "plan-ends", "end of the plan": "plan-ends",
    "end of the child protection plan": "plan-ends", "plan is discontinued": "plan-ends",
    "plan being discontinued": "plan-ends", "discontinuation of the plan": "plan-ends",
    "ending of the plan": "plan-ends", "ending of the child protection plan": "plan-ends",
    "ceases to be subject of a child protection plan": "plan-ends", "moves school": "school-move",
    "changes school": "school-move", "school move": "school-move", "move school": "school-move",
    "expected date of birth": "expected-birth", "due date": "expected-birth",
    "baby is born": "birth", "child is born": "birth", "baby's birth": "birth", "child's birth": "birth",
    # the enquiry starts at a strategy discussion: counted from the one marked s47-initiated (docs/format.md)
    "section 47 enquiry": "strategy-discussion", "section 47 enquiries": "strategy-discussion",
    "s47 enquiry": "strategy-discussion", "s.47 enquiry": "strategy-discussion",
}


def number(text: str) -> int:
    return int(text) if text.isdigit() else WORDS[text.lower()]


def unit(text: str) -> tuple[str, bool]:
    text = text.lower()
    if text.startswith("working"):
        return "working days", False
    if text.startswith("calendar"):
        return "days", False
    for unit in ("day", "week", "month", "hour"):
        if text.startswith(unit):
            return unit + "s", unit == "day"
    return text, False


def strength(text: str) -> str | None:
    return next((name for name, pattern in STRENGTHS if pattern.search(text)), None)


def modal_before(text: str, position: int) -> str | None:
    """The strength of the clause a timescale at *position* stands in: the nearest modal before it (in
    "must be held within 3 months ...; later reviews should be held every 6 months" each has its own)."""
    found = [(m.start(), name) for name, pattern in STRENGTHS for m in pattern.finditer(text, 0, position)]
    return max(found)[1] if found else None


def strength_of_will(text: str) -> str | None:
    """"must" when "will" is the only modal of *text*, else None."""
    return "must" if all(not p.search(text) for _, p in STRENGTHS[:-1]) and STRENGTHS[-1][1].search(text) else None


#: "review" the noun ("before the review", "subsequent reviews"), not the verb ("will review the matter", "monitor and
#: review the plan")
_VERB_REVIEW = re.compile(r"(?<!\bwill )(?<!\bto )(?<!\bshould )(?<!\bmust )(?<!\bmay )(?<!\bcan )(?<!\band )"
                          r"(?<!\bor )\breviews?\b(?!\s+(?:the|a|an|their|its|this|his|her|any|all|progress|how|whether)\b)",
                          re.I)


def event_table(extra: Mapping[str, str]) -> Names:
    names = {**EVENT_NAMES, **{k.lower(): v for k, v in extra.items()}}
    return [(_VERB_REVIEW if name == "review" else re.compile(r"\b" + re.escape(name) + r"s?\b", re.I), event)
            for name, event in sorted(names.items(), key=lambda kv: -len(kv[0]))]


#: people named after a meeting ("the conference chair", "the chair of the conference"): not the meeting
_NAMED_AFTER = re.compile(r"\b(?:(?:child protection |review |initial )?conference|core group) (?:chair(?:person)?s?|"
                          r"members?)\b|\bchair of the (?:child protection |review |initial )?conference\b", re.I)


def _unnamed(text: str) -> str:
    """*text* with the people named after a meeting blanked out, so positions still hold."""
    return _NAMED_AFTER.sub(lambda m: " " * len(m.group(0)), text)


def _named(text: str, names: Names) -> list[tuple[int, int, str]]:
    """``(start, end, event)`` of every event name in *text*."""
    return [(m.start(), m.end(), event) for pattern, event in names for m in pattern.finditer(text)]


def events_named(text: str, names: Names) -> list[str]:
    """The events *text* names, in order (at one place, the longest name first)."""
    return [e for _, _, e in sorted((start, start - end, e) for start, end, e in _named(text, names))]


def first_event(text: str, names: Names, *, people: bool = False) -> str | None:
    """The event *text* names first (the longest name at the earliest place); with *people*, also in the names
    of people ("a core group member": the core group)."""
    found = _named(text if people else _unnamed(text), names)
    return min((start, start - end, e) for start, end, e in found)[2] if found else None


def last_event(text: str, names: Names) -> str | None:
    """The event *text* names last: the subject of the verb that follows it."""
    found = _named(_unnamed(text), names)
    return max((end, end - start, e) for start, end, e in found)[2] if found else None


def subject_event(text: str, names: Names) -> str | None:
    """The meeting a clause is about: the last event named that is not counted from ("within 3 months of the
    ICPC and then every 6 months", "between conferences the core group will meet monthly")."""
    text = _unnamed(text)
    found = [(end, end - start, e) for start, end, e in _named(text, names)
             if not re.search(r"\b(?:of|after|from|following|before|between|since|prior to)\s+(?:the\s+|each\s+|"
                              r"every\s+|any\s+|a\s+)?$", text[:start], re.I)]
    return max(found)[2] if found else first_event(text, names)


def statement_strength(text: str, inherited: str | None) -> str | None:
    """The strength of a statement: an item listed under "The core group should:" takes the lead-in's
    strength, unless it says more than "will" (often descriptive: "this will help")."""
    own = strength(text)
    return inherited if inherited and (own is None or own == strength_of_will(text)) else own


def in_context(text: str) -> Iterator[tuple[Statement, str, str | None, str]]:
    """Every normative statement of *text* with its context (the heading, and the lead-in it is listed
    under), the strength of that lead-in, if it is listed under one, and the title it stands under."""
    inherited: str | None = None  # the strength of the lead-in ("The core group should:") a list stands under
    lead_in, lead_line = "", 0
    titled = titles(text)
    for statement in statements(text):
        # a line straight after a lead-in, with no modal of its own, is its first item even without a bullet
        listed = statement.listed or (bool(lead_line) and statement.line - lead_line <= 2
                                      and strength(statement.text) is None)
        # a numbered paragraph ("1.2") is about what its part's title ("1. Initial Child Protection Conference") says
        title = titled.get(statement.line, "")
        section = statement.section if title in statement.section else f"{statement.section} {title}".strip()
        yield statement, (lead_in + " " if listed else "") + section, inherited if listed else None, title
        if statement.lead_in:
            inherited, lead_in, lead_line = strength(statement.text), statement.text, statement.line


#: "the conference", "conference": no initial, review or pre-birth before it
BARE_CONFERENCE = re.compile(r"\s*(?:the\s+|each\s+|any\s+)?conferences?\b", re.I)


def which_conference(context: str, antecedent: str | None = None) -> str:
    """The conference a bare "the conference" means: the one its heading names ("Initial Child Protection
    Conference"); else the one the text under that heading last mentioned (*antecedent*: "conference" for any);
    else any conference under a heading about conferences ("Preparation for conference"); else the initial one."""
    specific = re.search(r"\b(initial|review|pre-birth|icpc|rcpc)\b[^.;]{0,40}?\bconference|\b(icpc|rcpc)\b",
                         context, re.I)
    if specific:
        word = (specific.group(1) or specific.group(2)).lower()
        return {"initial": "icpc", "icpc": "icpc", "review": "rcpc", "rcpc": "rcpc"}.get(word, "pre-birth-conference")
    if antecedent:
        return antecedent
    return "conference" if re.search(r"\bconferences?\b", context, re.I) else "icpc"


#: the conferences a text may mention, each as the event it means: any conference, or one of them
_MENTIONS = [(re.compile(r"\b(?:any|every|all|each)\s+(?:child protection\s+)?conferences?\b|\b(?:initial|review)\s+(?:and|or)"
                         r"\s+(?:initial|review)\s+(?:child protection\s+)?conferences?\b|\bconference (?:minutes|reports?|"
                         r"records?)\b", re.I), "conference"),
             (re.compile(r"\b(?:initial\s+(?:child protection\s+)?(?:case\s+)?conference|icpc)\b", re.I), "icpc"),
             (re.compile(r"\b(?:review\s+(?:child protection\s+)?conference|child protection review conference|rcpc)\b",
                         re.I), "rcpc"),
             (re.compile(r"\bpre-birth\s+(?:child protection\s+)?conference\b", re.I), "pre-birth-conference")]


def conference_mentioned(text: str) -> str | None:
    """The conference *text* mentions last: "conference" for any ("every conference", "initial and review
    conferences", "conference minutes"), else the one it names; None when it names none but "the conference"."""
    text = _unnamed(text)
    found = [(m.end(), -m.start(), event) for pattern, event in _MENTIONS for m in pattern.finditer(text)]
    return max(found)[2] if found else None


_TITLE = re.compile(r"^\s*(?:\d+(?:\.\d+)*\.?\s+)?([A-Z][^.;:!?]{1,68})\s*\+?\s*$")


def titles(text: str) -> dict[int, str]:
    """The title (a short line with no full stop, numbered or not) each line of *text* stands under."""
    out: dict[int, str] = {}
    title = ""
    for number_, line in enumerate(text.splitlines(), start=1):
        match = _TITLE.match(line)
        if match and len(match.group(1).split()) <= 9 and not line.lstrip().startswith(("•", "·", "-", "*")):
            title = match.group(1).strip()
        out[number_] = title
    return out
