"""Who, not when: the chairs, minute-takers, quorums, recipients and escalation steps a procedure's prose states.

``procedurekit draft`` reads each normative statement for who chairs a meeting ("chaired by the team
manager", "the key worker will usually chair subsequent meetings", "another member should then chair and
record the meeting"), who minutes it ("minuted by a nominated member (not the chair)"), its quorum ("children's
social care and at least 2 other agencies"), who receives its minutes or the plan ("distribute ... to core
group members and the conference chair"), and reads the stages of an escalation section in order. Roles are
matched by their usual names and the baseline's; a role the baseline does not define is proposed as a new
role under the words the text uses. As with the timed rules, the patterns follow the general phrasing of
English procedures (docs/draft.md) and are measured against the hand-written plugins, not fitted to them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from attrs import evolve, frozen

from procedurekit.authoring.coverage import Statement
from procedurekit.authoring.prose import (
    NUMBER, UNIT, Names, event_table, first_event, in_context, modal_before, number, statement_strength, strength,
    unit, which_conference, conference_mentioned,
)
from procedurekit.authoring.rolenames import ROLE_NAMES, NewRole, RoleNames
from procedurekit.model import ChairRule, MinuteRule, Procedure, Quorum

__all__ = ["ROLE_NAMES", "NewRole", "Arrangement", "Step", "Escalation", "Arrangements", "arrange",
           "arrangement_key", "proposed_keys", "documents", "written_arrangements", "describe",
           "review_arrangements"]

_CHAIRED_BY = re.compile(r"\bchaired\s+by\s+(?P<who>[^.;:]+)", re.I)
_WILL_CHAIR = re.compile(r"(?P<who>[^.;:]{2,160}?)\s+(?:(?:who\s+)?(?:will|should|must|shall|may|can|is to|are to|"
                         r"would)\s+(?:(?:usually|normally|always|then|generally|also)\s+)*chair|(?:(?:usually|"
                         r"normally|always|generally)\s+)?chairs)\b(?!\s*(?:person|'s|’s))", re.I)
_CHAIR_WILL_BE = re.compile(r"\bthe chair\s+(?:will|should|must|shall)\s+(?:normally\s+|usually\s+)?be\s+"
                            r"(?P<who>[^.;:]+)", re.I)
_AS_CHAIR = re.compile(r"(?P<who>[^.;:]{2,160}?)\s+as\s+(?:the\s+)?chair\b", re.I)
_FALLBACK = re.compile(r"\b(another|absence|absent|unable to attend|unavailable|not available|deputy|"
                       r"in (?:his|her|their) place)\b", re.I)
_LATER = re.compile(r"\b(subsequent|further|later|thereafter|all other|remaining)\b", re.I)

_MINUTED = [re.compile(r"\bminuted\s+by\s+(?P<who>[^.;:]+)", re.I),
            re.compile(r"\b(?:minutes?|notes|the record)(?:\s+of\s+(?:the|each|every|all)\s+[\w -]{1,40}?)?\s+(?:(?:will|should|must|shall|"
                       r"are to|is to)\s+)?(?:be\s+)?(?:taken|recorded|"
                       r"kept|written|produced)\s+by\s+(?P<who>[^.;:]+)", re.I),
            re.compile(r"(?P<who>[^.;:]{2,160}?)\s+(?:will|should|must|shall|is to|are to)\s+(?:be\s+responsible\s+"
                       r"for\s+)?(?:take|taking|keep|keeping|record|recording|write|writing|produce|producing)\s+"
                       r"(?:the\s+)?(?:minutes|a record|the record|a note|notes)\b", re.I)]
_NOT_CHAIR = re.compile(r"\(not the chair\)|\b(?:not|never) (?:by )?the (?:chair|person chairing)\b|\bother than the "
                        r"(?:chair|person chairing)\b|\bwho is not chairing\b|\bnot chairing\b|\bthe chair (?:must|should|"
                        r"will|may) not (?:take|record|write|keep)\b|\bmust not be the chair\b|\bchair is not responsible for "
                        r"(?:recording|minuting|taking)\b", re.I)

_QUORUM = re.compile(r"\bquorum\b|\bquorate\b|\bas a minimum\b[^.]*\battend", re.I)
_MINIMUM = re.compile(r"\b(?:at least|a minimum of|minimum of|no fewer than|not less than|as a minimum,?\s+(?:have\s+|"
                      r"of\s+|be\s+)?|"
                      r"(?<=and )|(?<=plus ))\s*" + NUMBER
                      + r"\s+(other\s+)?(?:[\w'’-]+\s+){0,3}?(?:agencies|agency|professional groups|professionals|"
                        r"organisations|disciplines|groups|members|practitioners)\b", re.I)
_ALWAYS_ATTEND = re.compile(r"(?P<who>[^.;:]{2,160}?)\s+(?:must|shall|will|should)\s+always\s+attend\b", re.I)
_SPECIFIC = re.compile(r"\b(?:initial|review|pre-birth|icpc|rcpc)\b", re.I)
#: every conference: "all conferences", "initial and review conferences", "conference minutes" (minutes of conferences)
_EVERY_CONFERENCE = re.compile(r"\b(?:every|each|all|any|a)\s+(?:child protection\s+)?conferences?\b|\b(?:initial|review)"
                               r"\s+(?:and|or)\s+(?:initial|review)\s+(?:child protection\s+)?conferences?\b|(?<!review )"
                               r"(?<!initial )\bconference (?:minutes|reports?|records?|invitations?)\b", re.I)

_SENDS = re.compile(r"\b(?:distribute[sd]?|circulate[sd]?|send|sends|sent|share[sd]?|copied|forward(?:ed|s)?|"
                    r"given|provided)\b", re.I)
#: "to the parents, the child and all agencies invited": the list runs on past its commas
_TO = re.compile(r"\bto\s+(?P<who>[^.;:]+?)(?=,?\s+(?:within|no later than|by|at|before|after|following (?:the|a|each)|for|as|"
                 r"once|when|if|to confirm|to ensure|so that)\b|[.;:]|$)", re.I)
_DOCUMENTS = [("minutes", re.compile(r"\b(minutes|record of (?:the|each) meeting|notes|record)\b", re.I)),
              ("plan", re.compile(r"\b(?:child protection |cp )?plan\b", re.I))]

_GIVEN_COPY = re.compile(r"(?P<who>[^.;:,]+?)\s+(?:will|should|must|shall|are to|is to)\s+(?:also\s+)?(?:receive|be given|"
                         r"be sent)\s+(?:a|an|their own|his or her own|her/his own|his/her own)\s+cop(?:y|ies)\s+of\s+"
                         r"(?:the\s+)?(?:\w+\s+){0,3}?(?P<what>plan|minutes|notes|record)\b", re.I)
_ALSO_RECEIVES = re.compile(r"(?P<who>[^.;:,]+?)\s+(?:will|should|must|shall|may|can)\s+(?:also\s+)?(?:receive|be given|"
                            r"be sent)\s+(?:a\s+)?cop(?:y|ies)\b", re.I)
_COPIES_TO = re.compile(r"\bcop(?:y|ies)\s+(?:will|should|must|shall)\s+(?:also\s+)?be\s+(?:sent|given|circulated|"
                        r"forwarded)\s+to\s+(?P<who>[^.;:]+)", re.I)
_ONE_OF = re.compile(r"[^.;]*\bmust (?:always )?be one of (?:them|those)\b|\bone of (?:them|which|whom|those) must "
                     r"(?:always )?be [^.;,]+", re.I)
_ESCALATION = re.compile(r"\b(escalat\w*|disagree\w*|dispute\w*|resolution|resolving|challenge)\b", re.I)
_STEP = re.compile(r"^\s*(?:[•·\-*]\s*)?(?:(?:stage|step|level)\s+(?:\d+|one|two|three|four|five|six)\b|\d+[.)]"
                   r"(?=\s))\s*[:.)\-–]?\s*(?P<body>\S.*)$", re.I)
_HEADING = re.compile(r"^\s*(?:\d+(?:\.\d+)*\.?\s+)?(?P<title>[A-Z][^.;:]{1,70})\s*$")
_STEP_TARGET = re.compile(r"\b(?:to|with|contact|contacts|inform|informs|involve|involving|consult|consults)\s+"
                          r"(?P<who>[^.;:,]+)", re.I)
#: "The Head of Service will review the matter", "the Partnership Business Manager convenes a resolution meeting"
_ACTOR = re.compile(r"^(?:[Ii]f [^,]*,\s*)?(?P<who>[^,]+?)\s+(?:(?:will|should|must|shall|may|can|is to|are to)\s+"
                    r"(?P<what>[a-z]+\b.*)|(?P<does>[a-z]+s\b.*))$")
_CONVENE = re.compile(r"\b(?:convene|reconvene|call|arrange|bring forward)\b", re.I)
_WITHIN = re.compile(r"\bwithin\s+(?:a further\s+|another\s+)?" + NUMBER + r"\s+" + UNIT, re.I)


@frozen
class Arrangement:
    """Who chairs or minutes a meeting, its quorum, or who receives a document, read from one statement."""

    line: int
    section: str
    quote: str
    kind: str  # "chair", "minutes", "quorum" or "recipients"
    meeting: str | None
    strength: str
    slot: str | None = None  # chair: "each", "first", "subsequent" or "fallback"
    #: chair: any one of; minutes: by; quorum: required; recipients: who receives
    roles: tuple[str, ...] = ()
    document: str | None = None  # recipients: "minutes" or "plan"
    producer: str | None = None
    minimum: int | None = None
    not_chair: bool = False
    records: bool = False
    independent: bool = False
    per_child: bool = False
    #: recipients: the words of the list that name no role ("all agencies invited")
    unread: tuple[str, ...] = ()
    #: recipients: listed in the lines after ("circulated to the following:")
    following: bool = False


@frozen
class Step:
    line: int
    quote: str
    role: str | None
    meeting: str | None
    action: str | None
    within: tuple[int, str] | None


@frozen
class Escalation:
    """An escalation section's stages, in the order the text gives them."""

    line: int
    title: str
    strength: str | None  # None: no step says how binding it is
    steps: tuple[Step, ...]


