"""What a PDF holds besides annotations, in Document Engine's shapes: its form fields with their
widgets, and the lines of text of its pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reviewer_app.instant.ids import derived_id
from reviewer_app.instant.records import Json
from reviewer_app.pdf.geometry import page_box, to_instant_rect
from reviewer_app.pdf.objects import parse_object
from reviewer_app.pdf.text import words

MAX_WIDGETS = 100_000
"""A guard against pathological forms."""
FIELD_TYPES = {
    "Text": "text",
    "CheckBox": "checkbox",
    "RadioButton": "radio",
    "ComboBox": "combobox",
    "ListBox": "listbox",
    "Button": "button",
    "Signature": "signature",
}
"""PyMuPDF's field type names → the ``pspdfkit/form-field/<type>`` they are in Instant JSON."""
READ_ONLY, REQUIRED, NO_EXPORT = 1, 2, 4
MULTILINE, PASSWORD, NO_SPELLCHECK, NO_SCROLL, COMB = 1 << 12, 1 << 13, 1 << 22, 1 << 23, 1 << 24
EDIT = 1 << 18


@dataclass
class FormField:
    """One form field: its Instant JSON ``content`` and its widgets' (``pspdfkit/widget``)."""

    content: Json
    widgets: list[Json] = field(default_factory=list)


def form_fields(doc: Any, sha256: str) -> list[FormField]:
    """Every form field of the PDF with its widgets, in page order (a field is where its first
    widget is). Ids are derived from the PDF (its SHA-256 and the objects' numbers), so they
    are the same on every read: a field's id is its fully qualified name, as form values'."""
    found: dict[str, FormField] = {}
    seen = 0
    for page_index in range(doc.page_count):
        box = page_box(doc, page_index)
        for widget in doc[page_index].widgets() or ():
            seen += 1
            if seen > MAX_WIDGETS:
                return list(found.values())
            name = widget.field_name or ""
            kind = FIELD_TYPES.get(widget.field_type_string)
            if not name or kind is None:
                continue
            rect = parse_object(doc.xref_get_key(widget.xref, "Rect")[1] or "[]")
            if not isinstance(rect, list) or len(rect) != 4:
                continue
            wid = derived_id(sha256, "widget", widget.xref)
            entry = found.get(name)
            if entry is None:
                entry = found[name] = FormField(_field(widget, name, kind))
            entry.content["annotationIds"].append(wid)
            if kind in ("checkbox", "radio"):
                state = str(widget.on_state() or "Yes")
                entry.content["options"].append({"label": state, "value": state})
            entry.widgets.append(
                {
                    "v": 2,
                    "type": "pspdfkit/widget",
                    "id": wid,
                    "pageIndex": page_index,
                    "bbox": to_instant_rect(box, [float(n) for n in rect]),
                    "formFieldName": name,
                    "pdfObjectId": widget.xref,
                    "opacity": 1,
                }
            )
    return list(found.values())


def _field(widget: Any, name: str, kind: str) -> Json:
    flags = int(widget.field_flags or 0)
    content: Json = {
        "v": 1,
        "type": f"pspdfkit/form-field/{kind}",
        "id": name,
        "name": name,
        "label": str(widget.field_label or name),
        "annotationIds": [],
        "flags": [
            flag
            for flag, bit in (
                ("readOnly", READ_ONLY),
                ("required", REQUIRED),
                ("noExport", NO_EXPORT),
            )
            if flags & bit
        ],
    }
    if kind == "text":
        content |= {
            "password": bool(flags & PASSWORD),
            "doNotSpellCheck": bool(flags & NO_SPELLCHECK),
            "doNotScroll": bool(flags & NO_SCROLL),
            "multiLine": bool(flags & MULTILINE),
            "comb": bool(flags & COMB),
            "defaultValue": "",
        }
        if widget.text_maxlen:
            content["maxLength"] = int(widget.text_maxlen)
    elif kind in ("checkbox", "radio"):
        content |= {"options": [], "defaultValues": []}
    elif kind in ("combobox", "listbox"):
        content["options"] = [_option(choice) for choice in widget.choice_values or ()]
        if kind == "combobox":
            content |= {"edit": bool(flags & EDIT), "doNotSpellCheck": bool(flags & NO_SPELLCHECK)}
    elif kind == "button":
        content["buttonLabel"] = str(widget.button_caption or "")
    return content


def _option(choice: Any) -> Json:
    """A choice as PyMuPDF gives it: a string, or ``[export value, label]``."""
    if isinstance(choice, list | tuple) and len(choice) == 2:
        return {"label": str(choice[1]), "value": str(choice[0])}
    return {"label": str(choice), "value": str(choice)}


def text_lines(doc: Any, page_index: int) -> list[Json]:
    """The page's lines of text (``TextLine``): contents and box in Instant coordinates
    (points from the visible page's top-left, right on rotated pages)."""
    lines: dict[tuple[int, int], list[Any]] = {}
    for word in words(doc, page_index):
        lines.setdefault((word.block, word.line), []).append(word)
    found: list[Json] = []
    for key in sorted(lines):
        line = sorted(lines[key], key=lambda w: w.number)
        left = min(w.bbox[0] for w in line)
        top = min(w.bbox[1] for w in line)
        right = max(w.bbox[0] + w.bbox[2] for w in line)
        bottom = max(w.bbox[1] + w.bbox[3] for w in line)
        found.append(
            {
                "contents": " ".join(w.text for w in line),
                "left": round(left, 2),
                "top": round(top, 2),
                "width": round(right - left, 2),
                "height": round(bottom - top, 2),
            }
        )
    return found


MAX_OUTLINE = 100_000
"""A guard against pathological outlines."""


def outline(doc: Any) -> list[Json]:
    """The PDF's outline (bookmarks) as nested ``pspdfkit/outline-element``s; an entry that
    goes to a page carries a ``goTo`` action (other targets, such as URIs, carry none)."""
    roots: list[Json] = []
    stack: list[tuple[int, list[Json]]] = [(0, roots)]
    for level, title, _, target in doc.get_toc(simple=False)[:MAX_OUTLINE]:
        element: Json = {
            "type": "pspdfkit/outline-element",
            "title": str(title),
            "isExpanded": not (isinstance(target, dict) and target.get("collapse")),
            "children": [],
        }
        page = target.get("page") if isinstance(target, dict) else None
        if isinstance(page, int) and 0 <= page < doc.page_count:
            element["action"] = {"type": "goTo", "pageIndex": page}
        while len(stack) > 1 and stack[-1][0] >= level:
            stack.pop()
        stack[-1][1].append(element)
        stack.append((level, element["children"]))
    return roots
