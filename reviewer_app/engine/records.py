"""Turning requests to add, edit, fill or delete records into edits of a layer's rows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from reviewer_app.engine import layers, picture_rule
from reviewer_app.engine.db import Connection, utc_now
from reviewer_app.engine.errors import BadRequest, Conflict, NotFound
from reviewer_app.engine.history import Edit
from reviewer_app.engine.model import Document, RecordKey
from reviewer_app.engine.picture_rule import Writer
from reviewer_app.engine.store import NO_LAYER, RowState, base_ord, read_records, row_for
from reviewer_app.instant import validate_annotation, validate_bookmark, validate_form_field_value
from reviewer_app.instant.comments import sanitised, validate_comment
from reviewer_app.instant.ids import new_ulid
from reviewer_app.instant.records import Kind, Record

_NOUNS = {
    "annotation": "annotation",
    "comment": "comment",
    "bookmark": "bookmark",
    "formFieldValue": "form value",
}


def label(verb: str, kind: Kind, edits: Sequence[Edit]) -> str:
    """A history label such as "Add annotation" or "Delete 3 annotations"."""
    noun = _NOUNS[kind]
    return f"{verb} {noun}" if len(edits) == 1 else f"{verb} {len(edits)} {noun}s"


def check(kind: Kind, content: Mapping[str, Any], doc: Document, index: int) -> None:
    """BadRequest naming the record and its problems if ``content`` is not a valid record."""
    if not isinstance(content, Mapping):
        raise BadRequest(f"record {index}: expected a JSON object")
    if kind == "annotation":
        problems = validate_annotation(dict(content), page_count=doc.page_count)
    elif kind == "comment":
        problems = validate_comment(dict(content), page_count=doc.page_count)
    elif kind == "bookmark":
        problems = validate_bookmark(dict(content))
    else:
        problems = validate_form_field_value(dict(content))
    if problems:
        rid = content.get("id") or content.get("name") or "without id"
        raise BadRequest(f"invalid {_NOUNS[kind]} {index} ({str(rid)[:60]}): {'; '.join(problems)}")


def _safe(kind: Kind, content: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``content`` whose XHTML text is safe, for comments and comment markers."""
    if kind == "comment" or content.get("type") == "pspdfkit/comment-marker":
        return sanitised(content)[0]
    return dict(content)


def _layer_id(conn: Connection, doc: Document, layer: str) -> int:
    found = layers.find(conn, doc.id, layer)
    return NO_LAYER if found is None else found.id


def _shown(
    conn: Connection, doc: Document, layer: str, keys: Sequence[RecordKey]
) -> dict[RecordKey, Record]:
    return read_records(conn, doc.id, _layer_id(conn, doc, layer), keys)


def _unique(keys: Sequence[RecordKey]) -> None:
    seen: set[RecordKey] = set()
    for key in keys:
        if key in seen:
            raise BadRequest(f"{_NOUNS[key[0]]} {key[1]!r} appears twice in one request")
        seen.add(key)


def creations(
    conn: Connection,
    doc: Document,
    layer: str,
    kind: Kind,
    contents: Sequence[Mapping[str, Any]],
    user: str | None,
    group: str | None,
    writer: Writer | None = None,
) -> list[Edit]:
    """Edits adding new records; Conflict if the layer already shows one of their ids,
    PictureNotAllowed if one names a picture ``writer`` may not name (see picture_rule)."""
    now = utc_now()
    new: list[Record] = []
    for index, content in enumerate(contents):
        check(kind, content, doc, index)
    if kind == "annotation":
        picture_rule.check(conn, doc.id, layer, contents, writer)
    for content in contents:
        body = _safe(kind, content)
        rid = str(body.get("name") if kind == "formFieldValue" else body.get("id") or new_ulid())
        if kind in ("annotation", "comment"):
            body.setdefault("createdAt", now)
            body.setdefault("updatedAt", body["createdAt"])
        new.append(Record(kind, rid, body, created_by=user, updated_by=user, group=group))
    keys = [r.key for r in new]
    _unique(keys)
    clash = _shown(conn, doc, layer, keys)
    if clash:
        kind_, rid = next(iter(clash))
        raise Conflict(f"{_NOUNS[kind_]} {rid!r} already exists in layer {layer!r}")
    return edits_to_store(conn, doc, new)


def updates(
    conn: Connection,
    doc: Document,
    layer: str,
    kind: Kind,
    contents: Sequence[Mapping[str, Any]],
    user: str | None,
    writer: Writer | None = None,
) -> list[Edit]:
    """Edits replacing existing records' content; NotFound if one is not in the layer,
    PictureNotAllowed if one names a picture ``writer`` may not name (see picture_rule)."""
    now = utc_now()
    wanted: list[tuple[RecordKey, dict[str, Any]]] = []
    for index, content in enumerate(contents):
        check(kind, content, doc, index)
        rid = content.get("name") if kind == "formFieldValue" else content.get("id")
        if not isinstance(rid, str) or not rid:
            raise BadRequest(f"{_NOUNS[kind]} {index}: an update must name the record's id")
        wanted.append(((kind, rid), _safe(kind, content)))
    if kind == "annotation":
        picture_rule.check(conn, doc.id, layer, contents, writer)
    keys = [key for key, _ in wanted]
    _unique(keys)
    current = _shown(conn, doc, layer, keys)
    changed: list[Record] = []
    for key, body in wanted:
        old = current.get(key)
        if old is None:
            raise NotFound(f"no {_NOUNS[kind]} {key[1]!r} in layer {layer!r}")
        if kind in ("annotation", "comment") and body.get("updatedAt") in (
            None,
            old.content.get("updatedAt"),
        ):
            body["updatedAt"] = now
        changed.append(
            Record(
                kind,
                key[1],
                body,
                created_by=old.created_by,
                updated_by=user or old.updated_by,
                group=old.group,
            )
        )
    return edits_to_store(conn, doc, changed)


def form_values(
    conn: Connection,
    doc: Document,
    layer: str,
    values: Sequence[Mapping[str, Any]],
    user: str | None,
) -> list[Edit]:
    """Edits setting form field values (``{"name", "value"}``), each replacing the old one."""
    filled: list[Record] = []
    for index, value in enumerate(values):
        body = {"v": 1, "type": "pspdfkit/form-field-value", **dict(value)}
        check("formFieldValue", body, doc, index)
        filled.append(
            Record("formFieldValue", str(body["name"]), body, created_by=user, updated_by=user)
        )
    _unique([r.key for r in filled])
    current = _shown(conn, doc, layer, [r.key for r in filled])
    kept = [
        Record(
            r.kind,
            r.id,
            r.content,
            created_by=current[r.key].created_by or r.created_by,
            updated_by=r.updated_by,
            group=current[r.key].group,
        )
        if r.key in current
        else r
        for r in filled
    ]
    return edits_to_store(conn, doc, kept)


def deletions(conn: Connection, doc: Document, layer: str, keys: Sequence[RecordKey]) -> list[Edit]:
    """Edits deleting records (tombstones); NotFound if the layer does not show one."""
    _unique(keys)
    current = _shown(conn, doc, layer, keys)
    for key in keys:
        if key not in current:
            raise NotFound(f"no {_NOUNS[key[0]]} {key[1]!r} in layer {layer!r}")
    return [(key, RowState(content=None)) for key in keys]


def edits_to_store(conn: Connection, doc: Document, records: Sequence[Record]) -> list[Edit]:
    """The edits that store ``records`` exactly as given, replacing any row with the same key
    (a base record keeps its place in the page order)."""
    return [(r.key, row_for(r, base_ord(conn, doc.id, r.key))) for r in records]
