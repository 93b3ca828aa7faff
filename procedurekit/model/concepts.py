"""Concepts: what a rule is about, shared by every procedure so areas can be compared by meaning.

Two partnerships often write the same duty under different ids ("core-group-
subsequent" in one, "core-group-agreed-frequency" in another). A rule that
declares ``concept = "core-group-frequency"`` is compared with the other
procedure's rules of that concept, whatever their ids. A baseline's rules
declare their concepts, and a partnership that overrides a rule by id
inherits the concept. Rules without a concept (narrative duties: "the core
group develops the plan") are compared by id only.
"""

from __future__ import annotations

from collections.abc import Mapping

from attrs import frozen

__all__ = ["Concept", "CONCEPTS", "TOPICS"]

#: topic id -> title: the groups of concepts a policy lead reads together
TOPICS: Mapping[str, str] = {
    "timescales": "Timescales",
    "chairs": "Chairs",
    "minutes": "Minutes and records",
    "quorum": "Quorum and attendance",
    "escalation": "Escalation",
    "plan": "The plan and its end",
}


@frozen
class Concept:
    """One thing rules are about, e.g. how often the core group meets."""

    title: str
    topic: str
    description: str


def _concepts(*rows: tuple[str, str, str, str]) -> dict[str, Concept]:
    return {cid: Concept(title, topic, description) for cid, title, topic, description in rows}


#: concept id -> concept. Small on purpose: a concept is worth having when most procedures say something about it.
CONCEPTS: Mapping[str, Concept] = _concepts(
    ("strategy-discussion-timing", "Strategy discussion", "timescales",
     "When the strategy discussion is held after concerns are raised."),
    ("assessment-timing", "Assessment timescale", "timescales",
     "How long the assessment of the child's needs may take."),
    ("icpc-timing", "Initial conference timing", "timescales",
     "When the initial child protection conference is held (usually after the strategy discussion)."),
    ("pre-birth-conference-timing", "Pre-birth conference timing", "timescales",
     "When a conference about an unborn baby is held, and the review after the birth."),
    ("transfer-conference-timing", "Transfer-in conference timing", "timescales",
     "When a conference is held for a child on a plan who moves into the area."),
    ("conference-reports", "Reports to conference", "timescales",
     "When agencies' reports for a conference are written, shared with the family and sent."),
    ("lead-social-worker", "Lead social worker appointed", "timescales",
     "When the lead social worker (key worker) for the plan is appointed."),
    ("first-core-group", "First core group", "timescales",
     "When the first core group meets after the initial conference."),
    ("core-group-frequency", "Core group frequency", "timescales",
     "How often core groups meet after the first, in every phase of the plan."),
    ("first-review", "First review conference", "timescales",
     "When the first review conference is held after the initial conference."),
    ("later-reviews", "Later review conferences", "timescales",
     "How often review conferences are held after the first."),
    ("child-protection-plan", "The child protection plan", "plan",
     "When the outline and detailed plans are written and who receives them."),
    ("visits", "Visits to the child", "timescales",
     "How often the lead social worker sees the child."),
    ("conference-chair", "Conference chair", "chairs",
     "Who chairs child protection conferences, and how independent they are."),
    ("core-group-chair", "Core group chair", "chairs",
     "Who chairs core group meetings."),
    ("conference-minutes", "Conference minutes and records", "minutes",
     "Who records a conference and how soon its record or minutes go out."),
    ("core-group-minutes", "Core group minutes and records", "minutes",
     "Who records a core group and how soon its record or minutes go out."),
    ("conference-quorum", "Conference quorum", "quorum",
     "Which agencies must be present for a conference to proceed, and what happens when it is inquorate."),
    ("conference-attendance", "Attendance at conferences", "quorum",
     "Who is invited to and attends conferences, the family and the child included."),
    ("escalation-route", "Escalation route", "escalation",
     "Whom a professional goes to, in order, when they disagree with another agency's decision."),
    ("plan-difficulties-route", "When the plan is not working", "escalation",
     "Whom a professional goes to, in order, when the plan cannot be implemented or is not working."),
    ("plan-ending", "Ending the plan", "plan",
     "When and how a child protection plan ends, and what support follows."),
)
