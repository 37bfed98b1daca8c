"""PDF annotations → Instant JSON v2: common fields, notes, free text, stamps and links."""

from __future__ import annotations

from collections.abc import Callable

from reviewer_app.instant.records import Json
from reviewer_app.pdf import shapes
from reviewer_app.pdf.common_fields import base, plain_text, with_color, with_note
from reviewer_app.pdf.links import link_action
from reviewer_app.pdf.properties import color_hex, name_of, plain_number
from reviewer_app.pdf.rich_text import rich_text, style_of
from reviewer_app.pdf.shapes import border_width
from reviewer_app.pdf.source import AnnotationSource

Converter = Callable[[AnnotationSource], Json | None]

NOTE_ICONS = {
    "Comment": "comment",
    "Note": "note",
    "Help": "help",
    "Insert": "insert",
    "Key": "key",
    "NewParagraph": "newParagraph",
    "Paragraph": "paragraph",
    "Check": "check",
    "Circle": "circle",
    "Cross": "cross",
    "Star": "star",
    "RightArrow": "rightArrow",
    "RightPointer": "rightPointer",
}
STAMP_TYPES = frozenset(
    (
        *("Accepted", "Approved", "AsIs", "Completed", "Confidential", "Departmental", "Draft"),
        *("Experimental", "Expired", "Final", "ForComment", "ForPublicRelease"),
        *("InformationOnly", "InitialHere", "NotApproved", "NotForPublicRelease"),
        *("PreliminaryResults", "Rejected", "Revised", "SignHere", "Sold", "TopSecret", "Void"),
        "Witness",
    )
)
_STAMP_PREFIXES = ("SB", "SH")  # Acrobat's "Standard Business" and "Sign Here" stamp names
_ALIGN = {0: "left", 1: "center", 2: "right"}
_BASE14 = {"Helv": "Helvetica", "TiRo": "Times", "Cour": "Courier"}


def convert(subtype: str, source: AnnotationSource) -> Json | None:
    """The Instant JSON of an annotation, or None when its subtype (or action) has none."""
    converter = CONVERTERS.get(subtype)
    return converter(source) if converter else None


def note(source: AnnotationSource) -> Json:
    """A /Text annotation (a sticky note) as ``pspdfkit/note``."""
    content = base(source, "pspdfkit/note")
    content["text"] = plain_text(source.text("Contents"))
    content["icon"] = NOTE_ICONS.get(source.name("Name") or "", "comment")
    return with_color(content, "color", source.get("C"))


def caret(source: AnnotationSource) -> Json:
    """A /Caret annotation as an "insert" note that remembers where it came from."""
    content = note(source)
    content["icon"] = "insert"
    content["customData"] = {"pdfSubtype": "Caret"}
    return content


def free_text(source: AnnotationSource) -> Json:
    """A /FreeText annotation as ``pspdfkit/text``: its font, size, colour and alignment from
    /DA and /Q, then the default style string /DS, then the rich text /RC (whose first words'
    style wins, as readers that draw rich text show it); its words from /Contents, else /RC."""
    content = base(source, "pspdfkit/text")
    font, size, font_color = parse_da(source.text("DA") or "")
    content["fontSize"] = round(source.length(size)) if size else 12
    if font:
        content["font"] = _BASE14.get(font, font)
    content["fontColor"] = font_color or "#000000"
    content["horizontalAlign"] = _ALIGN.get(int(source.number("Q") or 0), "left")
    content["verticalAlign"] = "top"
    style = style_of(source.text("DS") or "")
    words, rich = rich_text(source.text("RC") or "") if source.get("RC") else ("", {})
    style.update(rich)
    if "fontSize" in style:
        style["fontSize"] = plain_number(round(source.length(style["fontSize"]), 1))
    content.update(style)
    content["text"] = plain_text(source.text("Contents") or words)
    return with_color(with_rotation(source, content), "backgroundColor", source.get("C"))


def stamp(source: AnnotationSource) -> Json:
    """A /Stamp as ``pspdfkit/stamp``: a known /Name keeps its type, others become Custom."""
    content = base(source, "pspdfkit/stamp")
    name = source.name("Name") or "Draft"
    content["stampType"] = stamp_type(name)
    if content["stampType"] == "Custom":
        content["title"] = name
    return with_note(source, with_color(with_rotation(source, content), "color", source.get("C")))


def with_rotation(source: AnnotationSource, content: Json) -> Json:
    """``content`` with the annotation's /Rotate as ``rotation`` when it is a quarter, a half
    or three quarters (the convention: :func:`reviewer_app.instant.transform.rotation_of`)."""
    rotation = int(source.number("Rotate") or 0) % 360
    if rotation in (90, 180, 270):
        content["rotation"] = rotation
    return content


def stamp_type(name: str) -> str:
    """The Instant stampType for a PDF stamp /Name (Acrobat's SB/SH prefixes dropped)."""
    for prefix in ("", *_STAMP_PREFIXES):
        if name.startswith(prefix) and name[len(prefix) :] in STAMP_TYPES:
            return name[len(prefix) :]
    return "Custom"


def link(source: AnnotationSource) -> Json | None:
    """A /Link as ``pspdfkit/link``, or None when its action cannot be expressed."""
    action = link_action(source.doc, source.obj, source.targets)
    if action is None:
        return None
    content = base(source, "pspdfkit/link")
    content["action"] = action
    width = border_width(source)
    if width:  # a link shows a border when it has a width (/Border's default is 1)
        content["borderWidth"] = plain_number(width)
        style = source.get("BS")
        if isinstance(style, dict) and name_of(style.get("S")) == "D":
            content["borderStyle"] = "dashed"
    return with_note(source, with_color(content, "borderColor", source.get("C")))


def parse_da(da: str) -> tuple[str | None, float | None, str | None]:
    """Font name, size and colour from a default-appearance string like ``/Helv 12 Tf 1 0 0 rg``."""
    tokens = da.split()
    font = size = color = None
    for index, token in enumerate(tokens):
        if token == "Tf" and index >= 2 and tokens[index - 2].startswith("/"):
            font, size = tokens[index - 2][1:], _float(tokens[index - 1])
        operands = {"g": 1, "rg": 3, "k": 4}.get(token)
        if operands and index >= operands:
            values = [_float(t) for t in tokens[index - operands : index]]
            if all(v is not None for v in values):
                color = color_hex(values)
    return font, size, color


def _float(token: str) -> float | None:
    try:
        return float(token)
    except ValueError:
        return None


CONVERTERS: dict[str, Converter] = {
    "Text": note,
    "Caret": caret,
    "FreeText": free_text,
    "Stamp": stamp,
    "Link": link,
    **shapes.CONVERTERS,
}
