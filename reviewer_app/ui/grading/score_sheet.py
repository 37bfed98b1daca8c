"""The score sheet: students (layers) × questions with totals, grades and statuses, sortable;
a click goes to that student's mark, a typed number is a direct score."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from reviewer_app.engine.grade_sheet import student_label
from reviewer_app.engine.grades import GRADED, PARTLY, StudentGrades
from reviewer_app.engine.grading_scheme import Scheme, format_points
from reviewer_app.ui.core.keys import TypingStartsEdit
from reviewer_app.ui.core.signals import emit
from reviewer_app.ui.core.words import plural

SORT_ROLE = Qt.ItemDataRole.UserRole
SCORE_CHARS = "0123456789.,+-−–/"  # what a score typed on a cell starts with (letters: tools)
OVER_MAX = QColor("#f8d0d0")
STATUS_COLORS = {GRADED: QColor("#d8f0d8"), PARTLY: QColor("#fff0c0")}
Index = QModelIndex | QPersistentModelIndex


class ScoreModel(QAbstractTableModel):
    """One row per student: their name (or "Student N"), a column per question, the total,
    the grade and the status. Question cells are editable (a direct score): an edit emits
    ``score_typed(layer, question id, text)`` and changes nothing itself."""

    score_typed = Signal(str, str, str)

    def __init__(self) -> None:
        super().__init__()
        self.scheme = Scheme()
        self.rows: list[StudentGrades] = []
        self.numbers: Mapping[str, int] | None = None

    def fill(self, scheme: Scheme, rows: Sequence[StudentGrades]) -> None:
        self.beginResetModel()
        self.scheme, self.rows = scheme, list(rows)
        self.endResetModel()

    def replace(self, grades: StudentGrades) -> bool:
        """Show one student's new scores; False if they have no row (a full fill is due)."""
        for row, old in enumerate(self.rows):
            if old.layer == grades.layer:
                self.rows[row] = grades
                last = self.columnCount() - 1
                emit(self.dataChanged, self.index(row, 0), self.index(row, last))
                return True
        return False

    def set_numbers(self, numbers: Mapping[str, int] | None) -> None:
        self.numbers = numbers
        if self.rows:
            emit(self.dataChanged, self.index(0, 0), self.index(len(self.rows) - 1, 0))

    def name(self, layer: str) -> str:
        return student_label(layer, self.numbers)

    # -- columns: student, questions..., total, grade, status ---------------------------

    def question_of(self, column: int) -> str | None:
        index = column - 1
        return self.scheme.questions[index].id if 0 <= index < len(self.scheme.questions) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.scheme.questions) + 4

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        questions = self.scheme.questions
        if role == Qt.ItemDataRole.DisplayRole:
            if section == 0:
                return "Student"
            if section <= len(questions):
                q = questions[section - 1]
                return f"{q.name}\n/{format_points(q.max_points)}"
            extra = ["Total", "Grade", "Status"]
            return extra[section - len(questions) - 1]
        if role == Qt.ItemDataRole.ToolTipRole and 0 < section <= len(questions):
            q = questions[section - 1]
            page = f", page {q.page + 1}" if q.page is not None else ""
            return f"{q.name}: {format_points(q.max_points)} points{page}"
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.question_of(index.column()) is not None:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = 0) -> Any:
        if not index.isValid():
            return None
        g = self.rows[index.row()]
        column, questions = index.column(), self.scheme.questions
        if column == 0:
            if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
                return self.name(g.layer)
            if role == Qt.ItemDataRole.ToolTipRole and g.unassigned:
                return f"{plural(len(g.unassigned), 'mark')} for deleted questions (unassigned)"
            return None
        if column <= len(questions):
            return self._score_data(g, questions[column - 1].id, role)
        which = column - len(questions) - 1
        if which == 0:
            text = f"{format_points(g.total)}/{format_points(g.max_total)}"
            values: tuple[Any, Any] = (text, g.total)
        elif which == 1:
            values = (g.grade, g.total)
        else:
            if role == Qt.ItemDataRole.BackgroundRole and g.status in STATUS_COLORS:
                return QBrush(STATUS_COLORS[g.status])
            values = (g.status, g.status)
        if role == Qt.ItemDataRole.DisplayRole:
            return values[0]
        if role == SORT_ROLE:
            return values[1]
        return None

    def _score_data(self, g: StudentGrades, question: str, role: int) -> Any:
        s = g.score(question)
        if s is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if s.score is None:
                return ""
            return format_points(s.score) + ("!" if s.over_max else "")
        if role == Qt.ItemDataRole.EditRole:
            return "" if s.score is None else format_points(s.score)
        if role == SORT_ROLE:
            return -1.0 if s.score is None else s.score
        if role == Qt.ItemDataRole.BackgroundRole and s.over_max:
            return QBrush(OVER_MAX)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            if s.score is None:
                return "ungraded"
            how = "typed score" if s.direct else plural(len(s.marks), "mark")
            over = (
                f"; {format_points(s.raw or 0)} given, capped at the maximum" if s.over_max else ""
            )
            return f"{how}{over}"
        return None

    def setData(self, index: Index, value: Any, role: int = 2) -> bool:
        question = self.question_of(index.column())
        if question is None or role != Qt.ItemDataRole.EditRole:
            return False
        emit(self.score_typed, self.rows[index.row()].layer, question, str(value))
        return False  # the change comes back from the engine


