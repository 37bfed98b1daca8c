"""XFDF into a layer's records: annotations and form values, with a reason for what is not taken.

The XML is read by defusedxml: a document type with entities (an entity-expansion bomb) or an
external entity is refused before anything is expanded or fetched. Each annotation element is
turned back into its PDF dictionary (the inverse of write.py's names) and read by the code that
reads PDF annotations on import (reviewer_app.pdf.annotations), so an XFDF file and a PDF with
the same annotations give the same records.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from reviewer_app.instant.document import FORMAT
from reviewer_app.instant.records import Json
from reviewer_app.pdf.annotations import convert
from reviewer_app.pdf.geometry import PageBox
from reviewer_app.pdf.objects import Name, PdfDict
from reviewer_app.pdf.source import AnnotationSource
from reviewer_app.xfdf.threads import thread_records
from reviewer_app.xfdf.write import ELEMENTS, FLAGS, JUSTIFICATION

SUBTYPES = {tag: subtype for subtype, tag in ELEMENTS.items()}
FLAG_BITS = {name: bit for bit, name in FLAGS.items()}
QUADDING = {name: q for q, name in JUSTIFICATION.items()} | {"center": 1}
MOST_BYTES = 64 * 2**20  # an XFDF file larger than this is refused
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_HEX = re.compile(r"#([0-9a-fA-F]{6})")


class XfdfError(ValueError):
    """The file is not XFDF we can read; the message says why, in words for a person."""


@dataclass
class Read:
    """What an XFDF file holds for a layer: annotations and comments (Instant JSON, each with
    its ``id``), form field values (``{"name", "value"}``), and ``{"reason": ...}`` for each
    element that was not taken."""

    annotations: list[Json] = field(default_factory=list)
    comments: list[Json] = field(default_factory=list)
    values: list[Json] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)

    def instant(self) -> Json:
        """What was read as an Instant JSON document, to apply to a layer."""
        values = [{"v": 1, "type": "pspdfkit/form-field-value", **v} for v in self.values]
        return {
            "format": FORMAT,
            "annotations": self.annotations,
            "comments": self.comments,
            "formFieldValues": values,
        }


def read_xfdf(data: bytes, boxes: Sequence[PageBox]) -> Read:
    """The records of XFDF ``data`` for a PDF whose page boxes are ``boxes``."""
    if len(data) > MOST_BYTES:
        raise XfdfError(f"the XFDF file is larger than {MOST_BYTES // 2**20} MB")
    try:
        root = SafeET.fromstring(data)
    except DefusedXmlException as exc:
        raise XfdfError(
            "the XFDF file declares entities, which are refused (they can expand without "
            f"end or read other files): {type(exc).__name__}"
        ) from exc
    except ET.ParseError as exc:
        raise XfdfError(f"the XFDF file is not well-formed XML: {exc}") from exc
    if _local(root.tag) != "xfdf":
        raise XfdfError(f"this is not XFDF: the document is <{_local(root.tag)}>, not <xfdf>")
    read = Read()
    replies: list[ET.Element] = []
    for part in root:
        name = _local(part.tag)
        if name == "annots":
            for element in part:
                if element.get("inreplyto"):
                    replies.append(element)
                else:
                    _annotation(element, boxes, read)
        elif name == "fields":
            _fields(part, "", read)
    read.comments = thread_records(read.annotations, replies, read.errors)
    return read


def _local(tag: str) -> str:
    """An element's name without its namespace (XFDF files are written with and without)."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _annotation(element: ET.Element, boxes: Sequence[PageBox], read: Read) -> None:
    tag = _local(element.tag)
    name = element.get("name") or ""
    where = {"element": tag, **({"name": name} if name else {})}
    subtype = SUBTYPES.get(tag)
    if subtype is None:
        read.errors.append({**where, "reason": f"<{tag}> annotations are not read"})
        return
    page = _int(element.get("page"))
    if page is None or not 0 <= page < len(boxes):
        reason = f"page {element.get('page')!r} is not a page of this PDF ({len(boxes)} pages)"
        read.errors.append({**where, "reason": reason})
        return
    try:
        obj = pdf_dict(element, subtype)
    except ValueError as exc:
        read.errors.append({**where, "reason": str(exc)})
        return
    source = AnnotationSource(None, 0, obj, page, boxes[page], None)  # type: ignore[arg-type]
    content = convert(subtype, source)
    if content is None:
        read.errors.append({**where, "reason": f"a {subtype} annotation could not be read"})
        return
    content.pop("pdfObjectId", None)  # not a PDF object of the base
    content.pop("name", None)  # the /NM is the record's id
    if name:
        content["id"] = name
    read.annotations.append(content)


