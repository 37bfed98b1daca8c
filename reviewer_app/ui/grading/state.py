"""GradingState: what the grading parts of a window share (the question being graded, whether
names are hidden), with a signal when it changes."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from reviewer_app.ui.core.signals import emit


class GradingState(QObject):
    """The current question (``question``, an id or None) and anonymous grading
    (``anonymous``). Emits ``question_changed(id)`` and ``anonymous_changed(bool)``."""

    question_changed = Signal(str)
    anonymous_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.question: str | None = None
        self.anonymous = False

    def set_question(self, question: str | None) -> None:
        if question != self.question:
            self.question = question
            emit(self.question_changed, question or "")

    def set_anonymous(self, anonymous: bool) -> None:
        if anonymous != self.anonymous:
            self.anonymous = anonymous
            emit(self.anonymous_changed, anonymous)