@frozen
class Arrangements:
    arrangements: tuple[Arrangement, ...]
    escalations: tuple[Escalation, ...]
    roles: tuple[NewRole, ...]
    #: ``(line, quote)`` of every statement read into one of them
    used: frozenset[tuple[int, str]]


def _clause(text: str, position: int, inherited: str | None) -> str | None:
    return statement_strength(text, inherited) if inherited else modal_before(text, position) or strength(text)


def _meetings_of(text: str, names: Names, groups: Mapping[str, tuple[str, ...]], context: str,
                 fallback: str | None, antecedent: str | None = None) -> tuple[str, ...]:
    """The meetings a statement is about: every conference for "all conferences", or for a bare "the
    conference" (or none) under a heading about conferences in general; else the one it names, else
    *fallback*."""
    conferences = groups.get("conference", ())
    general = which_conference(context, antecedent) == "conference"
    if conferences and (_EVERY_CONFERENCE.search(text) or (
            re.search(r"\bconferences?\b", text, re.I) and not _SPECIFIC.search(text) and general)):
        return conferences
    found = first_event(text, names)
    if found:
        return (found,)
    if conferences and general and re.search(r"\bconferences?\b", context, re.I):
        return conferences
    return (fallback,) if fallback else ()


def _chair(text: str, roles: RoleNames, meeting: str | None, line: int) -> tuple[int, list[str], bool] | None:
    for pattern in (_CHAIRED_BY, _CHAIR_WILL_BE, _WILL_CHAIR, _AS_CHAIR):
        match = pattern.search(text)
        if match is None:
            continue
        who = match.group("who")
        if pattern in (_WILL_CHAIR, _AS_CHAIR):  # the words just before the verb: the last clause, not "who"
            who = re.split(r"[,;]\s*|\s+-\s+", who)[-1]
            who = re.sub(r"\s+who$", "", re.split(r"\bwho\s+is\b", who)[0].strip(), flags=re.I)
        independent = bool(re.search(r"\bindependent\b", match.group(0), re.I))
        found = roles.resolve(who, meeting, line, text)
        if found:
            return match.start(), found, independent
    return None


