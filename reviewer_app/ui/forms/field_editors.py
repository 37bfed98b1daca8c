"""Filling a field in place: a line (or a text box) over a text field, a list of options."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, Qt, QTimer
from PySide6.QtGui import QFocusEvent, QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCompleter,
    QGraphicsProxyWidget,
    QGraphicsView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
)

from reviewer_app.pdf.form_widgets import PASSWORD
from reviewer_app.ui.core.keys import keeps_ctrl_enter
from reviewer_app.ui.forms.field_items import FieldItem, as_list, content_transform, font_size

Commit = Callable[[Any], None]
_EDITOR_STYLE = "background: #ffffff; border: 1px solid #3d6fd6; padding: 0px;"


Step = Callable[[int], None]  # Tab (1) or Shift+Tab (-1): on to the next or previous field


def tab_direction(event: QKeyEvent) -> int:
    """1 for Tab, -1 for Shift+Tab, 0 for another key (Ctrl+Tab and Alt+Tab included)."""
    if event.key() not in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
        return 0
    if event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
        return 0
    shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
    return -1 if event.key() == Qt.Key.Key_Backtab or shift else 1


def _tabbed(event: QEvent, step: Step) -> bool:
    """Whether ``event`` was Tab or Shift+Tab, handed to ``step`` (before Qt moves the focus
    to the next widget of the window); Ctrl+Tab and Alt+Tab are not, as on the page."""
    if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
        return False
    if direction := tab_direction(event):
        step(direction)
        return True
    return False


class _Line(QLineEdit):
    """A one-line editor whose Esc cancels and Tab moves on (the text field's own commits on
    Enter)."""

    def __init__(self, cancel: Callable[[], None], step: Step) -> None:
        super().__init__()
        self.cancel, self.step = cancel, step

    def event(self, event: QEvent) -> bool:
        return _tabbed(event, self.step) or super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.cancel()
            return
        super().keyPressEvent(event)


class _Box(QPlainTextEdit):
    """A multi-line editor: Esc cancels, Ctrl+Enter and leaving it commit, Tab moves on."""

    def __init__(self, cancel: Callable[[], None], commit: Callable[[], None], step: Step) -> None:
        super().__init__()
        self.cancel, self.commit, self.step = cancel, commit, step

    def event(self, event: QEvent) -> bool:
        return keeps_ctrl_enter(event) or _tabbed(event, self.step) or super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if event.key() == Qt.Key.Key_Escape:
            self.cancel()
        elif enter and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.commit()
        else:
            super().keyPressEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if event.reason() != Qt.FocusReason.PopupFocusReason:
            self.commit()


class FieldTextEditor(QObject):
    """Edits ``item``'s text field in place: a QLineEdit (a QPlainTextEdit when multiline) in a
    proxy over the field. Enter (Ctrl+Enter when multiline) or leaving it calls ``commit(text)``;
    Esc drops the edit; Tab and Shift+Tab call ``step(1)`` and ``step(-1)``. ``closed()`` is
    called once, either way."""

    def __init__(
        self, item: FieldItem, commit: Commit, closed: Callable[[], None], step: Step
    ) -> None:
        super().__init__()
        self.item, self._commit, self._closed = item, commit, closed
        self.done = False
        self.gone = False  # the proxy went with its page (a closed document)
        widget = item.widget
        text = "" if item.value is None else widget.label(str(item.value))
        self.original = text
        self.editor: QLineEdit | QPlainTextEdit
        if widget.multiline:
            self.editor = _Box(self.cancel, self.commit, step)
            self.editor.setPlainText(text)
        else:
            line = _Line(self.cancel, step)
            line.setText(text)
            line.setFrame(False)
            if widget.flags & PASSWORD:
                line.setEchoMode(QLineEdit.EchoMode.Password)
            if widget.max_length > 0:
                line.setMaxLength(widget.max_length)
            if widget.options:  # an editable combo box: its options completed as one types
                completer = QCompleter([label for _, label in widget.options], line)
                completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
                # in the line itself: a popup list would take the keys from a field in a scene
                completer.setCompletionMode(QCompleter.CompletionMode.InlineCompletion)
                line.setCompleter(completer)
            line.returnPressed.connect(self.commit)
            line.editingFinished.connect(self.commit)
            self.editor = line
        transform, width, height = content_transform(item.width, item.height, widget.turn)
        font = QFont("Helvetica")
        font.setPixelSize(max(1, round(font_size(widget, height))))
        self.editor.setFont(font)
        self.editor.setStyleSheet(_EDITOR_STYLE)
        self.editor.setObjectName("form-field-editor")
        self.proxy = QGraphicsProxyWidget(item)
        self.proxy.setWidget(self.editor)
        self.proxy.setTransform(transform)
        self.proxy.setMinimumSize(width, height)
        self.proxy.setMaximumSize(width, height)
        self.proxy.resize(width, height)
        self.proxy.setZValue(1)

    def start(self, view: QGraphicsView) -> None:
        view.setFocus(Qt.FocusReason.MouseFocusReason)
        self.proxy.setFocus(Qt.FocusReason.MouseFocusReason)
        self.editor.setFocus(Qt.FocusReason.MouseFocusReason)
        if isinstance(self.editor, QLineEdit):
            self.editor.end(False)

    def text(self) -> str:
        if isinstance(self.editor, QLineEdit):
            return self.editor.text()
        return self.editor.toPlainText()

    def commit(self) -> None:
        """Close the editor and keep its text. The editor is removed only once the text is
        kept: keeping a first change asks the user's name, in a dialog whose own event loop
        would have removed the editor while its key press (Enter) was still running under
        the dialog (the app crashed)."""
        if self.done:
            return
        text = self.text()
        self._close(remove=False)
        try:
            if text != self.original:
                self._commit(text)
        finally:
            self._remove_later()

    def cancel(self) -> None:
        self._close()

    def _close(self, remove: bool = True) -> None:
        if self.done:
            return
        self.done = True
        try:
            self.proxy.hide()
        except RuntimeError:  # its page went with a closed document, and the proxy with it
            self.gone = True
        if remove:
            self._remove_later()
        self._closed()

    def _remove_later(self) -> None:
        """The editor goes once the event that closed it is over."""
        if not self.gone:
            proxy = self.proxy
            QTimer.singleShot(0, lambda: _remove(proxy))


def _remove(proxy: QGraphicsProxyWidget) -> None:
    try:
        scene = proxy.scene()
    except RuntimeError:  # its page went with a closed document
        return
    if scene is not None:
        scene.removeItem(proxy)
    proxy.deleteLater()


class ChoicePopup(QListWidget):
    """A choice field's options in a list over the view, under the field (above it near the
    bottom). One choice: a click picks it and calls ``commit(value)``. Several (a
    multi-select list): clicks toggle, and closing the list (Enter, or a click elsewhere)
    commits the chosen values; Esc drops them. ``closed()`` is called once, either way.
    The arrow keys start from the value shown (Enter picks), and once the list closes the
    keys go back to the pages."""

    def __init__(
        self, item: FieldItem, commit: Commit, closed: Callable[[], None], view: QGraphicsView
    ) -> None:
        super().__init__(view.viewport())  # over the pages, not a window of its own
        self.view = view
        self.field, self._commit, self._closed = item, commit, closed
        self.several = item.widget.multi_select
        self.cancelled = False
        self._hidden = False
        self.setObjectName("form-field-choices")
        mode = QAbstractItemView.SelectionMode
        self.setSelectionMode(mode.MultiSelection if self.several else mode.SingleSelection)
        chosen = as_list(item.value)
        for export, label in item.widget.options:
            entry = QListWidgetItem(label, self)
            entry.setData(Qt.ItemDataRole.UserRole, export)
            entry.setSelected(export in chosen)
            if export in chosen and self.currentItem() is None:  # the arrows start from it
                self.setCurrentItem(entry, QItemSelectionModel.SelectionFlag.NoUpdate)
        if not self.several:
            self.itemClicked.connect(self._picked)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def open_below(self) -> None:
        """Show the list under the field as the view shows it now."""
        shown = self.view.mapFromScene(self.field.scene_rect()).boundingRect()
        font = self.font()  # the field's text size as the view shows it
        zoom = shown.height() / max(self.field.scene_rect().height(), 1.0)
        font.setPixelSize(max(12, round(font_size(self.field.widget, 20.0) * zoom)))
        self.setFont(font)
        rows = min(self.count(), 12)
        height = self.sizeHintForRow(0) * rows + 2 * self.frameWidth() if rows else 24
        width = max(shown.width(), self.sizeHintForColumn(0) + 24)
        top = shown.bottom() + 1
        if top + height > self.view.viewport().height() and shown.top() - height - 1 >= 0:
            top = shown.top() - height - 1
        self.setGeometry(shown.left(), top, width, height)
        self.show()
        self.raise_()
        self.setFocus(Qt.FocusReason.MouseFocusReason)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.close()

    def values(self) -> list[str]:
        return [
            str(self.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.count())
            if self.item(i).isSelected()
        ]

    def _picked(self, entry: QListWidgetItem) -> None:
        value = str(entry.data(Qt.ItemDataRole.UserRole))
        self.close()
        if value != self.field.value:
            self._commit(value)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Escape:
            self.cancelled = True
            self.close()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            current = self.currentItem()
            if self.several or current is None:
                self.close()
            else:
                self._picked(current)
        else:
            super().keyPressEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Hide and not self._hidden:
            self._hidden = True
            if self.hasFocus():  # the keys go back to the pages, not to the next widget
                self.view.setFocus(Qt.FocusReason.OtherFocusReason)
            if self.several and not self.cancelled and self.values() != as_list(self.field.value):
                self._commit(self.values())
            self._closed()
        return super().event(event)
