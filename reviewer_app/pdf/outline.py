"""The sandbox job a viewer runs first on a PDF it opens: page sizes, rotations and outline.

Kept out of :mod:`reviewer_app.pdf.jobs`, which imports every other job's modules (export,
extraction, text search, ...): a PDF worker unpickling this job imports PyMuPDF and little
else, so that the app's first page does not wait for the rest (about 80 ms of processor time
for each new worker)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reviewer_app.pdf.errors import BrokenPdf
from reviewer_app.pdf.open import mupdf_errors, open_pdf


def outline(
    data: bytes | Path, password: str | None, name: str
) -> tuple[list[tuple[float, float]], list[int], list[list[Any]]]:
    """What a viewer needs at once: each page's size as shown (points), its /Rotate, and the
    table of contents (``[level, title, page]`` rows)."""
    doc = open_pdf(data, password, name)
    try:
        return outline_of(doc, name)
    finally:
        doc.close()


def outline_of(doc: Any, name: str) -> tuple[list[tuple[float, float]], list[int], list[list[Any]]]:
    """:func:`outline` of a document already open (the render worker's, which is asked for
    it with the ``open`` of the app's first PDF)."""
    try:
        sizes = [(float(page.rect.width), float(page.rect.height)) for page in doc]
        rotations = [int(page.rotation) for page in doc]
        toc: list[list[Any]] = doc.get_toc(simple=True)
    except mupdf_errors() as exc:  # damaged page trees fail past opening
        raise BrokenPdf(f"damaged PDF: {name} ({exc})") from exc
    return sizes, rotations, toc
