"""Documents and their assets: each PDF stored once, content-addressed by SHA-256."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from reviewer_app import giving_way
from reviewer_app.engine import layers
from reviewer_app.engine.db import Connection, utc_now
from reviewer_app.engine.errors import BadRequest, Conflict, NotFound
from reviewer_app.engine.model import DEFAULT, Document
from reviewer_app.engine.object_store import ObjectStore
from reviewer_app.engine.store import row_for
from reviewer_app.instant.ids import derived_id
from reviewer_app.instant.records import Record

_COLUMNS = (
    "id, sha256, title, file_name, page_count, byte_size, password_protected, skipped, created_at"
)


def document_id_for(sha256: str) -> str:
    """The id of the document whose bytes have this SHA-256 (the same on every machine)."""
    return derived_id("document", sha256)


ROWS_AT_ONCE = 500  # base records inserted between two looks at the window's turn
DOCUMENT_ID = re.compile(r"[A-Za-z0-9_-]{1,128}")
"""A document id a caller may choose: what a URL path and a file name carry as it is."""


def check_document_id(document_id: object) -> str:
    """``document_id`` if a caller may name a document so, else BadRequest saying why."""
    if not isinstance(document_id, str) or DOCUMENT_ID.fullmatch(document_id) is None:
        shown = repr(document_id)[:60]
        raise BadRequest(f"invalid document_id {shown}: use 1 to 128 letters, digits, '-' or '_'")
    return document_id


def chosen_id_problem(existing: Document, document_id: str | None) -> str | None:
    """Why a PDF already stored as ``existing`` cannot also be ``document_id`` (None: it can)."""
    if document_id is None or existing.id == document_id:
        return None
    return (
        f"this PDF is already stored as document {existing.id!r}: a PDF is stored once, "
        f"so it cannot also be {document_id!r}"
    )


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class AssetStore:
    """The PDFs, named by the SHA-256 of their bytes: ``assets/ab/abcdef….pdf`` in the
    engine's :class:`~reviewer_app.engine.object_store.ObjectStore`."""

    def __init__(self, store: ObjectStore) -> None:
        self.store = store

    @staticmethod
    def key(sha256: str) -> str:
        return f"assets/{sha256[:2]}/{sha256}.pdf"

    def path(self, sha256: str) -> Path:
        """A file holding the PDF (a local copy when the store is not a folder)."""
        return self.store.local_path(self.key(sha256))

    def put(self, data: bytes | Path, sha256: str, *, move: bool = False) -> None:
        """Store ``data``: bytes, or a file copied a megabyte at a time (``move``: renamed into
        place, a file in the same data folder that the caller gives up), durably."""
        if isinstance(data, Path):
            self.store.put_file(self.key(sha256), data, move=move, sha256=sha256)
        else:
            self.store.put_bytes(self.key(sha256), data)

    def remove(self, sha256: str) -> None:
        self.store.remove(self.key(sha256))


def _document(row: Sequence[object]) -> Document:
    values = list(row)
    values[6] = bool(values[6])
    values[7] = json.loads(str(values[7]))
    return Document(*values)  # type: ignore[arg-type]


def get(conn: Connection, document_id: str) -> Document:
    """The document with this id; NotFound if there is none."""
    row = conn.execute(f"SELECT {_COLUMNS} FROM documents WHERE id = ?", (document_id,)).fetchone()
    if row is None:
        raise NotFound(f"no document {document_id!r}")
    return _document(row)


def find_by_sha256(conn: Connection, sha256: str) -> Document | None:
    row = conn.execute(f"SELECT {_COLUMNS} FROM documents WHERE sha256 = ?", (sha256,)).fetchone()
    return None if row is None else _document(row)


def all_documents(conn: Connection) -> list[Document]:
    rows = conn.execute(f"SELECT {_COLUMNS} FROM documents ORDER BY created_at, id").fetchall()
    return [_document(row) for row in rows]


def insert(
    conn: Connection,
    sha256: str,
    byte_size: int,
    *,
    records: Sequence[Record],
    page_count: int,
    title: str | None,
    file_name: str | None,
    skipped: Mapping[str, int],
    password_protected: bool,
    document_id: str | None = None,
) -> Document:
    """Record a new document, its base layer and its (empty) default layer; its id is
    ``document_id`` (Conflict if taken) or derived from the bytes."""
    doc_id = document_id or document_id_for(sha256)
    taken = conn.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone()
    if taken is not None:
        raise Conflict(f"document id {doc_id!r} is already taken by another PDF")
    conn.execute(
        f"INSERT INTO documents ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            doc_id,
            sha256,
            title,
            file_name,
            page_count,
            byte_size,
            int(password_protected),
            json.dumps(dict(skipped), sort_keys=True),
            utc_now(),
        ),
    )
    rows = []
    for ord_, record in enumerate(records):
        if giving_way.busy:  # (on a task, the window's turn goes first)
            giving_way.give_way()
        state = row_for(record, ord_)
        rows.append((doc_id, record.kind, record.id, ord_, state.page_index, state.content))
    for at in range(0, len(rows), ROWS_AT_ONCE):
        giving_way.give_way()
        conn.executemany(
            "INSERT INTO base_records (document_id, kind, id, ord, page_index, content) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            rows[at : at + ROWS_AT_ONCE],
        )
    layers.insert(conn, doc_id, DEFAULT)
    return get(conn, doc_id)


def base_ids_by_pdf_object_id(
    conn: Connection, document_id: str, kind: str = "annotation"
) -> dict[int, str]:
    """For the Instant JSON overlay rules: which base annotation (or comment) each PDF object
    became."""
    rows = conn.execute(
        "SELECT json_extract(content, '$.pdfObjectId'), id FROM base_records "
        "WHERE document_id = ? AND kind = ? "
        "AND json_extract(content, '$.pdfObjectId') IS NOT NULL",
        (document_id, kind),
    )
    return {int(obj): rid for obj, rid in rows}
