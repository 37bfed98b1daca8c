"""HTTP errors: one exception type for handlers, and the mapping of engine and PDF errors."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect

from reviewer_app.engine import BadRequest, Conflict, EngineError, NotFound, StorageError
from reviewer_app.pdf import BrokenPdf, PasswordRequired, PdfError, WrongPassword
from reviewer_app.pdf.errors import PdfWorkersBusy
from reviewer_app.pdf.stopping import Stopped


class ApiError(Exception):
    """An answer other than success: an HTTP status and one short line saying why."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


class AccessDenied(ApiError):
    """Missing (401) or refused (403) credentials; answered in plain text, as Document Engine.

    (Not to be confused with the sync client's ``AccessDenied``: that is the client's view of
    this answer.)"""


def unauthorized(reason: str = "authentication required") -> AccessDenied:
    return AccessDenied(401, reason)


def forbidden(reason: str) -> AccessDenied:
    return AccessDenied(403, reason)


ENGINE_STATUS: dict[type[EngineError], int] = {
    NotFound: 404,
    BadRequest: 400,
    Conflict: 409,
    StorageError: 503,
}

PDF_STATUS: dict[type[PdfError], int] = {
    BrokenPdf: 422,
    PasswordRequired: 400,
    WrongPassword: 403,
    PdfWorkersBusy: 503,
}


def engine_status(exc: EngineError) -> int:
    for kind, status in ENGINE_STATUS.items():
        if isinstance(exc, kind):
            return status
    return 500


def pdf_status(exc: PdfError) -> int:
    for kind, status in PDF_STATUS.items():
        if isinstance(exc, kind):
            return status
    return 422


def error_body(status: int, reason: str) -> dict[str, Any]:
    """The ``ErrorResponse`` shape of the OpenAPI document: ``details`` and ``status`` (text
    that UTF-8 cannot carry, such as a lone surrogate quoted from a request, is escaped)."""
    return {"details": reason.encode("utf-8", "backslashreplace").decode(), "status": status}


def error_response(status: int, reason: str) -> Response:
    return JSONResponse(error_body(status, reason), status_code=status)


def _http_reason(request: Request, exc: HTTPException) -> str:
    """What the router's own 404 and 405 mean, said for a person (DE's shape either way)."""
    route = f"{request.method} {request.url.path[:200]}"
    if exc.status_code == 404 and exc.detail == "Not Found":
        return f"there is no route {route} (the routes are listed at /docs)"
    if exc.status_code == 405 and exc.detail == "Method Not Allowed":
        return f"{route}: the route exists but not for {request.method} (see /docs)"
    return str(exc.detail)


def install(app: FastAPI) -> None:
    """Answer our named errors with their status codes instead of a 500."""

    async def on_auth(_: Request, exc: Exception) -> Response:
        assert isinstance(exc, AccessDenied)
        headers = (
            {"WWW-Authenticate": 'Token, Bearer realm="reviewer"'} if exc.status == 401 else {}
        )
        return PlainTextResponse(exc.reason, status_code=exc.status, headers=headers)

    async def on_api(_: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        return error_response(exc.status, exc.reason)

    async def on_engine(_: Request, exc: Exception) -> Response:
        assert isinstance(exc, EngineError)
        return error_response(engine_status(exc), str(exc))

    async def on_pdf(_: Request, exc: Exception) -> Response:
        assert isinstance(exc, PdfError)
        return error_response(pdf_status(exc), str(exc))

    async def on_validation(_: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        problems = [
            f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg')}" for e in exc.errors()
        ]
        return error_response(400, "; ".join(problems) or "invalid request")

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)  # no route (404), not this method (405), ...
        answer = error_response(exc.status_code, _http_reason(request, exc))
        answer.headers.update(exc.headers or {})
        return answer

    async def on_gone(_: Request, exc: Exception) -> Response:
        # the client left (the work stopped, or its body was cut short): nobody reads this
        return error_response(499, str(exc) or "the client went away")

    app.add_exception_handler(HTTPException, on_http)
    app.add_exception_handler(Stopped, on_gone)
    app.add_exception_handler(ClientDisconnect, on_gone)
    app.add_exception_handler(AccessDenied, on_auth)
    app.add_exception_handler(ApiError, on_api)
    app.add_exception_handler(EngineError, on_engine)
    app.add_exception_handler(PdfError, on_pdf)
    app.add_exception_handler(RequestValidationError, on_validation)
