"""How a draft compares: measured against hand-written rules, and the review view of ``draft --compare``.

A timed rule is compared by its kind, number, unit, what it counts from and its strength. What it counts
from is exact: the event, the recurring meeting and the event it recurs after ("core-group after rcpc"),
and "(first)" when it counts from the first occurrence. Hand lists that record only the event are compared
with ``exact=False``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from procedurekit.authoring.drafting import Proposal
from procedurekit.model import Anchor, Procedure

__all__ = ["key", "measure", "score", "timed_rules", "review"]

#: the kinds of rule measured: those with a number ("immediately" and alternatives are not)
TIMED = ("within", "before", "every")

Key = tuple[str, int, str, str, str]


def _counted(meeting: str | None, after: str | None, first: bool, recurring: bool) -> str:
    """What a rule counts from, in words: "icpc", "core-group (first)", "core-group after rcpc (first)"."""
    base = (meeting or after or "") if recurring else (after or "")
    if recurring and after and meeting and after != meeting:
        base = f"{meeting} after {after}"
    return base + (" (first)" if first else "")


def key(p: Proposal) -> Key:
    """A proposal as :func:`measure` compares it."""
    every = p.kind == "every"
    return (p.kind, p.number, p.unit, _counted(p.subject if every else None, p.anchor, p.anchor_first, every),
            p.strength)


def _coarse(k: tuple[object, ...]) -> tuple[object, ...]:
    return (*k[:3], re.sub(r" after .*| \(first\)$", "", str(k[3])), *k[4:])


def measure(proposals: Iterable[Proposal], written: Iterable[tuple[object, ...]], *, exact: bool = True
            ) -> dict[str, object]:
    """Recall and precision of *proposals* against hand-written timed rules, each ``(kind, number, unit,
    counted from, strength)`` (:func:`timed_rules`): a proposal is right when one written rule has all five the
    same. With ``exact=False``, what a rule counts from is compared by its event alone (a hand list)."""
    got = [key(p) for p in proposals if p.kind in TIMED]
    if not exact:
        return score([_coarse(k) for k in got], [_coarse(w) for w in written])
    return score(got, written)


def score(got: Iterable[tuple[object, ...]], written: Iterable[tuple[object, ...]]) -> dict[str, object]:
    """How many of the proposed keys *got* are among the *written* ones, each written key matched once:
    ``written``, ``proposed``, ``right``, ``recall``, ``precision`` and the ``missed`` written keys."""
    got = list(got)
    remaining = [tuple(w) for w in written]
    wanted = len(remaining)
    right = 0
    for k in got:
        if k in remaining:
            remaining.remove(k)
            right += 1
    return {"written": wanted, "proposed": len(got), "right": right,
            "recall": right / wanted if wanted else None, "precision": right / len(got) if got else None,
            "missed": remaining}


def timed_rules(procedure: Procedure, doc: str | None = None) -> list[Key]:
    """The timed rules of *procedure* (as written, not inherited) that cite source *doc* (any, if None), each
    as :func:`measure` compares them."""
    return [k for _, k, _ in _timed(procedure, doc)]


def review(proposals: Iterable[Proposal], procedure: Procedure) -> str:
    """The draft's timed rules beside *procedure*'s (``draft --compare``): the same, changed (the same kind of
    rule for the same meeting and event, with another number, unit or strength), only in the draft, only in
    the procedure, each with its quote: the view a policy officer checks a revised text with."""
    theirs = _timed(procedure, None)
    same, mine = [], []
    for p in proposals:
        if p.kind not in TIMED:
            continue
        match = next((t for t in theirs if t[1] == key(p)), None)
        if match is None:
            mine.append(p)
        else:
            theirs.remove(match)
            same.append((p, match[0]))
    changed = []
    for p in list(mine):
        match = next((t for t in theirs if (t[1][0], t[1][3]) == (key(p)[0], key(p)[3])), None)
        if match is not None:
            theirs.remove(match)
            mine.remove(p)
            changed.append((p, match))
    lines = [f"The draft's timed rules against {procedure.id}'s (kind, number, unit, what it counts from, strength)",
             "", f"{len(same)} the same:"]
    lines += [f"  {ob_id}: {_describe(key(p))} (line {p.line})" for p, ob_id in same]
    lines += ["", f"{len(changed)} changed:"]
    lines += [f"  {ob_id}: {_describe(k)} -> {_describe(key(p))} (line {p.line}): \"{p.quote}\""
              for p, (ob_id, k, _) in changed]
    lines += ["", f"{len(mine)} only in the draft:"]
    lines += [f"  line {p.line}: {_describe(key(p))}: \"{p.quote}\"" for p in mine]
    lines += ["", f"{len(theirs)} only in {procedure.id}:"]
    lines += [f"  {ob_id}: {_describe(k)}: \"{quote}\"" for ob_id, k, quote in theirs]
    return "\n".join(lines) + "\n"


def _describe(k: tuple[object, ...]) -> str:
    kind, number, unit, counted, strength = k
    if kind == "every":
        meeting, _, after = str(counted).partition(" after ")
        return f"{meeting} every {number} {unit}{' after ' + after if after else ''}, {strength}"
    return f"{'within ' if kind == 'within' else ''}{number} {unit} {'of' if kind == 'within' else 'before'} " \
           f"{counted}, {strength}"


def _timed(procedure: Procedure, doc: str | None) -> list[tuple[str, Key, str]]:
    """``(id, key, quote)`` of each timed rule of *procedure* citing *doc* (any, if None)."""
    out = []
    for ob_id, ob in procedure.obligations.items():
        if not ob.source or (doc is not None and ob.source[0].doc != doc):
            continue
        first = ob.anchor is Anchor.FIRST
        k: Key
        if ob.every is not None:
            k = ("every", ob.every.amount, ob.every.unit.value, _counted(ob.meeting, ob.after, first, True),
                 ob.strength.value)
        elif ob.within is not None and (ob.after or ob.before):
            kind = "before" if ob.before and not ob.after else "within"
            k = (kind, ob.within.amount, ob.within.unit.value, _counted(None, ob.after or ob.before, first, False),
                 ob.strength.value)
        else:
            continue
        out.append((ob_id, k, ob.source[0].quote or ""))
    return out
