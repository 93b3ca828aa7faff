"""The classes of difference between two procedures' rules, and one difference in one aspect."""

from __future__ import annotations

import enum

from attrs import frozen

__all__ = ["Change", "Difference", "MEANINGS", "MARKS"]


class Change(enum.Enum):
    STRICTER = "stricter"
    LOOSER = "looser"
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"
    NOT_COMPARABLE = "not-comparable"
    #: the class differs between the readings of an ambiguous timescale (``readings``)
    DEPENDS_ON_READING = "depends-on-reading"
    SAME = "same"


#: what each class says of the right-hand procedure's rule against the baseline's, for legends
MEANINGS: dict[Change, str] = {
    Change.STRICTER: "asks more than the baseline: sooner, more often, or a firmer duty",
    Change.LOOSER: "asks less than the baseline: later, less often, or a weaker duty (below the floor)",
    Change.ADDED: "a rule the baseline does not have",
    Change.REMOVED: "a rule of the baseline this procedure does not have",
    Change.CHANGED: "different, but neither stricter nor looser (another owner, chair or recipient)",
    Change.NOT_COMPARABLE: "the two cannot be put in order (different units or anchors that never line up)",
    Change.DEPENDS_ON_READING: "stricter under one reading of an ambiguous text, looser or the same under another",
    Change.SAME: "the same rule",
}

#: a mark for each class, so a cell's class reads without its colour
MARKS: dict[Change, str] = {
    Change.STRICTER: "▲", Change.LOOSER: "▼", Change.ADDED: "+", Change.REMOVED: "−", Change.CHANGED: "≠",
    Change.NOT_COMPARABLE: "?", Change.DEPENDS_ON_READING: "◆", Change.SAME: "=",
}


@frozen
class Difference:
    """How the *right* procedure's item differs from the *left*'s, in one aspect."""

    section: str
    item: str
    aspect: str
    change: Change
    left: str
    right: str
    explanation: str
    #: for ``depends-on-reading``: each pair of readings and its class, e.g. ``("as written / national", LOOSER)``
    readings: tuple[tuple[str, Change], ...] = ()
