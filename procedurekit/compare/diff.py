"""Semantic comparison of procedure items: is one rule stricter, looser, or just different?

The ordering rules (docs/compare.md):

* strength: ``must`` > ``should`` > ``usually`` > ``good-practice`` > ``may``;
  a more binding verb is stricter.
* a deadline (``within``): shorter is stricter. Durations in different units
  are compared by the calendar days they can span on each procedure's
  calendar; one is stricter when its longest span is no longer than the
  other's shortest (4 weeks against a month: never longer, equal in a
  February), otherwise they are ``not-comparable``.
* a timescale with two readings (``readings``): compared on each pair of
  readings; when the class differs between them it is ``depends-on-reading``
  and the difference lists the class on each.
* a recurrence (``every``): more frequent is stricter.
* a number against no number: a procedure that sets a deadline where the
  other leaves the timescale ``set-per-case`` or ``unspecified`` is
  stricter; ``immediately`` is stricter than any number.
* a lower bound ("not immediately after", ``earliest``) added is stricter.
* a quorum: a larger minimum, or more required agencies, is stricter.
* a document: more recipients is stricter.
* anything else that differs (the event counted from, a chair role, the
  conditions) is ``changed``: different, but not ordered.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

import attrs
from attrs import frozen

from procedurekit import describe, model
from procedurekit.calendars import Calendar, procedure_calendar
from procedurekit.compare.align import Row, align, role_classes
from procedurekit.compare.classes import Change, Difference
from procedurekit.compare.timescales import compare_durations, kind_of_timing, lower_bound, timescale_differences

__all__ = [
    "Change", "Difference", "ItemComparison", "Comparison", "Matrix", "COMPARED_SECTIONS",
    "compare_durations", "compare_items", "compare_procedures", "compare_matrix", "overall", "find_changes",
]

#: sections whose items are compared (rules; vocabulary such as roles and sources is not)
COMPARED_SECTIONS = model.RULE_SECTIONS
#: fields that say where a rule comes from, how it was read or what it is about, not what it requires
_PROVENANCE = {"source", "note", "interpretation", "description", "concept"}
#: fields that hold role ids, by class, for reading roles through their equivalences
_ROLE_FIELDS = {
    model.Obligation: ("owner", "recipients"), model.Document: ("producer", "recipients"),
    model.ChairRule: ("roles",), model.MinuteRule: ("by", "not_by"), model.Quorum: ("required", "decided_by"),
    model.Meeting: ("members",), model.PathwayStep: ("role",), model.Right: ("holders",),
}


def _strength(section: str, item: str, left, right, aspect: str = "strength") -> Iterator[Difference]:
    if left.strength is right.strength:
        return
    change = Change.STRICTER if right.strength.rank < left.strength.rank else Change.LOOSER
    yield Difference(section, item, aspect, change, left.strength.value, right.strength.value,
                     f'"{right.strength.value}" is {"more" if change is Change.STRICTER else "less"} '
                     f'binding than "{left.strength.value}"')


def _set_change(left: tuple[str, ...], right: tuple[str, ...]) -> Change:
    """*right* against *left* as sets of people or agencies: more is stricter, fewer looser, others changed."""
    a, b = set(left), set(right)
    return Change.STRICTER if a < b else Change.LOOSER if b < a else Change.CHANGED


def _obligation(section: str, item: str, a: model.Obligation, b: model.Obligation,
                pa: model.Procedure, pb: model.Procedure, ca: Calendar, cb: Calendar) -> Iterator[Difference]:
    yield from _strength(section, item, a, b)
    kind = kind_of_timing(a, b)
    if kind is not None:
        change, why = kind
        yield Difference(section, item, "timing", change, describe.timing(pa, a), describe.timing(pb, b), why)
        return
    same_start = (a.after, a.before, a.anchor) == (b.after, b.before, b.anchor)
    if not same_start and not (a.every is not None and b.every is not None):
        yield Difference(section, item, "counted from", Change.CHANGED,
                         describe.event_name(pa, a.after or a.before) or "-",
                         describe.event_name(pb, b.after or b.before) or "-",
                         "counted from a different event, so the deadlines are not ordered")
    yield from timescale_differences(section, item, a, b, (pa, pb), (ca, cb), same_start)
    if a.alternatives != b.alternatives or a.combine != b.combine:
        yield Difference(section, item, "alternatives", Change.CHANGED, describe.timing(pa, a),
                         describe.timing(pb, b), "different alternatives or a different way of combining them")
    yield from lower_bound(section, item, a, b)
    if (set(a.when), set(a.unless)) != (set(b.when), set(b.unless)):
        yield Difference(section, item, "conditions", Change.CHANGED,
                         ", ".join(a.when + a.unless) or "always", ", ".join(b.when + b.unless) or "always",
                         "applies in different circumstances")
    if a.owner and b.owner and a.owner != b.owner:
        yield Difference(section, item, "owner", Change.CHANGED, a.owner or "-", b.owner or "-",
                         "owed by a different role")


def _quorum(section: str, item: str, a: model.Quorum | None, b: model.Quorum | None) -> Iterator[Difference]:
    if a == b:
        return
    if a is None or b is None:
        change = Change.STRICTER if a is None else Change.LOOSER
        yield Difference(section, item, "quorum", change, _quorum_text(a), _quorum_text(b),
                         "a quorum added" if a is None else "quorum removed")
        return
    yield from _strength(section, item, a, b, "quorum strength")
    if a.minimum != b.minimum and a.minimum is not None and b.minimum is not None:
        change = Change.STRICTER if b.minimum > a.minimum else Change.LOOSER
        yield Difference(section, item, "quorum", change, str(a.minimum), str(b.minimum),
                         "a larger quorum" if change is Change.STRICTER else "a smaller quorum")
    if a.per_child != b.per_child:
        change = Change.STRICTER if b.per_child else Change.LOOSER
        yield Difference(section, item, "quorum per child", change, str(a.per_child), str(b.per_child),
                         "each child's agencies must be present" if b.per_child
                         else "no longer counted per child")
    if set(a.required) != set(b.required):
        yield Difference(section, item, "quorum required", _set_change(a.required, b.required),
                         ", ".join(a.required) or "-", ", ".join(b.required) or "-",
                         "different agencies required for a quorum")


def _quorum_text(q: model.Quorum | None) -> str:
    """A quorum in a few words: "none", "at least 3", "lead-social-worker, police"."""
    if q is None:
        return "none"
    said = [f"at least {q.minimum}"] if q.minimum is not None else []
    said += [f"including {', '.join(q.required)}"] if q.required else []
    said += ["each child's agencies"] if q.per_child else []
    return ", ".join(said) or f"a quorum rule ({q.strength.value})"


def _meeting(section: str, item: str, a: model.Meeting, b: model.Meeting) -> Iterator[Difference]:
    yield from _quorum(section, item, a.quorum, b.quorum)
    yield from _minutes(section, item, a.minutes, b.minutes)
    if a.members and b.members and set(a.members) != set(b.members):
        yield Difference(section, item, "members", Change.CHANGED, ", ".join(a.members) or "-",
                         ", ".join(b.members) or "-", "a different membership")
    slots_a = dict(a.chair.slots()) if a.chair else {}
    slots_b = dict(b.chair.slots()) if b.chair else {}
    for slot in dict.fromkeys([*slots_a, *slots_b]):
        ra, rb = slots_a.get(slot), slots_b.get(slot)
        if ra == rb:
            continue
        label = f"chair ({slot})"
        if ra is None or rb is None:
            # who chairs is not ordered: stating a chair where the other is silent is a change
            yield Difference(section, item, label, Change.CHANGED,
                             " or ".join(ra.roles) if ra else "-", " or ".join(rb.roles) if rb else "-",
                             "a chair rule stated on one side only")
            continue
        if set(ra.roles) != set(rb.roles):
            yield Difference(section, item, label, Change.CHANGED, " or ".join(ra.roles), " or ".join(rb.roles),
                             "chaired by a different role")
        if (set(ra.when), set(ra.unless)) != (set(rb.when), set(rb.unless)):
            yield Difference(section, item, f"{label} conditions", Change.CHANGED,
                             ", ".join(ra.when + ra.unless) or "always", ", ".join(rb.when + rb.unless) or "always",
                             "this chair applies in different circumstances")
        if ra.independent != rb.independent:
            change = Change.STRICTER if rb.independent else Change.LOOSER
            yield Difference(section, item, f"{label} independence", change, str(ra.independent),
                             str(rb.independent), "independence of the chair required" if rb.independent
                             else "independence of the chair no longer required")
        yield from _strength(section, item, ra, rb, f"{label} strength")


def _minutes(section: str, item: str, a: model.MinuteRule | None, b: model.MinuteRule | None) -> Iterator[Difference]:
    if _content(a) == _content(b):
        return
    def text(rule: model.MinuteRule | None) -> str:
        if rule is None:
            return "-"
        who = " or ".join(rule.by) or "a member"
        return who + (" (not the chair)" if rule.not_chair else "")
    yield Difference(section, item, "minutes", Change.CHANGED, text(a), text(b),
                     "minuted by someone else" if a and b else "a minute-taking rule stated on one side only")


def _document(section: str, item: str, a: model.Document, b: model.Document) -> Iterator[Difference]:
    yield from _strength(section, item, a, b)
    if set(a.recipients) != set(b.recipients):
        change = _set_change(a.recipients, b.recipients)
        yield Difference(section, item, "recipients", change, ", ".join(a.recipients) or "-",
                         ", ".join(b.recipients) or "-", "sent to more people" if change is Change.STRICTER
                         else "sent to fewer people" if change is Change.LOOSER else "sent to different people")


def _content(obj: object) -> object:
    """An item without its provenance, for "is the rule itself different?"."""
    names = _content_fields(type(obj))
    if names is not None:
        return tuple((name, _content(getattr(obj, name))) for name in names)
    if isinstance(obj, tuple):
        return tuple(_content(x) for x in obj)
    return obj


#: class -> its fields other than provenance, or None for a class that is not an attrs class
_CONTENT_FIELDS: dict[type, tuple[str, ...] | None] = {}


def _content_fields(cls: type) -> tuple[str, ...] | None:
    if cls not in _CONTENT_FIELDS:
        _CONTENT_FIELDS[cls] = (tuple(f.name for f in attrs.fields(cls) if f.name not in _PROVENANCE)
                                if attrs.has(cls) else None)
    return _CONTENT_FIELDS[cls]


def _same_roles(obj: object, roles: Mapping[str, str]) -> object:
    """*obj* with every role id replaced by its class's name, inside nested rules too."""
    if isinstance(obj, tuple):
        return tuple(_same_roles(x, roles) for x in obj)
    if not attrs.has(type(obj)):
        return obj
    changes: dict[str, object] = {}
    for field in _ROLE_FIELDS.get(type(obj), ()):
        value = getattr(obj, field)
        changes[field] = tuple(roles.get(r, r) for r in value) if isinstance(value, tuple) \
            else roles.get(value, value) if value else value
    for name in ("chair", "minutes", "quorum", "steps", "each", "first", "subsequent", "fallback", "conditional"):
        if hasattr(obj, name) and getattr(obj, name) is not None:
            changes[name] = _same_roles(getattr(obj, name), roles)
    return attrs.evolve(obj, **changes) if changes else obj  # type: ignore[misc]


