"""A returned paper's score box: drawn on the first page as it is shown (upright on a turned
page), in editable and flattened PDFs, readable as text by another PDF library."""

from __future__ import annotations

import io
from pathlib import Path

import pymupdf
import pypdf
import pytest

from reviewer_app.pdf.export import export_layer_pdf
from reviewer_app.pdf.export_folder import export_layers
from reviewer_app.pdf.score_box import plain
from tests.pdf.layer_records import EMPTY, blank_pdf

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
