"""Instant JSON in and out of a layer, with the overlay rules for the PDF's own annotations."""

from __future__ import annotations

from typing import Any

from reviewer_app.engine import documents, history, picture_rule, threads
from reviewer_app.engine.attachments import AttachmentStore
from reviewer_app.engine.db import Connection
from reviewer_app.engine.errors import BadRequest
from reviewer_app.engine.model import Change, Document
from reviewer_app.engine.picture_rule import Writer
from reviewer_app.engine.records import edits_to_store
from reviewer_app.engine.store import RowState
from reviewer_app.instant import (
    InstantError,
    build_document,
    parse_document,
    plan_import,
    serialise_document,
)
from reviewer_app.instant.records import Record


def apply(
    conn: Connection,
    doc: Document,
    layer: str,
    data: bytes | str | dict[str, Any],
    label: str,
    store: AttachmentStore,
    writer: Writer | None = None,
) -> tuple[Change, list[dict[str, str]]]:
    """Apply an Instant JSON file to the layer: every valid record lands, each invalid one is
    reported as ``{"reason": ...}`` (so is each bad attachment; the good ones are put in
    ``store``, as uploaded through ``layer``, and so is an image naming a picture ``writer``
    may not name: see picture_rule); a file that is not Instant JSON at all is BadRequest."""
    try:
        parsed = parse_document(data)
    except InstantError as exc:
        raise BadRequest(f"not a usable Instant JSON file: {exc}") from exc
    plan = plan_import(
        parsed,
        page_count=doc.page_count,
        base_ids_by_pdf_object_id=documents.base_ids_by_pdf_object_id(conn, doc.id),
        base_comment_ids_by_pdf_object_id=documents.base_ids_by_pdf_object_id(
            conn, doc.id, "comment"
        ),
    )
    errors = list(plan.errors) + store.put_all(plan.attachments)
    stored = [a.sha256 for a in plan.attachments.values() if store.has(a.sha256)]
    picture_rule.record_uploads(conn, doc.id, layer, stored)
    contents = [r.content if r.kind == "annotation" else {} for r in plan.upserts]
    refused = picture_rule.problems(conn, doc.id, layer, contents, writer)
    errors += [
        {"reason": f"annotation {r.id[:64]!r}: {problem}"}
        for r, problem in zip(plan.upserts, refused, strict=True)
        if problem is not None
    ]
    upserts = [r for r, problem in zip(plan.upserts, refused, strict=True) if problem is None]
    edits = edits_to_store(conn, doc, upserts)
    edits.extend((key, RowState(content=None)) for key in plan.deletions)
    edits = threads.cascade(conn, doc.id, layer, edits)
    edits, orphans = threads.without_orphans(conn, doc.id, layer, edits)
    indexes = {str(c.get("id")): i for i, c in enumerate(parsed.comments) if isinstance(c, dict)}
    for (_, rid), reason in orphans.items():
        where = f"comments[{indexes[rid]}]" if rid in indexes else "a comment"
        errors.append({"reason": f"{where} (id {rid!r}): not imported: {reason}"})
    change = history.apply(conn, doc.id, layer, edits, label)
    return change, errors


def export(
    conn: Connection,
    document_id: str,
    shown: list[Record],
    store: AttachmentStore,
) -> dict[str, Any]:
    """The layer as an Instant JSON document: every record it shows, the PDF objects of base
    annotations and comments it deleted in ``skippedPdfObjectIds``, the pictures its images
    show (stored here) in ``attachments``."""
    skipped: list[int] = []
    for kind in ("annotation", "comment"):
        present = {r.id for r in shown if r.kind == kind}
        objects = documents.base_ids_by_pdf_object_id(conn, document_id, kind)
        skipped += (obj for obj, rid in objects.items() if rid not in present)
    skipped.sort()
    doc = build_document(
        shown, skipped_pdf_object_ids=skipped, attachments=store.instant_map(shown)
    )
    result: dict[str, Any] = serialise_document(doc)
    return result