def _pathway(section: str, item: str, a: model.Pathway, b: model.Pathway) -> Iterator[Difference]:
    yield from _strength(section, item, a, b)
    steps_a = [s.role or s.meeting for s in a.steps]
    steps_b = [s.role or s.meeting for s in b.steps]
    if steps_a != steps_b:
        yield Difference(section, item, "steps", Change.CHANGED, " -> ".join(steps_a), " -> ".join(steps_b),
                         "the escalation route has different steps")


def _other(section: str, item: str, a: object, b: object) -> Iterator[Difference]:
    if hasattr(a, "strength") and hasattr(b, "strength"):
        yield from _strength(section, item, a, b)
    if isinstance(a, model.Right) and isinstance(b, model.Right) and set(a.holders) != set(b.holders):
        change = _set_change(a.holders, b.holders)
        yield Difference(section, item, "holders", change, ", ".join(a.holders) or "-", ", ".join(b.holders) or "-",
                         "held by more people" if change is Change.STRICTER else
                         "held by fewer people" if change is Change.LOOSER else "held by different people")


def compare_items(section: str, item: str, a: object, b: object, pa: model.Procedure, pb: model.Procedure,
                  ca: Calendar, cb: Calendar, *, roles: Mapping[str, str] | None = None) -> list[Difference]:
    """Differences of item *b* (in *pb*) from item *a* (in *pa*), aspect by aspect.

    Items that differ only in their sources, notes or interpretations have no
    differences: the rule is the same. *roles* maps each role to one name for
    its class of equivalent roles (:func:`~procedurekit.compare.align.role_classes`),
    so England's children's social care and Wales' social services are the same owner.
    """
    if roles:
        a, b = _same_roles(a, roles), _same_roles(b, roles)
    # an owner or membership stated on one side only is silence, not a difference in the rule
    if isinstance(a, model.Obligation) and isinstance(b, model.Obligation) and not (a.owner and b.owner):
        a, b = attrs.evolve(a, owner=None), attrs.evolve(b, owner=None)
    if isinstance(a, model.Meeting) and isinstance(b, model.Meeting) and not (a.members and b.members):
        a, b = attrs.evolve(a, members=()), attrs.evolve(b, members=())
    if a == b or _content(a) == _content(b):
        return []
    if isinstance(a, model.Obligation) and isinstance(b, model.Obligation):
        found = list(_obligation(section, item, a, b, pa, pb, ca, cb))
    elif isinstance(a, model.Meeting) and isinstance(b, model.Meeting):
        found = list(_meeting(section, item, a, b))
    elif isinstance(a, model.Document) and isinstance(b, model.Document):
        found = list(_document(section, item, a, b))
    elif isinstance(a, model.Pathway) and isinstance(b, model.Pathway):
        found = list(_pathway(section, item, a, b))
    else:
        found = list(_other(section, item, a, b))
    if not found:
        # different in a way no ordering rule covers (wording, a contents list...)
        found.append(Difference(section, item, "details", Change.CHANGED, describe.item(pa, section, a),
                                describe.item(pb, section, b), "worded or specified differently"))
    return found


