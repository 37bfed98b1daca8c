"""Form field values: one Instant ``pspdfkit/form-field-value`` record per field of the AcroForm."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reviewer_app.instant.records import Json, Record
from reviewer_app.pdf.objects import PdfDict, Ref, number, parse_object, resolve, text_string
from reviewer_app.pdf.properties import name_of

# Field flag bits (PDF 32000-1, tables 226 and 230).
RADIO = 1 << 15
PUSH_BUTTON = 1 << 16
MULTI_SELECT = 1 << 21
_MAX_FIELDS = 100_000  # a guard against pathological field trees
_NO_VALUE = object()  # what push buttons and signatures hold


@dataclass(frozen=True)
class Field:
    """A terminal form field: its fully qualified name, inherited type, flags and value, widgets."""

    name: str
    kind: str | None
    flags: int
    value: Any
    widget_states: list[str]


def form_field_values(doc: Any) -> list[Record]:
    """One record per named field that holds a value (push buttons and signatures have none)."""
    records: dict[str, Record] = {}
    for field in terminal_fields(doc):
        value = field_value(field)
        if field.name and field.name not in records and value is not _NO_VALUE:
            content: Json = {
                "v": 1,
                "type": "pspdfkit/form-field-value",
                "name": field.name,
                "value": value,
            }
            records[field.name] = Record(kind="formFieldValue", id=field.name, content=content)
    return list(records.values())


def terminal_fields(doc: Any) -> list[Field]:
    """Every terminal field of the document's AcroForm, in tree order."""
    catalog = parse_object(doc.xref_object(doc.pdf_catalog(), compressed=True))
    form = resolve(doc, catalog.get("AcroForm")) if isinstance(catalog, dict) else None
    roots = resolve(doc, form.get("Fields")) if isinstance(form, dict) else None
    if not isinstance(roots, list):
        return []
    fields: list[Field] = []
    seen: set[int] = set()
    stack: list[tuple[Any, Field]] = [(ref, Field("", None, 0, None, [])) for ref in roots[::-1]]
    while stack and len(seen) < _MAX_FIELDS:
        ref, parent = stack.pop()
        if not isinstance(ref, Ref) or ref.num in seen:
            continue
        seen.add(ref.num)
        node = parse_object(doc.xref_object(ref.num, compressed=True))
        if isinstance(node, dict):
            field, children = _field(doc, node, parent)
            stack.extend((child, field) for child in children[::-1])
            if not children:
                fields.append(field)
    return fields


def _field(doc: Any, node: PdfDict, parent: Field) -> tuple[Field, list[Ref]]:
    """A field node with its inherited attributes, and the kids that are fields themselves."""
    partial = text_string(node.get("T"))
    name = ".".join(part for part in (parent.name, partial) if part)
    field = Field(
        name=name,
        kind=name_of(node.get("FT")) or parent.kind,
        flags=int(number(node.get("Ff")) or 0) if "Ff" in node else parent.flags,
        value=resolve(doc, node["V"]) if "V" in node else parent.value,
        widget_states=[],
    )
    kids = resolve(doc, node.get("Kids"))
    children: list[Ref] = []
    for kid in kids if isinstance(kids, list) else []:
        if not isinstance(kid, Ref):
            continue
        kid_node = parse_object(doc.xref_object(kid.num, compressed=True))
        if isinstance(kid_node, dict) and "T" in kid_node:
            children.append(kid)
        elif isinstance(kid_node, dict):
            field.widget_states.append(name_of(kid_node.get("AS")) or "Off")
    if "AS" in node:
        field.widget_states.append(name_of(node.get("AS")) or "Off")
    return field, children


def field_value(field: Field) -> Any:
    """The Instant value of a field, or ``_NO_VALUE`` for fields that hold none."""
    if field.kind == "Tx":
        return text_string(field.value) or ""
    if field.kind == "Btn":
        if field.flags & PUSH_BUTTON:
            return _NO_VALUE
        chosen = name_of(field.value)
        if chosen is None:
            chosen = next((state for state in field.widget_states if state != "Off"), "Off")
        return chosen
    if field.kind == "Ch":
        items = field.value if isinstance(field.value, list) else [field.value]
        selected = [text for text in map(text_string, items) if text is not None]
        if field.flags & MULTI_SELECT:
            return selected
        return selected[0] if selected else ""
    return _NO_VALUE
