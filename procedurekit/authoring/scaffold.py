"""Scaffolding a partnership plugin (``procedurekit new``) from the templates shipped in the package."""

from __future__ import annotations

import json
import string
from pathlib import Path

from procedurekit import __version__, atomic
from procedurekit.errors import InputError
from procedurekit.loader import is_id, suggest_id

__all__ = ["scaffold", "ScaffoldError"]

TEMPLATES = Path(__file__).parent.parent / "templates" / "plugin"


class ScaffoldError(InputError, ValueError):
    """A plugin that cannot be scaffolded as asked (bad name, folder already there)."""


def scaffold(name: str, target: Path, *, partnership: str | None = None, baseline: str = "england") -> list[Path]:
    """Write a new plugin for procedure *name* into *target*; returns the files written."""
    if not (is_id(name) and name[0].isalpha()):  # it also names a Python module
        raise ScaffoldError(f'"{name}" is not a procedure id: use lower-case words joined by hyphens, '
                            f'e.g. "{suggest_id(name, "goodshire")}"')
    if target.exists():
        raise ScaffoldError(f"{target} already exists: choose another directory (nothing was written)")
    partnership = partnership or name.replace("-", " ").title() + " Safeguarding Children Partnership"
    if not partnership.isprintable() or not partnership.strip():
        raise ScaffoldError("the partnership's name must be one line of printable text, e.g. "
                            '"Goodshire Safeguarding Children Partnership" (nothing was written)')
    module = "procedurekit_" + name.replace("-", "_")
    major, minor = (int(part) for part in __version__.split(".")[:2])
    values = {"name": name, "module": module, "baseline": baseline,
              # a plugin needs this release series: 0.1 up to (not including) 0.2
              "procedurekit_min": f"{major}.{minor}", "procedurekit_next": f"{major}.{minor + 1}",
              # as text (README, comments) and inside a TOML string, where quotes and backslashes are escaped;
              # it never goes into Python code
              "partnership": partnership, "partnership_toml": json.dumps(partnership, ensure_ascii=False)[1:-1]}
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
        atomic.write_text(path, text)
        written.append(path)
    (target / module / "sources").mkdir()
    return written
