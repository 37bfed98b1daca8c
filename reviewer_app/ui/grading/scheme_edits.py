"""SchemeEdits: the teacher's changes to the grading scheme (the dock's edits, Set Region,
Clear Region), each undoable by Grading > Undo Scheme Change.

The scheme is the document's, not a layer's, so the layers' undo history does not hold it:
the schemes replaced during this run are kept here, per document, and undoing stores the one
before as a new edit (which syncs like any other)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from reviewer_app.engine import EngineError
from reviewer_app.engine.grading_scheme import Question, Scheme
from reviewer_app.ui.core.signals import emit
from reviewer_app.ui.grading.points_tool import PointsTool
from reviewer_app.ui.grading.state import GradingState
from reviewer_app.ui.session.context import DocumentContext

KEPT = 50  # schemes kept for undo, per document


class SchemeEdits(QObject):
    """Changes the document's scheme; ``scheme()`` is the one shown. Emits ``edited()`` after
    a change is stored (the caller shows it again) and ``refused()`` when the engine said no
    (the caller shows the stored one again); ``undo_changed(bool)`` when undo becomes
    possible or not."""

    edited = Signal()
    refused = Signal()
    undo_changed = Signal(bool)

    def __init__(
        self,
        context: DocumentContext,
        points: PointsTool,
        state: GradingState,
        scheme: Callable[[], Scheme],
    ) -> None:
        super().__init__(context)
        self.context, self.engine, self.points, self.state = context, context.engine, points, state
        self.scheme = scheme
        self._before: dict[str, list[Scheme]] = {}

    def can_undo(self) -> bool:
        doc = self.context.document_id
        return doc is not None and bool(self._before.get(doc))

    def set_scheme(self, scheme: Scheme, *, undoable: bool = True) -> bool:
        """Store ``scheme`` as the document's (the one before kept for undo)."""
        doc = self.context.document_id
        if doc is None:
            return False
        before = self.engine.grading_scheme(doc)
        try:
            self.engine.set_grading_scheme(doc, scheme)
        except EngineError as exc:
            self.context.notify(f"Scheme not changed: {exc}", 8000)
            emit(self.refused)
            return False
        if undoable and before != scheme:
            kept = self._before.setdefault(doc, [])
            kept.append(before)
            del kept[:-KEPT]
        emit(self.undo_changed, self.can_undo())
        emit(self.edited)
        return True

    def undo(self) -> bool:
        """Grading > Undo Scheme Change: the scheme before the last change, back."""
        doc = self.context.document_id
        kept = self._before.get(doc or "")
        if doc is None or not kept:
            self.context.notify("No scheme change to undo", 4000)
            return False
        if not self.set_scheme(kept[-1], undoable=False):
            return False
        kept.pop()
        emit(self.undo_changed, self.can_undo())
        self.context.notify("Scheme change undone", 4000)
        return True

    def ask_region(self, question: str) -> None:
        """Set Region: the next rectangle dragged on a page is the question's region (and
        that page its page)."""
        q = self.scheme().question(question)
        if q is None:
            return
        self.state.set_question(q.id)
        self.context.give_keys_to_pages()

        def done(page: int, box: tuple[float, float, float, float]) -> None:
            if self._replace(Question(q.id, q.name, q.max_points, page, box)):
                self.context.notify(f"{q.name}: region set on page {page + 1}", 5000)

        self.points.ask_region(q, done)

    def clear_region(self, question: str | None = None) -> bool:
        """Clear Region: the question (the chosen one if None) covers no region any more (it
        keeps its page, for Next Ungraded). Undone by Undo Scheme Change."""
        q = self.scheme().question(question or self.state.question or "")
        if q is None or q.region is None:
            self.context.notify("Choose a question with a region to clear it", 5000)
            return False
        if not self._replace(Question(q.id, q.name, q.max_points, q.page, None)):
            return False
        self.context.notify(
            f"{q.name}: region cleared (Grading > Undo Scheme Change brings it back)", 8000
        )
        return True

    def _replace(self, new: Question) -> bool:
        scheme = self.scheme()
        questions = tuple(new if x.id == new.id else x for x in scheme.questions)
        return self.set_scheme(Scheme(questions, scheme.scale))
