"""GradingActions: the grading menu's actions (Next Ungraded, anonymous grading, the scheme's
and the grades' files, the comment bank, Return All) with texts and keys."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from reviewer_app.ui.core.action_collection import ActionCollection


class GradingActions(ActionCollection):
    """The grading QActions; callers connect ``triggered`` (``toggled`` for ``anonymous``).

    Next Ungraded is Ctrl+Enter (both Enter keys). A text being typed (a note, a free text,
    a mark, the Properties text box, a multi-line form field) takes Ctrl+Enter first: there
    it keeps the text, as it always did."""

    def create_actions(self) -> None:
        new = self._new
        self.next_ungraded = new()
        self.anonymous = new(checkable=True)
        self.not_student = new(checkable=True)
        self.comment_bank = new()
        self.add_to_bank = new()
        self.clear_region = new()
        self.undo_scheme = new()
        self.import_scheme = new()
        self.export_scheme = new()
        self.export_csv = new()
        self.return_all = new()
        self.import_class = new()

    def set_texts(self) -> None:
        self.apply_texts(
            {
                self.next_ungraded: "&Next Ungraded",
                self.anonymous: "&Anonymous Grading",
                self.not_student: "This Layer Is No&t a Student",
                self.comment_bank: "Comment &Bank…",
                self.add_to_bank: "Add Typed Text to Ban&k",
                self.clear_region: "Clear Question Re&gion",
                self.undo_scheme: "&Undo Scheme Change",
                self.import_scheme: "&Import Grading Scheme…",
                self.export_scheme: "E&xport Grading Scheme…",
                self.export_csv: "Export Grades as &CSV…",
                self.return_all: "&Return All…",
                self.import_class: "Import a C&lass…",
            }
        )

    def set_shortcuts(self) -> None:
        self.next_ungraded.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        self.comment_bank.setShortcut(QKeySequence("B"))
        self.add_to_bank.setShortcut(QKeySequence("Ctrl+Shift+B"))
        for action in (self.next_ungraded, self.comment_bank, self.add_to_bank):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)

    def all(self) -> list[QAction]:
        return [
            *(self.next_ungraded, self.comment_bank, self.add_to_bank, self.anonymous),
            self.not_student,
            *(self.clear_region, self.undo_scheme),
            *(self.import_scheme, self.export_scheme, self.export_csv),
            *(self.return_all, self.import_class),
        ]

    def update_enabled(self, has_document: bool) -> None:
        for action in self.all():
            action.setEnabled(has_document)
