"""Instant JSON annotations as PDF annotation dictionaries (the words XFDF speaks).

XFDF writes an annotation as its PDF dictionary spelled in XML: ``/Rect`` is ``rect``, ``/C`` is
``color``, ``/QuadPoints`` is ``coords``. So an annotation goes Instant → PDF dictionary (here)
→ XFDF (write.py), and back XFDF → PDF dictionary (read.py) → Instant through the very code
that reads the PDFs we import (reviewer_app.pdf.annotations), so XFDF and PDF agree.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from reviewer_app.instant.records import Json
from reviewer_app.pdf.annotations import NOTE_ICONS
from reviewer_app.pdf.geometry import PageBox, to_pdf_point, to_pdf_rect
from reviewer_app.pdf.objects import Name, PdfDict
from reviewer_app.pdf.shapes import LINE_CAPS, MARKUP_TYPES
from reviewer_app.pdf.write_common import flag_bits, pdf_date, plain, rgb

ICONS = {icon: name for name, icon in NOTE_ICONS.items()}
CAPS = {cap: name for name, cap in LINE_CAPS.items()}
SUBTYPES = {instant: pdf for pdf, instant in MARKUP_TYPES.items()}
FONTS = {"Helvetica": "Helv", "Times": "TiRo", "Courier": "Cour"}
ALIGN = {"left": 0, "center": 1, "right": 2}


class NotInXfdf(Exception):
    """A record XFDF (as written here) cannot carry; the message says why."""


def pdf_dict(record_id: str, content: Json, box: PageBox) -> PdfDict:
    """The PDF dictionary of annotation ``record_id`` (``content``) on a page whose box is
    ``box``; its /NM is the record's id, as in the layer PDFs."""
    kind = str(content.get("type"))
    build = BUILDERS.get(kind)
    if build is None:
        raise NotInXfdf(f"{kind} annotations are not written to XFDF")
    bbox = content.get("bbox")
    if not isinstance(bbox, list) or not _is_rect(bbox):
        raise NotInXfdf(f"{kind}: no bounding box")
    obj: PdfDict = {
        "Rect": list(to_pdf_rect(box, [float(v) for v in bbox])),
        "F": flag_bits(content.get("flags")),
        "NM": record_id,
    }
    author = content.get("creatorName")
    if isinstance(author, str) and author:
        obj["T"] = author
    for key, field in (("CreationDate", "createdAt"), ("M", "updatedAt")):
        date = pdf_date(content.get(field))
        if date:
            obj[key] = date
    opacity = content.get("opacity")
    if isinstance(opacity, int | float) and not isinstance(opacity, bool) and opacity < 1:
        obj["CA"] = float(opacity)
    note = content.get("note")
    if isinstance(note, str) and note:
        obj["Contents"] = note
    obj.update(build(content, box))
    return obj


def _is_rect(value: Any) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 4
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
    )


def _colour(value: Any) -> list[float] | None:
    components = rgb(value)
    return [round(c, 4) for c in components] if components else None


def _with(obj: PdfDict, key: str, value: Any) -> PdfDict:
    if value is not None:
        obj[key] = value
    return obj


def _point(box: PageBox, xy: Any) -> list[float]:
    if not (isinstance(xy, list) and len(xy) >= 2):
        raise NotInXfdf("a point is not [x, y]")
    return list(to_pdf_point(box, float(xy[0]), float(xy[1])))


def _flat(box: PageBox, points: Any) -> list[float]:
    if not isinstance(points, list):
        return []
    return [v for p in points for v in _point(box, p)]


def _border(content: Json, key: str) -> PdfDict:
    width = content.get(key)
    style: PdfDict = {"W": float(width) if isinstance(width, int | float) else 1.0}
    dashes = content.get("strokeDashArray")
    if isinstance(dashes, list) and dashes:
        style |= {"S": Name("D"), "D": [float(d) for d in dashes]}
    return {"BS": style}


def _shape(content: Json, box: PageBox) -> PdfDict:
    obj = _border(content, "strokeWidth")
    _with(obj, "C", _colour(content.get("strokeColor")))
    _with(obj, "IC", _colour(content.get("fillColor")))
    clouds = content.get("cloudyBorderIntensity")
    if isinstance(clouds, int | float) and clouds > 0:
        obj["BE"] = {"S": Name("C"), "I": float(clouds)}
    return obj


def _caps(content: Json) -> PdfDict:
    caps = content.get("lineCaps")
    if not isinstance(caps, dict):
        return {}
    return {"LE": [Name(CAPS.get(str(caps.get(end)), "None")) for end in ("start", "end")]}