def _quorum(text: str, roles: RoleNames, meeting: str | None, line: int) -> tuple[str, int, dict[str, object]] | None:
    """The quorum *text* states: "children's social care and at least two other agencies", "as a minimum, three
    agencies ... one of which must be children's social care", "X must always attend"."""
    if _QUORUM.search(text) and not re.search(r"\binquorate\b|\bnot quorate\b(?!\s+unless)", text, re.I) \
            or _ALWAYS_ATTEND.search(text):
        minimum = _MINIMUM.search(text)
        always = _ALWAYS_ATTEND.search(text)
        # "X and at least 2 other agencies": X; "three agencies, one of which must be children's social care"
        required = (roles.resolve(always.group("who"), meeting, line, text) if always
                    else roles.known_in(text[:minimum.start()] if minimum and minimum.group(2)
                                        else text[:minimum.start()] + text[minimum.end():] if minimum else text))
        # "as a minimum, children's social care, the police and health are represented": those three
        total = len(required) if re.search(r"\bas a minimum\b", text, re.I) and len(required) > 1 else None
        if minimum:
            # "X and at least 2 other agencies": X counts in, even when no role of the baseline is X
            total = number(minimum.group(1)) + (max(len(required), 1) if minimum.group(2) else 0)
        if total or required:
            return ("quorum", (minimum or always or _QUORUM.search(text)).start(),  # type: ignore[union-attr]
                        {"minimum": total, "roles": tuple(required),
                         "per_child": bool(re.search(r"\b(?:each|every) child\b", text, re.I))})
    return None


