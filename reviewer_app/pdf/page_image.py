"""A page drawn as an image file (PNG or JPEG) at a size in pixels, with or without a layer's
annotations: Document Engine's ``pages/{i}/image``. A sandbox job (see pdf/sandbox.py)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pymupdf

from reviewer_app.instant.records import LayerExport
from reviewer_app.pdf.errors import BrokenPdf
from reviewer_app.pdf.export import write_layer
from reviewer_app.pdf.open import load_every_object, mupdf_errors, open_pdf

_mupdf: Any = pymupdf
FORMATS = {"image/png": "png", "image/jpeg": "jpeg"}
"""The image types PyMuPDF writes (no WebP: it has no encoder for it), and its names for them."""
JPEG_QUALITY = 85


def page_image(
    data: bytes | Path,
    password: str | None,
    name: str,
    page: int,
    size: tuple[int, int],
    image_format: str,
    layer: LayerExport | None = None,
) -> bytes:
    """Page ``page`` (as shown: /Rotate applied) drawn ``size`` pixels wide and high, as a
    ``png`` or ``jpeg`` file. Without ``layer`` the page alone (no annotations; form fields
    stay, they are the page's); with it, the annotations the layer shows on that page."""
    doc = open_pdf(data, password, name)
    try:
        if layer is not None:
            load_every_object(doc)  # a repair, when one is needed, before any change
            write_layer(doc, on_page(layer, page))
        shown = doc[page]
        width, height = size
        scale = _mupdf.Matrix(width / shown.rect.width, height / shown.rect.height)
        pixmap = shown.get_pixmap(matrix=scale, alpha=False, annots=layer is not None)
        if image_format == "jpeg":
            image: bytes = pixmap.tobytes("jpeg", jpg_quality=JPEG_QUALITY)
        else:
            image = pixmap.tobytes("png")
        return image
    except mupdf_errors() as exc:
        raise BrokenPdf(f"damaged PDF: page {page + 1} of {name} cannot be drawn ({exc})") from exc
    finally:
        doc.close()


def on_page(layer: LayerExport, page: int) -> LayerExport:
    """What of ``layer`` shows on ``page``: its records there and its form values (widgets
    may be on the page); the rest would only cost time to write."""
    wanted = tuple(
        r for r in layer.write if r.kind == "formFieldValue" or r.content.get("pageIndex") == page
    )
    return replace(layer, write=wanted)
