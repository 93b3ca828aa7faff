"""What each page of the explorer site shows, as plain data for the templates."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from procedurekit import describe, model
from procedurekit.quoting import normalise
from procedurekit.site.sourcetext import Span, find_spans, segments

if TYPE_CHECKING:
    from procedurekit.host.library import Library

__all__ = ["rule_anchor", "procedure_summary", "procedure_rules", "source_documents", "search_entries",
           "LISTED_SECTIONS"]

#: the sections a procedure page lists, in order
LISTED_SECTIONS = ("meetings", "obligations", "documents", "pathways", "triggers", "rights", "categories",
                   "roles", "conditions", "events", "periods")


def rule_anchor(section: str, item_id: str) -> str:
    """The permalink fragment of a rule on its procedure's page: ``rule-obligations-icpc``."""
    return f"rule-{section}-{item_id}"


def procedure_summary(library: Library, pid: str) -> dict[str, Any]:
    """A procedure's card on the home page: who, which version, what it extends, counts, floor status."""
    proc = library.get(pid)
    below = [d for d in library.problems(pid) if d.code == "relaxes-floor"]
    own = sum(1 for key, origin in proc.origins.items() if origin == pid and key.count(".") == 1
              and key.split(".")[0] in model.RULE_SECTIONS)
    return {
        "id": pid, "title": proc.title, "partnership": proc.partnership, "version": proc.version,
        "extends": proc.extends, "jurisdiction": getattr(proc, "jurisdiction", None),
        "counts": {s: len(proc.section(s)) for s in model.RULE_SECTIONS if proc.section(s)},
        "own": own, "below_floor": [str(d.message) for d in below], "versions": len(library.versions(pid)),
    }


def procedure_history(library: Library, pid: str) -> dict[str, Any]:
    """A procedure's versions and, from each to the next, its classed changes (as ``procedurekit history``)."""
    return library.history(pid)[0]


def _sources(proc: model.Procedure, sources: tuple[model.Source, ...], quoted_here: dict[tuple[str, str], str],
             rule: str) -> list[dict[str, Any]]:
    out = []
    for src in sources:
        doc = proc.sources.get(src.doc)
        out.append({"title": doc.title if doc else src.doc, "url": doc.url if doc else None,
                    "where": describe.citation(None, src.section, src.paragraph), "quote": src.quote,
                    "verified": src.verified.value if src.verified else None,
                    "in_text": quoted_here.get((rule, normalise(src.quote))) if src.quote else None})
    return out


def _all_sources(item: object) -> tuple[model.Source, ...]:
    """An item's sources and those of the rules inside it (a meeting's chair, minutes, quorum)."""
    found = list(getattr(item, "source", ()))
    if isinstance(item, model.Meeting):
        parts = [rule for _, rule in item.chair.slots()] if item.chair else []
        parts += [r for r in (item.minutes, item.quorum) if r is not None]
        found += [s for part in parts for s in getattr(part, "source", ()) if s not in found]
    return tuple(found)


def _origin(proc: model.Procedure, key: str) -> str:
    """Who wrote an item: "england", or "england, with croydon's own parts" for an item it amends."""
    origin = proc.origins.get(key, proc.id)
    if origin != proc.id and any(k.startswith(key + ".") and v == proc.id for k, v in proc.origins.items()):
        return f"{origin}, amended by {proc.id}"
    return origin


def procedure_rules(library: Library, pid: str, quoted_here: dict[tuple[str, str], str]) -> list[dict[str, Any]]:
    """Every item of *pid*, by section: anchor, a few words, the full rule, where it comes from, its sources."""
    proc = library.get(pid)
    groups = []
    for section in LISTED_SECTIONS:
        items = []
        for item_id, item in proc.section(section).items():
            key = f"{section}.{item_id}"
            concept = getattr(item, "concept", None)
            items.append({
                "id": item_id, "section": section, "anchor": rule_anchor(section, item_id),
                "brief": describe.brief(proc, section, item) if section in model.RULE_SECTIONS else None,
                "text": describe.item(proc, section, item),
                "origin": _origin(proc, key),
                "concept": model.CONCEPTS[concept].title if concept in model.CONCEPTS else None,
                "interpretation": getattr(item, "interpretation", None),
                "sources": _sources(proc, _all_sources(item), quoted_here, rule_anchor(section, item_id)),
            })
        if items:
            groups.append({"section": section, "items": items})
    return groups


