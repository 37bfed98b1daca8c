"""The review states a thread can be given, as a menu (Acrobat's "Set Status")."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QMenu, QWidget

from reviewer_app.instant.comments import STATE_NAMES
from reviewer_app.ui.core.signals import emit

REVIEW_STATES = ("accepted", "rejected", "cancelled", "completed", "resolved", "open")


class StateMenu(QMenu):
    """One entry per state; emits ``chosen(state)``."""

    chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Review status")
        for state in REVIEW_STATES:
            action = self.addAction(STATE_NAMES[state])
            action.triggered.connect(lambda _=False, s=state: emit(self.chosen, s))
