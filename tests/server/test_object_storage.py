"""PDFs and pictures in an S3-compatible object store (``serve --storage s3://bucket/prefix``).

The S3 server here is moto's server mode, started by the test as a real process on
127.0.0.1: a stand-in for Amazon S3 (or MinIO, Ceph...), the S3-compatible server that installs
from PyPI on this machine. The Reviewer server talks to it over HTTP through boto3 exactly as
it would to a real store."""

from __future__ import annotations

import hashlib
import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import requests

from reviewer_app.engine.documents import document_id_for
from reviewer_app.engine.layer_engine import DATABASE_NAME
from tests.conftest import image_record
from tests.server.conftest import SECRET, make_pdf, server_cli, start_server, stop_server

boto3 = pytest.importorskip("boto3")  # the s3 extra; `make test` installs it (dev extra)

BUCKET = "reviewer"
PNG = b"\x89PNG\r\n\x1a\n" + b"a picture kept in the object store"
AUTH = {"Authorization": f'Token token="{SECRET}"'}
STARTUP_SECONDS = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def s3_environment(endpoint: str) -> dict[str, str]:
    return {
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "stand-in",
        "AWS_SECRET_ACCESS_KEY": "stand-in",
        "AWS_DEFAULT_REGION": "us-east-1",
    }


