"""A returned paper's score box: drawn on the first page as it is shown (upright on a turned
page), in editable and flattened PDFs, readable as text by another PDF library."""

from __future__ import annotations

import io
from pathlib import Path

import pymupdf
import pypdf
import pytest

from reviewer_app.instant.records import Record
from reviewer_app.pdf.export import export_layer_pdf
from reviewer_app.pdf.export_folder import export_layers
from reviewer_app.pdf.score_box import plain
from tests.pdf.layer_records import EMPTY, blank_pdf, own_layer

LINES = ["Worksheet: amy", "Question 1: 4 / 5", "Question 2: - / 3", "Total: 4 / 8  Grade: C"]


def first_page_text(data: bytes) -> str:
    return pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text()


@pytest.mark.parametrize("flatten", [False, True])
def test_the_score_box_is_text_on_the_first_page_only(flatten: bool) -> None:
    source = blank_pdf([("[0 0 612 792]", 0, ""), ("[0 0 612 792]", 0, "")])
    data = export_layer_pdf(source, EMPTY, score_box=LINES, flatten=flatten)
    text = first_page_text(data)
    for line in LINES:
        assert line in text
    assert "Total" not in pypdf.PdfReader(io.BytesIO(data)).pages[1].extract_text()
    assert "Total" not in first_page_text(export_layer_pdf(source, EMPTY))


@pytest.mark.parametrize("rotate", [0, 90, 270])
def test_the_box_sits_at_the_top_right_of_the_page_as_shown_and_reads_upright(
    rotate: int,
) -> None:
    source = blank_pdf([("[0 0 612 792]", rotate, "")])
    doc = pymupdf.open(stream=export_layer_pdf(source, EMPTY, score_box=LINES), filetype="pdf")
    page = doc[0]
    (hit,) = page.search_for("Total: 4 / 8")
    shown = hit * page.rotation_matrix  # where it is on the page as displayed
    assert shown.x0 > page.rect.width / 2 and shown.y1 < page.rect.height / 3
    words = page.get_text("dict")["blocks"]
    lines = [ln for b in words for ln in b.get("lines", []) if "Total" in "".join(
        s["text"] for s in ln["spans"])]  # fmt: skip
    direction = pymupdf.Point(lines[0]["dir"])
    on_screen = direction * page.rotation_matrix - pymupdf.Point(0, 0) * page.rotation_matrix
    assert (round(on_screen.x), round(on_screen.y)) == (1, 0)  # reads level, left to right


def test_characters_helvetica_lacks_become_plain_ones() -> None:
    assert plain("−1 — café") == "-1 — café"


def test_a_folder_export_gives_each_layer_its_own_box(tmp_path: Path) -> None:
    source = blank_pdf([("[0 0 612 792]", 0, "")])
    boxes = {"amy": ["amy: 4 / 8"], "ben": ["ben: 7 / 8"]}
    files = export_layers(source, {"amy": EMPTY, "ben": EMPTY}, tmp_path, score_boxes=boxes)
    texts = {p.stem: first_page_text(p.read_bytes()) for p in files}
    assert "amy: 4 / 8" in texts["amy"] and "ben: 7 / 8" in texts["ben"]
    assert "ben" not in texts["amy"]


def box_of(data: bytes) -> pymupdf.Rect:
    """Where the score box is on page 1 as shown: its frame, the rectangle drawn in red."""
    page = pymupdf.open(stream=data, filetype="pdf")[0]
    (frame,) = [d["rect"] for d in page.get_drawings() if d.get("color") == pytest.approx(RED)]
    return frame * page.rotation_matrix


RED = (0.78, 0.06, 0.18)


def mark_at(bbox: list[float]) -> Record:
    """A teacher's points mark (a red free text) at ``bbox`` of page 1."""
    return Record("annotation", "mark", {
        "v": 2, "type": "pspdfkit/text", "pageIndex": 0, "bbox": bbox, "fontSize": 12,
        "fontColor": "#c8102e", "text": {"format": "plain", "value": "+1"},
    })  # fmt: skip


def test_the_box_covers_no_mark_at_the_top_right_and_stays_at_the_top() -> None:
    source = blank_pdf([("[0 0 612 792]", 0, "")])
    usual = box_of(export_layer_pdf(source, EMPTY, score_box=LINES))
    mark = pymupdf.Rect(551, 36, 577, 55)  # where a mark of a question with no page goes
    assert usual.intersects(mark)  # (where the box went before)
    layer = own_layer([mark_at([551, 36, 26, 19])])
    box = box_of(export_layer_pdf(source, layer, score_box=LINES))
    assert not box.intersects(mark)
    assert box.y0 == usual.y0 and box.x1 < mark.x0  # as high, beside it


@pytest.mark.parametrize("rotate", [0, 90])
def test_the_box_covers_none_of_the_pages_own_text_and_drawings(rotate: int) -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    page.draw_rect(page.rect, fill=(1, 1, 0.9))  # a background: may be covered
    page.insert_text((330, 40), "Name: ______________  Class: ____", fontsize=12)
    page.draw_rect(pymupdf.Rect(330, 60, 590, 120), color=(0, 0, 0))  # an answer box
    page.set_rotation(rotate)
    taken = [pymupdf.Rect(330, 28, 590, 44), pymupdf.Rect(330, 60, 590, 120)]
    shown = [r * page.rotation_matrix for r in taken]
    data = export_layer_pdf(doc.tobytes(), EMPTY, score_box=LINES)
    box = box_of(data)
    assert not any(box.intersects(r) for r in shown)
    assert box.y1 < page.rect.height / 3  # still near the top
    assert "Total: 4 / 8" in first_page_text(data)


def test_a_long_title_widens_the_box_to_hold_it() -> None:
    source = blank_pdf([("[0 0 612 792]", 0, "")])
    title = "A rather long worksheet title about the water cycle: Maximilian Oberhuber-Smith"
    data = export_layer_pdf(source, EMPTY, score_box=[title, *LINES[1:]])
    (hit,) = pymupdf.open(stream=data, filetype="pdf")[0].search_for("Oberhuber-Smith")
    box = box_of(data)
    assert box.width > 200 and box.contains(hit)
