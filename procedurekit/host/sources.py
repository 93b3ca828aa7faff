"""Source texts shipped with a plugin: each file stays inside the plugin, and every quote is in its text."""

from __future__ import annotations

from pathlib import Path

from procedurekit.diagnostics import Diagnostic
from procedurekit.host.catalog import ProcedureEntry
from procedurekit.quoting import normalise, quoted

__all__ = ["check_quotes", "read_sources"]


def check_quotes(entry: ProcedureEntry, root: Path) -> list[Diagnostic]:
    """Source documents with a ``file``: the file is inside *root* (the plugin), and every quote is in it."""
    raw, out = read_sources(entry, root)
    texts = {doc_id: normalise(text) for doc_id, text in raw.items()}
    if not texts:
        return out
    written = entry.written
    for key, src in written.citations():
        if src.doc not in texts or not src.quote:
            continue
        if not quoted(normalise(src.quote), texts[src.doc]):
            out.append(entry.file.diagnostic(
                "quote-not-found", f"quote not found in {written.sources[src.doc].file}: copy the words "
                "exactly (use … where words are left out)", key[:-1] + ("quote",), at_value=True))
    return out


def read_sources(entry: ProcedureEntry, root: Path) -> tuple[dict[str, str], list[Diagnostic]]:
    """The text of each source document that names a file inside *root*, and the problems reading them."""
    texts: dict[str, str] = {}
    out: list[Diagnostic] = []
    for doc_id, doc in entry.written.sources.items():
        if not doc.file:
            continue
        key = ("sources", doc_id, "file")
        path = (Path(entry.path).resolve().parent / doc.file).resolve()
        if not path.is_relative_to(root):
            out.append(entry.file.diagnostic("source-file", f'"{doc.file}" is outside the plugin '
                                             f"({root}); ship the text inside the plugin", key, at_value=True))
            continue
        try:
            texts[doc_id] = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            out.append(entry.file.diagnostic("source-file", f'cannot read "{doc.file}": '
                                             f"{getattr(exc, 'strerror', None) or exc}", key, at_value=True))
    return texts, out
