"""ConflictsWindow: opens the conflicts dialog over the window and keeps it filled, with the
pages' sizes and small pictures of them for the previews."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QImage

from reviewer_app.engine import EngineError
from reviewer_app.engine.conflicts import SyncConflict
from reviewer_app.pdf import PdfError, jobs
from reviewer_app.pdf.sandbox import shared_sandbox
from reviewer_app.ui.session.context import DocumentContext
from reviewer_app.ui.sync.conflict_view import PaintRecord
from reviewer_app.ui.sync.conflicts_dialog import ConflictsDialog

if TYPE_CHECKING:
    from reviewer_app.sync import SyncSession

PREVIEW_ZOOM = 0.5  # the page pictures behind the previews: 36 dpi
KEPT_PICTURES = 8


class ConflictsWindow:
    """The conflicts dialog of one window, made when first shown. ``session()`` is the
    session whose conflicts it lists; ``resolve`` and ``decide`` act on the user's choice."""

    def __init__(
        self,
        context: DocumentContext,
        session: Callable[[], SyncSession | None],
        resolve: Callable[[SyncConflict, str], None],
        decide: Callable[[str, bool], None],
        paint_record: PaintRecord | None = None,
    ) -> None:
        self.context, self.session = context, session
        self.resolve, self.decide = resolve, decide
        self.paint_record = paint_record
        self.dialog: ConflictsDialog | None = None
        self._pictures: dict[tuple[str, int], QImage | None] = {}

    def show(self) -> None:
        if self.dialog is None:
            self.dialog = ConflictsDialog(
                self.context.dialog_parent,
                self.resolve,
                self.decide,
                self.paint_record,
                self.page_size,
                self.page_image,
                self.context.names,
            )
            self.dialog.finished.connect(lambda _: self.context.give_keys_to_pages())
        self._fill()
        self.dialog.show()
        self.dialog.activateWindow()

    def refill(self) -> None:
        """Fill the dialog again if it is open (after a sync, after a choice)."""
        if self.dialog is not None and self.dialog.isVisible():
            self._fill()

    def _fill(self) -> None:
        session = self.session()
        if self.dialog is not None and session is not None:
            self.dialog.show_state(session.conflicts(), session.status.deleted_on_server)

    def _shown_document(self) -> str | None:
        session = self.session()
        doc = self.context.document_id
        return doc if session is not None and session.document_id == doc else None

    def page_size(self, page: int) -> tuple[float, float] | None:
        opened = self.context.opened
        if self._shown_document() is None or opened is None:
            return None
        return opened.sizes[page] if 0 <= page < len(opened.sizes) else None

    def page_image(self, page: int) -> QImage | None:
        """A small picture of the page (drawn once, here: a few milliseconds at 36 dpi)."""
        doc = self._shown_document()
        opened = self.context.opened
        if doc is None or opened is None:
            return None
        key = (doc, page)
        if key not in self._pictures:
            if len(self._pictures) >= KEPT_PICTURES:
                self._pictures.pop(next(iter(self._pictures)))
            self._pictures[key] = self._render(doc, page, opened.password)
        return self._pictures[key]

    def _render(self, doc: str, page: int, password: str | None) -> QImage | None:
        """The page's picture, drawn by a PDF worker process (see pdf/sandbox.py)."""
        engine = self.context.engine
        try:
            shown = shared_sandbox().run(
                jobs.page_picture,
                engine.pdf_path(doc),
                password,
                page,
                PREVIEW_ZOOM,
                sha256=engine.document(doc).sha256,
            )
        except (OSError, PdfError, EngineError):
            return None
        if shown is None:
            return None
        image = QImage(
            shown.samples, shown.width, shown.height, shown.stride, QImage.Format.Format_RGB888
        )
        return image.copy()
