"""The Grading dock: the document's questions (name, maximum, page) and scale, edited in
place, the shown student's score per question, and the scheme's JSON import and export."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reviewer_app.engine.grades import StudentGrades
from reviewer_app.engine.grading_scheme import (
    Grade,
    Question,
    Scale,
    Scheme,
    format_points,
    question_id_from,
)
from reviewer_app.ui.core.keys import TypingStartsEdit
from reviewer_app.ui.core.signals import emit
from reviewer_app.ui.core.words import plural

NAME, MAX, PAGE, SCORE = range(4)
SCALES = [("Points", "points", ""), ("Grades by percent", "thresholds", "percent"),
          ("Grades by points", "thresholds", "points")]  # fmt: skip
_STEP = re.compile(r"^\s*(.+?)\s*[:=]?\s*(-?\d+(?:[.,]\d+)?)\s*$")


def read_steps(text: str) -> tuple[Grade, ...] | None:
    """ "A 90, B 75, C 50, F 0" → the grades; None when a part is not "label number"."""
    steps = []
    for part in (p for p in text.split(",") if p.strip()):
        found = _STEP.match(part)
        if found is None:
            return None
        steps.append(Grade(found.group(1), float(found.group(2).replace(",", "."))))
    return tuple(steps) or None


def steps_text(grades: tuple[Grade, ...]) -> str:
    return ", ".join(f"{g.label} {format_points(g.minimum)}" for g in grades)


class GradingDock(QDockWidget):
    """Edits a scheme. Emits ``scheme_edited(Scheme)`` for every edit (the owner stores it
    and calls :meth:`show_scheme` back), ``question_chosen(id)`` when a row is chosen,
    ``region_requested(id)`` for Set Region (the chosen question's region, dragged on the
    page), ``clear_region_requested(id)`` for Clear Region, and ``import_requested()`` /
    ``export_requested()`` for the buttons."""

    scheme_edited = Signal(object)
    question_chosen = Signal(str)
    import_requested = Signal()
    export_requested = Signal()
    region_requested = Signal(str)
    clear_region_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Grading", parent)
        self.setObjectName("grading-dock")
        self.scheme = Scheme()
        self._filling = False
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["Question", "Max", "Page", "Score"])
        self.table.setAccessibleName("Questions")
        self.table.verticalHeader().hide()
        self.table.installEventFilter(TypingStartsEdit(self.table))  # (not the tool keys)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        for column in (MAX, PAGE, SCORE):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.add_button = QPushButton("Add Question")
        self.remove_button = QPushButton("Remove")
        self.region_button = QPushButton("Set Region")
        self.region_button.setToolTip(
            "Drag a rectangle on the page over the chosen question: a click there marks it, "
            "and Next Ungraded goes there"
        )
        self.clear_region_button = QPushButton("Clear Region")
        self.clear_region_button.setToolTip(
            "The chosen question covers no region any more (Grading > Undo Scheme Change "
            "brings it back)"
        )
        self.import_button = QPushButton("Import…")
        self.export_button = QPushButton("Export…")
        self.scale_box = QComboBox()
        for title, _, _ in SCALES:
            self.scale_box.addItem(title)
        self.steps = QLineEdit()
        self.steps.setPlaceholderText("A 90, B 75, C 50, F 0")
        self.steps.setToolTip("Each grade and the least it takes (percent or points), by commas")
        self.total = QLabel()
        self._lay_out()
        self.table.itemChanged.connect(self._edited)
        self.table.itemSelectionChanged.connect(self._chosen)
        self.add_button.clicked.connect(self.add_question)
        self.remove_button.clicked.connect(self.remove_question)
        self.region_button.clicked.connect(self._region_clicked)
        self.clear_region_button.clicked.connect(self._clear_region_clicked)
        self.import_button.clicked.connect(lambda: emit(self.import_requested))
        self.export_button.clicked.connect(lambda: emit(self.export_requested))
        self.scale_box.currentIndexChanged.connect(lambda _: self._scale_edited())
        self.steps.editingFinished.connect(self._scale_edited)

    def _lay_out(self) -> None:
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        buttons_shown = (self.add_button, self.remove_button)
        for button in (*buttons_shown, self.region_button, self.clear_region_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        files = QHBoxLayout()
        files.addWidget(self.import_button)
        files.addWidget(self.export_button)
        layout.addLayout(files)
        scale = QHBoxLayout()
        scale.addWidget(QLabel("Scale:"))
        scale.addWidget(self.scale_box)
        layout.addLayout(scale)
        layout.addWidget(self.steps)
        layout.addWidget(self.total)
        self.setWidget(body)

    # -- showing --------------------------------------------------------------------------

    def show_scheme(
        self, scheme: Scheme, grades: StudentGrades | None, current: str | None
    ) -> None:
        """Show ``scheme``, the shown student's ``grades`` and select question ``current``."""
        self._filling = True
        self.scheme = scheme
        self.table.setRowCount(len(scheme.questions))
        for row, q in enumerate(scheme.questions):
            name = QTableWidgetItem(q.name)
            name.setData(Qt.ItemDataRole.UserRole, q.id)
            self.table.setItem(row, NAME, name)
            self.table.setItem(row, MAX, QTableWidgetItem(format_points(q.max_points)))
            page = QTableWidgetItem("" if q.page is None else str(q.page + 1))
            if q.region is not None:
                page.setText(f"{page.text()} ▭")
                x, y, w, h = (round(v) for v in q.region)
                page.setToolTip(f"Region: {w}×{h} points at ({x}, {y})")
            self.table.setItem(row, PAGE, page)
        self.show_grades(grades)
        kind = (scheme.scale.kind, scheme.scale.basis if scheme.scale.kind != "points" else "")
        self.scale_box.setCurrentIndex(next(i for i, s in enumerate(SCALES) if s[1:] == kind))
        self.steps.setText(steps_text(scheme.scale.grades))
        self.steps.setEnabled(scheme.scale.kind != "points")
        self.select_question(current)
        self._update_region_button()
        self._filling = False

    def show_grades(self, grades: StudentGrades | None) -> None:
        """The Score column: the shown student's score per question (ungraded: "–")."""
        filling, self._filling = self._filling, True
        for row, q in enumerate(self.scheme.questions):
            s = grades.score(q.id) if grades is not None else None
            text = "–" if s is None or s.score is None else format_points(s.score)
            item = QTableWidgetItem(text + ("!" if s is not None and s.over_max else ""))
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            if s is not None and s.over_max:
                item.setBackground(QBrush(QColor("#f8d0d0")))
                item.setToolTip(f"{format_points(s.raw or 0)} given: capped at the maximum")
            self.table.setItem(row, SCORE, item)
        total = f"Total: {plural(self.scheme.max_total, 'point')}"
        if grades is not None:
            total = f"This student: {format_points(grades.total)} of " + total[7:]
            if grades.grade:
                total += f" — {grades.grade}"
            if grades.unassigned:
                total += f" ({plural(len(grades.unassigned), 'unassigned mark')})"
        self.total.setText(total)
        self._filling = filling

    def select_question(self, question: str | None) -> None:
        ids = [q.id for q in self.scheme.questions]
        if question in ids:
            row = ids.index(question)
            if self.table.currentRow() != row:
                self.table.selectRow(row)

    # -- editing --------------------------------------------------------------------------

    def add_question(self) -> None:
        """A question at the end, its name open for typing (Tab: on to its maximum)."""
        taken = {q.id for q in self.scheme.questions}
        name = f"Question {len(self.scheme.questions) + 1}"
        question = Question(question_id_from(name, taken), name, 1.0)
        emit(self.scheme_edited, Scheme((*self.scheme.questions, question), self.scheme.scale))
        row = len(self.scheme.questions) - 1
        item = self.table.item(row, NAME)  # (stored: shown again by now)
        if self.scheme.questions[row:] == (question,) and item is not None:
            self.table.setCurrentCell(row, NAME)
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)
            self.table.editItem(item)

    def remove_question(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.scheme.questions):
            kept = self.scheme.questions[:row] + self.scheme.questions[row + 1 :]
            emit(self.scheme_edited, Scheme(kept, self.scheme.scale))

    def _edited(self, item: QTableWidgetItem) -> None:
        if self._filling or item.column() == SCORE:
            return
        row = item.row()
        old = self.scheme.questions[row]
        text = item.text().strip()
        new = old
        try:
            if item.column() == NAME and text:
                new = Question(old.id, text, old.max_points, old.page, old.region)
            elif item.column() == MAX:
                new = Question(
                    old.id, old.name, float(text.replace(",", ".")), old.page, old.region
                )
            elif item.column() == PAGE:
                text = text.replace("▭", "").strip()
                page = int(text) - 1 if text else None
                new = Question(old.id, old.name, old.max_points, page, old.region)
        except ValueError:
            pass
        questions = list(self.scheme.questions)
        questions[row] = new
        emit(self.scheme_edited, Scheme(tuple(questions), self.scheme.scale))

    def _scale_edited(self) -> None:
        if self._filling:
            return
        _, kind, basis = SCALES[self.scale_box.currentIndex()]
        if kind == "points":
            scale = Scale()
        else:
            steps = read_steps(self.steps.text()) or (
                self.scheme.scale.grades or (Grade("pass", 50), Grade("fail", 0))
            )
            scale = Scale("thresholds", basis, steps)
        if scale != self.scheme.scale:
            emit(self.scheme_edited, Scheme(self.scheme.questions, scale))

    def _region_clicked(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.scheme.questions):
            emit(self.region_requested, self.scheme.questions[row].id)

    def _clear_region_clicked(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.scheme.questions):
            emit(self.clear_region_requested, self.scheme.questions[row].id)

    def _update_region_button(self) -> None:
        row = self.table.currentRow()
        questions = self.scheme.questions
        has = 0 <= row < len(questions) and questions[row].region is not None
        self.clear_region_button.setEnabled(has)

    def _chosen(self) -> None:
        self._update_region_button()
        row = self.table.currentRow()
        if not self._filling and 0 <= row < len(self.scheme.questions):
            emit(self.question_chosen, self.scheme.questions[row].id)
