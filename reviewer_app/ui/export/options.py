"""The Export Layers as PDF dialog: which layers (a list to tick), editable or flattened, and
whether a comments summary follows each document; and the same two choices for Return All's
papers (``ReturnOptions``, asked by the grading room)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from reviewer_app.engine import BASE, DEFAULT
from reviewer_app.ui.session.context import layer_title
from reviewer_app.ui.session.layer_list import LayerRow

NAME_ROLE = Qt.ItemDataRole.UserRole + 1
UNCHANGED_DEFAULT = "no changes of its own: the same as the PDF"


@dataclass(frozen=True)
class LayerChoice:
    """One layer the dialog offers: its name, a line about it, whether it starts ticked."""

    name: str
    details: str = ""
    ticked: bool = True


def layer_choices(
    rows: Sequence[LayerRow],
    own_records: Mapping[str, int],
    pending: set[str],
    author: Callable[[str], str] = str,
) -> list[LayerChoice]:
    """The layers worth exporting, in the list's order, all ticked but the default layer
    while it has no records of its own (it would only repeat the PDF). The base layer and
    the user's own layer before its first change are not offered."""
    choices = []
    for row in rows:
        if row.name == BASE or row.name in pending:
            continue
        unchanged = row.name == DEFAULT and not own_records.get(DEFAULT)
        details = UNCHANGED_DEFAULT if unchanged else row.details(author)
        choices.append(LayerChoice(row.name, details, not unchanged))
    return choices


class ExportOptions(QDialog):
    """Asks which layers to export (``chosen()``, in list order) and how: ``flatten``, and
    ``summary`` (a comments summary after each PDF), which follows Flatten until the user
    sets it. The layer shown in the window (``current``) is in bold."""

    def __init__(
        self,
        layers: Sequence[LayerChoice],
        current: str,
        parent: QWidget | None = None,
        title: Callable[[str], str] = layer_title,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export Layers as PDF")
        self.current, self.title = current, title  # title: how a layer is named on screen
        self.layers = QListWidget()
        self.layers.setAccessibleName("Layers to export")
        for choice in layers:
            self._add_row(choice)
        self.layers.setMinimumWidth(self.layers.sizeHintForColumn(0) + 40)
        self.count = QLabel()
        self.count.setAccessibleName("Layers chosen")
        self.select_all = QPushButton("Select &All")
        self.select_none = QPushButton("Select &None")
        offered = self._row_of(current) is not None
        named = f" ({title(current)})" if offered else ""
        self.only_current = QPushButton(f"Only the &Current Layer{named}")
        self.only_current.setEnabled(offered)
        self.flatten = QCheckBox("&Flatten (burn the annotations into the pages)")
        self.summary = QCheckBox("Add a comments &summary after the last page")
        self.summary_help = QLabel(
            "Pages listing every note, free text, stamp and comment thread (with its replies "
            "and state) with its page, author, date and full text. On when flattening: a "
            "flattened note keeps only its icon and a reply nothing."
        )
        self.summary_help.setWordWrap(True)
        font = self.summary_help.font()
        font.setPointSizeF(font.pointSizeF() * 0.9)  # a hint, quieter than the options
        self.summary_help.setFont(font)
        self.summary.setToolTip(self.summary_help.text())
        self.summary_set_by_user = False
        self.flatten.setAccessibleName("Flatten the annotations")
        self.summary.setAccessibleName("Add a comments summary")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("&Export into a Folder…")
        self._connect()
        self._lay_out()
        self._update()

    def _add_row(self, choice: LayerChoice) -> None:
        title = self.title(choice.name)
        item = QListWidgetItem(f"{title}  ·  {choice.details}" if choice.details else title)
        item.setData(NAME_ROLE, choice.name)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if choice.ticked else Qt.CheckState.Unchecked)
        item.setToolTip(f"{title}: {choice.details}" if choice.details else title)
        if choice.name == self.current:
            font = item.font()
            font.setBold(True)
            item.setFont(font)
        self.layers.addItem(item)
        if choice.name == self.current:
            self.layers.setCurrentItem(item)

    def _connect(self) -> None:
        self.layers.itemChanged.connect(lambda _: self._update())
        self.select_all.clicked.connect(lambda: self.tick(lambda _: True))
        self.select_none.clicked.connect(lambda: self.tick(lambda _: False))
        self.only_current.clicked.connect(lambda: self.tick(lambda name: name == self.current))
        self.flatten.toggled.connect(self._flatten_toggled)
        self.summary.clicked.connect(self._summary_clicked)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def _lay_out(self) -> None:
        picks = QHBoxLayout()
        for button in (self.select_all, self.select_none, self.only_current):
            picks.addWidget(button)
        picks.addStretch(1)
        picks.addWidget(self.count)
        layout = QVBoxLayout(self)
        label = QLabel("&Layers to export, one PDF each:")
        label.setBuddy(self.layers)
        layout.addWidget(label)
        layout.addWidget(self.layers, 1)
        layout.addLayout(picks)
        layout.addSpacing(8)
        layout.addWidget(self.flatten)
        layout.addWidget(self.summary)
        hint = QHBoxLayout()
        hint.addSpacing(24)  # under the check box's text
        hint.addWidget(self.summary_help, 1)
        layout.addLayout(hint)
        layout.addWidget(self.buttons)

    # -- what the user picks -------------------------------------------------------------

    def items(self) -> list[QListWidgetItem]:
        return [self.layers.item(i) for i in range(self.layers.count())]

    def chosen(self) -> list[str]:
        """The ticked layers' names, in the list's order."""
        return [
            str(item.data(NAME_ROLE))
            for item in self.items()
            if item.checkState() == Qt.CheckState.Checked
        ]

    def tick(self, wanted: Callable[[str], bool]) -> None:
        """Tick the layers ``wanted(name)`` says, untick the others."""
        for item in self.items():
            ticked = wanted(str(item.data(NAME_ROLE)))
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)

    def _row_of(self, name: str) -> QListWidgetItem | None:
        return next((item for item in self.items() if item.data(NAME_ROLE) == name), None)

    def _update(self) -> None:
        chosen, total = len(self.chosen()), self.layers.count()
        self.count.setText(f"{chosen} of {total} layer{'s' if total != 1 else ''}")
        self.ok.setEnabled(chosen > 0)

    def _flatten_toggled(self, flatten: bool) -> None:
        if not self.summary_set_by_user:  # a flattened note keeps only its icon
            self.summary.setChecked(flatten)

    def _summary_clicked(self) -> None:
        self.summary_set_by_user = True


class ReturnOptions(QDialog):
    """How the papers go back: flattened or editable, with the comments summary or not."""

    def __init__(self, students: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Return All")
        self.flatten = QCheckBox("&Flatten: marks burned in, nothing left to edit")
        self.summary = QCheckBox("Add the &comments summary after the last page")
        self.summary.setChecked(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Choose Folder…")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        words = (
            f"Each of the {students} students gets a PDF of their layer, named after them, "
            "with their scores in a box on page 1."
        )
        layout.addWidget(QLabel(words))
        layout.addWidget(self.flatten)
        layout.addWidget(self.summary)
        layout.addWidget(buttons)
