"""The layer engine: documents, the base layer, layers and their records, in one SQLite file."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from reviewer_app.engine import (
    attachments,
    compare,
    conflicts,
    documents,
    history,
    instant_io,
    layers,
    records,
    replica,
    replica_merge,
    store,
    summaries,
    sync_support,
    trash,
)
from reviewer_app.engine.base_cache import BaseLayers, LayerReads
from reviewer_app.engine.db import Database
from reviewer_app.engine.errors import BadRequest, NotFound
from reviewer_app.engine.model import (
    BASE,
    Change,
    Document,
    LayerChanges,
    LayerCreated,
    LayerDiff,
    LayerInfo,
    RecordKey,
)
from reviewer_app.engine.store import NO_LAYER, read_layer, read_records
from reviewer_app.instant.records import Kind, LayerExport, Record

DATABASE_NAME = "layers.sqlite3"


class LayerEngine:
    """Everything a desktop replica or the server keeps: one database file plus an asset folder.

    Safe to share between threads (a connection per thread, one writer at a time). Every
    mutation returns a :class:`Change` saying what it did.
    """

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.db = Database(self.data_dir / DATABASE_NAME)
        self.assets = documents.AssetStore(self.data_dir / "assets")
        self.attachments = attachments.AttachmentStore(self.data_dir / "attachments")
        self.base_layers = BaseLayers()
        self.layer_reads = LayerReads()

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> LayerEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def _conn(self) -> sqlite3.Connection:
        return self.db.connection()

    # -- documents -------------------------------------------------------------------------

    def find_document(self, sha256: str) -> Document | None:
        """The document whose PDF has this SHA-256, if it was imported already."""
        return documents.find_by_sha256(self._conn, sha256)

    def add_document(
        self,
        data: bytes,
        *,
        records: Sequence[Record],
        page_count: int,
        title: str | None = None,
        file_name: str | None = None,
        skipped: Mapping[str, int] | None = None,
        password_protected: bool = False,
    ) -> Document:
        """Store a PDF and its base layer (extracted by the caller); the same bytes twice give
        the same document, untouched."""
        sha = documents.sha256_of(data)
        existing = self.find_document(sha)
        if existing is not None:
            return existing
        self.assets.put(data, sha)
        with self.db.atomic() as conn:
            return documents.insert(
                conn,
                sha,
                len(data),
                records=records,
                page_count=page_count,
                title=title,
                file_name=file_name,
                skipped=skipped or {},
                password_protected=password_protected,
            )

    def document(self, document_id: str) -> Document:
        return documents.get(self._conn, document_id)

    def documents(self) -> list[Document]:
        return documents.all_documents(self._conn)

    def pdf_path(self, document_id: str) -> Path:
        """Where the document's original PDF is stored (never modified)."""
        return self.assets.path(self.document(document_id).sha256)

    def add_attachment(self, data: bytes) -> str:
        """Store a file an annotation refers to (an image); returns its id, the SHA-256."""
        return self.attachments.put(data)

    def attachment(self, attachment_id: str) -> bytes | None:
        """The bytes of an attachment, or None when it is not stored here."""
        return self.attachments.get(attachment_id)

    def layer_attachment_ids(self, document_id: str, layer: str) -> set[str]:
        """The attachments the image annotations the layer shows refer to (stored or not)."""
        return set(attachments.referenced_by(self.records(document_id, layer, "annotation")))

    def delete_document(self, document_id: str) -> None:
        """Delete the document, every layer of it, and its PDF."""
        doc = self.document(document_id)
        with self.db.atomic() as conn:
            conn.execute("DELETE FROM documents WHERE id = ?", (document_id,))
        self.base_layers.forget(document_id)
        self.layer_reads.forget(document_id)
        self.assets.remove(doc.sha256)

    # -- layers ----------------------------------------------------------------------------

    def layers(self, document_id: str) -> list[LayerInfo]:
        """The layers that exist (the default layer ``""`` among them), by name."""
        self.document(document_id)
        return layers.infos(self._conn, document_id)

    def layer_names(self, document_id: str) -> list[str]:
        return [info.name for info in self.layers(document_id)]

    def has_layer(self, document_id: str, name: str) -> bool:
        return layers.find(self._conn, document_id, name) is not None

    def create_layer(
        self,
        document_id: str,
        name: str,
        *,
        source: str | None = None,
        instant_json: bytes | str | dict[str, Any] | None = None,
    ) -> LayerCreated:
        """Create a layer: a copy of the base layer, of ``source`` (base if it does not exist),
        or the base layer with an Instant JSON file applied (its problems in ``errors``)."""
        if source is not None and instant_json is not None:
            raise BadRequest("give either a source layer or an Instant JSON file, not both")
        layers.check_name(name)
        doc = self.document(document_id)
        with self.db.atomic() as conn:
            layer = layers.insert(conn, document_id, name)
            if source is not None:
                src = layers.find(conn, document_id, source)
                if src is not None:
                    layers.copy_rows(conn, src, layer)
                return LayerCreated(name)
            if instant_json is None:
                return LayerCreated(name)
            change, errors = instant_io.apply(
                conn, doc, name, instant_json, "Import Instant JSON", self.attachments
            )
            return LayerCreated(name, errors, change)

    def fork_layer(self, document_id: str, source: str, name: str) -> LayerCreated:
        """A new layer that reads exactly as ``source`` (a layer or :data:`BASE`) does now.

        Unlike :meth:`create_layer`, a source that does not exist is an error."""
        if source != BASE and not self.has_layer(document_id, source):
            self.document(document_id)
            raise NotFound(f"no layer {source!r} to fork in document {document_id}")
        return self.create_layer(document_id, name, source=source)

    def layer_summaries(self, document_id: str) -> list[summaries.LayerSummary]:
        """The base layer and every layer with its annotation count, authors and last change
        (what the reviewer panel lists); costs the layers' own rows, not their records."""
        self.document(document_id)
        base = self.base_layers.get(self._conn, document_id)
        return summaries.summaries(self._conn, document_id, base)

    def delete_layer(self, document_id: str, name: str) -> trash.DeletedLayer:
        """Delete a layer and all it stores; NotFound if it does not exist. Returns what it
        stored, so :meth:`restore_layer` can undo the deletion."""
        self.document(document_id)
        if name == BASE:
            raise BadRequest("the base layer cannot be deleted")
        with self.db.atomic() as conn:
            return trash.take(conn, document_id, name)

    def restore_layer(self, deleted: trash.DeletedLayer) -> None:
        """Put a deleted layer back exactly as it was (records, revision, undo history)."""
        self.document(deleted.document_id)
        with self.db.atomic() as conn:
            trash.put_back(conn, deleted)

    # -- records ---------------------------------------------------------------------------

    def records(
        self,
        document_id: str,
        layer: str,
        kind: Kind | None = None,
        page_index: int | None = None,
    ) -> list[Record]:
        """What the layer shows (a layer that does not exist yet shows the base layer)."""
        self.document(document_id)
        found = layers.find(self._conn, document_id, layer)
        layer_id = NO_LAYER if found is None else found.id
        # by uid, not row id: SQLite may give a deleted layer's row id to a new one
        uid, revision = ("", 0) if found is None else (found.uid, found.revision)
        key = (document_id, uid, revision, kind, page_index)
        cached = self.layer_reads.get(key)
        if cached is not None:
            return cached
        base = self.base_layers.get(self._conn, document_id)
        read = read_layer(self._conn, base, layer_id, kind, page_index)
        self.layer_reads.put(key, read)
        return read

    def annotations(self, document_id: str, layer: str) -> list[Record]:
        return self.records(document_id, layer, "annotation")

    def record(self, document_id: str, layer: str, kind: Kind, record_id: str) -> Record:
        """One record of the layer; NotFound if the layer does not show it."""
        self.document(document_id)
        found = layers.find(self._conn, document_id, layer)
        layer_id = NO_LAYER if found is None else found.id
        got = read_records(self._conn, document_id, layer_id, [(kind, record_id)])
        if not got:
            raise NotFound(f"no {kind} {record_id!r} in layer {layer!r}")
        return got[(kind, record_id)]

    def create_records(
        self,
        document_id: str,
        layer: str,
        kind: Kind,
        contents: Sequence[Mapping[str, Any]],
        *,
        user: str | None = None,
        group: str | None = None,
    ) -> Change:
        """Add new records (ids from ``id``/``name`` or new ULIDs); Conflict if an id exists."""
        doc = self.document(document_id)
        with self.db.atomic() as conn:
            edits = records.creations(conn, doc, layer, kind, contents, user, group)
            return history.apply(conn, document_id, layer, edits, records.label("Add", kind, edits))

    def update_records(
        self,
        document_id: str,
        layer: str,
        kind: Kind,
        contents: Sequence[Mapping[str, Any]],
        *,
        user: str | None = None,
    ) -> Change:
        """Replace records' content (each names its id); NotFound if one does not exist."""
        doc = self.document(document_id)
        with self.db.atomic() as conn:
            edits = records.updates(conn, doc, layer, kind, contents, user)
            return history.apply(
                conn, document_id, layer, edits, records.label("Edit", kind, edits)
            )

    def set_form_field_values(
        self,
        document_id: str,
        layer: str,
        values: Sequence[Mapping[str, Any]],
        *,
        user: str | None = None,
    ) -> Change:
        """Fill form fields in the layer (a value per field name; other layers are untouched)."""
        doc = self.document(document_id)
        with self.db.atomic() as conn:
            edits = records.form_values(conn, doc, layer, values, user)
            return history.apply(conn, document_id, layer, edits, "Fill form")

    def delete_records(self, document_id: str, layer: str, keys: Sequence[RecordKey]) -> Change:
        """Delete records from the layer (base records get tombstones); NotFound if missing."""
        doc = self.document(document_id)
        with self.db.atomic() as conn:
            edits = records.deletions(conn, doc, layer, keys)
            kind = keys[0][0] if keys else "annotation"
            return history.apply(
                conn, document_id, layer, edits, records.label("Delete", kind, edits)
            )

    def edit_records(
        self,
        document_id: str,
        layer: str,
        kind: Kind,
        contents: Sequence[Mapping[str, Any]],
        gone: Sequence[RecordKey],
        *,
        user: str | None = None,
    ) -> Change:
        """Replace some records' content and delete others, as one step of the history (an
        eraser stroke that trims one drawing and wipes out another)."""
        doc = self.document(document_id)
        with self.db.atomic() as conn:
            edits = records.updates(conn, doc, layer, kind, contents, user)
            edits += records.deletions(conn, doc, layer, gone)
            return history.apply(
                conn, document_id, layer, edits, records.label("Edit", kind, edits)
            )

    def put_records(
        self,
        document_id: str,
        layer: str,
        new: Sequence[Record],
        *,
        label: str = "Put records",
        undoable: bool = True,
    ) -> Change:
        """Store records exactly as given, replacing any with the same key (import, sync)."""
        doc = self.document(document_id)
        with self.db.atomic() as conn:
            edits = records.edits_to_store(conn, doc, new)
            return history.apply(conn, document_id, layer, edits, label, undoable=undoable)

    # -- compare, sync, Instant JSON, history ------------------------------------------------

    def diff(self, document_id: str, a: str, b: str) -> LayerDiff:
        """How two layers differ (either may be :data:`BASE` or not exist yet)."""
        self.document(document_id)
        return compare.diff(self._conn, document_id, a, b)

    def copy_records(
        self,
        document_id: str,
        source: str,
        target: str,
        keys: Sequence[RecordKey] | None = None,
    ) -> Change:
        """Make ``target`` show what ``source`` shows for ``keys`` (all differences if None)."""
        self.document(document_id)
        with self.db.atomic() as conn:
            edits = compare.copy_edits(conn, document_id, source, target, keys)
            return history.apply(conn, document_id, target, edits, f"Copy from {source!r}")

    def changes_since(self, document_id: str, layer: str, since: int) -> LayerChanges:
        self.document(document_id)
        return compare.changes_since(self._conn, document_id, layer, since)

    def changes_feed(self, document_id: str, layer: str, since: int) -> sync_support.Feed:
        """Like :meth:`changes_since`, each record with the revision that wrote it (for sync)."""
        self.document(document_id)
        return sync_support.feed(self._conn, document_id, layer, since)

    def push_changes(
        self,
        document_id: str,
        layer: str,
        key: str,
        changes: Sequence[sync_support.PushChange],
        *,
        user: str | None = None,
    ) -> sync_support.PushResult:
        """Apply a client's changes where their base revision is current (see sync_support)."""
        doc = self.document(document_id)
        with self.db.atomic() as conn:
            return sync_support.push(conn, doc, layer, key, changes, user)

    def export_instant(self, document_id: str, layer: str) -> dict[str, Any]:
        """The layer as an Instant JSON document, with the pictures its images show."""
        self.document(document_id)
        shown = self.records(document_id, layer)
        return instant_io.export(self._conn, document_id, shown, self.attachments)

    def import_instant(
        self, document_id: str, layer: str, data: bytes | str | dict[str, Any]
    ) -> tuple[Change, list[dict[str, str]]]:
        """Apply an Instant JSON file to the layer; returns the change and the file's problems."""
        doc = self.document(document_id)
        with self.db.atomic() as conn:
            return instant_io.apply(conn, doc, layer, data, "Import Instant JSON", self.attachments)

    def layer_export(self, document_id: str, layer: str) -> LayerExport:
        """What a PDF of the layer needs: its own records to write, the base annotations'
        PDF objects to remove, everything it shows (see :class:`LayerExport`)."""
        shown = self.records(document_id, layer)
        found = layers.find(self._conn, document_id, layer)
        own = set() if found is None else store.own_keys(self._conn, found.id)
        objects = documents.base_ids_by_pdf_object_id(self._conn, document_id)
        removed = frozenset(obj for obj, rid in objects.items() if ("annotation", rid) in own)
        write = tuple(r for r in shown if r.key in own)
        return LayerExport(
            write=write,
            remove_object_ids=removed,
            shown=tuple(shown),
            attachments=self.attachments.some(
                r.content["imageAttachmentId"] for r in write if "imageAttachmentId" in r.content
            ),
        )

    def undo(self, document_id: str, layer: str) -> Change | None:
        with self.db.atomic() as conn:
            return history.undo(conn, document_id, layer)

    def redo(self, document_id: str, layer: str) -> Change | None:
        with self.db.atomic() as conn:
            return history.redo(conn, document_id, layer)

    def undo_label(self, document_id: str, layer: str) -> str | None:
        return history.undo_label(self._conn, document_id, layer)

    def redo_label(self, document_id: str, layer: str) -> str | None:
        return history.redo_label(self._conn, document_id, layer)

    # -- replica sync (desktop side: see replica.py and conflicts.py) ------------------------

    def sync_state(self, document_id: str, layer: str) -> replica.SyncLayer:
        """The layer's sync state (created, never synced, on first use)."""
        self.document(document_id)
        with self.db.atomic() as conn:
            return replica.ensure_state(conn, document_id, layer)

    def sync_states(self, document_id: str) -> list[replica.SyncLayer]:
        return replica.all_states(self._conn, document_id)

    def sync_outbox(
        self, document_id: str, layer: str, limit: int | None = None
    ) -> list[replica.OutgoingChange]:
        """Local changes of the layer not yet sent to the server, oldest first."""
        state = replica.find_state(self._conn, document_id, layer)
        state = state or replica.SyncLayer(
            0, document_id, layer, *(None,) * 2, 0, 0, None, None, False
        )
        return replica.outbox(self._conn, state, limit)

    def merge_from_server(
        self, document_id: str, layer: str, versions: Sequence[replica.ServerVersion]
    ) -> replica_merge.Merged:
        """Take the server's versions into the layer (not undoable, not sent back); records
        changed here too become conflicts or notices, never silent overwrites."""
        doc = self.document(document_id)
        with self.db.atomic() as conn:
            state = replica.ensure_state(conn, document_id, layer)
            return replica_merge.merge(conn, doc, state, versions)

    def sync_conflicts(
        self, document_id: str, layer: str | None = None
    ) -> list[conflicts.SyncConflict]:
        """Records changed both here and on the server, with both versions."""
        return conflicts.listing(self._conn, self.document(document_id), layer)

    def resolve_conflict(self, document_id: str, conflict_id: int, choice: str) -> Change:
        """Keep ``mine``, ``theirs`` or ``both`` (see conflicts.resolve); the result syncs."""
        doc = self.document(document_id)
        with self.db.atomic() as conn:
            return conflicts.resolve(conn, doc, conflict_id, choice)
