"""Base-layer extraction as a whole: stable ids, metadata, PDFs written by PyMuPDF, speed."""

from __future__ import annotations

import hashlib

import pymupdf

from reviewer_app.instant.ids import derived_id
from reviewer_app.pdf import extract_base_layer
from tests.pdf.builders import PdfWriter, annot, annotations, close_to


def _two_notes(text: str = "first") -> bytes:
    writer = PdfWriter()
    writer.page([annot("Text", extra=f"/Contents ({text})"), annot("Square")])
    writer.set_info("<< /Title (Worksheet 3) /Author (Ms Smith) >>")
    return writer.tobytes()


def test_ids_are_stable_and_derived_from_the_document_and_object() -> None:
    data = _two_notes()
    first = extract_base_layer(data)
    again = extract_base_layer(data)
    copied = extract_base_layer(bytes(bytearray(data)), name="copy.pdf")
    ids = [r.id for r in first.records]
    assert ids == [r.id for r in again.records] == [r.id for r in copied.records]
    assert len(set(ids)) == len(ids) == 2
    assert first.sha256 == hashlib.sha256(data).hexdigest()
    for record in first.records:
        assert record.id == derived_id(first.sha256, "annotation", record.content["pdfObjectId"])
        assert (record.created_by, record.updated_by, record.group) == (None, None, None)
    other = extract_base_layer(_two_notes("second"))
    assert not set(ids) & {r.id for r in other.records}


def test_metadata_and_pages() -> None:
    extraction = extract_base_layer(_two_notes())
    assert extraction.title == "Worksheet 3"
    assert extraction.page_count == 1
    assert extraction.pages == [(612.0, 792.0, 0)]
    assert extraction.skipped == {}


def test_annotations_written_by_pymupdf() -> None:
    """Real annotations (with appearance streams) as PyMuPDF writes them, read back."""
    doc = pymupdf.open()
    page = doc.new_page()
    page.set_rotation(90)
    made = [
        page.add_text_annot((100, 100), "a note", icon="Help"),
        page.add_freetext_annot(pymupdf.Rect(100, 150, 300, 200), "free", fontsize=11),
        page.add_line_annot((100, 250), (300, 260)),
        page.add_rect_annot(pymupdf.Rect(100, 300, 200, 350)),
        page.add_circle_annot(pymupdf.Rect(250, 300, 350, 350)),
        page.add_polygon_annot([(100, 400), (150, 450), (200, 400)]),
        page.add_polyline_annot([(250, 400), (300, 450), (350, 400)]),
        page.add_ink_annot([[(100, 500), (150, 520), (200, 500)]]),
        page.add_highlight_annot(pymupdf.Rect(100, 550, 200, 560)),
        page.add_stamp_annot(pymupdf.Rect(300, 550, 450, 600), stamp=0),
        page.add_caret_annot((400, 100)),
        page.add_redact_annot(pymupdf.Rect(400, 150, 500, 170)),
    ]
    for annotation in made:
        annotation.set_info(title="Bob", content="said so")
        if annotation.type[1] != "FreeText":  # its colours live in /DA
            annotation.set_colors(stroke=(0, 0.5, 1))
        annotation.update()
    data = doc.tobytes()
    reread = pymupdf.open(stream=data, filetype="pdf")
    extraction = extract_base_layer(data)
    assert extraction.pages == [(595.0, 842.0, 90)]
    records = {r.content["pdfObjectId"]: r.content for r in annotations(extraction)}
    assert len(records) == len(made)
    for pdf_annot in reread[0].annots():
        content = records[pdf_annot.xref]
        raw = [float(v) for v in reread.xref_get_key(pdf_annot.xref, "Rect")[1][1:-1].split()]
        top = reread[0].mediabox.y1  # PyMuPDF's default page is A4: [0 0 595 842]
        assert close_to(content["bbox"], [raw[0], top - raw[3], raw[2] - raw[0], raw[3] - raw[1]])
        assert content["creatorName"] == "Bob"
        assert "said so" in (content.get("note") or content["text"]["value"])
        if content["type"] != "pspdfkit/text":
            assert "#0080ff" in (content.get("color"), content.get("strokeColor")), content
    types = sorted(c["type"] for c in records.values())
    assert types == sorted(
        [
            "pspdfkit/note",
            "pspdfkit/text",
            "pspdfkit/shape/line",
            "pspdfkit/shape/rectangle",
            "pspdfkit/shape/ellipse",
            "pspdfkit/shape/polygon",
            "pspdfkit/shape/polyline",
            "pspdfkit/ink",
            "pspdfkit/markup/highlight",
            "pspdfkit/stamp",
            "pspdfkit/note",
            "pspdfkit/markup/redaction",
        ]
    )


def test_ten_thousand_annotations_are_all_extracted() -> None:
    writer = PdfWriter()
    for page in range(100):
        writer.page(
            [
                annot(
                    ("Square", "Ink", "Highlight", "Text")[i % 4],
                    f"[{i} {page} {i + 50} {page + 60}]",
                    "/T (Alice) /Contents (hello) /C [1 0 0] /M (D:20240101100000Z) "
                    "/InkList [[10 10 20 20 30 30]] /QuadPoints [0 10 10 10 0 0 10 0]",
                )
                for i in range(100)
            ]
        )
    data = writer.tobytes()
    extraction = extract_base_layer(data)  # how long it takes: bench/engine.py extract_ms
    assert len(extraction.records) == 10_000


def test_an_annotation_shared_by_two_pages_is_one_record() -> None:
    writer = PdfWriter()
    shared = writer.add(annot("Square"))
    writer.page(refs=[shared])
    writer.page(refs=[shared])
    extraction = extract_base_layer(writer.tobytes())
    assert [r.content["pageIndex"] for r in extraction.records] == [0]
