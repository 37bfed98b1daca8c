"""PyMuPDF bridge: open PDFs and extract their base layer as Instant JSON records.

The package itself imports no PyMuPDF: ``extract_base_layer``, ``Extraction`` and ``open_pdf``
are loaded when first used (PEP 562), so that a process which only starts PDF workers (the
app, before its first page) or names the errors does not pay for PyMuPDF's import."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reviewer_app.pdf.errors import (
    BrokenPdf,
    PasswordRequired,
    PdfError,
    PdfRefused,
    PdfWorkersBusy,
    WrongPassword,
)

if TYPE_CHECKING:
    from reviewer_app.pdf.extract import Extraction, extract_base_layer
    from reviewer_app.pdf.open import open_pdf

__all__ = [
    "BrokenPdf",
    "Extraction",
    "PasswordRequired",
    "PdfError",
    "PdfRefused",
    "PdfWorkersBusy",
    "WrongPassword",
    "extract_base_layer",
    "open_pdf",
]

_LAZY = {
    "Extraction": "reviewer_app.pdf.extract",
    "extract_base_layer": "reviewer_app.pdf.extract",
    "open_pdf": "reviewer_app.pdf.open",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
