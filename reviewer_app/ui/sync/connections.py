"""The connection remembered for each document, so that opening it again reconnects."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings

if TYPE_CHECKING:
    from reviewer_app.sync import CredentialStore

GROUP = "sync-connections"


@dataclass(frozen=True)
class Connection:
    """Where a document syncs: the server's ``url``, the document's id there (``remote_id``,
    the same as here, as both derive it from the PDF's bytes) and the layer its token is bound
    to (``own_layer``; None when the token grants several layers or all of them). The token
    itself is in the credential store, under the URL."""

    url: str
    remote_id: str
    own_layer: str | None = None


class Connections:
    """Every document's connection, kept in the settings file (group ``sync-connections``,
    one JSON value per document id)."""

    def __init__(self, store: QSettings) -> None:
        self.store = store

    def _key(self, document_id: str) -> str:
        return f"{GROUP}/{document_id.replace('/', '_')}"

    def get(self, document_id: str) -> Connection | None:
        raw = self.store.value(self._key(document_id))
        try:
            data = json.loads(str(raw)) if raw else None
            if not isinstance(data, dict):
                return None
            return Connection(str(data["url"]), str(data["remote_id"]), data.get("own_layer"))
        except (ValueError, KeyError, TypeError):
            return None  # a hand-edited value that makes no sense: not connected

    def remember(self, document_id: str, connection: Connection) -> None:
        self.store.setValue(self._key(document_id), json.dumps(asdict(connection)))

    def forget(self, document_id: str) -> None:
        self.store.remove(self._key(document_id))

    def documents_using(self, url: str) -> list[str]:
        """The documents (by id) that connect to ``url``."""
        self.store.beginGroup(GROUP)
        try:
            keys = self.store.childKeys()
        finally:
            self.store.endGroup()
        found = [(key, self.get(key)) for key in keys]
        return [key for key, c in found if c is not None and c.url == url]

    def own_layer(self, document_id: str) -> str | None:
        """The layer ``document_id``'s connection binds it to (None: none, or not connected)."""
        connection = self.get(document_id)
        return None if connection is None else connection.own_layer


class TokenKeeping:
    """Tokens written in the background (the sync lane: a file written and synced to disk,
    or the system keyring) and deleted on the UI thread, one at a time: a token deleted
    (Disconnect) while its write waited is not written back."""

    def __init__(self, store: Callable[[], CredentialStore]) -> None:
        self.store = store
        self.lock = threading.Lock()
        self.forgets: dict[str, int] = {}  # url → how often its token was deleted

    def keeper(self, url: str, token: str) -> Callable[[], None]:
        """What keeps ``token`` for ``url`` (raising CredentialError or OSError), to call on
        another thread."""
        forgets = self.forgets.get(url, 0)

        def keep() -> None:
            with self.lock:
                if self.forgets.get(url, 0) == forgets:
                    self.store().set(url, token)

        return keep

    def delete(self, url: str) -> None:
        with self.lock:
            self.forgets[url] = self.forgets.get(url, 0) + 1
            self.store().delete(url)
