"""A remote document kept as a local replica: open it once, then sync its layers both ways."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from reviewer_app.engine import (
    DEFAULT,
    BadRequest,
    Change,
    Conflict,
    Document,
    LayerEngine,
    NotFound,
    SyncLayer,
    path_problem,
)
from reviewer_app.engine.conflicts import SyncConflict
from reviewer_app.importing import import_pdf_bytes
from reviewer_app.sync.client import SyncClient, layer_path
from reviewer_app.sync.errors import OfflineError, SyncError
from reviewer_app.sync.fallback import PlainLayerSync
from reviewer_app.sync.layer_sync import BATCH_SIZE, LayerSync
from reviewer_app.sync.messages import explain
from reviewer_app.sync.roles_sync import RolesSync, sync_roles
from reviewer_app.sync.scheme_sync import CONFLICT, SAME, SchemeSync, sync_scheme
from reviewer_app.sync.status import Progress, StatusBoard, SyncReport, SyncStatus, no_progress
from reviewer_app.sync.tokens import read_token, token_layers

LAYER_STEPS = 100
"""Each layer's share of a whole document's sync progress (its own steps scaled into it)."""


def open_remote_document(engine: LayerEngine, client: SyncClient, document_id: str) -> Document:
    """The document in the local engine: downloaded once (then only records travel), stored by
    SHA-256, its base layer extracted here; its id must match the server's."""
    try:
        return engine.document(document_id)
    except NotFound:
        pass
    data = client.download(f"/api/documents/{document_id}/pdf?source=true")  # as uploaded
    try:  # under the server's id, which its uploader may have chosen
        found, _ = import_pdf_bytes(
            engine, data, shown_as=f"{document_id}.pdf", document_id=document_id
        )
    except (Conflict, BadRequest) as exc:
        raise SyncError(
            f"the server's document {document_id} cannot be stored here: {exc}"
        ) from exc
    return found


