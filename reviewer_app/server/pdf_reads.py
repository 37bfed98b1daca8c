"""Reading a stored PDF for a request: always in a worker of the server's sandbox (see
pdf/sandbox.py), never with PyMuPDF in the server's own process, under the limits of a read. A
PDF that crashes a worker answers 422 ("this PDF could not be processed: ..."), and is refused
at once afterwards; no free worker answers 503."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from fastapi import Request

from reviewer_app.pdf.sandbox import Limits, PdfSandbox
from reviewer_app.server.context import engine_of, sandbox_of
from reviewer_app.server.wire import pdf_password

T = TypeVar("T")
READ_LIMITS = Limits(cpu_seconds=60.0, wall_seconds=90.0)
"""A read (outline, form fields, text, page boxes) does far less than a layer export: half
its processor time, the same memory."""


def read_pdf(
    request: Request,
    document_id: str,
    job: Callable[..., T],
    *args: Any,
    limits: Limits = READ_LIMITS,
    **kwargs: Any,
) -> T:
    """``job(pdf, password, name, *args, **kwargs)`` on the document's PDF, in a worker."""
    engine = engine_of(request)
    document = engine.document(document_id)
    return sandbox_of(request).run(
        job,
        engine.pdf_path(document_id),
        pdf_password(request),
        document.sha256[:12],
        *args,
        sha256=document.sha256,
        limits=limits,
        **kwargs,
    )


def remembered_read(request: Request, document_id: str, job: Callable[..., T], *args: Any) -> T:
    """As :func:`read_pdf`, remembered for the next requests: a PDF never changes under its
    SHA-256 (what the job raised is not remembered)."""
    engine = engine_of(request)
    document = engine.document(document_id)
    path, password = engine.pdf_path(document_id), pdf_password(request)
    found: T = _remembered(sandbox_of(request), job, path, document.sha256, password, args)
    return found


@lru_cache(maxsize=256)
def _remembered(
    sandbox: PdfSandbox,
    job: Callable[..., Any],
    path: Path,
    sha256: str,
    password: str | None,
    args: tuple[Any, ...],
) -> Any:
    return sandbox.run(job, path, password, sha256[:12], *args, sha256=sha256, limits=READ_LIMITS)
