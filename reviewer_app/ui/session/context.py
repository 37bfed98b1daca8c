"""DocumentContext: the document shown and the layer shown, shared by every part of a window."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from reviewer_app.engine import BASE, DEFAULT, Document, LayerEngine, RecordKey
from reviewer_app.ui.core.settings import ViewerSettings
from reviewer_app.ui.core.signals import emit
from reviewer_app.ui.session.changes import ChangeHub
from reviewer_app.ui.session.opening import OpenedPdf


def layer_title(name: str) -> str:
    """How a layer is named on screen: base and default by their role."""
    return {BASE: "Base (from the PDF)", DEFAULT: "Default layer"}.get(name, name)


class DocumentContext(QObject):
    """What the parts of one window are given instead of the window: the engine and the
    settings, the PDF shown (``opened``), its document in the engine once imported
    (``document``), the layer shown (``layer``), the change hub (``changes``), and the widget
    dialogs open over (``dialog_parent``).

    The window owns the state; a part asks for something through the context: ``show_layer``
    emits ``layer_requested(name)``, ``open_file`` emits ``open_requested(path)``, ``notify``
    emits ``message(text, milliseconds)`` for the status bar."""

    layer_requested = Signal(str)
    open_requested = Signal(object)
    message = Signal(str, int)

    def __init__(
        self, engine: LayerEngine, settings: ViewerSettings, dialog_parent: QWidget
    ) -> None:
        super().__init__(dialog_parent)
        self.engine, self.settings, self.dialog_parent = engine, settings, dialog_parent
        self.changes = ChangeHub(self)
        self.opened: OpenedPdf | None = None
        self.document: Document | None = None
        self.layer = DEFAULT
        self._base_keys: tuple[str, frozenset[RecordKey]] = ("", frozenset())

    @property
    def document_id(self) -> str | None:
        return self.document.id if self.document is not None else None

    def show_layer(self, name: str) -> None:
        """Ask the window to show layer ``name`` (again, if it is shown: read anew)."""
        emit(self.layer_requested, name)

    def open_file(self, path: object) -> None:
        """Ask the window to open the PDF at ``path``."""
        emit(self.open_requested, path)

    def notify(self, text: str, milliseconds: int = 0) -> None:
        """Show ``text`` in the status bar (for ``milliseconds``; 0: until the next one)."""
        emit(self.message, text, milliseconds)

    def show_error(self, title: str, text: str) -> None:
        QMessageBox.warning(self.dialog_parent, title, text)

    def base_keys(self) -> frozenset[RecordKey]:
        """The keys of the base layer's annotations (read once per document)."""
        if self.document is None:
            return frozenset()
        if self._base_keys[0] != self.document.id:
            base = self.engine.records(self.document.id, BASE, "annotation")
            self._base_keys = (self.document.id, frozenset(r.key for r in base))
        return self._base_keys[1]
