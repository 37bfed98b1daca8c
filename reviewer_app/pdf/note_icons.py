"""Sticky note icons MuPDF does not draw (it draws a star for each of them): Check, Circle,
Cross, Star, RightArrow and RightPointer, drawn as Acrobat does, in the note's colour."""

from __future__ import annotations

from typing import Any

from reviewer_app.pdf.write_common import rgb

SIDE = 20.0  # the icon's box, in user space units
_OUTLINE = "0 G 0.6 w 1 j 1 J"
_PATHS = {
    "Check": "4 10.5 m 8 5.5 l 16.5 15.5 l",
    "Circle": "10 4 m 13.3 4 16 6.7 16 10 c 16 13.3 13.3 16 10 16 c 6.7 16 4 13.3 4 10 c "
    "4 6.7 6.7 4 10 4 c h",
    "Cross": "5 5 m 15 15 l 5 15 m 15 5 l",
    "Star": "10 17 m 11.8 12.4 l 16.7 12.2 l 12.9 9.1 l 14.2 4.4 l 10 7.1 l 5.8 4.4 l "
    "7.1 9.1 l 3.3 12.2 l 8.2 12.4 l h",
    "RightArrow": "4 10 m 14 10 l 10.5 13.5 m 14 10 l 10.5 6.5 l",
    "RightPointer": "5 4.5 m 16 10 l 5 15.5 l 7.5 10 l h",
}
_FILLED = {"Star", "RightPointer"}  # the others are strokes on the note's colour
ICONS = frozenset(_PATHS)
DEFAULT_COLOR = (1.0, 0.85, 0.0)


def icon_drawing(name: str, color: Any = None) -> bytes:
    """A SIDE x SIDE appearance stream of icon ``name`` (one of ICONS): a rounded square of
    ``color`` (``#rrggbb``, or PDF components; yellow by default), the sign in black."""
    fill = _components(color) or DEFAULT_COLOR
    r, g, b = (f"{c:.3f}" for c in fill)
    square = (
        f"{r} {g} {b} rg {_OUTLINE} "
        "2.5 0.5 m 17.5 0.5 l 18.6 0.5 19.5 1.4 19.5 2.5 c 19.5 17.5 l "
        "19.5 18.6 18.6 19.5 17.5 19.5 c 2.5 19.5 l 1.4 19.5 0.5 18.6 0.5 17.5 c "
        "0.5 2.5 l 0.5 1.4 1.4 0.5 2.5 0.5 c h B"
    )
    path = _PATHS[name]
    sign = f"0 g {path} f" if name in _FILLED else f"1.6 w {path} S"
    return f"q {square} Q q 0 G 0 g 1 j 1 J {sign} Q".encode()


def give_icon(doc: Any, xref: int, name: str, color: Any = None) -> None:
    """Make ``icon_drawing(name, color)`` the normal appearance of note ``xref``: drawn into
    its appearance stream when it has one (keeping its opacity), else a new one."""
    kind, ref = doc.xref_get_key(xref, "AP/N")
    if kind == "xref":
        stream = int(ref.split()[0])
        keeps_opacity = doc.xref_get_key(stream, "Resources/ExtGState/H")[0] != "null"
        doc.xref_set_key(stream, "BBox", f"[0 0 {SIDE:g} {SIDE:g}]")
        doc.xref_set_key(stream, "Matrix", "[1 0 0 1 0 0]")
        opacity = b"/H gs " if keeps_opacity else b""
        doc.update_stream(stream, b"q " + opacity + icon_drawing(name, color) + b" Q")
        return
    stream = int(doc.get_new_xref())
    doc.update_object(stream, f"<< /Type /XObject /Subtype /Form /BBox [0 0 {SIDE:g} {SIDE:g}] >>")
    doc.update_stream(stream, icon_drawing(name, color))
    doc.xref_set_key(xref, "AP", f"<< /N {stream} 0 R >>")


def _components(color: Any) -> tuple[float, float, float] | None:
    """An RGB colour from ``#rrggbb`` or from PDF gray, RGB or CMYK components."""
    if isinstance(color, str):
        return rgb(color)
    if isinstance(color, list | tuple) and all(isinstance(c, int | float) for c in color):
        if len(color) == 1:
            return (float(color[0]),) * 3
        if len(color) == 3:
            return (float(color[0]), float(color[1]), float(color[2]))
        if len(color) == 4:
            c, m, y, k = (float(v) for v in color)
            return ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))
    return None
