"""Resolving ``extends``: each procedure laid over the one it extends, with the origin of every item."""

from __future__ import annotations

from typing import Any

import attrs

from procedurekit import model
from procedurekit.host.catalog import Catalog, ProcedureEntry

__all__ = ["MAX_EXTENDS_DEPTH", "DEFAULT_CALENDAR", "resolve_all", "merge", "merge_chain"]

#: longest ``extends`` chain followed
MAX_EXTENDS_DEPTH = 32
#: the calendar of a procedure that names none and extends none that does
DEFAULT_CALENDAR = "england-and-wales"


def resolve_all(catalog: Catalog) -> None:
    """Set ``resolved`` on every entry of *catalog* that can be resolved; note why the others cannot."""
    resolver = _Resolver(catalog)
    for pid in sorted(catalog.entries):
        resolver.resolve(pid)
    _resolve_versions(catalog)


def _resolve_versions(catalog: Catalog) -> None:
    """Resolve each earlier version over what it extends as in force on its last day (host.versions)."""
    from procedurekit.host.versions import chain_on, check_versions, span

    check_versions(catalog)
    for pid, versions in catalog.versions.items():
        if catalog.entries[pid].resolved is None:
            continue  # the latest does not resolve: its problems are noted
        for index, entry in enumerate(versions[:-1]):
            last = span(versions, index)[1]
            era = chain_on(catalog, pid, last)
            chain = era.chain if era.chain and era.chain[0] is entry else (entry, *chain_on(
                catalog, entry.written.extends, None).chain) if entry.written.extends else (entry,)
            entry.resolved = merge_chain(chain)


def merge_chain(chain: tuple[ProcedureEntry, ...]) -> model.Procedure:
    """The procedure first in *chain* laid over each one after it (what it extends, and so on)."""
    resolved: model.Procedure | None = None
    for entry in reversed(chain):
        resolved = merge(resolved, entry.written)
    assert resolved is not None
    return resolved


