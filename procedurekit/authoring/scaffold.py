"""Scaffolding a partnership plugin (``procedurekit new``) from the templates shipped in the package."""

from __future__ import annotations

import re
import string
from pathlib import Path

__all__ = ["scaffold", "ScaffoldError"]

TEMPLATES = Path(__file__).parent.parent / "templates" / "plugin"
_ID = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")


class ScaffoldError(ValueError):
    pass


def scaffold(name: str, target: Path, *, partnership: str | None = None, baseline: str = "england") -> list[Path]:
    """Write a new plugin for procedure *name* into *target*; returns the files written."""
    if not _ID.match(name):
        suggestion = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        raise ScaffoldError(f'"{name}" is not a procedure id: use lower-case words joined by hyphens, '
                            f'e.g. "{suggestion or "goodshire"}"')
    if target.exists():
        raise ScaffoldError(f"{target} already exists: choose another directory (nothing was written)")
    module = "procedurekit_" + name.replace("-", "_")
    values = {"name": name, "module": module, "baseline": baseline,
              "partnership": partnership or name.replace("-", " ").title() + " Safeguarding Children Partnership"}
    layout = {
        "pyproject.toml.tmpl": "pyproject.toml",
        "README.md.tmpl": "README.md",
        "__init__.py.tmpl": f"{module}/__init__.py",
        "procedure.toml.tmpl": f"{module}/procedures/{name}.toml",
        "test_scenarios.toml.tmpl": f"tests/test_{name.replace('-', '_')}.toml",
    }
    written = []
    for template, relative in layout.items():
        text = string.Template((TEMPLATES / template).read_text(encoding="utf-8")).substitute(values)
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    (target / module / "sources").mkdir()
    return written
