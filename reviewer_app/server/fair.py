"""Fair sharing of the server between its callers: heavy requests (layer PDFs, uploads,
``document_info``) take a slot of their own — a few per client token, a few running at once
in all, a bounded queue behind them — and answer 429 with ``Retry-After`` past that; a heavy
request whose client goes away stops. Light routes (health, listings, sync) never wait here
and keep the rest of the thread pool, so a flood of exports cannot starve them."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import math
import re
import threading
import time
from collections import Counter, deque
from typing import Any

from reviewer_app.pdf.stopping import stop_signal
from reviewer_app.server.auth import Authenticator
from reviewer_app.server.bodies import App, Message, Receive, ResponseWatch, Scope, Send
from reviewer_app.server.errors import AccessDenied, error_body

log = logging.getLogger("reviewer_app.server.fair")

_DOC = r"/api/documents/[^/]+"
_LAYER = r"(/layers/[^/]+)?"
_PDF_PARTS = r"form-fields|form-field-widgets|ocg-layers|embedded-files|pages/text"
_CONTENT = rf"/({_PDF_PARTS}|pages/[^/]+/(text|highlighted|image))(/[^/]+)?/?"
UPLOAD, PDF_WORK = "upload", "pdf"
HEAVY_ROUTES: tuple[tuple[str, frozenset[str], re.Pattern[str]], ...] = (
    (UPLOAD, frozenset({"POST"}), re.compile(r"/api/documents/?")),  # a PDF
    (UPLOAD, frozenset({"POST"}), re.compile(_DOC + r"(/layers/[^/]+)?/attachments/?")),
    (PDF_WORK, frozenset({"GET", "POST"}), re.compile(_DOC + _LAYER + r"/pdf/?")),
    (
        PDF_WORK,
        frozenset({"POST"}),
        re.compile(_DOC + _LAYER + r"/((pdf|copy)_with_instant_json|apply_instructions)/?"),
    ),
    (
        PDF_WORK,
        frozenset({"GET"}),
        re.compile(_DOC + _LAYER + r"/(document_info|outline\.json|document\.xfdf)/?"),
    ),  # opens it
    (PDF_WORK, frozenset({"GET"}), re.compile(_DOC + _LAYER + _CONTENT)),  # reads the PDF
    (PDF_WORK, frozenset({"GET"}), re.compile(_DOC + r"/search/?")),  # reads every page
)
"""Heavy requests by kind: uploads (long on a slow link) have slots apart from the PDF work
(layer exports), so a slow upload never holds back exports, nor exports uploads."""
BUSY_DELAY = 1.0
"""Seconds a 429 is held before it is sent: a client asking again at once (a flood does not
honour Retry-After) then costs the server one cheap request a second per connection, not
hundreds that crowd out everyone's light requests."""
CLIENT_WENT_AWAY = 499
"""The status logged for a request whose client left before its answer (nginx's)."""


def heavy_kind(method: str, path: str) -> str | None:
    """Which gate a request that costs the server a PDF's worth of work goes through (None:
    a light request)."""
    for kind, methods, pattern in HEAVY_ROUTES:
        if method in methods and pattern.fullmatch(path):
            return kind
    return None


class Busy(Exception):
    """No slot for this heavy request now: answered 429 with ``Retry-After``."""

    def __init__(self, reason: str, retry_after: int) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


class HeavyGate:
    """The slots of heavy requests: at most ``per_token`` running or waiting for one client
    token (the server's own token is bounded by the global limits only: it acts for everyone),
    at most ``running`` at once in all, and at most ``queue`` waiting for a slot, first come
    first served. One event loop uses it (the server's)."""

    def __init__(self, per_token: int, running: int, queue: int) -> None:
        self.per_token, self.running_limit, self.queue_limit = per_token, running, queue
        self.running = 0
        self.by_token: Counter[str] = Counter()
        self.waiting: deque[asyncio.Future[None]] = deque()
        self.mean_seconds = 1.0
        """How long a heavy request takes, smoothed (for ``Retry-After``)."""

    def retry_after(self) -> int:
        """Seconds until a slot is likely free: the queue ahead, at the usual pace."""
        ahead = self.running + len(self.waiting)
        return max(1, min(60, math.ceil(self.mean_seconds * ahead / self.running_limit)))

    async def enter(self, key: str | None) -> None:
        """Take a slot for ``key`` (a client token; None: the server's), waiting in the queue
        if all are taken; Busy when the token or the queue is at its limit. Pair with
        :meth:`leave`, also when cancelled while waiting (it cleans up itself then)."""
        if key is not None and self.by_token[key] >= self.per_token:
            raise Busy(
                f"this token already has {self.per_token} heavy requests (layer PDFs, uploads) "
                "running or waiting, its limit: wait for one to finish",
                self.retry_after(),
            )
        full = self.running >= self.running_limit
        if full and len(self.waiting) >= self.queue_limit:
            raise Busy(
                "the server is busy with heavy requests (layer PDFs, uploads): try again later",
                self.retry_after(),
            )
        if key is not None:
            self.by_token[key] += 1
        if not full:
            self.running += 1
            return
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.waiting.append(turn)
        try:
            await turn  # the slot of a request that ended is handed over: running unchanged
        except asyncio.CancelledError:
            if turn.done() and not turn.cancelled():
                self._hand_over()  # the slot came just as we gave up: pass it on
            else:
                self.waiting.remove(turn)
            self._forget(key)
            raise

    def leave(self, key: str | None, seconds: float) -> None:
        """Give the slot back (hand it to the first in the queue) after ``seconds`` of work."""
        self.mean_seconds = 0.8 * self.mean_seconds + 0.2 * seconds
        self._forget(key)
        self._hand_over()

    def _hand_over(self) -> None:
        while self.waiting:
            turn = self.waiting.popleft()
            if not turn.done():
                turn.set_result(None)
                return
        self.running -= 1

    def _forget(self, key: str | None) -> None:
        if key is not None:
            self.by_token[key] -= 1
            if self.by_token[key] <= 0:
                del self.by_token[key]


