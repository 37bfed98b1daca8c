"""Interop proof: our XFDF, applied to the PDF by another program (here a few lines of PyMuPDF
that know XFDF 3.0, not our reader), shows the same marks in poppler as our own layer PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import defusedxml.ElementTree as SafeET
import pymupdf

from reviewer_app.engine import LayerEngine
from reviewer_app.pdf.export import export_layer_pdf
from reviewer_app.xfdf import layer_xfdf, page_boxes
from tests.pdf.test_export_readers import poppler_render

NS = "{http://ns.adobe.com/xfdf/}"
MARKS = [
    {
        "id": "hl",
        "type": "pspdfkit/markup/highlight",
        "bbox": [72, 90, 200, 14],
        "rects": [[72, 90, 200, 14]],
        "color": "#ffeb3b",
    },
    {
        "id": "ul",
        "type": "pspdfkit/markup/underline",
        "bbox": [72, 130, 150, 14],
        "rects": [[72, 130, 150, 14]],
        "color": "#d32f2f",
    },
    {
        "id": "sq",
        "type": "pspdfkit/shape/rectangle",
        "bbox": [300, 200, 120, 80],
        "strokeColor": "#1565c0",
        "strokeWidth": 3,
    },
    {
        "id": "ci",
        "type": "pspdfkit/shape/ellipse",
        "bbox": [100, 300, 150, 90],
        "strokeColor": "#2e7d32",
        "strokeWidth": 2,
    },
    {
        "id": "li",
        "type": "pspdfkit/shape/line",
        "bbox": [100, 450, 300, 100],
        "startPoint": [100, 450],
        "endPoint": [400, 550],
        "strokeColor": "#6a1b9a",
        "strokeWidth": 4,
    },
    {
        "id": "in",
        "type": "pspdfkit/ink",
        "bbox": [300, 600, 200, 80],
        "strokeColor": "#000000",
        "lineWidth": 3,
        "lines": {
            "points": [[[300, 600], [350, 680], [420, 610], [500, 670]]],
            "intensities": [[0.5] * 4],
        },
    },
]


def numbers(text: str) -> list[float]:
    return [float(v) for v in text.replace(";", ",").split(",") if v.strip()]


def colour(hex_text: str | None) -> tuple[float, float, float] | None:
    if not hex_text:
        return None
    return tuple(int(hex_text[i : i + 2], 16) / 255 for i in (1, 3, 5))  # type: ignore[return-value]


def apply_with_pymupdf(pdf: bytes, xfdf: bytes) -> bytes:
    """Another program's XFDF import: each element becomes a PyMuPDF annotation."""
    doc = pymupdf.open(stream=pdf)
    for element in SafeET.fromstring(xfdf).iter():
        tag = element.tag.removeprefix(NS)
        if element.get("page") is None:
            continue
        page = doc[int(element.get("page"))]
        height = page.rect.height
        flip = lambda x, y, h=height: pymupdf.Point(x, h - y)  # noqa: E731 (PDF space → MuPDF's)
        width = float(element.get("width") or 1)
        annot: Any
        if tag in ("highlight", "underline"):
            q = numbers(element.get("coords") or "")
            quad = pymupdf.Quad(
                flip(q[0], q[1]), flip(q[2], q[3]), flip(q[4], q[5]), flip(q[6], q[7])
            )
            annot = getattr(page, f"add_{tag}_annot")(quads=[quad])
        elif tag in ("square", "circle"):
            x0, y0, x1, y1 = numbers(element.get("rect") or "")
            rect = pymupdf.Rect(flip(x0, y1), flip(x1, y0))
            inset = width / 2
            rect = pymupdf.Rect(rect.x0 + inset, rect.y0 + inset, rect.x1 - inset, rect.y1 - inset)
            annot = (page.add_rect_annot if tag == "square" else page.add_circle_annot)(rect)
        elif tag == "line":
            start, end = numbers(element.get("start") or ""), numbers(element.get("end") or "")
            annot = page.add_line_annot(flip(*start), flip(*end))
        elif tag == "ink":
            gestures = [g.text or "" for g in element.iter(f"{NS}gesture")]
            paths = []
            for gesture in gestures:
                flat = numbers(gesture)
                paths.append([tuple(flip(flat[i], flat[i + 1])) for i in range(0, len(flat), 2)])
            annot = page.add_ink_annot(paths)
        else:
            continue
        annot.set_colors(stroke=colour(element.get("color")))
        if tag != "highlight":
            annot.set_border(width=width)
        annot.update()
    return bytes(doc.tobytes())


def test_our_xfdf_applied_by_another_program_looks_like_our_layer_pdf(tmp_path: Path) -> None:
    blank = pymupdf.open()
    blank.new_page().insert_text((72, 100), "A line of text under the marks", fontsize=12)
    source = bytes(blank.tobytes())
    with LayerEngine(tmp_path / "data") as engine:
        doc = engine.add_document(source, records=[], page_count=1).id
        marks = [{"v": 2, "pageIndex": 0, **mark} for mark in MARKS]
        engine.create_records(doc, "amy", "annotation", marks)
        ours = export_layer_pdf(source, engine.layer_export(doc, "amy"))
        xfdf = layer_xfdf(engine.records(doc, "amy"), page_boxes(engine.pdf_path(doc))).xml
    theirs = apply_with_pymupdf(source, xfdf)
    a = poppler_render(ours, 0, tmp_path, "ours")
    b = poppler_render(theirs, 0, tmp_path, "theirs")
    plain = poppler_render(source, 0, tmp_path, "plain")
    assert (a.width, a.height) == (b.width, b.height)
    differ = sum(x != y for x, y in zip(a.samples, b.samples, strict=True))
    marked = sum(x != y for x, y in zip(a.samples, plain.samples, strict=True))
    assert marked > 5000  # the marks are there to be compared
    # the same marks in the same places: what differs is the edge pixels of thin strokes
    # (6 % of the marked pixels at this resolution; a mark missing or moved would be far more)
    assert differ < marked * 0.1, (differ, marked)
