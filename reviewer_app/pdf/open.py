"""Open a PDF (bytes, or a file read as MuPDF needs it) with PyMuPDF, turning every failure
into a named PdfError."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pymupdf

from reviewer_app.pdf.errors import BrokenPdf, PasswordRequired, WrongPassword

_mupdf: Any = pymupdf  # PyMuPDF is only partly typed: used through Any here

_HEADER_WINDOW = 1024


def mupdf_errors() -> tuple[type[Exception], ...]:
    """What MuPDF raises on damaged input (its low-level errors do not derive from
    RuntimeError), for ``except mupdf_errors():``, a call evaluated only when something was
    raised: importing a module that catches them does not load PyMuPDF (the app's window
    names these modules' jobs but never runs them; see pdf/lazy_mupdf.py)."""
    low_level = getattr(_mupdf, "mupdf", None)
    return (RuntimeError, ValueError, getattr(low_level, "FzErrorBase", RuntimeError))


def open_pdf(data: bytes | Path, password: str | None = None, name: str = "document") -> Any:
    """Open ``data`` as a PDF (a ``pymupdf.Document``), authenticated with ``password`` if needed.
    A :class:`~pathlib.Path` is opened as a file, never read whole into memory.

    Raises BrokenPdf, PasswordRequired or WrongPassword; never a raw PyMuPDF exception.
    """
    quiet_mupdf()
    _mupdf.TOOLS.mupdf_warnings(reset=True)
    if b"%PDF-" not in _header(data):
        raise BrokenPdf(f"not a PDF file: {name}")
    try:
        if isinstance(data, Path):
            doc = _mupdf.open(str(data), filetype="pdf")
        else:
            doc = _mupdf.open(stream=data, filetype="pdf")
    except Exception as exc:  # MuPDF raises several types (FileDataError, RuntimeError, ...)
        raise BrokenPdf(f"damaged PDF: {name} ({_reason(exc)})") from exc
    try:
        _authenticate(doc, password, name)
        page_count = int(doc.page_count)
    except (PasswordRequired, WrongPassword):
        doc.close()
        raise
    except Exception as exc:
        doc.close()
        raise BrokenPdf(f"damaged PDF: {name} ({_reason(exc)})") from exc
    if page_count == 0:
        doc.close()
        raise BrokenPdf(f"damaged PDF: {name} has no readable pages")
    return doc


def load_every_object(doc: Any) -> None:
    """Read every object of ``doc`` once. MuPDF repairs a broken cross-reference table when it
    first meets an object it cannot find; a repair while saving rebuilds the document from
    the file and drops every change made to it. Reading them all before any change has the
    repair (if one is needed) done first."""
    for xref in range(1, int(doc.xref_length())):
        try:
            doc.xref_object(xref, compressed=True)
        except mupdf_errors():  # an object beyond repair: it stays as MuPDF reads it
            continue


def _header(data: bytes | Path) -> bytes:
    if not isinstance(data, Path):
        return data[:_HEADER_WINDOW]
    try:
        with data.open("rb") as file:
            return file.read(_HEADER_WINDOW)
    except OSError:
        return b""


def quiet_mupdf() -> None:
    """Keep MuPDF's errors and warnings off stderr; they are collected and reported instead."""
    _mupdf.TOOLS.mupdf_display_errors(False)
    _mupdf.TOOLS.mupdf_display_warnings(False)


def _authenticate(doc: Any, password: str | None, name: str) -> None:
    """Unlock an encrypted document (before touching its pages, which caches failures)."""
    if not doc.needs_pass:
        return
    if password is None:
        raise PasswordRequired(f"password required: {name} is encrypted")
    if not doc.authenticate(password):
        raise WrongPassword(f"wrong password for {name}")


def _reason(exc: BaseException) -> str:
    """The most telling line: MuPDF's first warning that is not about repairing, else the error."""
    lines = str(_mupdf.TOOLS.mupdf_warnings(reset=True) or "").splitlines()
    telling = [line.strip() for line in lines if line.strip() and "repair" not in line]
    if telling:
        return telling[0]
    return str(exc).strip() or type(exc).__name__
