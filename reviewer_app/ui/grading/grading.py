"""Grading: builds the grading parts of a window (the Grading dock, the score sheet, the
points tool's question, the actions) and keeps them in step with the engine."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu

from reviewer_app.engine import DEFAULT, Change, EngineError
from reviewer_app.engine.grade_sheet import grade_rows, student_label, write_csv
from reviewer_app.engine.grades import StudentGrades
from reviewer_app.engine.grading_scheme import Scheme, format_points
from reviewer_app.ui.core import file_dialogs
from reviewer_app.ui.core.tasks import Task, TaskRunner
from reviewer_app.ui.export.dialog import PdfExport
from reviewer_app.ui.export.return_all import ask_return_all
from reviewer_app.ui.grading.actions import GradingActions
from reviewer_app.ui.grading.bank_control import CommentBank
from reviewer_app.ui.grading.direct_scores import type_score
from reviewer_app.ui.grading.points_tool import PointsTool
from reviewer_app.ui.grading.scheme_dock import GradingDock
from reviewer_app.ui.grading.scheme_edits import SchemeEdits
from reviewer_app.ui.grading.score_sheet import ScoreSheetDock
from reviewer_app.ui.grading.state import GradingState
from reviewer_app.ui.session.class_import import ask_import_class
from reviewer_app.ui.session.context import DocumentContext
from reviewer_app.ui.session.editor import LayerEditor
from reviewer_app.ui.sync.scheme_conflict import settle_after_sync
from reviewer_app.ui.tools.page_tools import PageTools
from reviewer_app.ui.viewer.page_view import PageView

if TYPE_CHECKING:  # the sync's HTTP side loads only when a document syncs
    from reviewer_app.sync import SyncSession

CSV_PLAIN = "Grades, a column per question (*.csv)"
CSV_GRADEBOOK = "Canvas or Moodle gradebook (*.csv)"
CSV_KINDS = ("grades.csv", f"{CSV_PLAIN};;{CSV_GRADEBOOK}")  # the name offered, the kinds
SCHEME_FILES = "Grading scheme (*.json)"


class Grading(QObject):
    """The teacher's grading: ``dock`` (the scheme), ``sheet`` (the score sheet), ``state``
    (the question being graded, anonymous names), ``actions``. Students are the document's
    layers but the default one. Marks are written by the points tool through the editor;
    direct scores typed in the sheet go to that student's layer; every change comes back
    through the change hub and updates one row."""

    def __init__(
        self,
        context: DocumentContext,
        editor: LayerEditor,
        view: PageView,
        tools: PageTools,
        tasks: TaskRunner,
    ) -> None:
        super().__init__(context)
        self.context, self.engine, self.editor, self.view = context, context.engine, editor, view
        self.tasks = tasks
        parent = context.dialog_parent
        self.state = GradingState(self)
        self.scheme = Scheme()
        points = tools.by_name[PointsTool.name]
        assert isinstance(points, PointsTool), "the window hands PageTools the points tool"
        points.state = self.state
        self.points = points
        self.bank = CommentBank(context, editor, self.state, points)
        self.edits = SchemeEdits(context, points, self.state, lambda: self.scheme)
        self.dock = GradingDock(parent)
        self.sheet = ScoreSheetDock(parent)
        self.actions = GradingActions(parent)
        self.returning: PdfExport | None = None
        self.settling: Task | None = None
        self._connect()
        self.actions.update_enabled(False)

    def docks(self) -> list[QDockWidget]:
        return [self.dock, self.sheet]

    def install(self, window: QMainWindow, beside: QDockWidget, front: QDockWidget) -> None:
        """Put the Grading dock in a tab beside ``beside`` (``front`` stays the tab in front),
        the score sheet under the pages (hidden until asked for), and a Grading menu before
        the window's Help menu."""
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        window.tabifyDockWidget(beside, self.dock)
        front.raise_()
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.sheet)
        self.sheet.hide()
        bar = window.menuBar()
        help_menu = bar.actions()[-1] if bar.actions() else None
        menu = QMenu("G&rading", window)
        self.fill_menu(menu)
        bar.insertMenu(help_menu, menu) if help_menu is not None else bar.addMenu(menu)
        self.menu = menu

    def fill_menu(self, menu: QMenu) -> None:
        a = self.actions
        menu.addActions([a.next_ungraded, a.comment_bank, a.add_to_bank])
        menu.addActions([a.anonymous, a.not_student])
        menu.addSeparator()
        menu.addActions([a.clear_region, a.undo_scheme, a.import_scheme, a.export_scheme])
        menu.addSeparator()
        menu.addActions([a.export_csv, a.return_all, a.import_class])
        menu.addSeparator()
        menu.addActions([d.toggleViewAction() for d in self.docks()])

    def _connect(self) -> None:
        a, context = self.actions, self.context
        a.next_ungraded.triggered.connect(self.next_ungraded)
        a.anonymous.toggled.connect(self._anonymous_toggled)
        a.not_student.triggered.connect(self.toggle_student)
        a.comment_bank.triggered.connect(self.bank.open_palette)
        a.add_to_bank.triggered.connect(lambda: self.bank.add(self.bank.last_text))
        a.import_scheme.triggered.connect(self.ask_import_scheme)
        a.export_scheme.triggered.connect(self.ask_export_scheme)
        a.export_csv.triggered.connect(self.ask_export_csv)
        a.return_all.triggered.connect(self.ask_return_all)
        a.import_class.triggered.connect(lambda: ask_import_class(self.context, self.tasks))
        self.dock.scheme_edited.connect(self.edits.set_scheme)
        self.dock.clear_region_requested.connect(self.edits.clear_region)
        a.clear_region.triggered.connect(lambda: self.edits.clear_region())
        a.undo_scheme.triggered.connect(self.edits.undo)
        self.edits.edited.connect(self.refresh)
        self.edits.refused.connect(self.refresh)
        self.edits.undo_changed.connect(a.undo_scheme.setEnabled)
        self.dock.question_chosen.connect(self.state.set_question)
        self.dock.import_requested.connect(self.ask_import_scheme)
        self.dock.export_requested.connect(self.ask_export_scheme)
        self.dock.region_requested.connect(self.edits.ask_region)
        self.sheet.cell_chosen.connect(lambda layer, q: self.go_to(layer, q, keys_to_pages=False))
        self.sheet.model.score_typed.connect(self.type_score)
        self.state.question_changed.connect(self.dock.select_question)
        self.state.anonymous_changed.connect(self._anonymous)
        context.document_changed.connect(self._document_changed)
        context.changes.changed.connect(self._changed)
        context.changes.layers_changed.connect(self.refresh)

    # -- following the engine -------------------------------------------------------------

    @property
    def doc_id(self) -> str | None:
        return self.context.document_id

    def refresh(self) -> None:
        """Read the scheme and every student's grades again (a document or layer set change)."""
        doc = self.doc_id
        self.actions.update_enabled(doc is not None)
        self.actions.undo_scheme.setEnabled(self.edits.can_undo())
        self.scheme = Scheme() if doc is None else self.engine.grading_scheme(doc)
        if doc is not None:
            self._teacher_is_no_student(doc)
        rows = [] if doc is None else self.engine.class_grades(doc)
        self.sheet.fill(self.scheme, rows)
        self._anonymous(self.state.anonymous)
        self._show_role()
        if self.points.tools.current is self.points:
            self.points.show_regions()  # a region set or a question removed
        self.dock.show_scheme(self.scheme, self._shown_grades(), self.state.question)

    def _document_changed(self) -> None:
        """Another document: its names hidden if they were when it was last graded."""
        doc, store = self.doc_id, self.context.settings.store
        hidden = doc is not None and store.value(f"grading/anonymous/{doc}") in (True, "true")
        self.actions.anonymous.blockSignals(True)
        self.actions.anonymous.setChecked(hidden)
        self.actions.anonymous.blockSignals(False)
        self.state.set_anonymous(hidden)
        self.refresh()

    def _anonymous_toggled(self, on: bool) -> None:
        """Anonymous Grading, kept per document until the teacher shows the names."""
        if self.doc_id is not None:
            self.context.settings.store.setValue(f"grading/anonymous/{self.doc_id}", on)
        self.state.set_anonymous(on)

    def after_sync(self, session: SyncSession | None) -> None:
        """A sync ended: show a scheme it pulled; a scheme changed on both sides is asked
        about (mine or the server's) and settled in the background."""
        self.refresh()
        self.settling = settle_after_sync(self.context, self.tasks, session, self.refresh)

    def _shown_grades(self) -> StudentGrades | None:
        doc, layer = self.doc_id, self.context.layer
        students = {g.layer for g in self.sheet.model.rows}
        return self.engine.grades(doc, layer, self.scheme) if doc and layer in students else None

    def layer_shown(self, name: str) -> None:
        self.dock.show_grades(self._shown_grades())
        self._show_role()

    def _teacher_is_no_student(self, doc: str) -> None:
        """The teacher's own layer (named after them) is not a student, unless they said
        it is: marked once, the first time grading sees it."""
        own = self.context.own_layer()
        roles = self.engine.layer_roles(doc)
        if own not in roles and own in self.engine.student_layers(doc):
            self.engine.set_student(doc, own, False)

    def toggle_student(self) -> None:
        """The layer shown is (not) a student: the sheet, CSV, Return All and Next Ungraded
        follow."""
        doc, layer = self.doc_id, self.context.layer
        if doc is None or layer == DEFAULT:
            return
        self.engine.set_student(doc, layer, not self.actions.not_student.isChecked())
        self.refresh()

    def _show_role(self) -> None:
        doc, layer = self.doc_id, self.context.layer
        students = self.engine.student_layers(doc) if doc is not None else []
        self.actions.not_student.setEnabled(doc is not None and layer != DEFAULT)
        self.actions.not_student.setChecked(doc is not None and layer not in students)

    def _changed(self, change: Change) -> None:
        doc = self.doc_id
        if doc is None or change.document_id != doc:
            return
        grades = self.engine.grades(doc, change.layer, self.scheme)
        if self.sheet.model.replace(grades):
            self.sheet.update_summary()
        if change.layer == self.context.layer:
            self.dock.show_grades(self._shown_grades())

    def _anonymous(self, anonymous: bool) -> None:
        doc = self.doc_id
        numbers = self.engine.student_numbers(doc) if anonymous and doc else None
        self.sheet.model.set_numbers(numbers)
        hidden = {layer: student_label(layer, numbers) for layer in numbers or {}}
        self.context.names.hide(hidden)  # every room names these layers "Student N"

    # -- the scheme -----------------------------------------------------------------------

    def ask_import_scheme(self) -> None:
        parent, settings = self.context.dialog_parent, self.context.settings
        name = file_dialogs.open_file(parent, settings, "Import Grading Scheme", SCHEME_FILES)
        if name is not None:
            self.import_scheme(name)

    def import_scheme(self, path: Path) -> bool:
        doc = self.doc_id
        if doc is None:
            return False
        try:
            self.engine.import_grading_scheme(doc, path.read_bytes())
        except (OSError, EngineError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            self.context.show_error("Grading scheme not imported", f"{path.name}: {reason}")
            return False
        self.refresh()
        return True

    def ask_export_scheme(self) -> None:
        doc = self.doc_id
        parent, settings = self.context.dialog_parent, self.context.settings
        title = "Export Grading Scheme"
        name, _ = file_dialogs.save_file(parent, settings, title, "scheme.json", SCHEME_FILES)
        if doc and name is not None:
            try:
                name.write_text(self.engine.export_grading_scheme(doc) + "\n")
            except OSError as exc:
                self.context.show_error("Scheme not exported", f"{name}: {exc.strerror or exc}")

    # -- going to a student ---------------------------------------------------------------

    def go_to(self, layer: str, question: str = "", *, keys_to_pages: bool = True) -> None:
        """Show ``layer`` at its first mark for ``question`` (else the question's place); the
        keys then go to the pages, unless ``keys_to_pages`` is False (a cell of the score
        sheet clicked: the keys stay there, a score may be typed in it)."""
        if layer != self.context.layer:
            self.context.show_layer(layer)
        q = self.scheme.question(question) if question else None
        if q is None:
            return
        self.state.set_question(q.id)
        most = format_points(q.max_points)  # (what a digit typed now is for)
        self.context.notify(f"{self.context.names.title(layer)}: {q.name} (out of {most})")
        row = next((g for g in self.sheet.model.rows if g.layer == layer), None)
        score = row.score(q.id) if row is not None else None
        if score is not None and score.marks:
            first = min(score.marks, key=lambda m: m.page)
            record = self.engine.record(self.doc_id or "", layer, "annotation", first.record_id)
            top = float(record.content["bbox"][1])
            self.view.go_to_page(first.page, max(0.0, top - 48))
        elif q.page is not None:
            top = q.region[1] if q.region is not None else 0.0
            self.view.go_to_page(q.page, max(0.0, top - 24))
        if keys_to_pages:
            self.context.give_keys_to_pages()

    def next_ungraded(self) -> tuple[str, str] | None:
        """Go to the next ungraded question: the shown student's next one after the current
        question, else the next student's first (in the sheet's order), wrapping around."""
        rows = {g.layer: g for g in self.sheet.model.rows}
        order = [layer for layer in self.sheet.visible_layers() if layer in rows]
        if not order:
            self.context.notify("No students: every layer but the default one is a student")
            return None
        ids = [q.id for q in self.scheme.questions]
        here = self.context.layer
        start = order.index(here) if here in order else -1
        after = ids.index(self.state.question) + 1 if self.state.question in ids else 0
        candidates: list[tuple[str, list[str]]] = []
        if here in rows:
            candidates.append((here, ids[after:]))
        candidates += [(order[(start + i) % len(order)], ids) for i in range(1, len(order))]
        if here in rows:
            candidates.append((here, ids[:after]))
        for layer, questions in candidates:
            grades = rows[layer]
            for qid in questions:
                score = grades.score(qid)
                if score is not None and score.score is None:
                    self.go_to(layer, qid)
                    return layer, qid
        self.context.notify("Every student is graded", 5000)
        return None

    # -- direct scores --------------------------------------------------------------------

    def type_score(self, layer: str, question: str, text: str) -> None:
        """A score typed in the sheet: a direct-score mark (see :func:`type_score`)."""
        type_score(self.context, self.editor, self.scheme, layer, question, text)

    # -- returning the papers -------------------------------------------------------------

    def ask_return_all(self) -> None:
        """Return All: how (flattened, summary), where, then every student's paper."""
        rows = self.engine.class_grades(self.doc_id) if self.doc_id else []
        self.returning = ask_return_all(self.context, self.scheme, rows)

    def shutdown(self) -> None:
        """Stop papers being returned now (the files already written stay whole)."""
        if self.returning is not None:
            self.returning.run.stop()

    # -- grades as CSV --------------------------------------------------------------------

    def ask_export_csv(self) -> None:
        parent, settings, kinds = self.context.dialog_parent, self.context.settings, CSV_KINDS
        name, chosen = file_dialogs.save_file(parent, settings, "Export Grades as CSV", *kinds)
        if name is not None:
            self.export_csv(name, "gradebook" if chosen == CSV_GRADEBOOK else "plain")

    def export_csv(self, path: Path, layout: str = "plain") -> bool:
        doc = self.context.document
        if doc is None:
            return False
        numbers = self.engine.student_numbers(doc.id) if self.state.anonymous else None
        rows = grade_rows(
            self.scheme,
            self.engine.class_grades(doc.id),
            layout=layout,
            assignment=doc.title or doc.file_name or "Assignment",
            numbers=numbers,
        )
        try:
            write_csv(path, rows)
        except OSError as exc:
            self.context.show_error("Grades not exported", f"{path}: {exc.strerror or exc}")
            return False
        self.context.notify(f"Grades of {len(rows) - 1} students written to {path}", 5000)
        return True
