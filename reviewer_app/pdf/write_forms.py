"""Instant form field values → the values and appearances of a PDF's form widgets."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import pymupdf

from reviewer_app.instant.records import Record
from reviewer_app.pdf.objects import dictionary_at
from reviewer_app.pdf.write_common import Unsupported, quick_updates

_mupdf: Any = pymupdf


def fill_form_values(doc: Any, records: Sequence[Record]) -> list[tuple[Record, str]]:
    """Set each form field value record into its widgets (value and appearance).

    Returns the records that could not be written, each with the reason.
    """
    if not records:
        return []
    widgets: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for index in range(doc.page_count):
        for widget in doc[index].widgets():
            widgets[str(widget.field_name)].append((index, int(widget.xref)))
    problems: list[tuple[Record, str]] = []
    for record in records:
        name = str(record.content.get("name") or record.id)
        places = widgets.get(name)
        if not places:
            problems.append((record, f"form field {name!r} is not in the PDF"))
            continue
        try:
            for index, xref in places:
                page = doc[index]  # the widget refers to its page weakly: keep the page alive
                _set(page.load_widget(xref), record.content.get("value"))
            _set_button_value(doc, [xref for _, xref in places])
        except (Unsupported, RuntimeError, ValueError) as exc:
            problems.append((record, f"form field {name!r}: {exc}"))
    add_form_fonts(doc)
    return problems


def add_form_fonts(doc: Any) -> None:
    """Put the fonts PyMuPDF's widget appearances name (/Helv, /ZaDb) into the AcroForm's
    /DR, so readers that rebuild appearances from /DA (poppler with /NeedAppearances) find
    them."""
    found = dictionary_at(doc, doc.pdf_catalog(), ("AcroForm", "DR", "Font"))
    if found is None:
        return
    holder, prefix = found
    for key, base in (("Helv", "Helvetica"), ("ZaDb", "ZapfDingbats")):
        if doc.xref_get_key(holder, prefix + key)[0] == "null":
            font = doc.get_new_xref()
            encoding = "/Encoding /WinAnsiEncoding " if key == "Helv" else ""
            doc.update_object(
                font, f"<< /Type /Font /Subtype /Type1 /BaseFont /{base} {encoding}>>"
            )
            doc.xref_set_key(holder, prefix + key, f"{font} 0 R")


def _kinds() -> tuple[set[int], set[int], set[int]]:
    """MuPDF's widget types of text fields, toggles (check boxes, radio buttons) and choices."""
    mu = _mupdf
    return (
        {mu.PDF_WIDGET_TYPE_TEXT},
        {mu.PDF_WIDGET_TYPE_CHECKBOX, mu.PDF_WIDGET_TYPE_RADIOBUTTON},
        {mu.PDF_WIDGET_TYPE_COMBOBOX, mu.PDF_WIDGET_TYPE_LISTBOX},
    )


def _set(widget: Any, value: Any) -> None:
    """Give one widget the field value ``value`` and redraw it."""
    quick_updates()
    kind = widget.field_type
    doc = widget.parent.parent
    da = doc.xref_get_key(widget.xref, "DA")
    text, toggle, choice = _kinds()
    if kind in text:
        widget.field_value = _text(value)
    elif kind in toggle:
        chosen = _text(value[0] if isinstance(value, list) and value else value)
        widget.field_value = chosen not in ("", "Off") and chosen == str(widget.on_state())
    elif kind in choice:
        widget.field_value = _text(_first(value))
    else:
        raise Unsupported("this field type holds no value")
    widget.update()
    if kind in toggle:
        _fix_toggle(doc, widget.xref)
    if da[0] == "string":  # PyMuPDF rewrites /DA with its own font; readers rebuild from it
        doc.xref_set_key(widget.xref, "DA", _mupdf.get_pdf_str(da[1]))
    if kind in choice and isinstance(value, list) and len(value) != 1:
        _set_choices(widget, [_text(v) for v in value])


def _fix_toggle(doc: Any, xref: int) -> None:
    """Keep the check mark's ZapfDingbats font on its built-in encoding: PyMuPDF gives it
    /WinAnsiEncoding, and poppler (Okular, Evince) then draws no mark at all."""
    for _, appearance in _appearance_streams(doc, xref):
        font = doc.xref_get_key(appearance, "Resources/Font/ZaDb")
        if font[0] == "xref":
            doc.xref_set_key(int(font[1].split()[0]), "Encoding", "null")


def _set_button_value(doc: Any, xrefs: list[int]) -> None:
    """Give a check box or radio group its value as a name (the "on" widget's state, else
    /Off) where the field keeps it; PyMuPDF writes a string, which poppler reads as off."""
    states = [doc.xref_get_key(x, "AS") for x in xrefs]
    if not states or any(kind != "name" for kind, _ in states):
        return
    value = next((state for _, state in states if state != "/Off"), "/Off")
    first = xrefs[0]
    parent = doc.xref_get_key(first, "Parent")
    if parent[0] == "xref" and doc.xref_get_key(first, "T")[0] == "null":
        doc.xref_set_key(int(parent[1].split()[0]), "V", value)
        for xref in xrefs:
            if doc.xref_get_key(xref, "V")[0] != "null":
                doc.xref_set_key(xref, "V", "null")
    else:
        doc.xref_set_key(first, "V", value)


def _appearance_streams(doc: Any, xref: int) -> list[tuple[str, int]]:
    """The widget's normal appearance streams, by state name."""
    kind, value = doc.xref_get_key(xref, "AP/N")
    if kind == "xref":
        return [("", int(value.split()[0]))]
    if kind != "dict":
        return []
    found = []
    for state in _dict_keys(value):
        ref = doc.xref_get_key(xref, f"AP/N/{state}")
        if ref[0] == "xref":
            found.append((state, int(ref[1].split()[0])))
    return found


def _dict_keys(text: str) -> list[str]:
    """The keys of a PDF dictionary written as text, e.g. ``<</Off 4 0 R/Yes 5 0 R>>``."""
    return [part.split()[0].strip("<>") for part in text.split("/")[1:] if part.strip()]


def _set_choices(widget: Any, chosen: list[str]) -> None:
    """Give a (multiple choice) list its whole selection: /V and the /I indexes."""
    doc = widget.parent.parent
    options = [str(o[0] if isinstance(o, list | tuple) else o) for o in widget.choice_values or []]
    strings = " ".join(_mupdf.get_pdf_str(v) for v in chosen)
    indexes = " ".join(str(options.index(v)) for v in chosen if v in options)
    doc.xref_set_key(widget.xref, "V", f"[{strings}]")
    doc.xref_set_key(widget.xref, "I", f"[{indexes}]")


def _first(value: Any) -> Any:
    return (value[0] if value else "") if isinstance(value, list) else value


def _text(value: Any) -> str:
    return "" if value is None else str(value)
