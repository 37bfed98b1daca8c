"""Each PDF annotation type becomes the right Instant JSON v2 record (or is counted as skipped)."""

from __future__ import annotations

from typing import Any

import pytest

from reviewer_app.pdf import extract_base_layer
from reviewer_app.pdf.annotations import NOTE_ICONS
from tests.pdf.builders import PdfWriter, annot, annotations, close_to, only_annotation

# A /Rect of [100 600 200 700] on a 612 x 792 page is the Instant bbox [100, 92, 100, 100].
BBOX = [100, 92, 100, 100]
COMMON = (
    "/T (Alice) /CreationDate (D:20240101100000Z) /M (D:20240102113000+01'30') "
    "/NM (the-name) /F 4 /CA 0.5"
)


def _extract_one(subtype: str, extra: str = "", rect: str = "[100 600 200 700]") -> dict[str, Any]:
    writer = PdfWriter()
    writer.page([annot(subtype, rect, f"{COMMON} {extra}")])
    return only_annotation(extract_base_layer(writer.tobytes()))


def _check_common(content: dict[str, Any], type_: str) -> None:
    assert content["v"] == 2
    assert content["type"] == type_
    assert content["pageIndex"] == 0
    assert close_to(content["bbox"], BBOX)
    assert content["opacity"] == 0.5
    assert content["creatorName"] == "Alice"
    assert content["createdAt"] == "2024-01-01T10:00:00Z"
    assert content["updatedAt"] == "2024-01-02T10:00:00Z"
    assert content["name"] == "the-name"
    assert "flags" not in content  # /F 4: printed, nothing else
    assert isinstance(content["pdfObjectId"], int)


def test_text_note() -> None:
    content = _extract_one("Text", "/Contents <FEFF00480069002000E9> /C [1 0 0] /Name /Key")
    _check_common(content, "pspdfkit/note")
    assert content["text"] == {"format": "plain", "value": "Hi é"}
    assert content["icon"] == "key"
    assert content["color"] == "#ff0000"


@pytest.mark.parametrize(("pdf_name", "icon"), [*NOTE_ICONS.items(), ("Unknown", "comment")])
def test_note_icons(pdf_name: str, icon: str) -> None:
    assert _extract_one("Text", f"/Name /{pdf_name}")["icon"] == icon


def test_caret_is_an_insert_note() -> None:
    content = _extract_one("Caret", "/Contents (add a word) /C [0 0 1]")
    _check_common(content, "pspdfkit/note")
    assert content["icon"] == "insert"
    assert content["customData"] == {"pdfSubtype": "Caret"}
    assert content["text"]["value"] == "add a word"
    assert content["color"] == "#0000ff"


def test_free_text() -> None:
    extra = "/Contents (Typed \\(text\\)) /DA (/Helv 14 Tf 0 0 1 rg) /Q 1 /C [1 1 0.8]"
    content = _extract_one("FreeText", extra)
    _check_common(content, "pspdfkit/text")
    assert content["text"] == {"format": "plain", "value": "Typed (text)"}
    assert content["fontSize"] == 14
    assert content["font"] == "Helvetica"
    assert content["fontColor"] == "#0000ff"
    assert content["horizontalAlign"] == "center"
    assert content["verticalAlign"] == "top"
    assert content["backgroundColor"] == "#ffffcc"


def test_line() -> None:
    extra = "/L [110 690 190 610] /LE [/None /OpenArrow] /C [0 1 0] /IC [1 0 0] "
    extra += "/BS << /W 3 >> /Contents (a line)"
    content = _extract_one("Line", extra)
    _check_common(content, "pspdfkit/shape/line")
    assert content["startPoint"] == [110, 102]
    assert content["endPoint"] == [190, 182]
    assert content["lineCaps"] == {"end": "openArrow"}
    assert content["strokeColor"] == "#00ff00"
    assert content["fillColor"] == "#ff0000"
    assert content["strokeWidth"] == 3
    assert content["note"] == "a line"


