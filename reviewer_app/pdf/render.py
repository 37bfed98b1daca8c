"""Page rendering: a page (or a clip of it) at a zoom, to an RGB buffer the viewer can wrap."""

from __future__ import annotations

from dataclasses import dataclass

import pymupdf


@dataclass(frozen=True)
class RenderedPage:
    """Pixels of one rendered page: ``samples`` holds ``height`` rows of ``stride`` bytes,
    3 bytes (RGB) a pixel."""

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
