"""A changed base annotation keeps its PDF appearance (a picture, a signature, an icon of its
own) when it was moved or resized, made more or less opaque, or changed where no appearance
shows; other changes draw it anew from the record (issue 17, finding 4)."""

from __future__ import annotations

from typing import Any

import pymupdf
import pytest

from reviewer_app.instant.records import LayerExport, Record
from reviewer_app.instant.transform import moved
from reviewer_app.pdf import extract_base_layer
from reviewer_app.pdf.export import export_layer_pdf
from tests.pdf.builders import close_to
from tests.pdf.cases import note_icons, stamps, user_unit

PICTURE = [60.0, 152.0, 120.0, 80.0]  # the image stamp of cases.stamps, Instant points


def _base(source: bytes, type_: str, index: int = 0) -> Record:
    found = [r for r in extract_base_layer(source).records if r.content["type"] == type_]
    return found[index]


def _changed(base: Record, **changes: Any) -> LayerExport:
    """A layer that changed ``base`` (the same id: a base record the layer made its own)."""
    record = Record("annotation", base.id, {**base.content, **changes})
    removed = frozenset({int(base.content["pdfObjectId"])})
    return LayerExport(write=(record,), remove_object_ids=removed, shown=(record,))


def _render(data: bytes, bbox: list[float], dpi: int = 72) -> bytes:
    left, top, width, height = bbox
    clip = pymupdf.Rect(left, top, left + width, top + height)
    return bytes(pymupdf.open(stream=data)[0].get_pixmap(dpi=dpi, clip=clip).samples)


def _same_object(data: bytes, base: Record) -> dict[str, Any]:
    """The record of ``data`` read from the PDF object ``base`` came from."""
    xref = base.content["pdfObjectId"]
    return next(
        r.content for r in extract_base_layer(data).records if r.content["pdfObjectId"] == xref
    )


def _cells(data: bytes, bbox: list[float]) -> list[tuple[int, ...]]:
    """The colours at the centres of the 4 x 4 cells of the picture stamp drawn at ``bbox``."""
    pix = pymupdf.open(stream=data)[0].get_pixmap(dpi=72)
    left, top, width, height = bbox
    return [
        tuple(pix.pixel(int(left + (i + 0.5) * width / 4), int(top + (j + 0.5) * height / 4)))
        for j in range(4)
        for i in range(4)
    ]


def _image_stamp(source: bytes) -> Record:
    stamp = _base(source, "pspdfkit/stamp")
    assert stamp.content["bbox"] == PICTURE and stamp.content.get("title") == "Image"
    return stamp


@pytest.mark.parametrize("flatten", [False, True])
def test_a_moved_picture_stamp_keeps_its_picture(flatten: bool) -> None:
    source = stamps()
    stamp = _image_stamp(source)
    there = [400.0, 500.0, 120.0, 80.0]
    data = export_layer_pdf(source, _changed(stamp, bbox=there), flatten=flatten)
    assert _cells(data, there) == _cells(source, PICTURE)
    if not flatten:
        doc = pymupdf.open(stream=data)
        xref = int(stamp.content["pdfObjectId"])
        assert xref in {x for x, _, _ in doc[0].annot_xrefs()}  # the PDF's own object
        assert "/Im0" in doc.xref_object(int(doc.xref_get_key(xref, "AP/N")[1].split()[0]))
        back = {r.id: r.content for r in extract_base_layer(data).records}
        assert close_to(next(c for c in back.values() if c["pdfObjectId"] == xref)["bbox"], there)


def test_a_resized_picture_stamp_stretches_its_picture() -> None:
    source = stamps()
    stamp = _image_stamp(source)
    bigger = [300.0, 500.0, 240.0, 160.0]
    data = export_layer_pdf(source, _changed(stamp, bbox=bigger))
    assert _cells(data, bigger) == _cells(source, PICTURE)


def test_a_fainter_picture_stamp_keeps_its_picture() -> None:
    source = stamps()
    stamp = _image_stamp(source)
    data = export_layer_pdf(source, _changed(stamp, opacity=0.5, note="Paid, see email"))
    page = pymupdf.open(stream=data)[0]
    before = pymupdf.open(stream=source)[0].get_pixmap(dpi=72).pixel(75, 155)  # a red cell
    after = page.get_pixmap(dpi=72).pixel(75, 155)
    assert before[0] > 150 and before[1] < 60
    assert after[0] > 200 and 100 < after[1] < 200  # the same red, half over white paper
    xref = int(stamp.content["pdfObjectId"])
    assert page.parent.xref_get_key(xref, "Contents")[1] == "Paid, see email"


def test_a_stamp_of_another_kind_is_drawn_anew() -> None:
    source = stamps()
    stamp = _image_stamp(source)
    data = export_layer_pdf(source, _changed(stamp, stampType="Approved", title=None))
    doc = pymupdf.open(stream=data)
    assert int(stamp.content["pdfObjectId"]) not in {x for x, _, _ in doc[0].annot_xrefs()}
    assert _render(data, PICTURE) != _render(source, PICTURE)


def test_a_note_with_new_words_keeps_its_own_icon() -> None:
    source = note_icons()
    own = next(
        r for r in extract_base_layer(source).records if r.content["text"]["value"] == "my own icon"
    )
    text = {"format": "plain", "value": "my own icon, and more words"}
    data = export_layer_pdf(source, _changed(own, text=text, creatorName="Dana"))
    bbox = own.content["bbox"]
    assert _render(data, bbox) == _render(source, bbox)
    back = _same_object(data, own)
    assert back["text"] == text and back["creatorName"] == "Dana"


def test_moved_ink_on_a_user_unit_page_keeps_its_points_and_appearance() -> None:
    source = user_unit()
    ink = _base(source, "pspdfkit/ink")
    layer = _changed(ink, **moved(ink.content, 100, 40))
    data = export_layer_pdf(source, layer)
    back = _same_object(data, ink)
    assert close_to(back["bbox"], layer.write[0].content["bbox"])
    points, wanted = back["lines"]["points"][0], layer.write[0].content["lines"]["points"][0]
    assert all(close_to(p, q) for p, q in zip(points, wanted, strict=True))
    assert _render(data, back["bbox"]) == _render(source, ink.content["bbox"])
