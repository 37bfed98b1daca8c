"""Request bodies: size limits checked before buffering; JSON and multipart read as plain data."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request
from starlette.datastructures import UploadFile

from reviewer_app.instant.limits import MAX_DEPTH, text_problem
from reviewer_app.server.errors import ApiError

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

UPLOAD_PATH = "/api/documents"
access_log = logging.getLogger("reviewer_app.server.access")


class _TooLarge(Exception):
    pass


class ResponseWatch:
    """A ``send`` for the app inside a middleware: passes the answer's messages on to
    ``send`` and notes what went by — whether the answer ``started`` and its ``status`` (the
    given default until then) — and calls ``before_end`` just before the last body message."""

    def __init__(
        self, send: Send, status: int = 0, before_end: Callable[[], None] | None = None
    ) -> None:
        self.send = send
        self.status = status
        self.started = False
        self.before_end = before_end

    async def __call__(self, message: Message) -> None:
        kind = message["type"]
        if kind == "http.response.start":
            self.started = True
            self.status = int(message["status"])
        elif kind == "http.response.body" and self.before_end and not message.get("more_body"):
            self.before_end()
        await self.send(message)


class BodyLimit:
    """ASGI middleware: 413 for a body over the limit (uploads have their own, larger one),
    answered from ``Content-Length`` before reading, or as soon as a streamed body passes it."""

    def __init__(self, app: App, upload_limit: int, body_limit: int) -> None:
        self.app = app
        self.upload_limit = upload_limit
        self.body_limit = body_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        upload = scope["method"] == "POST" and scope["path"].rstrip("/") == UPLOAD_PATH
        limit = self.upload_limit if upload else self.body_limit
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _too_large(send, limit)
            return
        received = 0
        watch = ResponseWatch(send)

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _TooLarge
            return message

        try:
            await self.app(scope, counted, watch)
        except _TooLarge:
            if not watch.started:
                await _too_large(send, limit)


async def _too_large(send: Send, limit: int) -> None:
    body = json.dumps(
        {"details": f"request body too large: the limit is {limit} bytes", "status": 413}
    ).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class AccessLog:
    """ASGI middleware: one structured line per request (method, path, status, milliseconds),
    written before the answer's last bytes go out (so it is in the log once the client has
    the answer), or when the request ends without one."""

    def __init__(self, app: App) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        logged = False

        def log() -> None:
            nonlocal logged
            if logged:
                return
            logged = True
            entry = {
                "method": scope["method"],
                "path": scope["path"],
                "status": watch.status,
                "ms": round((time.perf_counter() - start) * 1000, 2),
                "client": (scope.get("client") or ("?",))[0],
            }
            access_log.info(json.dumps(entry))

        watch = ResponseWatch(send, status=500, before_end=log)
        try:
            await self.app(scope, receive, watch)
        finally:
            log()


@dataclass
class Payload:
    """A request body: ``json`` (parsed), ``fields`` and ``files`` (multipart), or ``raw``."""

    content_type: str
    json: Any = None
    fields: dict[str, str] = field(default_factory=dict)
    files: dict[str, tuple[str | None, bytes]] = field(default_factory=dict)
    raw: bytes = b""

    @property
    def is_json(self) -> bool:
        return self.content_type == "application/json"

    @property
    def is_form(self) -> bool:
        return self.content_type == "multipart/form-data"

    def part(self, name: str) -> bytes | None:
        """A multipart part as bytes, whether sent as a file or as a plain field."""
        if name in self.files:
            return self.files[name][1]
        value = self.fields.get(name)
        return None if value is None else value.encode()


def media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


async def read_payload(request: Request, limit: int) -> Payload:
    """The request's body in whatever form it came (JSON, multipart or raw bytes)."""
    kind = media_type(request)
    if kind == "multipart/form-data":
        payload = Payload(kind)
        form = await request.form(max_files=16, max_fields=64, max_part_size=limit)
        try:
            for name, value in form.multi_items():
                if isinstance(value, UploadFile):
                    payload.files[name] = (value.filename, await value.read())
                else:
                    payload.fields[name] = value
        finally:
            await form.close()
        return payload
    raw = await request.body()
    if kind == "application/json" or (kind == "" and raw[:1] in (b"{", b"[")):
        return Payload("application/json", json=parse_json(raw))
    return Payload(kind, raw=raw)


def parse_json(raw: bytes, what: str = "request body") -> Any:
    """Parsed JSON; 400 saying what is wrong when it is not JSON (UTF-8, as RFC 8259 has it),
    is nested deeper than :data:`MAX_DEPTH` or holds text that is not valid Unicode."""
    try:
        text = raw.decode("utf-8-sig")  # a byte order mark is taken, nothing else
    except UnicodeDecodeError as exc:
        raise ApiError(400, f"the {what} is not UTF-8: {exc.reason} at byte {exc.start}") from None
    try:
        value = json.loads(text)
    except RecursionError:
        raise ApiError(400, f"the {what} is nested deeper than {MAX_DEPTH} levels") from None
    except json.JSONDecodeError as exc:
        raise ApiError(400, f"the {what} is not valid JSON: {exc}") from None
    problem = text_problem(text, value)
    if problem is not None:
        raise ApiError(400, f"the {what} {problem}")
    return value


async def json_object(request: Request, *, optional: bool = False) -> dict[str, Any]:
    """The body as a JSON object; 400 when it is something else."""
    raw = await request.body()
    if optional and not raw.strip():
        return {}
    value = parse_json(raw)
    if not isinstance(value, dict):
        raise ApiError(400, "the request body must be a JSON object")
    return value
