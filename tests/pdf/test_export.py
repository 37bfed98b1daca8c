"""Layer PDFs: round trips per type, fidelity of untouched objects, flattening, forms."""

from __future__ import annotations

import hashlib
from typing import Any

import pymupdf
import pytest

from reviewer_app.instant.records import LayerExport, Record
from reviewer_app.pdf import extract_base_layer
from reviewer_app.pdf.export import Skipped, export_layer_pdf
from tests.conftest import corpus_file
from tests.pdf.builders import PdfWriter, annot
from tests.pdf.layer_records import EMPTY, PAGE_SHAPES, blank_pdf, own_layer, records_for_page

# Fields the extractor does not read back (none: blend modes and link borders are read too).
NOT_EXTRACTED: set[str] = set()


def close(expected: Any, actual: Any, tolerance: float = 0.5) -> bool:
    """Whether ``actual`` holds ``expected`` (numbers within ``tolerance``, dict keys subset)."""
    if isinstance(expected, bool) or isinstance(actual, bool):
        return expected == actual
    if isinstance(expected, int | float) and isinstance(actual, int | float):
        return abs(expected - actual) <= tolerance
    if isinstance(expected, list) and isinstance(actual, list):
        return len(expected) == len(actual) and all(map(close, expected, actual))
    if isinstance(expected, dict) and isinstance(actual, dict):
        return all(k in actual and close(v, actual[k]) for k, v in expected.items())
    return bool(expected == actual)


def by_name(data: bytes) -> dict[str, dict[str, Any]]:
    """Re-extracted annotations by /NM (which the export sets to the record id)."""
    records = extract_base_layer(data).records
    return {r.content["name"]: r.content for r in records if "name" in r.content}


@pytest.mark.parametrize("page", range(len(PAGE_SHAPES)))
def test_every_type_round_trips(page: int) -> None:
    records = records_for_page(page)
    skipped: list[Skipped] = []
    data = export_layer_pdf(blank_pdf(), own_layer(records), skipped=skipped)
    assert skipped == []
    found = by_name(data)
    for record in records:
        got = found[record.id]
        for key, value in record.content.items():
            if key not in NOT_EXTRACTED:
                assert close(value, got.get(key)), (record.content["type"], key, value, got)


def _base_pdf() -> tuple[bytes, dict[str, int]]:
    """A PDF with a note (with popup), a square without /AP, a file attachment and a stamp."""
    w = PdfWriter()
    ap = w.add(
        "<< /Type /XObject /Subtype /Form /BBox [0 0 10 10] /Length 8 >>"
        "\nstream\n0 0 m S\nendstream"
    )
    note = w.reserve()
    popup = w.add(f"<< /Type /Annot /Subtype /Popup /Rect [300 600 400 700] /Parent {note} 0 R >>")
    w.put(note, annot("Text", extra=f"/Contents (base note) /T (Bob) /Popup {popup} 0 R /F 4"))
    square = w.add(annot("Square", "[50 50 150 150]", "/C [1 0 0] /F 4 /T (Bob)"))
    attachment = w.add(annot("FileAttachment", "[400 50 420 70]", f"/AP << /N {ap} 0 R >> /F 4"))
    stamp = w.add(annot("Stamp", "[200 300 300 350]", f"/Name /Draft /AP << /N {ap} 0 R >> /F 4"))
    w.page(refs=[note, popup, square, attachment, stamp])
    return w.tobytes(), {
        "note": note,
        "popup": popup,
        "square": square,
        "attachment": attachment,
        "stamp": stamp,
    }


def test_untouched_objects_survive_byte_for_byte_and_removed_ones_go() -> None:
    source, xrefs = _base_pdf()
    base = {r.content["pdfObjectId"]: r for r in extract_base_layer(source).records}
    changed = Record(
        "annotation", "changed", base[xrefs["square"]].content | {"strokeColor": "#00ff00"}
    )
    layer = LayerExport(
        write=(changed,),
        remove_object_ids=frozenset({xrefs["square"], xrefs["note"]}),
        shown=(changed,),
    )
    digest = hashlib.sha256(source).hexdigest()
    data = export_layer_pdf(source, layer)
    assert hashlib.sha256(source).hexdigest() == digest  # the asset is never modified
    before, after = pymupdf.open(stream=source), pymupdf.open(stream=data)
    for kept in ("attachment", "stamp"):
        x = xrefs[kept]
        assert after.xref_object(x, compressed=True) == before.xref_object(x, compressed=True)
    assert after.xref_stream_raw(4) == before.xref_stream_raw(4)  # the shared /AP stream
    listed = {x for x, _, _ in after[0].annot_xrefs()}
    assert xrefs["note"] not in listed and xrefs["popup"] not in listed
    assert xrefs["square"] not in listed
    extraction = extract_base_layer(data)
    types = sorted(r.content["type"] for r in extraction.records)
    assert types == ["pspdfkit/shape/rectangle", "pspdfkit/stamp"]
    assert extraction.skipped == {"FileAttachment": 1}
    (square,) = [r.content for r in extraction.records if r.content.get("name") == "changed"]
    assert square["strokeColor"] == "#00ff00" and square["creatorName"] == "Bob"


