"""A grading scheme edited here and on the server: the teacher keeps theirs or takes the
server's (never settled silently); the answer goes to the server on a background task."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from reviewer_app.sync.scheme_sync import CONFLICT, settle_scheme
from reviewer_app.ui.core.tasks import Task, TaskRunner
from reviewer_app.ui.session.context import DocumentContext

if TYPE_CHECKING:  # the sync's HTTP side loads only when a document syncs
    from reviewer_app.sync import SyncSession

MINE, THEIRS = "mine", "theirs"


def ask_which_scheme(context: DocumentContext) -> str | None:
    """Keep this machine's scheme or take the server's? None: decide later."""
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Grading Scheme Changed on Both Sides",
        "The grading scheme was changed here and, meanwhile, on the server (another machine "
        "or a co-teacher). Which one should everybody use?",
        QMessageBox.StandardButton.NoButton,
        context.dialog_parent,
    )
    mine = box.addButton("Keep &Mine", QMessageBox.ButtonRole.AcceptRole)
    theirs = box.addButton("Use the &Server's", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton("&Later", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    clicked = box.clickedButton()
    return MINE if clicked is mine else THEIRS if clicked is theirs else None


def settle_after_sync(
    context: DocumentContext,
    tasks: TaskRunner,
    session: SyncSession | None,
    refresh: Callable[[], object],
) -> Task | None:
    """After a sync: if the scheme is in conflict, ask, then settle it in the background and
    call ``refresh()`` when done."""
    if session is None or session.scheme.outcome != CONFLICT:
        return None
    keep = ask_which_scheme(context)
    if keep is None:
        return None
    conflict = session.scheme
    return tasks.run(
        lambda _: settle_scheme(
            session.engine, session.client, session.document_id, conflict, keep
        ),
        name="settle the grading scheme",
        returned=lambda _: refresh(),
        errored=lambda exc: context.show_error("Grading scheme not settled", str(exc)),
    )
