"""Instant JSON records of every annotation type we write, and PDFs to write them into."""

from __future__ import annotations

from typing import Any

from reviewer_app.instant.records import LayerExport, Record
from tests.pdf.builders import PdfWriter

# (MediaBox, /Rotate, extra page keys): a plain page, rotated pages, boxes not at 0,0.
PAGE_SHAPES = [
    ("[0 0 612 792]", 0, ""),
    ("[0 0 612 792]", 90, ""),
    ("[0 0 595 842]", 180, ""),
    ("[0 0 612 792]", 270, ""),
    ("[100 50 712 842]", 0, ""),
    ("[-200 -300 412 492]", 90, ""),
    ("[0 0 612 792]", 270, "/CropBox [30 40 580 760]"),
]


def blank_pdf(shapes: list[tuple[str, int, str]] = PAGE_SHAPES, text: bool = True) -> bytes:
    """A PDF with one page per shape (each with a line of text), no annotations."""
    writer = PdfWriter()
    font = writer.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for mediabox, rotate, extra in shapes:
        x0, y0 = (float(v) for v in mediabox.strip("[]").split()[:2])
        stream = f"BT /F1 14 Tf {x0 + 72} {y0 + 700} Td (Hello layer world) Tj ET" if text else ""
        content = writer.add(f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream")
        writer.page(
            mediabox=mediabox,
            extra=f"/Rotate {rotate} {extra} /Contents {content} 0 R "
            f"/Resources << /Font << /F1 {font} 0 R >> >>",
        )
    return writer.tobytes()


def _common(type_: str, page: int, bbox: list[float], n: int) -> dict[str, Any]:
    return {
        "v": 2,
        "type": type_,
        "pageIndex": page,
        "bbox": bbox,
        "opacity": 0.8,
        "creatorName": f"Author {n}",
        "createdAt": "2024-03-01T10:00:00Z",
        "updatedAt": "2024-03-02T11:30:00Z",
    }


def records_for_page(page: int) -> list[Record]:
    """One record of every type on ``page`` (all inside a 400 x 500 pt area)."""
    specs: list[dict[str, Any]] = [
        {
            "type": "pspdfkit/note",
            "bbox": [40, 40, 24, 24],
            "icon": "comment",
            "color": "#ff0000",
            "text": {"format": "plain", "value": "A sticky note"},
        },
        {
            "type": "pspdfkit/text",
            "bbox": [80, 40, 150, 40],
            "fontSize": 14,
            "font": "Helvetica",
            "fontColor": "#0000ff",
            "backgroundColor": "#ffffcc",
            "horizontalAlign": "left",
            "verticalAlign": "top",
            "text": {"format": "plain", "value": "Free text here"},
        },
        {
            "type": "pspdfkit/shape/line",
            "bbox": [40, 100, 110, 50],
            "startPoint": [45, 105],
            "endPoint": [145, 145],
            "strokeColor": "#00aa00",
            "strokeWidth": 3,
            "lineCaps": {"end": "openArrow"},
            "note": "a line",
        },
        {
            "type": "pspdfkit/shape/rectangle",
            "bbox": [170, 100, 80, 50],
            "strokeWidth": 2,
            "strokeColor": "#0000ff",
            "fillColor": "#ccccff",
        },
        {
            "type": "pspdfkit/shape/ellipse",
            "bbox": [270, 100, 80, 50],
            "strokeWidth": 2,
            "strokeColor": "#ff00ff",
        },
        {
            "type": "pspdfkit/shape/polygon",
            "bbox": [40, 170, 100, 80],
            "strokeWidth": 2,
            "strokeColor": "#ff8800",
            "points": [[45, 175], [135, 180], [90, 245]],
        },
        {
            "type": "pspdfkit/shape/polyline",
            "bbox": [160, 170, 100, 80],
            "strokeWidth": 2,
            "strokeColor": "#008888",
            "points": [[165, 175], [255, 180], [210, 245]],
        },
        {
            "type": "pspdfkit/ink",
            "bbox": [280, 170, 100, 80],
            "lineWidth": 4,
            "strokeColor": "#2293fb",
            "lines": {
                "points": [[[285, 175], [330, 210], [375, 245]]],
                "intensities": [[0.5, 0.5, 0.5]],
            },
        },
        {
            "type": "pspdfkit/markup/highlight",
            "bbox": [40, 270, 150, 16],
            "rects": [[40, 270, 150, 16]],
            "color": "#ffff00",
            "blendMode": "multiply",
        },
        {
            "type": "pspdfkit/markup/underline",
            "bbox": [40, 300, 150, 34],
            "rects": [[40, 300, 150, 16], [40, 318, 90, 16]],
            "color": "#ff0000",
        },
        {
            "type": "pspdfkit/markup/squiggly",
            "bbox": [220, 270, 150, 16],
            "rects": [[220, 270, 150, 16]],
            "color": "#00ff00",
        },
        {
            "type": "pspdfkit/markup/strikeout",
            "bbox": [220, 300, 150, 16],
            "rects": [[220, 300, 150, 16]],
            "color": "#0000ff",
        },
        {
            "type": "pspdfkit/stamp",
            "bbox": [40, 350, 150, 50],
            "stampType": "Approved",
            "color": "#00aa00",
        },
        {
            "type": "pspdfkit/link",
            "bbox": [220, 350, 100, 20],
            "borderColor": "#0000ff",
            "borderWidth": 1,
            "action": {"type": "uri", "uri": "https://example.org/"},
        },
        {
            "type": "pspdfkit/markup/redaction",
            "bbox": [40, 420, 150, 20],
            "rects": [[40, 420, 150, 20]],
            "fillColor": "#000000",
            "outlineColor": "#ff0000",
            "overlayText": "REDACTED",
            "repeatOverlayText": False,
        },
    ]
    records = []
    for n, spec in enumerate(specs):
        content = _common(spec["type"], page, spec["bbox"], n) | spec
        if spec["type"] == "pspdfkit/link":
            content.pop("creatorName")
        records.append(Record("annotation", f"rec-{page}-{n}", content))
    return records


def own_layer(records: list[Record], remove: frozenset[int] = frozenset()) -> LayerExport:
    """A layer that wrote ``records`` itself and removed the base objects ``remove``."""
    return LayerExport(write=tuple(records), remove_object_ids=remove, shown=tuple(records))


EMPTY = LayerExport(write=(), remove_object_ids=frozenset(), shown=())
