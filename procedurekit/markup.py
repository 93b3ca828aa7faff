"""Procedure text in HTML and Markdown outputs: shown as text, never run as markup.

Procedure files come from partnerships, so their words are data: in HTML they
are escaped, and only ``http``/``https`` (or relative) addresses become links;
in Markdown, HTML and link syntax in them is escaped.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

__all__ = ["link_target", "markdown_text"]

# "&" only where it would start an entity ("&lt;"), so "family & friends" stays as written
_MARKDOWN_SPECIAL = re.compile(r"&(?=#?\w+;)|[<>]|\]\(")
_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "](": "]\\("}


def link_target(url: str | None) -> str | None:
    """*url* if it may be a link's target: ``http``, ``https`` or relative; ``None`` for anything else."""
    if not url:
        return None
    cleaned = url.strip()
    if any(ord(c) < 32 for c in cleaned):  # browsers drop tabs and newlines from "java\tscript:"
        return None
    scheme = urlsplit(cleaned).scheme.lower()
    return cleaned if scheme in ("http", "https", "") and not cleaned.startswith("//") else None


def markdown_text(text: str) -> str:
    """*text* for a Markdown page: HTML tags, entities and inline links shown as written."""
    return _MARKDOWN_SPECIAL.sub(lambda m: _ESCAPES[m.group()], text)