class _Resolver:
    """Resolves each chain of ``extends`` from its base up, without recursion (a chain may be any length)."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self.entries = catalog.entries
        self.unresolvable: set[str] = set()
        #: procedures in the chain from a procedure down to its baseline, itself included
        self.depth: dict[str, int] = {}

    def resolve(self, pid: str) -> model.Procedure | None:
        path = self._unresolved_chain(pid)
        for member in reversed(path):  # the base first, so each parent is done before its child
            if member in self.unresolvable:
                continue
            entry = self.entries[member]
            entry.resolved = self._resolve_parent(entry)
            if entry.resolved is None:
                self.unresolvable.add(member)
        return self.entries[pid].resolved

    def _unresolved_chain(self, pid: str) -> list[str]:
        """*pid* and the procedures it extends, up to one already resolved (or missing); loops are reported."""
        path: list[str] = []
        current: str | None = pid
        while current in self.entries and current not in self.unresolvable:
            entry = self.entries[current]
            if entry.resolved is not None:
                break
            if current in path:
                loop = path[path.index(current):]
                text = " -> ".join([*loop, current])
                for member in loop:
                    self.unresolvable.add(member)
                    self._problem(self.entries[member], "extends-cycle", f"procedures extend each other in a "
                                  f"loop ({text}): one of them must extend a baseline instead")
                break
            path.append(current)
            current = entry.written.extends
        return path

    def _problem(self, entry: ProcedureEntry, code: str, message: str) -> None:
        self.catalog.note(entry.id, [entry.file.diagnostic(code, message, ("procedure", "extends"),
                                                           at_value=True)])

    def _resolve_parent(self, entry: ProcedureEntry) -> model.Procedure | None:
        pid, written = entry.id, entry.written
        parent_id = written.extends
        if parent_id is None:
            self.depth[pid] = 1
            return merge(None, written)
        if parent_id not in self.entries:
            self._missing_parent(entry, parent_id)
            return None
        parent = self.entries[parent_id].resolved
        if parent is None:
            self._problem(entry, "unknown-procedure", f'extends "{parent_id}", which has errors: fix those first')
            return None
        depth = self.depth[pid] = self.depth.get(parent_id, 1) + 1
        if depth > MAX_EXTENDS_DEPTH:
            self._problem(entry, "extends-cycle", f"is {depth} procedures from its baseline (through "
                          f'"{parent_id}"); the limit is {MAX_EXTENDS_DEPTH}: extend a procedure nearer the baseline')
            return None
        return self._merge_checked(entry, parent)

    def _missing_parent(self, entry: ProcedureEntry, parent_id: str) -> None:
        import difflib  # only to suggest a spelling

        failed = self.catalog.failed.get(parent_id)
        if failed is not None:
            self._problem(entry, "unknown-procedure", f'extends "{parent_id}", which failed to load '
                          f"({failed.path} has errors): fix those first")
            return
        others = sorted(p for p in self.entries if p != entry.id)
        close = difflib.get_close_matches(parent_id, others, n=1, cutoff=0.6)
        hint = f'; did you mean "{close[0]}"?' if close else f"; installed procedures: {', '.join(others)}"
        self._problem(entry, "unknown-procedure", f'extends "{parent_id}", which is not installed{hint}')

    def _merge_checked(self, entry: ProcedureEntry, parent: model.Procedure) -> model.Procedure | None:
        clashes = [s for s in entry.written.sources if s in parent.sources]
        if clashes:
            self.catalog.note(entry.id, [entry.file.diagnostic(
                "duplicate-id", f'source id "{s}" is already used by '
                f'"{parent.origins.get("sources." + s, parent.id)}", which this procedure extends: '
                "give this source another id", ("sources", s)) for s in clashes])
            return None
        return merge(parent, entry.written)


def merge(parent: model.Procedure | None, child: model.Procedure) -> model.Procedure:
    """*child* laid over *parent*: items with the same id replace the parent's."""
    sections: dict[str, Any] = {}
    origins: dict[str, str] = dict(parent.origins) if parent else {}
    for name in model.SECTIONS:
        merged = dict(parent.section(name)) if parent else {}
        for item_id, item in child.section(name).items():
            key = f"{name}.{item_id}"
            if name == "meetings" and item_id in merged:
                item = _merge_meeting(merged[item_id], item, key, child.id, origins)  # type: ignore[arg-type]
            else:
                origins[key] = child.id
                item = _inherit_concept(merged.get(item_id), item)
            merged[item_id] = item
        sections[name] = merged
    return attrs.evolve(
        child,
        calendar=child.calendar or (parent.calendar if parent else None) or DEFAULT_CALENDAR,
        jurisdiction=child.jurisdiction or (parent.jurisdiction if parent else None),
        closures=tuple(sorted(set(child.closures) | set(parent.closures if parent else ()))),
        origins=origins,
        **sections,
    )


def _inherit_concept(parent: object | None, child: object) -> object:
    """An override by id keeps the baseline rule's concept unless it declares its own."""
    concept = getattr(parent, "concept", None)
    if concept is None or getattr(child, "concept", "") is not None:
        return child
    return attrs.evolve(child, concept=concept)  # type: ignore[misc]


def _merge_meeting(parent: model.Meeting, child: model.Meeting, key: str, child_id: str,
                   origins: dict[str, str]) -> model.Meeting:
    """A meeting rule by rule: what the child states replaces the parent's, the rest is kept.

    ``origins`` gains an entry for each rule the child states (``meetings.ID.quorum``,
    ``meetings.ID.chair.first``...); rules kept from the parent are found under
    the parent's entries (the most specific recorded key wins).
    """
    changes: dict[str, object] = {}
    for field in attrs.fields(model.Meeting):
        value = getattr(child, field.name)
        if value in (None, ()):
            continue
        if field.name == "chair":
            slots = dict(value.slots())
            value = attrs.evolve(parent.chair, **slots) if parent.chair else value
            for slot in slots:
                origins[f"{key}.chair.{slot}"] = child_id
        else:
            origins[f"{key}.{field.name}"] = child_id
        changes[field.name] = value
    return attrs.evolve(parent, **changes)  # type: ignore[arg-type]