def overall(changes: list[Change]) -> Change:
    """One class for an item from the classes of its aspects."""
    kinds = set(changes) - {Change.SAME}
    if not kinds:
        return Change.SAME
    if len(kinds) == 1:
        return kinds.pop()
    return Change.CHANGED


@frozen(repr=False)
class ItemComparison:
    """One item (by section and id) in two procedures."""

    section: str
    item: str
    change: Change
    left: object | None
    right: object | None
    left_origin: str | None
    right_origin: str | None
    differences: tuple[Difference, ...]
    explanation: str
    #: what the compared rules are about, when they declare it (:data:`procedurekit.model.CONCEPTS`)
    concept: str | None = None
    #: the ids of the rules compared on each side (several where a procedure splits one concept)
    left_items: tuple[str, ...] = ()
    right_items: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return f"{self.section}.{self.item}"

    @property
    def narrative(self) -> bool:
        """A rule with no concept found on one side only: listed apart, not counted as added or removed."""
        return self.concept is None and self.change in (Change.ADDED, Change.REMOVED)

    def __repr__(self) -> str:
        return f"<ItemComparison {self.key}: {self.change.value}>"


@frozen(repr=False)
class Comparison:
    """How procedure *right* differs from procedure *left*, item by item."""

    left: model.Procedure
    right: model.Procedure
    items: tuple[ItemComparison, ...]

    def __repr__(self) -> str:
        counts: dict[str, int] = {}
        for item in self.items:
            counts[item.change.value] = counts.get(item.change.value, 0) + 1
        summary = ", ".join(f"{n} {change}" for change, n in sorted(counts.items()))
        return f"<Comparison {self.left.id} -> {self.right.id}: {summary or 'no items'}>"