@pytest.mark.parametrize(
    ("subtype", "type_"),
    [("Square", "pspdfkit/shape/rectangle"), ("Circle", "pspdfkit/shape/ellipse")],
)
def test_rectangle_and_ellipse(subtype: str, type_: str) -> None:
    extra = "/C [0.2 0.4 0.6] /IC [1] /Border [0 0 2.5] /Contents (box)"
    content = _extract_one(subtype, extra)
    _check_common(content, type_)
    assert content["strokeColor"] == "#336699"
    assert content["fillColor"] == "#ffffff"
    assert content["strokeWidth"] == 2.5
    assert content["note"] == "box"


def test_dashed_cloudy_shape() -> None:
    extra = "/BS << /W 1 /S /D /D [4 2] >> /BE << /S /C /I 2 >>"
    content = _extract_one("Square", extra)
    assert content["strokeDashArray"] == [4, 2]
    assert content["cloudyBorderIntensity"] == 2
    assert "fillColor" not in content


def test_polygon_and_polyline() -> None:
    writer = PdfWriter()
    vertices = "/Vertices [110 690 190 690 150 610]"
    writer.page(
        [
            annot("Polygon", extra=f"{vertices} /C [0 0 0]"),
            annot("PolyLine", extra=f"{vertices} /LE [/Circle /ClosedArrow]"),
        ]
    )
    polygon, polyline = (r.content for r in annotations(extract_base_layer(writer.tobytes())))
    points = [[110, 102], [190, 102], [150, 182]]
    assert polygon["type"] == "pspdfkit/shape/polygon"
    assert polygon["points"] == points
    assert polygon["strokeColor"] == "#000000"
    assert polyline["type"] == "pspdfkit/shape/polyline"
    assert polyline["points"] == points
    assert polyline["lineCaps"] == {"start": "circle", "end": "closedArrow"}


@pytest.mark.parametrize("subtype", ["Highlight", "Underline", "Squiggly", "StrikeOut"])
def test_text_markup(subtype: str) -> None:
    quads = "/QuadPoints [100 700 200 700 100 680 200 680 100 620 150 620 100 600 150 600]"
    content = _extract_one(subtype, f"{quads} /C [1 1 0] /Contents (marked)")
    _check_common(content, f"pspdfkit/markup/{subtype.lower()}")
    assert content["rects"] == [[100, 92, 100, 20], [100, 172, 50, 20]]
    assert content["color"] == "#ffff00"
    assert content["note"] == "marked"


def test_markup_without_quads_uses_its_bbox() -> None:
    assert _extract_one("Underline")["rects"] == [BBOX]


@pytest.mark.parametrize(
    ("pdf_name", "stamp_type", "title"),
    [
        ("/Approved", "Approved", None),
        ("/NotApproved", "NotApproved", None),
        ("/Draft", "Draft", None),
        ("/SBNotApproved", "NotApproved", None),
        ("/SHSignHere", "SignHere", None),
        ("/OurLogo", "Custom", "OurLogo"),
    ],
)
def test_stamp(pdf_name: str, stamp_type: str, title: str | None) -> None:
    content = _extract_one("Stamp", f"/Name {pdf_name} /C [1 0 0] /Contents (ok)")
    _check_common(content, "pspdfkit/stamp")
    assert content["stampType"] == stamp_type
    assert content.get("title") == title
    assert content["color"] == "#ff0000"
    assert content["note"] == "ok"


def test_stamp_without_name_is_a_draft() -> None:
    assert _extract_one("Stamp")["stampType"] == "Draft"


