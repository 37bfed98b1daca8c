"""Free text, stamps and pictures with a ``rotation`` in layer PDFs: drawn turned so that they
read upright on a page with the same /Rotate, and read back with the same rotation."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pymupdf
import pytest

from reviewer_app.instant.records import Record
from reviewer_app.pdf import extract_base_layer
from reviewer_app.pdf.export import Skipped, export_layer_pdf
from reviewer_app.pdf.geometry import page_box
from reviewer_app.pdf.write_common import PageSpace
from tests.pdf.layer_records import PAGE_SHAPES, blank_pdf, own_layer

PICTURE_ID = "corner-picture"
SHOWN = {  # what each annotation shows: width, height as it reads, and its fields
    "stamp": ((150.0, 48.0), {"type": "pspdfkit/stamp", "stampType": "Approved"}),
    "words": ((160.0, 48.0), {"type": "pspdfkit/stamp", "stampType": "Custom", "title": "Seen"}),
    "text": (
        (120.0, 40.0),
        {
            "type": "pspdfkit/text",
            "text": {"format": "plain", "value": "Look here"},
            "fontSize": 24,
            "fontColor": "#c00000",
        },
    ),
    "picture": (
        (160.0, 80.0),
        {"type": "pspdfkit/image", "imageAttachmentId": PICTURE_ID, "contentType": "image/png"},
    ),
}
TOPS = {"stamp": 60.0, "words": 140.0, "text": 220.0, "picture": 300.0}
Grid = list[list[float]]


def corner_picture() -> bytes:
    """A 60 × 30 green PNG with a red top-left corner: which way up it is shows."""
    pixels = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 60, 30), False)
    pixels.set_rect(pixels.irect, (0, 160, 0))
    pixels.set_rect(pymupdf.IRect(0, 0, 20, 12), (255, 0, 0))
    return bytes(pixels.tobytes("png"))


def records(page: int, turn: int, size: tuple[float, float]) -> list[Record]:
    """Each kind on ``page`` (``size`` = the page's unrotated visible size), turned ``turn``,
    centred where it would be at the same place on the page as it shows."""
    made = []
    for kind, ((width, height), fields) in SHOWN.items():
        w, h = (height, width) if turn % 180 else (width, height)
        x, y = shown_to_page(40 + width / 2, TOPS[kind] + height / 2, turn, size)
        content = {"v": 2, "pageIndex": page, "bbox": [x - w / 2, y - h / 2, w, h], **fields}
        if turn:
            content["rotation"] = turn
        made.append(Record("annotation", f"{kind}-{page}", content))
    return made


def shown_to_page(x: float, y: float, turn: int, size: tuple[float, float]) -> tuple[float, float]:
    """A point of the page as it shows (turned ``turn`` clockwise) in the unrotated page."""
    width, height = size
    return {0: (x, y), 90: (y, height - x), 180: (width - x, height - y), 270: (width - y, x)}[turn]


def grid(page: Any, bbox: list[float], red: bool, cols: int = 24, rows: int = 8) -> Grid:
    """How much of each cell of ``bbox`` (as ``page`` shows it, at 2×) is red or dark ink."""
    rect = PageSpace(page_box(page.parent, page.number)).rect(bbox) * page.rotation_matrix
    clip = (rect * pymupdf.Matrix(2, 2)).irect
    clip = pymupdf.IRect(clip.x0 + 2, clip.y0 + 2, clip.x1 - 2, clip.y1 - 2)
    pixels = page.get_pixmap(matrix=pymupdf.Matrix(2, 2))
    counts = [[0.0] * cols for _ in range(rows)]
    samples, stride, n = pixels.samples, pixels.stride, pixels.n
    for y in range(clip.height):
        for x in range(clip.width):
            at = (clip.y0 + y) * stride + (clip.x0 + x) * n
            r, g, b = samples[at], samples[at + 1], samples[at + 2]
            if (r > 150 and g < 120 and b < 120) if red else max(r, g, b) < 110:
                counts[y * rows // clip.height][x * cols // clip.width] += 1
    cell = clip.width * clip.height / (cols * rows)
    assert clip.width > clip.height  # wider than tall as the page shows: not sideways
    return [[v / cell for v in row] for row in counts]


def difference(a: Grid, b: Grid) -> float:
    cells = [abs(p - q) for ra, rb in zip(a, b, strict=True) for p, q in zip(ra, rb, strict=True)]
    return sum(cells) / len(cells)


@pytest.fixture(scope="module")
def written() -> tuple[Any, list[Record]]:
    """Every kind on every page shape, turned as its page is (page 0 is the upright one)."""
    source = blank_pdf(text=False)
    doc = pymupdf.open(stream=source)
    made: list[Record] = []
    for index, (_, turn, _) in enumerate(PAGE_SHAPES):
        box = page_box(doc, index)
        made += records(index, turn, (box.width, box.height))
    layer = replace(own_layer(made), attachments={PICTURE_ID: corner_picture()})
    skipped: list[Skipped] = []
    data = export_layer_pdf(source, layer, skipped=skipped)
    assert skipped == []
    return pymupdf.open(stream=data), made


@pytest.mark.parametrize("index", range(1, len(PAGE_SHAPES)))
@pytest.mark.parametrize(("kind", "red"), [("stamp", True), ("words", True), ("text", True)])
def test_turned_with_its_page_it_reads_as_on_the_upright_page(
    written: tuple[Any, list[Record]], index: int, kind: str, red: bool
) -> None:
    doc, made = written
    bbox = {r.id: r.content["bbox"] for r in made}
    seen = grid(doc[index], bbox[f"{kind}-{index}"], red)
    upright = grid(doc[0], bbox[f"{kind}-0"], red)
    upside_down = [row[::-1] for row in upright[::-1]]
    assert sum(map(sum, upright)) > 5
    assert difference(seen, upright) < 0.06
    assert difference(seen, upright) < difference(seen, upside_down) / 2


@pytest.mark.parametrize("index", range(len(PAGE_SHAPES)))
def test_a_picture_stands_upright_and_every_rotation_reads_back(
    written: tuple[Any, list[Record]], index: int
) -> None:
    doc, made = written
    page = doc[index]
    mine = {r.id: r.content for r in made if r.content["pageIndex"] == index}
    rect = PageSpace(page_box(doc, index)).rect(mine[f"picture-{index}"]["bbox"])
    shown = rect * page.rotation_matrix
    pixels = page.get_pixmap()
    assert shown.width > shown.height * 1.8
    top_left = pixels.pixel(int(shown.x0 + shown.width / 10), int(shown.y0 + shown.height / 10))
    bottom_right = pixels.pixel(int(shown.x1 - shown.width / 10), int(shown.y1 - shown.height / 10))
    assert top_left == (255, 0, 0) and bottom_right == (0, 160, 0)
    back = {r.content["name"]: r.content for r in extract_base_layer(doc.tobytes()).records}
    for record_id, content in mine.items():
        again = back[record_id]
        assert again.get("rotation") == content.get("rotation"), record_id
        assert again["bbox"] == pytest.approx(content["bbox"], abs=0.01), record_id
