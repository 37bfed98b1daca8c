"""ActionCollection: a window's QActions made, named and given keys in separate small steps."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence


class ActionCollection(QObject):
    """Subclasses make their actions in ``create_actions`` (with :meth:`_new`), name them in
    ``set_texts`` (with :meth:`apply_texts`), give keys in ``set_shortcuts`` and, if they
    like, icons in ``set_icons``."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.create_actions()
        self.set_texts()
        self.set_shortcuts()
        self.set_icons()

    def create_actions(self) -> None:
        raise NotImplementedError

    def set_texts(self) -> None:
        raise NotImplementedError

    def set_shortcuts(self) -> None:
        raise NotImplementedError

    def set_icons(self) -> None:
        """Give actions icons (optional)."""

    def _new(self, checkable: bool = False) -> QAction:
        action = QAction(self.parent())
        action.setCheckable(checkable)
        return action

    @staticmethod
    def apply_texts(texts: Mapping[QAction, str]) -> None:
        """Each action's menu text; its tooltip is the same without accelerator and ellipsis."""
        for action, text in texts.items():
            action.setText(text)
            action.setToolTip(text.replace("&", "").rstrip("…"))

    @staticmethod
    def apply_sequences(sequences: Mapping[QAction, str]) -> None:
        for action, sequence in sequences.items():
            action.setShortcut(QKeySequence(sequence))