def compare_procedures(left: model.Procedure, right: model.Procedure,
                       left_cal: Calendar | None = None, right_cal: Calendar | None = None) -> Comparison:
    """Compare two resolved procedures rule by rule: matched by concept, then by id (:mod:`.align`)."""
    left_cal = left_cal or procedure_calendar(left)
    right_cal = right_cal or procedure_calendar(right)
    roles = role_classes(left.roles, right.roles)
    items: list[ItemComparison] = []
    for section in COMPARED_SECTIONS:
        a_items, b_items = left.section(section), right.section(section)
        for row in align(a_items, b_items):
            items.append(_compare_row(section, row, a_items, b_items, (left, right), (left_cal, right_cal), roles))
    return Comparison(left, right, tuple(items))


def _compare_row(section: str, row: Row, a_items: Mapping[str, object], b_items: Mapping[str, object],
                 procedures: tuple[model.Procedure, model.Procedure], calendars: tuple[Calendar, Calendar],
                 roles: Mapping[str, str]) -> ItemComparison:
    left, right = procedures
    a = _one_or_many([a_items[i] for i in row.left])
    b = _one_or_many([b_items[i] for i in row.right])
    origin_a = left.origins.get(f"{section}.{row.left[0]}") if row.left else None
    origin_b = right.origins.get(f"{section}.{row.right[0]}") if row.right else None
    common = dict(concept=row.concept, left_items=row.left, right_items=row.right)
    if a is None or b is None:
        change = Change.ADDED if a is None else Change.REMOVED
        proc, ids, found = (right, row.right, b_items) if a is None else (left, row.left, a_items)
        explanation = f"only in {proc.id}: " + "; ".join(describe.item(proc, section, found[i]) for i in ids)
        return ItemComparison(section, row.key, change, a, b, origin_a, origin_b, (), explanation, **common)
    diffs: list[Difference] = []
    for id_a, id_b in _pairs(row.left, row.right):
        if id_a is None or id_b is None:
            proc, found, rule_id = (right, b_items, id_b) if id_a is None else (left, a_items, id_a)
            # a further rule about the same thing asks more; one with no counterpart asks less
            diffs.append(Difference(section, row.key, f"{rule_id}", Change.STRICTER if id_a is None else Change.LOOSER,
                                    "-" if id_a is None else describe.item(left, section, a_items[id_a]),
                                    "-" if id_b is None else describe.item(right, section, b_items[id_b]),
                                    f"a further rule about this in {proc.id} only"))
            continue
        found = compare_items(section, row.key, a_items[id_a], b_items[id_b], left, right, *calendars,
                              roles=roles)
        if len(row.left) > 1 or len(row.right) > 1:
            label = id_a if id_a == id_b else f"{id_a} / {id_b}"
            found = [attrs.evolve(d, aspect=f"{label}: {d.aspect}") for d in found]
        diffs += found
    change = overall([d.change for d in diffs])
    explanation = "; ".join(f"{d.aspect}: {d.explanation}" for d in diffs) or "the same rule"
    return ItemComparison(section, row.key, change, a, b, origin_a, origin_b, tuple(diffs), explanation, **common)


