"""Text search over a PDF's pages in Document Engine's shape (``SearchResult``): each match's
page, the text around it, where the match lies in that text, and its boxes on the page in
Instant coordinates. A sandbox job (see pdf/sandbox.py): a regular expression runs under the
worker's processor-time limit."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from reviewer_app.instant.records import Json
from reviewer_app.pdf.errors import BrokenPdf
from reviewer_app.pdf.geometry import page_box
from reviewer_app.pdf.open import mupdf_errors, open_pdf
from reviewer_app.pdf.text import instant_rect

MAX_RESULTS = 1000
"""Matches answered at most (the first ones, in page order)."""
PREVIEW = 40
"""Characters of the line shown each side of a match."""


def search_text(
    data: bytes | Path,
    password: str | None,
    name: str,
    pattern: str,
    flags: int,
    pages: tuple[int, int],
) -> list[Json]:
    """The matches of the regular expression ``pattern`` (``re`` ``flags``) on pages
    ``pages[0]`` to ``pages[1]`` (both included, clipped to the document), line by line."""
    found: list[Json] = []
    expression = re.compile(pattern, flags)
    doc = open_pdf(data, password, name)
    try:
        first, last = max(0, pages[0]), min(doc.page_count - 1, pages[1])
        for index in range(first, last + 1):
            for text, boxes in _lines(doc, index):
                for match in expression.finditer(text):
                    if match.end() == match.start():
                        continue  # an empty match marks nothing
                    found.append(_result(doc, index, text, boxes, match))
                    if len(found) >= MAX_RESULTS:
                        return found
    except mupdf_errors() as exc:
        raise BrokenPdf(f"damaged PDF: {name} cannot be searched ({exc})") from exc
    finally:
        doc.close()
    return found


def _lines(doc: Any, index: int) -> list[tuple[str, list[tuple[float, ...]]]]:
    """Each line of the page: its text and each character's box (PyMuPDF's page space)."""
    lines = []
    for block in doc[index].get_text("rawdict")["blocks"]:
        for line in block.get("lines", ()):
            chars = [c for span in line["spans"] for c in span["chars"]]
            lines.append(("".join(c["c"] for c in chars), [tuple(c["bbox"]) for c in chars]))
    return lines


def _result(doc: Any, index: int, text: str, boxes: list[tuple[float, ...]], match: Any) -> Json:
    start, end = match.start(), match.end()
    hit = boxes[start:end]
    left, top = min(b[0] for b in hit), min(b[1] for b in hit)
    right, bottom = max(b[2] for b in hit), max(b[3] for b in hit)
    shown_from = max(0, start - PREVIEW)
    return {
        "pageIndex": index,
        "previewText": text[shown_from : end + PREVIEW],
        "rangeInPreview": [start - shown_from, end - start],
        "rectsOnPage": [instant_rect(page_box(doc, index), (left, top, right, bottom))],
        "isAnnotation": False,
    }
