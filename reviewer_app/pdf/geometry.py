"""Coordinates: PDF user space ↔ Instant JSON space (points, top-left of the visible box, y down).

Instant JSON coordinates are relative to the page's visible box (its CropBox clipped to its
MediaBox) in the *unrotated* page: x grows right from the box's left edge, y grows down from its
top edge. The page's /Rotate is a view property and does not change them. ``to_instant_*`` and
``to_pdf_*`` are exact inverses of each other (up to the rounding of ``DIGITS``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reviewer_app.pdf.objects import PdfDict, Ref, numbers, parse_object, resolve

DIGITS = 4  # Instant values are rounded to 1/10,000 pt
LETTER = (0.0, 0.0, 612.0, 792.0)  # MuPDF's default when a page has no MediaBox
_MAX_DEPTH = 32  # how far up the page tree inherited attributes are looked for


@dataclass(frozen=True)
class PageBox:
    """A page's visible box in PDF user space (left < right, bottom < top) and its /Rotate."""

    left: float
    bottom: float
    right: float
    top: float
    rotation: int = 0

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.top - self.bottom


def to_instant_point(box: PageBox, x: float, y: float) -> list[float]:
    """A point in PDF user space as an Instant ``[x, y]``."""
    return [round(x - box.left, DIGITS), round(box.top - y, DIGITS)]


def to_pdf_point(box: PageBox, x: float, y: float) -> tuple[float, float]:
    """An Instant ``[x, y]`` as a point in PDF user space."""
    return (x + box.left, box.top - y)


def to_instant_rect(box: PageBox, rect: Sequence[float]) -> list[float]:
    """A PDF rectangle ``[x0 y0 x1 y1]`` (any corner order) as an Instant ``[left, top, w, h]``."""
    x0, x1 = sorted((rect[0], rect[2]))
    y0, y1 = sorted((rect[1], rect[3]))
    left, top = to_instant_point(box, x0, y1)
    return [left, top, round(x1 - x0, DIGITS), round(y1 - y0, DIGITS)]


def to_pdf_rect(box: PageBox, bbox: Sequence[float]) -> tuple[float, float, float, float]:
    """An Instant ``[left, top, width, height]`` as a PDF rectangle ``(x0, y0, x1, y1)``."""
    left, top, width, height = bbox
    x0, y1 = to_pdf_point(box, left, top)
    return (x0, y1 - height, x0 + width, y1)


def page_box(doc: Any, page_number: int) -> PageBox:
    """The visible box and rotation of page ``page_number`` of a ``pymupdf.Document``."""
    page = _inherited(doc, doc.page_xref(page_number))
    media = _normalized(numbers(page.get("MediaBox"))) or LETTER
    crop = _normalized(numbers(page.get("CropBox"))) or media
    left, bottom = max(media[0], crop[0]), max(media[1], crop[1])
    right, top = min(media[2], crop[2]), min(media[3], crop[3])
    if right <= left or top <= bottom:
        left, bottom, right, top = media
    rotate = page.get("Rotate")
    rotation = int(rotate) % 360 if isinstance(rotate, int | float) else 0
    return PageBox(left, bottom, right, top, rotation if rotation % 90 == 0 else 0)


def _inherited(doc: Any, xref: int) -> PdfDict:
    """MediaBox, CropBox and Rotate of a page object, looked up through its /Parent chain."""
    found: PdfDict = {}
    for _ in range(_MAX_DEPTH):
        node = parse_object(doc.xref_object(xref, compressed=True))
        if not isinstance(node, dict):
            break
        for key in ("MediaBox", "CropBox", "Rotate"):
            if key not in found and key in node:
                found[key] = resolve(doc, node[key])
        parent = node.get("Parent")
        if len(found) == 3 or not isinstance(parent, Ref):
            break
        xref = parent.num
    return found


def _normalized(rect: list[float] | None) -> tuple[float, float, float, float] | None:
    """A rectangle with its corners ordered, or None when it is missing or malformed."""
    if rect is None or len(rect) != 4:
        return None
    x0, x1 = sorted((rect[0], rect[2]))
    y0, y1 = sorted((rect[1], rect[3]))
    return (x0, y0, x1, y1)