def _one_or_many(items: list[object]) -> object | None:
    """No rule, one rule, or the rules of one concept as a tuple."""
    return None if not items else items[0] if len(items) == 1 else tuple(items)


def _pairs(left: tuple[str, ...], right: tuple[str, ...]) -> list[tuple[str | None, str | None]]:
    """Which rule of a concept is compared with which: same ids first; else one against each, or in order.

    A rule left over on one side is a further rule (``None`` on the other side).
    """
    same = [i for i in left if i in right]
    if not same and (len(left) == 1 or len(right) == 1):
        return [(a, b) for a in left for b in right]
    rest_a = [i for i in left if i not in same]
    rest_b = [i for i in right if i not in same]
    pairs: list[tuple[str | None, str | None]] = [(i, i) for i in same]
    if not same:
        pairs += list(zip(rest_a, rest_b))
        n = min(len(rest_a), len(rest_b))
        rest_a, rest_b = rest_a[n:], rest_b[n:]
    return pairs + [(a, None) for a in rest_a] + [(None, b) for b in rest_b]


@frozen(repr=False)
class Matrix:
    """One row per item, one column per procedure, each cell relative to the baseline."""

    baseline: model.Procedure
    procedures: tuple[model.Procedure, ...]
    rows: tuple[tuple[str, str], ...]  # (section, item)
    cells: dict  # (section, item, procedure id) -> ItemComparison

    def cell(self, section: str, item: str, pid: str) -> ItemComparison | None:
        return self.cells.get((section, item, pid))

    def __repr__(self) -> str:
        return (f"<Matrix against {self.baseline.id}: {len(self.procedures)} procedures, "
                f"{len(self.rows)} items>")

    @property
    def items(self) -> tuple[ItemComparison, ...]:
        """Every cell, row by row and procedure by procedure."""
        return tuple(entry for section, item in self.rows for proc in self.procedures
                     if (entry := self.cell(section, item, proc.id)) is not None)


def find_changes(comparison: Comparison | Matrix, classes: Iterable[Change]) -> list[ItemComparison]:
    """The items of *comparison* that are, or have an aspect that is, of any of *classes*.

    The question behind ``compare --fail-on``: the list is empty (false) when
    there is no such change. Aspects count, so an item stricter in strength
    but looser in frequency ("changed" overall) is found for ``{Change.LOOSER}``;
    so do readings, so a deadline looser on one of its readings is found too.
    """
    wanted = frozenset(classes)
    return [entry for entry in comparison.items if not entry.narrative and (
            entry.change in wanted or any(d.change in wanted or any(c in wanted for _, c in d.readings)
                                             for d in entry.differences))]


def compare_matrix(baseline: model.Procedure, procedures: list[model.Procedure]) -> Matrix:
    """Compare every procedure against *baseline*; rows are every rule or concept any of them has."""
    base_cal = procedure_calendar(baseline)
    cells: dict = {}
    rows: dict[tuple[str, str], None] = {}
    for proc in procedures:
        comparison = compare_procedures(baseline, proc, base_cal, procedure_calendar(proc))
        for entry in comparison.items:
            rows.setdefault((entry.section, entry.item), None)
            cells[(entry.section, entry.item, proc.id)] = entry
    order = {s: i for i, s in enumerate(COMPARED_SECTIONS)}
    ordered = sorted(rows, key=lambda r: order[r[0]])
    return Matrix(baseline, tuple(procedures), tuple(ordered), cells)
