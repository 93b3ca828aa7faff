"""Role phrases of a procedure's prose to role ids, for ``procedurekit draft``.

"the key worker's team leader or operational manager" names two roles; "children's social care" is one. A
phrase is matched by the head of its noun phrase, which comes last, against the usual names of the
baseline's roles (:data:`ROLE_NAMES`) and its own. A role the baseline does not define is proposed under
the text's own words (:class:`NewRole`) when the phrase ends in a word that names a person or body, or is
a post written in capitals ("Head of Service").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from attrs import frozen

__all__ = ["ROLE_NAMES", "NewRole", "RoleNames"]

#: the usual names of the baseline's roles (docs/draft.md); a name counts when the baseline defines its role
ROLE_NAMES: Mapping[str, str] = {
    "lead social worker": "lead-social-worker", "allocated social worker": "lead-social-worker",
    "social worker": "lead-social-worker", "key worker": "lead-social-worker", "keyworker": "lead-social-worker",
    "lead practitioner": "lead-social-worker",
    "conference chair": "conference-chair", "child protection chair": "conference-chair",
    "chair of the conference": "conference-chair", "independent chair": "conference-chair",
    "core group member": "core-group-member", "member of the core group": "core-group-member",
    "children's social care": "childrens-social-care", "childrens social care": "childrens-social-care",
    "children’s social care": "childrens-social-care",
    "team manager": "team-manager", "social work manager": "team-manager", "line manager": "line-manager",
    "parent": "parent", "carer": "parent", "child": "child", "young person": "child", "police": "police",
    "health practitioner": "health", "health": "health",
}
#: the last word of a phrase that names a role ("operational manager", "independent reviewing officer"); a
#: phrase ending otherwise ("support the family", "her understanding") names nobody
_HEADS = {"manager", "leader", "worker", "officer", "chair", "chairperson", "co-ordinator", "coordinator", "lead",
          "practitioner", "nurse", "visitor", "teacher", "doctor", "gp", "clinician", "representative", "adviser",
          "advisor", "head", "director", "supervisor", "member", "professional", "carer", "parent", "guardian",
          "agency", "service", "team", "police", "school", "midwife", "paediatrician", "therapist", "advocate",
          "solicitor", "administrator", "unit", "panel", "partner", "person", "taker", "counterpart"}
#: words that name nobody in particular: "a professional who is independent ..." names no role
_GENERIC = {"professional", "person", "practitioner", "member", "someone", "agency", "group", "meeting", "one",
            "party", "parties", "staff", "they", "it", "this", "representative", "worker", "manager", "everyone"}
_DETERMINERS = re.compile(r"^(?:(?:the|a|an|their|its|his|her|your|either|another|any|each|every|all|other|"
                          r"nominated|relevant|appropriate|identified|agreed|dedicated|suitable|trained)\s+)+", re.I)
_SPLIT = re.compile(r"\s*(?:,|;|/|\bor\b|\band\b|\bas well as\b)\s*", re.I)
_CUT = re.compile(r"\s+(?:who|which|that|unless|if|when|where|at|in|with|within|before|after|following|for|from|"
                  r"as|to|on|by|even|responsible|involved|concerned|present|attending|provided|appointed|employed|other than|"
                  r"except|"
                  r"not)\b.*$", re.I)


@frozen
class NewRole:
    """A role the text names that the baseline does not define, proposed under the text's own words."""

    id: str
    name: str
    line: int
    quote: str


