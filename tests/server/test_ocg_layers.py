"""The PDF's optional content groups (Document Engine's ``ocg-layers``), on the default layer
and any layer: groups in the PDF's panel order, radio-button sets, a group heading nested
groups, a named collection, and groups the order leaves out last."""

from __future__ import annotations

import pymupdf
import pytest

from reviewer_app.server.fair import PDF_WORK, heavy_kind
from tests.server.conftest import Server, make_pdf


def ocg_pdf() -> tuple[bytes, list[int]]:
    """A PDF with groups Option 1 and 2 (one radio set), Parent over Child, a "Grouped"
    collection, and Loose (in no /Order); their object numbers."""
    doc = pymupdf.open(stream=make_pdf())
    a, b, c, d, e = (doc.add_ocg(n) for n in ("Option 1", "Option 2", "Parent", "Child", "Loose"))
    doc.set_layer(-1, on=[a, c, d], rbgroups=[[a, b]])
    order = f"[{a} 0 R {b} 0 R {c} 0 R [{d} 0 R] [(Grouped) {a} 0 R {d} 0 R]]"
    doc.xref_set_key(doc.pdf_catalog(), "OCProperties/D/Order", order)
    data: bytes = doc.tobytes()
    doc.close()
    return data, [a, b, c, d, e]


@pytest.mark.parametrize("layer", ["", "/layers/any"])
def test_the_groups_in_the_pdfs_order(server: Server, layer: str) -> None:
    data, (a, b, c, d, e) = ocg_pdf()
    doc = server.upload(data)
    answer = server.request("GET", f"/api/documents/{doc}{layer}/ocg-layers")
    assert answer.status_code == 200, answer.text
    option_1 = {"ocgId": a, "name": "Option 1", "radioGroup": 0}
    child = {"ocgId": d, "name": "Child"}
    assert answer.json() == {
        "ocgs": [
            option_1,
            {"ocgId": b, "name": "Option 2", "radioGroup": 0},
            {"ocgId": c, "name": "Parent", "layers": [child]},
            {"name": "Grouped", "layers": [option_1, child]},
            {"ocgId": e, "name": "Loose"},
        ]
    }


def test_a_pdf_without_groups(server: Server, doc: str) -> None:
    answer = server.request("GET", f"/api/documents/{doc}/ocg-layers")
    assert answer.status_code == 200 and answer.json() == {"ocgs": []}


def test_listing_groups_takes_a_heavy_slot() -> None:
    assert heavy_kind("GET", "/api/documents/d/ocg-layers") == PDF_WORK
    assert heavy_kind("GET", "/api/documents/d/layers/x/ocg-layers") == PDF_WORK
