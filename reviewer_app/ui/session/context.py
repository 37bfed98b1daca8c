"""DocumentContext: the document shown and the layer shown, shared by every part of a window."""

from __future__ import annotations

import functools
import getpass
import os
from collections.abc import Callable, Mapping
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from reviewer_app.engine import BASE, DEFAULT, Document, EngineError, LayerEngine, RecordKey
from reviewer_app.instant.records import Record
from reviewer_app.ui.core.settings import ViewerSettings
from reviewer_app.ui.core.signals import emit
from reviewer_app.ui.session.changes import ChangeHub
from reviewer_app.ui.session.names import LayerNames, layer_title
from reviewer_app.ui.session.opening import OpenedPdf

__all__ = ["DocumentContext", "default_user_name", "layer_title"]


@functools.cache  # asked at every layer shown; without $USER, each ask reads the user database
def default_user_name() -> str:
    """The name offered before the user gives theirs: the account's full name (on Unix, the
    first field of the user database's GECOS entry: "Maya Lin"), else its login name."""
    if full := account_full_name():
        return full
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "Reviewer"


def account_full_name() -> str:
    """The account's full name, "" when it has none (or the platform keeps none we read)."""
    try:
        import pwd  # (Unix only)

        gecos = pwd.getpwuid(os.getuid()).pw_gecos
    except (ImportError, KeyError, OSError, AttributeError):
        return ""
    return gecos.split(",")[0].strip()


class DocumentContext(QObject):
    """What the parts of one window are given instead of the window: the engine and the
    settings, the PDF shown (``opened``), its document in the engine once imported
    (``document``), the layer shown (``layer``), the change hub (``changes``), and the widget
    dialogs open over (``dialog_parent``).

    The window owns the state; a part asks for something through the context: ``show_layer``
    emits ``layer_requested(name)``, ``open_file`` emits ``open_requested(path)``, ``notify``
    emits ``message(text, milliseconds)`` for the status bar, ``open_thread`` emits
    ``thread_requested(root id)`` for the comments pane. Setting ``document`` emits
    ``document_changed(document or None)``.

    How layers and authors are named on screen (anonymous grading hides students' names) is
    ``names`` (:class:`~reviewer_app.ui.session.names.LayerNames`).

    The user's own layer (``own_layer()``) is the one named after them, unless a connection
    binds the document to one layer: ``bound_layer_of(document_id)``, a hook sync sets, names
    it (None: not bound)."""

    layer_requested = Signal(str)
    open_requested = Signal(object)
    message = Signal(str, int)
    keys_to_pages = Signal()
    document_changed = Signal(object)
    thread_requested = Signal(str)

    def __init__(
        self, engine: LayerEngine, settings: ViewerSettings, dialog_parent: QWidget
    ) -> None:
        super().__init__(dialog_parent)
        self.engine, self.settings, self.dialog_parent = engine, settings, dialog_parent
        self.changes = ChangeHub(self)
        self.opened: OpenedPdf | None = None
        self._document: Document | None = None
        self.layer = DEFAULT
        self.bound_layer_of: Callable[[str], str | None] = lambda _document_id: None
        self._base: tuple[str, dict[RecordKey, Record]] = ("", {})
        self.names = LayerNames(self)

    @property
    def document(self) -> Document | None:
        return self._document

    @document.setter
    def document(self, document: Document | None) -> None:
        changed = document != self._document
        self._document = document
        if changed:
            emit(self.document_changed, document)

    @property
    def document_id(self) -> str | None:
        return self.document.id if self.document is not None else None

    def bound_layer(self) -> str | None:
        """The layer the document's connection binds it to (None: none)."""
        doc = self.document_id
        return None if doc is None else self.bound_layer_of(doc)

    def own_layer(self) -> str:
        """The layer the user edits unless they choose another: the one their connection's
        token is bound to, else the one named after them."""
        bound = self.bound_layer()
        if bound is not None:
            return bound
        return self.settings.user_name() or default_user_name()

    def window_title(self) -> str:
        """The PDF shown and, once imported, the layer shown (as ``names`` names it)."""
        if self.opened is None:
            return "Reviewer"
        layer = f" — {self.names.title(self.layer)}" if self.document is not None else ""
        return f"{self.pdf_name(self.opened.path)}{layer} — Reviewer"

    def remember_page(self, page: int) -> None:
        """The PDF shown is at ``page``: it opens there next time."""
        if self.opened is not None and page >= 0:
            self.settings.set_last_page(str(self.opened.path.resolve()), page)

    def pdf_name(self, path: Path) -> str:
        """How a PDF is named on screen: its file name, but a PDF kept in the data folder
        under its SHA-256 (one downloaded from a server) by the document's title."""
        try:
            kept = path.resolve().is_relative_to(self.engine.data_dir.resolve())
            document = self.engine.find_document(path.stem) if kept else None
        except (OSError, EngineError):
            document = None
        return (document.title or document.file_name if document else None) or path.name

    def show_layer(self, name: str) -> None:
        """Ask the window to show layer ``name`` (again, if it is shown: read anew)."""
        emit(self.layer_requested, name)

    def open_file(self, path: object) -> None:
        """Ask the window to open the PDF at ``path``."""
        emit(self.open_requested, path)

    def open_thread(self, root_id: str) -> None:
        """Ask for the comment thread of annotation ``root_id`` to be shown, to reply."""
        emit(self.thread_requested, root_id)

    def give_keys_to_pages(self) -> None:
        emit(self.keys_to_pages)

    def notify(self, text: str, milliseconds: int = 0) -> None:
        """Show ``text`` in the status bar (for ``milliseconds``; 0: until the next one), a
        hidden student's name in it by their alias (``names.shown``)."""
        emit(self.message, self.names.shown(text), milliseconds)

    def show_error(self, title: str, text: str) -> None:
        """A warning box over the window (hidden names by their aliases, as ``notify``)."""
        QMessageBox.warning(self.dialog_parent, self.names.shown(title), self.names.shown(text))

    def base_records(self) -> Mapping[RecordKey, Record]:
        """The base layer's annotations by key (read once per document; ``in`` asks whether a
        key is the base layer's)."""
        if self.document is None:
            return {}
        if self._base[0] != self.document.id:
            base = self.engine.records(self.document.id, BASE, "annotation")
            self._base = (self.document.id, {r.key: r for r in base})
        return self._base[1]

    def keep_base(self, document_id: str, base: dict[RecordKey, Record]) -> None:
        """The base layer's annotations by key, as :meth:`base_records` makes them (made by
        the import's task, off the UI thread)."""
        self._base = (document_id, base)
