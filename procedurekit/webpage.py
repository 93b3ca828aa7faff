"""HTML pages from the Jinja2 templates in ``procedurekit/templates``: the comparison report, the explorer site.

Procedure text is data: templates autoescape everything, and addresses become
links only through :func:`procedurekit.markup.link_target`. Pages carry their
styles and scripts inline or beside them (``static/``), never from a network.
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import TYPE_CHECKING, Any

from procedurekit.markup import link_target

if TYPE_CHECKING:
    import jinja2

__all__ = ["render", "static_text", "STATIC_FILES"]

#: the shared style sheet and script, inlined into single-file reports and copied beside the site's pages
STATIC_FILES = ("explorer.css", "explorer.js")


@functools.lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    import jinja2

    env = jinja2.Environment(loader=jinja2.PackageLoader("procedurekit", "templates"),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True,
                             undefined=jinja2.StrictUndefined)
    env.filters["link_target"] = link_target
    env.globals["static_text"] = static_text
    return env


def render(template: str, **context: Any) -> str:
    """The page *template* (a path under ``templates/``) filled with *context*."""
    return _environment().get_template(template).render(**context)


@functools.cache
def static_text(name: str) -> str:
    """One of :data:`STATIC_FILES`, as text."""
    return resources.files("procedurekit").joinpath("templates", "static", name).read_text(encoding="utf-8")
