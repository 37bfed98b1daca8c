"""Undo as engine state: each layer's history of steps, undone one by one or one given step."""

from __future__ import annotations

from reviewer_app.engine import history
from reviewer_app.engine.engine_core import EngineCore
from reviewer_app.engine.model import Change


class UndoOperations(EngineCore):
    """Undo and redo per layer, from the history kept in the database. Every undoable mutation
    returns a :class:`Change` whose ``step`` names the step it added; a UI action that must
    undo exactly that mutation (Undo Merge) uses :meth:`undo_step` and :meth:`can_undo_step`."""

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
