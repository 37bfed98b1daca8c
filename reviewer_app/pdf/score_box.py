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
    """Draw ``lines`` (the first in bold) in a framed box at the top right of page 1, as
    the page is shown (its /Rotate taken into account)."""
    if not lines or doc.page_count == 0:
        return
    page = doc[0]
    shown = page.rect  # as displayed (rotation applied)
    height = PADDING * 2 + LINE * len(lines) + 2
    width = min(BOX_WIDTH, shown.width - 2 * MARGIN)
    box = _mupdf.Rect(shown.x1 - MARGIN - width, MARGIN, shown.x1 - MARGIN, MARGIN + height)
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