def _read(text: str, roles: RoleNames, meeting: str | None, meetings: tuple[str, ...], line: int
          ) -> list[tuple[str, int, dict[str, object]]]:
    """``(kind, position, fields)`` of every arrangement *text* states."""
    out: list[tuple[str, int, dict[str, object]]] = []
    # "the first core group will be chaired by X; subsequent meetings are normally chaired by Y": each clause
    for clause in re.finditer(r"[^;]+", text):
        chair = _chair(clause.group(0), roles, meeting, line)
        if chair:
            words = clause.group(0)
            slot = ("fallback" if _FALLBACK.search(words) else "first" if re.search(r"\bfirst\b", words, re.I)
                    else "subsequent" if _LATER.search(words) else "each")
            out.append(("chair", clause.start() + chair[0], {
                "slot": slot, "roles": tuple(chair[1]), "independent": chair[2],
                "records": bool(re.search(r"\bchair and (?:record|minute)", words, re.I))}))
    for pattern in _MINUTED:
        match = pattern.search(text)
        if match and (by := roles.resolve(re.split(r"\s+and\s+(?:the\s+)?minutes\b|\s+and\s+(?:then\s+)?(?:circulated|"
                                                   r"distributed|sent|shared)\b", match.group("who"))[0],
                                          meeting, line, text)):
            out.append(("minutes", match.start(), {"roles": tuple(by), "not_chair": bool(_NOT_CHAIR.search(text))}))
            break
    quorum = _quorum(text, roles, meeting, line)
    if quorum:
        out.append(quorum)
    # "each core group member (including the parents) should be given their own copy of the plan"
    given = _GIVEN_COPY.search(re.sub(r"\([^)]*\)", "", text))
    if given and (receivers := roles.resolve(given.group("who"), meeting, line, text)):
        document = "minutes" if re.match(r"minutes|notes|record", given.group("what"), re.I) else "plan"
        if document == "plan" or meetings:
            out.append(("recipients", given.start(), {"document": document, "roles": tuple(receivers)}))
    sends = _SENDS.search(text)
    # "sent to the parents and the GP", "circulated to the following:", "the minutes will be sent to:" (a list)
    to = (_TO.search(text, sends.end()) or re.search(r"\bto:\s*$", text)) if sends else None
    if sends and to:
        unread: list[str] = []
        who = to.groupdict().get("who") or "the following"
        receivers = roles.resolve(who, meeting, line, text, unread)
        following = bool(re.match(r"(?:all of )?the following\b", who, re.I))  # listed below
        producer = roles.known_in(text[:sends.start()])
        # what is sent is named as the verb's object, or before it ("a copy sent to"), not after the recipients
        sent = text[max(0, sends.start() - 80):to.start()]
        for document, pattern in _DOCUMENTS:
            if (receivers or following) and pattern.search(sent) and (document != "minutes" or meetings):
                out.append(("recipients", sends.start(), {"document": document, "roles": tuple(receivers),
                                                          "producer": producer[0] if producer else None,
                                                          "unread": () if following else tuple(unread),
                                                          "following": following}))
    return out


