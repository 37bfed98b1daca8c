"""Undo as engine state: each layer's history of steps (undone one by one, or one given step),
and deleted layers kept in the database until the deletion is undone or the trash emptied."""

from __future__ import annotations

from typing import overload

from reviewer_app.engine import history, layers, picture_rule, trash
from reviewer_app.engine.engine_core import EngineCore
from reviewer_app.engine.errors import BadRequest, NotFound
from reviewer_app.engine.model import BASE, Change, LayerInfo
from reviewer_app.engine.trash import DeletedLayer


class UndoOperations(EngineCore):
    """Undo and redo per layer, from the history kept in the database. Every undoable mutation
    returns a :class:`Change` whose ``step`` names the step it added; a UI action that must
    undo exactly that mutation (Undo Merge) uses :meth:`undo_step` and :meth:`can_undo_step`.

    Deleting a layer keeps it in the document's trash (unless told not to), from which
    :meth:`restore_layer` puts it back exactly; :meth:`purge_deleted_layers` empties it."""

    def undo(self, document_id: str, layer: str) -> Change | None:
        """Revert the layer's newest step (as a new revision); returns that change, or None
        when there is nothing to undo."""
        with self.db.atomic() as conn:
            return history.undo(conn, document_id, layer)

    def redo(self, document_id: str, layer: str) -> Change | None:
        """Reapply the step undo last reverted; returns that change, or None when there is
        nothing to redo (a new change drops what could be redone)."""
        with self.db.atomic() as conn:
            return history.redo(conn, document_id, layer)

    def undo_step(self, document_id: str, layer: str, step: int) -> Change:
        """Revert exactly the step ``step`` (a :attr:`Change.step`) and return that change;
        Conflict if it is not the newest step of the layer (a later change sits on top, or it
        was undone already), so undoing a merge never takes a later edit with it."""
        with self.db.atomic() as conn:
            return history.undo_step(conn, document_id, layer, step)

    def can_undo_step(self, document_id: str, layer: str, step: int) -> bool:
        """Whether :meth:`undo_step` would undo ``step`` now (it is the newest step): one
        indexed lookup, cheap enough to enable an action with."""
        return history.newest_step(self._conn, document_id, layer) == step

    def undo_label(self, document_id: str, layer: str) -> str | None:
        """What undo would revert in the layer ("Add annotation"...), or None."""
        return history.undo_label(self._conn, document_id, layer)

    def redo_label(self, document_id: str, layer: str) -> str | None:
        """What redo would reapply in the layer, or None."""
        return history.redo_label(self._conn, document_id, layer)

    # -- deleting layers, and undoing that ---------------------------------------------------

    def delete_layer(
        self, document_id: str, name: str, *, keep_for_undo: bool = True
    ) -> DeletedLayer:
        """Delete a layer and all it stores; NotFound if it does not exist. Returns the
        deletion (its ``id`` is None when not kept).

        By default the layer goes to the document's trash (see :meth:`deleted_layers`), which
        keeps the newest :data:`trash.TRASH_LIMIT` deletions until :meth:`purge_deleted_layers`:
        undoing a deletion works like undoing an edit. Callers that offer no undo and must not
        accumulate anything (the server's DELETE, sync accepting a server's deletion) pass
        ``keep_for_undo=False``: the layer is gone for good."""
        self.document(document_id)
        if name == BASE:
            raise BadRequest("the base layer cannot be deleted")
        with self.db.atomic() as conn:
            if not keep_for_undo:  # gone for good: a new layer of that name starts afresh
                picture_rule.forget_uploads(conn, document_id, name)
            return trash.take(conn, document_id, name, keep_for_undo=keep_for_undo)

    def deleted_layers(self, document_id: str) -> list[DeletedLayer]:
        """The document's deletions that can still be undone, newest first."""
        self.document(document_id)
        return trash.listing(self._conn, document_id)

    @overload
    def restore_layer(self, document_id: str, deletion: int | None = None) -> LayerInfo: ...

    @overload
    def restore_layer(self, deleted: DeletedLayer, /) -> LayerInfo: ...

    def restore_layer(
        self, document_id: str | DeletedLayer, deletion: int | None = None
    ) -> LayerInfo:
        """Undo a deletion: put back the document's newest deleted layer, or the deletion
        ``deletion`` names (a :attr:`DeletedLayer.id`), exactly as it was: its records, its
        revision, its undo history and its uid (so sync sees the same layer again, see the
        README). Also takes the :class:`DeletedLayer` that :meth:`delete_layer` returned.
        Returns the layer; NotFound if there is no such deletion (or it was not kept),
        Conflict if a layer of that name exists again."""
        if isinstance(document_id, DeletedLayer):
            deleted = document_id
            if deleted.id is None:
                raise NotFound(f"the deletion of layer {deleted.name!r} was not kept for undo")
            document_id, deletion = deleted.document_id, deleted.id
        self.document(document_id)
        with self.db.atomic() as conn:
            restored = trash.put_back(conn, document_id, deletion)
            return next(i for i in layers.infos(conn, document_id) if i.name == restored.name)

    def purge_deleted_layers(self, document_id: str) -> int:
        """Empty the document's trash: its deletions can no longer be undone. Returns how many
        were dropped. The desktop app calls this for a document when it closes it (on quitting
        or opening another), so a deletion can be undone as long as its document is open."""
        self.document(document_id)
        if not trash.holds_any(self._conn, document_id):
            return 0  # (no write: a sync writing meanwhile is not waited for)
        with self.db.atomic() as conn:
            return trash.purge(conn, document_id)