def pdf_dict(element: ET.Element, subtype: str) -> PdfDict:
    """An annotation element's attributes and children as its PDF dictionary."""
    get = element.get
    rect = _numbers(get("rect"), 4, "rect")
    obj: PdfDict = {"Subtype": Name(subtype), "Rect": rect}
    flags = [f.strip().lower() for f in (get("flags") or "").split(",") if f.strip()]
    obj["F"] = sum(1 << (FLAG_BITS[f] - 1) for f in flags if f in FLAG_BITS)
    for attr, key in (
        ("name", "NM"),
        ("title", "T"),
        ("date", "M"),
        ("creationdate", "CreationDate"),
    ):
        if get(attr) is not None:
            obj[key] = get(attr)
    for attr, key in (("color", "C"), ("interior-color", "IC")):
        colour = _colour(get(attr))
        if colour is not None:
            obj[key] = colour
    opacity = _float(get("opacity"))
    if opacity is not None:
        obj["CA"] = opacity
    for attr, key in (("icon", "Name"),):
        if get(attr):
            obj[key] = Name(str(get(attr)))
    rotation = _int(get("rotation"))
    if rotation is not None:
        obj["Rotate"] = rotation
    if get("justification") is not None:
        obj["Q"] = QUADDING.get(str(get("justification")).lower(), 0)
    if get("coords"):
        obj["QuadPoints"] = _numbers(get("coords"), None, "coords")
    if get("start") and get("end"):
        obj["L"] = _numbers(get("start"), 2, "start") + _numbers(get("end"), 2, "end")
    if get("head") or get("tail"):
        obj["LE"] = [Name(get("head") or "None"), Name(get("tail") or "None")]
    _border(element, obj)
    for child in element:
        _child(child, obj)
    return obj


def _border(element: ET.Element, obj: PdfDict) -> None:
    width = _float(element.get("width"))
    style = (element.get("style") or "").lower()
    border: PdfDict = {}
    if width is not None:
        border["W"] = width
    if style == "dash":
        border["S"] = Name("D")
        border["D"] = _numbers(element.get("dashes") or "3", None, "dashes")
    if border:
        obj["BS"] = border
    if style == "cloudy":
        obj["BE"] = {"S": Name("C"), "I": _float(element.get("intensity")) or 1.0}


def _child(child: ET.Element, obj: PdfDict) -> None:
    name, text = _local(child.tag), child.text or ""
    if name == "contents":
        obj["Contents"] = text
    elif name == "contents-richtext":
        body = "".join(child.itertext()).strip()
        if body and "Contents" not in obj:
            obj["Contents"] = body
    elif name == "defaultappearance":
        obj["DA"] = text
    elif name == "defaultstyle":
        obj["DS"] = text
    elif name == "vertices":
        obj["Vertices"] = _numbers(text, None, "vertices")
    elif name == "inklist":
        obj["InkList"] = [
            _numbers(g.text or "", None, "gesture") for g in child if _local(g.tag) == "gesture"
        ]


def _fields(parent: ET.Element, prefix: str, read: Read) -> None:
    for element in parent:
        if _local(element.tag) != "field":
            continue
        name = element.get("name")
        if not name:
            read.errors.append({"element": "field", "reason": "a field without a name"})
            continue
        full = f"{prefix}.{name}" if prefix else name
        values = [v.text or "" for v in element if _local(v.tag) == "value"]
        if values:
            read.values.append({"name": full, "value": values[0] if len(values) == 1 else values})
        _fields(element, full, read)


def _numbers(text: str | None, count: int | None, what: str) -> list[float]:
    values = [float(v) for v in _NUMBER.findall(text or "")]
    if (count is not None and len(values) != count) or (count is None and not values):
        raise ValueError(f"{what} {text!r} is not {count or 'a list of'} numbers")
    return values


def _float(text: str | None) -> float | None:
    match = _NUMBER.fullmatch((text or "").strip())
    return float(match.group()) if match else None


def _int(text: str | None) -> int | None:
    value = _float(text)
    return int(value) if value is not None and value.is_integer() else None


def _colour(text: str | None) -> list[float] | None:
    match = _HEX.fullmatch((text or "").strip())
    if match is None:
        return None
    digits = match.group(1)
    return [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