def _unencoded(folder: Path) -> list[tuple[str, str]]:
    """The plugin's ``coverage.toml``: statements of its source text not encoded, and why."""
    path = folder / "coverage.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return []
    return [(u["quote"], u["reason"]) for u in data.get("unencoded", [])
            if isinstance(u, dict) and isinstance(u.get("quote"), str) and isinstance(u.get("reason"), str)]


def source_documents(library: Library, pid: str) -> list[dict[str, Any]]:
    """Each source text *pid* ships, cut into segments: quotes linked to their rules, unencoded statements
    marked with the reason."""
    entry = library.entry(pid)
    texts = library.source_texts(pid)
    if not texts:
        return []
    unencoded = _unencoded(library.plugin_folder(pid))
    out = []
    for doc_id, text in texts.items():
        # each quote of each rule has its own anchor, q-<rule>-<n>, that the rule's "in the text" links to
        anchors: dict[str, dict[str, str]] = {}
        for key, src in entry.written.citations():
            if src.doc == doc_id and src.quote:
                rule = anchors.setdefault(rule_anchor(str(key[0]), str(key[1])), {})
                rule.setdefault(normalise(src.quote), f"q-{rule_anchor(str(key[0]), str(key[1]))}-{len(rule) + 1}")
        owner = {anchor: rule for rule, quotes in anchors.items() for anchor in quotes.values()}
        spans = find_spans(text, [(anchor, quote) for quotes in anchors.values() for quote, anchor in quotes.items()],
                           unencoded)
        found = {s.rule for s in spans if s.rule}
        doc = entry.written.sources[doc_id]
        out.append({"id": doc_id, "title": doc.title, "file": doc.file, "pieces": _pieces(text, spans, owner),
                    "quoted": {(owner[a], quote): a for rule, quotes in anchors.items()
                               for quote, a in quotes.items() if a in found},
                    "unencoded": [{"anchor": f"ne-{s.start}", "reason": s.reason, "words": _opening(text, s)}
                                  for s in spans if s.reason]})
    return out


def _opening(text: str, span: Span) -> str:
    words = " ".join(text[span.start:span.end].split())
    return words if len(words) <= 90 else words[:87] + "..."


def _pieces(text: str, spans: list[Span], owner: dict[str, str]) -> list[dict[str, Any]]:
    """The text in runs for the page: plain, quoted (linked to its rule; each quote's first run carries
    the quote's ``q-`` anchor) or not encoded (with the reason). *owner*: quote anchor -> rule anchor."""
    seen: set[str] = set()
    out: list[dict[str, Any]] = []
    for seg in segments(text, spans):
        piece: dict[str, Any] = {"text": seg.text, "kind": "plain", "anchors": [], "rule": None, "title": None}
        rules = list(dict.fromkeys(owner[s.rule] for s in seg.spans if s.rule))
        for span in seg.starts:
            if span.rule and span.rule not in seen:
                piece["anchors"].append(span.rule)
                seen.add(span.rule)
            elif span.reason:
                piece["anchors"].append(f"ne-{span.start}")
        if rules and seg.text.strip():
            piece.update(kind="quote", rule=rules[0], title="Quoted by " + ", ".join(
                r.removeprefix("rule-").replace("-", ".", 1) for r in rules))
        elif seg.spans and seg.text.strip() and not rules:
            piece.update(kind="not-encoded", title=f"Not encoded: {seg.spans[0].reason}")
        out.append(piece)
    return out


def search_entries(library: Library, pid: str) -> Iterator[dict[str, str]]:
    """The search index's entries for *pid*: every item, with its quotes and the names of its roles."""
    proc = library.get(pid)
    page = f"procedures/{pid}.html"
    for section in LISTED_SECTIONS:
        for item_id, item in proc.section(section).items():
            text = describe.item(proc, section, item)
            quotes = [s.quote for s in _all_sources(item) if s.quote]
            words = " ".join([pid, section, item_id, text, *quotes])
            yield {"title": f"{proc.title}: {text}" if len(text) < 140 else f"{proc.title}: {text[:137]}...",
                   "url": f"{page}#{rule_anchor(section, item_id)}", "kind": "category" if section == "categories" else section[:-1],
                   "procedure": pid, "snippet": quotes[0] if quotes else "", "text": normalise(words)}
