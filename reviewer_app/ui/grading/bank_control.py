"""CommentBank: the comment bank in a window — the palette, placing a comment as a mark for
the current question, adding the text just typed, and changing a comment's points for every
student who got it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QPointF
from PySide6.QtWidgets import QInputDialog, QMessageBox

from reviewer_app.engine import Change, EngineError
from reviewer_app.engine.comment_bank import BankComment
from reviewer_app.engine.grades import (
    bank_mark_text,
    grading_data,
    mark_content,
    mark_of,
    record_text,
    stamp_mark_content,
)
from reviewer_app.engine.grading_scheme import Question, format_points
from reviewer_app.ui.core import file_dialogs
from reviewer_app.ui.core.words import plural
from reviewer_app.ui.drawing.stamps import CHOICES
from reviewer_app.ui.grading.bank import CommentPalette, look_name
from reviewer_app.ui.grading.points_tool import (
    MARK_STYLE,
    PointsTool,
    kept_on_page,
    read_points,
)
from reviewer_app.ui.grading.state import GradingState
from reviewer_app.ui.session.context import DocumentContext
from reviewer_app.ui.session.editor import LayerEditor
from reviewer_app.ui.tools.text_edit import free_text_bbox

BANK_FILES = "Comment bank (*.json)"

TYPED = ("pspdfkit/note", "pspdfkit/text")


class CommentBank(QObject):
    """The bank's palette (``palette``) and what it does: :meth:`place` writes a chosen
    comment in the shown student's layer (with its points, for the current question);
    ``last_text`` is the text of the note or free text typed last (Add Typed Text takes
    it when the search field is empty)."""

    def __init__(
        self,
        context: DocumentContext,
        editor: LayerEditor,
        state: GradingState,
        points: PointsTool,
    ) -> None:
        super().__init__(context)
        self.context, self.engine, self.editor = context, context.engine, editor
        self.state, self.points = state, points
        self.palette = CommentPalette(context.dialog_parent)
        self.last_text = ""
        p = self.palette
        p.chosen.connect(self.place)
        p.add_requested.connect(lambda text: self.add(text or self.last_text))
        p.points_requested.connect(self.ask_points)
        p.look_requested.connect(self.ask_look)
        p.delete_requested.connect(self.delete)
        p.import_requested.connect(self.ask_import)
        p.export_requested.connect(self.ask_export)
        context.changes.changed.connect(self._remember_text)

    def refresh(self, hint: str = "") -> None:
        self.palette.show_comments(self.engine.bank_comments(), hint)

    def open_palette(self) -> None:
        if self.context.document is None:
            return
        self.refresh("Enter places the chosen comment for the current question")
        self.palette.open_palette()

    # -- placing --------------------------------------------------------------------------

    def place(self, comment_id: str) -> Change | None:
        """The comment as a mark in the shown layer: for the current question (its points
        count there), at that question's place; feedback only when it has no points."""
        doc = self.context.document_id
        if doc is None or not self.editor.can_edit():
            self.context.notify("Comment not placed: show a student's layer first", 8000)
            return None
        comment = self.engine.bank_comment(comment_id)
        scheme = self.engine.grading_scheme(doc)
        question = scheme.question(self.state.question or "")
        if question is None and scheme.questions:
            question = scheme.questions[0]
        if question is not None:
            page, at = self.points.place_for(scheme, question)
        else:
            page, at = max(self.points.tools.view.current_page(), 0), QPointF(8, 8)
        text = bank_mark_text(comment.text, comment.points)
        if comment.stamp is not None:
            return self._place_stamp(comment, question, page, at, text)
        content = mark_content(
            question.id if question is not None else "",
            page,
            at.x(),
            at.y(),
            points=comment.points if question is not None else None,
            text=text,
            comment=comment.id,
        )
        if question is None:
            content["customData"]["grading"].pop("question")
        width = self.points.tools.view.pages[page].unrotated[0]
        content["bbox"] = kept_on_page(free_text_bbox(at, text, MARK_STYLE), width)
        if comment.color:
            content["fontColor"] = comment.color
        change = self.editor.create([content])
        if change is not None:
            self.engine.use_bank_comment(comment.id)
        self.context.give_keys_to_pages()
        return change

    def _place_stamp(
        self, comment: BankComment, question: Question | None, page: int, at: QPointF, text: str
    ) -> Change | None:
        """A comment with a stamp look: that stamp, saying the comment (see
        :func:`stamp_mark_content`), kept inside the page."""
        qid = question.id if question is not None else ""
        grading = grading_data(qid, points=comment.points if question else None,
                               comment=comment.id)  # fmt: skip
        if question is None:
            grading.pop("question")
        content = stamp_mark_content(grading, page, at.x(), at.y(), stamp_type=str(comment.stamp),
                                     text=text, color=comment.color)  # fmt: skip
        width = self.points.tools.view.pages[page].unrotated[0]
        content["bbox"] = kept_on_page(content["bbox"], width)
        change = self.editor.create([content])
        if change is not None:
            self.engine.use_bank_comment(comment.id)
        self.context.give_keys_to_pages()
        return change

    # -- the bank itself ------------------------------------------------------------------

    def _remember_text(self, change: Change) -> None:
        if change.layer != self.context.layer:
            return
        for record in change.upserted:
            typed = record.content.get("type") in TYPED and mark_of(record) is None
            grading = (record.content.get("customData") or {}).get("grading")
            if typed and not grading and (text := record_text(record.content).strip()):
                self.last_text = text

    def add(self, text: str) -> bool:
        """Put ``text`` (the search field's, else the text typed last) in the bank."""
        if not text.strip():
            self.context.notify("Nothing to add: type a comment on the page first", 8000)
            return False
        try:
            comment = self.engine.add_bank_comment(text)
        except EngineError as exc:
            self.context.notify(f"Not added to the bank: {exc}", 8000)
            return False
        self.refresh(f"Added “{comment.text[:40]}” to the bank")
        self.context.notify(f"Added to the comment bank: {comment.text[:60]}", 5000)
        return True

    def ask_points(self, comment_id: str) -> None:
        comment = self.engine.bank_comment(comment_id)
        now = "" if comment.points is None else format_points(comment.points)
        text, ok = QInputDialog.getText(
            self.palette, "Comment Points", "Points (e.g. -1 or +0.5; empty: none):", text=now
        )
        if not ok:
            return
        points, _ = read_points(text)
        if text.strip() and points is None:
            self.context.notify(f"“{text}” is not points (nothing changed)", 8000)
            return
        answer = QMessageBox.question(
            self.palette,
            "Apply to Every Student",
            "Give every student who got this comment its new points?",
        )
        self.set_points(comment_id, points, apply=answer == QMessageBox.StandardButton.Yes)

    def ask_look(self, comment_id: str) -> None:
        """Choose the comment's stamp look: one of the stamp tool's, or none (a text)."""
        comment = self.engine.bank_comment(comment_id)
        names = ["Text (no stamp)", *(look_name(c.stamp_type) for c in CHOICES)]
        now = names.index(look_name(comment.stamp)) if comment.stamp else 0
        name, ok = QInputDialog.getItem(
            self.palette, "Comment Look", "Place this comment as:", names, now, False
        )
        if ok:
            index = names.index(name)
            self.set_look(comment_id, CHOICES[index - 1].stamp_type if index else None)

    def set_look(self, comment_id: str, stamp: str | None) -> None:
        self.engine.update_bank_comment(comment_id, stamp=stamp)
        self.refresh(f"Placed as {look_name(stamp) + ' stamp' if stamp else 'a text'} from now on")

    def set_points(self, comment_id: str, points: float | None, *, apply: bool) -> int:
        """Change a comment's points; with ``apply``, in every student's marks placed from
        it too (one undo step per student). Returns how many students changed."""
        self.engine.update_bank_comment(comment_id, points=points)
        changed = 0
        doc = self.context.document_id
        if apply and doc is not None:
            for change in self.engine.apply_bank_points(doc, comment_id):
                self.context.changes.record_change(change)
                changed += 1
        self.refresh(f"Points changed; {plural(changed, 'student')} updated" if apply else "")
        return changed

    def delete(self, comment_id: str) -> None:
        self.engine.delete_bank_comment(comment_id)
        self.refresh("Deleted (the comments already placed stay)")

    def ask_import(self) -> None:
        title, settings = "Import Comment Bank", self.context.settings
        name = file_dialogs.open_file(self.palette, settings, title, BANK_FILES)
        if name is not None:
            self.import_file(name)

    def import_file(self, path: Path) -> bool:
        try:
            count = self.engine.import_comment_bank(path.read_bytes())
        except (OSError, EngineError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            self.context.show_error("Comment bank not imported", f"{path.name}: {reason}")
            return False
        self.refresh(f"{plural(count, 'comment')} imported")
        return True

    def ask_export(self) -> None:
        title, settings = "Export Comment Bank", self.context.settings
        name, _ = file_dialogs.save_file(self.palette, settings, title, "comments.json", BANK_FILES)
        if name is not None:
            try:
                name.write_text(self.engine.export_comment_bank() + "\n")
            except OSError as exc:
                self.context.show_error("Bank not exported", f"{name}: {exc.strerror or exc}")