class FairShare:
    """ASGI middleware: heavy requests through a :class:`HeavyGate`, each watched for its
    client going away (then its work stops at its next stop point: see
    :mod:`reviewer_app.pdf.stopping`). Requests without valid credentials pass straight on
    (the route refuses them at once): forged tokens take no slot."""

    def __init__(
        self,
        app: App,
        gates: dict[str, HeavyGate],
        auth: Authenticator,
        busy_delay: float = BUSY_DELAY,
    ) -> None:
        self.app = app
        self.gates = gates
        self.auth = auth
        self.busy_delay = busy_delay

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = heavy_kind(scope["method"], scope["path"]) if scope["type"] == "http" else None
        if kind is None:
            await self.app(scope, receive, send)
            return
        gate = self.gates[kind]
        try:
            key = self._key(scope, gate)
        except AccessDenied:
            await self.app(scope, receive, send)
            return
        client = _Client(receive)
        pump = asyncio.create_task(client.pump())
        try:
            await self._admitted(scope, send, gate, key, client)
        finally:
            pump.cancel()

    def _key(self, scope: Scope, gate: HeavyGate) -> str | None:
        """The caller's token as a key of the gate (None: the server's own token); a token
        already at its limit is known without checking its signature again (only tokens
        that were checked are counted), which keeps a flood of 429s cheap."""
        raw = dict(scope["headers"]).get(b"authorization", b"")
        key = hashlib.sha256(raw).hexdigest()[:16]
        if gate.by_token[key] >= gate.per_token:
            return key
        if self.auth.authenticate(raw.decode("latin-1") or None).server:
            return None
        return key

    async def _admitted(
        self, scope: Scope, send: Send, gate: HeavyGate, key: str | None, client: _Client
    ) -> None:
        queued = time.perf_counter()
        entering = asyncio.ensure_future(gate.enter(key))
        leaving = asyncio.ensure_future(client.left.wait())
        try:
            await asyncio.wait({entering, leaving}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            leaving.cancel()
        if not entering.done():  # the client left while waiting for a slot
            entering.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await entering
            _log("client went away while queued", scope, queued)
            return
        busy = entering.exception()
        if isinstance(busy, Busy):
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(client.left.wait(), self.busy_delay)
            await _too_many(send, busy)
            return
        entering.result()
        started = time.perf_counter()
        _log("heavy request started", scope, queued, running=gate.running)
        watch = ResponseWatch(send)
        try:
            with stop_signal(client.gone):
                await self.app(scope, client.receive, watch)
        finally:
            gate.leave(key, time.perf_counter() - started)
            if client.gone.is_set():
                stopped = watch.status == CLIENT_WENT_AWAY
                _log("client went away", scope, started, work_stopped=stopped)


class _Client:
    """The request's messages, read ahead one at a time so that the client's leaving is seen
    while the work runs (the route reads them from :meth:`receive`)."""

    def __init__(self, receive: Receive) -> None:
        self._receive = receive
        self._inbox: asyncio.Queue[Message] = asyncio.Queue(maxsize=1)  # no buffering
        self.gone = threading.Event()  # seen by the work, in its thread
        self.left = asyncio.Event()

    async def pump(self) -> None:
        while True:
            message = await self._receive()
            if message["type"] == "http.disconnect":
                self.gone.set()
                self.left.set()
                return
            await self._inbox.put(message)

    async def receive(self) -> Message:
        if self.left.is_set() and self._inbox.empty():
            return {"type": "http.disconnect"}
        getting = asyncio.ensure_future(self._inbox.get())
        leaving = asyncio.ensure_future(self.left.wait())
        try:
            await asyncio.wait({getting, leaving}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            leaving.cancel()
        if getting.done():
            return getting.result()
        getting.cancel()
        return {"type": "http.disconnect"}


async def _too_many(send: Send, busy: Busy) -> None:
    body = json.dumps(error_body(429, busy.reason)).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", b"%d" % len(body)),
        (b"retry-after", b"%d" % busy.retry_after),
    ]
    await send({"type": "http.response.start", "status": 429, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _log(event: str, scope: Scope, since: float, **extra: Any) -> None:
    entry = {"event": event, "method": scope["method"], "path": scope["path"]}
    entry["ms"] = round((time.perf_counter() - since) * 1000, 1)
    log.info(json.dumps({**entry, **extra}))