class ScoreSheetDock(QDockWidget):
    """The score sheet in a dock: a sortable table over a :class:`ScoreModel`. Emits
    ``cell_chosen(layer, question id or "")`` when a cell is clicked."""

    cell_chosen = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Score Sheet", parent)
        self.setObjectName("score-sheet-dock")
        self.model = ScoreModel()
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.verticalHeader().hide()
        self.table.installEventFilter(TypingStartsEdit(self.table, SCORE_CHARS))  # (not tools)
        self.visibilityChanged.connect(self._fit_columns)
        self._fit_columns(False)
        self.table.setAccessibleName("Score sheet")
        self.summary = QLabel()
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.table)
        layout.addWidget(self.summary)
        self.setWidget(body)
        self.table.clicked.connect(self._clicked)

    def _fit_columns(self, visible: bool) -> None:
        """Columns as wide as their contents while the sheet shows: hidden (as it starts), a
        refill of every student's grades does not measure every cell on the UI thread."""
        fit = QHeaderView.ResizeMode.ResizeToContents if visible else QHeaderView.ResizeMode.Fixed
        self.table.horizontalHeader().setSectionResizeMode(fit)

    def _clicked(self, index: QModelIndex) -> None:
        source = self.proxy.mapToSource(index)
        layer = self.model.rows[source.row()].layer
        emit(self.cell_chosen, layer, self.model.question_of(source.column()) or "")

    def fill(self, scheme: Scheme, rows: Sequence[StudentGrades]) -> None:
        self.model.fill(scheme, rows)
        self.update_summary()

    def update_summary(self) -> None:
        rows = self.model.rows
        graded = sum(g.status == GRADED for g in rows)
        partly = sum(g.status == PARTLY for g in rows)
        over = sum(bool(g.over_max) for g in rows)
        unassigned = sum(len(g.unassigned) for g in rows)
        parts = [f"{len(rows)} students: {graded} graded, {partly} partly graded, "
                 f"{len(rows) - graded - partly} ungraded"]  # fmt: skip
        if over:
            parts.append(f"{over} over a maximum (capped, marked !)")
        if unassigned:
            parts.append(plural(unassigned, "unassigned mark"))
        self.summary.setText("; ".join(parts))

    def visible_layers(self) -> list[str]:
        """The students in the order the table shows them (sorted as the user chose)."""
        return [
            self.model.rows[self.proxy.mapToSource(self.proxy.index(r, 0)).row()].layer
            for r in range(self.proxy.rowCount())
        ]
