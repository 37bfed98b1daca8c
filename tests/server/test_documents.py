"""Documents over HTTP: upload (multipart, raw), same bytes same id, refusals, info, download."""

from __future__ import annotations

import base64
import hashlib

import pytest

from reviewer_app.engine.documents import document_id_for
from tests.conftest import corpus_file
from tests.server.conftest import UPLOAD_LIMIT, Server, make_pdf


def test_multipart_and_raw_uploads_of_the_same_bytes_give_one_document(server: Server) -> None:
    data = make_pdf("same-twice")
    first = server.request("POST", "/api/documents", files={"file": ("w.pdf", data)})
    assert first.status_code == 200, first.text
    body = first.json()["data"]
    assert body["errors"] == [] and body["password_protected"] is False
    assert body["sourcePdfSha256"] == hashlib.sha256(data).hexdigest()
    assert body["title"] == "w.pdf"
    assert server.upload(data) == body["document_id"]


def test_document_info_and_original_pdf(server: Server, doc: str) -> None:
    info = server.request("GET", f"/api/documents/{doc}/document_info")
    assert info.status_code == 200
    data = info.json()["data"]
    assert data["pageCount"] == 2
    assert data["pages"][0] == {
        "pageIndex": 0,
        "width": 595.0,
        "height": 842.0,
        "rotation": 0,
        "pageLabel": "1",
    }
    pdf = server.request("GET", f"/api/documents/{doc}/pdf", params={"source": "true"})
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert hashlib.sha256(pdf.content).hexdigest() == data["sourcePdfSha256"]


@pytest.mark.parametrize("name", ["random-bytes.pdf", "truncated.pdf"])
def test_broken_pdf_is_refused_with_a_reason_and_nothing_stored(server: Server, name: str) -> None:
    data = corpus_file(name).read_bytes()
    answer = server.request("POST", "/api/documents", files={"file": (name, data)})
    assert answer.status_code == 422
    assert answer.json()["details"].startswith(("not a PDF", "damaged PDF"))
    would_be = document_id_for(hashlib.sha256(data).hexdigest())
    assert server.request("GET", f"/api/documents/{would_be}/document_info").status_code == 404


def test_password_protected_pdf_needs_the_password_header(server: Server) -> None:
    data = corpus_file("crazyones-encrypted-256.pdf").read_bytes()
    refused = server.request("POST", "/api/documents", files={"file": ("c.pdf", data)})
    assert refused.status_code == 400 and "password" in refused.json()["details"]
    wrong = {"pspdfkit-pdf-password": "nope"}
    assert (
        server.request(
            "POST", "/api/documents", files={"file": ("c.pdf", data)}, headers=wrong
        ).status_code
        == 403
    )
    encoded = {"pspdfkit-pdf-password": "base64:" + base64.b64encode(b"password").decode()}
    ok = server.request("POST", "/api/documents", files={"file": ("c.pdf", data)}, headers=encoded)
    assert ok.status_code == 200 and ok.json()["data"]["password_protected"] is True
    doc = ok.json()["data"]["document_id"]
    path = f"/api/documents/{doc}/document_info"
    assert server.request("GET", path, headers=encoded).json()["data"]["pageCount"] >= 1
    assert server.request("GET", path).status_code == 400


def test_upload_over_the_limit_is_413(server: Server) -> None:
    answer = server.request(
        "POST",
        "/api/documents",
        data=b"%PDF-1.7\n" + b"0" * UPLOAD_LIMIT,
        headers={"Content-Type": "application/pdf"},
    )
    assert answer.status_code == 413
    assert "limit" in answer.json()["details"]


def test_other_upload_forms_are_400(server: Server) -> None:
    url_form = server.request("POST", "/api/documents", json={"url": "https://example.org/a.pdf"})
    assert url_form.status_code == 400
    no_file = server.request("POST", "/api/documents", files={"title": (None, "x")})
    assert no_file.status_code == 400
    empty = server.request(
        "POST", "/api/documents", data=b"", headers={"Content-Type": "application/pdf"}
    )
    assert empty.status_code == 400


def test_delete_document(server: Server) -> None:
    doc = server.upload()
    assert server.request("DELETE", f"/api/documents/{doc}").status_code == 200
    assert server.request("GET", f"/api/documents/{doc}/document_info").status_code == 404
    assert server.request("DELETE", f"/api/documents/{doc}").status_code == 404


def test_health_and_openapi_need_no_token(server: Server) -> None:
    assert server.request("GET", "/healthz", auth=None).json() == {"status": "ok"}
    spec = server.request("GET", "/openapi.json", auth=None).json()
    assert "/api/documents/{document_id}/layers/{layer}/annotations" in spec["paths"]
    assert "/api/documents/{document_id}/layers/{layer}/push" in spec["paths"]
