"""``embedded-files``: the files a PDF carries, listed on the default layer and on any layer,
their bytes served by the attachment route to whoever may read the document."""

from __future__ import annotations

import hashlib
import uuid

import pymupdf
import pytest

from tests.server.conftest import Server

BASES = ["", "/layers/reading"]
NOTES = b"the answers, for the teacher\n" * 40
TABLE = b"name,score\nAmy,9\n"


def pdf_with_files(*files: tuple[str, bytes, str]) -> bytes:
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), f"files {uuid.uuid4().hex}")
    for name, data, description in files:
        doc.embfile_add(name, data, filename=name, ufilename=name, desc=description)
    data_ = doc.tobytes()
    doc.close()
    return data_


@pytest.fixture(scope="module")
def with_files(server: Server) -> str:
    return server.upload(
        pdf_with_files(("answers.txt", NOTES, "The answers"), ("scores.csv", TABLE, ""))
    )


@pytest.mark.parametrize("layer", BASES)
def test_the_pdfs_files_are_listed_and_served(server: Server, with_files: str, layer: str) -> None:
    base = f"/api/documents/{with_files}{layer}"
    answer = server.request("GET", f"{base}/embedded-files")
    assert answer.status_code == 200, answer.text
    files = answer.json()["data"]["embeddedFiles"]
    assert [f["id"] for f in files] == ["answers.txt", "scores.csv"]
    first = files[0]["content"]
    assert first["type"] == "pspdfkit/embedded-file" and first["v"] == 1
    assert first["fileName"] == "answers.txt" and first["description"] == "The answers"
    assert first["fileSize"] == len(NOTES) and first["contentType"] == "text/plain"
    assert first["fileAttachmentId"] == hashlib.sha256(NOTES).hexdigest()
    assert files[1]["content"]["contentType"] == "text/csv"
    for sent, listed in ((NOTES, files[0]), (TABLE, files[1])):
        got = server.request("GET", f"{base}/attachments/{listed['content']['fileAttachmentId']}")
        assert got.status_code == 200 and got.content == sent


def test_a_layer_reader_gets_the_files_but_not_other_layers_pictures(
    server: Server, with_files: str
) -> None:
    token = server.token(with_files, ["read-document"], layer="reading")
    base = f"/api/documents/{with_files}/layers/reading"
    files = server.request("GET", f"{base}/embedded-files", auth=token).json()
    attachment = files["data"]["embeddedFiles"][1]["content"]["fileAttachmentId"]
    got = server.request("GET", f"{base}/attachments/{attachment}", auth=token)
    assert got.status_code == 200 and got.content == TABLE
    other = server.request("GET", f"{base}/attachments/{'0' * 64}", auth=token)
    assert other.status_code == 404
    elsewhere = f"/api/documents/{with_files}/layers/other/embedded-files"
    assert server.request("GET", elsewhere, auth=token).status_code == 403


def test_a_pdf_without_files_lists_none(server: Server, doc: str) -> None:
    answer = server.request("GET", f"/api/documents/{doc}/embedded-files")
    assert answer.status_code == 200 and answer.json() == {"data": {"embeddedFiles": []}}


def test_a_file_whose_stream_is_damaged_is_listed_without_bytes(server: Server) -> None:
    """A PDF whose embedded file cannot be decoded: the listing still answers (the file named,
    no attachment id), and the server goes on serving."""
    doc = pymupdf.open(stream=pdf_with_files(("broken.bin", b"x" * 500, "")))
    xref = next(
        x for x in range(1, doc.xref_length()) if doc.xref_get_key(x, "Type")[1] == "/EmbeddedFile"
    )
    doc.update_stream(xref, b"\x00 not deflate at all \xff" * 10, compress=False)
    doc.xref_set_key(xref, "Filter", "/FlateDecode")
    damaged = server.upload(doc.tobytes())
    answer = server.request("GET", f"/api/documents/{damaged}/embedded-files")
    assert answer.status_code == 200, answer.text
    (listed,) = answer.json()["data"]["embeddedFiles"]
    assert listed["content"]["fileName"] == "broken.bin"
    assert listed["content"]["fileAttachmentId"] == ""
    assert server.request("GET", f"/api/documents/{damaged}/layers").status_code == 200
