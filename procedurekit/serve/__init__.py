"""``procedurekit serve``: a read-only HTTP JSON API over the installed procedures (docs/serve.md).

:mod:`~procedurekit.serve.api` answers each endpoint from a :class:`~procedurekit.host.library.Library`;
:mod:`~procedurekit.serve.app` is the ASGI application (Starlette) with its limits and JSON errors;
:mod:`~procedurekit.serve.openapi` builds the OpenAPI document from the schemas the CLI's JSON follows.
Needs the ``serve`` extra: ``pip install procedurekit[serve]``.
"""
