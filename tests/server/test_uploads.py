"""Uploads are streamed to disk, never held whole in memory, and leave no file behind: a
raw, a chunked and a multipart upload; one over the limit; a half-written file left by a kill
is removed when the server starts (unless a process is still writing it)."""

from __future__ import annotations

import fcntl
import hashlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from reviewer_app.server.process import start_server, stop_server
from reviewer_app.server.uploads import UPLOADS_FOLDER
from tests.server.conftest import SECRET, UPLOAD_LIMIT, Server, make_pdf

AUTH = {"Authorization": f'Token token="{SECRET}"'}
BOUNDARY = "reviewer-test-boundary"


def padded_pdf(megabytes: int) -> bytes:
    """A one-page PDF of about ``megabytes`` MB: an unused stream of that many bytes."""
    pad = os.urandom(megabytes * 1_000_000)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        b"<< /Length %d >>\nstream\n" % len(pad) + pad + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def chunks(data: bytes, size: int = 64 * 1024) -> Iterator[bytes]:
    """``data`` piece by piece: requests sends a generator chunked (no Content-Length)."""
    for start in range(0, len(data), size):
        yield data[start : start + size]


def multipart(data: bytes, title: str) -> Iterator[bytes]:
    """A multipart body (part ``title``, then part ``file``) as a chunked stream."""
    yield (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="title"\r\n\r\n{title}\r\n'
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="w.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    yield from chunks(data)
    yield f"\r\n--{BOUNDARY}--\r\n".encode()


def leftovers(data_dir: Path) -> list[Path]:
    return sorted(data_dir.rglob("*.part"))


@pytest.fixture
def server_data_dir(server: Server) -> Path:
    assert server.data_dir is not None
    return server.data_dir


def test_raw_chunked_and_multipart_uploads_are_stored_whole(
    server: Server, server_data_dir: Path
) -> None:
    pdfs = [make_pdf(f"upload-{kind}-{uuid.uuid4().hex}") for kind in range(3)]
    answers = [
        server.request("POST", "/api/documents", data=pdfs[0], headers=PDF),
        server.request("POST", "/api/documents", data=chunks(pdfs[1]), headers=PDF),
        server.request(
            "POST",
            "/api/documents",
            data=multipart(pdfs[2], "A streamed worksheet"),
            headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
        ),
    ]
    for pdf, answer in zip(pdfs, answers, strict=True):
        assert answer.status_code == 200, answer.text
        created = answer.json()["data"]
        assert created["sourcePdfSha256"] == hashlib.sha256(pdf).hexdigest()
        stored = server.request(
            "GET", f"/api/documents/{created['document_id']}/pdf", params={"source": "true"}
        )
        assert stored.content == pdf
    assert answers[2].json()["data"]["title"] == "A streamed worksheet"
    assert leftovers(server_data_dir) == []


PDF = {"Content-Type": "application/pdf"}


def test_a_chunked_upload_over_the_limit_is_413_and_leaves_nothing(
    server: Server, server_data_dir: Path
) -> None:
    big = padded_pdf(UPLOAD_LIMIT // 1_000_000 + 1)
    answer = server.request("POST", "/api/documents", data=chunks(big), headers=PDF)
    assert answer.status_code == 413, answer.text
    assert "limit" in answer.json()["details"]
    assert leftovers(server_data_dir) == []
    assert hashlib.sha256(big).hexdigest() not in answer.text


@pytest.mark.parametrize("form", ["raw", "multipart"])
def test_a_broken_upload_is_refused_and_leaves_nothing(
    server: Server, server_data_dir: Path, form: str
) -> None:
    broken = b"%PDF-1.7\n" + os.urandom(4000)
    if form == "raw":
        answer = server.request("POST", "/api/documents", data=chunks(broken), headers=PDF)
    else:
        content_type = {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}
        answer = server.request(
            "POST", "/api/documents", data=multipart(broken, "t"), headers=content_type
        )
    assert answer.status_code == 422, answer.text
    assert leftovers(server_data_dir) == []
    sha = hashlib.sha256(broken).hexdigest()
    assert not (server_data_dir / "assets" / sha[:2] / f"{sha}.pdf").exists()


def test_half_written_files_are_removed_when_the_server_starts(tmp_path: Path) -> None:
    data = tmp_path / "data"
    killed = data / UPLOADS_FOLDER / "tmpkilled.part"
    killed.parent.mkdir(parents=True)
    killed.write_bytes(b"%PDF-1.7 half an upload")
    asset = data / "assets" / "ab" / "tmpasset.part"
    asset.parent.mkdir(parents=True)
    asset.write_bytes(b"half a PDF")
    being_written = data / UPLOADS_FOLDER / "tmpwriting.part"
    with being_written.open("wb") as writing:
        fcntl.flock(writing.fileno(), fcntl.LOCK_EX)  # as another process writing it now
        proc, url = start_server(data, env={"API_AUTH_TOKEN": SECRET})
        try:
            assert requests.get(f"{url}/healthz", timeout=30).status_code == 200
            assert not killed.exists()
            assert not asset.exists()
            assert being_written.exists()
        finally:
            stop_server(proc)


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM in /proc")


def test_a_large_upload_is_not_held_in_memory(tmp_path: Path) -> None:
    """A 60 MB chunked upload and a 60 MB multipart one raise the server's peak memory by
    far less than their size (each was held whole, some of it twice, before)."""
    env = {"API_AUTH_TOKEN": SECRET, "MAX_UPLOAD_SIZE": "100MB"}
    proc, url = start_server(tmp_path / "data", env=env)
    try:
        before = peak_rss_mb(proc.pid)
        for kind, pdf in (("raw", padded_pdf(60)), ("multipart", padded_pdf(60))):
            body = chunks(pdf) if kind == "raw" else multipart(pdf, "big")
            content_type = "application/pdf"
            if kind == "multipart":
                content_type = f"multipart/form-data; boundary={BOUNDARY}"
            answer = requests.post(
                f"{url}/api/documents",
                data=body,
                headers={**AUTH, "Content-Type": content_type},
                timeout=120,
            )
            assert answer.status_code == 200, answer.text
            grown = peak_rss_mb(proc.pid) - before
            assert grown < 25, f"{kind}: the server's peak memory grew by {grown:.0f} MB"
    finally:
        stop_server(proc)
