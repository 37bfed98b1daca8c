"""Instant JSON annotations → real PDF annotations with appearance streams, drawn by PyMuPDF."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

import pymupdf

from reviewer_app.instant.records import Json, Record
from reviewer_app.pdf.annotations import NOTE_ICONS
from reviewer_app.pdf.note_icons import ICONS as OWN_ICONS
from reviewer_app.pdf.note_icons import give_icon
from reviewer_app.pdf.shapes import LINE_CAPS
from reviewer_app.pdf.write_common import (
    PageSpace,
    Unsupported,
    flag_bits,
    is_rect,
    number,
    pdf_date,
    plain,
    quick_updates,
    rgb,
)
from reviewer_app.pdf.write_links import write_link
from reviewer_app.pdf.write_stamps import (
    image,
    stamp,
    stamp_appearance,
    stamp_words,
    turn_appearance,
)

_mupdf: Any = pymupdf
Writer = Callable[[Any, PageSpace, Json], Any]

ICONS = {icon: name for name, icon in NOTE_ICONS.items()}
FONTS = {"Helvetica": "Helv", "Times": "TiRo", "Courier": "Cour"}
_ALIGN = {"left": 0, "center": 1, "right": 2}


@cache
def _caps() -> dict[str, int]:
    """MuPDF's line ending numbers by Instant JSON's names (a function, so that importing
    this module does not load PyMuPDF: see pdf/lazy_mupdf.py)."""
    return {
        cap: getattr(_mupdf, "PDF_ANNOT_LE_" + re.sub(r"(?<!^)(?=[A-Z])", "_", name).upper(), 0)
        for name, cap in LINE_CAPS.items()
    }


def write_annotation(
    doc: Any,
    page: Any,
    space: PageSpace,
    record: Record,
    attachments: Mapping[str, bytes] | None = None,
) -> int:
    """Write ``record`` on ``page`` as a new annotation; returns its object number. Images
    take their picture from ``attachments`` (bytes by attachment id).

    Raises Unsupported for types that have no PDF form here (widgets, custom types) and for
    images whose picture is missing.
    """
    quick_updates()
    content = record.content
    type_ = content.get("type")
    if not is_rect(content.get("bbox")):
        raise Unsupported(f"{type_}: no valid bbox")
    if type_ == "pspdfkit/link":
        return write_link(doc, page, space, record)
    writer = WRITERS.get(str(type_))
    if type_ == "pspdfkit/image":
        annot = image(page, space, content, attachments or {})
    elif writer is None:
        raise Unsupported(f"{type_}: not written to PDFs")
    else:
        annot = writer(page, space, content)
    text = plain(content.get("text")) if "text" in content else plain(content.get("note"))
    if type_ == "pspdfkit/stamp" and not text.strip():  # else MuPDF's word for its stamp
        text = stamp_words(content)
    annot.set_info(content=text, title=str(content.get("creatorName") or ""))
    if type_ != "pspdfkit/text":  # free text takes its opacity when it is created
        annot.set_opacity(min(1.0, max(0.0, number(content, "opacity", 1.0))))
    blend = content.get("blendMode")
    blend_mode = blend[:1].upper() + blend[1:] if isinstance(blend, str) and blend else None
    annot.update(blend_mode=None if blend_mode == "Normal" else blend_mode, cross_out=False)
    if type_ == "pspdfkit/stamp":  # after the update, which redraws MuPDF's own appearance
        stamp_appearance(doc, annot, space, content)
    if type_ == "pspdfkit/note" and ICONS.get(str(content.get("icon"))) in OWN_ICONS:
        give_icon(doc, annot.xref, ICONS[str(content["icon"])], content.get("color"))
    if type_ in ("pspdfkit/stamp", "pspdfkit/image"):
        turn_appearance(doc, annot, content)
    finish(doc, annot, space, record)
    return int(annot.xref)


def finish(doc: Any, annot: Any, space: PageSpace, record: Record) -> None:
    """Set what PyMuPDF does not: /NM (the record id), dates, flags, and /Rect = the bbox.

    The keys are put into the annotation's dictionary directly: ``xref_set_key`` prints and
    parses the whole object for each key, which was half the time of an export."""
    content = record.content
    low = _mupdf.mupdf
    obj = low.pdf_annot_obj(annot.this)
    low.pdf_dict_put_text_string(obj, low.PDF_ENUM_NAME_NM, record.id)
    low.pdf_dict_put_int(obj, low.PDF_ENUM_NAME_F, flag_bits(content.get("flags")))
    for key, field in (
        (low.PDF_ENUM_NAME_CreationDate, "createdAt"),
        (low.PDF_ENUM_NAME_M, "updatedAt"),
    ):
        date = pdf_date(content.get(field))
        if date:
            low.pdf_dict_put_text_string(obj, key, date)
        else:
            low.pdf_dict_del(obj, key)
    xref = int(annot.xref)
    pin_rect(doc, xref, space.pdf_rect(content["bbox"]), content["type"] == "pspdfkit/note")


def pin_rect(doc: Any, xref: int, rect: tuple[float, float, float, float], scale: bool) -> None:
    """Make /Rect exactly ``rect``. With ``scale`` the appearance is stretched to fill it;
    otherwise its /BBox is widened or narrowed so it is drawn unscaled where PyMuPDF put it."""
    old = _mupdf.Rect(_numbers(doc.xref_get_key(xref, "Rect")[1]))
    doc.xref_set_key(xref, "Rect", _array(rect))
    kind, ref = doc.xref_get_key(xref, "AP/N")
    if scale or kind != "xref" or old.is_empty:
        return
    ap = int(ref.split()[0])
    matrix = _mupdf.Matrix(*(_numbers(doc.xref_get_key(ap, "Matrix")[1]) or (1, 0, 0, 1, 0, 0)))
    bbox = _mupdf.Rect(_numbers(doc.xref_get_key(ap, "BBox")[1]) or (0, 0, 0, 0))
    shown = bbox * matrix  # the appearance's box, mapped onto the old /Rect by MuPDF
    if shown.is_empty:
        return
    to_rect = _mupdf.Matrix(
        old.width / shown.width,
        0,
        0,
        old.height / shown.height,
        old.x0 - shown.x0 * old.width / shown.width,
        old.y0 - shown.y0 * old.height / shown.height,
    )
    new_box = _mupdf.Rect(rect) * ~to_rect * ~matrix
    doc.xref_set_key(ap, "BBox", _array((new_box.x0, new_box.y0, new_box.x1, new_box.y1)))


def _numbers(text: str) -> list[float]:
    """The numbers of a PDF array as MuPDF prints it (empty when it is not one)."""
    try:
        return [float(v) for v in text.strip("[] ").split()] if text.startswith("[") else []
    except ValueError:
        return []


def _array(values: tuple[float, ...] | list[float]) -> str:
    return "[" + " ".join(f"{v:.4f}".rstrip("0").rstrip(".") for v in values) + "]"


def note(page: Any, space: PageSpace, content: Json) -> Any:
    """``pspdfkit/note``: a sticky note (or a caret, when it came from one) with its icon."""
    left, top = content["bbox"][:2]
    if (content.get("customData") or {}).get("pdfSubtype") == "Caret":
        annot = page.add_caret_annot(space.point([left, top]))
    else:
        icon = ICONS.get(str(content.get("icon")), "Comment")
        annot = page.add_text_annot(space.point([left, top]), "", icon=icon)
    _colors(annot, stroke=content.get("color"))
    return annot


def free_text(page: Any, space: PageSpace, content: Json) -> Any:
    """``pspdfkit/text``: text in a box with a font, size, colour, background and alignment."""
    rotation = int(number(content, "rotation", 0)) % 360
    annot = page.add_freetext_annot(
        space.rect(content["bbox"]),
        plain(content.get("text")),
        fontsize=space.length(number(content, "fontSize", 12)),
        fontname=FONTS.get(str(content.get("font")), "Helv"),
        text_color=rgb(content.get("fontColor")) or (0, 0, 0),
        fill_color=rgb(content.get("backgroundColor")),
        border_color=rgb(content.get("borderColor")),
        border_width=space.length(number(content, "borderWidth", 0)),
        opacity=min(1.0, max(0.0, number(content, "opacity", 1.0))),
        align=_ALIGN.get(str(content.get("horizontalAlign")), 0),
        rotate=rotation if rotation in (90, 180, 270) else 0,
    )
    return annot


def _shape(annot: Any, space: PageSpace, content: Json) -> Any:
    """Stroke width, dashes, cloudy border and colours of lines and shapes."""
    dashes = content.get("strokeDashArray")
    clouds = content.get("cloudyBorderIntensity")
    annot.set_border(
        width=space.length(number(content, "strokeWidth", 1)),
        dashes=[space.length(float(d)) for d in dashes]
        if isinstance(dashes, list) and dashes
        else None,
        clouds=int(clouds) if isinstance(clouds, int | float) and clouds > 0 else -1,
    )
    _colors(annot, stroke=content.get("strokeColor"), fill=content.get("fillColor"))
    caps = content.get("lineCaps")
    if isinstance(caps, dict):
        ends = _caps()
        annot.set_line_ends(ends.get(str(caps.get("start")), 0), ends.get(str(caps.get("end")), 0))
    return annot


def line(page: Any, space: PageSpace, content: Json) -> Any:
    """``pspdfkit/shape/line``: from startPoint to endPoint, with line caps."""
    ends = space.points([content.get("startPoint"), content.get("endPoint")])
    if len(ends) != 2:
        raise Unsupported("pspdfkit/shape/line: no start or end point")
    return _shape(page.add_line_annot(ends[0], ends[1]), space, content)


def box_shape(page: Any, space: PageSpace, content: Json) -> Any:
    """``pspdfkit/shape/rectangle`` and ``…/ellipse``: the stroke drawn inside the bbox."""
    rect = space.rect(content["bbox"])
    inset = number(content, "strokeWidth", 1) / 2
    if rect.width > 2 * inset and rect.height > 2 * inset:
        rect = _mupdf.Rect(rect.x0 + inset, rect.y0 + inset, rect.x1 - inset, rect.y1 - inset)
    add = page.add_rect_annot if content["type"].endswith("rectangle") else page.add_circle_annot
    return _shape(add(rect), space, content)


def poly(page: Any, space: PageSpace, content: Json) -> Any:
    """``pspdfkit/shape/polygon`` and ``…/polyline``: their points."""
    points = space.points(content.get("points"))
    if len(points) < 2:
        raise Unsupported(f"{content['type']}: fewer than two points")
    add = page.add_polygon_annot if content["type"].endswith("polygon") else page.add_polyline_annot
    return _shape(add(points), space, content)


def ink(page: Any, space: PageSpace, content: Json) -> Any:
    """``pspdfkit/ink``: each line of points as an ink path."""
    lines = (content.get("lines") or {}).get("points") or []
    paths = [[(p.x, p.y) for p in space.points(path)] for path in lines]
    paths = [path for path in paths if path]
    if not paths:
        raise Unsupported("pspdfkit/ink: no points")
    annot = page.add_ink_annot(paths)
    annot.set_border(width=space.length(number(content, "lineWidth", 1)))
    _colors(annot, stroke=content.get("strokeColor"))
    return annot


def markup(page: Any, space: PageSpace, content: Json) -> Any:
    """Highlight, underline, squiggly and strikeout: one quad per rect."""
    rects = [r for r in content.get("rects") or [] if is_rect(r)] or [content["bbox"]]
    quads = [space.quad(r) for r in rects]
    kind = content["type"].rsplit("/", 1)[1]
    annot = getattr(page, f"add_{kind}_annot")(quads=quads)
    _colors(annot, stroke=content.get("color"))
    return annot


def redaction(page: Any, space: PageSpace, content: Json) -> Any:
    """``pspdfkit/markup/redaction``: marked for redaction (not applied), with its overlay."""
    rects = [r for r in content.get("rects") or [] if is_rect(r)] or [content["bbox"]]
    overlay = content.get("overlayText")
    annot = page.add_redact_annot(
        space.quad(rects[0]),
        text=overlay if isinstance(overlay, str) and overlay else None,
        fill=rgb(content.get("fillColor")) or False,
        cross_out=False,
    )
    doc = page.parent
    doc.xref_set_key(annot.xref, "QuadPoints", _quad_points(space, rects))
    for key, field in (("IC", "fillColor"), ("OC", "outlineColor"), ("C", "color")):
        color = rgb(content.get(field))
        if color:
            doc.xref_set_key(annot.xref, key, _array(color))
    if overlay:
        doc.xref_set_key(
            annot.xref, "Repeat", "true" if content.get("repeatOverlayText") else "false"
        )
    return annot


def _quad_points(space: PageSpace, rects: list[Any]) -> str:
    """/QuadPoints in PDF user space for Instant rects (upper-left, upper-right, lower-left,
    lower-right of each)."""
    flat: list[float] = []
    for rect in rects:
        x0, y0, x1, y1 = space.pdf_rect(rect)
        flat.extend((x0, y1, x1, y1, x0, y0, x1, y0))
    return _array(flat)


def _colors(annot: Any, stroke: Any = None, fill: Any = None) -> None:
    """Set the annotation's stroke (/C) and fill (/IC) colours where given."""
    colors = {"stroke": rgb(stroke), "fill": rgb(fill)}
    given = {key: value for key, value in colors.items() if value is not None}
    if given:
        annot.set_colors(**given)


WRITERS: dict[str, Writer] = {
    "pspdfkit/note": note,
    "pspdfkit/comment-marker": note,  # a sticky note; its words are its first comment's
    "pspdfkit/text": free_text,
    "pspdfkit/stamp": stamp,
    "pspdfkit/shape/line": line,
    "pspdfkit/shape/rectangle": box_shape,
    "pspdfkit/shape/ellipse": box_shape,
    "pspdfkit/shape/polygon": poly,
    "pspdfkit/shape/polyline": poly,
    "pspdfkit/ink": ink,
    "pspdfkit/markup/highlight": markup,
    "pspdfkit/markup/underline": markup,
    "pspdfkit/markup/squiggly": markup,
    "pspdfkit/markup/strikeout": markup,
    "pspdfkit/markup/redaction": redaction,
}
