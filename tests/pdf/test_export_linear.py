"""Layer PDF export does work in proportion to the annotations, not to their square: counted,
not timed (bench/export.py prints the times)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pymupdf
import pytest

from reviewer_app.instant.records import Record
from reviewer_app.pdf import extract_base_layer
from reviewer_app.pdf.export import export_layer_pdf
from tests.pdf.builders import PdfWriter, annot
from tests.pdf.layer_records import blank_pdf, own_layer

_low: Any = pymupdf.mupdf


def notes(count: int, page: int = 0) -> list[Record]:
    """``count`` sticky notes on one page."""
    return [
        Record(
            "annotation",
            f"note-{page}-{index}",
            {
                "v": 2,
                "type": "pspdfkit/note",
                "pageIndex": page,
                "bbox": [20 + index % 20 * 25, 40 + index // 20 % 25 * 25, 24, 24],
                "text": {"format": "plain", "value": f"note {index}"},
                "icon": "comment",
                "opacity": 1,
                "createdAt": "2024-05-01T10:00:00Z",
            },
        )
        for index in range(count)
    ]


def work_for(monkeypatch: pytest.MonkeyPatch, count: int) -> Counter[str]:
    """What exporting ``count`` notes on one page walks: the annotations MuPDF holds on the
    page at each annotation update (it goes through all of them) and the /Annots entries
    PyMuPDF reads for each annotation it adds (looking for a free /NM)."""
    work: Counter[str] = Counter()
    update, id_list = _low.pdf_update_annot, pymupdf.JM_get_annot_id_list

    def counted_update(annotation: Any) -> Any:
        held = _low.pdf_first_annot(_low.pdf_annot_page(annotation))
        while held.m_internal:
            work["annotations visited by updates"] += 1
            held = _low.pdf_next_annot(held)
        return update(annotation)

    def counted_ids(page: Any) -> Any:
        names = id_list(page)
        work["/Annots entries read"] += len(names)
        return names

    with monkeypatch.context() as patch:
        patch.setattr(_low, "pdf_update_annot", counted_update)
        patch.setattr(pymupdf, "JM_get_annot_id_list", counted_ids)
        export_layer_pdf(blank_pdf(), own_layer(notes(count)))
    return work


def test_the_work_grows_with_the_annotations_not_their_square(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    small, large = work_for(monkeypatch, 60), work_for(monkeypatch, 240)
    assert small["annotations visited by updates"] > 0
    assert small["/Annots entries read"] > 0
    for kind in small:
        # four times the notes: four times the work (sixteen times when it was quadratic)
        assert large[kind] / small[kind] < 5, (kind, small[kind], large[kind])


def test_many_notes_land_in_order_after_the_page_s_own() -> None:
    writer = PdfWriter()
    writer.page([annot("Square", extra="/NM (base-square)")])
    data = export_layer_pdf(writer.tobytes(), own_layer(notes(100)))
    names = [a.info["id"] for a in pymupdf.open(stream=data)[0].annots()]
    assert names == ["base-square"] + [f"note-0-{index}" for index in range(100)]
    records = extract_base_layer(data).records
    assert len(records) == 101


def test_an_annots_array_in_its_own_object_is_kept_whole() -> None:
    writer = PdfWriter()
    base = writer.add(annot("Square", extra="/NM (base-square)"))
    holder = writer.add(f"[{base} 0 R]")
    page = writer.add(
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Annots {holder} 0 R >>"
    )
    writer.page_numbers.append(page)
    data = export_layer_pdf(writer.tobytes(), own_layer(notes(70)))
    names = [a.info["id"] for a in pymupdf.open(stream=data)[0].annots()]
    assert names == ["base-square"] + [f"note-0-{index}" for index in range(70)]
