"""The ``serve`` command: the HTTP JSON API, for applications not written in Python."""

from __future__ import annotations

import click

from procedurekit.cli.app import Command, Settings
from procedurekit.errors import UsageError

__all__ = ["serve"]


@click.command(cls=Command)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to listen on. The default answers this machine only; behind a reverse proxy, "
                   "keep it (docs/serve.md).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--cors-origin", "cors_origins", multiple=True, metavar="ORIGIN",
              help="Allow browser pages from ORIGIN (e.g. https://cases.example.org) to call the API; repeat it. "
                   "Off by default.")
@click.option("--max-body", default=8 * 1024 * 1024, show_default=True, type=click.IntRange(1),
              help="The largest request body accepted, in bytes.")
@click.option("--timeout", default=30.0, show_default=True, type=click.FloatRange(0.1),
              help="The longest a request may compute, in seconds.")
@click.pass_obj
def serve(settings: Settings, host: str, port: int, cors_origins: tuple[str, ...], max_body: int,
          timeout: float) -> None:
    """Serve the installed procedures as a read-only HTTP JSON API.

    \b
    procedurekit serve                              http://127.0.0.1:8000/docs: the interactive docs
    curl -X POST -H 'content-type: application/json' --data @case.json \\
        'http://127.0.0.1:8000/procedures/warrington/schedule?today=2024-03-01'

    Needs the serve extra: pip install procedurekit[serve]. The procedures are
    loaded once, at start (with --plugin-dir and the other options before
    "serve"); no request loads a plugin or writes a file.
    """
    try:
        import uvicorn

        from procedurekit.serve.app import create_app
    except ImportError as exc:
        raise UsageError(f"procedurekit serve needs the serve extra ({exc.name} is not installed): "
                         "pip install 'procedurekit[serve]'") from None
    library = settings.library()
    for problem in library.errors():
        click.echo(f"warning: {problem}", err=True)
    app = create_app(library, max_body=max_body, timeout=timeout, cors_origins=cors_origins)
    click.echo(f"procedurekit serve: {len(library.ids())} procedures on http://{host}:{port} "
               f"(interactive docs: http://{host}:{port}/docs)", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)
