"""Form fields over the pages, drawn with the shown layer's values and filled in that layer only."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent
from shiboken6 import isValid

from reviewer_app.engine import Change
from reviewer_app.instant.records import Record
from reviewer_app.pdf.form_widgets import NO_TOGGLE_TO_OFF, FormWidget
from reviewer_app.ui.forms.field_editors import ChoicePopup, FieldTextEditor, tab_direction
from reviewer_app.ui.forms.field_items import FieldItem
from reviewer_app.ui.session.context import DocumentContext
from reviewer_app.ui.session.editor import LayerEditor
from reviewer_app.ui.viewer.page_items import PageItem, remove_item
from reviewer_app.ui.viewer.page_view import PageView

ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
FIELD_KEYS = (Qt.Key.Key_Tab, Qt.Key.Key_Backtab, Qt.Key.Key_Space, Qt.Key.Key_Escape, *ENTER)
MODIFIERS = (Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_Meta)
NEAR = 1  # pages either side of the visible ones that get their fields before they show


class FormFields(QObject):
    """The PDF's fillable form widgets (read once per document by the render worker), drawn by
    Qt on the pages near the view with the values of the layer shown (``show``); the page
    tiles leave them out, so another layer's answers never show. A click on a field with the
    select tool fills it in the layer being edited (``editor.fill``).

    ``may_fill()`` says whether a click may fill a field now (the select tool is in use);
    ``before_typing()`` runs before a text field takes the keys (it drops the annotation
    selection, so the keys go to the text).

    Tab on the page goes into the form (see :meth:`enter`), and Tab and Shift+Tab go through
    every field that can be filled, in page order: a text field opens for typing, any other
    is ``focused`` (framed), and then Space ticks a check box or picks a radio button, Space
    or Enter opens a list of choices, Tab goes on and Esc leaves the form (another key
    leaves it too, and does what it does on the page)."""

    def __init__(
        self,
        context: DocumentContext,
        editor: LayerEditor,
        view: PageView,
        may_fill: Callable[[], bool],
        before_typing: Callable[[], None],
    ) -> None:
        super().__init__(context)
        self.context, self.editor, self.view = context, editor, view
        self.may_fill, self.before_typing = may_fill, before_typing
        self.widgets: dict[int, list[FormWidget]] = {}  # by page
        self.values: dict[str, Any] | None = None  # None: the PDF's own, until the import
        self.items: dict[int, list[FieldItem]] = {}
        self.editing: FieldTextEditor | None = None
        self.popup: ChoicePopup | None = None
        self.focused: FieldItem | None = None  # reached with Tab, not filled by typing
        self.last: FormWidget | None = None  # the field filled or reached last (Tab goes on)
        self._pages: Sequence[PageItem] = []
        self._reading: str | None = None  # the name of the PDF whose widgets are asked for
        self._layer = ""
        self.view.pages_near.connect(self.build)
        self.view.client.fields_ready.connect(self._read)
        self.view.viewport().installEventFilter(self)  # sees presses before the tools do
        self.view.installEventFilter(self)  # and the keys: Tab into the form, a framed field's

    # -- the document and the layer -------------------------------------------------------

    def load(self, path: Path) -> None:
        """Ask for the form widgets of the PDF just opened by the render worker (the fields
        appear once read)."""
        self.clear()
        self._reading = path.name
        self.view.client.form_widgets()

    def _read(self, widgets: list[FormWidget], error: str) -> None:
        """The worker's reply (replies about a PDF opened before are dropped by the client)."""
        name, self._reading = self._reading, None
        if name is None:
            return
        if error:
            self.context.notify(f"Form fields of {name} cannot be shown: {error}", 8000)
            return
        self._pages = self.view.pages
        for widget in widgets:
            if 0 <= widget.page < len(self._pages):
                self.widgets.setdefault(widget.page, []).append(widget)
        first, last = self.view.visible_range()
        self.build(first - NEAR, last + NEAR)

    def show(self, records: Sequence[Record]) -> None:
        """Show the form field values among ``records`` (the layer shown) in the fields."""
        if self.context.layer != self._layer:  # (a field reached with Tab stays framed:
            self.close_editors(commit=False)  # a first tick names the user's layer)
            self._layer = self.context.layer
        self.values = {
            str(r.content.get("name") or r.id): r.content.get("value")
            for r in records
            if r.kind == "formFieldValue"
        }
        for items in self.items.values():
            for item in items:
                item.set_value(self.value_of(item.widget))

    def apply(self, change: Change) -> None:
        """Follow a change of the layer shown: the fields whose values it set or removed."""
        if self.values is None:
            return
        names = {key[1] for key in change.deleted if key[0] == "formFieldValue"}
        for key in names:
            self.values.pop(key, None)
        for record in change.upserted:
            if record.kind == "formFieldValue":
                name = str(record.content.get("name") or record.id)
                self.values[name] = record.content.get("value")
                names.add(name)
        for name in names:
            for item in self.items_of(name):
                item.set_value(self.value_of(item.widget))

    def clear(self) -> None:
        """Forget the document's fields (another PDF is being opened)."""
        self.close_editors(commit=False)
        self.focus(None)
        for items in self.items.values():
            for item in items:
                remove_item(item)
        self.items.clear()
        self.widgets.clear()
        self.last = None
        self.values, self._reading, self._pages, self._layer = None, None, [], ""

    def value_of(self, widget: FormWidget) -> Any:
        """What the layer shown holds for ``widget``'s field (the PDF's value before import)."""
        if self.values is None:
            return widget.pdf_value
        return self.values.get(widget.name)

    # -- items ----------------------------------------------------------------------------

    def build(self, first: int, last: int) -> None:
        """Give the pages from ``first`` to ``last`` their field items, if not yet."""
        for page in range(max(first, 0), min(last, len(self._pages) - 1) + 1):
            if page in self.items or page not in self.widgets:
                continue
            space = self._pages[page].space
            items = [FieldItem(space, w, self.clicked) for w in self.widgets[page]]
            for item in items:
                item.set_value(self.value_of(item.widget))
            self.items[page] = items

    def field_at(self, page: int, pos: QPointF) -> FormWidget | None:
        """The fillable (not read-only) widget at ``pos`` (Instant points) of page ``page``."""
        for widget in reversed(self.widgets.get(page, ())):
            if not widget.read_only and QRectF(*widget.rect).contains(pos):
                return widget
        return None

    def items_of(self, name: str) -> list[FieldItem]:
        """The built items drawing field ``name``'s widgets."""
        return [i for items in self.items.values() for i in items if i.widget.name == name]

    # -- filling --------------------------------------------------------------------------

    def clicked(self, item: FieldItem) -> None:
        """Fill the field of ``item`` as its kind is filled: toggle, pick, or edit its text."""
        widget = item.widget
        if widget.read_only or not self.may_fill() or not self._can_fill():
            return
        self.close_editors(commit=True)
        # the display name, asked at the first change, is asked before the first field is
        # filled (asked at the change, Tab to the next field, it took the keys typed on);
        # the layer that stood for the user's own is then the one named as they said
        if self.context.document_id is not None:
            self.editor.ensure_user(self.context.document_id)
        self.last = widget
        if widget.kind == "checkbox":
            self.fill(widget.name, "Off" if item.checked else widget.on_state)
        elif widget.kind == "radio":
            if not item.checked:
                self.fill(widget.name, widget.on_state)
            elif not widget.flags & NO_TOGGLE_TO_OFF:
                self.fill(widget.name, "Off")
        elif widget.typed:
            self.before_typing()
            step = partial(self.step, widget)
            self.editing = FieldTextEditor(item, partial(self.fill_text, widget), self._ended, step)
            self.editing.start(self.view)
        elif widget.options:
            self.popup = ChoicePopup(item, partial(self.fill, widget.name), self._ended, self.view)
            self.popup.open_below()

    def step(self, widget: FormWidget, direction: int) -> None:
        """Keep what was typed in ``widget`` and go to the next (``direction`` 1) or previous
        (-1) field that can be filled, in page order, going round at the ends: a text field
        is opened for typing, another is focused."""
        order = self._order()
        self.close_editors(commit=True)
        if widget in order:
            self._go(order[(order.index(widget) + direction) % len(order)])

    def enter(self, backwards: bool) -> bool:
        """Tab on the page, no field being filled: the field after the one filled last if it
        is on the page shown (a text field left with Enter, a box ticked with a click), else
        the first field of the page shown or of one after it (Shift+Tab: the one before, or
        the last of the page or of one before), as a reader's Tab goes into the form. False
        when there is none to fill (Tab moves through the window)."""
        order = self._order()
        if not order or not self.may_fill():
            return False
        page = self.view.current_page()
        if self.last in order and self.last.page == page:
            self._go(order[(order.index(self.last) + (-1 if backwards else 1)) % len(order)])
            return True
        if backwards:
            target = [w for w in order if w.page <= page][-1:] or order[-1:]
        else:
            target = [w for w in order if w.page >= page][:1] or order[:1]
        self._go(target[0])
        return True

    def _order(self) -> list[FormWidget]:
        """The fields that can be filled, in page order (Tab's order)."""
        return [w for page in sorted(self.widgets) for w in self.widgets[page] if not w.read_only]

    def _go(self, target: FormWidget) -> None:
        self.build(target.page, target.page)
        item = next(i for i in self.items[target.page] if i.widget is target)
        self.view.ensureVisible(item.scene_rect(), 20, 20)
        if target.typed:
            self.focus(None)
            self.clicked(item)
        else:
            self.focus(item)

    def focus(self, item: FieldItem | None) -> None:
        """Frame ``item`` and take the keys for it (None: no field is focused)."""
        if self.focused is not None and isValid(self.focused):
            self.focused.set_focused(False)
        self.focused = item
        if item is not None:
            self.last = item.widget
            item.set_focused(True)
            self.view.setFocus(Qt.FocusReason.TabFocusReason)

    def _focused_key(self, event: QKeyEvent) -> bool:
        """A key while a field is focused: True if it was the field's."""
        item = self.focused
        assert item is not None
        key = event.key()
        if direction := tab_direction(event):
            self.step(item.widget, direction)
        elif key == Qt.Key.Key_Space or (key in ENTER and item.widget.options):
            self.clicked(item)  # ticked, picked, or its choices opened (it stays focused)
        else:
            self.focus(None)
            return key == Qt.Key.Key_Escape
        return True

    def fill_text(self, widget: FormWidget, text: str) -> None:
        """Write what was typed into ``widget`` (an option typed by its label: its value)."""
        value = next((export for export, label in widget.options if label == text), text)
        self.fill(widget.name, value)

    def fill(self, name: str, value: Any) -> None:
        """Write ``value`` for field ``name`` in the layer being edited (one undo step)."""
        self.editor.fill([{"name": name, "value": value}])

    def close_editors(self, commit: bool) -> None:
        """Close an open text editor (keeping or dropping its text) or choice popup."""
        editing, popup = self.editing, self.popup
        if editing is not None:
            editing.commit() if commit else editing.cancel()
        if popup is not None:
            popup.cancelled = not commit
            popup.close()
        self.editing = self.popup = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """A press outside the field being filled ends its edit, keeping what was typed or
        chosen; a press on the field whose choices are open just closes them. While a field
        is focused (Tab), the view's keys are its own first (see the class)."""
        if watched is self.view:
            if self.focused is not None:
                return self._key(event)
            return self._tab_into_form(event)
        if event.type() != QEvent.Type.MouseButtonPress or not isinstance(event, QMouseEvent):
            return False
        self.focus(None)
        editing, popup = self.editing, self.popup
        if editing is None and popup is None:
            return False
        pos = self.view.mapToScene(event.position().toPoint())
        field = editing.item if editing is not None else popup.field if popup else None
        inside = field is not None and field.sceneBoundingRect().contains(pos)
        if editing is not None and inside:
            return False
        self.close_editors(commit=True)
        return popup is not None and inside

    def _key(self, event: QEvent) -> bool:
        if not isinstance(event, QKeyEvent) or event.key() in MODIFIERS:  # (Shift of Shift+Tab)
            return False
        if self.popup is not None or self.editing is not None:  # (their keys, passed up)
            return False
        if event.type() == QEvent.Type.ShortcutOverride:  # the field's keys, not the menus'
            if event.key() in FIELD_KEYS:
                event.accept()
                return True
            self.focus(None)  # a shortcut's key (a tool's): it acts on the page
            return False
        return event.type() == QEvent.Type.KeyPress and self._focused_key(event)

    def _tab_into_form(self, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        direction = tab_direction(event)
        if direction == 0 or self.editing is not None or self.popup is not None:
            return False
        return self.enter(backwards=direction < 0)

    def _ended(self) -> None:
        self.editing = self.popup = None

    def _can_fill(self) -> bool:
        if self.editor.can_edit():
            return True
        if self.context.document is not None:
            self.context.notify(
                "The base layer holds the PDF's own values: choose your layer to fill the form",
                8000,
            )
        return False
