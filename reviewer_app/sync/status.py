"""What sync tells the user: the status (synced, syncing, offline, error), progress and a report."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Literal

State = Literal["new", "synced", "syncing", "offline", "error"]
"""``new``: no sync has ended yet since the session opened."""

LayerState = Literal["synced", "pending", "local", "conflict", "deleted"]
"""One layer here: all on the server, changes waiting, kept here only (the token cannot send
it), a conflict waiting for the user, deleted on the server (kept here until the user decides)."""

Progress = Callable[[int, int, str], None]
"""Called with (done, total, message) while a sync runs (e.g. to drive a progress bar)."""


def no_progress(done: int, total: int, message: str) -> None:
    """The progress callback that ignores progress."""


@dataclass(frozen=True)
class SyncStatus:
    """A snapshot of sync for one document: the state, the local changes waiting to be sent,
    the open conflicts, when the last sync finished cleanly, the last error (a sentence for a
    person), the layers the server deleted that are still kept here until the user decides,
    and each layer's own state (``layers``: (name, :data:`LayerState`) pairs)."""

    state: State = "synced"
    pending: int = 0
    conflicts: int = 0
    last_synced: datetime | None = None
    error: str | None = None
    deleted_on_server: tuple[str, ...] = ()
    layers: tuple[tuple[str, LayerState], ...] = ()

    @property
    def under_way(self) -> bool:
        """A sync is starting or running (the status a sync ends with says neither)."""
        return self.state in ("new", "syncing")

    @property
    def local_only(self) -> tuple[str, ...]:
        """The layers whose changes stay here: the token cannot send them."""
        return tuple(name for name, state in self.layers if state == "local")

    def layer_state(self, name: str) -> LayerState | None:
        """``name``'s state (None: a layer that does not exist here)."""
        return dict(self.layers).get(name)


@dataclass
class SyncReport:
    """What one sync did: records pulled and pushed, pictures (attachments) sent and received,
    conflicts found, batches replayed by the server (a retried push it had already applied),
    notices for the user, rejected changes."""

    pulled: int = 0
    pushed: int = 0
    conflicts: int = 0
    replayed: int = 0
    pictures_sent: int = 0
    pictures_received: int = 0
    layers_created: list[str] = field(default_factory=list)
    layers_deleted: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)

    def add(self, other: SyncReport) -> None:
        self.pulled += other.pulled
        self.pushed += other.pushed
        self.conflicts += other.conflicts
        self.replayed += other.replayed
        self.pictures_sent += other.pictures_sent
        self.pictures_received += other.pictures_received
        self.layers_created += other.layers_created
        self.layers_deleted += other.layers_deleted
        self.notices += other.notices
        self.rejected += other.rejected


class StatusBoard:
    """The current :class:`SyncStatus`, updated by the sync thread and read by anyone; calls
    ``on_change`` (from the sync thread) with each new status."""

    def __init__(self, on_change: Callable[[SyncStatus], None] | None = None) -> None:
        self._lock = threading.Lock()
        self._status = SyncStatus(state="new")
        self._on_change = on_change
        self.version = 0  # grows with every update

    @property
    def current(self) -> SyncStatus:
        with self._lock:
            return self._status

    def update(self, *, unless_since: int | None = None, **fields: object) -> SyncStatus:
        """Change ``fields``; with ``unless_since``, only if no update came after that
        version (counts read meanwhile by another thread would otherwise be overwritten)."""
        with self._lock:
            if unless_since is not None and unless_since != self.version:
                return self._status
            self._status = replace(self._status, **fields)  # type: ignore[arg-type]
            self.version += 1
            status = self._status
        if self._on_change is not None:
            self._on_change(status)
        return status

    def finished(self, **counts: Any) -> SyncStatus:
        """A sync ended without error; ``counts`` are the status's counts read anew."""
        return self.update(state="synced", last_synced=datetime.now(UTC), error=None, **counts)
