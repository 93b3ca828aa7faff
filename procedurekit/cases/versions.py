"""A case over time: each duty judged under the version of the procedure in force when it arose.

A duty arises on the date of the event its clock counts from (its anchor). The rules of a duty are those
in force that day: a core group due after a conference held under last year's procedure is due as last
year's procedure said, even if the procedure changed before the core group. A duty whose anchor has not
happened yet (provisional) falls under the version in force today; one that counts from a day when no
version was in force is reported as not in force, never judged by a later version. docs/versions.md gives
the rule, the alternatives rejected and a worked example.
"""

from __future__ import annotations

import copy
import datetime as dt

import attrs
from attrs import frozen

from procedurekit.cases.engine import Answers, Plan, schedule
from procedurekit.cases.records import Instance, Schedule, Status
from procedurekit.model import Case

__all__ = ["Stretch", "current", "gap_note", "plan_over_time", "schedule_over_time"]


@frozen
class Stretch:
    """Days over which one set of versions is in force: its plan and label, or ``None`` and why not."""

    start: dt.date | None
    end: dt.date | None
    plan: Plan | None
    #: the versions in force, e.g. "warrington 2024.1 over england 2023.1"; or, without a plan, which
    #: procedure had no version in force
    label: str

    def covers(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


def current(stretches: list[Stretch], today: dt.date) -> Stretch:
    """The stretch whose version is in force on *today*: else the nearest one with a version."""
    in_force = [s for s in stretches if s.plan is not None]
    here = next((s for s in in_force if s.covers(today)), None)
    if here is not None:
        return here
    return in_force[-1] if in_force[-1].start is None or in_force[-1].start <= today else in_force[0]


def gap_note(stretch: Stretch) -> str:
    """Why a duty that counts from a day of *stretch* (one with no version in force) is not judged."""
    return f"it counts from a day when {stretch.label}: not audited against a later version"


def plan_over_time(stretches: list[Stretch], today: dt.date) -> Plan:
    """One plan that judges each duty under the version in force when it arose: every version's rules, each
    keeping the rows that count from its own days (:meth:`Rule.restrict`); the rules of the version in force
    *today* also keep the rows with no such day, and report those from days with no version in force."""
    now = current(stretches, today)
    assert now.plan is not None
    if len(stretches) == 1:
        return now.plan
    gaps = tuple((_ordinal(s.start, 1), _ordinal(s.end, dt.date.max.toordinal()), gap_note(s))
                 for s in stretches if s.plan is None)
    rules = []
    for stretch in stretches:
        if stretch.plan is None:
            continue
        for rule in stretch.plan.rules:
            rule = copy.copy(rule)
            rule.in_force = (_ordinal(stretch.start, 1), _ordinal(stretch.end, dt.date.max.toordinal()))
            rule.anchorless_here = stretch is now
            rule.gaps = gaps if stretch is now else ()
            rules.append(rule)
    combined = copy.copy(now.plan)
    combined.rules = rules
    for plan in (s.plan for s in stretches if s.plan is not None):
        combined.events = combined.events | plan.events
        combined.conditions = combined.conditions | plan.conditions
        combined.attributes = combined.attributes | plan.attributes
        combined.filters = tuple(sorted(set(combined.filters) | set(plan.filters)))
        combined.implied = combined.implied | plan.implied
    return combined


def _ordinal(day: dt.date | None, default: int) -> int:
    return day.toordinal() if day is not None else default


def schedule_over_time(stretches: list[Stretch], case: Case, today: dt.date, answers: Answers) -> Schedule:
    """*case* on *today*, each duty under the stretch in force on its anchor's date (*stretches* in order,
    at least one with a plan); duties from days with no version in force are reported as not in force.
    The next meetings are those of the version in force today (or the nearest one)."""
    now = current(stretches, today)
    assert now.plan is not None
    current_schedule = schedule(now.plan, case, today, answers)
    kept: list[Instance] = []
    for stretch in stretches:
        if stretch.plan is None:
            continue
        result = current_schedule if stretch is now else schedule(stretch.plan, case, today, answers)
        for instance in result.instances:
            owner = now if instance.anchor_date is None else _stretch_of(stretches, instance.anchor_date)
            if owner is stretch:
                kept.append(attrs.evolve(instance, version=stretch.label))
            elif stretch is now and owner is not None and owner.plan is None:
                kept.append(attrs.evolve(instance, status=Status.NOT_IN_FORCE, due=None, done=None, late_by=None,
                                         limit=None, booked=None, booked_late_by=None, note=gap_note(owner)))
    return attrs.evolve(current_schedule, instances=tuple(kept),
                        versions=tuple(dict.fromkeys(i.version for i in kept if i.version)) or (now.label,))


def _stretch_of(stretches: list[Stretch], day: dt.date) -> Stretch | None:
    return next((s for s in stretches if s.covers(day)), None)
