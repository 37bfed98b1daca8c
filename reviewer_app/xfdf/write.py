"""A layer as XFDF (Adobe's XML Forms Data Format 3.0): its annotations and form values.

Each annotation is written from its PDF dictionary (vocabulary.py) under the element and
attribute names of the XFDF specification; form field values go under ``<fields>`` with the
dotted names split into nested fields. Written with the standard library's ElementTree (writing
XML is safe; reading it is not, see read.py).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from reviewer_app.instant.records import Record
from reviewer_app.pdf.geometry import PageBox
from reviewer_app.pdf.objects import Name, PdfDict
from reviewer_app.xfdf.threads import marker_words, thread_elements
from reviewer_app.xfdf.vocabulary import NotInXfdf, number_text, numbers_text, pdf_dict

NS = "http://ns.adobe.com/xfdf/"
XML = "http://www.w3.org/XML/1998/namespace"
ELEMENTS = {
    "Text": "text",
    "Caret": "caret",
    "FreeText": "freetext",
    "Line": "line",
    "Square": "square",
    "Circle": "circle",
    "Polygon": "polygon",
    "PolyLine": "polyline",
    "Ink": "ink",
    "Highlight": "highlight",
    "Underline": "underline",
    "Squiggly": "squiggly",
    "StrikeOut": "strikeout",
    "Stamp": "stamp",
}
FLAGS = {  # annotation flag bit → the XFDF flag name
    1: "invisible",
    2: "hidden",
    3: "print",
    4: "nozoom",
    5: "norotate",
    6: "noview",
    7: "readonly",
    8: "locked",
    9: "togglenoview",
    10: "lockedcontents",
}
JUSTIFICATION = {0: "left", 1: "centered", 2: "right"}
TEXTS = (("name", "NM"), ("title", "T"), ("date", "M"), ("creationdate", "CreationDate"))

ET.register_namespace("", NS)


@dataclass
class Written:
    """An XFDF document and what it could not carry (``{"reason": ...}`` per record)."""

    xml: bytes
    annotations: int = 0
    fields: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)


def layer_xfdf(records: Iterable[Record], boxes: Sequence[PageBox], pdf_name: str = "") -> Written:
    """The XFDF of a layer's ``records`` over pages whose boxes are ``boxes``."""
    root = ET.Element(f"{{{NS}}}xfdf", {f"{{{XML}}}space": "preserve"})
    if pdf_name:
        ET.SubElement(root, f"{{{NS}}}f", {"href": pdf_name})
    values: dict[str, Any] = {}
    annots = ET.Element(f"{{{NS}}}annots")
    written = Written(b"")
    records = list(records)
    first_words = marker_words(records)
    for record in records:
        if record.kind == "formFieldValue":
            name = record.content.get("name")
            if isinstance(name, str) and name:
                values[name] = record.content.get("value")
            continue
        if record.kind != "annotation":
            continue
        page = record.content.get("pageIndex")
        if not isinstance(page, int) or not 0 <= page < len(boxes):
            written.errors.append({"id": record.id, "reason": "its page is not in the PDF"})
            continue
        content = record.content
        if record.id in first_words:  # a comment marker: a note saying its first comment
            words, author = first_words[record.id]
            content = {**content, "text": {"format": "plain", "value": words}}
            content["creatorName"] = author or content.get("creatorName")
        try:
            obj = pdf_dict(record.id, content, boxes[page])
        except NotInXfdf as exc:
            written.errors.append({"id": record.id, "reason": str(exc)})
            continue
        annots.append(annotation_element(obj, page))
        written.annotations += 1
    annots.extend(thread_elements(records, boxes))
    if values:
        root.append(fields_element(values))
        written.fields = len(values)
    root.append(annots)
    written.xml = ET.tostring(root, encoding="UTF-8", xml_declaration=True)
    return written