@pytest.fixture(scope="module")
def s3() -> Iterator[Any]:
    """moto's S3 server on 127.0.0.1 with the bucket made; a boto3 client for it."""
    port = free_port()
    script = Path(sys.executable).with_name("moto_server")
    proc = subprocess.Popen(
        [str(script), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:  # until it answers (a startup limit, not a measured time)
            try:
                requests.get(endpoint, timeout=5)
                break
            except requests.ConnectionError:
                assert proc.poll() is None, "moto_server exited"
                assert time.monotonic() < deadline, "moto_server did not start"
                time.sleep(0.1)
        env = s3_environment(endpoint)
        client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
            region_name=env["AWS_DEFAULT_REGION"],
        )
        client.create_bucket(Bucket=BUCKET)
        client.env = env
        yield client
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture(scope="module")
def served(s3: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    data = tmp_path_factory.mktemp("s3-server") / "data"
    env = {"API_AUTH_TOKEN": SECRET, **s3.env}
    proc, url = start_server(data, "--storage", f"s3://{BUCKET}/district", env=env)
    try:
        yield url, data
    finally:
        stop_server(proc)


def test_pdfs_and_pictures_live_in_the_object_store(s3: Any, served: tuple[str, Path]) -> None:
    url, data_dir = served
    pdf = make_pdf()
    sha = hashlib.sha256(pdf).hexdigest()
    headers = {**AUTH, "Content-Type": "application/pdf"}
    made = requests.post(f"{url}/api/documents", data=pdf, headers=headers, timeout=60)
    assert made.status_code == 200, made.text
    doc = made.json()["data"]["document_id"]
    stored = s3.get_object(Bucket=BUCKET, Key=f"district/assets/{sha[:2]}/{sha}.pdf")
    assert stored["Body"].read() == pdf
    assert not (data_dir / "assets").exists()  # nothing of it kept in the data folder
    # the PDF reader works on a local copy fetched from the store
    info = requests.get(f"{url}/api/documents/{doc}/document_info", headers=AUTH, timeout=60)
    assert info.status_code == 200 and info.json()["data"]["pageCount"] == 2
    original = requests.get(f"{url}/api/documents/{doc}/pdf", headers=AUTH, timeout=60)
    assert original.status_code == 200 and original.content[:5] == b"%PDF-"
    # a picture, through a multipart annotation write
    picture = hashlib.sha256(PNG).hexdigest()
    layer = f"{url}/api/documents/{doc}/layers/pics"
    body = json.dumps({"id": "img", "content": image_record(picture)})
    files = {picture: ("cat.png", PNG, "image/png"), "annotation": (None, body)}
    written = requests.post(f"{layer}/annotations", files=files, headers=AUTH, timeout=60)
    assert written.status_code == 200, written.text
    key = f"district/attachments/{picture[:2]}/{picture}"
    assert s3.get_object(Bucket=BUCKET, Key=key)["Body"].read() == PNG
    got = requests.get(f"{layer}/attachments/{picture}", headers=AUTH, timeout=60)
    assert got.status_code == 200 and got.content == PNG
    # deleting the document removes its PDF from the store
    gone = requests.delete(f"{url}/api/documents/{doc}", headers=AUTH, timeout=60)
    assert gone.status_code == 200
    listed = s3.list_objects_v2(Bucket=BUCKET, Prefix="district/assets/")
    assert listed.get("KeyCount", 0) == 0


def test_an_unreachable_store_is_a_503_with_a_reason_and_no_partial_document(
    tmp_path: Path,
) -> None:
    nobody = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    env = {"API_AUTH_TOKEN": SECRET, **s3_environment(nobody)}
    proc, url = start_server(tmp_path / "data", "--storage", f"s3://{BUCKET}/x", env=env)
    try:
        pdf = make_pdf()
        headers = {**AUTH, "Content-Type": "application/pdf"}
        made = requests.post(f"{url}/api/documents", data=pdf, headers=headers, timeout=120)
        assert made.status_code == 503, made.text
        reason = made.json()["details"]
        assert f"object store s3://{BUCKET}/x is unavailable" in reason
        doc = document_id_for(hashlib.sha256(pdf).hexdigest())
        asked = requests.get(f"{url}/api/documents/{doc}/layers", headers=AUTH, timeout=60)
        assert asked.status_code == 404  # no document was recorded
        ready = requests.get(f"{url}/readyz", timeout=120)
        assert ready.status_code == 503 and ready.json()["database"] == "ok"
        assert f"object store s3://{BUCKET}/x is unavailable" in ready.json()["storage"]
    finally:
        stop_server(proc)
    with sqlite3.connect(tmp_path / "data" / DATABASE_NAME) as conn:
        assert conn.execute("SELECT count(*) FROM documents").fetchone() == (0,)
    assert list((tmp_path / "data").rglob("*.pdf")) == []
    assert list((tmp_path / "data").rglob("*.part")) == []


def serve_once(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``reviewer-server serve`` with ``args`` over a data folder in ``tmp_path``, run until
    it stops by itself (a refused setting stops it at start)."""
    return server_cli("serve", "--insecure-no-auth", "--data-dir", str(tmp_path), *args)


def test_a_bad_storage_address_is_refused_at_start(tmp_path: Path) -> None:
    run = serve_once(tmp_path, "--storage", "ftp://somewhere/else")
    assert run.returncode == 2 and "s3://bucket/prefix" in run.stderr


def test_a_shared_folder_holds_the_pdfs_written_whole(tmp_path: Path) -> None:
    """``--storage FOLDER`` (a mounted network share for several servers): the PDF is
    written there as a temporary file renamed into place, never into the data folder."""
    share = tmp_path / "share"
    env = {"API_AUTH_TOKEN": SECRET}
    proc, url = start_server(tmp_path / "data", "--storage", str(share), env=env)
    try:
        pdf = make_pdf()
        sha = hashlib.sha256(pdf).hexdigest()
        headers = {**AUTH, "Content-Type": "application/pdf"}
        made = requests.post(f"{url}/api/documents", data=pdf, headers=headers, timeout=60)
        assert made.status_code == 200, made.text
        doc = made.json()["data"]["document_id"]
        assert (share / "assets" / sha[:2] / f"{sha}.pdf").read_bytes() == pdf
        assert list(share.rglob("*.part")) == [] and not (tmp_path / "data" / "assets").exists()
        info = requests.get(f"{url}/api/documents/{doc}/document_info", headers=AUTH, timeout=60)
        assert info.status_code == 200 and info.json()["data"]["pageCount"] == 2
    finally:
        stop_server(proc)


def copy_of(data_dir: Path, pdf: bytes) -> Path:
    """Where the server keeps its local copy of ``pdf`` fetched from the store."""
    sha = hashlib.sha256(pdf).hexdigest()
    return data_dir / "storage-cache" / "assets" / sha[:2] / f"{sha}.pdf"


def aged(path: Path, hours: float) -> None:
    """Make a copy look last used ``hours`` ago (instead of waiting that long)."""
    when = time.time() - hours * 3600
    os.utime(path, (when, when))


def upload(url: str, pdf: bytes) -> str:
    headers = {**AUTH, "Content-Type": "application/pdf"}
    made = requests.post(f"{url}/api/documents", data=pdf, headers=headers, timeout=60)
    assert made.status_code == 200, made.text
    document_id: str = made.json()["data"]["document_id"]
    return document_id


def read(url: str, doc: str) -> None:
    """A request that opens the PDF (through the local copy)."""
    info = requests.get(f"{url}/api/documents/{doc}/document_info", headers=AUTH, timeout=60)
    assert info.status_code == 200 and info.json()["data"]["pageCount"] == 2, info.text


def test_the_local_copies_are_kept_under_their_size_least_recently_used_out_first(
    s3: Any, tmp_path: Path
) -> None:
    pdfs = [make_pdf(f"cached {index}") for index in range(4)]
    sizes = sorted(len(p) for p in pdfs)
    limit = sizes[-1] + sizes[-2] + sizes[0] // 2  # room for two copies, not three
    env = {"API_AUTH_TOKEN": SECRET, **s3.env, "REVIEWER_STORAGE_CACHE_SIZE": str(limit)}
    data = tmp_path / "data"
    proc, url = start_server(data, "--storage", f"s3://{BUCKET}/lru", env=env)
    try:
        docs = [upload(url, pdf) for pdf in pdfs]
        copies = [copy_of(data, pdf) for pdf in pdfs]
        read(url, docs[0])
        read(url, docs[1])
        aged(copies[0], 2)
        aged(copies[1], 1)
        read(url, docs[2])  # a third copy: the least recently used goes
        assert [c.is_file() for c in copies[:3]] == [False, True, True]
        read(url, docs[0])  # fetched again; now the copy of 1 is the oldest
        assert [c.is_file() for c in copies[:3]] == [True, False, True]
        read(url, docs[1])  # all three were used just now: in use, none goes
        assert [c.is_file() for c in copies[:3]] == [True, True, True]
        aged(copies[0], 3)
        aged(copies[1], 2)
        aged(copies[2], 1)
        read(url, docs[0])  # a use, not a download: the copy of 0 is the newest now
        read(url, docs[3])
        assert [c.is_file() for c in copies] == [True, False, False, True]
        assert list((data / "storage-cache").rglob("*.part")) == []
    finally:
        stop_server(proc)


def test_workers_sharing_the_copies_make_room_without_failing_a_read(
    s3: Any, tmp_path: Path
) -> None:
    """Two worker processes fetch, use and remove copies in one folder at the same time: every
    read succeeds (a copy removed under a reader is fetched again) and none is left half
    written."""
    pdfs = [make_pdf(f"shared {index}") for index in range(6)]
    limit = 2 * max(len(p) for p in pdfs)
    env = {"API_AUTH_TOKEN": SECRET, **s3.env, "REVIEWER_STORAGE_CACHE_SIZE": str(limit)}
    data = tmp_path / "data"
    proc, url = start_server(data, "--storage", f"s3://{BUCKET}/shared", "--workers", "2", env=env)
    try:
        docs = [upload(url, pdf) for pdf in pdfs]
        for _ in range(3):
            for copy in (data / "storage-cache").rglob("*.pdf"):
                aged(copy, 1)  # none in use: each new copy makes room by removing others
            with ThreadPoolExecutor(8) as pool:
                list(pool.map(lambda doc: read(url, doc), docs * 2))
        kept = list((data / "storage-cache").rglob("*.pdf"))
        assert 1 <= len(kept) <= len(pdfs)
        assert list((data / "storage-cache").rglob("*.part")) == []
    finally:
        stop_server(proc)


def test_the_size_of_the_local_copies_must_be_a_size(tmp_path: Path) -> None:
    run = serve_once(tmp_path, "--storage-cache-size", "lots")
    assert run.returncode == 2 and "not a size: 'lots'" in run.stderr, run.stderr