def arrange(text: str, names: Mapping[str, str] = {}, roles: Mapping[str, str] = {},
            defined_roles: Iterable[str] = (), groups: Mapping[str, tuple[str, ...]] = {}) -> Arrangements:
    """The chairs, minutes, quorums, recipients and escalation steps *text* states. *names* adds event names
    (as :func:`procedurekit.authoring.drafting.propose`), *roles* role names (lower case) to role ids,
    *defined_roles* the baseline's role ids, *groups* its event groups ("conference": icpc, rcpc...)."""
    table = event_table(names)
    people = RoleNames(roles, defined_roles)
    found: list[Arrangement] = []
    used: set[tuple[int, str]] = set()
    last_meeting: str | None = None
    title, antecedent, before = "", None, ""
    for statement, context, inherited, titled in in_context(text):
        if titled != title:  # what the text under one title last spoke of
            title, antecedent, before = titled, None, ""
        if _more_receivers(statement, found, people) or _more_said(statement, found, people):
            used.add((statement.line, statement.text))
            continue
        meetings = _meetings_of(statement.text, table, groups, context, first_event(context, table) or last_meeting,
                                antecedent)
        last_meeting = first_event(statement.text, table) or last_meeting
        antecedent = conference_mentioned(statement.text) or antecedent
        # "The first core group meeting must take place ... It should be chaired by ...": "it" is that meeting
        said = (before + " " if re.match(r"(?:it|this meeting|that meeting)\b", statement.text, re.I) else "")
        previous, before = before, statement.text
        for kind, position, fields in _read(said + statement.text, people, meetings[0] if meetings else None,
                                            meetings, statement.line):
            position = max(0, position - len(said))
            if kind == "minutes" and _NOT_CHAIR.search(previous):  # "The chair is not responsible for recording."
                fields = {**fields, "not_chair": True}
            # "a conference is quorate only where ...": a definition, binding as it stands
            level = _clause(statement.text, position, inherited) or ("must" if kind == "quorum" else None)
            if level is None:
                continue
            # the minutes of every conference are one document: "conference-minutes"
            sent = ("conference",) if len(meetings) > 1 and meetings == groups.get("conference") else meetings[:1]
            for meeting in meetings if kind != "recipients" else sent or (None,):
                found.append(Arrangement(statement.line, statement.section, statement.text, kind, meeting, level,
                                         **fields))  # type: ignore[arg-type]
            used.add((statement.line, statement.text))
    found = [a for a in found if a.kind != "recipients" or a.roles]  # a list under "the following:" with none read
    escalations = _escalations(text, people, table)
    used |= {(step.line, step.quote) for e in escalations for step in e.steps}
    named = {r for a in found for r in a.roles} | {a.producer for a in found} | {
        s.role for e in escalations for s in e.steps}
    return Arrangements(tuple(found), tuple(escalations), tuple(r for r in people.new.values() if r.id in named),
                        frozenset(used))


def _more_said(statement: Statement, found: list[Arrangement], people: RoleNames) -> bool:
    """Whether *statement* says more of the rule the statement before stated: "The minute-taker must not be the
    chair" after who takes the minutes; "Children's social care must always be one of them" after a quorum."""
    last = [a for a in found if a.line == (found[-1].line if found else -1)]
    if not last or statement.line - last[0].line > 2:
        return False
    if last[0].kind == "minutes" and _NOT_CHAIR.search(statement.text):
        found[-len(last):] = [evolve(a, not_chair=True) for a in last]
        return True
    one_of = _ONE_OF.search(statement.text)
    if last[0].kind == "quorum" and one_of and (more := people.known_in(one_of.group(0))):
        found[-len(last):] = [evolve(a, roles=tuple(dict.fromkeys(a.roles + tuple(more)))) for a in last]
        return True
    return False


