"""A score box on a returned paper's first page: the student's points per question, the
total and the grade, drawn into the page (so every reader, and a flattened copy, shows it)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pymupdf

_mupdf: Any = pymupdf  # PyMuPDF is only partly typed: used through Any here

BOX_WIDTH = 200.0
MARGIN = 18.0
FONT_SIZE = 9.0
LINE = FONT_SIZE * 1.3
PADDING = 6.0
BORDER = (0.78, 0.06, 0.18)  # the marks' red
FILL = (1.0, 0.97, 0.97)


def plain(text: str) -> str:
    """The text in the characters the PDF's standard Helvetica has (WinAnsi)."""
    swapped = text.replace("−", "-").replace("–", "-").replace("…", "...")
    return swapped.encode("cp1252", "replace").decode("cp1252")


def draw_score_box(doc: Any, lines: Sequence[str]) -> None:
    """Draw ``lines`` (the first in bold) in a framed box near the top right of page 1, as
    the page is shown (its /Rotate taken into account), where it covers nothing
    (:func:`free_place`): not the teacher's marks, not the page's own text or drawings."""
    if not lines or doc.page_count == 0:
        return
    page = doc[0]
    shown = page.rect  # as displayed (rotation applied)
    height = PADDING * 2 + LINE * len(lines) + 2
    widest = max(
        _mupdf.get_text_length(plain(line), fontname="hebo" if i == 0 else "helv", fontsize=9)
        for i, line in enumerate(lines)
    )
    width = min(max(BOX_WIDTH, widest + 2 * PADDING + 2), shown.width - 2 * MARGIN)
    box = free_place(page, width, height)
    unrotated = box * page.derotation_matrix
    page.draw_rect(unrotated, color=BORDER, fill=FILL, width=1.2, overlay=True)
    y = box.y0 + PADDING + FONT_SIZE
    for index, line in enumerate(lines):
        point = _mupdf.Point(box.x0 + PADDING, y) * page.derotation_matrix
        page.insert_text(
            point,
            plain(line),
            fontsize=FONT_SIZE,
            fontname="hebo" if index == 0 else "helv",
            color=(0.1, 0.1, 0.1),
            rotate=page.rotation,
            overlay=True,
        )
        y += LINE


STEP = 6.0  # points between the places tried


def free_place(page: Any, width: float, height: float) -> Any:
    """Where on ``page`` (as shown) a ``width`` × ``height`` box covers nothing: the highest
    free place, the rightmost of that height, MARGIN in from the edges; the top right corner
    when there is none. What it must not cover: the page's annotations and form fields (the
    teacher's marks are written by now) and whatever its content paints (text, also the
    invisible text of a scan, pictures, lines), but a background as large as half the page."""
    shown = page.rect
    taken = [rect * page.rotation_matrix for rect in _painted(page)]
    right, bottom = shown.x1 - MARGIN - width, shown.y1 - MARGIN - height
    y = MARGIN
    while y <= bottom:
        across = [t for t in taken if t.y0 < y + height and t.y1 > y]  # (this row's)
        x = right
        while x >= MARGIN:
            hit = [t for t in across if t.x0 < x + width and t.x1 > x]
            if not hit:
                return _mupdf.Rect(x, y, x + width, y + height)
            x = min(t.x0 for t in hit) - width - 1  # left of what is in the way
        y += STEP
    return _mupdf.Rect(right, MARGIN, right + width, MARGIN + height)


def _painted(page: Any) -> list[Any]:
    """What is on ``page`` (unrotated rectangles): its annotations, its form fields, and the
    boxes of what its content paints, but backgrounds."""
    half = abs(page.mediabox) / 2
    found = [_mupdf.Rect(box) for _, box in page.get_bboxlog()]
    found = [r for r in found if not r.is_empty and abs(r) < half]
    found += [annot.rect for annot in page.annots()]
    found += [widget.rect for widget in page.widgets()]
    return found
