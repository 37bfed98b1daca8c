"""Instant JSON documents: parse, serialise losslessly, and build from records for export."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NoReturn

from .checks import describe, is_int
from .errors import InstantError
from .records import Json, Record

FORMAT = "https://pspdfkit.com/instant-json/v1"
ACCEPTED_FORMATS = (FORMAT, "https://www.nutrient.io/instant-json/v1")

# Top-level list keys and the InstantDocument attributes holding them.
_LISTS = {
    "annotations": "annotations",
    "bookmarks": "bookmarks",
    "formFieldValues": "form_field_values",
    "formFields": "form_fields",
    "comments": "comments",
}
# Every modelled top-level key, in the order a built document lists them.
_KNOWN_KEYS = (
    "format",
    "pdfId",
    "skippedPdfObjectIds",
    "annotations",
    "attachments",
    "formFields",
    "formFieldValues",
    "bookmarks",
    "comments",
)


@dataclass
class InstantDocument:
    """One Instant JSON document, with every key it held.

    The record lists hold entries exactly as found: ``parse_document`` checks the document's shape,
    not its records (``plan_import`` does that). ``extra`` keeps unknown top-level keys verbatim;
    ``source_keys`` remembers which top-level keys the source had, in order, so that serialising
    gives them back (an empty list included) in the same order.
    """

    annotations: list[Json] = field(default_factory=list)
    bookmarks: list[Json] = field(default_factory=list)
    form_field_values: list[Json] = field(default_factory=list)
    form_fields: list[Json] = field(default_factory=list)
    comments: list[Json] = field(default_factory=list)
    attachments: Json = field(default_factory=dict)
    skipped_pdf_object_ids: list[int] = field(default_factory=list)
    pdf_id: Json | None = None
    extra: Json = field(default_factory=dict)
    source_keys: tuple[str, ...] = ()


def _reject_constant(name: str) -> NoReturn:
    raise InstantError(f"not valid JSON: {name} is not a JSON number")


def _load(data: bytes | str | Mapping[str, Any]) -> Json:
    """``data`` as a fresh dict: decoded and parsed if text, deep-copied if already a mapping."""
    if isinstance(data, Mapping):
        return copy.deepcopy(dict(data))
    if isinstance(data, bytes | bytearray):
        try:
            data = bytes(data).decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise InstantError(f"not valid UTF-8: byte {error.start}: {error.reason}") from None
    if not isinstance(data, str):
        raise InstantError(f"Instant JSON must be bytes, text or a dict, not {type(data).__name__}")
    try:
        value = json.loads(data, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        raise InstantError(
            f"not valid JSON: line {error.lineno} column {error.colno}: {error.msg}"
        ) from None
    except RecursionError:
        raise InstantError("not valid JSON: nested too deeply") from None
    if not isinstance(value, dict):
        raise InstantError(f"Instant JSON must be an object, not {describe(value)}")
    return value


def parse_document(data: bytes | str | Mapping[str, Any]) -> InstantDocument:
    """An InstantDocument from JSON bytes or text, or from an already parsed dict (copied).

    Raises InstantError for problems with the document as a whole; records are not validated.
    """
    raw = _load(data)
    if "format" not in raw:
        raise InstantError("missing 'format'")
    if raw["format"] not in ACCEPTED_FORMATS:
        raise InstantError(f"unsupported format {describe(raw['format'])}; expected '{FORMAT}'")
    doc = InstantDocument(source_keys=tuple(raw))
    for key, attribute in _LISTS.items():
        value = raw.get(key, [])
        if not isinstance(value, list):
            raise InstantError(f"'{key}' must be a list, not {describe(value)}")
        setattr(doc, attribute, value)
    attachments = raw.get("attachments", {})
    if not isinstance(attachments, dict):
        raise InstantError(f"'attachments' must be an object, not {describe(attachments)}")
    doc.attachments = attachments
    skipped = raw.get("skippedPdfObjectIds", [])
    if not (isinstance(skipped, list) and all(is_int(i) for i in skipped)):
        raise InstantError(
            f"'skippedPdfObjectIds' must be a list of integers, not {describe(skipped)}"
        )
    doc.skipped_pdf_object_ids = skipped
    pdf_id = raw.get("pdfId")
    if pdf_id is not None and not isinstance(pdf_id, dict):
        raise InstantError(f"'pdfId' must be an object, not {describe(pdf_id)}")
    doc.pdf_id = pdf_id
    doc.extra = {key: value for key, value in raw.items() if key not in _KNOWN_KEYS}
    return doc


def _known_value(doc: InstantDocument, key: str) -> Any:
    if key in _LISTS:
        return getattr(doc, _LISTS[key])
    return {
        "attachments": doc.attachments,
        "skippedPdfObjectIds": doc.skipped_pdf_object_ids,
        "pdfId": doc.pdf_id,
    }[key]


def _as_dict(doc: InstantDocument) -> Json:
    """The document as a dict sharing its values with ``doc``; ``format`` is always ours."""
    out: Json = {"format": FORMAT}
    keys = [*doc.source_keys, *_KNOWN_KEYS, *doc.extra]
    for key in keys:
        if key in out:
            continue
        if key in _KNOWN_KEYS:
            value = _known_value(doc, key)
            if key in doc.source_keys or value:
                out[key] = value
        elif key in doc.extra:
            out[key] = doc.extra[key]
    return out


def serialise_document(doc: InstantDocument) -> Json:
    """The document as a fresh JSON-compatible dict: what was parsed, with ``format`` normalised."""
    return copy.deepcopy(_as_dict(doc))


def dumps_document(doc: InstantDocument, *, indent: int | None = None) -> str:
    """The document as JSON text; raises InstantError if some value cannot be written as JSON."""
    try:
        return json.dumps(_as_dict(doc), ensure_ascii=False, allow_nan=False, indent=indent)
    except (TypeError, ValueError) as error:
        raise InstantError(f"cannot write as JSON: {error}") from None


def build_document(
    records: Iterable[Record],
    *,
    skipped_pdf_object_ids: Iterable[int] = (),
    pdf_id: Mapping[str, Any] | None = None,
    attachments: Mapping[str, Json] | None = None,
) -> InstantDocument:
    """An InstantDocument for exporting ``records``, in the order given.

    Annotation, comment and bookmark content gets the record's id as ``"id"``; contents are
    copied; comments follow the form field values (the list is left out when there is none).
    ``attachments`` (``{"binary", "contentType"}`` by id) are listed after the annotations.
    """
    doc = InstantDocument(
        skipped_pdf_object_ids=list(skipped_pdf_object_ids),
        pdf_id=None if pdf_id is None else copy.deepcopy(dict(pdf_id)),
        attachments=copy.deepcopy(dict(attachments or {})),
    )
    head = (("pdfId",) if pdf_id is not None else ()) + (
        ("skippedPdfObjectIds",) if doc.skipped_pdf_object_ids else ()
    )
    pictures = ("attachments",) if doc.attachments else ()
    doc.source_keys = (*head, "annotations", *pictures, "bookmarks", "formFieldValues")
    for record in records:
        content = copy.deepcopy(record.content)
        if record.kind == "annotation":
            content["id"] = record.id
            doc.annotations.append(content)
        elif record.kind == "bookmark":
            content["id"] = record.id
            doc.bookmarks.append(content)
        elif record.kind == "comment":
            content["id"] = record.id
            doc.comments.append(content)
        else:
            doc.form_field_values.append(content)
    return doc
