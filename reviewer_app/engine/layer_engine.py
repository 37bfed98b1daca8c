"""The layer engine: documents, the base layer, layers and their records, in one SQLite file."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from reviewer_app.collector import no_gc
from reviewer_app.engine import (
    attachments,
    compare,
    history,
    instant_io,
    layers,
    picture_rule,
    records,
    summaries,
    threads,
)
from reviewer_app.engine.engine_bank import CommentBankOperations
from reviewer_app.engine.engine_core import DATABASE_NAME
from reviewer_app.engine.engine_export import ExportOperations
from reviewer_app.engine.engine_grading import GradingOperations
from reviewer_app.engine.engine_sync import SyncOperations
from reviewer_app.engine.engine_threads import ThreadOperations
from reviewer_app.engine.engine_undo import UndoOperations
from reviewer_app.engine.errors import BadRequest, NotFound
from reviewer_app.engine.grades import rebanked
from reviewer_app.engine.model import (
    BASE,
    Change,
    LayerChanges,
    LayerCreated,
    LayerDiff,
    LayerInfo,
    RecordKey,
)
from reviewer_app.engine.picture_rule import Writer
from reviewer_app.engine.store import NO_LAYER, read_layer, read_records
from reviewer_app.instant.records import Kind, LayerExport, Record

__all__ = ["DATABASE_NAME", "LayerEngine"]


class LayerEngine(
    SyncOperations,
    UndoOperations,
    ThreadOperations,
    GradingOperations,
    CommentBankOperations,
    ExportOperations,
):
    """Everything a desktop replica or the server keeps: one database file plus an asset folder.

    Safe to share between threads (a connection per thread, one writer at a time). Every
    mutation is one transaction and returns what it did (a :class:`Change` for records).
    Documents and attachments: :class:`EngineCore`; sync: :class:`SyncOperations`; undo:
    :class:`UndoOperations`; comment threads: :class:`ThreadOperations`; grading schemes and
    scores: :class:`GradingOperations`; the comment bank: :class:`CommentBankOperations`.
    """

    def __enter__(self) -> LayerEngine:
        return self

    def layer_attachment_ids(self, document_id: str, layer: str) -> set[str]:
        """The attachments the image annotations the layer shows refer to (stored or not)."""
        return set(attachments.referenced_by(self.records(document_id, layer, "annotation")))

    def add_attachments(self, document_id: str, layer: str, files: Sequence[bytes]) -> list[str]:
        """Store pictures uploaded to the document through ``layer`` (which lets a writer who
        can read that layer name them: see :mod:`~reviewer_app.engine.picture_rule`); returns
        their ids."""
        self.document(document_id)
        ids = [self.attachments.put(data) for data in files]
        with self.db.atomic() as conn:
            picture_rule.record_uploads(conn, document_id, layer, ids)
        return ids

    def forbidden_pictures(
        self,
        document_id: str,
        layer: str,
        contents: Sequence[Mapping[str, Any]],
        writer: Writer | None,
    ) -> list[str | None]:
        """For each annotation of ``contents``, why ``writer`` may not write it to ``layer``
        for the picture it names (None: it may), as :meth:`create_records` would refuse it."""
        return picture_rule.problems(self._conn, document_id, layer, contents, writer)

    # -- layers ----------------------------------------------------------------------------

    def layers(self, document_id: str) -> list[LayerInfo]:
        """The layers that exist (the default layer ``""`` among them), by name."""
        self.document(document_id)
        return layers.infos(self._conn, document_id)

    def layer_names(self, document_id: str, among: Collection[str] | None = None) -> list[str]:
        """The names of the layers that exist, sorted (the default layer ``""`` first); only
        those in ``among`` when given."""
        self.document(document_id)
        return layers.names(self._conn, document_id, among)

    def has_layer(self, document_id: str, name: str) -> bool:
        """Whether a layer of that name exists (the base layer is no layer)."""
        return layers.find(self._conn, document_id, name) is not None

    def create_layer(
        self,
        document_id: str,
        name: str,
        *,
        source: str | None = None,
        instant_json: bytes | str | dict[str, Any] | None = None,
        writer: Writer | None = None,
    ) -> LayerCreated:
        """Create a layer: a copy of the base layer, of ``source`` (base if it does not exist),
        or the base layer with an Instant JSON file applied. Returns the :class:`LayerCreated`
        (the file's problems in ``errors``, what it changed in ``change``); Conflict if the
        layer exists."""
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
                conn, doc, name, instant_json, "Import Instant JSON", self.attachments, writer
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
        return self.summary_counts.summaries(self._conn, document_id, base)

    # -- records ---------------------------------------------------------------------------

    def records(
        self,
        document_id: str,
        layer: str,
        kind: Kind | None = None,
        page_index: int | None = None,
    ) -> list[Record]:
        """What the layer shows (a layer that does not exist yet shows the base layer), in
        listing order. The records are shared (cached for every reader and thread), so their
        content is read-only: change a copy (``instant.thawed(record.content)``). Records from
        other methods (:meth:`record`, :meth:`diff`, a :class:`Change`) are built for the
        caller alone."""
        self.document(document_id)
        found = layers.find(self._conn, document_id, layer)
        layer_id = NO_LAYER if found is None else found.id
        # by uid, not row id: SQLite may give a deleted layer's row id to a new one
        uid, revision = ("", 0) if found is None else (found.uid, found.revision)
        key = (document_id, uid, revision, kind, page_index)
        cached = self.layer_reads.get(key)
        if cached is not None:
            return cached
        with no_gc():  # one pause: the collector would walk every record made
            base = self.base_layers.get(self._conn, document_id, page_index)
            read = read_layer(self._conn, base, layer_id, kind, page_index)
        self.layer_reads.put(key, read)
        return read

    def records_at_once(self, document_id: str, layer: str, rows: int) -> list[Record] | None:
        """:meth:`records` of the layer when they cost little now (the read is cached, or the
        layer and the base hold at most ``rows`` rows), else None: a window reads those on a
        thread, where parsing them does not stall it."""
        found = layers.find(self._conn, document_id, layer)
        uid, revision = ("", 0) if found is None else (found.uid, found.revision)
        cached = self.layer_reads.get((document_id, uid, revision, None, None))
        if cached is not None:
            return cached
        counted = "SELECT count(*) FROM base_records WHERE document_id = ?"
        total = self._conn.execute(counted, (document_id,)).fetchone()[0]
        if found is not None:
            counted = "SELECT count(*) FROM layer_records WHERE layer_id = ?"
            total += self._conn.execute(counted, (found.id,)).fetchone()[0]
        return self.records(document_id, layer) if total <= rows else None

    def apply_bank_points(self, document_id: str, comment_id: str) -> list[Change]:
        """Give every student's marks placed from bank comment ``comment_id`` the comment's
        points and text as they are now (Gradescope's retroactive rubric): one change, and
        one undo step, per student layer that had one."""
        comment = self.bank_comment(comment_id)
        changes = []
        for layer in self.student_layers(document_id):
            shown = self.records(document_id, layer, "annotation")
            new = rebanked(shown, comment_id, comment.text, comment.points)
            if new:
                changes.append(self.update_records(document_id, layer, "annotation", new))
        return changes

    def annotations(self, document_id: str, layer: str) -> list[Record]:
        """The annotations the layer shows: :meth:`records` of one kind (read-only content)."""
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
        writer: Writer | None = None,
    ) -> Change:
        """Add new records (ids from ``id``/``name`` or new ULIDs); Conflict if an id exists,
        PictureNotAllowed if an image names a picture ``writer`` may not name (None: this data
        folder's own user, who may name any). Returns the :class:`Change` (one undo step)."""
        doc = self.document(document_id)
        with self.db.atomic() as conn:
            edits = records.creations(conn, doc, layer, kind, contents, user, group, writer)
            threads.check_roots(conn, document_id, layer, edits)
            return history.apply(conn, document_id, layer, edits, records.label("Add", kind, edits))

    def update_records(
        self,
        document_id: str,
        layer: str,
        kind: Kind,
        contents: Sequence[Mapping[str, Any]],
        *,
        user: str | None = None,
        writer: Writer | None = None,
    ) -> Change:
        """Replace records' content (each names its id); NotFound if one does not exist,
        PictureNotAllowed as :meth:`create_records`. Returns the :class:`Change` (one undo
        step)."""
        doc = self.document(document_id)
        with self.db.atomic() as conn:
            edits = records.updates(conn, doc, layer, kind, contents, user, writer)
            threads.check_roots(conn, document_id, layer, edits)
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
        """Fill form fields in the layer (a value per field name; other layers are untouched).
        Returns the :class:`Change` (one undo step)."""
        doc = self.document(document_id)
        with self.db.atomic() as conn:
            edits = records.form_values(conn, doc, layer, values, user)
            return history.apply(conn, document_id, layer, edits, "Fill form")

    def delete_records(self, document_id: str, layer: str, keys: Sequence[RecordKey]) -> Change:
        """Delete records from the layer (base records get tombstones); NotFound if missing.
        A root's comments, and a comment marker left without comments, go too (Document
        Engine's rules). Returns the :class:`Change` (one undo step)."""
        doc = self.document(document_id)
        with self.db.atomic() as conn:
            edits = records.deletions(conn, doc, layer, keys)
            edits = threads.cascade(conn, document_id, layer, edits)
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
        eraser stroke that trims one drawing and wipes out another). Returns the :class:`Change`."""
        doc = self.document(document_id)
        with self.db.atomic() as conn:
            edits = records.updates(conn, doc, layer, kind, contents, user)
            edits += records.deletions(conn, doc, layer, gone)
            edits = threads.cascade(conn, document_id, layer, edits)
            threads.check_roots(conn, document_id, layer, edits)
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
        """Store records exactly as given, replacing any with the same key (import, sync).
        Returns the :class:`Change` (an undo step unless ``undoable`` is False)."""
        doc = self.document(document_id)
        with self.db.atomic() as conn:
            edits = records.edits_to_store(conn, doc, new)
            return history.apply(conn, document_id, layer, edits, label, undoable=undoable)

    # -- compare, Instant JSON, history --------------------------------------------------------

    def diff(self, document_id: str, a: str, b: str) -> LayerDiff:
        """How two layers differ (either may be :data:`BASE` or not exist yet): the
        :class:`LayerDiff` of records only in ``a``, only in ``b``, and changed."""
        self.document(document_id)
        return compare.diff(self._conn, document_id, a, b)

    def copy_records(
        self,
        document_id: str,
        source: str,
        target: str,
        keys: Sequence[RecordKey] | None = None,
    ) -> Change:
        """Make ``target`` show what ``source`` shows for ``keys`` (all differences if None):
        the merge step of a comparison. Returns the :class:`Change`; its ``step`` is what
        :meth:`undo_step` takes to undo exactly this merge."""
        self.document(document_id)
        with self.db.atomic() as conn:
            if keys is not None:  # a comment brings its root when the target lacks it
                keys = threads.with_roots(conn, document_id, source, target, keys)
            edits = compare.copy_edits(conn, document_id, source, target, keys)
            edits = threads.cascade(conn, document_id, target, edits)
            return history.apply(conn, document_id, target, edits, f"Copy from {source!r}")

    def changes_since(self, document_id: str, layer: str, since: int) -> LayerChanges:
        """What the layer changed after revision ``since``: its records now present and the
        keys now gone, with the layer's uid and revision."""
        self.document(document_id)
        return compare.changes_since(self._conn, document_id, layer, since)

    def export_instant(self, document_id: str, layer: str) -> dict[str, Any]:
        """The layer as an Instant JSON document, with the pictures its images show."""
        self.document(document_id)
        shown = self.records(document_id, layer)
        return instant_io.export(self._conn, document_id, shown, self.attachments)

    def import_instant(
        self,
        document_id: str,
        layer: str,
        data: bytes | str | dict[str, Any],
        *,
        writer: Writer | None = None,
    ) -> tuple[Change, list[dict[str, str]]]:
        """Apply an Instant JSON file to the layer; returns the change and the file's problems
        (an image naming a picture ``writer`` may not name is one of them, left out)."""
        doc = self.document(document_id)
        with self.db.atomic() as conn:
            return instant_io.apply(
                conn, doc, layer, data, "Import Instant JSON", self.attachments, writer
            )

    def layer_export(self, document_id: str, layer: str) -> LayerExport:
        """What a PDF of the layer needs: its own records to write, the base annotations'
        PDF objects to remove, everything it shows (see :class:`LayerExport`)."""
        return self._export(document_id, layer, self.records(document_id, layer))
