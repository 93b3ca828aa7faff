"""A chunk of cases as arrays, and the rows the columnar audit computes for it.

Events of many cases are one array each of case index, event code, day
ordinal and booked flag, sorted by case then day (see
:mod:`procedurekit.cases.arrays` for the keys that search them); a rule's rows
over the chunk are one :class:`Part` of parallel arrays.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np

from procedurekit.cases.arrays import DAY_BITS

__all__ = ["Chunk", "Part", "Notes"]


class Notes:
    """The notes rows carry, as small integer codes: code 0 is no note; a note may hold one date (``{}``)."""

    def __init__(self) -> None:
        self.texts: list[str] = [""]
        self._codes: dict[str, int] = {"": 0}

    def code(self, text: str) -> int:
        found = self._codes.get(text)
        if found is None:
            found = self._codes[text] = len(self.texts)
            self.texts.append(text)
        return found

    def text(self, code: int, day: int) -> str:
        template = self.texts[code]
        return template.replace("{}", dt.date.fromordinal(day).isoformat()) if day else template


class Chunk:
    """A chunk of whole cases as arrays: one entry per event, sorted by case then day."""

    def __init__(self, ids: list[str], case: np.ndarray, code: np.ndarray, day: np.ndarray, booked: np.ndarray,
                 flags: np.ndarray):
        keys = (case << DAY_BITS) | day
        if len(keys) > 1 and not bool((keys[1:] >= keys[:-1]).all()):
            order = np.argsort(keys, kind="stable")
            keys, case, code, day, booked = keys[order], case[order], code[order], day[order], booked[order]
        self.ids = ids
        self.count = len(ids)
        self.case, self.code, self.day, self.booked, self.keys = case, code, day, booked, keys
        #: case x condition (in :attr:`ColumnarPlan.conditions` order): whether it holds
        self.flags = flags
        self._sets: dict[tuple[tuple[int, ...], bool], np.ndarray] = {}

    def keys_of(self, codes: Sequence[int], booked: bool = False) -> np.ndarray:
        """The sorted keys of the events with one of *codes*: held ones, and booked ones with *booked*."""
        wanted = (tuple(codes), booked)
        found = self._sets.get(wanted)
        if found is None:
            if len(codes) == 1:
                mask = self.code == codes[0]
            else:
                table = np.zeros(int(max(codes, default=0)) + 1, dtype=bool)
                table[list(codes)] = True
                mask = table[np.minimum(self.code, len(table) - 1)] & (self.code < len(table))
            if not booked:
                mask &= ~self.booked
            found = self._sets[wanted] = self.keys[mask]
        return found


class Part:
    """One rule's rows over a chunk: parallel arrays (0: no date, -1: no number)."""

    __slots__ = ("case", "n", "anchor", "due", "done", "status", "late", "limit", "note", "note_day")

    def __init__(self, case: np.ndarray, n: np.ndarray, anchor: np.ndarray, due: np.ndarray, done: np.ndarray,
                 status: np.ndarray, late: np.ndarray, limit: np.ndarray, note: np.ndarray, note_day: np.ndarray):
        self.case, self.n, self.anchor, self.due, self.done = case, n, anchor, due, done
        self.status, self.late, self.limit, self.note, self.note_day = status, late, limit, note, note_day

    @classmethod
    def constant(cls, cases: np.ndarray, status: int, note: int) -> Part:
        """One row a case with no dates: a standing duty, a rule whose conditions do not hold."""
        size = len(cases)
        zeros = np.zeros(size, dtype=np.int64)
        return cls(cases, np.ones(size, dtype=np.int64), zeros, zeros, zeros, np.full(size, status, dtype=np.int8),
                   np.full(size, -1, dtype=np.int64), zeros, np.full(size, note, dtype=np.int64), zeros)

    def take(self, mask: np.ndarray) -> Part:
        return Part(*(getattr(self, name)[mask] for name in self.__slots__))

    @staticmethod
    def join(parts: Sequence[Part]) -> Part:
        if len(parts) == 1:
            return parts[0]
        return Part(*(np.concatenate([getattr(p, name) for p in parts]) for name in Part.__slots__))
