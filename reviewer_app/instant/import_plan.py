"""Planning an Instant JSON import: which records to upsert or delete, and which entries are bad."""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .attachments import IMAGE_TYPE, Attachment, decode_attachments
from .checks import is_int
from .comments import sanitised, validate_comment
from .document import InstantDocument
from .ids import new_ulid
from .records import Json, Kind, Record
from .validate import validate_annotation, validate_bookmark, validate_form_field_value


@dataclass
class ImportResult:
    """What importing a document into a layer changes, and what it had to skip.

    ``upserts`` are records to create or replace (content copied from the document), ``deletions``
    are base records the document removes (via ``skippedPdfObjectIds``), and ``errors`` has one
    ``{"reason": ...}`` per skipped entry, naming its list, index, id and type, and its problems.
    ``attachments`` are the usable pictures of the ``attachments`` map, by SHA-256 (the name
    they are stored under; upserts refer to them by it).
    """

    upserts: list[Record] = field(default_factory=list)
    deletions: list[tuple[Kind, str]] = field(default_factory=list)
    errors: list[Json] = field(default_factory=list)
    attachments: dict[str, Attachment] = field(default_factory=dict)


def plan_import(
    doc: InstantDocument,
    *,
    page_count: int | None = None,
    base_ids_by_pdf_object_id: Mapping[int, str] | None = None,
    base_comment_ids_by_pdf_object_id: Mapping[int, str] | None = None,
) -> ImportResult:
    """The changes that apply ``doc`` over a layer, following the overlay rules of api.md §5.1.

    An annotation whose ``pdfObjectId`` is a base record's replaces it under the base id; otherwise
    its id is its ``id`` key or a new ULID. A base record whose pdfObjectId is in
    ``skippedPdfObjectIds`` and that no entry replaces is deleted; one that an *invalid* entry
    tried to replace is kept, so a bad entry never loses data. Bookmarks take their ``id``,
    ``pdfBookmarkId`` or a new ULID; form field values take their ``name``. Invalid entries are
    reported in ``errors`` and skipped; the others are still imported. Attachments are decoded
    and checked (a bad one is an error, its annotations still land); one keyed by something
    other than its SHA-256 (a ``pdfObjectId``) is renamed to it in the annotations that use it.
    Comments take their ``id`` (a base comment's, by ``pdfObjectId``) or a new ULID, their
    XHTML made safe (said in ``errors`` when something was removed); whether their roots
    exist is checked where the layer is known. What is not stored (form field definitions,
    unknown top-level keys) is listed in ``errors`` too: nothing is dropped in silence.
    """
    base_ids = dict(base_ids_by_pdf_object_id or {})
    comment_ids = dict(base_comment_ids_by_pdf_object_id or {})
    result = ImportResult()
    claimed = _plan_annotations(doc, page_count, base_ids, result)
    claimed_comments = _plan_comments(doc, page_count, comment_ids, result)
    _plan_list(result, "bookmarks", "bookmark", doc.bookmarks, validate_bookmark, _bookmark_id)
    _plan_list(
        result,
        "formFieldValues",
        "formFieldValue",
        doc.form_field_values,
        validate_form_field_value,
        lambda content: str(content["name"]),
    )
    upserted = {record.id for record in result.upserts if record.kind == "annotation"}
    for object_id in doc.skipped_pdf_object_ids:
        base_id = base_ids.get(object_id)
        if base_id is None or object_id in claimed or base_id in upserted:
            continue
        if ("annotation", base_id) not in result.deletions:
            result.deletions.append(("annotation", base_id))
    comments = {record.id for record in result.upserts if record.kind == "comment"}
    for object_id in doc.skipped_pdf_object_ids:
        comment_id = comment_ids.get(object_id)
        if comment_id is None or object_id in claimed_comments or comment_id in comments:
            continue
        if ("comment", comment_id) not in result.deletions:
            result.deletions.append(("comment", comment_id))
    _plan_attachments(doc, result)
    _report_unstored(doc, result)
    return result


def _plan_comments(
    doc: InstantDocument, page_count: int | None, base_ids: dict[int, str], result: ImportResult
) -> set[int]:
    """Add the comments' upserts and errors; return the base pdfObjectIds some entry claims."""
    claimed: set[int] = set()
    first_index: dict[str, int] = {}
    for index, content in enumerate(doc.comments):
        object_id: Any = content.get("pdfObjectId") if isinstance(content, Mapping) else None
        replaces = is_int(object_id) and object_id in base_ids
        if replaces:
            claimed.add(object_id)
        problems = validate_comment(content, page_count=page_count)
        if problems:
            result.errors.append(_error("comments", index, content, problems))
            continue
        record_id = base_ids[object_id] if replaces else str(content.get("id") or new_ulid())
        if record_id in first_index:
            problem = f"duplicate id '{record_id}' (first at comments[{first_index[record_id]}])"
            result.errors.append(_error("comments", index, content, [problem]))
            continue
        first_index[record_id] = index
        body, cleaned = sanitised(copy.deepcopy(content))
        if cleaned:
            note = "unsafe XHTML (scripts, event handlers, links other than web or mail) removed"
            result.errors.append(_error("comments", index, content, [f"{note}; the rest kept"]))
        result.upserts.append(Record("comment", record_id, body))
    return claimed


