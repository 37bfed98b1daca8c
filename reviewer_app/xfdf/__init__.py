"""XFDF, Adobe's XML exchange format for annotations and form values: a layer written as XFDF
(:func:`layer_xfdf`) and an XFDF file read into records (:func:`read_xfdf`), over the page
boxes of the PDF they belong to (:func:`page_boxes`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pymupdf

from reviewer_app.pdf.geometry import PageBox, page_box
from reviewer_app.xfdf.read import Read, XfdfError, read_xfdf
from reviewer_app.xfdf.write import Written, layer_xfdf

__all__ = ["PageBox", "Read", "Written", "XfdfError", "layer_xfdf", "page_boxes", "read_xfdf"]


def page_boxes(pdf: Path, password: str | None = None) -> list[PageBox]:
    """The visible box of every page of the PDF at ``pdf`` (XFDF speaks in PDF user space)."""
    opened: Any = pymupdf.open
    with opened(pdf) as doc:
        if password:
            doc.authenticate(password)
        return [page_box(doc, number) for number in range(doc.page_count)]
