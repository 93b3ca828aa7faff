"""The classes of difference between two procedures' rules, and one difference in one aspect."""

from __future__ import annotations

import enum

from attrs import frozen

__all__ = ["Change", "Difference"]


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
