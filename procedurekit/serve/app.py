"""The ASGI application of ``procedurekit serve`` (Starlette): routes, limits and JSON errors.

Read-only: no endpoint writes a file the server keeps or loads a plugin from a request. Every request body
is capped (:data:`MAX_BODY`), every answer is computed in a worker thread under a time limit
(:data:`TIMEOUT`), and every failure is JSON with a stable code: 4xx for bad input, 503 for a request that
ran out of time, 500 (with no traceback or path) only for a bug.
"""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import anyio
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Mount, Route

from procedurekit.serve import api
from procedurekit.serve.api import ApiError

if TYPE_CHECKING:
    from procedurekit.host.library import Library

__all__ = ["create_app", "MAX_BODY", "TIMEOUT"]

#: the largest request body accepted (bytes): a procedure or a case is a few kilobytes, an audit of
#: many cases belongs in the command line
MAX_BODY = 8 * 1024 * 1024
#: the longest a request may compute (seconds)
TIMEOUT = 30.0
#: the calendar used when a request names none
DEFAULT_CALENDAR = "england-and-wales"

log = logging.getLogger("procedurekit.serve")


def create_app(library: Library, *, max_body: int = MAX_BODY, timeout: float = TIMEOUT,
               cors_origins: Sequence[str] = (), clock: Callable[[], dt.date] = dt.date.today) -> Starlette:
    """The API over *library*. *clock* gives "today" where a request leaves it out (tests fix it)."""
    handlers = _Handlers(library, max_body, timeout, clock)
    routes = [
        Route("/procedures", handlers.wrap(lambda r, b: api.procedures(library))),
        Route("/procedures/{pid}", handlers.wrap(lambda r, b: api.show(library, r.path_params["pid"],
                                                                           r.query_params.get("on")))),
        Route("/procedures/{pid}/history", handlers.wrap(lambda r, b: api.history(library, r.path_params["pid"]))),
        Route("/procedures/{pid}/schedule", handlers.wrap(handlers.schedule), methods=["POST"]),
        Route("/procedures/{pid}/audit", handlers.wrap(handlers.audit), methods=["POST"]),
        Route("/validate", handlers.wrap(lambda r, b: api.validate(library, b)), methods=["POST"]),
        Route("/compare", handlers.wrap(lambda r, b: api.compare(
            library, r.query_params.getlist("id"), r.query_params.get("baseline"), r.query_params.get("topic")))),
        Route("/calendar/add", handlers.wrap(lambda r, b: api.calendar_add(
            r.query_params.get("start"), r.query_params.get("duration"), _calendar(r),
            r.query_params.get("before", "false").lower() in ("true", "1", "yes")))),
        Route("/calendar/between", handlers.wrap(lambda r, b: api.calendar_between(
            r.query_params.get("start"), r.query_params.get("end"), _calendar(r)))),
        Route("/calendar/holidays", handlers.wrap(lambda r, b: api.calendar_holidays(
            r.query_params.get("year"), _calendar(r)))),
        Route("/schemas", handlers.wrap(lambda r, b: _schema_names())),
        Route("/schemas/{name}", handlers.wrap(lambda r, b: _schema(r.path_params["name"]))),
        Route("/openapi.json", handlers.wrap(lambda r, b: _openapi())),
        Route("/docs", _docs_page),
        Mount("/docs/static", app=_swagger_files(), name="swagger"),
    ]
    middleware = [Middleware(CORSMiddleware, allow_origins=list(cors_origins), allow_methods=["GET", "POST"],
                             allow_headers=["content-type"])] if cors_origins else []
    return Starlette(routes=routes, middleware=middleware, exception_handlers={
        404: _not_found, 405: _not_allowed, Exception: _internal})


def _calendar(request: Request) -> str:
    return request.query_params.get("calendar") or DEFAULT_CALENDAR


