"""Stamps and images in layer PDFs: standard stamps, a check mark, a cross, text, pictures."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pymupdf

from reviewer_app.instant.records import Json
from reviewer_app.instant.transform import rotation_of
from reviewer_app.pdf.annotations import STAMP_TYPES
from reviewer_app.pdf.write_common import PageSpace, Unsupported, plain, rgb

_mupdf: Any = pymupdf

# The stamps MuPDF draws itself, by its index (Page.add_stamp_annot(stamp=i)).
NATIVE_STAMPS = {
    name: index
    for index, name in enumerate(
        (
            *("Approved", "AsIs", "Confidential", "Departmental", "Experimental", "Expired"),
            *("Final", "ForComment", "ForPublicRelease", "NotApproved", "NotForPublicRelease"),
            *("Sold", "TopSecret", "Draft"),
        )
    )
}
GLYPHS = {"Accepted": "check", "Rejected": "cross"}  # as PSPDFKit draws these two stamps
STAMP_RED = (0.753, 0.224, 0.169)
CHECK_GREEN = (0.18, 0.49, 0.2)
_FONT = "HeBo"  # Helvetica-Bold, one of the 14 fonts every reader has


def stamp(page: Any, space: PageSpace, content: Json) -> Any:
    """``pspdfkit/stamp``: a standard stamp by name, or a custom one showing its title (the
    appearance of those MuPDF does not know is drawn by :func:`stamp_appearance`)."""
    stamp_type = str(content.get("stampType") or "Custom")
    annot = page.add_stamp_annot(shown_rect(space, content), stamp=NATIVE_STAMPS.get(stamp_type, 0))
    name = stamp_type if stamp_type in STAMP_TYPES else str(content.get("title") or "Custom")
    annot.set_name(name)
    color = rgb(content.get("color"))
    if color is not None:
        annot.set_colors(stroke=color)
    return annot


def stamp_words(content: Json) -> str:
    """What a stamp says, in words (its /Contents unless it carries a note): its title, else
    its type spelled out ("NotApproved" → "Not Approved"; the check mark is "Accepted", the
    cross "Rejected")."""
    title = plain(content.get("title")).strip()
    if title:
        return title
    return re.sub(r"(?<!^)(?=[A-Z])", " ", str(content.get("stampType") or "Custom"))


def stamp_text(content: Json) -> str | None:
    """The words a stamp shows when MuPDF cannot draw it: its title, else its type spelled
    out ("InitialHere" → "INITIAL HERE"); None for the native stamps and the two glyphs."""
    stamp_type = str(content.get("stampType") or "Custom")
    if plain(content.get("title")).strip():
        return stamp_words(content)
    if stamp_type in NATIVE_STAMPS or stamp_type in GLYPHS:
        return None
    return stamp_words(content).upper()


def stamp_appearance(doc: Any, annot: Any, space: PageSpace, content: Json) -> None:
    """Draw what MuPDF cannot: a check mark, a cross, or the stamp's words in a frame. Called
    after the annotation's last update (which would redraw MuPDF's own appearance)."""
    glyph = GLYPHS.get(str(content.get("stampType"))) if not content.get("title") else None
    text = stamp_text(content)
    if glyph is None and text is None:
        return
    x0, y0, x1, y1 = _turned_about_centre(space.pdf_rect(content["bbox"]), rotation_of(content))
    width, height = x1 - x0, y1 - y0  # as the stamp reads: turned by turn_appearance
    kind, ref = doc.xref_get_key(annot.xref, "AP/N")
    if kind != "xref" or width <= 0 or height <= 0:
        return
    ap = int(ref.split()[0])
    keeps_opacity = doc.xref_get_key(ap, "Resources/ExtGState/H")[0] != "null"
    drawing = _glyph(glyph, width, height) if glyph else _words(str(text), width, height, content)
    doc.xref_set_key(ap, "BBox", f"[0 0 {width:.3f} {height:.3f}]")
    doc.xref_set_key(ap, "Matrix", "[1 0 0 1 0 0]")
    font = "<</Type/Font/Subtype/Type1/BaseFont/Helvetica-Bold/Encoding/WinAnsiEncoding>>"
    doc.xref_set_key(ap, f"Resources/Font/{_FONT}", font)
    doc.update_stream(ap, (("q /H gs\n" if keeps_opacity else "q\n") + drawing + "\nQ\n").encode())
    doc.xref_set_key(annot.xref, "Rect", f"[{x0:.3f} {y0:.3f} {x1:.3f} {y1:.3f}]")


def _glyph(glyph: str, width: float, height: float) -> str:
    """A check mark (green) or a cross (red) filling the middle square of the box."""
    side = min(width, height) * 0.86
    left, bottom = (width - side) / 2, (height - side) / 2

    def at(x: float, y: float) -> str:
        return f"{left + x * side:.3f} {bottom + y * side:.3f}"

    if glyph == "check":
        path = f"{at(0.12, 0.52)} m {at(0.4, 0.2)} l {at(0.9, 0.86)} l S"
        color = CHECK_GREEN
    else:
        path = f"{at(0.15, 0.15)} m {at(0.85, 0.85)} l S {at(0.15, 0.85)} m {at(0.85, 0.15)} l S"
        color = STAMP_RED
    r, g, b = color
    return f"{r:.3f} {g:.3f} {b:.3f} RG {side * 0.13:.3f} w 1 J 1 j {path}"


def _words(text: str, width: float, height: float, content: Json) -> str:
    """The stamp's words, centred and as large as fit, in a frame of its colour."""
    r, g, b = rgb(content.get("color")) or STAMP_RED
    line = max(1.0, min(width, height) * 0.06)
    words = text.encode("cp1252", errors="replace").decode("cp1252")
    size = min(height * 0.55, (width - 4 * line) / max(_mupdf.get_text_length(words, "hebo", 1), 1))
    size = max(size, 1.0)
    tx = (width - _mupdf.get_text_length(words, "hebo", size)) / 2
    ty = (height - size * 0.72) / 2
    escaped = "".join(
        f"\\{c:03o}" if c > 126 or c in b"()\\" else chr(c) for c in words.encode("cp1252")
    )
    frame = f"{line / 2:.3f} {line / 2:.3f} {width - line:.3f} {height - line:.3f} re S"
    return (
        f"{r:.3f} {g:.3f} {b:.3f} RG {r:.3f} {g:.3f} {b:.3f} rg {line:.3f} w {frame}\n"
        f"BT /{_FONT} {size:.3f} Tf {tx:.3f} {ty:.3f} Td ({escaped}) Tj ET"
    )


