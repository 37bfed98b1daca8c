"""Bugs answered as bugs: an exception no handler named becomes a 500 and one JSON log line."""

from __future__ import annotations

import json
import logging
import traceback

from reviewer_app.server.bodies import App, Receive, ResponseWatch, Scope, Send
from reviewer_app.server.errors import error_body

error_log = logging.getLogger("reviewer_app.server.errors")

INTERNAL_ERROR = "internal server error: the server's log has the details"


class InternalErrors:
    """ASGI middleware for what the named errors do not cover (those are 4xx, or 503 when the
    storage fails): a bug answers 500 with the usual ``{"details", "status"}`` body, and is
    logged on the error log (stderr) as one JSON line with the request and the traceback."""

    def __init__(self, app: App) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        watch = ResponseWatch(send)
        try:
            await self.app(scope, receive, watch)
        except Exception as exc:
            entry = {
                "event": "internal error",
                "method": scope["method"],
                "path": scope["path"],
                "error": f"{type(exc).__name__}: {exc}",
                "traceback": traceback.format_exc(),
            }
            error_log.error(json.dumps(entry))
            if watch.started:  # too late for a status: the client sees the answer cut short
                return
            body = json.dumps(error_body(500, INTERNAL_ERROR)).encode()
            headers = [
                (b"content-type", b"application/json"),
                (b"content-length", b"%d" % len(body)),
            ]
            await send({"type": "http.response.start", "status": 500, "headers": headers})
            await send({"type": "http.response.body", "body": body})
