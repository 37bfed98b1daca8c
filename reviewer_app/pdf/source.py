"""One annotation's PDF dictionary, with its page, read once and looked up by key."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reviewer_app.pdf.geometry import PageBox, to_instant_point, to_instant_rect
from reviewer_app.pdf.links import LinkTargets
from reviewer_app.pdf.objects import PdfDict, number, numbers, resolve, text_string
from reviewer_app.pdf.properties import name_of


@dataclass(frozen=True)
class AnnotationSource:
    """The raw dictionary of annotation ``xref`` on page ``page_index``, whose box is ``box``."""

    doc: Any
    xref: int
    obj: PdfDict
    page_index: int
    box: PageBox
    targets: LinkTargets

    def get(self, key: str) -> Any:
        """The value under ``key``, following one indirect reference."""
        return resolve(self.doc, self.obj.get(key))

    def text(self, key: str) -> str | None:
        """A text string under ``key``, or None."""
        return text_string(self.get(key))

    def name(self, key: str) -> str | None:
        """A name under ``key`` (without its slash), or None."""
        return name_of(self.get(key))

    def number(self, key: str) -> float | None:
        """A number under ``key``, or None."""
        return number(self.get(key))

    def length(self, value: float) -> float:
        """A length in user space (a line width, a font size) in Instant points."""
        return value * self.box.unit

    def bbox(self) -> list[float]:
        """The /Rect as an Instant bbox (a missing or malformed /Rect gives an empty box)."""
        rect = numbers(self.get("Rect"))
        return to_instant_rect(self.box, rect if rect and len(rect) == 4 else [0, 0, 0, 0])

    def points(self, key: str) -> list[list[float]]:
        """A flat array ``[x1 y1 x2 y2 ...]`` under ``key`` as Instant points."""
        return _points(self.box, numbers(self.get(key)) or [])

    def point_lists(self, key: str) -> list[list[list[float]]]:
        """An array of flat point arrays (an /InkList) as lists of Instant points."""
        value = self.get(key)
        if not isinstance(value, list):
            return []
        paths = (numbers(resolve(self.doc, item)) for item in value)
        return [_points(self.box, path) for path in paths if path]

    def quad_rects(self) -> list[list[float]]:
        """Each quadrilateral of /QuadPoints as its bounding Instant rect ``[l, t, w, h]``."""
        flat = numbers(self.get("QuadPoints")) or []
        rects = []
        for start in range(0, len(flat) - 7, 8):
            xs, ys = flat[start : start + 8 : 2], flat[start + 1 : start + 8 : 2]
            rects.append(to_instant_rect(self.box, [min(xs), min(ys), max(xs), max(ys)]))
        return rects


def _points(box: PageBox, flat: list[float]) -> list[list[float]]:
    """Pairs of a flat coordinate list as Instant points (an odd last number is dropped)."""
    return [to_instant_point(box, flat[i], flat[i + 1]) for i in range(0, len(flat) - 1, 2)]
