"""Coordinates: rotated pages and offset MediaBox/CropBox give top-left, y-down, unrotated boxes."""

from __future__ import annotations

import pymupdf
import pytest

from reviewer_app.pdf import extract_base_layer
from reviewer_app.pdf.geometry import (
    PageBox,
    to_instant_point,
    to_instant_rect,
    to_pdf_point,
    to_pdf_rect,
)
from tests.pdf.builders import PdfWriter, annot, annotations, close_to

OFFSET_MEDIA = "[100 200 712 992]"
OFFSET_CROP = "/CropBox [120 230 690 970]"  # visible: x 120..690, y 230..970 (570 x 740)
ROTATIONS = [0, 90, 180, 270]
QUAD = "270 670 370 670 270 650 370 650"


def _offset_page(rotation: int) -> bytes:
    writer = PdfWriter()
    writer.page(
        [
            annot("Square", "[270 619 320 671]"),
            annot("Line", "[269 619 321 671]", "/L [270 670 320 620]"),
            annot("Polygon", "[269 619 321 671]", "/Vertices [270 670 320 670 320 620]"),
            annot("Ink", "[260 610 330 680]", "/InkList [[270 670 320 650] [300 640 310 630]]"),
            annot("Highlight", "[270 650 370 670]", f"/QuadPoints [{QUAD}]"),
        ],
        mediabox=OFFSET_MEDIA,
        extra=f"{OFFSET_CROP} /Rotate {rotation}",
    )
    return writer.tobytes()


@pytest.mark.parametrize("rotation", ROTATIONS)
def test_offset_boxes_and_rotation(rotation: int) -> None:
    extraction = extract_base_layer(_offset_page(rotation))
    assert extraction.pages == [(570.0, 740.0, rotation)]
    by_type = {r.content["type"]: r.content for r in annotations(extraction)}
    assert close_to(by_type["pspdfkit/shape/rectangle"]["bbox"], [150, 299, 50, 52])
    line = by_type["pspdfkit/shape/line"]
    assert close_to(line["startPoint"] + line["endPoint"], [150, 300, 200, 350])
    assert by_type["pspdfkit/shape/polygon"]["points"] == [[150, 300], [200, 300], [200, 350]]
    assert by_type["pspdfkit/ink"]["lines"]["points"] == [
        [[150, 300], [200, 320]],
        [[180, 330], [190, 340]],
    ]
    assert close_to(by_type["pspdfkit/markup/highlight"]["rects"][0], [150, 300, 100, 20])


@pytest.mark.parametrize("rotation", ROTATIONS)
def test_agrees_with_pymupdf_unrotated_page_space(rotation: int) -> None:
    """PyMuPDF's own vertices (unrotated, CropBox top-left origin) match ours on every page."""
    data = _offset_page(rotation)
    ours = {r.content["pdfObjectId"]: r.content for r in annotations(extract_base_layer(data))}
    doc = pymupdf.open(stream=data, filetype="pdf")
    page = doc[0]
    assert page.rotation == rotation
    for pdf_annot in page.annots():
        content = ours[pdf_annot.xref]
        if content["type"] == "pspdfkit/shape/rectangle":
            rect = pdf_annot.rect
            assert close_to(content["bbox"], [rect.x0, rect.y0, rect.width, rect.height])
        elif content["type"] == "pspdfkit/shape/line":
            vertices = [c for point in pdf_annot.vertices for c in point]
            assert close_to(content["startPoint"] + content["endPoint"], vertices)
        elif content["type"] == "pspdfkit/shape/polygon":
            assert content["points"] == [list(point) for point in pdf_annot.vertices]
        elif content["type"] == "pspdfkit/ink":
            assert content["lines"]["points"] == [
                [list(point) for point in stroke] for stroke in pdf_annot.vertices
            ]


@pytest.mark.parametrize("rotation", ROTATIONS)
def test_rotated_plain_page(rotation: int) -> None:
    writer = PdfWriter()
    writer.page([annot("Square", "[100 600 200 700]")], extra=f"/Rotate {rotation}")
    extraction = extract_base_layer(writer.tobytes())
    assert extraction.pages == [(612.0, 792.0, rotation)]
    assert annotations(extraction)[0].content["bbox"] == [100, 92, 100, 100]


def test_inherited_boxes_and_rotation_from_the_page_tree() -> None:
    writer = PdfWriter()
    writer.pages_extra = "/MediaBox [0 0 300 400] /CropBox [10 20 290 380] /Rotate -90"
    writer.page([annot("Square", "[20 300 60 370]")], mediabox=None)
    extraction = extract_base_layer(writer.tobytes())
    assert extraction.pages == [(280.0, 360.0, 270)]
    assert annotations(extraction)[0].content["bbox"] == [10, 10, 40, 70]


def test_crop_box_is_clipped_to_the_media_box() -> None:
    writer = PdfWriter()
    writer.page([annot("Square", "[0 0 10 10]")], extra="/CropBox [-50 -50 1000 1000]")
    extraction = extract_base_layer(writer.tobytes())
    assert extraction.pages == [(612.0, 792.0, 0)]
    assert annotations(extraction)[0].content["bbox"] == [0, 782, 10, 10]


def test_rect_corners_in_any_order() -> None:
    box = PageBox(0, 0, 612, 792)
    assert to_instant_rect(box, [200, 700, 100, 600]) == [100, 92, 100, 100]


@pytest.mark.parametrize("box", [PageBox(0, 0, 612, 792), PageBox(120, 230, 690, 970, 90)])
def test_conversions_invert_each_other(box: PageBox) -> None:
    pdf_rect = (130.25, 250.5, 400.125, 900.75)
    assert close_to(to_pdf_rect(box, to_instant_rect(box, pdf_rect)), pdf_rect, 1e-3)
    bbox = [12.5, 40.25, 100.0, 30.5]
    assert close_to(to_instant_rect(box, to_pdf_rect(box, bbox)), bbox, 1e-3)
    x, y = to_pdf_point(box, 10.5, 20.25)
    assert to_instant_point(box, x, y) == [10.5, 20.25]
