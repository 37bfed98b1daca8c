"""LayerComparing: Compare Layers and merging, with the Compare dock and the view's colours."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, QTimer, Signal

from reviewer_app.engine import Change, EngineError
from reviewer_app.instant.records import Record
from reviewer_app.ui.annotations.marks import Mark
from reviewer_app.ui.annotations.shapes import mark_of
from reviewer_app.ui.compare.comparison import Comparison, ComparisonOverlay, Difference
from reviewer_app.ui.compare.dock import CompareDock
from reviewer_app.ui.core.signals import emit
from reviewer_app.ui.core.tasks import Task, TaskRunner
from reviewer_app.ui.session.context import DocumentContext
from reviewer_app.ui.session.editor import LayerEditor
from reviewer_app.ui.viewer.page_view import PageView


class LayerComparing(QObject):
    """Layer A shown with B's differences drawn over it and listed in the Compare dock
    (``dock``); merging them either way, and undoing exactly the last merge.

    The layers are read and compared off the UI thread (a comparison of thousands of
    records takes longer than a frame), once layer A is shown (its display and the
    comparison each stall the UI thread less alone than together: a task holds the GIL half
    the time it runs), the view draws the pages near the viewport and the dock lists the
    differences a slice per event-loop turn; ``compared`` says when a comparison is wholly
    listed. A change to
    either layer compares them again. ``merges`` holds each merge's target layer and history
    step, newest last: Undo Merge undoes exactly that step, and is off once a later change
    sits on top of it."""

    compared = Signal(object)  # the Comparison shown

    def __init__(
        self,
        context: DocumentContext,
        editor: LayerEditor,
        view: PageView,
        tasks: TaskRunner,
        draw: Callable[[Record], Mark | None] = mark_of,
    ) -> None:
        super().__init__(context)
        self.context, self.engine, self.editor, self.view = context, context.engine, editor, view
        self.tasks = tasks
        self.dock = CompareDock(context.dialog_parent)
        self.dock.title, self.dock.author = context.names.title, context.names.author
        self.overlay = ComparisonOverlay(view, draw)  # B's side drawn as the pages draw it
        self.overlay.named = context.names.author
        self.comparison: Comparison | None = None
        self.running: Task | None = None
        self.shown = ""  # the layer the window shows (read and drawn), see layer_shown
        self.wanted: tuple[str, str] | None = None  # compared once layer A is shown
        self._starting = QTimer(self, singleShot=True, interval=0)  # after A's display
        self._starting.timeout.connect(lambda: self._start())
        self.merges: list[tuple[str, int]] = []  # (target layer, its history step)
        d = self.dock
        d.compare_requested.connect(self.compare)
        d.merge_requested.connect(self.merge)
        d.undo_requested.connect(self.undo_merge)
        d.close_requested.connect(self.close)
        d.filled.connect(lambda: emit(self.compared, self.comparison))

    def open(self, names: Sequence[str]) -> None:
        """Show the Compare dock, proposing the layer shown against the next one."""
        if self.comparison is None:
            a = self.context.layer
            others = [n for n in names if n != a]
            after = [n for n in names[names.index(a) + 1 :] if n in others] if a in names else []
            self.dock.set_layers(names, a, (after or others or [a])[0])
        self.dock.show()
        self.dock.raise_()
        self.dock.a_box.setFocus()

    def offer(self, names: Sequence[str]) -> None:
        """The layers changed: offer ``names`` for A and B, keeping the choices."""
        current = self.dock.a_box.currentData(), self.dock.b_box.currentData()
        self.dock.set_layers(names, *(c or "" for c in current))

    def compare(self, a: str, b: str) -> Task | None:
        """Show ``a`` with ``b``'s differences once they are found: the returned task, or
        None until ``a`` is shown (when it is read on a task: compared then)."""
        document = self.context.document
        if document is None:
            return None
        if self.running is not None:
            self.running.cancel()
            self.running = None
        if self.context.layer != a:
            self.context.show_layer(a)  # (shown at once when it is small)
        self.wanted = (a, b)
        box = self.dock.a_box
        offered = [box.itemData(i) for i in range(box.count())]
        self.dock.set_layers(
            [*offered, *(n for n in dict.fromkeys((a, b)) if n not in offered)], a, b
        )
        self.dock.set_waiting(self.context.names.title(a), self.context.names.title(b))
        if self.shown == a and self.context.layer == a:
            self._start()
        return self.running

    def layer_shown(self, name: str) -> None:
        """The window shows ``name`` now: a comparison of another A closes, one asked for
        with A ``name`` starts (one of another A is dropped: the user went elsewhere)."""
        self.shown = name
        wanted = self.wanted if self.wanted is not None and self.wanted[0] == name else None
        if self.comparison is not None and name != self.comparison.a:
            self.close()
        self.wanted = wanted
        if wanted is not None and self.running is None:
            self._starting.start()  # once the window's display of A (this turn's) is done

    def _start(self) -> None:
        document, wanted = self.context.document, self.wanted
        if document is None or wanted is None:
            return
        (a, b), engine, self.wanted = wanted, self.engine, None
        self.running = self.tasks.run(
            lambda _: Comparison(engine.diff(document.id, a, b)),
            name=f"compare {a} with {b}",
            returned=self._compared,
            errored=self._failed,
        )

    def _compared(self, comparison: Comparison) -> None:
        self.running = None
        if self.context.layer != comparison.a:  # the user went elsewhere meanwhile
            return
        self.comparison = comparison
        self.overlay.show(self.view.pages, comparison)
        self.dock.set_comparison(comparison, self.can_undo_merge())  # then ``compared``

    def _failed(self, exc: BaseException) -> None:
        self.running = None
        self.dock.set_failed(f"Could not compare: {exc}")

    def follow(self, change: Change) -> None:
        """A record change: compare again when it touched A or B."""
        if self.comparison and change.layer in (self.comparison.a, self.comparison.b):
            self.compare(self.comparison.a, self.comparison.b)

    def forget_layer(self, name: str) -> None:
        """Layer ``name`` was deleted: its merges can no longer be undone from here."""
        self.merges = [(target, step) for target, step in self.merges if target != name]

    def merge(self, differences: list[Difference], side: str) -> Change | None:
        """Copy ``differences`` (all, when empty) into layer A (``side`` "a") or B."""
        if self.comparison is None or self.context.document is None:
            return None
        a, b = self.comparison.a, self.comparison.b
        source, target = (b, a) if side == "a" else (a, b)
        keys = [d.key for d in differences] or None
        try:
            change = self.engine.copy_records(self.context.document.id, source, target, keys)
        except EngineError as exc:
            self.context.show_error("Not merged", str(exc))
            return None
        if change.step is not None:
            self.merges.append((target, change.step))
        self._record_change(change)
        return change

    def can_undo_merge(self) -> bool:
        """The last merge is still the newest step of its layer (nothing came on top)."""
        if not self.merges or self.context.document is None:
            return False
        target, step = self.merges[-1]
        return self.engine.can_undo_step(self.context.document.id, target, step)

    def undo_merge(self) -> Change | None:
        """Undo exactly the last merge; once a later change sits on top of it, say so (Edit >
        Undo in that layer takes the changes back one by one)."""
        if not self.merges or self.context.document is None:
            return None
        target, step = self.merges[-1]
        try:
            change = self.engine.undo_step(self.context.document.id, target, step)
        except EngineError as exc:
            self.context.show_error("Merge not undone", str(exc))
            return None
        self.merges.pop()
        self._record_change(change)
        return change

    def _record_change(self, change: Change) -> None:
        """Show a merge's change; it is a step of its layer's undo history too."""
        self.context.changes.record_change(change)
        if change.layer == self.context.layer:
            emit(self.editor.history_changed)

    def close(self) -> None:
        self.wanted = None
        if self.running is not None:
            self.running.cancel()
            self.running = None
        self.comparison = None
        self.overlay.clear()
        self.dock.set_comparison(None)