def test_ink() -> None:
    extra = "/InkList [[110 690 150 650 190 610] [120 620 130 630]] /BS << /W 4 >> /C [0 0 1]"
    content = _extract_one("Ink", extra)
    _check_common(content, "pspdfkit/ink")
    assert content["lines"] == {
        "points": [[[110, 102], [150, 142], [190, 182]], [[120, 172], [130, 162]]],
        "intensities": [[0.5, 0.5, 0.5], [0.5, 0.5]],
    }
    assert content["lineWidth"] == 4
    assert content["strokeColor"] == "#0000ff"


def test_redaction() -> None:
    extra = "/QuadPoints [100 700 200 700 100 680 200 680] /IC [0 0 0] /OC [1 0 0] "
    extra += "/OverlayText (REDACTED) /Repeat true"
    content = _extract_one("Redact", extra)
    _check_common(content, "pspdfkit/markup/redaction")
    assert content["rects"] == [[100, 92, 100, 20]]
    assert content["fillColor"] == "#000000"
    assert content["outlineColor"] == "#ff0000"
    assert content["overlayText"] == "REDACTED"
    assert content["repeatOverlayText"] is True


def test_links() -> None:
    writer = PdfWriter()
    # Objects are numbered in order: the four links are 3-6, page 1 is 7, page 2 is 8.
    writer.page(
        [
            annot("Link", extra="/A << /S /URI /URI (https://example.org/a) >> /C [0 0 1]"),
            annot("Link", extra="/Dest [8 0 R /Fit]"),
            annot("Link", extra="/A << /S /GoTo /D [8 0 R /XYZ 0 0 0] >>"),
            annot("Link", extra="/A << /S /Thread /D 1 >>"),
        ]
    )
    writer.page()
    extraction = extract_base_layer(writer.tobytes())
    uri, dest, goto = (r.content for r in annotations(extraction))
    assert uri["type"] == "pspdfkit/link"
    assert uri["action"] == {"type": "uri", "uri": "https://example.org/a"}
    assert uri["borderColor"] == "#0000ff"
    assert close_to(uri["bbox"], BBOX)
    assert dest["action"] == {"type": "goTo", "pageIndex": 1}
    assert goto["action"] == {"type": "goTo", "pageIndex": 1}
    assert extraction.skipped == {"Link": 1}


def test_types_instant_cannot_express_are_counted_not_lost() -> None:
    writer = PdfWriter()
    writer.page(
        [
            annot("Text", extra="/Contents (parent)"),
            annot("Popup", extra="/Parent 3 0 R"),
            annot("FileAttachment", extra="/Contents (file.txt)"),
            annot("3D"),
            annot("Sound"),
            annot("RichMedia"),
        ]
    )
    extraction = extract_base_layer(writer.tobytes())
    assert [r.content["type"] for r in annotations(extraction)] == ["pspdfkit/note"]
    assert extraction.skipped == {
        "Popup": 1,
        "FileAttachment": 1,
        "3D": 1,
        "Sound": 1,
        "RichMedia": 1,
    }


@pytest.mark.parametrize(
    ("flags", "names"),
    [
        (None, ["noPrint"]),
        (4, []),
        (1 | 2 | 4, ["invisible", "hidden"]),
        (8 | 16 | 32, ["noPrint", "noZoom", "noRotate", "noView"]),
        (4 | 64 | 128 | 256 | 512, ["readOnly", "locked", "toggleNoView", "lockedContents"]),
    ],
)
def test_flags(flags: int | None, names: list[str]) -> None:
    writer = PdfWriter()
    writer.page([annot("Square", extra="" if flags is None else f"/F {flags}")])
    content = only_annotation(extract_base_layer(writer.tobytes()))
    assert content.get("flags", []) == names


def test_defaults_when_optional_keys_are_absent() -> None:
    writer = PdfWriter()
    writer.page([annot("Square")])
    content = only_annotation(extract_base_layer(writer.tobytes()))
    assert content["opacity"] == 1.0
    assert content["strokeWidth"] == 1
    for key in ("creatorName", "createdAt", "updatedAt", "name", "note", "strokeColor"):
        assert key not in content
