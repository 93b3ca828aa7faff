"""A procedure: its header, and its items by section and id."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

import attrs
from attrs import field, frozen

from procedurekit.model.items import (
    Category, Condition, Document, Event, Key, Meeting, Obligation, Pathway, Period, Right, Role, Source,
    SourceDocument, Trigger,
)
from procedurekit.model.vocabulary import CANONICAL_CONDITIONS, CANONICAL_EVENTS, CANONICAL_KINDS

#: Sections whose items are rules (with a strength and sources), as compare and the floor check read them.
RULE_SECTIONS = ("meetings", "obligations", "documents", "pathways", "triggers", "rights", "categories")

#: Procedure sections holding items by id, in display order.
SECTIONS = (
    "sources", "roles", "events", "conditions", "periods", "categories", "meetings",
    "documents", "obligations", "pathways", "triggers", "rights",
)


def frozen_dict(value: Mapping[str, Any] | None) -> Mapping[str, Any]:
    """A plain dict of *value* (attrs converter for the mapping fields)."""
    return dict(value or {})


@frozen
class ProcedureHeader:
    """The ``[procedure]`` table: what a procedure is, and what it extends."""

    id: str
    title: str
    partnership: str | None = None
    jurisdiction: str | None = None
    calendar: str | None = None  # None in a file means "as the procedure it extends"
    version: str | None = None
    #: the first day this version is in force (``None``: not known, so in force from the start)
    effective_from: dt.date | None = None
    #: the last day it is in force (``None``: until the next version begins, or still in force)
    effective_to: dt.date | None = None
    extends: str | None = None
    baseline: bool = False
    url: str | None = None
    description: str | None = None
    #: local non-working days, e.g. a council's Christmas closure (added to those it extends)
    closures: tuple[dt.date, ...] = ()
    #: why ids of the previous version are gone, by "section.id" (docs/versions.md)
    changes: Mapping[str, str] = field(factory=dict, converter=frozen_dict)


@frozen(repr=False)
class Procedure(ProcedureHeader):
    """A procedure: its header and its items, by section and id.

    A loaded procedure is as written in its file; a *resolved* one (from
    :class:`procedurekit.host.library.Library`) has its ``extends`` chain merged in
    and ``origins`` saying which procedure each item came from.
    """

    sources: Mapping[str, SourceDocument] = field(factory=dict, converter=frozen_dict)
    roles: Mapping[str, Role] = field(factory=dict, converter=frozen_dict)
    events: Mapping[str, Event] = field(factory=dict, converter=frozen_dict)
    conditions: Mapping[str, Condition] = field(factory=dict, converter=frozen_dict)
    periods: Mapping[str, Period] = field(factory=dict, converter=frozen_dict)
    categories: Mapping[str, Category] = field(factory=dict, converter=frozen_dict)
    meetings: Mapping[str, Meeting] = field(factory=dict, converter=frozen_dict)
    documents: Mapping[str, Document] = field(factory=dict, converter=frozen_dict)
    obligations: Mapping[str, Obligation] = field(factory=dict, converter=frozen_dict)
    pathways: Mapping[str, Pathway] = field(factory=dict, converter=frozen_dict)
    triggers: Mapping[str, Trigger] = field(factory=dict, converter=frozen_dict)
    rights: Mapping[str, Right] = field(factory=dict, converter=frozen_dict)
    #: "section.item-id" -> id of the procedure that defined the item (resolved procedures)
    origins: Mapping[str, str] = field(factory=dict, converter=frozen_dict)

    def __repr__(self) -> str:
        counts = ", ".join(f"{len(self.section(name))} {name}" for name in ("obligations", "meetings", "documents"))
        version = f" version={self.version!r}" if self.version else ""
        return f"<Procedure {self.id!r}{version} extends={self.extends!r}: {counts}>"

    def section(self, name: str) -> Mapping[str, object]:
        """The items of section *name* (one of :data:`SECTIONS`), by id."""
        return getattr(self, name)  # type: ignore[no-any-return]

    def items(self) -> Iterator[tuple[str, str, object]]:
        """Yield ``(section, id, item)`` for every item, in display order."""
        for name in SECTIONS:
            for item_id, item in self.section(name).items():
                yield name, item_id, item

    def citations(self) -> Iterator[tuple[Key, Source]]:
        """Every citation in the procedure, with the TOML key of its ``doc``."""
        found: list[tuple[Key, Source]] = []
        for section, item_id, item in self.items():
            if _is_attrs(type(item)):
                _walk(item, (section, item_id), found)
        return iter(found)

    def event_ids(self) -> set[str]:
        return set(CANONICAL_EVENTS) | set(self.events) | set(self.meetings)

    def expand_event(self, event: str, _seen: frozenset[str] = frozenset()) -> tuple[str, ...]:
        """The events *event* stands for: itself (and its canonical kinds), or those it ``includes``."""
        spec = self.events.get(event)
        if spec is None or not spec.includes:
            return (event, *CANONICAL_KINDS.get(event, ()))
        out: list[str] = []
        for member in spec.includes:
            if member not in _seen and member != event:
                out += [e for e in self.expand_event(member, _seen | {event}) if e not in out]
        return tuple(out)

    def period_of(self, ob: Obligation) -> str | None:
        """The period (e.g. the plan) obligation *ob* belongs to: its ``during``, or the period naming its subject."""
        if ob.during:
            return ob.during
        for period_id, period in self.periods.items():
            if (ob.meeting and ob.meeting in period.meetings) or (ob.document and ob.document in period.documents):
                return period_id
        return None

    def condition_ids(self) -> set[str]:
        return set(CANONICAL_CONDITIONS) | set(self.conditions)


# -- cases and hook results ------------------------------------------------


# Looked up for every field of every item when citations are walked: once per class instead.
_FIELDS: dict[type, tuple[str, ...]] = {}
_ATTRS: dict[type, bool] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(f.name for f in attrs.fields(cls))
    return names


def _walk(obj: object, key: Key, found: list[tuple[Key, Source]]) -> None:
    """Add the citations of *obj* (an attrs instance) and of the attrs instances in its fields, depth first."""
    known = _ATTRS
    for name in _field_names(type(obj)):
        value = getattr(obj, name)
        if name == "source" and isinstance(value, tuple):
            if len(value) == 1:
                found.append((key + ("source", "doc"), value[0]))
            else:
                found += [(key + ("source", i, "doc"), src) for i, src in enumerate(value)]
        elif value is not None:
            cls = type(value)
            is_attrs = known.get(cls)
            if is_attrs is None:
                is_attrs = _is_attrs(cls)
            if is_attrs:
                _walk(value, key + (name,), found)


def _is_attrs(cls: type) -> bool:
    known = _ATTRS.get(cls)
    if known is None:
        known = _ATTRS[cls] = attrs.has(cls)
    return known

