"""LayerEditor: every change the user makes to the layer being edited, written to the engine now."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QInputDialog, QLineEdit

from reviewer_app.engine import BASE, Change, EngineError
from reviewer_app.engine.model import RecordKey
from reviewer_app.instant.records import Kind, Record
from reviewer_app.ui.core.signals import emit
from reviewer_app.ui.session.context import DocumentContext, default_user_name


class LayerEditor(QObject):
    """Writes the user's changes to the layer shown (``context.layer``): each call is one
    engine transaction, so nothing waits for a Save and a crash loses nothing.

    New annotations get ``creatorName`` = the user's display name (asked once, then kept in
    the settings); the user's own layer is named after them, unless the document's connection
    binds it to the token's layer (see ``DocumentContext.own_layer``). Every change goes to
    the change hub (``context.changes``), which redraws the overlay and refreshes the panel,
    the annotations list and sync.
    Emits ``history_changed()`` when what undo/redo would do may have changed."""

    history_changed = Signal()

    def __init__(self, context: DocumentContext) -> None:
        super().__init__(context)
        self.context = context
        self.engine = context.engine
        self.last_error = ""
        context.names.changed.connect(lambda: emit(self.history_changed))  # Undo's words

    # -- who and where ------------------------------------------------------------------

    def user(self, ask: bool = True) -> str:
        """The display name; asked for (once) when not set yet and ``ask``."""
        name = self.context.settings.user_name()
        if name or not ask:
            return name
        named = (
            "" if self.context.bound_layer() is not None else "\n(your own layer is named after it)"
        )
        text, ok = QInputDialog.getText(
            self.context.dialog_parent,
            "Your name",
            f"The name shown as the author of your annotations{named}:",
            QLineEdit.EchoMode.Normal,
            default_user_name(),
        )
        name = text.strip() if ok and text.strip() else default_user_name()
        self.context.settings.set_user_name(name)
        return name

    def default_layer(self) -> str:
        """The layer a user edits unless they choose another: their token's layer while the
        document is connected with a token bound to one layer, else the one named after them."""
        return self.context.own_layer()

    @property
    def layer(self) -> str:
        return self.context.layer

    @property
    def document_id(self) -> str | None:
        return self.context.document_id

    def can_edit(self) -> bool:
        """A document is shown and its layer is not the (immutable) base layer."""
        return self.document_id is not None and self.layer != BASE

    # -- changes ------------------------------------------------------------------------

    def create(
        self, contents: Sequence[Mapping[str, Any]], kind: Kind = "annotation"
    ) -> Change | None:
        """Add records (annotations get ``creatorName``); None if it could not be done."""

        def mutation(doc: str, user: str) -> Change:
            named = contents
            if kind == "annotation":
                named = [{**c, "creatorName": c.get("creatorName") or user} for c in contents]
            return self.engine.create_records(doc, self.layer, kind, named, user=user)

        return self._run("Not added", mutation)

    def update(
        self, contents: Sequence[Mapping[str, Any]], kind: Kind = "annotation"
    ) -> Change | None:
        """Replace records' content (each names its ``id``)."""
        return self._run(
            "Not changed",
            lambda doc, user: self.engine.update_records(
                doc, self.layer, kind, contents, user=user
            ),
        )

    def edit(
        self, contents: Sequence[Mapping[str, Any]], gone: Sequence[RecordKey]
    ) -> Change | None:
        """Replace some annotations' content and delete others, as one undo step."""
        return self._run(
            "Not changed",
            lambda doc, user: self.engine.edit_records(
                doc, self.layer, "annotation", contents, gone, user=user
            ),
        )

    def delete(self, keys: Sequence[RecordKey]) -> Change | None:
        return self._run(
            "Not deleted", lambda doc, _: self.engine.delete_records(doc, self.layer, keys)
        )

    def start_thread(self, root: Mapping[str, Any], text: str) -> Change | None:
        """Add ``root`` (a comment marker or a markup annotation) with a first comment."""

        def mutation(doc: str, user: str) -> Change:
            named = {**root, "creatorName": root.get("creatorName") or user}
            first = ({"text": text, "creatorName": user}, user, None)
            return self.engine.create_thread(doc, self.layer, named, [first], user=user)

        return self._run("Not added", mutation)

    def reply(self, root_id: str, text: str) -> Change | None:
        """Add a comment (plain ``text``, by the user) to the thread of ``root_id``."""
        return self._run(
            "Reply not added",
            lambda doc, user: self.engine.add_comments(
                doc, self.layer, root_id, [{"text": text, "creatorName": user}], user=user
            ),
        )

    def edit_comment(self, comment_id: str, text: str) -> Change | None:
        """Give a comment new plain ``text`` (a comment marker follows its first comment)."""
        return self._run(
            "Comment not changed",
            lambda doc, user: self.engine.edit_comment(
                doc, self.layer, comment_id, text, user=user
            ),
        )

    def set_thread_state(self, root_id: str, state: str) -> Change | None:
        """Resolve, reopen or give a review state to the thread of ``root_id``."""
        return self._run(
            "State not set",
            lambda doc, user: self.engine.set_thread_state(
                doc, self.layer, root_id, state, by=user
            ),
        )

    def fill(self, values: Sequence[Mapping[str, Any]]) -> Change | None:
        """Set form field values (``{"name", "value"}`` each) in this layer only."""
        return self._run(
            "Form not filled",
            lambda doc, user: self.engine.set_form_field_values(doc, self.layer, values, user=user),
        )

    def undo(self) -> Change | None:
        return self._run("Nothing undone", lambda doc, _: self.engine.undo(doc, self.layer))

    def redo(self) -> Change | None:
        return self._run("Nothing redone", lambda doc, _: self.engine.redo(doc, self.layer))

    def undo_label(self) -> str | None:
        """What Undo would do, in words for the screen (a layer a step names, hidden while
        names are)."""
        doc = self.document_id
        label = self.engine.undo_label(doc, self.layer) if doc and self.can_edit() else None
        return None if label is None else self.context.names.shown(label)

    def redo_label(self) -> str | None:
        doc = self.document_id
        label = self.engine.redo_label(doc, self.layer) if doc and self.can_edit() else None
        return None if label is None else self.context.names.shown(label)

    def records(self, kind: Kind | None = None, page: int | None = None) -> list[Record]:
        """What the edited layer shows now."""
        doc = self.document_id
        return self.engine.records(doc, self.layer, kind, page) if doc else []

    def _run(self, failure: str, mutation: Any) -> Change | None:
        doc = self.document_id
        if doc is None:
            return None
        if self.layer == BASE:
            reason = "the base layer comes from the PDF; switch to your own layer to annotate"
            self._fail(failure, reason)
            return None
        user = self.ensure_user(doc)
        created = not self.engine.has_layer(doc, self.layer)
        try:
            change: Change | None = mutation(doc, user)
        except EngineError as exc:
            self._fail(failure, str(exc))
            return None
        self.last_error = ""
        if created:
            self.context.changes.layer_set_changed()
        if change is not None and not change.empty:
            self.context.changes.record_change(change)
        emit(self.history_changed)
        return change

    def ensure_user(self, doc: str) -> str:
        """The user's name, asked for at their first change; if they were on the layer that
        stood for theirs (named after them, not created yet), they now edit the one named as
        they said (a layer their token is bound to keeps its name)."""
        if self.context.settings.user_name():
            return self.context.settings.user_name()
        standing_in = (
            self.context.bound_layer() is None
            and self.layer == self.default_layer()
            and not self.engine.has_layer(doc, self.layer)
        )
        name = self.user()
        if standing_in and name != self.layer:
            self.context.show_layer(name)
        return name

    def _fail(self, failure: str, reason: str) -> None:
        self.last_error = f"{failure}: {reason}"
        self.context.notify(self.last_error, 8000)
