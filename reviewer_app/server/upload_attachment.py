"""An XFDF or Instant JSON file sent with an upload (Document Engine's ``attachment`` part):
read before anything is stored, then applied to the new document's default layer, replacing
the PDF's own annotations unless ``keep_current_annotations`` (XFDF only, as DE has it)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reviewer_app.engine import DEFAULT, LayerEngine
from reviewer_app.pdf.sandbox import PdfSandbox
from reviewer_app.server.bodies import parse_json
from reviewer_app.server.errors import ApiError
from reviewer_app.xfdf import XfdfError, page_boxes, read_xfdf


def read_attachment(
    data: bytes, pdf: Path, password: str | None, keep_current: bool, sandbox: PdfSandbox
) -> tuple[dict[str, Any], list[dict[str, Any]], bool]:
    """The attachment as Instant JSON, the elements of an XFDF file not taken, and whether
    the PDF's own annotations are replaced; 400 saying why for a file that is neither. The
    PDF's page boxes are read in a worker of ``sandbox``."""
    if data.lstrip()[:1] == b"{":
        instant = parse_json(data, "attachment (Instant JSON)")
        if not isinstance(instant, dict):
            raise ApiError(400, "the attachment is not an Instant JSON object")
        return instant, [], True
    try:
        read = read_xfdf(data, page_boxes(pdf, password, sandbox=sandbox))
    except XfdfError as exc:
        raise ApiError(400, f"the attachment is neither Instant JSON nor XFDF: {exc}") from None
    return read.instant(), read.errors, not keep_current


def apply_attachment(
    engine: LayerEngine, document_id: str, instant: dict[str, Any], replace: bool
) -> list[dict[str, Any]]:
    """Apply ``instant`` to the default layer in one change (with ``replace``, the PDF's own
    annotations go in the same change); what could not be applied."""
    if replace:
        own = [
            r.content["pdfObjectId"]
            for r in engine.records(document_id, DEFAULT, "annotation")
            if isinstance(r.content.get("pdfObjectId"), int)
        ]
        named = instant.get("skippedPdfObjectIds")
        kept = named if isinstance(named, list) else []
        instant = {**instant, "skippedPdfObjectIds": sorted({*kept, *own}, key=str)}
    _, errors = engine.import_instant(document_id, DEFAULT, instant)
    return errors
