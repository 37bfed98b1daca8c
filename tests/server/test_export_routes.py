"""Instant JSON and PDFs on the default layer as on any layer; a PDF or a new document made with
an Instant JSON file applied, leaving the layer as it was; a layer's document_info."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pymupdf
import pytest

from reviewer_app.instant import FORMAT
from tests.server.conftest import Server, make_pdf, note

BASES = ["", "/layers/exports"]


def notes_in(pdf: bytes) -> list[str]:
    """The contents of every annotation of the PDF, page by page."""
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        return [annot.info["content"] for page in doc for annot in page.annots()]


def instant(*texts: str) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "annotations": [{**note(1, 20 + 30 * i, t), "id": f"ij-{t}"} for i, t in enumerate(texts)],
    }


def part(data: dict[str, Any]) -> dict[str, Any]:
    return {"instant.json": ("instant.json", json.dumps(data), "application/json")}


def texts(server: Server, base: str) -> set[str]:
    found = server.request("GET", f"{base}/document.json").json()["annotations"]
    return {a["text"]["value"] for a in found if "text" in a}


def test_the_documents_pdf_holds_the_default_layers_annotations(server: Server) -> None:
    """As DE: GET {doc}/pdf is the latest version with annotations; source=true the upload."""
    original = make_pdf()
    doc = server.upload(original)
    base = f"/api/documents/{doc}"
    server.request("POST", f"{base}/annotations", json={"content": note(1, 50, "default")})
    server.request("POST", f"{base}/layers/other/annotations", json={"content": note(0, 9, "no")})
    answer = server.request("GET", f"{base}/pdf")
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/pdf"
    assert sorted(notes_in(answer.content)) == ["a base note", "default"]
    assert server.request("GET", f"{base}/pdf", params={"source": "true"}).content == original
    posted = server.request("POST", f"{base}/pdf", json={"type": "pdf", "flatten": True})
    assert posted.status_code == 200 and notes_in(posted.content) == []
    assert server.request("POST", f"{base}/pdf", json={"type": "pdfa"}).status_code == 400


@pytest.mark.parametrize("layer", BASES)
def test_instant_json_in_and_out(server: Server, doc: str, layer: str) -> None:
    base = f"/api/documents/{doc}{layer}"
    applied = server.request("POST", f"{base}/apply_instant_json", files=part(instant("in")))
    assert applied.status_code == 200 and applied.json() == {"data": {"errors": []}}
    assert texts(server, base) == {"a base note", "in"}
    other = "/layers/untouched" if layer == "" else ""
    assert texts(server, f"/api/documents/{doc}{other}") == {"a base note"}
    no_part = server.request("POST", f"{base}/apply_instant_json", files={"x": ("a", "{}")})
    assert no_part.status_code == 400 and "instant.json" in no_part.json()["details"]


@pytest.mark.parametrize("layer", BASES)
def test_pdf_with_instant_json_leaves_the_layer_as_it_was(
    server: Server, doc: str, layer: str
) -> None:
    base = f"/api/documents/{doc}{layer}"
    server.request(
        "POST", f"{base}/annotations", json={"id": "kept", "content": note(0, 40, "kept")}
    )
    before = server.request("GET", f"{base}/document.json").json()
    answer = server.request("POST", f"{base}/pdf_with_instant_json", files=part(instant("brief")))
    assert answer.status_code == 200, answer.text
    assert sorted(notes_in(answer.content)) == ["a base note", "brief", "kept"]
    assert server.request("GET", f"{base}/document.json").json() == before
    # the next real write sees none of the preview (it took the same revision number)
    server.request("POST", f"{base}/annotations", json={"id": "after", "content": note(0, 80, "a")})
    listed = server.request("GET", f"{base}/annotations").json()["data"]["annotations"]
    assert "ij-brief" not in {a["id"] for a in listed} and "after" in {a["id"] for a in listed}
    bad = server.request("POST", f"{base}/pdf_with_instant_json", files=part({"format": "x"}))
    assert bad.status_code == 400 and texts(server, base) == {"a base note", "kept", "a"}


@pytest.mark.parametrize("layer", BASES)
def test_copy_with_instant_json_makes_a_new_document(server: Server, doc: str, layer: str) -> None:
    base = f"/api/documents/{doc}{layer}"
    server.request("POST", f"{base}/annotations", json={"content": note(0, 40, "mine")})
    answer = server.request("POST", f"{base}/copy_with_instant_json", files=part(instant("new")))
    assert answer.status_code == 200, answer.text
    made = answer.json()
    assert made["documentId"] != doc and made["errors"] == []
    copy = f"/api/documents/{made['documentId']}"
    pdf = server.request("GET", f"{copy}/pdf", params={"source": "true"}).content
    assert hashlib.sha256(pdf).hexdigest() == made["sourcePdfSha256"]
    assert texts(server, copy) == {"a base note", "mine", "new"}
    assert texts(server, base) == {"a base note", "mine"}  # the source is unchanged
    as_is = server.request("POST", f"{base}/copy_with_instant_json", json={"ignored": True})
    assert as_is.status_code == 200
    assert texts(server, f"/api/documents/{as_is.json()['documentId']}") == {"a base note", "mine"}


def test_copy_needs_the_server_token(server: Server, doc: str) -> None:
    """A client token is for one document: it cannot make (and then not reach) another."""
    token = server.token(doc, ["read-document", "write", "download"])
    path = f"/api/documents/{doc}/copy_with_instant_json"
    assert server.request("POST", path, auth=token, json={}).status_code == 403


def test_a_layers_document_info_is_the_documents(server: Server, doc: str) -> None:
    whole = server.request("GET", f"/api/documents/{doc}/document_info").json()
    layered = server.request("GET", f"/api/documents/{doc}/layers/info/document_info")
    assert layered.status_code == 200 and layered.json() == whole
    assert whole["data"]["pageCount"] == 2
    token = server.token(doc, ["read-document"], layer="mine")
    refused = server.request("GET", f"/api/documents/{doc}/layers/info/document_info", auth=token)
    assert refused.status_code == 403
