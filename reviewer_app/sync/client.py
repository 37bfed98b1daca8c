"""The HTTP client of sync: one requests session, timeouts, auth, bounded retries, named errors."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import requests

from reviewer_app.instant import json_codec
from reviewer_app.sync.errors import AuthError, OfflineError, SyncError

CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 60.0
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class Retry:
    """How often and how patiently to retry a failed request (connection errors, 5xx, 429)."""

    attempts: int = 4
    backoff: float = 0.5
    max_delay: float = 8.0

    def delay(self, attempt: int, answer: requests.Response | None) -> float:
        wait = self.backoff * (2**attempt)
        header = None if answer is None else answer.headers.get("Retry-After")
        if header is not None and header.strip().isdigit():
            wait = max(wait, float(header))
        return float(min(wait, self.max_delay))


def auth_header(token: str) -> str:
    """``Bearer <jwt>`` for a client token, ``Token token="..."`` for the server's secret."""
    if token.count(".") == 2 and not token.startswith("Token "):
        return f"Bearer {token}"
    secret = token.removeprefix("Token ").removeprefix('token="').removesuffix('"')
    return f'Token token="{secret}"'


def layer_path(document_id: str, layer: str) -> str:
    """Where a layer's endpoints are (the default layer ``""`` is the unscoped document)."""
    document = f"/api/documents/{quote(document_id, safe='')}"
    return document if layer == "" else f"{document}/layers/{quote(layer, safe='')}"


class SyncClient:
    """Talks to one server with one token over one session (TLS verified).

    Every request has a connect and a read timeout; connection errors, 5xx and 429 are retried
    with exponential backoff (``Retry-After`` honoured), at most ``retry.attempts`` times.
    """

    def __init__(
        self,
        url: str,
        token: str,
        *,
        retry: Retry | None = None,
        timeout: tuple[float, float] = (CONNECT_TIMEOUT, READ_TIMEOUT),
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.url = url.rstrip("/")
        self.token = token
        self.retry = retry or Retry()
        self.timeout = timeout
        self._sleep = sleep
        self.session = requests.Session()
        self.session.verify = True
        self.session.headers["Authorization"] = auth_header(token)
        self.session.headers["User-Agent"] = "Reviewer-sync/1"
        self.bytes_sent = 0
        self.bytes_received = 0

    def close(self) -> None:
        self.session.close()

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """The answer to a request (2xx), after retries; a named error otherwise."""
        last: Exception | None = None
        answer: requests.Response | None = None
        for attempt in range(self.retry.attempts):
            if attempt:
                self._sleep(self.retry.delay(attempt - 1, answer))
            try:
                answer = self.session.request(
                    method, self.url + path, timeout=self.timeout, **kwargs
                )
            except (requests.ConnectionError, requests.Timeout) as exc:
                last, answer = exc, None
                continue
            self._count(answer)
            if answer.status_code in RETRY_STATUSES:
                last = None
                continue
            return self._checked(answer)
        if answer is not None:
            return self._checked(answer)
        raise OfflineError(f"cannot reach {self.url}: {type(last).__name__}: {last}") from last

    def _count(self, answer: requests.Response) -> None:
        body = answer.request.body
        self.bytes_sent += len(body) if isinstance(body, bytes | str) else 0
        self.bytes_received += len(answer.content)

    @staticmethod
    def _checked(answer: requests.Response) -> requests.Response:
        if answer.status_code < 400:
            return answer
        reason = _reason(answer)
        if answer.status_code in (401, 403):
            raise AuthError(reason, answer.status_code)
        raise SyncError(f"{answer.status_code}: {reason}", answer.status_code)

    def get_json(self, path: str, **kwargs: Any) -> Any:
        return _json(self.request("GET", path, **kwargs))

    def send_json(self, method: str, path: str, body: Any) -> Any:
        """Send ``body`` as JSON (written by orjson: a push of hundreds of records is the sync
        lane's longest stretch holding the GIL, which the UI thread waits for); its answer."""
        try:
            data = json_codec.wire(body)
        except ValueError as exc:  # NaN or an infinity: JSON has no such numbers
            raise SyncError(f"what was to be sent is not valid JSON: {exc}") from exc
        headers = {"Content-Type": "application/json"}
        answer = self.request(method, path, data=data, headers=headers)
        return _json(answer) if answer.content else None

    def ndjson(self, path: str) -> Iterator[dict[str, Any]]:
        """Every line of an ``application/x-ndjson`` listing."""
        answer = self.request("GET", path, headers={"Accept": "application/x-ndjson"})
        for line in answer.content.splitlines():
            if line.strip():
                yield json_codec.loads(line)

    def download(self, path: str) -> bytes:
        return self.request("GET", path).content


def _reason(answer: requests.Response) -> str:
    try:
        data = answer.json()
    except ValueError:
        return answer.text.strip()[:300] or answer.reason
    if isinstance(data, dict):
        return str(data.get("details") or data.get("detail") or data)[:300]
    return str(data)[:300]


def _json(answer: requests.Response) -> Any:
    """The answer's JSON (read by orjson where it reads as json does; see json_codec)."""
    try:
        return json_codec.loads(answer.content)
    except ValueError as exc:
        raise SyncError(f"the server's answer is not JSON: {answer.text[:80]!r}") from exc
