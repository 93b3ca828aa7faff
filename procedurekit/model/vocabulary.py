"""The domain's vocabulary: strengths, timings and the canonical events and conditions every procedure shares."""

from __future__ import annotations

import enum
from collections.abc import Mapping

class Strength(enum.Enum):
    """How binding a rule is, in the procedure's own words. Ordered strongest first."""

    MUST = "must"
    SHOULD = "should"
    USUALLY = "usually"
    GOOD_PRACTICE = "good-practice"
    MAY = "may"

    @property
    def rank(self) -> int:
        """0 for ``must`` up to 4 for ``may``: lower is more binding."""
        return list(Strength).index(self)


#: Words procedures use for a strength, and the strength each means: "shall" is a must.
STRENGTH_WORDS: Mapping[str, Strength] = {
    "shall": Strength.MUST, "will": Strength.MUST, "required": Strength.MUST, "mandatory": Strength.MUST,
    "must not": Strength.MUST, "shall not": Strength.MUST, "statutory": Strength.MUST,
    "ought": Strength.SHOULD, "ought to": Strength.SHOULD, "expected": Strength.SHOULD,
    "normally": Strength.USUALLY, "generally": Strength.USUALLY, "ordinarily": Strength.USUALLY,
    "recommended": Strength.GOOD_PRACTICE, "best practice": Strength.GOOD_PRACTICE,
    "good practice": Strength.GOOD_PRACTICE, "can": Strength.MAY, "could": Strength.MAY,
    "might": Strength.MAY, "optional": Strength.MAY,
}


class Verification(enum.Enum):
    """How far a citation of national guidance was checked (see docs/provenance.md)."""

    YES = "yes"
    PARTIAL = "partial"
    SECONDARY = "secondary"
    UNVERIFIED = "unverified"


class Occurrence(enum.Enum):
    """Which occurrences of a meeting or document an obligation governs."""

    FIRST = "first"
    SUBSEQUENT = "subsequent"
    EACH = "each"
    LAST = "last"  # the last occurrence before the event a deadline counts back from


class Anchor(enum.Enum):
    """Which occurrence of the ``after``/``before`` event a deadline counts from."""

    EACH = "each"
    FIRST = "first"
    LAST = "last"
    PREVIOUS = "previous"
    NEXT = "next"  # with after and before: the next ``before`` event after each ``after`` event


class Combine(enum.Enum):
    """How alternative deadlines combine: "whichever is sooner" or "later"."""

    SOONER = "sooner"
    LATER = "later"


class Timescale(enum.Enum):
    """Timescales without a number of their own."""

    SET_PER_CASE = "set-per-case"  # e.g. "the conference decides how often"
    IMMEDIATELY = "immediately"
    UNSPECIFIED = "unspecified"  # e.g. "an early review", "regularly"


class EventStatus(enum.Enum):
    """Whether a case event happened. Only a held event satisfies a duty or starts a clock."""

    HELD = "held"
    BOOKED = "booked"  # planned for its date; a deadline may count back from it ("before the conference")
    CANCELLED = "cancelled"


class ReadingBasis(enum.Enum):
    """Why a timescale is read one way: the words as written, national guidance, or local practice."""

    LITERAL = "literal"
    NATIONAL = "national"
    LOCAL = "local"


class Timing(enum.StrEnum):
    """What kind of timing an obligation has: the one classification the engine, compare and render use."""

    DEADLINE = "deadline"  # within a duration after or before an event
    FOLLOWS = "follows"  # after (or before) an event, with no number
    RECURRING = "recurring"  # every so often
    ALTERNATIVES = "alternatives"  # several deadlines, whichever is sooner or later
    SET_PER_CASE = "set-per-case"  # a number each case sets (e.g. the conference decides)
    IMMEDIATELY = "immediately"  # due the day of its event: "at the conference", "straight after"
    UNSPECIFIED = "unspecified"  # "an early review", "regularly"
    NONE = "none"  # a standing duty, with no event to count from

    @property
    def dated(self) -> bool:
        """Whether a case can give this timing a due date."""
        return self in (Timing.DEADLINE, Timing.RECURRING, Timing.ALTERNATIVES, Timing.SET_PER_CASE,
                        Timing.IMMEDIATELY)


#: Canonical events shared by every procedure: event id -> name.
CANONICAL_EVENTS: Mapping[str, str] = {
    "strategy-discussion": "Strategy discussion",
    "icpc": "Initial child protection conference",
    "core-group": "Core group meeting",
    "rcpc": "Review child protection conference",
    "plan-ends": "Child protection plan ends",
    "pre-birth-conference": "Pre-birth child protection conference",
    "birth": "Birth of the child",
    "school-move": "Child moves school",
    "expected-birth": "Expected date of the child's birth",
}

#: Canonical events that other canonical events also count as: a conference held
#: before birth is the initial conference of a pre-birth case, so a rule that
#: counts from (or asks for) the initial conference is met by it too.
CANONICAL_KINDS: Mapping[str, tuple[str, ...]] = {
    "icpc": ("pre-birth-conference",),
}

#: Case circumstances every procedure may name in ``when``/``unless``.
CANONICAL_CONDITIONS: Mapping[str, str] = {
    "pre-birth": "The initial conference was a pre-birth conference",
    "inquorate": "The conference was held without a quorum",
    "chair-absent": "The person due to chair the meeting is absent",
}

JURISDICTIONS = ("england", "wales", "scotland", "northern-ireland")