def _report_unstored(doc: InstantDocument, result: ImportResult) -> None:
    """An error per entry or key the import does not store, so none is lost unsaid."""
    if doc.form_fields:
        count = len(doc.form_fields)
        result.errors.append(
            {
                "reason": f"formFields: {count} form field definition{'s' * (count != 1)} not "
                "imported (a layer stores form values; the fields are the PDF's own)"
            }
        )
    for key in doc.extra:
        result.errors.append(
            {"reason": f"{key!r}: not part of Instant JSON that a layer stores; not imported"}
        )


def _plan_attachments(doc: InstantDocument, result: ImportResult) -> None:
    """Decode the attachments map into ``result`` and point image annotations at the SHA-256."""
    found, errors = decode_attachments(doc.attachments)
    result.errors.extend(errors)
    renamed = {key: a.sha256 for key, a in found.items() if key != a.sha256}
    result.attachments = {a.sha256: a for a in found.values()}
    for record in result.upserts:
        content = record.content
        if record.kind == "annotation" and content.get("type") == IMAGE_TYPE:
            old = content.get("imageAttachmentId")
            if isinstance(old, str | int) and str(old) in renamed:
                content["imageAttachmentId"] = renamed[str(old)]


def _plan_annotations(
    doc: InstantDocument, page_count: int | None, base_ids: dict[int, str], result: ImportResult
) -> set[int]:
    """Add the annotations' upserts and errors; return the base pdfObjectIds some entry claims."""
    claimed: set[int] = set()
    first_index: dict[str, int] = {}
    for index, content in enumerate(doc.annotations):
        object_id: Any = content.get("pdfObjectId") if isinstance(content, Mapping) else None
        replaces = is_int(object_id) and object_id in base_ids
        if replaces:
            claimed.add(object_id)
        problems = validate_annotation(content, page_count=page_count)
        if problems:
            result.errors.append(_error("annotations", index, content, problems))
            continue
        if replaces:
            record_id = base_ids[object_id]
        elif "id" in content:
            record_id = content["id"]
        else:
            record_id = new_ulid()
        if record_id in first_index:
            problem = f"duplicate id '{record_id}' (first at annotations[{first_index[record_id]}])"
            result.errors.append(_error("annotations", index, content, [problem]))
            continue
        first_index[record_id] = index
        result.upserts.append(Record("annotation", record_id, copy.deepcopy(content)))
    return claimed


def _bookmark_id(content: Json) -> str:
    return str(content.get("id") or content.get("pdfBookmarkId") or new_ulid())


def _plan_list(
    result: ImportResult,
    section: str,
    kind: Kind,
    entries: list[Json],
    validate: Callable[[object], list[str]],
    record_id_of: Callable[[Json], str],
) -> None:
    """Add the upserts and errors for one list of bookmarks or form field values."""
    first_index: dict[str, int] = {}
    for index, content in enumerate(entries):
        problems = validate(content)
        if problems:
            result.errors.append(_error(section, index, content, problems))
            continue
        record_id = record_id_of(content)
        if record_id in first_index:
            problem = f"duplicate id '{record_id}' (first at {section}[{first_index[record_id]}])"
            result.errors.append(_error(section, index, content, [problem]))
            continue
        first_index[record_id] = index
        result.upserts.append(Record(kind, record_id, copy.deepcopy(content)))


def _error(section: str, index: int, content: Any, problems: list[str]) -> Json:
    """One batch error item naming the entry (list, index, id, type) and its problems."""
    label = f"{section}[{index}]"
    if isinstance(content, Mapping):
        names = [f"id {_clip(content['id'])}" if "id" in content else "no id"]
        if section == "formFieldValues" and "name" in content:
            names.append(f"name {_clip(content['name'])}")
        if "pdfObjectId" in content:
            names.append(f"pdfObjectId {_clip(content['pdfObjectId'])}")
        names.append(f"type {_clip(content['type'])}" if "type" in content else "no type")
        label += f" ({', '.join(names)})"
    return {"reason": f"{label}: {'; '.join(problems)}"}


def _clip(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
