"""ChangeHub: where every change made through the UI is announced, for every view to follow."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from reviewer_app.engine import Change
from reviewer_app.ui.core.signals import emit


class ChangeHub(QObject):
    """Whoever changes the engine through the UI (the editor, the reviewer, sync) says so here.

    Emits ``changed(Change)`` after a record change and ``layers_changed()`` after a layer
    was created, deleted or restored."""

    changed = Signal(object)
    layers_changed = Signal()

    def record_change(self, change: Change | None) -> None:
        if change is not None:
            emit(self.changed, change)

    def layer_set_changed(self) -> None:
        emit(self.layers_changed)
