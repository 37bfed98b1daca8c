"""Layer PDFs of damaged PDFs: a broken cross-reference table never loses a mark silently, and
an export that lost one fails instead of handing back the bare PDF (issue 17, finding 1)."""

from __future__ import annotations

import pymupdf
import pytest

from reviewer_app.instant.records import LayerExport
from reviewer_app.pdf import export as export_module
from reviewer_app.pdf import extract_base_layer
from reviewer_app.pdf.export import export_layer_pdf
from reviewer_app.pdf.export_check import ExportIncomplete
from tests.pdf.cases import broken_xref
from tests.pdf.layer_records import records_for_page

SQUARE = [100.0, 232.0, 100.0, 60.0]  # the base square of broken_xref, in Instant points


def _layer() -> LayerExport:
    """A layer adding a note, a free text and a line to the page, showing the base square."""
    base = extract_base_layer(broken_xref()).records
    written = records_for_page(0)[:3]
    return LayerExport(write=tuple(written), remove_object_ids=frozenset(), shown=(*base, *written))


def test_a_broken_cross_reference_table_keeps_every_annotation() -> None:
    source = broken_xref()
    assert not pymupdf.open(stream=source).is_repaired  # MuPDF notices only later
    data = export_layer_pdf(source, _layer())
    records = extract_base_layer(data).records
    names = {r.content.get("name") for r in records}
    assert {"rec-0-0", "rec-0-1", "rec-0-2"} <= names
    assert [r.content["bbox"] for r in records if "name" not in r.content] == [SQUARE]


def _blue_pixels(data: bytes, bbox: list[float]) -> int:
    left, top, width, height = bbox
    pix = pymupdf.open(stream=data)[0].get_pixmap(
        dpi=72, clip=pymupdf.Rect(left, top, left + width, top + height)
    )
    samples = pix.samples
    return sum(
        1
        for i in range(0, len(samples), pix.n)
        if samples[i + 2] > 150 and samples[i] < 100 and samples[i + 1] < 100
    )


def test_a_broken_cross_reference_table_flattens_the_layer_not_the_file() -> None:
    data = export_layer_pdf(broken_xref(), _layer(), flatten=True)
    doc = pymupdf.open(stream=data)
    assert list(doc[0].annots()) == []
    assert "Free text here" in doc[0].get_text()
    assert _blue_pixels(data, SQUARE) > 100  # the base square, burned in


@pytest.mark.parametrize("flatten", [False, True])
def test_an_export_that_lost_annotations_fails_loudly(
    monkeypatch: pytest.MonkeyPatch, flatten: bool
) -> None:
    """Without the repair first, saving rebuilds the file and drops the layer: the check of
    the written PDF must say so instead of handing back the bare PDF."""
    monkeypatch.setattr(export_module, "load_every_object", lambda doc: None)
    with pytest.raises(ExportIncomplete, match="lost"):
        export_layer_pdf(broken_xref(), _layer(), flatten=flatten)
