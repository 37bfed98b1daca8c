"""Form fields and widgets read from the PDF, page text, and the text under a layer's
highlights, on the default layer and on any layer."""

from __future__ import annotations

import pytest

from tests.server.conftest import Server, note
from tests.server.test_de_conformance import HIGHLIGHT, form_pdf

BASES = ["", "/layers/reading"]


@pytest.fixture(scope="module")
def form_doc(server: Server) -> str:
    return server.upload(form_pdf())


@pytest.mark.parametrize("layer", BASES)
def test_form_fields_with_their_widgets(server: Server, form_doc: str, layer: str) -> None:
    base = f"/api/documents/{form_doc}{layer}"
    fields = server.request("GET", f"{base}/form-fields").json()["data"]
    assert [(f["id"], f["content"]["type"]) for f in fields] == [
        ("Name", "pspdfkit/form-field/text"),
        ("Agree", "pspdfkit/form-field/checkbox"),
    ]
    name = fields[0]
    (widget,) = name["widgetAnnotations"]
    assert name["content"]["annotationIds"] == [widget["id"]]
    assert widget["content"]["bbox"] == [72, 300, 200, 20]  # PDF y 522..542, from the top
    assert widget["content"]["pageIndex"] == 0 and widget["content"]["formFieldName"] == "Name"
    one = server.request("GET", f"{base}/form-fields/Name")
    assert one.status_code == 200 and one.json() == name
    widgets = server.request("GET", f"{base}/form-field-widgets").json()["data"]
    assert [w["content"]["formFieldName"] for w in widgets] == ["Name", "Agree"]
    by_id = server.request("GET", f"{base}/form-field-widgets/{widget['id']}").json()
    assert by_id["formField"]["id"] == "Name" and by_id["content"] == widget["content"]
    assert server.request("GET", f"{base}/form-fields/Nope").status_code == 404
    assert server.request("GET", f"{base}/form-field-widgets/Nope").status_code == 404


def test_a_pdf_without_a_form_has_no_fields(server: Server, doc: str) -> None:
    answer = server.request("GET", f"/api/documents/{doc}/form-fields")
    assert answer.status_code == 200 and answer.json() == {"data": []}


@pytest.mark.parametrize("layer", BASES)
def test_page_text(server: Server, form_doc: str, layer: str) -> None:
    base = f"/api/documents/{form_doc}{layer}"
    pages = server.request("GET", f"{base}/pages/text").json()
    assert [p["pageIndex"] for p in pages] == [0, 1]
    lines = server.request("GET", f"{base}/pages/0/text").json()["textLines"]
    assert lines == pages[0]["textLines"]
    fox = next(line for line in lines if "fox" in line["contents"])
    assert fox["contents"] == "The quick brown fox jumps over the lazy dog"
    assert fox["left"] == pytest.approx(72, abs=1) and 186 < fox["top"] < 200  # from the top
    assert server.request("GET", f"{base}/pages/2/text").status_code == 404


@pytest.mark.parametrize("layer", BASES)
def test_highlighted_text_is_the_layers(server: Server, form_doc: str, layer: str) -> None:
    base = f"/api/documents/{form_doc}{layer}"
    lines = server.request("GET", f"{base}/pages/0/text").json()["textLines"]
    fox = next(line for line in lines if "fox" in line["contents"])
    rect = [fox["left"], fox["top"], fox["width"], fox["height"]]
    mark = {**HIGHLIGHT, "bbox": rect, "rects": [rect]}
    made = server.request("POST", f"{base}/annotations", json={"content": mark})
    assert made.status_code == 200, made.text
    server.request("POST", f"{base}/annotations", json={"content": note(0, 72, "not a mark")})
    found = server.request("GET", f"{base}/pages/0/highlighted").json()["data"]
    assert [h["text"] for h in found] == ["The quick brown fox jumps over the lazy dog"]
    assert found[0]["annotation"]["content"]["type"] == "pspdfkit/markup/highlight"
    other = "/layers/elsewhere" if layer == "" else ""
    elsewhere = server.request("GET", f"/api/documents/{form_doc}{other}/pages/0/highlighted")
    assert elsewhere.json() == {"data": []}
    server.request("DELETE", f"{base}/annotations", json={"annotationIds": "all"})


def test_the_pdfs_outline_and_properties(server: Server, form_doc: str) -> None:
    outline = server.request("GET", f"/api/documents/{form_doc}/outline.json").json()
    (start, end) = outline["data"]["outline"]
    assert (start["title"], start["action"]) == ("Start", {"type": "goTo", "pageIndex": 0})
    assert [c["title"] for c in start["children"]] == ["The fox"]
    assert (end["title"], end["action"]["pageIndex"], end["children"]) == ("End", 1, [])
    info = server.request("GET", f"/api/documents/{form_doc}/document_info").json()["data"]
    props = server.request("GET", f"/api/documents/{form_doc}/properties").json()["data"]
    assert props["sourcePdfSha256"] == info["sourcePdfSha256"]
    assert props["byteSize"] == info["byteSize"] and props["passwordProtected"] is False


def test_a_pdf_without_an_outline_has_an_empty_one(server: Server, doc: str) -> None:
    answer = server.request("GET", f"/api/documents/{doc}/outline.json")
    assert answer.json() == {"data": {"outline": []}}