def note(content: Json, box: PageBox) -> PdfDict:
    subtype = "Caret" if (content.get("customData") or {}).get("pdfSubtype") == "Caret" else "Text"
    obj: PdfDict = {"Subtype": Name(subtype), "Contents": plain(content.get("text"))}
    if subtype == "Text":
        obj["Name"] = Name(ICONS.get(str(content.get("icon")), "Comment"))
    return _with(obj, "C", _colour(content.get("color")))


def free_text(content: Json, box: PageBox) -> PdfDict:
    colour = rgb(content.get("fontColor")) or (0.0, 0.0, 0.0)
    size = content.get("fontSize")
    font = FONTS.get(str(content.get("font")), "Helv")
    tint = " ".join(f"{c:g}" for c in colour)
    obj: PdfDict = {
        "Subtype": Name("FreeText"),
        "Contents": plain(content.get("text")),
        "DA": f"/{font} {size if isinstance(size, int | float) else 12:g} Tf {tint} rg",
        "Q": ALIGN.get(str(content.get("horizontalAlign")), 0),
    }
    rotation = content.get("rotation")
    if rotation in (90, 180, 270):
        obj["Rotate"] = rotation
    return _with(obj, "C", _colour(content.get("backgroundColor")))


def line(content: Json, box: PageBox) -> PdfDict:
    ends = _point(box, content.get("startPoint")) + _point(box, content.get("endPoint"))
    return {"Subtype": Name("Line"), "L": ends, **_shape(content, box), **_caps(content)}


def rectangle(content: Json, box: PageBox) -> PdfDict:
    return {"Subtype": Name("Square"), **_shape(content, box)}


def ellipse(content: Json, box: PageBox) -> PdfDict:
    return {"Subtype": Name("Circle"), **_shape(content, box)}


def polygon(content: Json, box: PageBox) -> PdfDict:
    vertices = _flat(box, content.get("points"))
    if len(vertices) < 4:
        raise NotInXfdf(f"{content['type']}: fewer than two points")
    return {"Subtype": Name("Polygon"), "Vertices": vertices, **_shape(content, box)}


def polyline(content: Json, box: PageBox) -> PdfDict:
    return {**polygon(content, box), "Subtype": Name("PolyLine"), **_caps(content)}


def ink(content: Json, box: PageBox) -> PdfDict:
    lines = (content.get("lines") or {}).get("points") or []
    paths = [_flat(box, path) for path in lines if isinstance(path, list)]
    paths = [path for path in paths if path]
    if not paths:
        raise NotInXfdf("pspdfkit/ink: no points")
    obj: PdfDict = {"Subtype": Name("Ink"), "InkList": paths, **_border(content, "lineWidth")}
    return _with(obj, "C", _colour(content.get("strokeColor")))


def markup(content: Json, box: PageBox) -> PdfDict:
    rects = [r for r in content.get("rects") or [] if _is_rect(r)] or [content["bbox"]]
    quads: list[float] = []
    for rect in rects:
        x0, y0, x1, y1 = to_pdf_rect(box, [float(v) for v in rect])
        quads += [x0, y1, x1, y1, x0, y0, x1, y0]
    obj: PdfDict = {"Subtype": Name(SUBTYPES[str(content["type"])]), "QuadPoints": quads}
    return _with(obj, "C", _colour(content.get("color")))


def stamp(content: Json, box: PageBox) -> PdfDict:
    kind = content.get("stampType")
    title = content.get("title")
    name = title if kind == "Custom" and isinstance(title, str) and title else kind
    obj: PdfDict = {"Subtype": Name("Stamp"), "Name": Name(str(name or "Draft"))}
    rotation = content.get("rotation")
    if rotation in (90, 180, 270):
        obj["Rotate"] = rotation
    return _with(obj, "C", _colour(content.get("color")))


BUILDERS: dict[str, Callable[[Json, PageBox], PdfDict]] = {
    "pspdfkit/note": note,
    "pspdfkit/comment-marker": note,  # a sticky note whose words are its first comment
    "pspdfkit/text": free_text,
    "pspdfkit/shape/line": line,
    "pspdfkit/shape/rectangle": rectangle,
    "pspdfkit/shape/ellipse": ellipse,
    "pspdfkit/shape/polygon": polygon,
    "pspdfkit/shape/polyline": polyline,
    "pspdfkit/ink": ink,
    "pspdfkit/stamp": stamp,
    **dict.fromkeys(SUBTYPES, markup),
}


def numbers_text(values: Sequence[float]) -> str:
    """``1.5,2,3.25``: numbers as XFDF writes them (no needless zeros)."""
    return ",".join(number_text(v) for v in values)


def number_text(value: float) -> str:
    """``612``, ``1.5``, ``0.3333``: a number to 4 decimals, without needless zeros."""
    text = f"{float(value):.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text