def test_unknown_types_are_reported_not_fatal() -> None:
    records = [
        Record(
            "annotation",
            "x1",
            {"v": 2, "type": "acme/sparkle", "pageIndex": 0, "bbox": [1, 1, 5, 5]},
        ),
        Record(
            "annotation",
            "x2",
            {"v": 2, "type": "pspdfkit/note", "pageIndex": 99, "bbox": [1, 1, 5, 5]},
        ),
        Record("bookmark", "b1", {"v": 1, "type": "pspdfkit/bookmark", "action": {}}),
        Record(
            "formFieldValue",
            "nope",
            {"v": 1, "type": "pspdfkit/form-field-value", "name": "nope", "value": "x"},
        ),
        *records_for_page(0)[:1],
    ]
    skipped: list[Skipped] = []
    data = export_layer_pdf(blank_pdf(), own_layer(records), skipped=skipped)
    assert sorted(s.record_id for s in skipped) == ["b1", "nope", "x1", "x2"]
    assert "acme/sparkle" in next(s.reason for s in skipped if s.record_id == "x1")
    assert set(by_name(data)) == {"rec-0-0"}


def test_flattened_has_no_annotations_or_fields() -> None:
    source = corpus_file("FormTestFromOo.pdf").read_bytes()
    layer = own_layer([*records_for_page(0), _value("Text1", "Jane")])
    data = export_layer_pdf(source, layer, flatten=True)
    doc = pymupdf.open(stream=data)
    assert all(
        doc.xref_get_key(doc.page_xref(i), "Annots")[0] == "null" for i in range(doc.page_count)
    )
    assert doc.xref_get_key(doc.pdf_catalog(), "AcroForm")[0] == "null"
    assert not doc.is_form_pdf and list(doc[0].annots()) == []
    assert "Jane" in doc[0].get_text() and "Free text here" in doc[0].get_text()
    empty = pymupdf.open(stream=export_layer_pdf(source, EMPTY, flatten=True))
    for record in records_for_page(0):
        if record.content["type"] == "pspdfkit/link":
            continue  # MuPDF does not bake links (and a flattened PDF keeps none)
        assert _pixels(doc, record.content["bbox"]) != _pixels(empty, record.content["bbox"]), (
            record.id
        )


def _pixels(doc: Any, bbox: list[float]) -> bytes:
    left, top, width, height = bbox
    clip = pymupdf.Rect(left, top, left + width, top + height)
    return bytes(doc[0].get_pixmap(clip=clip, dpi=72).samples)


def _value(name: str, value: Any) -> Record:
    return Record(
        "formFieldValue",
        name,
        {"v": 1, "type": "pspdfkit/form-field-value", "name": name, "value": value},
    )


def test_form_values_are_written_into_the_widgets() -> None:
    source = corpus_file("FormTestFromOo.pdf").read_bytes()
    values = {
        "CheckBox1": "Yes",
        "Text1": "Jane",
        "RadioGroup1": "2",
        "Combo1": "combo Line 2",
        "Liste2": ["Lst2", "Lst4"],
        "DropList2": "DList3",
    }
    data = export_layer_pdf(source, own_layer([_value(k, v) for k, v in values.items()]))
    got = {
        r.id: r.content["value"]
        for r in extract_base_layer(data).records
        if r.kind == "formFieldValue"
    }
    assert {k: got[k] for k in values} == values


def test_encrypted_sources_stay_encrypted() -> None:
    source = corpus_file("encrypted-file.pdf").read_bytes()
    data = export_layer_pdf(source, own_layer(records_for_page(0)[:2]), password="test")
    assert pymupdf.open(stream=data).needs_pass
    assert {"rec-0-0", "rec-0-1"} <= set(
        r.content.get("name") for r in extract_base_layer(data, password="test").records
    )
