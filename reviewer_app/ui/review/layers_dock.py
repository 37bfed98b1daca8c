"""LayersDock: the dock listing the layers, with a name filter and the layer buttons."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from contextlib import contextmanager

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QGridLayout,
    QLineEdit,
    QListView,
    QMenu,
    QSizePolicy,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from reviewer_app.ui.core.signals import emit
from reviewer_app.ui.review.actions import ReviewActions
from reviewer_app.ui.session.layer_list import FILTER_ROLE, NAME_ROLE, LayerList, ListAdapter


class RowSizes(QStyledItemDelegate):
    """Each row's size measured once per text and font: the list asks every row's size at
    each layout (a sync mark changing lays out all rows), and measuring asks the model for
    eight roles a row."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sizes: dict[tuple[str, str], QSize] = {}

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        key = (str(index.data(Qt.ItemDataRole.DisplayRole)), option.font.key())
        if (size := self.sizes.get(key)) is None:
            if len(self.sizes) > 1000:  # names come and go: forget the old ones
                self.sizes.clear()
            size = self.sizes[key] = super().sizeHint(option, index)
        return size


class LayersDock(QDockWidget):
    """The layers of the document (from a :class:`LayerList`), filtered by name.

    Emits ``layer_chosen(name)`` when the user picks a layer; :meth:`select` follows the
    window's current layer without echoing it back (a guard stops the feedback loop)."""

    layer_chosen = Signal(str)

    def __init__(self, layers: LayerList, actions: ReviewActions, parent: QWidget | None = None):
        super().__init__("Layers", parent)
        self.setObjectName("review-panel")
        self.model = ListAdapter(layers, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterRole(FILTER_ROLE)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter layers by name")
        self.filter.setAccessibleName("Filter layers by name")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._filter)
        self.filter.returnPressed.connect(self._filter_entered)
        self.list = QListView()
        self.list.setAccessibleName("Layers")
        self.list.setModel(self.proxy)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setAlternatingRowColors(True)
        self.list.setSpacing(1)
        self.list.setItemDelegate(RowSizes(self.list))
        self.list.selectionModel().currentChanged.connect(self._current_changed)
        self.list.activated.connect(self._activated)
        self.current = ""
        self._following = False
        actions.find_layer.triggered.connect(self.focus_filter)
        self._build(actions)

    def _build(self, actions: ReviewActions) -> None:
        """Two rows of buttons under the list; the rarely used commands wait in More, so the
        list keeps the room (a class of thirty students)."""
        grid = QGridLayout()
        grid.setSpacing(2)
        shown = [actions.new_layer, actions.fork_layer, actions.delete_layer]
        shown += [actions.compare, actions.export_pdfs]
        for i, action in enumerate(shown):
            grid.addWidget(self._button(action), i // 3, i % 3)
        self.more = QMenu(self)
        self.more.addActions([actions.undo_delete, actions.import_json, actions.export_json])
        self.more.addActions([actions.import_xfdf, actions.export_xfdf])
        more = QToolButton()
        more.setText("More")
        more.setAccessibleName("More layer commands")
        more.setToolTip("Undo Delete Layer, Instant JSON and XFDF import and export")
        more.setMenu(self.more)
        more.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        more.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        grid.addWidget(more, 1, 2)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.filter)
        layout.addWidget(self.list, 1)
        layout.addLayout(grid)
        self._layout = layout
        self.setWidget(body)

    @staticmethod
    def _button(action: QAction) -> QToolButton:
        button = QToolButton()
        button.setDefaultAction(action)
        button.setAccessibleName(action.toolTip())
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        return button

    def add_wide_button(self, action: QAction) -> QToolButton:
        """A full-width button for ``action`` under the others (e.g. the sync conflicts)."""
        button = QToolButton()
        button.setDefaultAction(action)
        button.setAccessibleName(action.text().replace("&", ""))
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        button.setSizePolicy(button.sizePolicy().Policy.Expanding, button.sizePolicy().Policy.Fixed)
        self._layout.addWidget(button)
        return button

    def _filter(self, text: str) -> None:
        """Show the layers whose name holds ``text``; the layer shown stays shown (and
        selected again once the filter lets it through), whatever row Qt makes current."""
        with self.updating():
            self.proxy.setFilterFixedString(text)
        self.select(self.current)

    def _filter_entered(self) -> None:
        """Enter in the filter (Find Layer, Ctrl+L): the first layer it lets through is
        shown, and the list takes the keys (Up and Down go on from there; the page and
        tool keys act on the document, as after a click in the list)."""
        first = self.proxy.index(0, 0)
        if first.isValid():
            self.list.setFocus(Qt.FocusReason.ShortcutFocusReason)
            self.list.setCurrentIndex(first)  # (it may be current already: Qt made it so
            self._activated(first)  # when the filter hid the layer shown)

    def focus_filter(self) -> None:
        self.show()
        self.raise_()
        self.filter.setFocus()
        self.filter.selectAll()

    def visible_names(self) -> list[str]:
        """The layers the list shows, in order (the filter applied)."""
        return [
            str(self.proxy.data(self.proxy.index(row, 0), NAME_ROLE))
            for row in range(self.proxy.rowCount())
        ]

    def neighbour(self, step: int, skip: Collection[str] = ()) -> str | None:
        """The next (``step`` 1) or previous (-1) layer of the shown list after the current
        one, going round at the ends and passing over the layers in ``skip``."""
        names = self.visible_names()
        others = [n for n in names if n not in skip and n != self.current]
        if not others:
            return None
        if self.current not in names:
            return others[0 if step > 0 else -1]
        at = names.index(self.current)
        ring = names[at + 1 :] + names[:at]  # the rows after the current one, round the end
        if step < 0:
            ring.reverse()
        return next(n for n in ring if n in others)

    @contextmanager
    def updating(self) -> Iterator[None]:
        """While the list is brought up to date, the row Qt makes current (when the current
        one goes away) is not the user's choice: no ``layer_chosen``."""
        following, self._following = self._following, True
        try:
            yield
        finally:
            self._following = following

    def select(self, name: str) -> None:
        """Show ``name`` as the current layer (no ``layer_chosen`` is emitted)."""
        self.current = name
        row = self.model.source.index_of(name)  # (found in the list, not asked of each row)
        index = self.proxy.mapFromSource(self.model.index(row)) if row >= 0 else QModelIndex()
        self._following = True
        try:
            if not index.isValid():  # not listed, or filtered out: no row reads as shown
                self.list.selectionModel().clear()  # (Qt had made a neighbour current)
                return
            flags = QItemSelectionModel.SelectionFlag.ClearAndSelect
            self.list.selectionModel().setCurrentIndex(index, flags)
            self.list.scrollTo(index)
        finally:
            self._following = False

    def _current_changed(self, index: QModelIndex) -> None:
        if not self._following and index.isValid():
            self._activated(index)

    def _activated(self, index: QModelIndex) -> None:
        name = index.data(NAME_ROLE)
        if isinstance(name, str) and name != self.current:
            self.current = name
            emit(self.layer_chosen, name)
