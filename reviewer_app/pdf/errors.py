"""Named errors for PDFs that cannot be read: the input's fault, never a crash."""

from __future__ import annotations


class PdfError(Exception):
    """A PDF could not be opened or read; the message says why in the user's words."""


class BrokenPdf(PdfError):
    """The bytes are not a PDF, or the PDF is truncated or damaged beyond repair."""


class PasswordRequired(PdfError):
    """The PDF is encrypted and no password was given."""


class WrongPassword(PdfError):
    """The PDF is encrypted and the password given does not open it."""


class PdfRefused(BrokenPdf):
    """Processing the PDF crashed or overran the worker process doing it (or did before: such a
    PDF is remembered and refused at once). The message opens "this PDF could not be
    processed:"."""


class PdfWorkersBusy(PdfError):
    """Every PDF worker process is busy and none came free in time: try again later."""
