"""Form field values: one record per field, with the value each widget type holds."""

from __future__ import annotations

from typing import Any

import pymupdf

from reviewer_app.pdf import extract_base_layer
from tests.pdf.builders import PdfWriter

WIDGET = "/Type /Annot /Subtype /Widget /Rect [10 10 50 30]"


def _form_values(data: bytes) -> dict[str, Any]:
    records = [r for r in extract_base_layer(data).records if r.kind == "formFieldValue"]
    for record in records:
        assert record.id == record.content["name"]
        assert record.content["v"] == 1
        assert record.content["type"] == "pspdfkit/form-field-value"
    return {r.id: r.content["value"] for r in records}


def _raw_form() -> bytes:
    """A form written object by object: every field type, nested names, inherited values."""
    w = PdfWriter()
    widgets: list[int] = []

    def field(body: str) -> int:
        number = w.add(f"<< {WIDGET} {body} >>")
        widgets.append(number)
        return number

    def group(body: str, states: list[str]) -> int:
        parent = w.reserve()
        kids = [field(f"/Parent {parent} 0 R /AS /{state}") for state in states]
        refs = " ".join(f"{kid} 0 R" for kid in kids)
        w.put(parent, f"<< {body} /Kids [{refs}] >>")
        return parent

    person = w.reserve()
    age = field(f"/Parent {person} 0 R /T (age) /FT /Tx /V (42)")
    w.put(person, f"<< /T (person) /Kids [{age} 0 R] >>")
    fields = [
        field("/T (name) /FT /Tx /V <FEFF004A00E9006E006E0061>"),
        field("/T (empty) /FT /Tx"),
        person,
        field("/T (agree) /FT /Btn /V /Yes /AS /Yes"),
        field("/T (news) /FT /Btn /AS /Off"),
        group("/T (size) /FT /Btn /Ff 49152 /V /M", ["Off", "M", "Off"]),
        group("/T (colour) /FT /Btn /Ff 49152", ["Off", "Blue"]),
        group("/T (none) /FT /Btn /Ff 49152 /V /Off", ["Off", "Off"]),
        field("/T (submit) /FT /Btn /Ff 65536"),
        field("/T (signature) /FT /Sig"),
        field("/T (country) /FT /Ch /Ff 131072 /Opt [(France) (Spain)] /V (France)"),
        field("/T (fruit) /FT /Ch /Opt [(Apple) (Pear)] /V (Apple)"),
        field("/T (tags) /FT /Ch /Ff 2097152 /Opt [(a) (b) (c)] /V [(a) (c)]"),
        field("/T (notags) /FT /Ch /Ff 2097152 /Opt [(a) (b)]"),
    ]
    w.page(refs=widgets)
    field_refs = " ".join(f"{number} 0 R" for number in fields)
    w.catalog_extra = f"/AcroForm << /Fields [{field_refs}] >>"
    return w.tobytes()


def test_every_widget_type() -> None:
    assert _form_values(_raw_form()) == {
        "name": "Jénna",
        "empty": "",
        "person.age": "42",
        "agree": "Yes",
        "news": "Off",
        "size": "M",
        "colour": "Blue",
        "none": "Off",
        "country": "France",
        "fruit": "Apple",
        "tags": ["a", "c"],
        "notags": [],
    }


def test_widgets_are_not_annotation_records() -> None:
    extraction = extract_base_layer(_raw_form())
    assert not [r for r in extraction.records if r.kind == "annotation"]
    assert extraction.skipped == {"Widget": 18}


def _pymupdf_form() -> bytes:
    doc = pymupdf.open()
    page = doc.new_page()
    specs: list[tuple[int, str, Any, list[str] | None]] = [
        (pymupdf.PDF_WIDGET_TYPE_TEXT, "title", "Dr", None),
        (pymupdf.PDF_WIDGET_TYPE_CHECKBOX, "subscribed", True, None),
        (pymupdf.PDF_WIDGET_TYPE_CHECKBOX, "unsubscribed", False, None),
        (pymupdf.PDF_WIDGET_TYPE_COMBOBOX, "city", "Oslo", ["Bergen", "Oslo"]),
        (pymupdf.PDF_WIDGET_TYPE_LISTBOX, "pet", "Cat", ["Cat", "Dog"]),
    ]
    for index, (kind, name, value, choices) in enumerate(specs):
        widget = pymupdf.Widget()
        widget.field_type, widget.field_name = kind, name
        widget.rect = pymupdf.Rect(50, 50 + 40 * index, 250, 80 + 40 * index)
        if choices:
            widget.choice_values = choices
        widget.field_value = value
        page.add_widget(widget)
    return bytes(doc.tobytes())


def test_form_written_by_pymupdf() -> None:
    data = _pymupdf_form()
    ours = _form_values(data)
    assert ours == {
        "title": "Dr",
        "subscribed": "Yes",
        "unsubscribed": "Off",
        "city": "Oslo",
        "pet": "Cat",
    }
    doc = pymupdf.open(stream=data, filetype="pdf")
    for widget in doc[0].widgets():
        assert ours[widget.field_name] == widget.field_value
