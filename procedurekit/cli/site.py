"""The ``site`` command: the explorer, a static website of the installed procedures."""

from __future__ import annotations

import click

from procedurekit.cli.app import Command, Settings, parse_today

__all__ = ["site"]


@click.command(cls=Command)
@click.option("--output", "-o", "folder", required=True, type=click.Path(file_okay=False),
              help="The folder to write the site into (new, empty, or an earlier site).")
@click.option("--baseline", default="england", show_default=True, metavar="ID",
              help="The procedure the comparison pages measure the others against.")
@click.option("--today", help="The date the pages say they were built (default: today), YYYY-MM-DD.")
@click.pass_obj
def site(settings: Settings, folder: str, baseline: str, today: str | None) -> None:
    """Build the explorer: a static website of every installed procedure.

    A home page with each procedure and its floor status; per procedure its
    rules beside its source text (quotes highlighted, linked both ways), its
    manual and an example case's timeline; the comparison matrix, topic views
    and the national floor report; search over rules, quotes and roles. Open
    DIR/index.html in a browser, or put DIR on any static host: no network,
    no server, no external assets.
    """
    from procedurekit.site.build import build_site

    built = build_site(settings.library(), folder, today=parse_today(today), baseline=baseline)
    if built.left_out:
        click.echo(f"left out, as they do not validate: {', '.join(built.left_out)} "
                   "(procedurekit validate says why)", err=True)
    click.echo(f"wrote {len(built.pages)} files to {built.folder} in {built.seconds:.1f} s; "
               f"open {built.folder / 'index.html'}", err=True)
