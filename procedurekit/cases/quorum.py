"""Quorum from attendance: whether a conference had the agencies its procedure requires.

A case event of a meeting with a quorum rule may record::

    attended = ["childrens-social-care", "police", "health"]   # agencies or roles present
    contact = { amy = ["police", "health"], ben = ["health"] }  # per child: who has had contact
    proceeded = true                                            # the chair went ahead without a quorum

With ``per_child`` the agencies that count for a child are those present that
have had contact with that child (the required ones always count).
"""

from __future__ import annotations

from collections.abc import Mapping

from procedurekit.cases.records import QuorumCheck, truthy
from procedurekit.model import CaseEvent, Quorum

__all__ = ["check_quorum"]


def check_quorum(quorum: Quorum, event: CaseEvent) -> QuorumCheck | None:
    """The quorum of the meeting *event* under *quorum*; ``None`` when the case does not record attendance."""
    attended = event.attributes.get("attended")
    if not isinstance(attended, (list, tuple)):
        return None
    present = tuple(dict.fromkeys(str(a) for a in attended))
    missing = [f"{role} (required)" for role in quorum.required if role not in present]
    minimum = quorum.minimum or 0
    if len(present) < minimum:
        missing.append(f"{minimum - len(present)} more agencies (at least {minimum} in all)")
    contact = event.attributes.get("contact")
    if quorum.per_child and isinstance(contact, Mapping):
        for child, agencies in contact.items():
            known = {str(a) for a in agencies} if isinstance(agencies, (list, tuple)) else set()
            counted = [a for a in present if a in known or a in quorum.required]
            if len(counted) < minimum:
                missing.append(f"{child}: {minimum - len(counted)} more agencies that have had contact with "
                               f"{child}")
    proceeded = truthy(event.attributes.get("proceeded"))
    note = ""
    if missing:
        note = (f"the {quorum.decided_by or 'chair'} decided to proceed" if proceeded else
                "held without a quorum, and the case does not record the decision to proceed")
    return QuorumCheck(event.event, event.date, not missing, present, tuple(missing), proceeded, note)