def image(page: Any, space: PageSpace, content: Json, attachments: Mapping[str, bytes]) -> Any:
    """``pspdfkit/image``: the picture of its attachment, as a stamp annotation showing it
    (what PSPDFKit writes too). Unsupported when the bytes are missing or not a picture."""
    data = attachments.get(str(content.get("imageAttachmentId")))
    if data is None:
        raise Unsupported("pspdfkit/image: its picture is not stored here")
    try:
        return page.add_stamp_annot(shown_rect(space, content), stamp=data)
    except (RuntimeError, ValueError) as exc:
        raise Unsupported(f"pspdfkit/image: not a picture MuPDF reads ({exc})") from exc


def shown_rect(space: PageSpace, content: Json) -> Any:
    """Where a stamp or picture is drawn upright before :func:`turn_appearance` turns it by
    its ``rotation``: the bbox's centre, its sides swapped for 90 and 270 (PyMuPDF space)."""
    rect = space.rect(content["bbox"])
    x0, y0, x1, y1 = _turned_about_centre(
        (rect.x0, rect.y0, rect.x1, rect.y1), rotation_of(content)
    )
    return _mupdf.Rect(x0, y0, x1, y1)


def turn_appearance(doc: Any, annot: Any, content: Json) -> None:
    """Turn a stamp or picture drawn upright in its :func:`shown_rect` by its ``rotation``
    (see :func:`reviewer_app.instant.transform.rotation_of`): its appearance's /Matrix turned
    counter-clockwise, its /Rect turned about its centre, and /Rotate set, as Acrobat writes
    it and as extraction reads it back. Called after the annotation's last update."""
    turn = rotation_of(content)
    if not turn:
        return
    kind, ref = doc.xref_get_key(annot.xref, "AP/N")
    if kind == "xref":
        ap = int(ref.split()[0])
        matrix = _mupdf.Matrix(*(_numbers(doc.xref_get_key(ap, "Matrix")) or (1, 0, 0, 1, 0, 0)))
        doc.xref_set_key(ap, "Matrix", _array(tuple(matrix * _mupdf.Matrix(turn))))
    rect = _numbers(doc.xref_get_key(annot.xref, "Rect"))
    if len(rect) == 4:
        doc.xref_set_key(annot.xref, "Rect", _array(_turned_about_centre(rect, turn)))
    doc.xref_set_key(annot.xref, "Rotate", str(turn))


def _turned_about_centre(rect: Any, turn: int) -> tuple[float, float, float, float]:
    """``(x0, y0, x1, y1)`` turned a quarter about its centre when ``turn`` is 90 or 270."""
    x0, y0, x1, y1 = (float(v) for v in rect)
    if turn % 180 != 90:
        return (x0, y0, x1, y1)
    cx, cy, half_w, half_h = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / 2, (y1 - y0) / 2
    return (cx - half_h, cy - half_w, cx + half_h, cy + half_w)


def _numbers(entry: tuple[str, str]) -> list[float]:
    """The numbers of a PDF array entry from ``xref_get_key`` (empty when it is none)."""
    kind, text = entry
    try:
        return [float(v) for v in text.strip("[] ").split()] if kind == "array" else []
    except ValueError:
        return []


def _array(values: tuple[float, ...]) -> str:
    return "[" + " ".join(f"{v:.4f}".rstrip("0").rstrip(".") or "0" for v in values) + "]"
