"""The Instant JSON fields every annotation has, read from its PDF dictionary."""

from __future__ import annotations

from typing import Any

from reviewer_app.instant.records import Json
from reviewer_app.pdf.properties import color_hex, flag_names, iso_date
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
    return content


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
    """An Instant v2 text object holding plain ``text``."""
    return {"format": "plain", "value": text or ""}
