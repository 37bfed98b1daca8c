"""Coordinates: PDF user space ↔ Instant JSON space (points, top-left of the visible box, y down).

Instant JSON coordinates are relative to the page's visible box (its CropBox clipped to its
MediaBox) in the *unrotated* page: x grows right from the box's left edge, y grows down from its
top edge. The page's /Rotate is a view property and does not change them. They are points (1/72
inch) as the page shows: on a page with a /UserUnit (user space units of that many points) a
unit of user space is ``unit`` Instant points, as MuPDF lays the page out. ``to_instant_*``
and ``to_pdf_*`` are exact inverses of each other (up to the rounding of ``DIGITS``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reviewer_app.pdf.objects import PdfDict, Ref, number, numbers, parse_object, resolve

DIGITS = 4  # Instant values are rounded to 1/10,000 pt
LETTER = (0.0, 0.0, 612.0, 792.0)  # MuPDF's default when a page has no MediaBox
MAX_USER_UNIT = 75_000.0  # PDF 32000-1's limit on page sizes, 15,000,000 inches at most
_MAX_DEPTH = 32
_INHERITED = frozenset(
    ("MediaBox", "CropBox", "Rotate")
)  # how far up the page tree inherited attributes are looked for


@dataclass(frozen=True)
class PageBox:
    """A page's visible box in PDF user space (left < right, bottom < top), its /Rotate and
    its /UserUnit (points per unit of user space). ``width`` and ``height`` are in points."""

    left: float
    bottom: float
    right: float
    top: float
    rotation: int = 0
    unit: float = 1.0

    @property
    def width(self) -> float:
        return (self.right - self.left) * self.unit

    @property
    def height(self) -> float:
        return (self.top - self.bottom) * self.unit


def to_instant_point(box: PageBox, x: float, y: float) -> list[float]:
    """A point in PDF user space as an Instant ``[x, y]``."""
    unit = box.unit
    return [round((x - box.left) * unit, DIGITS), round((box.top - y) * unit, DIGITS)]


def to_pdf_point(box: PageBox, x: float, y: float) -> tuple[float, float]:
    """An Instant ``[x, y]`` as a point in PDF user space."""
    return (box.left + x / box.unit, box.top - y / box.unit)


def to_instant_rect(box: PageBox, rect: Sequence[float]) -> list[float]:
    """A PDF rectangle ``[x0 y0 x1 y1]`` (any corner order) as an Instant ``[left, top, w, h]``."""
    x0, x1 = sorted((rect[0], rect[2]))
    y0, y1 = sorted((rect[1], rect[3]))
    left, top = to_instant_point(box, x0, y1)
    unit = box.unit
    return [left, top, round((x1 - x0) * unit, DIGITS), round((y1 - y0) * unit, DIGITS)]


def to_pdf_rect(box: PageBox, bbox: Sequence[float]) -> tuple[float, float, float, float]:
    """An Instant ``[left, top, width, height]`` as a PDF rectangle ``(x0, y0, x1, y1)``."""
    left, top, width, height = bbox
    x0, y1 = to_pdf_point(box, left, top)
    return (x0, y1 - height / box.unit, x0 + width / box.unit, y1)


def rotation_matrix(box: PageBox) -> tuple[float, float, float, float, float, float]:
    """The matrix from PyMuPDF's unrotated page space (points from the visible box's top-left)
    to the page as it shows, turned by its /Rotate: ``Page.rotation_matrix``, but with the
    /UserUnit applied (PyMuPDF's own leaves it out)."""
    w, h = box.width, box.height
    return {
        90: (0.0, 1.0, -1.0, 0.0, h, 0.0),
        180: (-1.0, 0.0, 0.0, -1.0, w, h),
        270: (0.0, -1.0, 1.0, 0.0, 0.0, w),
    }.get(box.rotation, (1.0, 0.0, 0.0, 1.0, 0.0, 0.0))


def page_box(doc: Any, page_number: int) -> PageBox:
    """The visible box, rotation and user unit of page ``page_number`` of a
    ``pymupdf.Document``."""
    page = _inherited(doc, doc.page_xref(page_number))
    media = _normalized(numbers(page.get("MediaBox"))) or LETTER
    crop = _normalized(numbers(page.get("CropBox"))) or media
    left, bottom = max(media[0], crop[0]), max(media[1], crop[1])
    right, top = min(media[2], crop[2]), min(media[3], crop[3])
    if right <= left or top <= bottom:
        left, bottom, right, top = media
    rotate = page.get("Rotate")
    rotation = int(rotate) % 360 if isinstance(rotate, int | float) else 0
    return PageBox(left, bottom, right, top, rotation if rotation % 90 == 0 else 0, user_unit(page))


def user_unit(page: PdfDict) -> float:
    """The page's /UserUnit (points per unit of user space; it is not inherited), 1 when it
    is absent or not a positive number up to MAX_USER_UNIT."""
    unit = number(page.get("UserUnit"))
    return unit if unit is not None and 0.0 < unit <= MAX_USER_UNIT else 1.0


def _inherited(doc: Any, xref: int) -> PdfDict:
    """MediaBox, CropBox and Rotate of a page object, looked up through its /Parent chain, and
    its own /UserUnit (which is not inherited)."""
    found: PdfDict = {}
    for depth in range(_MAX_DEPTH):
        node = parse_object(doc.xref_object(xref, compressed=True))
        if not isinstance(node, dict):
            break
        if depth == 0 and "UserUnit" in node:
            found["UserUnit"] = resolve(doc, node["UserUnit"])
        for key in _INHERITED:
            if key not in found and key in node:
                found[key] = resolve(doc, node[key])
        parent = node.get("Parent")
        if found.keys() >= _INHERITED or not isinstance(parent, Ref):
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
