"""Upload forms beyond the PDF itself: a document id chosen by the caller, and Document
Engine's ``url`` form, which fetches from public addresses only (these tests fetch nothing:
every URL here is refused before any connection)."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from reviewer_app.engine import Conflict, LayerEngine
from reviewer_app.importing import import_pdf_bytes
from tests.server.conftest import Server, make_pdf
from tests.server.test_uploads import leftovers


@pytest.fixture
def data_dir(server: Server) -> Path:
    assert server.data_dir is not None
    return server.data_dir


def upload_as(server: Server, pdf: bytes, document_id: str) -> requests.Response:
    return server.request(
        "POST",
        "/api/documents",
        files={"file": ("a.pdf", pdf, "application/pdf"), "document_id": (None, document_id)},
    )


def test_a_chosen_document_id_names_the_document(server: Server) -> None:
    pdf = make_pdf()
    made = upload_as(server, pdf, "course-7_essay")
    assert made.status_code == 200, made.text
    assert made.json()["data"]["document_id"] == "course-7_essay"
    base = "/api/documents/course-7_essay"
    assert server.request("GET", f"{base}/document_info").json()["data"]["pageCount"] == 2
    note = {"content": {"v": 2, "type": "pspdfkit/note", "pageIndex": 0, "bbox": [1, 1, 9, 9],
                        "text": {"format": "plain", "value": "hi"}, "icon": "comment"}}  # fmt: skip
    assert server.request("POST", f"{base}/annotations", json=note).status_code == 200
    again = upload_as(server, pdf, "course-7_essay")
    assert again.status_code == 200


def test_a_taken_or_doubled_id_is_a_409(server: Server, data_dir: Path) -> None:
    first, second = make_pdf(), make_pdf()
    assert upload_as(server, first, "taken").status_code == 200
    taken = upload_as(server, second, "taken")
    assert taken.status_code == 409
    assert "already taken" in taken.json()["details"]
    doubled = upload_as(server, first, "another-name")
    assert doubled.status_code == 409
    assert "already stored as document 'taken'" in doubled.json()["details"]
    assert server.request("GET", "/api/documents/another-name/document_info").status_code == 404
    assert leftovers(data_dir) == []


@pytest.mark.parametrize("bad", ["../up", "a b", "x" * 129, "naïve", "a/b"])
def test_an_invalid_document_id_is_a_400(server: Server, data_dir: Path, bad: str) -> None:
    answer = upload_as(server, make_pdf(), bad)
    assert answer.status_code == 400
    assert "invalid document_id" in answer.json()["details"]
    assert leftovers(data_dir) == []


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1:9/a.pdf", "private or local"),
        ("http://localhost/a.pdf", "private or local"),
        ("http://[::1]/a.pdf", "private or local"),
        ("http://[::ffff:127.0.0.1]/a.pdf", "private or local"),
        ("http://10.1.2.3/a.pdf", "private or local"),
        ("http://192.168.0.1/a.pdf", "private or local"),
        ("http://169.254.169.254/latest/meta-data/", "private or local"),
        ("http://0.0.0.0/a.pdf", "private or local"),
        ("file:///etc/passwd", "http:// or https://"),
        ("ftp://example.com/a.pdf", "http:// or https://"),
        ("http://user:pw@example.com/a.pdf", "user name or password"),
        ("http:///a.pdf", "names no host"),
    ],
)
def test_url_uploads_from_private_addresses_are_refused(
    server: Server, data_dir: Path, url: str, reason: str
) -> None:
    for sent in (
        {"json": {"url": url, "document_id": "fetched"}},
        {"files": {"url": (None, url)}},
    ):
        answer = server.request("POST", "/api/documents", **sent)
        assert answer.status_code == 400, answer.text
        assert reason in answer.json()["details"]
    assert server.request("GET", "/api/documents/fetched/document_info").status_code == 404
    assert leftovers(data_dir) == []


def test_the_json_form_needs_a_url(server: Server) -> None:
    answer = server.request("POST", "/api/documents", json={"document_id": "x"})
    assert answer.status_code == 400 and "'url'" in answer.json()["details"]


def test_a_replica_stores_the_servers_chosen_id(tmp_path: Path) -> None:
    """The sync client imports a downloaded PDF under the server's id, whatever it is."""
    pdf = make_pdf()
    with LayerEngine(tmp_path / "replica") as engine:
        stored = import_pdf_bytes(engine, pdf, document_id="course-7_essay").document
        assert stored.id == "course-7_essay"
        again = import_pdf_bytes(engine, pdf, document_id="course-7_essay")
        assert again.document.id == "course-7_essay" and not again.new
        with pytest.raises(Conflict, match="already stored as document 'course-7_essay'"):
            import_pdf_bytes(engine, pdf, document_id="else")
