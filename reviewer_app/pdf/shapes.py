"""PDF drawing annotations → Instant JSON v2: lines, shapes, ink, text markup and redactions."""

from __future__ import annotations

from collections.abc import Callable

from reviewer_app.instant.records import Json
from reviewer_app.pdf.common_fields import base, with_color, with_note
from reviewer_app.pdf.objects import number, numbers, resolve
from reviewer_app.pdf.properties import name_of, plain_number
from reviewer_app.pdf.source import AnnotationSource

LINE_CAPS = {
    "Square": "square",
    "Circle": "circle",
    "Diamond": "diamond",
    "OpenArrow": "openArrow",
    "ClosedArrow": "closedArrow",
    "Butt": "butt",
    "ROpenArrow": "reverseOpenArrow",
    "RClosedArrow": "reverseClosedArrow",
    "Slash": "slash",
}
MARKUP_TYPES = {
    "Highlight": "pspdfkit/markup/highlight",
    "Underline": "pspdfkit/markup/underline",
    "Squiggly": "pspdfkit/markup/squiggly",
    "StrikeOut": "pspdfkit/markup/strikeout",
}
_DEFAULT_MARKUP_COLOR = {"Highlight": "#ffff00"}
_INK_INTENSITY = 0.5


def border_width(source: AnnotationSource) -> float | None:
    """The border width in points from /BS /W, else /Border's third number; None when neither
    is given."""
    style = source.get("BS")
    width = None
    if isinstance(style, dict) and "W" in style:
        width = number(resolve(source.doc, style["W"]))
    else:
        border = numbers(source.get("Border"))
        width = border[2] if border and len(border) >= 3 else None
    return None if width is None else source.length(width)


def _shape(source: AnnotationSource, type_: str) -> Json:
    """The fields shared by lines, rectangles, ellipses and polygons."""
    content = base(source, type_)
    width = border_width(source)
    content["strokeWidth"] = plain_number(1.0 if width is None else width)
    with_color(content, "strokeColor", source.get("C"))
    with_color(content, "fillColor", source.get("IC"))
    style = source.get("BS")
    if isinstance(style, dict) and name_of(style.get("S")) == "D":
        dashes = [source.length(d) for d in numbers(resolve(source.doc, style.get("D"))) or [3.0]]
        content["strokeDashArray"] = [dashes[0], dashes[1] if len(dashes) > 1 else dashes[0]]
    effect = source.get("BE")
    if isinstance(effect, dict) and name_of(effect.get("S")) == "C":
        content["cloudyBorderIntensity"] = plain_number(number(effect.get("I")) or 0.0)
    return with_note(source, content)


def _line_caps(source: AnnotationSource) -> Json | None:
    """/LE as Instant ``lineCaps`` (``None`` ends are left out), or None without any."""
    ends = source.get("LE")
    if not isinstance(ends, list) or len(ends) != 2:
        return None
    caps = {
        end: LINE_CAPS[name]
        for end, name in zip(("start", "end"), map(name_of, ends), strict=True)
        if name in LINE_CAPS
    }
    return caps or None


def line(source: AnnotationSource) -> Json:
    """A /Line as ``pspdfkit/shape/line``."""
    content = _shape(source, "pspdfkit/shape/line")
    ends = [*source.points("L"), [0.0, 0.0], [0.0, 0.0]]
    content["startPoint"], content["endPoint"] = ends[0], ends[1]
    caps = _line_caps(source)
    if caps:
        content["lineCaps"] = caps
    return content


def rectangle(source: AnnotationSource) -> Json:
    """A /Square as ``pspdfkit/shape/rectangle``."""
    return _shape(source, "pspdfkit/shape/rectangle")


def ellipse(source: AnnotationSource) -> Json:
    """A /Circle as ``pspdfkit/shape/ellipse``."""
    return _shape(source, "pspdfkit/shape/ellipse")


def polygon(source: AnnotationSource) -> Json:
    """A /Polygon as ``pspdfkit/shape/polygon``."""
    content = _shape(source, "pspdfkit/shape/polygon")
    content["points"] = source.points("Vertices")
    return content


def polyline(source: AnnotationSource) -> Json:
    """A /PolyLine as ``pspdfkit/shape/polyline``."""
    content = _shape(source, "pspdfkit/shape/polyline")
    content["points"] = source.points("Vertices")
    caps = _line_caps(source)
    if caps:
        content["lineCaps"] = caps
    return content


def ink(source: AnnotationSource) -> Json:
    """An /Ink as ``pspdfkit/ink`` (PDF ink has no pressure: every intensity is 0.5)."""
    content = base(source, "pspdfkit/ink")
    paths = source.point_lists("InkList")
    content["lines"] = {
        "points": paths,
        "intensities": [[_INK_INTENSITY] * len(path) for path in paths],
    }
    width = border_width(source)
    content["lineWidth"] = plain_number(1.0 if width is None else width)
    with_color(content, "strokeColor", source.get("C"))
    return with_note(source, content)


def markup(source: AnnotationSource) -> Json:
    """A text markup (highlight, underline, squiggly, strikeout): each quad as a rect."""
    subtype = source.name("Subtype") or "Highlight"
    content = base(source, MARKUP_TYPES[subtype])
    content["rects"] = source.quad_rects() or [content["bbox"]]
    content["color"] = _DEFAULT_MARKUP_COLOR.get(subtype, "#000000")
    with_color(content, "color", source.get("C"))
    return with_note(source, content)


def redaction(source: AnnotationSource) -> Json:
    """A /Redact as ``pspdfkit/markup/redaction``."""
    content = base(source, "pspdfkit/markup/redaction")
    content["rects"] = source.quad_rects() or [content["bbox"]]
    with_color(content, "fillColor", source.get("IC"))
    with_color(content, "outlineColor", source.get("OC"))
    with_color(content, "color", source.get("C"))
    overlay = source.text("OverlayText")
    if overlay:
        content["overlayText"] = overlay
        content["repeatOverlayText"] = source.get("Repeat") is True
    return with_note(source, content)


CONVERTERS: dict[str, Callable[[AnnotationSource], Json]] = {
    "Line": line,
    "Square": rectangle,
    "Circle": ellipse,
    "Polygon": polygon,
    "PolyLine": polyline,
    "Ink": ink,
    "Redact": redaction,
    **dict.fromkeys(MARKUP_TYPES, markup),
}