class RoleNames:
    """Role phrases to role ids: the usual names, the baseline's, and new roles proposed as they are met."""

    def __init__(self, known: Mapping[str, str], defined: Iterable[str]) -> None:
        self.defined = set(defined)
        names = {name: rid for name, rid in ROLE_NAMES.items() if rid in self.defined}
        names |= {rid.replace("-", " "): rid for rid in self.defined}
        names |= {k.lower(): v for k, v in known.items()}
        self.table = [(re.compile(r"\b" + re.escape(name) + r"s?\b", re.I), rid)
                      for name, rid in sorted(names.items(), key=lambda kv: -len(kv[0]))]
        self.new: dict[str, NewRole] = {}

    def known_in(self, text: str) -> list[str]:
        """The known roles *text* names, in order."""
        found = sorted((m.start(), -len(m.group(0)), rid) for pattern, rid in self.table for m in pattern.finditer(text))
        out: list[str] = []
        taken = -1
        for start, length, rid in found:
            if start >= taken and rid not in out:
                out.append(rid)
                taken = start - length
        return out

    def resolve(self, phrase: str, meeting: str | None, line: int, quote: str,
                unread: list[str] | None = None) -> list[str]:
        """The roles a phrase names ("the key worker's team leader or operational manager"), new ones proposed;
        the parts that name none are added to *unread*."""
        phrase = re.sub(r"\([^)]*\)", " ", phrase)
        phrase = re.sub(r",?\s*\b(?:where|if|when) (?:appropriate|necessary|relevant|possible|applicable)\b,?", " ", phrase,
                        flags=re.I)  # "the parents and, where appropriate, the child"
        # "an independent chair from the Safeguarding and Quality Assurance Unit": one role, not two
        phrase = re.sub(r"\s+(?:from|who|which|whose|where|within|provided by|employed by)\s.*$", "",
                        phrase.rstrip(" :.;,"), flags=re.I)
        out: list[str] = []
        for part in _SPLIT.split(phrase):
            rid = self._one(part.strip(), meeting, line, quote)
            if rid and rid not in out:
                out.append(rid)
            elif rid is None and part.strip(" ,") and unread is not None:
                unread.append(re.sub(r"^to\s+", "", part.strip(" ,")))
        return out

    @staticmethod
    def _head(phrase: str) -> list[str] | None:
        """The words of a role phrase with its determiners left out, when its last word names a person or body."""
        words = _DETERMINERS.sub("", re.split(r"['’]s\s+", phrase)[-1]).strip().split()
        if not words or len(words) > 4 or not all(re.fullmatch(r"[A-Za-z-]+", w) for w in words):
            return None
        words[-1] = _singular(words[-1])
        head = words[-1].lower().split("-")[-1]
        # a post written in capitals ("Independent Scrutineer", "Head of Service") names someone whatever its last word
        post = len(words) > 1 and all(w[0].isupper() or w.lower() in ("of", "for", "and") for w in words)
        if (head not in _HEADS and not post) or (head in _GENERIC and len(words) == 1):
            return None
        return words

    def _one(self, part: str, meeting: str | None, line: int, quote: str) -> str | None:
        if re.search(r"\b(?:another |other )?member of the (?:group|meeting)\b|\bgroup members?\b", part, re.I):
            if meeting and f"{meeting}-member" in self.defined:
                return f"{meeting}-member"
        # the head of a noun phrase comes last: "children's social care" is a role; in "the key worker's team
        # leader" the team leader is
        part = re.sub(r"^(?:by|to|with|from|exceptionally|usually|normally)\s+", "", part.strip(" '\",").lstrip(", "),
                      flags=re.I)
        # "the team manager of the lead social worker" is the team manager: what comes before "of", when it is a role
        head, of, _ = _CUT.sub("", part).partition(" of ")
        for phrase in ([head.strip(" '\"")] if of else []) + [_CUT.sub("", part).strip(" '\""), part.strip(" '\"")]:
            ending = [(m.end(), rid) for pattern, rid in self.table for m in pattern.finditer(phrase)
                      if m.end() >= len(phrase.rstrip())]
            if ending:
                return max(ending)[1]
        part = _CUT.sub("", part).strip(" '\"")
        # "Head of Service" is a role as it stands; "the line managers of both practitioners" once cut at "of"
        for phrase in (part, re.split(r"\s+of\s+", part)[0]):
            words = self._head(phrase)
            if words:
                break
        else:
            return None
        rid = "-".join(w.lower() for w in words)
        for pattern, known in self.table:
            if pattern.fullmatch(" ".join(words)):
                return known
        self.new.setdefault(rid, NewRole(rid, " ".join(words), line, quote))
        return rid


def _singular(word: str) -> str:
    if word.lower().endswith("ies"):
        return word[:-3] + "y"
    return word[:-1] if word.lower().endswith("s") and not word.lower().endswith("ss") else word