def _more_receivers(statement: Statement, found: list[Arrangement], people: RoleNames) -> bool:
    """Whether *statement* adds to whom the statement before sends its document: an item listed under
    "circulated to the following:", or "The child will also receive a copy"."""
    last = found[-1] if found else None
    if last is None or last.kind != "recipients":
        return False
    if last.following and statement.listed:
        item = re.split(r",|\b(?:where|if|when|unless)\b", statement.text)[0]  # "the IRO, where the child is looked after"
        more = people.resolve(item, last.meeting, statement.line, statement.text)
        found[-1] = evolve(last, roles=tuple(dict.fromkeys(last.roles + tuple(more))))
        return True
    also = _ALSO_RECEIVES.search(statement.text) or _COPIES_TO.search(statement.text)
    if also and statement.line - last.line <= 10 and (more := people.resolve(also.group("who"), last.meeting,
                                                                              statement.line, statement.text)):
        found.append(evolve(last, line=statement.line, section=statement.section, quote=statement.text,
                            roles=tuple(more), unread=(), following=False))
        return True
    return False


def _escalations(text: str, roles: RoleNames, names: Names) -> list[Escalation]:
    """The stages of each escalation section ("Resolving professional disagreements"), in order."""
    out: list[Escalation] = []
    title: str | None = None
    line_no, steps, lead = 0, list[Step](), None
    for number_, raw in enumerate([*text.splitlines(), "End"], start=1):
        step = _STEP.match(raw)
        heading = _HEADING.match(raw)
        # "2. Review Conferences" is a numbered heading, not a stage; "Stage 2: ..." is always a stage
        if heading and not raw.strip().endswith((".", ":")) and not re.match(r"\s*(?:stage|step|level)\b", raw, re.I) \
                and len(raw.split()) <= 9 and strength(raw) is None:
            if title and len(steps) >= 2:
                levels = [s for s in (strength(st.quote) for st in steps) if s]
                out.append(Escalation(line_no, title, lead or (levels[0] if levels else None), tuple(steps)))
            title = heading.group("title").strip() if _ESCALATION.search(raw) else None
            line_no, steps, lead = number_, [], None
        elif step and title:
            steps.append(_step(number_, raw.strip().lstrip("•·-* ").strip(), step.group("body").strip(), roles, names))
        elif title and not steps:  # "Practitioners should attempt to resolve disagreements at the lowest level"
            lead = lead or strength(raw)
    return out


def _step(line: int, quote: str, body: str, roles: RoleNames, names: Names) -> Step:
    within = _WITHIN.search(body)
    timing = (number(within.group(1)), unit(within.group(2))[0]) if within else None
    meeting = first_event(body, names)
    if meeting and _CONVENE.search(body):
        return Step(line, quote, None, meeting, None, timing)
    # "Stage 3 - Head of Service: where disagreement remains, ...": the stage is named for whom it goes to
    titled = re.match(r"(?P<title>[A-Z][^:.;]{1,60}):\s", body)
    if titled and (named := roles.resolve(titled.group("title"), None, line, quote)):
        return Step(line, quote, named[0], None, None, timing)
    # the one each "to ..." or "with ..." names first ("the Head of Service for Safeguarding and Quality Assurance")
    targets = [found[0] for m in _STEP_TARGET.finditer(body) if (found := roles.resolve(m.group("who"), None, line,
                                                                                         quote))]
    if targets:
        return Step(line, quote, targets[-1], None, None, timing)
    # no one to go to: the one who acts ("The Head of Service will review the matter"), and what they do
    actor = _ACTOR.match(body)
    found = roles.resolve(actor.group("who"), None, line, quote) if actor else []
    action = (actor.group("what") or actor.group("does")).rstrip(" .;") if actor else None
    return Step(line, quote, found[0] if found else None, None, action, timing)


def documents(found: Iterable[Arrangement]) -> dict[str, list[Arrangement]]:
    """The statements that send each document, by the id the draft gives it: the plan, or a meeting's minutes."""
    out: dict[str, list[Arrangement]] = {}
    for a in found:
        if a.kind == "recipients":
            out.setdefault("child-protection-plan" if a.document == "plan" else f"{a.meeting}-minutes", []).append(a)
    return out


def proposed_keys(found: Arrangements) -> list[tuple[object, ...]]:
    """The keys of what the draft writes: each meeting rule, and each document with its recipients from all the
    statements that send it."""
    return [key for key, _ in _proposed(found)]


