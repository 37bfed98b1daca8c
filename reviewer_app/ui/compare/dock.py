"""The comparison dock: choose A and B, a colour legend, the differences by page, merge buttons."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QFormLayout,
    QGridLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reviewer_app.engine import BASE
from reviewer_app.ui.compare.comparison import (
    CHANGED,
    COLOURS,
    ONLY_A,
    ONLY_B,
    Comparison,
    Difference,
)
from reviewer_app.ui.core import turns
from reviewer_app.ui.core.signals import emit
from reviewer_app.ui.session.context import layer_title
from reviewer_app.ui.session.describing import groups_of

DIFFERENCE_ROLE = Qt.ItemDataRole.UserRole + 30
MARKS = {ONLY_A: "A only", ONLY_B: "B only", CHANGED: "changed"}
ENTRIES_PER_TURN = 200  # differences listed per event-loop turn at most
ENTRIES_STEP = 20  # differences listed between looks at the clock


class CompareDock(QDockWidget):
    """Shows one :class:`Comparison`.

    Emits ``compare_requested(a, b)``, ``difference_chosen(Difference)``,
    ``merge_requested(differences, target)`` (``differences`` empty: all of them),
    ``undo_requested()`` and ``close_requested()``."""

    compare_requested = Signal(str, str)
    difference_chosen = Signal(object)
    merge_requested = Signal(list, str)
    undo_requested = Signal()
    close_requested = Signal()
    filled = Signal()  # every difference of the comparison is listed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Compare Layers", parent)
        self.setObjectName("compare")
        self.comparison: Comparison | None = None
        self.title: Callable[[str], str] = layer_title  # how a layer is named (LayerNames)
        self.author: Callable[[str], str] = str  # how an author is named (LayerNames)
        self.a_box, self.b_box = QComboBox(), QComboBox()
        self.a_box.setAccessibleName("Layer A")
        self.b_box.setAccessibleName("Layer B")
        self.compare_button = QPushButton("Co&mpare")
        self.legend = QLabel()
        self.legend.setAccessibleName("Colour legend")
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setAccessibleName("Differences by page")
        self.buttons = {
            "to_a": QPushButton("Copy to &A"),
            "to_b": QPushButton("Copy to &B"),
            "all_to_a": QPushButton("All to A"),
            "all_to_b": QPushButton("All to B"),
            "undo": QPushButton("&Undo Merge"),
            "close": QPushButton("Close"),
        }
        self._pending: list[tuple[QTreeWidgetItem, list[Difference]]] = []
        self._connect()
        self._build()

    def _connect(self) -> None:
        b = self.buttons
        self.compare_button.clicked.connect(
            lambda: emit(self.compare_requested, self.a_box.currentData(), self.b_box.currentData())
        )
        b["to_a"].clicked.connect(lambda: self._merge_selected("a"))
        b["to_b"].clicked.connect(lambda: self._merge_selected("b"))
        b["all_to_a"].clicked.connect(lambda: emit(self.merge_requested, [], "a"))
        b["all_to_b"].clicked.connect(lambda: emit(self.merge_requested, [], "b"))
        b["undo"].clicked.connect(lambda: emit(self.undo_requested))
        b["close"].clicked.connect(lambda: emit(self.close_requested))
        self.tree.itemActivated.connect(self._chosen)
        self.tree.itemClicked.connect(self._chosen)
        for box in (self.a_box, self.b_box):  # Enter on a layer's box: Compare, as in a form
            box.installEventFilter(self)
        names = {
            "to_a": "Copy the selected difference into layer A",
            "to_b": "Copy the selected difference into layer B",
            "all_to_a": "Copy everything B adds or changes into layer A",
            "all_to_b": "Copy everything A adds or changes into layer B",
            "undo": "Undo the last merge",
            "close": "Close the comparison",
        }
        for key, name in names.items():
            b[key].setAccessibleName(name)
            b[key].setToolTip(name)

    def _build(self) -> None:
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        form = QFormLayout()
        form.addRow("Layer &A:", self.a_box)
        form.addRow("Layer &B:", self.b_box)
        layout.addLayout(form)
        layout.addWidget(self.compare_button)
        layout.addWidget(self.legend)
        layout.addWidget(self.tree, 1)
        grid = QGridLayout()
        for i, key in enumerate(("to_a", "to_b", "all_to_a", "all_to_b", "undo", "close")):
            grid.addWidget(self.buttons[key], i // 2, i % 2)
        layout.addLayout(grid)
        self.setWidget(body)
        self.set_comparison(None)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched in (self.a_box, self.b_box)
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        ):
            self.compare_button.click()
            return True
        return super().eventFilter(watched, event)

    def set_layers(self, names: Sequence[str], a: str, b: str) -> None:
        """Offer ``names`` for A and B, choosing ``a`` and ``b``."""
        for box, chosen in ((self.a_box, a), (self.b_box, b)):
            box.clear()
            for name in names:
                box.addItem(self.title(name), name)
            box.setCurrentIndex(max(0, box.findData(chosen)))

    def set_waiting(self, a: str, b: str) -> None:
        """A comparison of ``a`` with ``b`` is under way: say so until it comes."""
        self.set_comparison(None)
        self.legend.setText(f"Comparing {a} with {b}…")

    def set_failed(self, text: str) -> None:
        self.set_comparison(None)
        self.legend.setText(text)

    def set_comparison(self, comparison: Comparison | None, can_undo: bool = False) -> None:
        """List ``comparison``'s differences: every page at once, their entries a slice per
        event-loop turn from the next on, within the window's shared budget (``filled`` when
        all are listed), so that thousands of them never hold the window up."""
        self.comparison = comparison
        turns.drop(self)
        self._pending = []
        self.tree.clear()
        for button in self.buttons.values():
            button.setEnabled(comparison is not None)
        self.buttons["close"].setEnabled(True)
        self.buttons["undo"].setEnabled(comparison is not None and can_undo)
        if comparison is None:
            self.legend.setText("Choose two layers and press Compare.")
            return
        for side, name in (("a", comparison.a), ("b", comparison.b)):
            # nothing is copied into the base layer (the PDF's own), nor when none differ
            for key in (f"to_{side}", f"all_to_{side}"):
                self.buttons[key].setEnabled(name != BASE and bool(comparison.differences))
        a, b = self.title(comparison.a), self.title(comparison.b)
        counts = comparison.counts()
        parts = [
            f"<span style='color:{COLOURS[k].name()}'>■</span> {label} ({counts[k]})"
            for k, label in ((ONLY_A, f"only in A ({a})"), (ONLY_B, f"only in B ({b})"))
        ]
        parts.append(
            f"<span style='color:{COLOURS[CHANGED].name()}'>■</span> changed ({counts[CHANGED]})"
        )
        self.legend.setText("<br>".join(parts))
        for page, differences in comparison.by_page().items():
            title = f"Page {page + 1}" if page >= 0 else "Not on a page"
            top = QTreeWidgetItem([f"{title} ({len(differences)})"])
            self.tree.addTopLevelItem(top)
            top.setExpanded(True)
            self._pending.append((top, list(differences)))
        turns.later(self, self._fill_some, turns.LISTS)

    def _fill_some(self, deadline: float) -> bool:
        """A turn's slice of the entries (ENTRIES_PER_TURN at most): True once all are listed
        (then ``filled``)."""
        budget = ENTRIES_PER_TURN
        while self._pending and budget > 0:
            top, differences = self._pending[0]
            step = min(budget, ENTRIES_STEP)
            chunk, differences[:] = differences[:step], differences[step:]
            for difference in chunk:
                self._entry(top, difference)
            budget -= len(chunk)
            if not differences:
                self._pending.pop(0)
            if time.perf_counter() > deadline:  # (at least one step a turn)
                break
        if self._pending:
            return False
        emit(self.filled)
        return True

    def filling(self) -> bool:
        return bool(self._pending)

    def _entry(self, top: QTreeWidgetItem, difference: Difference) -> None:
        said = difference.describe(self.author)
        item = QTreeWidgetItem(top, [f"[{MARKS[difference.kind]}] {said}"])
        item.setForeground(0, COLOURS[difference.kind].darker(130))
        item.setData(0, DIFFERENCE_ROLE, difference)

    def entries(self) -> list[Difference]:
        return [c.data(0, DIFFERENCE_ROLE) for _, cs in groups_of(self.tree) for c in cs]

    def selected(self) -> list[Difference]:
        chosen = [i.data(0, DIFFERENCE_ROLE) for i in self.tree.selectedItems()]
        return [d for d in chosen if isinstance(d, Difference)]

    def _merge_selected(self, target: str) -> None:
        if self.selected():
            emit(self.merge_requested, self.selected(), target)

    def _chosen(self, item: QTreeWidgetItem) -> None:
        difference = item.data(0, DIFFERENCE_ROLE)
        if isinstance(difference, Difference):
            emit(self.difference_chosen, difference)
