"""The ``url`` upload form's fetch, against a real HTTP server on 127.0.0.1.

The server refuses loopback addresses (see test_upload_forms.py), and this machine reaches no
public host, so these tests lift only the address rule (``_private``) and keep everything else
real: the pinned connection, redirects refused, the size limit, the chunked reading."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from reviewer_app.server import url_upload
from reviewer_app.server.errors import ApiError

BODY = b"%PDF-1.7\n" + bytes(range(256)) * 9000  # about 2.3 MB: several chunks


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        seen.append((self.path, self.headers.get("Host", "")))
        if self.path == "/moved.pdf":
            self.send_response(302)
            self.send_header("Location", "/a.pdf")
            self.end_headers()
            return
        if self.path != "/a.pdf?v=2":
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)

    def log_message(self, format: str, *args: object) -> None:
        pass


seen: list[tuple[str, str]] = []


@pytest.fixture
def origin(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setattr(url_upload, "_private", lambda address: False)
    seen.clear()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_a_document_is_fetched_whole_in_chunks(origin: str) -> None:
    chunks: list[bytes] = []
    url_upload.fetch(f"{origin}/a.pdf?v=2", chunks.append, limit=10 << 20)
    assert b"".join(chunks) == BODY
    assert len(chunks) >= 2  # read a megabyte at a time, never whole
    path, host = seen[-1]
    assert path == "/a.pdf?v=2" and host == origin.removeprefix("http://")


def test_a_redirect_is_not_followed(origin: str) -> None:
    with pytest.raises(ApiError) as caught:
        url_upload.fetch(f"{origin}/moved.pdf", lambda chunk: None, limit=10 << 20)
    assert caught.value.status == 400 and "302" in caught.value.reason
    assert [path for path, _ in seen] == ["/moved.pdf"]


def test_a_missing_document_is_a_400(origin: str) -> None:
    with pytest.raises(ApiError) as caught:
        url_upload.fetch(f"{origin}/none.pdf", lambda chunk: None, limit=10 << 20)
    assert caught.value.status == 400 and "404" in caught.value.reason


def test_a_document_over_the_limit_stops_at_the_limit(origin: str) -> None:
    taken: list[int] = []
    with pytest.raises(ApiError) as caught:
        url_upload.fetch(
            f"{origin}/a.pdf?v=2", lambda chunk: taken.append(len(chunk)), limit=1 << 20
        )
    assert caught.value.status == 413
    assert sum(taken) <= 1 << 20


def test_a_closed_port_is_a_400_saying_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(url_upload, "_private", lambda address: False)
    with pytest.raises(ApiError) as caught:
        url_upload.fetch("http://127.0.0.1:9/a.pdf", lambda chunk: None, limit=1 << 20)
    assert caught.value.status == 400 and "could not be fetched" in caught.value.reason
