"""Page rendering: a page (or a clip of it) at a zoom, to an RGB(A) buffer the viewer can wrap."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import pymupdf

from reviewer_app.pdf.geometry import page_box, rotation_matrix

_mupdf: Any = pymupdf


@dataclass(frozen=True)
class RenderedPage:
    """Pixels of one rendered page: ``samples`` holds ``height`` rows of ``stride`` bytes,
    3 bytes (RGB) a pixel, or 4 (RGBA) when rendered with alpha."""

    page_index: int
    zoom: float
    width: int
    height: int
    stride: int
    samples: bytes


def render_page(
    doc: pymupdf.Document,
    page_index: int,
    zoom: float = 1.0,
    *,
    annotations: bool = True,
) -> RenderedPage:
    """Render one page at ``zoom`` (1.0 = 72 dpi); ``annotations=False`` hides the PDF's own
    annotations (the viewer draws the layer's records itself) but keeps form fields."""
    page = doc[page_index]
    matrix = pymupdf.Matrix(zoom, zoom)  # type: ignore[no-untyped-call]
    pix = page.get_pixmap(matrix=matrix, alpha=False, annots=annotations)
    return RenderedPage(page_index, zoom, pix.width, pix.height, pix.stride, bytes(pix.samples))


def render_clip(
    doc: pymupdf.Document,
    page_index: int,
    clip: tuple[float, float, float, float],
    zoom: float = 1.0,
    *,
    annotations: bool = True,
    alpha: bool = False,
) -> RenderedPage:
    """Render the part ``clip`` (an Instant ``[left, top, width, height]``) of a page at
    ``zoom``; ``annotations=False`` hides the PDF's annotations but keeps its form fields.
    RGB, or RGBA with ``alpha`` (``stride`` then counts 4 bytes a pixel)."""
    from reviewer_app.pdf.write_common import PageSpace  # (Instant's modules: not for tiles)

    page = doc[page_index]
    box = page_box(doc, page_index)
    rect = PageSpace(box).rect(clip) * pymupdf.Matrix(*rotation_matrix(box))  # type: ignore[no-untyped-call]
    matrix = pymupdf.Matrix(zoom, zoom)  # type: ignore[no-untyped-call]
    if annotations:
        pix = page.get_pixmap(matrix=matrix, clip=rect, alpha=alpha, annots=True)
    else:
        pix = page_display_list(page).get_pixmap(matrix=matrix, alpha=alpha, clip=rect)
    return RenderedPage(page_index, zoom, pix.width, pix.height, pix.stride, bytes(pix.samples))


def print_pixmap(page: Any, dpi: int) -> Any:
    """Page ``page`` drawn for printing at ``dpi`` (a ``pymupdf.Pixmap``, RGB on white): as a
    printer shows it, without the annotations and optional content that are not printed (a
    flattened layer PDF keeps what shows on screen only as such content)."""
    mu = _mupdf.mupdf
    fz_page = page.this.super() if hasattr(page.this, "super") else page.this
    zoom = dpi / 72
    matrix = _mupdf.Matrix(zoom, zoom)
    pix = _mupdf.Pixmap(_mupdf.csRGB, (page.rect * matrix).irect, False)
    pix.clear_with(255)
    device = mu.FzDevice(mu.fz_new_draw_device(mu.FzMatrix(), pix.this))
    ctm = mu.FzMatrix(zoom, 0, 0, zoom, -pix.x, -pix.y)
    mu.pdf_run_page_with_usage(
        mu.pdf_page_from_fz_page(fz_page), device, ctm, "Print", mu.FzCookie()
    )
    mu.fz_close_device(device)
    return pix


def page_display_list(page: Any, *, fields: bool = True) -> Any:
    """The page's content and its form fields, without its other annotations (a pymupdf
    DisplayList: the viewer draws the layer's annotations itself); ``fields=False`` leaves
    out the fields that hold a value too (see :func:`run_page_widgets`)."""
    mu = _mupdf.mupdf
    fz_page = page.this.super() if hasattr(page.this, "super") else page.this
    display = mu.FzDisplayList(mu.fz_bound_page(fz_page))
    device = mu.FzDevice(display)
    ctm = mu.FzMatrix()
    mu.fz_run_page_contents(fz_page, device, ctm, mu.FzCookie())
    run_page_widgets(fz_page, device, ctm, fields=fields)
    run_pdf_only_annotations(fz_page, device, ctm)
    mu.fz_close_device(device)
    return _mupdf.DisplayList(display)


def run_page_widgets(fz_page: Any, device: Any, ctm: Any, *, fields: bool = True) -> None:
    """Draw the page's form widgets: all of them, or (``fields=False``) only those that hold
    no value, such as push buttons and signatures. The viewer draws text fields, check boxes,
    radio buttons and choices itself with the values of the layer shown, so that one
    layer's answers never show in another."""
    mu = _mupdf.mupdf
    if fields:
        mu.fz_run_page_widgets(fz_page, device, ctm, mu.FzCookie())
        return
    pdf_page = mu.pdf_page_from_fz_page(fz_page)
    if pdf_page.m_internal is None:
        return
    widget = mu.pdf_first_widget(pdf_page)
    while widget.m_internal is not None:
        if mu.pdf_widget_type(widget) not in _fields_with_values():
            mu.pdf_run_annot(widget, device, ctm, mu.FzCookie())
        widget = mu.pdf_next_widget(widget)


def run_pdf_only_annotations(fz_page: Any, device: Any, ctm: Any) -> None:
    """Draw the annotations no layer holds: subtypes Instant JSON cannot express (file
    attachments, sounds, 3D, ...; counted as skipped by the extraction). They never change, so
    they belong with the page in every layer; popups show through their parents instead."""
    mu = _mupdf.mupdf
    pdf_page = mu.pdf_page_from_fz_page(fz_page)
    if pdf_page.m_internal is None:
        return
    annot = mu.pdf_first_annot(pdf_page)
    while annot.m_internal is not None:
        subtype = mu.pdf_string_from_annot_type(mu.pdf_annot_type(annot))
        if subtype not in LAYER_SUBTYPES and subtype not in _NOT_DRAWN_ALONE:
            mu.pdf_run_annot(annot, device, ctm, mu.FzCookie())
        annot = mu.pdf_next_annot(annot)


_NOT_DRAWN_ALONE = {"Popup", "Widget"}
LAYER_SUBTYPES = frozenset(
    {"Caret", "Circle", "FreeText", "Highlight", "Ink", "Line", "Link", "PolyLine", "Polygon"}
    | {"Redact", "Square", "Squiggly", "Stamp", "StrikeOut", "Text", "Underline"}
)
"""The subtypes a layer holds (pdf/annotations.py's CONVERTERS make records of them, a test
checks they are the same): named here, so that the render worker does not import the
converters and Instant's modules (about as long as PyMuPDF itself) before its first tile."""


@cache
def _fields_with_values() -> set[int]:
    mu = _mupdf.mupdf
    return {
        mu.PDF_WIDGET_TYPE_TEXT,
        mu.PDF_WIDGET_TYPE_CHECKBOX,
        mu.PDF_WIDGET_TYPE_RADIOBUTTON,
        mu.PDF_WIDGET_TYPE_COMBOBOX,
        mu.PDF_WIDGET_TYPE_LISTBOX,
    }
