"""Which rule of one procedure is compared with which rule of another: by concept first, then by id.

Two areas often name the same duty differently; rules that declare the same
:data:`~procedurekit.model.CONCEPTS` entry are compared with each other
whatever their ids. A concept one procedure expresses in several rules (a
phased frequency: six weeks after the first core group, then every two
months after the first review) is one row, compared as one timeline. Rules
with no concept are matched by id; those found on one side only are
*narrative*: listed apart, not counted as added or removed.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from attrs import frozen

__all__ = ["Row", "align", "role_classes"]


@frozen
class Row:
    """One row of a comparison: the rules of each side it holds, and the concept they share."""

    key: str
    left: tuple[str, ...]
    right: tuple[str, ...]
    concept: str | None = None

    @property
    def narrative(self) -> bool:
        """A rule with no concept and no rule of the same id on the other side."""
        return self.concept is None and not (self.left and self.right)


def _concept(item: object) -> str | None:
    return getattr(item, "concept", None)


def align(left: Mapping[str, object], right: Mapping[str, object]) -> Iterator[Row]:
    """The rows comparing one section of two procedures, in the left's order, then the right's."""
    concept_of: dict[tuple[int, str], str] = {}
    members: dict[str, tuple[list[str], list[str]]] = {}
    for side, items, other in ((0, left, right), (1, right, left)):
        for item_id, item in items.items():
            # a rule with no concept joins its namesake's on the other side (an override that says nothing new)
            concept = _concept(item) or _concept(other.get(item_id))
            if concept is not None:
                concept_of[(side, item_id)] = concept
                members.setdefault(concept, ([], []))[side].append(item_id)
    keys = {concept: _row_key(concept, ids[0], left) for concept, ids in members.items()}
    done: set[str] = set()
    for side, item_id in [*((0, k) for k in left), *((1, k) for k in right)]:
        concept = concept_of.get((side, item_id))
        if concept is not None:
            if concept not in done:
                done.add(concept)
                ids_left, ids_right = members[concept]
                yield Row(keys[concept], tuple(ids_left), tuple(ids_right), concept)
            continue
        if side == 1 and item_id in left and (0, item_id) not in concept_of:
            continue  # already compared with its namesake
        in_right = item_id in right and (1, item_id) not in concept_of
        # a rule with no concept whose id is a concept row's key (the other side's) keeps a row of its own
        key = f"{item_id}-rule" if item_id in keys.values() else item_id
        yield Row(key, (item_id,) if side == 0 else (), (item_id,) if side == 1 or in_right else ())


def _row_key(concept: str, ids_left: list[str], left: Mapping[str, object]) -> str:
    """The left's rule id when it has one rule of the concept, else the concept's id (suffixed if the left
    has another rule of that id): a function of the left alone, so a matrix's rows line up across procedures."""
    if len(ids_left) == 1:
        return ids_left[0]
    return f"{concept}-concept" if concept in left and concept not in ids_left else concept


def role_classes(*role_tables: Mapping[str, object]) -> dict[str, str]:
    """Role id -> one name for its class of equivalent roles (``same_as``) across the procedures given."""
    parent: dict[str, str] = {}

    def find(role: str) -> str:
        while parent.get(role, role) != role:
            role = parent[role]
        return role

    for roles in role_tables:
        for role_id, role in roles.items():
            for other in getattr(role, "same_as", ()):
                a, b = sorted((find(role_id), find(other)))
                parent.setdefault(a, a)
                parent[b] = a
    return {role: find(role) for role in parent}
