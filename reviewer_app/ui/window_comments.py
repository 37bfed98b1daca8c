"""The window's Comments dock, beside Annotations: built, handed what it needs, wired."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu

from reviewer_app.ui.comments.pane import CommentsDock
from reviewer_app.ui.review.layer_review import LayerReview
from reviewer_app.ui.session.editor import LayerEditor
from reviewer_app.ui.tools.page_tools import PageTools
from reviewer_app.ui.viewer.quotes import Quotes
from reviewer_app.ui.viewer.text_selection import TextSelection


def add_comments_dock(
    window: QMainWindow, editor: LayerEditor, selection: TextSelection, review: LayerReview
) -> CommentsDock:
    """The Comments dock, tabbed with the Annotations list (which quotes highlights too):
    a double-click on a highlight (or Enter on it) opens its thread there, and a thread
    chosen in it shows its page."""
    context = editor.context
    quotes = Quotes(selection.page_words, window)
    selection.words_arrived.connect(lambda page, _: quotes.words_arrived(page))
    context.document_changed.connect(lambda _: quotes.forget())
    dock = CommentsDock(context, editor, quotes, window)
    annotations = review.annotations
    annotations.quotes = quotes
    quotes.arrived.connect(annotations.quotes_arrived)
    quotes.arrived.connect(dock.tree.viewport().update)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    window.tabifyDockWidget(annotations, dock)
    context.thread_requested.connect(dock.open_thread)
    context.changes.changed.connect(dock.apply)
    editor.history_changed.connect(dock.rebuild)
    dock.thread_chosen.connect(review.jump_to_record)
    return dock


def add_comment_actions(edit_menu: QMenu, dock: CommentsDock) -> None:
    """Reply to Comment Thread (Ctrl+Alt+M) and Resolve or Reopen Thread (Ctrl+Alt+R) in
    the Edit menu, so they work wherever the keyboard is and can be found there."""
    edit_menu.addSeparator()
    edit_menu.addActions([dock.reply_action, dock.resolve_action])


def properties_follow_selection(tools: PageTools, properties: QDockWidget) -> None:
    """The Properties tab comes forward when other annotations get selected, and not when
    the selected ones change: a thread resolved in the Comments tab rewrites its root (its
    state is in the root's customData), and the Comments tab stays in front."""
    shown: set[tuple[str, str]] = set()

    def selection_changed() -> None:
        keys = {r.key for r in tools.selected}
        if keys and keys != shown and properties.toggleViewAction().isChecked():
            properties.raise_()
        shown.clear()
        shown.update(keys)

    tools.selection_changed.connect(selection_changed)
