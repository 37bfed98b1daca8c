"""The PDF's form fields as the viewer fills them: each widget's place, kind, options, flags and
alignment. Read by the render worker (render_worker.py, ``fields``), which sends the viewer
these plain values: the window's process does no PyMuPDF work for its forms."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import pymupdf

from reviewer_app.pdf.geometry import PageBox, page_box, to_instant_rect
from reviewer_app.pdf.objects import numbers, parse_object

_mupdf: Any = pymupdf
READ_ONLY = 1 << 0
MULTILINE = 1 << 12
PASSWORD = 1 << 13
NO_TOGGLE_TO_OFF = 1 << 14
EDITABLE = 1 << 18  # a combo box that takes a value of one's own as well as its options
MULTI_SELECT = 1 << 21
COMB = 1 << 24  # a text field of /MaxLen cells, one character each
_HIDDEN = (1, 3)  # pymupdf field_display: hidden, or not shown on screen
ALIGNMENTS = ("left", "center", "right")  # /Q 0, 1, 2


@cache
def kinds() -> dict[int, str]:
    """The fields that hold a value, by MuPDF's widget type (push buttons and signatures stay
    in the page's tiles); a function, so that importing this module does not load PyMuPDF."""
    return {
        _mupdf.PDF_WIDGET_TYPE_TEXT: "text",
        _mupdf.PDF_WIDGET_TYPE_CHECKBOX: "checkbox",
        _mupdf.PDF_WIDGET_TYPE_RADIOBUTTON: "radio",
        _mupdf.PDF_WIDGET_TYPE_COMBOBOX: "combo",
        _mupdf.PDF_WIDGET_TYPE_LISTBOX: "list",
    }


@dataclass(frozen=True)
class FormWidget:
    """One widget of a form field: page ``page``, ``rect`` = Instant ``(left, top, width,
    height)``; ``kind`` one of :func:`kinds`' values; ``options`` = (export value, label) of a
    choice field; ``on_state`` = the value a check box or radio button gives its field;
    ``font_size`` 0 means "fit the field"; ``turn`` = degrees the content is turned
    counter-clockwise (/MK /R); ``pdf_value`` = the value the PDF holds."""

    page: int
    rect: tuple[float, float, float, float]
    name: str
    kind: str
    flags: int = 0
    options: tuple[tuple[str, str], ...] = ()
    on_state: str = ""
    font_size: float = 0.0
    text_color: str = "#000000"
    turn: int = 0
    max_length: int = 0
    pdf_value: Any = None
    align: str = "left"  # /Q: "left", "center" or "right"

    @property
    def read_only(self) -> bool:
        return bool(self.flags & READ_ONLY)

    @property
    def multiline(self) -> bool:
        return self.kind == "text" and bool(self.flags & MULTILINE)

    @property
    def typed(self) -> bool:
        """Filled by typing: a text field, or a combo box that takes values of one's own."""
        return self.kind == "text" or (self.kind == "combo" and bool(self.flags & EDITABLE))

    @property
    def comb(self) -> bool:
        """A text field that shows each character in its own of ``max_length`` cells."""
        return self.kind == "text" and bool(self.flags & COMB) and self.max_length > 0

    @property
    def multi_select(self) -> bool:
        return self.kind == "list" and bool(self.flags & MULTI_SELECT)

    def label(self, value: str) -> str:
        """The text shown for the choice value ``value``."""
        return next((label for export, label in self.options if export == value), value)


def read_form_widgets(doc: Any) -> list[FormWidget]:
    """Every visible widget of a field that holds a value, page by page."""
    if not doc.is_form_pdf:
        return []
    found: list[FormWidget] = []
    for index in range(doc.page_count):
        page = doc[index]
        box = page_box(doc, index)
        for widget in page.widgets():
            made = _form_widget(doc, index, widget, box)
            if made is not None:
                found.append(made)
    return found


def _form_widget(doc: Any, index: int, widget: Any, box: PageBox) -> FormWidget | None:
    kind = kinds().get(widget.field_type)
    if kind is None or widget.field_display in _HIDDEN or not widget.field_name:
        return None
    corners = numbers(parse_object(doc.xref_get_key(widget.xref, "Rect")[1] or "null"))
    left, top, width, height = to_instant_rect(
        box, corners if corners and len(corners) == 4 else [0] * 4
    )
    on_state = ""
    if kind in ("checkbox", "radio"):
        on_state = str(widget.on_state() or "Yes")
    turn = doc.xref_get_key(widget.xref, "MK/R")
    return FormWidget(
        page=index,
        rect=(left, top, width, height),  # PyMuPDF's widget.rect lacks the /UserUnit
        name=str(widget.field_name),
        kind=kind,
        flags=int(widget.field_flags or 0),
        options=_options(widget.choice_values),
        on_state=on_state,
        font_size=float(widget.text_fontsize or 0.0),
        text_color=_hex(widget.text_color),
        turn=int(float(turn[1])) % 360 // 90 * 90 if turn[0] == "int" else 0,
        max_length=int(widget.text_maxlen or 0),
        pdf_value=widget.field_value,
        align=ALIGNMENTS[_quadding(doc, widget.xref)],
    )


def _quadding(doc: Any, xref: int) -> int:
    """The widget's /Q (0 left, 1 centred, 2 right), inherited from its field's parents, else
    the AcroForm's."""
    for _ in range(32):
        kind, value = doc.xref_get_key(xref, "Q")
        if kind == "int":
            return min(max(int(value), 0), 2)
        kind, parent = doc.xref_get_key(xref, "Parent")
        if kind != "xref":
            break
        xref = int(parent.split()[0])
    kind, value = doc.xref_get_key(doc.pdf_catalog(), "AcroForm/Q")
    return min(max(int(value), 0), 2) if kind == "int" else 0


def _options(values: Any) -> tuple[tuple[str, str], ...]:
    """Choice options as (export value, label): an option is a string or a [export, label]."""
    options = []
    for option in values or ():
        if isinstance(option, list | tuple) and len(option) >= 2:
            options.append((str(option[0]), str(option[1])))
        elif isinstance(option, list | tuple) and option:
            options.append((str(option[0]), str(option[0])))
        elif not isinstance(option, list | tuple):
            options.append((str(option), str(option)))
    return tuple(options)


def _hex(color: Any) -> str:
    if not isinstance(color, list | tuple) or len(color) not in (1, 3):
        return "#000000"
    rgb = [color[0]] * 3 if len(color) == 1 else list(color)
    return "#" + "".join(f"{max(0, min(255, round(float(c) * 255))):02x}" for c in rgb)
