"""PyMuPDF bridge: open PDFs and extract their base layer as Instant JSON records."""

from reviewer_app.pdf.errors import (
    BrokenPdf,
    PasswordRequired,
    PdfError,
    PdfRefused,
    PdfWorkersBusy,
    WrongPassword,
)
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
