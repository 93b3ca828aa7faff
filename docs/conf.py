"""Sphinx configuration: the procedurekit documentation, written in MyST Markdown.

Build: sphinx-build -W -b html docs docs/_build/html
Generated pages (hooks, keys, cli, coverage, manuals) come from docs/generate.py;
the API reference (api.md) from the docstrings, with autodoc.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent))

from procedurekit import __version__  # noqa: E402

project = "procedurekit"
author = "procedurekit contributors"
copyright = "2026, procedurekit contributors"
release = version = __version__
extensions = ["myst_parser", "sphinx.ext.autodoc"]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build", "generate.py"]
myst_heading_anchors = 3
html_theme = "alabaster"
html_title = f"procedurekit {version}"

# The API reference (api.md): members in the order of the source, signatures
# with their annotations as written.
autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_default_options = {"show-inheritance": True}


# The explorer site of the shipped procedures, built beside the pages as explorer/ (docs/site.md links it).
def _build_explorer(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    import datetime as dt
    import os

    from procedurekit.host.library import Library
    from procedurekit.site.build import build_site

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    day = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date() if epoch else dt.date.today()
    build_site(Library.load(), Path(app.outdir) / "explorer", today=day)


# The HTTP API's OpenAPI document, from the same code the server serves it from (docs/serve.md links it).
def _write_openapi(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    import json

    from procedurekit import atomic
    from procedurekit.serve.openapi import openapi_document

    atomic.write_text(Path(app.outdir) / "openapi.json", json.dumps(openapi_document(), indent=2) + "\n")


def setup(app):
    app.connect("build-finished", _build_explorer)
    app.connect("build-finished", _write_openapi)
