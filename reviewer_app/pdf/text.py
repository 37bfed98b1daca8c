"""Page text for text markup and search: words with their boxes, and the text under a rect."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pymupdf

from reviewer_app.pdf.geometry import PageBox, page_box, to_instant_point, to_instant_rect
from reviewer_app.pdf.write_common import PageSpace

_mupdf: Any = pymupdf


@dataclass(frozen=True)
class Word:
    """One word of a page: its text, its Instant bbox ``[left, top, width, height]`` and its
    quad (upper-left, upper-right, lower-left, lower-right corners as Instant points, which
    follow the text's direction), and where it sits (block, line, word number)."""

    text: str
    bbox: tuple[float, float, float, float]
    quad: tuple[tuple[float, float], ...]
    block: int
    line: int
    number: int


def words(doc: Any, page_index: int) -> list[Word]:
    """The words of a page in reading order, in Instant coordinates (right on rotated pages)."""
    page = doc[page_index]
    box = page_box(doc, page_index)
    to_pdf = _to_pdf_matrix(box)
    found = []
    for x0, y0, x1, y1, text, block, line, number in page.get_text("words", sort=False):
        rect = _mupdf.Rect(x0, y0, x1, y1) * to_pdf  # PyMuPDF words: unrotated page space
        bbox = to_instant_rect(box, [rect.x0, rect.y0, rect.x1, rect.y1])
        quad = _mupdf.Rect(x0, y0, x1, y1).quad * to_pdf
        corners = tuple(
            tuple(to_instant_point(box, p.x, p.y)) for p in (quad.ul, quad.ur, quad.ll, quad.lr)
        )
        found.append(Word(text, tuple(bbox), corners, block, line, number))  # type: ignore[arg-type]
    return found


def instant_rect(box: PageBox, rect: tuple[float, ...]) -> list[float]:
    """A rect of PyMuPDF's unrotated page space (x0, y0, x1, y1) as an Instant bbox."""
    moved = _mupdf.Rect(*rect[:4]) * _to_pdf_matrix(box)
    return to_instant_rect(box, [moved.x0, moved.y0, moved.x1, moved.y1])


def text_in_rect(doc: Any, page_index: int, bbox: list[float] | tuple[float, ...]) -> str:
    """The text whose characters lie (mostly) inside the Instant rect ``bbox``, lines joined
    by newlines."""
    clip = PageSpace(page_box(doc, page_index)).rect(list(bbox))
    text: str = doc[page_index].get_textbox(clip)
    return text.strip()


def _to_pdf_matrix(box: PageBox) -> Any:
    """PyMuPDF's unrotated page space (origin at the visible box's top-left, y down, in points:
    /UserUnit applied) → PDF user space."""
    return _mupdf.Matrix(1 / box.unit, 0, 0, -1 / box.unit, box.left, box.top)