def _proposed(found: Arrangements) -> list[tuple[tuple[object, ...], Arrangement]]:
    out = [(arrangement_key(a), a) for a in found.arrangements if a.kind != "recipients"]
    for sends in documents(found.arrangements).values():
        roles = tuple(sorted({r for a in sends for r in a.roles}))
        out.append((("recipients", sends[0].document, roles, sends[0].strength), sends[0]))
    return out


def arrangement_key(a: Arrangement) -> tuple[object, ...]:
    """What :func:`written_arrangements` compares: the kind, the meeting or document, and who."""
    if a.kind == "chair":
        return ("chair", a.meeting, a.slot, tuple(sorted(a.roles)), a.strength)
    if a.kind == "minutes":
        return ("minutes", a.meeting, tuple(sorted(a.roles)), a.not_chair, a.strength)
    if a.kind == "quorum":
        return ("quorum", a.meeting, a.minimum, tuple(sorted(a.roles)), a.strength)
    return ("recipients", a.document, tuple(sorted(a.roles)), a.strength)


def written_arrangements(procedure: Procedure, doc: str | None = None) -> list[tuple[object, ...]]:
    """The chairs, minutes, quorums and document recipients *procedure* writes citing source *doc* (any, if
    None), keyed as :func:`arrangement_key` keys proposals."""
    out: list[tuple[object, ...]] = []
    for meeting_id, meeting in procedure.meetings.items():
        for key, rule in meeting.rules():
            if not rule.source or doc is not None and rule.source[-1].doc != doc:
                continue
            if isinstance(rule, ChairRule) and not key.startswith("chair.conditional"):
                out.append(("chair", meeting_id, key[6:], tuple(sorted(rule.roles)), rule.strength.value))
            elif isinstance(rule, MinuteRule):
                out.append(("minutes", meeting_id, tuple(sorted(rule.by)), rule.not_chair, rule.strength.value))
            elif isinstance(rule, Quorum) and (rule.minimum or rule.required):
                out.append(("quorum", meeting_id, rule.minimum, tuple(sorted(rule.required)), rule.strength.value))
    for doc_id, document in procedure.documents.items():
        kind = ("minutes" if re.search(r"minutes|record", doc_id) else "plan" if "plan" in doc_id else None)
        if kind and document.recipients and document.source and doc in (None, document.source[0].doc):
            out.append(("recipients", kind, tuple(sorted(document.recipients)), document.strength.value))
    return out


def describe(key: tuple[object, ...]) -> str:
    """An :func:`arrangement_key` in words: "core-group chair (first): team-leader or operational-manager, must"."""
    kind, *rest = key
    if kind == "chair":
        meeting, slot, roles, level = rest
        return f"{meeting} chair ({slot}): {' or '.join(roles)}, {level}"  # type: ignore[arg-type]
    if kind == "minutes":
        meeting, by, not_chair, level = rest
        return f"{meeting} minutes by {' or '.join(by)}{' (not the chair)' if not_chair else ''}, {level}"  # type: ignore[arg-type]
    if kind == "quorum":
        meeting, minimum, required, level = rest
        count = f"{minimum} agencies" if minimum else "attendance"
        return f"{meeting} quorum: {count} including {', '.join(required) or 'any'}, {level}"  # type: ignore[arg-type]
    document, roles, level = rest
    return f"{document} sent to {', '.join(roles)}, {level}"  # type: ignore[arg-type]


def review_arrangements(found: Arrangements, procedure: Procedure) -> str:
    """The draft's chairs, minutes, quorums and recipients beside *procedure*'s (``draft --compare``)."""
    theirs = written_arrangements(procedure)
    same, mine = [], []
    for key, a in _proposed(found):
        if key in theirs:
            theirs.remove(key)
            same.append((key, a))
        else:
            mine.append((key, a))
    lines = [f"Who chairs, minutes, makes a quorum and receives documents, against {procedure.id}'s", "",
             f"{len(same)} the same:", *(f"  {describe(key)} (line {a.line})" for key, a in same), "",
             f"{len(mine)} only in the draft:", *(f"  line {a.line}: {describe(key)}: \"{a.quote}\"" for key, a in mine),
             "",
             f"{len(theirs)} only in {procedure.id}:", *(f"  {describe(key)}" for key in theirs)]
    return "\n".join(lines) + "\n"
