"""XFDF, Adobe's XML exchange format for annotations and form values: a layer written as XFDF
(:func:`layer_xfdf`) and an XFDF file read into records (:func:`read_xfdf`), over the page
boxes of the PDF they belong to (:func:`page_boxes`)."""

from __future__ import annotations

from pathlib import Path

from reviewer_app.pdf import jobs
from reviewer_app.pdf.geometry import PageBox
from reviewer_app.pdf.sandbox import PdfSandbox, shared_sandbox
from reviewer_app.xfdf.read import Read, XfdfError, read_xfdf
from reviewer_app.xfdf.write import Written, layer_xfdf

__all__ = ["PageBox", "Read", "Written", "XfdfError", "layer_xfdf", "page_boxes", "read_xfdf"]


def page_boxes(
    pdf: Path,
    password: str | None = None,
    *,
    sandbox: PdfSandbox | None = None,
    sha256: str | None = None,
) -> list[PageBox]:
    """The visible box of every page of the PDF at ``pdf`` (XFDF speaks in PDF user space),
    read in a worker of ``sandbox`` (the program's own when None): the PDF is the user's."""
    workers = sandbox or shared_sandbox()
    return workers.run(jobs.page_boxes, pdf, password, pdf.name, sha256=sha256)
