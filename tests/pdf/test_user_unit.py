"""Pages with a /UserUnit: Instant coordinates, widths and font sizes are points as the page
shows (MuPDF lays a 306 x 396 unit page of UserUnit 2 out as US Letter), in extraction, in
text and in export (issue 17, finding 5)."""

from __future__ import annotations

from typing import Any

import pymupdf
import pytest

from reviewer_app.pdf import extract_base_layer
from reviewer_app.pdf.export import export_layer_pdf
from reviewer_app.pdf.geometry import (
    PageBox,
    page_box,
    rotation_matrix,
    to_instant_rect,
    to_pdf_rect,
)
from reviewer_app.pdf.text import words
from tests.pdf.builders import close_to
from tests.pdf.cases import user_unit
from tests.pdf.layer_records import EMPTY, blank_pdf, own_layer, records_for_page

HALF_LETTER = [("[0 0 306 396]", 0, "/UserUnit 2"), ("[0 0 306 396]", 90, "/UserUnit 2")]


def test_a_user_unit_scales_the_box_both_ways() -> None:
    box = PageBox(10, 20, 316, 416, 0, 2.0)
    assert (box.width, box.height) == (612, 792)
    assert to_instant_rect(box, [30, 200, 80, 230]) == [40, 372, 100, 60]
    assert close_to(to_pdf_rect(box, [40, 372, 100, 60]), [30, 200, 80, 230], 1e-9)


def test_extraction_reads_points_as_mupdf_lays_the_page_out() -> None:
    data = user_unit()
    extraction = extract_base_layer(data)
    assert extraction.pages == [(612.0, 792.0, 0)]
    page = pymupdf.open(stream=data)[0]
    shown = {a.xref: a.rect for a in page.annots()}
    by_type = {r.content["type"]: r.content for r in extraction.records}
    for content in by_type.values():
        rect = shown[content["pdfObjectId"]]
        assert close_to(content["bbox"], [rect.x0, rect.y0, rect.width, rect.height])
    ink = by_type["pspdfkit/ink"]
    assert ink["lineWidth"] == 6  # /BS /W 3 units of 2 points
    assert close_to(ink["lines"]["points"][0][0], [90, 482])  # (45, 155) in user space
    assert by_type["pspdfkit/text"]["fontSize"] == 20  # /Helv 10 Tf, in units


def test_words_are_in_points() -> None:
    page = pymupdf.open(stream=user_unit())[0]
    ours = [w.bbox for w in words(page.parent, 0)]
    theirs = [list(w[:4]) for w in page.get_text("words")]
    assert len(ours) == len(theirs) > 0
    for bbox, (x0, y0, x1, y1) in zip(ours, theirs, strict=True):
        assert close_to(list(bbox), [x0, y0, x1 - x0, y1 - y0], 0.01)


def _pixels(doc: Any, page: int, bbox: list[float]) -> bytes:
    left, top, width, height = bbox
    turn = pymupdf.Matrix(*rotation_matrix(page_box(doc, page)))
    clip = pymupdf.Rect(left, top, left + width, top + height) * turn
    return bytes(doc[page].get_pixmap(dpi=72, clip=clip).samples)


@pytest.mark.parametrize("page", [0, 1])
def test_exported_annotations_show_at_their_place_and_size(page: int) -> None:
    source = blank_pdf(HALF_LETTER, text=False)
    records = [r for r in records_for_page(page) if r.content["type"] != "pspdfkit/link"]
    data = export_layer_pdf(source, own_layer(records))
    back = {r.content["name"]: r.content for r in extract_base_layer(data).records}
    written, empty = pymupdf.open(stream=data), pymupdf.open(stream=export_layer_pdf(source, EMPTY))
    for record in records:
        got, bbox = back[record.id], record.content["bbox"]
        assert close_to(got["bbox"], bbox), (record.content["type"], got["bbox"], bbox)
        for key in ("strokeWidth", "lineWidth", "fontSize"):
            if key in record.content:
                assert got[key] == pytest.approx(record.content[key], abs=0.5), key
        if page == 0 or record.content["type"] != "pspdfkit/note":  # NoRotate: at a corner
            assert _pixels(written, page, bbox) != _pixels(empty, page, bbox), record.id
