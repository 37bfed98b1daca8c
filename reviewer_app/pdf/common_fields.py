"""The Instant JSON fields every annotation has, read from its PDF dictionary."""

from __future__ import annotations

from typing import Any

from reviewer_app.instant.records import Json
from reviewer_app.pdf.objects import parse_object, resolve
from reviewer_app.pdf.properties import color_hex, flag_names, iso_date, name_of
from reviewer_app.pdf.source import AnnotationSource


def base(source: AnnotationSource, type_: str) -> Json:
    """The fields every Instant annotation has: type, page, bbox, opacity, author, dates, flags."""
    opacity = source.number("CA")
    content: Json = {
        "v": 2,
        "type": type_,
        "pageIndex": source.page_index,
        "bbox": source.bbox(),
        "opacity": 1.0 if opacity is None else min(1.0, max(0.0, opacity)),
        "pdfObjectId": source.xref,
    }
    optional = {
        "name": source.text("NM"),
        "creatorName": source.text("T"),
        "createdAt": iso_date(source.text("CreationDate")),
        "updatedAt": iso_date(source.text("M")),
    }
    content.update((key, value) for key, value in optional.items() if value is not None)
    flags = flag_names(source.get("F"))
    if flags:
        content["flags"] = flags
    blend = blend_mode(source)
    if blend:
        content["blendMode"] = blend
    return content


def blend_mode(source: AnnotationSource) -> str | None:
    """The Instant ``blendMode`` of an annotation drawn other than normally: its /BM (PDF 2.0),
    else the first /BM of its appearance's graphics states (how Acrobat draws highlights)."""
    mode = source.get("BM")
    if isinstance(mode, list):
        mode = mode[0] if mode else None
    name = name_of(mode)
    if name is None:
        name = _appearance_blend(source)
    if not name or name in ("Normal", "Compatible"):
        return None
    return name[:1].lower() + name[1:]


def _appearance_blend(source: AnnotationSource) -> str | None:
    """The first blend mode named in the graphics states of the normal appearance (none for
    a dictionary that is no object of a PDF: one read from XFDF)."""
    doc, xref = source.doc, source.xref
    if doc is None or xref <= 0:
        return None
    kind, ref = doc.xref_get_key(xref, "AP/N")
    if kind != "xref":
        return None
    states = doc.xref_get_key(int(ref.split()[0]), "Resources/ExtGState")
    if "/BM" not in states[1] and states[0] != "xref":
        return None
    found = resolve(doc, parse_object(states[1]))
    for state in found.values() if isinstance(found, dict) else ():
        mode = resolve(doc, state).get("BM") if isinstance(resolve(doc, state), dict) else None
        name = name_of(mode[0] if isinstance(mode, list) and mode else mode)
        if name and name not in ("Normal", "Compatible"):
            return name
    return None


def with_note(source: AnnotationSource, content: Json) -> Json:
    """``content`` with the annotation's /Contents as ``note`` when it has any."""
    note = source.text("Contents")
    if note:
        content["note"] = note
    return content


def with_color(content: Json, key: str, value: Any) -> Json:
    """``content`` with ``key`` set to the colour ``value`` when it is one."""
    hex_color = color_hex(value)
    if hex_color:
        content[key] = hex_color
    return content


def plain_text(text: str | None) -> Json:
    """An Instant v2 text object holding plain ``text`` (its line breaks as ``\\n``: PDF
    text strings often break lines with ``\\r``)."""
    return {"format": "plain", "value": (text or "").replace("\r\n", "\n").replace("\r", "\n")}
