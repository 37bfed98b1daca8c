"""Instant JSON values → PDF values: colours, dates, flags, strings and page coordinates."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any

import pymupdf

from reviewer_app.instant.records import Json
from reviewer_app.pdf.geometry import PageBox, to_pdf_point, to_pdf_rect

_mupdf: Any = pymupdf

_HEX = re.compile(r"#?([0-9a-fA-F]{6})")
_TAGS = re.compile(r"<[^>]*>")
# Instant flag names → annotation flag bits (PDF 32000-1, table 165), as properties.py reads them.
FLAG_BITS = {
    "invisible": 1,
    "hidden": 2,
    "noZoom": 4,
    "noRotate": 5,
    "noView": 6,
    "readOnly": 7,
    "locked": 8,
    "toggleNoView": 9,
    "lockedContents": 10,
}
_PRINT_BIT = 3


class Unsupported(Exception):
    """A record this export cannot write into a PDF; the message says why."""


@cache
def quick_updates() -> None:
    """PyMuPDF 1.28 opens every Annot.update with a timing test of its own, a loop of 30,000
    additions whose result is thrown away: 1-2 ms per annotation written, 10-20 s of an export
    of 10,000 notes. It does nothing else, so it is made to do nothing at all: once, by the
    first writer of an annotation or field (not on import, which would load PyMuPDF in the
    app's window: see pdf/lazy_mupdf.py)."""
    if callable(getattr(_mupdf.Annot, "update_timing_test", None)):
        _mupdf.Annot.update_timing_test = staticmethod(lambda: 0)


def rgb(value: Any) -> tuple[float, float, float] | None:
    """An Instant ``#rrggbb`` colour as PDF RGB components 0..1, or None when it is not one."""
    match = _HEX.fullmatch(value.strip()) if isinstance(value, str) else None
    if match is None:
        return None
    digits = match.group(1)
    return tuple(int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def pdf_date(iso: Any) -> str | None:
    """An ISO 8601 time as a PDF date string ``D:YYYYMMDDHHmmSSZ`` (UTC), or None."""
    if not isinstance(iso, str):
        return None
    try:
        moment = datetime.fromisoformat(iso.strip().replace("z", "Z"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("D:%Y%m%d%H%M%SZ")


def flag_bits(flags: Any) -> int:
    """The PDF /F value for Instant ``flags`` (printed unless ``noPrint`` is among them)."""
    names = set(flags) if isinstance(flags, list) else set()
    bits = 0 if "noPrint" in names else 1 << (_PRINT_BIT - 1)
    for name, bit in FLAG_BITS.items():
        if name in names:
            bits |= 1 << (bit - 1)
    return bits


def pdf_string(text: str) -> str:
    """A PDF string literal for ``text`` (PDFDocEncoding or UTF-16 as MuPDF chooses)."""
    return str(_mupdf.get_pdf_str(text))


def plain(value: Any) -> str:
    """The plain text of an Instant text value: a string or ``{"format", "value"}`` (XHTML tags
    dropped)."""
    if isinstance(value, dict):
        text = str(value.get("value") or "")
        return _TAGS.sub("", text) if value.get("format") == "xhtml" else text
    return value if isinstance(value, str) else ""


def number(content: Json, key: str, default: float) -> float:
    """A numeric field, or ``default`` when it is missing or not a number."""
    value = content.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return default
    return float(value)


@dataclass(frozen=True)
class PageSpace:
    """Maps Instant coordinates of one page to PyMuPDF's annotation space (the unrotated page,
    origin at the visible box's top-left, in points: /UserUnit applied), going through PDF user
    space with geometry.py; lengths (widths, font sizes) go to user space with ``length``."""

    box: PageBox

    def point(self, xy: Sequence[float]) -> Any:
        """An Instant ``[x, y]`` as a ``pymupdf.Point``."""
        x, y = to_pdf_point(self.box, float(xy[0]), float(xy[1]))
        unit = self.box.unit
        return _mupdf.Point((x - self.box.left) * unit, (self.box.top - y) * unit)

    def rect(self, bbox: Sequence[float]) -> Any:
        """An Instant ``[left, top, width, height]`` as a ``pymupdf.Rect``."""
        x0, y0, x1, y1 = self.pdf_rect(bbox)
        left, top, unit = self.box.left, self.box.top, self.box.unit
        return _mupdf.Rect(
            (x0 - left) * unit, (top - y1) * unit, (x1 - left) * unit, (top - y0) * unit
        )

    def quad(self, bbox: Sequence[float]) -> Any:
        """An Instant rect as a ``pymupdf.Quad`` (for text markup)."""
        return self.rect(bbox).quad

    def length(self, points: float) -> float:
        """A length in Instant points (a line width, a font size) in the page's user space."""
        return points / self.box.unit

    def pdf_rect(self, bbox: Sequence[float]) -> tuple[float, float, float, float]:
        """An Instant rect in PDF user space."""
        return to_pdf_rect(self.box, [float(v) for v in bbox[:4]])

    def points(self, values: Any) -> list[Any]:
        """A list of Instant points (malformed entries dropped) as ``pymupdf.Point`` objects."""
        if not isinstance(values, list):
            return []
        return [self.point(p) for p in values if _is_point(p)]


def _is_point(value: Any) -> bool:
    return (
        isinstance(value, list | tuple)
        and len(value) >= 2
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value[:2])
    )


def is_rect(value: Any) -> bool:
    """Whether ``value`` is an Instant rect ``[left, top, width, height]`` with a real size."""
    return (
        isinstance(value, list | tuple)
        and len(value) == 4
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
        and value[2] >= 0
        and value[3] >= 0
    )
