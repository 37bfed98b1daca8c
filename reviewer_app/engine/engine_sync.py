"""The engine's side of sync: the server's changes feed and push, and a desktop replica's
state (what was pulled and pushed, the push in flight, conflicts). Every method is one
transaction; sync calls these and nothing below them."""

from __future__ import annotations

from collections.abc import Sequence

from reviewer_app.engine import conflicts, layers, replica, replica_merge, sync_support
from reviewer_app.engine.db import utc_now
from reviewer_app.engine.engine_core import EngineCore
from reviewer_app.engine.model import (
    Change,
    Merged,
    OutgoingChange,
    PushOutcome,
    RecordKey,
    ServerVersion,
    SyncLayer,
)
from reviewer_app.engine.picture_rule import Writer
from reviewer_app.instant.records import Record


class SyncOperations(EngineCore):
    """Sync, both ends. The server answers :meth:`changes_feed` and :meth:`push_changes`; a
    replica keeps a :class:`SyncLayer` per layer and goes through the rest."""

    # -- the server's end ------------------------------------------------------------------

    def changes_feed(self, document_id: str, layer: str, since: int) -> sync_support.Feed:
        """What the layer wrote after revision ``since``, each record with the revision that
        wrote it (like :meth:`changes_since`, for sync)."""
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
        writer: Writer | None = None,
    ) -> sync_support.PushResult:
        """Apply a client's changes where their base revision is current (see sync_support);
        returns what was applied, the conflicts and the rejected changes (an image naming a
        picture ``writer`` may not name is rejected: see picture_rule)."""
        doc = self.document(document_id)
        with self.db.atomic() as conn:
            return sync_support.push(conn, doc, layer, key, changes, user, writer)

    # -- a replica's end: its state per layer ----------------------------------------------

    def sync_state(self, document_id: str, layer: str) -> SyncLayer:
        """The layer's sync state (created, never synced, on first use)."""
        self.document(document_id)
        with self.db.atomic() as conn:
            return replica.ensure_state(conn, document_id, layer)

    def sync_states(self, document_id: str) -> list[SyncLayer]:
        """The sync state of every layer that has one (deleted layers included), by name."""
        return replica.all_states(self._conn, document_id)

    def sync_outbox(
        self, document_id: str, layer: str, limit: int | None = None
    ) -> list[OutgoingChange]:
        """Local changes of the layer not yet sent to the server, oldest first."""
        return replica.outbox(self._conn, self._outbox_state(document_id, layer), limit)

    def sync_outbox_size(self, document_id: str, layer: str) -> int:
        """How many local changes of the layer wait to be sent (``len(sync_outbox(...))``
        without reading them: the sync status counts them after every change)."""
        return replica.outbox_size(self._conn, self._outbox_state(document_id, layer))

    def _outbox_state(self, document_id: str, layer: str) -> SyncLayer:
        """The layer's sync state, or a fresh one (nothing pushed yet) when it has none."""
        state = replica.find_state(self._conn, document_id, layer)
        return state or SyncLayer(0, document_id, layer, *(None,) * 2, 0, 0, None, None, False)

    def last_server_versions(self, document_id: str, layer: str) -> dict[RecordKey, Record | None]:
        """The server's version of every record of the layer as last seen here (None: deleted
        there, or sent and not listed since); a plain server's next listing is compared to it."""
        state = replica.find_state(self._conn, document_id, layer)
        return {} if state is None else replica.server_snapshot(self._conn, state.id)

    def mark_deleted_on_server(self, document_id: str, layer: str) -> SyncLayer:
        """The server deleted its layer: the layer stays here, listed as deleted on the server
        (and not synced) until :meth:`accept_server_deletion` or :meth:`restart_sync`."""
        self.document(document_id)
        with self.db.atomic() as conn:
            state = replica.ensure_state(conn, document_id, layer)
            replica.update_state(conn, state.id, deleted_on_server=1)
            return replica.ensure_state(conn, document_id, layer)

    def restart_sync(self, document_id: str, layer: str) -> SyncLayer:
        """Pair the layer with the server's afresh: every local record counts as unsent and
        the server's are pulled anew (to send a layer the server deleted again, or to take
        back one deleted here that the server changed since). Returns the new state."""
        self.document(document_id)
        with self.db.atomic() as conn:
            replica.restart_state(conn, replica.ensure_state(conn, document_id, layer))
            return replica.ensure_state(conn, document_id, layer)

    def forget_sync(self, document_id: str, layer: str) -> bool:
        """Drop the layer's sync state (its record states and conflicts go with it), e.g. once
        a deletion made here reached the server; False if it had none."""
        with self.db.atomic() as conn:
            state = replica.find_state(conn, document_id, layer)
            if state is not None:
                replica.forget_state(conn, state.id)
            return state is not None

    def accept_server_deletion(self, document_id: str, layer: str) -> bool:
        """The user agrees the server's deletion of the layer: delete it here too (for good,
        not kept for undo) and forget its sync state. False if it did not exist here."""
        self.document(document_id)
        with self.db.atomic() as conn:
            state = replica.find_state(conn, document_id, layer)
            if state is not None:
                replica.forget_state(conn, state.id)
            found = layers.find(conn, document_id, layer)
            if found is not None:
                conn.execute("DELETE FROM layers WHERE id = ?", (found.id,))
            return found is not None

    # -- a replica's end: pull and push ----------------------------------------------------

    def merge_from_server(
        self,
        document_id: str,
        layer: str,
        versions: Sequence[ServerVersion],
        *,
        pulled_revision: int | None = None,
        server_uid: str | None = None,
        changed_at: str | None = None,
    ) -> Merged:
        """Take the server's versions into the layer (not undoable, not sent back); records
        changed here too become conflicts or notices, never silent overwrites. In the same
        transaction, remember the server revision now pulled up to and the server layer's
        uid, when given. ``changed_at`` (ISO 8601 UTC, as :func:`utc_now` writes it): when
        the server's layer last changed; a merge that changed the layer dates it so (or
        keeps the time of a later change made here), not at the time it was pulled. Returns
        what the merge changed."""
        doc = self.document(document_id)
        with self.db.atomic() as conn:
            state = replica.ensure_state(conn, document_id, layer)
            before = conn.execute(
                "SELECT updated_at FROM layers WHERE document_id = ? AND name = ?",
                (document_id, layer),
            ).fetchone()
            merged = replica_merge.merge(conn, doc, state, versions)
            if changed_at is not None and not merged.change.empty:
                earlier = str(before[0]) if before is not None and before[0] else ""
                at_most_now = min(changed_at, utc_now())  # (a server's clock ahead of ours)
                conn.execute(
                    "UPDATE layers SET updated_at = ? WHERE document_id = ? AND name = ?",
                    (max(earlier, at_most_now), document_id, layer),
                )
            pulled: dict[str, object] = {}
            if pulled_revision is not None:
                pulled["pulled_revision"] = pulled_revision
            if server_uid is not None:
                pulled["server_uid"] = server_uid
            if pulled:
                replica.update_state(conn, state.id, **pulled)
            return merged

    def start_push(
        self, document_id: str, layer: str, key: str, changes: Sequence[OutgoingChange]
    ) -> SyncLayer:
        """Remember a push before it is sent (its idempotency key and changes), so a push left
        unanswered by a crash or a dropped connection is sent again with the same key."""
        self.document(document_id)
        with self.db.atomic() as conn:
            state = replica.ensure_state(conn, document_id, layer)
            replica.update_state(conn, state.id, pending_key=key, pending_changes=list(changes))
            return replica.ensure_state(conn, document_id, layer)

    def settle_push(self, document_id: str, layer: str, outcome: PushOutcome) -> Merged:
        """Record the server's answer to the push in flight: applied changes are in step,
        rejected ones are not sent again, the server's versions in conflict are merged; the
        push in flight is cleared. Returns what merging the conflicts did."""
        doc = self.document(document_id)
        with self.db.atomic() as conn:
            state = replica.ensure_state(conn, document_id, layer)
            return replica_merge.settle_push(conn, doc, state, outcome)

    def mark_sent(
        self, document_id: str, layer: str, change: OutgoingChange, *, server_revision: int
    ) -> None:
        """A change was written to a plain server (no changes feed, no push): it is not sent
        again, and the server's version of it, unknown, is taken from the next listing."""
        self.document(document_id)
        with self.db.atomic() as conn:
            state = replica.ensure_state(conn, document_id, layer)
            replica.set_synced(
                conn, state.id, change.key, server_revision, change.local_revision, None
            )
            replica.advance_pushed(conn, state, change.local_revision)

    # -- a replica's end: conflicts --------------------------------------------------------

    def sync_conflicts(
        self, document_id: str, layer: str | None = None
    ) -> list[conflicts.SyncConflict]:
        """Records changed both here and on the server, with both versions."""
        return conflicts.listing(self._conn, self.document(document_id), layer)

    def resolve_conflict(self, document_id: str, conflict_id: int, choice: str) -> Change:
        """Keep ``mine``, ``theirs`` or ``both`` (see conflicts.resolve); the result syncs.
        Returns the change to the layer (empty for ``mine``)."""
        doc = self.document(document_id)
        with self.db.atomic() as conn:
            return conflicts.resolve(conn, doc, conflict_id, choice)
