"""An XFDF or Instant JSON file uploaded with the PDF (DE's ``attachment`` part): applied to
the new document's default layer, replacing the PDF's own annotations unless
``keep_current_annotations``; a bad file stores nothing."""

from __future__ import annotations

import json
from typing import Any

from reviewer_app.instant import FORMAT
from tests.server.conftest import Server, make_pdf, note
from tests.server.test_apply_instructions import SECOND
from tests.xfdf.test_xfdf import BOMB


def upload(server: Server, pdf: bytes, name: str, attachment: bytes, **fields: str) -> Any:
    parts: dict[str, Any] = {
        "file": ("a.pdf", pdf, "application/pdf"),
        "document_id": (None, name),
        "attachment": ("marks", attachment, "application/octet-stream"),
    }
    parts |= {key: (None, value) for key, value in fields.items()}
    return server.request("POST", "/api/documents", files=parts)


def shown(server: Server, name: str) -> set[str]:
    listed = server.request("GET", f"/api/documents/{name}/annotations").json()["data"]
    return {a["content"].get("text", {}).get("value") or a["id"] for a in listed["annotations"]}


def test_xfdf_replaces_the_pdfs_annotations(server: Server) -> None:
    answer = upload(server, make_pdf(), "xfdf-replaced", SECOND.encode())
    assert answer.status_code == 200, answer.text
    assert answer.json()["data"]["errors"] == []
    assert shown(server, "xfdf-replaced") == {"second-square"}
    kept = upload(server, make_pdf(), "xfdf-kept", SECOND.encode(), keep_current_annotations="true")
    assert kept.status_code == 200, kept.text
    assert shown(server, "xfdf-kept") == {"second-square", "a base note"}


def test_instant_json_replaces_them_too(server: Server) -> None:
    instant = {"format": FORMAT, "annotations": [{**note(1, 30, "from the file"), "id": "ij"}]}
    answer = upload(server, make_pdf(), "instant-replaced", json.dumps(instant).encode())
    assert answer.status_code == 200, answer.text
    assert shown(server, "instant-replaced") == {"from the file"}


def test_a_bad_attachment_stores_nothing(server: Server) -> None:
    pdf = make_pdf()
    for bad, reason in ((BOMB.encode(), "declares entities"), (b"{nope", "not valid JSON")):
        answer = upload(server, pdf, "refused", bad)
        assert answer.status_code == 400 and reason in answer.json()["details"], answer.text
        assert server.request("GET", "/api/documents/refused/document_info").status_code == 404
    plain = upload(server, pdf, "refused", SECOND.encode(), keep_current_annotations="maybe")
    assert plain.status_code == 400 and "keep_current_annotations" in plain.json()["details"]
    assert server.upload(pdf)  # and it uploads afresh


def test_a_stored_pdf_is_not_changed_by_an_attachment(server: Server) -> None:
    pdf = make_pdf()
    assert upload(server, pdf, "stored", SECOND.encode()).status_code == 200
    again = upload(server, pdf, "stored", SECOND.encode(), keep_current_annotations="true")
    assert again.status_code == 409 and "apply_instructions" in again.json()["details"]
    assert shown(server, "stored") == {"second-square"}