def annotation_element(obj: PdfDict, page: int) -> ET.Element:
    """One annotation's XFDF element from its PDF dictionary."""
    tag = ELEMENTS[str(obj["Subtype"])]
    element = ET.Element(f"{{{NS}}}{tag}", {"page": str(page), "rect": numbers_text(obj["Rect"])})
    attrs = element.attrib
    bits = int(obj.get("F", 0))
    flags = [name for bit, name in FLAGS.items() if bits & (1 << (bit - 1))]
    if flags:
        attrs["flags"] = ",".join(flags)
    for key, attr in (
        ("NM", "name"),
        ("T", "title"),
        ("M", "date"),
        ("CreationDate", "creationdate"),
    ):
        if key in obj:
            attrs[attr] = str(obj[key])
    for key, attr in (("C", "color"), ("IC", "interior-color")):
        if key in obj:
            attrs[attr] = _hex(obj[key])
    if "CA" in obj:
        attrs["opacity"] = number_text(obj["CA"])
    if "Name" in obj:
        attrs["icon"] = str(obj["Name"])
    if "Rotate" in obj:
        attrs["rotation"] = str(obj["Rotate"])
    if "Q" in obj:
        attrs["justification"] = JUSTIFICATION.get(int(obj["Q"]), "left")
    if "QuadPoints" in obj:
        attrs["coords"] = numbers_text(obj["QuadPoints"])
    if "L" in obj:
        attrs["start"], attrs["end"] = numbers_text(obj["L"][:2]), numbers_text(obj["L"][2:4])
    if "LE" in obj:
        attrs["head"], attrs["tail"] = (str(end) for end in obj["LE"])
    _border(attrs, obj)
    if "Contents" in obj:
        ET.SubElement(element, f"{{{NS}}}contents").text = str(obj["Contents"])
    if "DA" in obj:
        ET.SubElement(element, f"{{{NS}}}defaultappearance").text = str(obj["DA"])
    if "Vertices" in obj:
        ET.SubElement(element, f"{{{NS}}}vertices").text = _pairs(obj["Vertices"])
    if "InkList" in obj:
        inklist = ET.SubElement(element, f"{{{NS}}}inklist")
        for path in obj["InkList"]:
            ET.SubElement(inklist, f"{{{NS}}}gesture").text = _pairs(path)
    return element


def _border(attrs: dict[str, str], obj: PdfDict) -> None:
    style = obj.get("BS")
    if isinstance(style, dict):
        if "W" in style:
            attrs["width"] = number_text(style["W"])
        if style.get("S") == Name("D"):
            attrs["style"] = "dash"
            attrs["dashes"] = numbers_text(style.get("D") or [3.0])
    effect = obj.get("BE")
    if isinstance(effect, dict) and effect.get("S") == Name("C"):
        attrs["style"] = "cloudy"
        attrs["intensity"] = number_text(effect.get("I", 1))


def _hex(components: Sequence[float]) -> str:
    return "#" + "".join(f"{round(min(1.0, max(0.0, c)) * 255):02X}" for c in components[:3])


def _pairs(flat: Sequence[float]) -> str:
    """``x1,y1;x2,y2``: a flat point list as XFDF writes vertices and gestures."""
    return ";".join(numbers_text(flat[i : i + 2]) for i in range(0, len(flat) - 1, 2))


def fields_element(values: dict[str, Any]) -> ET.Element:
    """``<fields>`` with each dotted name split into nested ``<field>`` elements."""
    fields = ET.Element(f"{{{NS}}}fields")
    made: dict[tuple[str, ...], ET.Element] = {}
    for name, value in values.items():
        parent, path = fields, tuple[str, ...]()
        for part in name.split("."):
            path = (*path, part)
            if path not in made:
                made[path] = ET.SubElement(parent, f"{{{NS}}}field", {"name": part})
            parent = made[path]
        for item in value if isinstance(value, list) else [value]:
            text = "" if item is None else str(item)
            ET.SubElement(parent, f"{{{NS}}}value").text = text
    return fields
