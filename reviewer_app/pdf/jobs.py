"""The jobs the PDF sandbox runs on PDFs it was given: each takes the PDF first (its bytes, or
a file to open) and
returns plain data (see :mod:`reviewer_app.pdf.sandbox`)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from reviewer_app.instant.records import Json, LayerExport
from reviewer_app.pdf import page_content
from reviewer_app.pdf.embedded_files import EmbeddedFile, embedded_files
from reviewer_app.pdf.errors import BrokenPdf
from reviewer_app.pdf.export import Skipped, export_layer_pdf
from reviewer_app.pdf.extract import Extraction, extract_base_layer
from reviewer_app.pdf.geometry import PageBox, page_box
from reviewer_app.pdf.ocg_layers import ocg_layers as read_ocg_layers
from reviewer_app.pdf.open import mupdf_errors, open_pdf
from reviewer_app.pdf.outline import outline
from reviewer_app.pdf.page_image import page_image
from reviewer_app.pdf.render import RenderedPage, render_page
from reviewer_app.pdf.text import text_in_rect
from reviewer_app.pdf.text_search import search_text

__all__ = [
    "export_layer",
    "extract",
    "form_fields",
    "ocg_layers",
    "outline",
    "outline_elements",
    "page_boxes",
    "page_image",
    "page_picture",
    "page_sizes",
    "search_text",
    "text_lines",
    "texts_in_rects",
]

PageSizes = tuple[tuple[float, float, int], ...]


def extract(data: bytes | Path, password: str | None, name: str) -> Extraction:
    """The base layer (see :func:`extract_base_layer`)."""
    return extract_base_layer(data, password=password, name=name)


def export_layer(
    data: bytes | Path, layer: LayerExport, **options: Any
) -> tuple[bytes, list[Skipped]]:
    """One layer's PDF and the records it left out (see :func:`export_layer_pdf`)."""
    skipped: list[Skipped] = []
    return export_layer_pdf(data, layer, skipped=skipped, **options), skipped


def page_sizes(data: bytes | Path, password: str | None, name: str) -> PageSizes:
    """Each page's visible width and height in points, unrotated, and its /Rotate."""
    doc = open_pdf(data, password, name)
    try:
        boxes = [page_box(doc, index) for index in range(doc.page_count)]
    finally:
        doc.close()
    return tuple((box.width, box.height, box.rotation) for box in boxes)


def page_picture(
    data: bytes | Path, password: str | None, page: int, zoom: float
) -> RenderedPage | None:
    """Page ``page`` drawn at ``zoom`` without the PDF's annotations (None: no such page)."""
    doc = open_pdf(data, password)
    try:
        if not 0 <= page < doc.page_count:
            return None
        return render_page(doc, page, zoom, annotations=False)
    except mupdf_errors() as exc:
        raise BrokenPdf(f"damaged PDF: page {page + 1} cannot be drawn ({exc})") from exc
    finally:
        doc.close()


def page_boxes(data: bytes | Path, password: str | None, name: str) -> list[PageBox]:
    """The visible box of every page, in PDF user space (what XFDF speaks in)."""
    with _opened(data, password, name) as doc:
        return [page_box(doc, index) for index in range(doc.page_count)]


def outline_elements(data: bytes | Path, password: str | None, name: str) -> list[Json]:
    """The PDF's outline as Document Engine's nested outline elements."""
    with _opened(data, password, name) as doc:
        return page_content.outline(doc)


def ocg_layers(data: bytes | Path, password: str | None, name: str) -> Json:
    """The PDF's optional content groups, as Document Engine lists them."""
    with _opened(data, password, name) as doc:
        return read_ocg_layers(doc)


def embedded(data: bytes | Path, password: str | None, name: str) -> list[EmbeddedFile]:
    """The files the PDF carries (its ``/EmbeddedFiles``), with their bytes."""
    with _opened(data, password, name) as doc:
        return embedded_files(doc)


def form_fields(
    data: bytes | Path, password: str | None, name: str, sha256: str
) -> tuple[page_content.FormField, ...]:
    """The PDF's form fields, each with its widgets (ids derived from ``sha256``)."""
    with _opened(data, password, name) as doc:
        return tuple(page_content.form_fields(doc, sha256))


def text_lines(
    data: bytes | Path, password: str | None, name: str, pages: Sequence[int] | None = None
) -> list[list[Json]]:
    """The lines of text of each page of ``pages`` (None: every page), in that order."""
    with _opened(data, password, name) as doc:
        wanted = range(doc.page_count) if pages is None else pages
        return [page_content.text_lines(doc, index) for index in wanted]


def texts_in_rects(
    data: bytes | Path,
    password: str | None,
    name: str,
    page: int,
    rects: Sequence[Sequence[Sequence[float]]],
) -> list[str]:
    """For each group of Instant rects on ``page``, the text under them, one rect's text
    after another's (a highlight's text is what lies under its rects)."""
    with _opened(data, password, name) as doc:
        found = []
        for group in rects:
            parts = [text_in_rect(doc, page, list(rect)) for rect in group]
            found.append(" ".join(part for part in parts if part))
        return found


@contextmanager
def _opened(data: bytes | Path, password: str | None, name: str) -> Iterator[Any]:
    """The PDF opened; MuPDF failing past opening (a damaged page tree) is a BrokenPdf."""
    doc = open_pdf(data, password, name)
    try:
        yield doc
    except mupdf_errors() as exc:
        raise BrokenPdf(f"damaged PDF: {name} ({exc})") from exc
    finally:
        doc.close()
