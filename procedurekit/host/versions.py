"""Versions of a procedure: the one in force on a date, the eras of a chain of ``extends``, and the checks
across versions (docs/versions.md).

A plugin may ship several files with one procedure id, each a version with its own ``version`` and
``effective_from``. A version is in force from its ``effective_from`` to its ``effective_to`` or, failing
that, the day before the next version begins. A procedure *on a date* is the version of it in force that
day laid over the version in force that day of what it extends, and so on down to the baseline.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import attrs

from procedurekit import model
from procedurekit.diagnostics import Diagnostic, Severity
from procedurekit.host.catalog import Catalog, ProcedureEntry

__all__ = ["Era", "span", "version_on", "chain_on", "eras", "order_versions", "check_versions", "split_id"]

_DAY = dt.timedelta(days=1)


@attrs.frozen
class Era:
    """Days over which the same versions of a procedure and of what it extends are in force.

    ``start``/``end`` are inclusive (``None``: open). ``chain`` is the versions in force, the procedure's
    first; empty when some procedure of the chain has no version in force, which ``missing`` then names.
    """

    start: dt.date | None
    end: dt.date | None
    chain: tuple[ProcedureEntry, ...] = ()
    missing: str | None = None

    def covers(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    @property
    def label(self) -> str:
        """The versions in force, e.g. ``warrington 2024.1 over england 2023.1``."""
        return " over ".join(f"{e.id} {e.written.version or '(no version)'}" for e in self.chain)


def split_id(key: str) -> tuple[str, str | None]:
    """``"croydon@2011.6"`` -> ``("croydon", "2011.6")``; ``"croydon"`` -> ``("croydon", None)``."""
    pid, at, version = key.partition("@")
    return pid, (version if at else None)


def span(versions: list[ProcedureEntry], index: int) -> tuple[dt.date | None, dt.date | None]:
    """The first and last day version *index* of *versions* (in order) is in force (``None``: open)."""
    written = versions[index].written
    end = written.effective_to
    if end is None and index + 1 < len(versions):
        following = versions[index + 1].written.effective_from
        end = following - _DAY if following else None
    return written.effective_from, end


def _versions(catalog: Catalog, pid: str) -> list[ProcedureEntry]:
    return catalog.versions.get(pid) or ([catalog.entries[pid]] if pid in catalog.entries else [])


def version_on(catalog: Catalog, pid: str, on: dt.date | None) -> ProcedureEntry | None:
    """The version of *pid* in force on *on* (``None``: the latest); ``None`` if none is."""
    versions = _versions(catalog, pid)
    if on is None:
        return versions[-1] if versions else None
    for index, entry in enumerate(versions):
        start, end = span(versions, index)
        if (start is None or start <= on) and (end is None or on <= end):
            return entry
    return None


def chain_on(catalog: Catalog, pid: str, on: dt.date | None) -> Era:
    """The versions in force on *on* of *pid* and of each procedure it extends (an :class:`Era` of one day)."""
    chain: list[ProcedureEntry] = []
    current: str | None = pid
    while current is not None and all(e.id != current for e in chain):
        entry = version_on(catalog, current, on)
        if entry is None:
            return Era(on, on, (), current)
        chain.append(entry)
        current = entry.written.extends
    return Era(on, on, tuple(chain))


def eras(catalog: Catalog, pid: str) -> list[Era]:
    """Every stretch of days with its own versions in force, in date order; the first may be one with
    none in force (before the earliest version), as may the last (after a version's ``effective_to``)."""
    ids: list[str] = []
    current: str | None = pid
    while current is not None and current not in ids and current in catalog.entries:
        ids.append(current)
        current = catalog.entries[current].written.extends
    starts: set[dt.date] = set()
    for member in ids:
        versions = _versions(catalog, member)
        for index in range(len(versions)):
            start, end = span(versions, index)
            starts |= {d for d in (start, end + _DAY if end else None) if d is not None}
    out: list[Era] = []
    bounds: list[dt.date | None] = [None, *sorted(starts)]
    for i, start in enumerate(bounds):
        following = bounds[i + 1] if i + 1 < len(bounds) else None
        era = chain_on(catalog, pid, start if start is not None else dt.date.min)
        out.append(Era(start, following - _DAY if following else None, era.chain, era.missing))
    # a first stretch with the same versions as the next is one stretch with it
    merged: list[Era] = []
    for era in out:
        if merged and [id(e) for e in merged[-1].chain] == [id(e) for e in era.chain] and \
                merged[-1].missing == era.missing:
            merged[-1] = Era(merged[-1].start, era.end, era.chain, era.missing)
        else:
            merged.append(era)
    return merged


def order_versions(pid: str, entries: list[ProcedureEntry], catalog: Catalog) -> list[ProcedureEntry] | None:
    """*entries* (files with one id) in date order if they are versions of one procedure, else ``None``.

    Versions each name a different ``version`` (else ``None``: the files are duplicates) and an
    ``effective_from`` (a version without one is noted with its position, and taken as the earliest).
    """
    names = [e.written.version for e in entries]
    if None in names or len(set(names)) < len(names):
        return None
    undated = [e for e in entries if e.written.effective_from is None]
    if undated:
        catalog.note(pid, [e.file.diagnostic(
            "version-dates", f'procedure "{pid}" has {len(entries)} versions ({", ".join(map(str, names))}): '
            f'version {e.written.version} needs effective_from = YYYY-MM-DD, the first day it is in force, '
            "so that the version in force on a date can be chosen", ("procedure", "version"), at_value=True)
            for e in undated])
    return sorted(entries, key=lambda e: e.written.effective_from or dt.date.min)


def check_versions(catalog: Catalog) -> None:
    """Note, with positions, what is wrong across the versions of each procedure and its baseline."""
    for pid in sorted(catalog.entries):
        versions = _versions(catalog, pid)
        for index, entry in enumerate(versions):
            catalog.note(pid, list(_own_dates(entry)))
            if index + 1 < len(versions):
                catalog.note(pid, list(_overlap(entry, versions[index + 1])))
                catalog.note(pid, list(_dropped(entry, versions[index + 1])))
                catalog.note(pid, list(_anchor_changed(entry, versions[index + 1])))
        catalog.note(pid, list(_before_baseline(catalog, versions[0])))


def _own_dates(entry: ProcedureEntry) -> Iterator[Diagnostic]:
    written = entry.written
    if written.effective_to and written.effective_from and written.effective_to < written.effective_from:
        yield entry.file.diagnostic(
            "version-dates", f"effective_to {written.effective_to} is before effective_from "
            f"{written.effective_from}: a version is in force from the first to the second", ("procedure",
                                                                                              "effective_to"),
            at_value=True)


def _overlap(earlier: ProcedureEntry, later: ProcedureEntry) -> Iterator[Diagnostic]:
    end, start = earlier.written.effective_to, later.written.effective_from
    if end is not None and start is not None and end >= start:
        yield earlier.file.diagnostic(
            "version-overlap", f"version {earlier.written.version} is in force to {end}, but version "
            f"{later.written.version} ({later.path}) is in force from {start}: two versions cannot be in force "
            f"on one day; end this one on {start - _DAY} or earlier", ("procedure", "effective_to"), at_value=True)


def _dropped(earlier: ProcedureEntry, later: ProcedureEntry) -> Iterator[Diagnostic]:
    recorded = later.written.changes
    for section in model.SECTIONS:
        gone = [i for i in earlier.written.section(section) if i not in later.written.section(section)]
        for item_id in gone:
            key = f"{section}.{item_id}"
            if key in recorded:
                continue
            yield attrs.evolve(later.file.diagnostic(
                "version-dropped-item", f'"{key}" of version {earlier.written.version} is not in version '
                f"{later.written.version}: if it was removed on purpose, record why under [procedure.changes] "
                f'("{key}" = "why"); if not, restore it', ("procedure", "version"), at_value=True),
                severity=Severity.WARNING)


def _anchor_changed(earlier: ProcedureEntry, later: ProcedureEntry) -> Iterator[Diagnostic]:
    """Duties whose clock starts from another event in the later version: a case whose two events fall either
    side of the change may have the duty judged by both versions or by neither (docs/versions.md, Limits)."""
    for ob_id, ob in later.written.obligations.items():
        before = earlier.written.obligations.get(ob_id)
        if before is None or (before.after, before.before) == (ob.after, ob.before):
            continue
        was, now = before.after or before.before, ob.after or ob.before
        yield attrs.evolve(later.file.diagnostic(
            "version-anchor-changed", f'"{ob_id}" counts from {now} in version {later.written.version} but from '
            f"{was} in version {earlier.written.version}: in a case with one event before the change and the other "
            "after, the duty is judged by both versions or by neither: check such cases by hand, or judge them by "
            "one version (ID@VERSION)",
            ("obligations", ob_id, "after" if ob.after else "before"), at_value=True), severity=Severity.WARNING)


def _before_baseline(catalog: Catalog, earliest: ProcedureEntry) -> Iterator[Diagnostic]:
    base_id = earliest.written.extends
    if base_id is None or base_id not in catalog.entries:
        return
    base = _versions(catalog, base_id)[0].written
    start = earliest.written.effective_from
    if start is not None and base.effective_from is not None and start < base.effective_from:
        yield attrs.evolve(earliest.file.diagnostic(
            "version-before-baseline", f"version {earliest.written.version} is in force from {start}, before "
            f'the earliest version of "{base_id}" ({base.version}, from {base.effective_from}): on the days '
            f"between, no baseline is in force, so duties that arise then are reported, not audited",
            ("procedure", "effective_from"), at_value=True), severity=Severity.WARNING)
