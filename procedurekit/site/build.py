"""``procedurekit site``: the explorer, a static website of every installed procedure.

Pages work from ``file://`` and any static host: no external assets, no
network, no server; the search index is a script beside the pages. Every file
is written atomically, and a folder that holds anything but an earlier build
is refused, so a mistyped ``-o`` never overwrites someone's files.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from attrs import frozen

from procedurekit import atomic, model
from procedurekit.errors import UsageError
from procedurekit.site import pages
from procedurekit.webpage import STATIC_FILES, render, static_text

if TYPE_CHECKING:
    from procedurekit.host.library import Library

__all__ = ["build_site", "Site", "MARKER"]

#: the file that marks a folder as an explorer build, which a later build may replace
MARKER = ".procedurekit-site"


@frozen
class Site:
    """What a build wrote: the folder, its pages, the procedures left out (invalid) and the time taken."""

    folder: Path
    pages: tuple[str, ...]
    left_out: tuple[str, ...]
    seconds: float


def _check_folder(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} is a file: name a folder for the site")
    if folder.is_dir() and any(folder.iterdir()) and not (folder / MARKER).exists():
        raise UsageError(f"{folder} is not empty and holds no earlier site: name a new or empty folder "
                         "(a build replaces only its own files)")


class _Writer:
    """Pages written under one folder, each atomically; remembers what it wrote."""

    def __init__(self, folder: Path, today: dt.date):
        self.folder, self.today, self.written = folder, today, []  # type: ignore[var-annotated]

    def page(self, name: str, template: str, **context: Any) -> None:
        depth = name.count("/")
        text = render(template, root="../" * depth, page=name, generated=self.today.isoformat(), **context)
        self.text(name, text)

    def text(self, name: str, text: str) -> None:
        path = self.folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic.write_text(path, text)
        self.written.append(name)


def build_site(library: Library, folder: str | Path, *, today: dt.date, baseline: str = "england") -> Site:
    """Write the explorer for every valid procedure of *library* into *folder*; *today* dates the example
    cases' schedules and the pages."""
    started = time.perf_counter()
    out = Path(folder)
    _check_folder(out)
    out.mkdir(parents=True, exist_ok=True)
    ids = [pid for pid in library.ids() if not library.errors(pid)]
    left_out = tuple(sorted({pid for pid in library.ids() if pid not in ids} | set(library.failed)))
    writer = _Writer(out, today)
    atomic.write_text(out / MARKER, "An explorer site built by procedurekit; `procedurekit site` may replace it.\n")
    for name in STATIC_FILES:
        writer.text(name, static_text(name))
    cards = [pages.procedure_summary(library, pid) for pid in ids]
    writer.page("index.html", "site/index.html", cards=cards, left_out=left_out, title="Procedures")
    search: list[dict[str, str]] = []
    for pid in ids:
        _procedure_pages(library, pid, writer, today)
        search += pages.search_entries(library, pid)
    writer.text("search-index.js", "window.PROCEDUREKIT_SEARCH = " + json.dumps(search, ensure_ascii=False)
                .replace("<", "\\u003c") + ";\n")
    writer.page("search.html", "site/search.html", title="Search")
    _comparisons(library, ids, writer, baseline if baseline in ids else ids[0])
    return Site(out, tuple(writer.written), left_out, time.perf_counter() - started)


def _procedure_pages(library: Library, pid: str, writer: _Writer, today: dt.date) -> None:
    from procedurekit.authoring.render import manual_body

    proc = library.get(pid)
    documents = pages.source_documents(library, pid)
    quoted = {key: anchor for doc in documents for key, anchor in doc["quoted"].items()}
    writer.page(f"procedures/{pid}.html", "site/procedure.html", title=proc.title,
                card=pages.procedure_summary(library, pid), groups=pages.procedure_rules(library, pid, quoted),
                documents=documents, timeline=_example_timeline(library, pid))
    writer.page(f"procedures/{pid}-manual.html", "site/manual.html", title=f"{proc.title}: manual",
                pid=pid, manual=manual_body(proc))
    if len(library.versions(pid)) > 1:
        writer.page(f"procedures/{pid}-history.html", "site/history.html", title=f"{proc.title}: history",
                    pid=pid, history=pages.procedure_history(library, pid))


#: the example case every procedure page draws, in the shared event vocabulary (events a procedure
#: does not know are left out of its copy)
EXAMPLE_EVENTS = (("strategy-discussion", "2024-01-08", None), ("icpc", "2024-01-31", None),
                  ("core-group", "2024-02-13", None), ("core-group", "2024-03-26", None),
                  ("rcpc", "2024-05-02", "booked"))
EXAMPLE_TODAY = dt.date(2024, 4, 15)


def _example_timeline(library: Library, pid: str) -> str | None:
    """The picture of an example case's schedule under *pid*, or None when it knows none of the events."""
    from procedurekit.cases.timeline import timeline_svg

    proc = library.get(pid)
    known = set(proc.events) | set(proc.meetings) | set(proc.documents) | set(model.CANONICAL_EVENTS)
    events = [model.CaseEvent(event, dt.date.fromisoformat(day),
                              status=model.EventStatus(status) if status else None)
              for event, day, status in EXAMPLE_EVENTS if event in known]
    if not events:
        return None
    case = model.Case(id="example", events=tuple(events))
    return timeline_svg(library.schedule(pid, case, EXAMPLE_TODAY), proc, case)


def _comparisons(library: Library, ids: list[str], writer: _Writer, baseline: str) -> None:
    """The matrix of every procedure against *baseline*, one page per topic, and the floor report."""
    from procedurekit.compare.diff import compare_matrix
    from procedurekit.compare.html import matrix_view
    from procedurekit.compare.reports import matrix_data

    others = [pid for pid in ids if pid != baseline]
    if not others:
        return
    matrix = compare_matrix(library.get(baseline), [library.get(pid) for pid in others])
    data = matrix_data(matrix)
    writer.page("compare.html", "site/compare.html", title=f"Every procedure against {baseline}",
                view=matrix_view(data), show_same=False, topic=None)
    for topic, name in model.TOPICS.items():
        view = matrix_view(matrix_data(matrix, topic=topic))
        writer.page(f"topics/{topic}.html", "site/compare.html", title=f"{name}: every procedure against {baseline}",
                    view=view, show_same=True, topic=topic)
    floors = []
    for pid in ids:
        summary = pages.procedure_summary(library, pid)
        if summary["extends"]:
            floors.append(summary)
    writer.page("floor.html", "site/floor.html", title="The national floor", floors=floors)
