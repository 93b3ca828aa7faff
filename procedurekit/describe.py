"""Plain-English one-line descriptions of procedure items, for people to read."""

from __future__ import annotations

from procedurekit import model


def role_names(procedure: model.Procedure, roles: tuple[str, ...], joiner: str = " or ") -> str:
    return joiner.join(procedure.roles[r].name if r in procedure.roles else r for r in roles)


def lower_first(text: str) -> str:
    """"Initial conference" -> "initial conference", leaving "ICPC" and "GP" alone."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def event_name(procedure: model.Procedure, event: str | None) -> str:
    """The name of an event for use inside a sentence."""
    if event is None:
        return ""
    if event in procedure.meetings and procedure.meetings[event].name:
        name = procedure.meetings[event].name
    elif event in procedure.events:
        name = procedure.events[event].name
    else:
        name = model.CANONICAL_EVENTS.get(event, event)
    return lower_first(name)


def subject(procedure: model.Procedure, ob: model.Obligation) -> str:
    """What an obligation is about: its ``what``, or the meeting/document it names."""
    if ob.what:
        return ob.what
    occurrence = {"first": "the first ", "subsequent": "later ", "each": "", "last": "the last "}[ob.occurrence.value]
    if ob.meeting:
        return f"hold {occurrence}{event_name(procedure, ob.meeting)}"
    if ob.document:
        doc = procedure.documents.get(ob.document)
        return f"provide {occurrence}{lower_first(doc.name) if doc else ob.document}"
    return "(unspecified)"


def timing(procedure: model.Procedure, ob: model.Obligation) -> str:
    """When an obligation is due, in words."""
    parts: list[str] = []
    if ob.timescale is model.Timescale.SET_PER_CASE:
        parts.append("at intervals set for each case" + (f" by {_name(procedure, ob.set_by)}" if ob.set_by else ""))
    elif ob.timescale is model.Timescale.IMMEDIATELY:
        parts.append("immediately" + (f" after {event_name(procedure, ob.after)}" if ob.after else ""))
    elif ob.timescale is model.Timescale.UNSPECIFIED:
        parts.append("with no timescale stated")
    if ob.every:
        parts.append(f"at least every {ob.every}")
        if ob.after:
            parts.append(f"from {_anchored(procedure, ob, ob.after)}")
        if ob.until:
            parts.append(f"until {event_name(procedure, ob.until)}")
    elif ob.gestation is not None:
        parts.append(f"by {ob.gestation} of pregnancy (counted back from the expected birth)")
    elif ob.after and ob.before:
        by = f"at least {ob.within} before" if ob.within else "before"
        parts.append(f"{by} the next {event_name(procedure, ob.before)} after each "
                     f"{event_name(procedure, ob.after)}")
    elif ob.within and (ob.after or ob.before):
        # "2 weeks before X": done no later than 2 weeks before it, so "at least", never "within"
        said = f"at least {ob.within} before" if ob.before else f"within {ob.within} after"
        parts.append(f"{said} {_anchored(procedure, ob, ob.before or ob.after)}")
    elif ob.before and not ob.timescale:
        parts.append(f"before {_anchored(procedure, ob, ob.before)} (by the last working day before it)")
    elif ob.after and not ob.timescale:
        parts.append(f"after {_anchored(procedure, ob, ob.after)}")
    if ob.alternatives:
        alts = [
            (f"at least {a.within} before" if a.before else f"within {a.within} after")
            + f" {event_name(procedure, a.before or a.after)}"
            for a in ob.alternatives
        ]
        parts.append(" or ".join(alts) + f", whichever is {ob.combine.value if ob.combine else 'sooner'}")
    if ob.readings:
        parts.append(readings(ob))
    if ob.anchor_where:
        parts.append(f"counting from the one marked {', '.join(ob.anchor_where)}")
    if ob.not_immediately:
        parts.append("but not immediately after")
    if ob.earliest:
        parts.append(f"and no earlier than {ob.earliest} after")
    if ob.during:
        parts.append(f"during the {event_name(procedure, ob.during) if ob.during not in procedure.periods else lower_first(procedure.periods[ob.during].name)}")
    if ob.when:
        parts.append("when " + " and ".join(ob.when))
    if ob.unless:
        parts.append("unless " + " or ".join(ob.unless))
    return ", ".join(parts) if parts else "no timescale"


_ANCHOR_WORDS = {"each": "", "first": "the first ", "last": "the last ", "previous": "the previous ",
                 "next": "the next "}


def readings(ob: model.Obligation) -> str:
    """Both readings of an ambiguous timescale: "as written 15 days (literal); or 15 working days (national)"."""
    primary = ob.within or ob.every
    basis = (ob.basis or model.ReadingBasis.LITERAL).value
    others = "; or ".join(f"{r.within} ({r.basis.value} reading)" for r in ob.readings)
    return f"read as {primary} ({basis} reading); or {others}"


def _anchored(procedure: model.Procedure, ob: model.Obligation, event: str | None) -> str:
    """The event an obligation counts from, with which occurrence: "the first strategy discussion"."""
    return _ANCHOR_WORDS[ob.anchor.value] + event_name(procedure, event)


def _name(procedure: model.Procedure, ref: str) -> str:
    if ref in procedure.roles:
        return procedure.roles[ref].name
    return event_name(procedure, ref)


def obligation(procedure: model.Procedure, ob: model.Obligation) -> str:
    who = f"{role_names(procedure, (ob.owner,))} must " if ob.owner else ""
    verb = {"must": "must", "should": "should", "usually": "usually", "good-practice": "(good practice)",
            "may": "may"}[ob.strength.value]
    who = who.replace(" must ", f" {verb} ") if who else ""
    what = subject(procedure, ob)
    text = f"{who}{lower_first(what)}" if who else what[:1].upper() + what[1:]
    when = timing(procedure, ob)
    if when != "no timescale":
        text += f": {when}"
    if ob.recipients:
        text += f"; to {role_names(procedure, ob.recipients, ', ')}"
    return text


def citation(doc: str | None, section: str | None = None, paragraph: str | None = None) -> str:
    """Where words come from: "ngcps2023, 4.2, para 7", leaving out the parts not given.

    The one citation format; *doc* is a document's id or title (or ``None`` for the place alone).
    """
    return ", ".join(x for x in (doc, section, paragraph and f"para {paragraph}") if x)


def minuted_by(procedure: model.Procedure, rule: model.MinuteRule) -> str:
    """Who takes a meeting's minutes: "the lead social worker (not the chair)"."""
    who = role_names(procedure, rule.by) if rule.by else "a member"
    return who + (" (not the chair)" if rule.not_chair else "")


