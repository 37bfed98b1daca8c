"""Syncing one layer through our sync extension: pull the changes feed, push the outbox."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from reviewer_app import giving_way
from reviewer_app.engine import (
    LayerEngine,
    OutgoingChange,
    PushOutcome,
    RecordKey,
    ServerVersion,
    SyncLayer,
)
from reviewer_app.instant.ids import new_ulid
from reviewer_app.instant.records import KINDS, Kind, Record
from reviewer_app.sync.client import SyncClient, layer_path
from reviewer_app.sync.errors import SyncError
from reviewer_app.sync.pictures import Pictures
from reviewer_app.sync.status import Progress, SyncReport

BATCH_SIZE = 500
"""Changes per push (the server takes up to 1000)."""

MAX_ROUNDS = 10_000
"""A bound on push batches in one sync (each round empties or settles a batch)."""


_STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")


def server_time(value: object) -> str | None:
    """The server layer's time of its last change (``updatedAt``), if it is one as the
    engine writes them (ISO 8601 UTC with milliseconds: they compare as text); else None
    (an older server, or anything else: the layer is then dated when it was pulled)."""
    return value if isinstance(value, str) and _STAMP.fullmatch(value) else None


def server_record(data: dict[str, Any]) -> Record:
    """A record as the sync extension sends it."""
    kind = data.get("kind")
    if kind not in KINDS:
        raise SyncError(f"the server sent a record of unknown kind {kind!r}")
    return Record(
        kind,
        str(data["id"]),
        dict(data.get("content") or {}),
        data.get("createdBy"),
        data.get("updatedBy"),
        data.get("group"),
    )


class LayerSync:
    """Syncs one layer of one document with the server's layer of the same name."""

    def __init__(
        self,
        engine: LayerEngine,
        client: SyncClient,
        document_id: str,
        name: str,
        progress: Progress,
        batch_size: int = BATCH_SIZE,
    ) -> None:
        self.engine, self.client = engine, client
        self.document_id, self.name = document_id, name
        self.progress = progress
        self.batch_size = batch_size
        self.path = layer_path(document_id, name)
        self.report = SyncReport()
        self.pictures = Pictures(engine, client, self.path, self.report)
        self.writable = True  # False: the token may only read, nothing is pushed
        self.stopped: Callable[[], bool] = lambda: False  # True: push nothing more

    def state(self) -> SyncLayer:
        return self.engine.sync_state(self.document_id, self.name)

    def feed(self, since: int) -> dict[str, Any]:
        data = self.client.get_json(f"{self.path}/changes", params={"since": since})
        if not isinstance(data, dict) or not isinstance(data.get("data"), dict):
            raise SyncError("the changes feed's answer has no 'data' object")
        feed: dict[str, Any] = data["data"]
        return feed

    def run(self) -> SyncReport:
        """Send a push left unanswered, pull, push the outbox, pull what the push wrote."""
        state = self.state()
        if state.deleted_on_server:
            return self.report
        if state.pending_key is not None and state.pending_changes is not None:
            self._send(state.pending_key, list(state.pending_changes))
        if not self.pull():
            return self.report
        if self.push():
            self.pull()
        self.pictures.fetch_missing(self.document_id, self.name)
        return self.report

    def pull(self) -> bool:
        """Take the server's changes since the last pull; False if the server's layer is gone."""
        state = self.state()
        feed = self.feed(state.pulled_revision)
        uid = feed.get("uid")
        if state.server_uid is not None and uid != state.server_uid:
            self.engine.mark_deleted_on_server(self.document_id, self.name)
            self.report.notices.append(
                f"layer {self.name!r} was deleted on the server; it is kept here until you "
                "delete it or send it again"
            )
            return False
        if uid is None:
            return True  # not on the server yet: the first push creates it
        versions = [
            ServerVersion(record.key, record, int(r["revision"]))
            for r in feed.get("upserted", [])
            for record in (server_record(r),)
        ]
        versions += [
            ServerVersion(_key(d), None, int(d["revision"])) for d in feed.get("deleted", [])
        ]
        self.progress(0, len(versions), f"receiving {len(versions)} changes of {self.name!r}")
        self.pictures.fetch(v.record.content for v in versions if v.record is not None)
        giving_way.give_way()  # (each step of a sync: a window's turn goes first)
        merged = self.engine.merge_from_server(
            self.document_id,
            self.name,
            versions,
            pulled_revision=int(feed.get("revision", 0)),
            server_uid=str(uid),
            changed_at=server_time(feed.get("updatedAt")),
        )
        self.progress(len(versions), len(versions), f"received changes of {self.name!r}")
        self.report.pulled += len(versions)
        self.report.conflicts += merged.conflicts
        self.report.notices += merged.notices
        return True

    def push(self) -> bool:
        """Send the outbox in batches; True if anything was sent."""
        if not self.writable:
            return False
        total = self.engine.sync_outbox_size(self.document_id, self.name)
        done = 0
        for _ in range(MAX_ROUNDS):
            batch = self.engine.sync_outbox(self.document_id, self.name, self.batch_size)
            if not batch or self.stopped():  # (asked after the batch: none of it is sent)
                break
            key = f"{self.name[:40]}-{new_ulid()}"
            giving_way.give_way()
            self.engine.start_push(self.document_id, self.name, key, batch)  # a retry reuses it
            giving_way.give_way()
            self._send(key, batch)
            done += len(batch)
            self.progress(min(done, total), max(total, done), f"sent {done} changes")
        return done > 0

    def _send(self, key: str, batch: list[OutgoingChange]) -> None:
        self.pictures.send(c.content for c in batch)
        changes = [
            {"kind": c.kind, "id": c.id, "base_revision": c.base_revision, "content": c.content}
            for c in batch
        ]
        answer = self.client.send_json(
            "POST", f"{self.path}/push", {"idempotency_key": key, "changes": changes}
        )
        data = answer.get("data") if isinstance(answer, dict) else None
        if not isinstance(data, dict):
            raise SyncError("the push's answer has no 'data' object")
        self._settle(batch, data)

    def _settle(self, batch: list[OutgoingChange], data: dict[str, Any]) -> None:
        """Record the server's answer to a push, in one transaction with clearing it."""
        applied = {_key(a): int(a["revision"]) for a in data.get("applied", [])}
        rejected = {_key(r): str(r.get("reason")) for r in data.get("rejected", [])}
        conflicts = [
            ServerVersion(
                _key(c),
                None if c.get("server") is None else server_record(c["server"]),
                int(c["server_revision"]),
            )
            for c in data.get("conflicts", [])
        ]
        self.pictures.fetch(v.record.content for v in conflicts if v.record is not None)
        uid = data.get("uid")
        outcome = PushOutcome(
            tuple(batch),
            applied,
            frozenset(rejected),
            tuple(conflicts),
            None if uid is None else str(uid),
        )
        giving_way.give_way()
        merged = self.engine.settle_push(self.document_id, self.name, outcome)
        for change in batch:
            if change.key not in applied and change.key in rejected:
                self.report.rejected.append(f"{change.kind} {change.id}: {rejected[change.key]}")
        self.report.pushed += len(applied)
        self.report.replayed += 1 if data.get("replayed") else 0
        self.report.conflicts += merged.conflicts
        self.report.notices += merged.notices


def _key(item: dict[str, Any]) -> RecordKey:
    kind = item.get("kind")
    if kind not in KINDS:
        raise SyncError(f"the server named a record of unknown kind {kind!r}")
    typed: Kind = kind
    return (typed, str(item["id"]))