class SyncSession:
    """Keeps one document of ``engine`` in sync with a server through ``client``.

    Plain Python for a UI worker to run: ``sync_all()`` (one at a time; a second caller waits),
    ``status`` (a :class:`SyncStatus`, also passed to ``on_status`` on every change), a
    ``progress(done, total, message)`` callback, ``conflicts()`` and ``resolve()``. Layers the
    server deleted are kept here and listed in the status until ``accept_server_deletion`` or
    ``send_layer_again`` says what to do with them.
    """

    def __init__(
        self,
        engine: LayerEngine,
        client: SyncClient,
        document_id: str,
        *,
        progress: Progress = no_progress,
        on_status: Callable[[SyncStatus], None] | None = None,
        batch_size: int = BATCH_SIZE,
    ) -> None:
        self.engine, self.client, self.document_id = engine, client, document_id
        self.progress = progress
        self.batch_size = batch_size
        self.board = StatusBoard(on_status)
        self.scope = token_layers(client.token)
        self.writable = read_token(client.token).write
        self.extension: bool | None = None
        self.scheme = SchemeSync(SAME)  # what the last sync did to the grading scheme
        self.roles = RolesSync()  # and to who is a student
        self._lock = threading.Lock()
        self._stopped = threading.Event()

    @classmethod
    def open(
        cls, engine: LayerEngine, client: SyncClient, document_id: str, **kw: Any
    ) -> SyncSession:
        open_remote_document(engine, client, document_id)
        return cls(engine, client, document_id, **kw)

    def stop(self) -> None:
        """Send nothing more (File > Disconnect, another document shown): a sync under way
        ends before its next push or layer, and what was not sent stays in the outbox."""
        self._stopped.set()

    @property
    def status(self) -> SyncStatus:
        return self.board.current

    def allowed(self, name: str) -> bool:
        return self.scope is None or name in self.scope

    def can_send(self, name: str) -> bool:
        """Whether the token lets changes of layer ``name`` go to the server (and whether a
        URL path can name it there)."""
        return self.writable and self.allowed(name) and path_problem(name) is None

    def counts(self) -> dict[str, Any]:
        """The status's counts read from the engine now: changes waiting, conflicts, layers
        deleted on the server, and each layer's state (a layer the token cannot send is
        "local" when it holds anything: an untouched default layer is just the PDF's)."""
        doc = self.document_id
        states = {s.name: s for s in self.engine.sync_states(doc)}
        conflicts = self.conflicts()
        conflicted = {c.layer for c in conflicts}
        pending, layers = 0, []
        for info in self.engine.layers(doc):
            name, state = info.name, states.get(info.name)
            if not self.can_send(name):
                if info.own_records or name != DEFAULT:
                    layers.append((name, "local"))
                continue
            waiting = self.engine.sync_outbox_size(doc, name)
            pending += waiting
            mark = "conflict" if name in conflicted else "pending" if waiting else "synced"
            layers.append((name, "deleted" if state and state.deleted_on_server else mark))
        deleted = tuple(n for n, s in states.items() if s.deleted_on_server)
        return {
            "pending": pending,
            "conflicts": len(conflicts),
            "deleted_on_server": deleted,
            "layers": tuple(layers),
        }

    def recount(self) -> SyncStatus:
        """Read the counts again (after a local change) without syncing; a sync that ends
        meanwhile has the last word."""
        version = self.board.version
        return self.board.update(unless_since=version, **self.counts())

    def pending(self) -> int:
        """Local changes waiting to be sent, over every synced layer."""
        names = {s.name for s in self.engine.sync_states(self.document_id)}
        names |= set(self.engine.layer_names(self.document_id))
        return sum(
            self.engine.sync_outbox_size(self.document_id, n) for n in names if self.allowed(n)
        )

    def conflicts(self, layer: str | None = None) -> list[SyncConflict]:
        return self.engine.sync_conflicts(self.document_id, layer)

    def resolve(self, conflict: SyncConflict | int, choice: str) -> Change:
        """Keep ``"mine"``, ``"theirs"`` or ``"both"``; the next sync sends the result."""
        cid = conflict if isinstance(conflict, int) else conflict.id
        change = self.engine.resolve_conflict(self.document_id, cid, choice)
        self.recount()
        return change

    def _layer_sync(self, name: str, progress: Progress | None = None) -> LayerSync:
        kind = LayerSync if self.extension is not False else PlainLayerSync
        progress = progress or self.progress
        sync = kind(self.engine, self.client, self.document_id, name, progress, self.batch_size)
        sync.writable, sync.stopped = self.writable, self._stopped.is_set
        return sync

    def _detect_extension(self, name: str) -> None:
        if self.extension is not None:
            return
        try:
            self.client.get_json(
                f"{layer_path(self.document_id, name)}/changes", params={"since": 0}
            )
            self.extension = True
        except SyncError as exc:
            if exc.status != 404:
                raise
            self.extension = False

    def sync_layer(self, name: str) -> SyncReport:
        """Sync one layer now (see :meth:`sync_all`)."""
        return self._guarded(lambda: self._sync_layer(name))

    def sync_all(self) -> SyncReport:
        """Sync every layer the token grants: layers made here are created on the server, layers
        deleted here are deleted there (unless changed there since: then they come back), layers
        deleted there are kept here and reported. Raises OfflineError, AuthError or SyncError
        after setting the status; whatever was done so far is kept."""
        return self._guarded(self._sync_all)

    def _guarded(self, job: Callable[[], SyncReport]) -> SyncReport:
        with self._lock:
            self.board.update(state="syncing", error=None)
            try:
                report = job()
            except Exception as exc:
                offline = isinstance(exc, OfflineError)
                error = explain(exc, self.client.url)
                self.board.update(state="offline" if offline else "error", error=error)
                self.board.update(**self.counts())
                raise
            self.board.finished(**self.counts())
            return report

    def _sync_layer(self, name: str) -> SyncReport:
        if not self.allowed(name):
            raise SyncError(f"the token does not grant layer {name!r}")
        if path_problem(name) is not None:
            raise SyncError(f"layer {name!r} cannot be synced: {path_problem(name)}")
        self._detect_extension(name)
        return self._layer_sync(name).run()

    def _sync_all(self) -> SyncReport:
        report = SyncReport()
        listed = self.client.get_json(f"/api/documents/{self.document_id}/layers")["data"]
        on_server = {str(n) for n in listed if self.allowed(str(n))}
        local = {
            i.name: i.uid for i in self.engine.layers(self.document_id) if self.allowed(i.name)
        }
        states = {
            s.name: s for s in self.engine.sync_states(self.document_id) if self.allowed(s.name)
        }
        names = sorted(on_server | local.keys() | states.keys())
        for name in [n for n in names if path_problem(n) is not None]:
            names.remove(name)  # every layer route would miss it, or reach another layer
            report.notices.append(f"layer {name!r} cannot be synced: {path_problem(name)}")
        whole = len(names) * LAYER_STEPS
        for index, name in enumerate(names):
            if self._stopped.is_set():
                return report
            self.progress(index * LAYER_STEPS, whole, f"layer {name!r}")
            self._detect_extension(name)
            if self._settle_layer(name, states.get(name), local.get(name), on_server, report):
                within = self._within_layer(index * LAYER_STEPS, whole, name)
                report.add(self._layer_sync(name, within).run())
        self._sync_scheme(report)
        self.progress(whole, whole, "synced")
        return report

    def _within_layer(self, start: int, whole: int, name: str) -> Progress:
        """The steps within one layer of a whole document's sync, on the document's scale
        (a layer its LAYER_STEPS of it): one bar that only moves forward, not the layer's own
        counts (a pull, the pushes, a pull again) and the document's in turn."""
        reached = start

        def step(done: int, of: int, said: str) -> None:
            nonlocal reached
            share = LAYER_STEPS * min(done, of) // of if of > 0 else 0
            reached = max(reached, start + share)
            self.progress(reached, whole, f"layer {name!r}: {said}")

        return step

    def _sync_scheme(self, report: SyncReport) -> None:
        """The document's grading scheme (pushed only with a token for every layer)."""
        if self.extension is False:
            return
        self.scheme = sync_scheme(
            self.engine, self.client, self.document_id, may_push=self.scope is None
        )
        if self.scheme.outcome == CONFLICT:
            report.notices.append(
                "The grading scheme was changed here and on the server: choose which to keep"
            )
        if self.scope is None:  # who is a student names every layer: whole-document tokens
            self.roles = sync_roles(self.engine, self.client, self.document_id)

    def _settle_layer(
        self,
        name: str,
        state: SyncLayer | None,
        local_uid: str | None,
        on_server: set[str],
        report: SyncReport,
    ) -> bool:
        """Create or delete the layer where needed; whether its records should sync now."""
        if state is not None and state.deleted_on_server:
            return False
        paired = state is not None and state.server_uid is not None
        if state is not None and state.local_uid is not None and local_uid != state.local_uid:
            self._deleted_here(name, state, on_server, report)
            if name in on_server and not self._deleted_state(name):
                return True  # changed on the server since: it comes back
            if local_uid is None:
                return False
            paired = False
        elif paired and name not in on_server:
            self.engine.mark_deleted_on_server(self.document_id, name)
            report.notices.append(f"layer {name!r} was deleted on the server; it is kept here")
            return False
        if not paired and name not in on_server and local_uid is not None and self.writable:
            try:
                self.client.send_json(
                    "POST", f"/api/documents/{self.document_id}/layers", {"name": name}
                )
            except SyncError as exc:
                if exc.status != 409:
                    raise
            on_server.add(name)
            report.layers_created.append(name)
        return True

    def _deleted_state(self, name: str) -> bool:
        return not any(s.name == name for s in self.engine.sync_states(self.document_id))

    def _deleted_here(
        self, name: str, state: SyncLayer, listed: set[str], report: SyncReport
    ) -> None:
        """The layer was deleted (or replaced) here: delete it on the server too, unless the
        server changed it since the last sync (then pull it back: an edit beats a deletion)."""
        changed, on_server = False, name in listed
        if on_server and state.server_uid is not None and self.extension:
            feed = self._layer_sync(name).feed(state.pulled_revision)
            changed = (
                feed.get("uid") != state.server_uid or feed.get("revision") != state.pulled_revision
            )
        if changed:
            self.engine.restart_sync(self.document_id, name)
        else:
            self.engine.forget_sync(self.document_id, name)
        if changed:
            report.notices.append(
                f"layer {name!r} was deleted here but changed on the server: kept"
            )
            return
        if on_server and self.writable:
            try:
                self.client.request("DELETE", layer_path(self.document_id, name))
            except SyncError as exc:
                if exc.status != 404:
                    raise
            listed.discard(name)
        report.layers_deleted.append(name)

    def accept_server_deletion(self, name: str) -> None:
        """The user agrees the layer is gone: delete it here too."""
        self.engine.accept_server_deletion(self.document_id, name)

    def send_layer_again(self, name: str) -> None:
        """The user keeps the layer the server deleted: the next sync recreates it there with
        everything it holds here (merged with whatever the server has under that name now)."""
        self.engine.restart_sync(self.document_id, name)