def source(src: model.Source) -> str:
    """A citation with its verification and quote: 'ngcps2023, 4.2 [verified: primary] "words"'."""
    text = citation(src.doc, src.section, src.paragraph)
    if src.verified is not None:
        text += f" [verified: {src.verified.value}]"
    if src.quote:
        text += f' "{src.quote}"'
    return text


def item(procedure: model.Procedure, section: str, item_obj: object) -> str:
    """A one-line description of any item."""
    if isinstance(item_obj, model.Obligation):
        return obligation(procedure, item_obj)
    if isinstance(item_obj, model.Meeting):
        bits = [item_obj.name or model.CANONICAL_EVENTS.get(section, "meeting")]
        if item_obj.chair:
            for which, rule in item_obj.chair.slots():
                label = {"each": "chair", "fallback": "chair if absent"}.get(which, f"{which} chair")
                if rule.when or rule.unless:
                    label = "chair " + " ".join(
                        [f"when {' and '.join(rule.when)}"] * bool(rule.when)
                        + [f"unless {' or '.join(rule.unless)}"] * bool(rule.unless))
                records = " (who also records)" if rule.records else ""
                bits.append(f"{label}: {role_names(procedure, rule.roles)}{records} [{rule.strength.value}]")
        if item_obj.minutes:
            bits.append(f"minutes by {minuted_by(procedure, item_obj.minutes)}")
        if item_obj.quorum:
            q = item_obj.quorum
            need = f"at least {q.minimum}" if q.minimum is not None else "quorum"
            if q.required:
                need += f" including {role_names(procedure, q.required, ', ')}"
            bits.append(f"quorum: {need} [{q.strength.value}]")
        return "; ".join(bits)
    if isinstance(item_obj, model.Document):
        bits = [item_obj.name]
        if item_obj.producer:
            bits.append(f"by {role_names(procedure, (item_obj.producer,))}")
        if item_obj.recipients:
            bits.append(f"to {role_names(procedure, item_obj.recipients, ', ')}")
        if item_obj.contents:
            bits.append(f"{len(item_obj.contents)} content items")
        return "; ".join(bits)
    if isinstance(item_obj, model.Pathway):
        steps = " -> ".join(
            (role_names(procedure, (s.role,)) if s.role else event_name(procedure, s.meeting))
            + (f" ({s.within})" if s.within else "") for s in item_obj.steps)
        return f"{item_obj.name}: {steps}"
    if isinstance(item_obj, model.Trigger):
        return f"{item_obj.action} {event_name(procedure, item_obj.meeting)} when {item_obj.circumstance}"
    if isinstance(item_obj, model.Right):
        holders = role_names(procedure, item_obj.holders, ", ")
        return f"{holders + ': ' if holders else ''}{item_obj.what}"
    if isinstance(item_obj, model.SourceDocument):
        return item_obj.title + (f" ({item_obj.publisher})" if item_obj.publisher else "")
    name = getattr(item_obj, "name", "")
    description = getattr(item_obj, "description", None)
    return name + (f": {description}" if description else "")