class _Handlers:
    """The shared part of every endpoint: the body read within its limit, the work done in a thread within
    its time, the answer or the error as JSON."""

    def __init__(self, library: Library, max_body: int, timeout: float, clock: Callable[[], dt.date]):
        self.library, self.max_body, self.timeout, self.clock = library, max_body, timeout, clock

    def wrap(self, work: Callable[[Request, bytes], Any]) -> Callable[[Request], Any]:
        async def endpoint(request: Request) -> Response:
            try:
                body = await self._body(request) if request.method == "POST" else b""
                with anyio.fail_after(self.timeout):
                    answer = await run_in_threadpool(work, request, body)
            except ApiError as error:
                return JSONResponse(error.body(), status_code=error.status)
            except TimeoutError:
                late = ApiError(503, "timeout", f"the request took longer than {self.timeout:g} s: send less "
                                                "(the command line has no limit)")
                return JSONResponse(late.body(), status_code=503)
            if isinstance(answer, Response):
                return answer
            if isinstance(answer, str):
                return Response(answer, media_type="application/json")
            return JSONResponse(answer)
        return endpoint

    async def _body(self, request: Request) -> bytes:
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body:
            raise self._too_large()
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > self.max_body:
                raise self._too_large()
            chunks.append(chunk)
        return b"".join(chunks)

    def _too_large(self) -> ApiError:
        return ApiError(413, "too-large", f"the body is larger than {self.max_body:,} bytes: audit large files "
                                          "with the command line (procedurekit audit)")

    def schedule(self, request: Request, body: bytes) -> str:
        return api.schedule(self.library, request.path_params["pid"], body, request.query_params.get("today"),
                            request.query_params.get("on"), self.clock())

    def audit(self, request: Request, body: bytes) -> Response:
        # written to a spooled file (memory up to 1 MiB, then disk) and sent back in blocks
        out = tempfile.SpooledTemporaryFile(1 << 20, mode="w+", encoding="utf-8", prefix="procedurekit-")
        try:
            api.audit(self.library, request.path_params["pid"], body, request.headers.get("content-type", ""),
                      request.query_params.get("today"), self.clock(), out)
        except BaseException:
            out.close()
            raise
        out.seek(0)

        def blocks() -> Any:
            with out:
                while block := out.read(1 << 16):
                    yield block

        return StreamingResponse(blocks(), media_type="application/json")


def _schema_names() -> dict[str, Any]:
    from procedurekit.serve.openapi import SCHEMAS

    return {"schemas": list(SCHEMAS)}


def _schema(name: str) -> dict[str, Any]:
    from procedurekit.serve.openapi import SCHEMAS, schema

    if name.removesuffix(".json") not in SCHEMAS:
        raise ApiError(404, "unknown-schema", f"no schema {name!r}: use one of {', '.join(sorted(SCHEMAS))}")
    return schema(name.removesuffix(".json"))


def _openapi() -> dict[str, Any]:
    from procedurekit.serve.openapi import openapi_document

    return openapi_document()


def _swagger_files() -> Any:
    from starlette.staticfiles import StaticFiles
    from swagger_ui_bundle import swagger_ui_path  # type: ignore[import-untyped]

    return StaticFiles(directory=swagger_ui_path)


async def _docs_page(request: Request) -> HTMLResponse:
    """The interactive documentation: Swagger UI, served from the installed swagger-ui-bundle (no network)."""
    return HTMLResponse(_DOCS_PAGE)


_DOCS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>procedurekit API</title>
<link rel="stylesheet" href="/docs/static/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/static/swagger-ui-bundle.js"></script>
<script>window.ui = SwaggerUIBundle({url: "/openapi.json", dom_id: "#swagger-ui"});</script>
</body></html>
"""


async def _not_found(request: Request, exc: Exception) -> JSONResponse:
    error = ApiError(404, "not-found", f"no endpoint {request.url.path}: /openapi.json lists them")
    return JSONResponse(error.body(), status_code=404)


async def _not_allowed(request: Request, exc: Exception) -> JSONResponse:
    error = ApiError(405, "method-not-allowed", f"{request.method} is not allowed on {request.url.path}")
    return JSONResponse(error.body(), status_code=405)


async def _internal(request: Request, exc: Exception) -> JSONResponse:
    log.exception("procedurekit serve: internal error on %s", request.url.path)  # the server's log only
    error = ApiError(500, "internal-error", "an internal error: this is a bug in procedurekit; the server's "
                                           "log has the details")
    return JSONResponse(error.body(), status_code=500)

