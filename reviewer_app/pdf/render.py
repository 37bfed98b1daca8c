"""Page rendering: a page (or a clip of it) at a zoom, to an RGB(A) buffer the viewer can wrap."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pymupdf

from reviewer_app.pdf.geometry import page_box
from reviewer_app.pdf.write_common import PageSpace

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
    page = doc[page_index]
    space = PageSpace(page_box(doc, page_index))
    rect = space.rect(clip) * page.rotation_matrix  # PyMuPDF clips in the rotated page
    matrix = pymupdf.Matrix(zoom, zoom)  # type: ignore[no-untyped-call]
    if annotations:
        pix = page.get_pixmap(matrix=matrix, clip=rect, alpha=alpha, annots=True)
    else:
        pix = page_display_list(page).get_pixmap(matrix=matrix, alpha=alpha, clip=rect)
    return RenderedPage(page_index, zoom, pix.width, pix.height, pix.stride, bytes(pix.samples))


def page_display_list(page: Any) -> Any:
    """The page's content and its form fields, without its other annotations (a pymupdf
    DisplayList: the viewer draws the layer's annotations itself)."""
    mu = _mupdf.mupdf
    fz_page = page.this.super() if hasattr(page.this, "super") else page.this
    display = mu.FzDisplayList(mu.fz_bound_page(fz_page))
    device = mu.FzDevice(display)
    ctm = mu.FzMatrix()
    mu.fz_run_page_contents(fz_page, device, ctm, mu.FzCookie())
    mu.fz_run_page_widgets(fz_page, device, ctm, mu.FzCookie())
    mu.fz_close_device(device)
    return _mupdf.DisplayList(display)