# -- a few words, for the cells of a comparison matrix -------------------------------

_UNIT_SHORT = {"working days": "WD", "days": "days", "weeks": "wk", "months": "mo", "hours": "h"}
_EVERY_WORDS = {("1", "weeks"): "weekly", ("2", "weeks"): "fortnightly", ("1", "months"): "monthly"}


def short_duration(duration: object) -> str:
    """"10 WD", "6 wk", "1 mo": a duration in as few characters as stay clear."""
    amount, unit = getattr(duration, "amount", None), getattr(duration, "unit", None)
    if amount is None or unit is None:
        return str(duration)
    return f"{amount} {_UNIT_SHORT.get(unit.value, unit.value)}"


def _brief_every(every: object) -> str:
    said = _EVERY_WORDS.get((str(getattr(every, "amount", "")), getattr(getattr(every, "unit", None), "value", "")))
    return said or f"every {short_duration(every)}"


def _brief_timing(procedure: model.Procedure, ob: model.Obligation) -> str:
    if ob.timescale is model.Timescale.SET_PER_CASE:
        return "set per case"
    if ob.timescale is model.Timescale.IMMEDIATELY:
        return "immediately"
    if ob.every:
        return _brief_every(ob.every)
    if ob.gestation is not None:
        return f"by {ob.gestation} of pregnancy"
    if ob.within:
        if ob.readings:
            readings = [short_duration(ob.within), *(short_duration(r.within) for r in ob.readings)]
            return f"{len(readings)} readings: " + " / ".join(readings)
        said = short_duration(ob.within)
        if ob.alternatives:
            said += " or " + " or ".join(short_duration(a.within) for a in ob.alternatives)
            said += f", {ob.combine.value if ob.combine else 'sooner'}"
        return f"{said} before" if ob.before and not ob.after else said
    if ob.before:
        return "before " + event_name(procedure, ob.before)
    return "no timescale" if ob.timescale is model.Timescale.UNSPECIFIED or not ob.after else "after"


def _short_roles(procedure: model.Procedure, roles: tuple[str, ...]) -> str:
    return "/".join(lower_first(procedure.roles[r].name) if r in procedure.roles else r for r in roles)


def brief(procedure: model.Procedure, section: str, item_obj: object) -> str:
    """A rule in a few words for a matrix cell: "10 WD, must", "monthly, usually",
    "team leader/ops manager, then lead social worker", "2 readings: 15 days / 15 WD".

    The full rule is :func:`item`; this is what fits in a cell.
    """
    if isinstance(item_obj, model.Obligation):
        return f"{_brief_timing(procedure, item_obj)}, {item_obj.strength.value}"
    if isinstance(item_obj, model.Meeting):
        bits = []
        if item_obj.chair:
            chairs = [(slot, rule) for slot, rule in item_obj.chair.slots()]
            said = []
            for slot, rule in chairs:
                who = _short_roles(procedure, rule.roles)
                said.append(who if slot in ("each", "first") else
                            f"then {who}" if slot == "subsequent" else
                            f"if absent {who}" if slot == "fallback" else f"when {' and '.join(rule.when) or '…'}: {who}")
            bits.append("chair: " + ", ".join(said))
        if item_obj.minutes:
            bits.append("minutes: " + (_short_roles(procedure, item_obj.minutes.by) if item_obj.minutes.by else "a member"))
        if item_obj.quorum:
            q = item_obj.quorum
            need = f"≥{q.minimum}" if q.minimum is not None else "quorum"
            if q.required:
                need += " incl. " + _short_roles(procedure, q.required)
            bits.append(need)
        return "; ".join(bits) or (item_obj.name or section)
    if isinstance(item_obj, model.Pathway):
        return " → ".join(_short_roles(procedure, (s.role,)) if s.role else event_name(procedure, s.meeting)
                          for s in item_obj.steps) or item_obj.name
    if isinstance(item_obj, model.Document):
        return item_obj.name
    text = item(procedure, section, item_obj)
    return text if len(text) <= 40 else text[:39] + "…"
