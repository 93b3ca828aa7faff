"""The national baseline procedures (england, wales, scotland...) shipped with procedurekit."""

from __future__ import annotations

from pathlib import Path

from procedurekit.hookspecs import hookimpl


def baseline_dir() -> Path:
    """Folder of the baseline TOML files.

    In a built wheel they are packaged as ``procedurekit/procedures``; in a
    source checkout (and an editable install) they are the repository's
    top-level ``procedures/`` folder.
    """
    package = Path(__file__).resolve().parent.parent
    inside = package / "procedures"
    return inside if inside.is_dir() else package.parent / "procedures"


@hookimpl(trylast=True)
def procedurekit_procedure_files() -> list[Path]:
    return sorted(baseline_dir().glob("*.toml"))
