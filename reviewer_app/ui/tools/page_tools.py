"""Tools on the pages: ``Tool`` (what a drag over a page does) and ``PageTools``, which holds
the tool in use, routes the page view's mouse and keys to it, and holds the selected records."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, TypeGuard

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QKeyEvent, QMouseEvent, QPainter, QTabletEvent
from PySide6.QtWidgets import QGraphicsItem, QGraphicsView
from shiboken6 import isValid

from reviewer_app.engine import Change
from reviewer_app.instant.records import Record
from reviewer_app.ui.annotations.overlay import AnnotationOverlay
from reviewer_app.ui.core.signals import emit
from reviewer_app.ui.session.context import DocumentContext
from reviewer_app.ui.viewer.page_view import PageView
from reviewer_app.ui.viewer.text_selection import TextSelection

if TYPE_CHECKING:
    from reviewer_app.ui.session.editor import LayerEditor

PREVIEW_Z = 20.0  # what a tool draws while the mouse is down: above the annotations


@dataclass(frozen=True)
class PagePoint:
    """Where the mouse is: page ``page`` and ``pos`` in its Instant coordinates (points, the
    unrotated page, y down; clamped to the page while a button is held), and the scene point."""

    page: int
    pos: QPointF
    scene: QPointF


class Tool:
    """One tool of the annotation toolbar. Subclasses set the class attributes and override
    the event methods they need (each returns True when it used the event).

    ``style()`` gives the properties new annotations take (``default_style`` overlaid with the
    user's last choices, see the properties panel); create records with ``self.tools.editor``.
    Items drawn while the mouse is down go under ``self.tools.page_space(page)`` at
    :data:`PREVIEW_Z` and are removed on release or :meth:`cancel`."""

    name: ClassVar[str] = ""  # settings key and action object name
    title: ClassVar[str] = ""  # menu text with its & accelerator
    shortcuts: ClassVar[tuple[str, ...]] = ()  # "1".."9" like Okular, then a letter
    cursor: ClassVar[Qt.CursorShape] = Qt.CursorShape.CrossCursor
    home: ClassVar[bool] = False  # the tool Esc returns to, usable on the base layer (select)
    default_style: ClassVar[dict[str, Any]] = {}  # Instant keys → values for new records

    def __init__(self, tools: PageTools) -> None:
        self.tools = tools

    # -- lifetime -----------------------------------------------------------------------

    def activate(self) -> None:
        """The tool was chosen."""

    def deactivate(self) -> None:
        """Another tool was chosen (or the document closed): drop what is in progress."""
        self.cancel()

    def cancel(self) -> None:
        """Drop a drawing in progress (Esc); nothing is written."""

    def finish(self) -> None:
        """The layer shown is about to change: keep what is being typed, drop a drawing in
        progress (the default)."""
        self.cancel()

    # -- events (``at`` is None when the mouse is over no page) --------------------------

    def press(self, at: PagePoint | None, event: QMouseEvent) -> bool:
        return False

    def move(self, at: PagePoint | None, event: QMouseEvent) -> bool:
        return False

    def release(self, at: PagePoint | None, event: QMouseEvent) -> bool:
        return False

    def double_click(self, at: PagePoint | None, event: QMouseEvent) -> bool:
        return False

    def key_press(self, event: QKeyEvent) -> bool:
        return False

    def take_typed(self, text: str) -> bool:
        """``text``, another tool's key, typed where the window's focus does not take it (a
        list, a button): True if this tool takes it instead (the tool is not changed)."""
        return False

    # -- helpers ------------------------------------------------------------------------

    def starts_drawing(self, at: PagePoint | None, event: QMouseEvent) -> TypeGuard[PagePoint]:
        """A left press on a page of a layer that can change (else the tool draws nothing)."""
        return (
            at is not None
            and event.button() == Qt.MouseButton.LeftButton
            and self.tools.editor.can_edit()
        )

    def style(self) -> dict[str, Any]:
        return self.tools.style(self)

    def tooltip(self) -> str:
        keys = " or ".join(self.shortcuts)
        return f"{self.title.replace('&', '')} ({keys})" if keys else self.title.replace("&", "")

    def draw_icon(self, painter: QPainter, rect: QRectF) -> None:
        """Paint the toolbar icon into ``rect`` (the default: the tool's first letter)."""
        font = QFont()
        font.setPixelSize(int(rect.height() * 0.7))
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor("#303030"))
        letter = self.title.replace("&", "")[:1]
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), letter)


FieldAt = Callable[[int, QPointF], object | None]

_MOUSE = {
    QEvent.Type.MouseButtonPress: "press",
    QEvent.Type.MouseMove: "move",
    QEvent.Type.MouseButtonRelease: "release",
    QEvent.Type.MouseButtonDblClick: "double_click",
}
_TABLET = (QEvent.Type.TabletPress, QEvent.Type.TabletMove, QEvent.Type.TabletRelease)


def typed(value: Any, like: Any) -> Any:
    """A value read back from the settings (INI gives strings) in the type of ``like``."""
    if isinstance(like, bool):
        return value if isinstance(value, bool) else str(value).lower() in ("true", "1")
    try:
        if isinstance(like, int):
            return int(float(str(value)))
        if isinstance(like, float):
            return float(str(value))
    except ValueError:
        return like
    if like is None and value in ("", "@Invalid()"):
        return None
    return value


class PageTools(QObject):
    """Holds one instance of each tool of ``tool_classes`` and the one in use (``current``);
    routes the page view's mouse, tablet and key events to it. ``selected`` holds the records
    chosen with the select tool; it follows the layer's changes.

    Tools draw with what it is given: the ``context`` (document, layer, settings, messages),
    the ``editor`` that writes their records, the ``view``, the ``overlay`` of the layer's
    annotations, the ``text`` selection (and the words of each page), and ``field_at(page,
    pos)``, the fillable form field at a page point (a press there goes to the form).

    Emits ``tool_changed(name)`` and ``selection_changed()``."""

    tool_changed = Signal(str)
    selection_changed = Signal()

    def __init__(
        self,
        context: DocumentContext,
        editor: LayerEditor,
        view: PageView,
        overlay: AnnotationOverlay,
        text: TextSelection,
        tool_classes: Sequence[type[Tool]],
        field_at: FieldAt,
    ) -> None:
        super().__init__(context)
        self.context, self.editor, self.view = context, editor, view
        self.overlay, self.text, self.field_at = overlay, text, field_at
        self.by_name: dict[str, Tool] = {}
        for cls in tool_classes:
            self.by_name[cls.name] = cls(self)
        self.current: Tool = next(iter(self.by_name.values()))
        self.selected: list[Record] = []
        self.pressure: float | None = None  # of the last tablet event; None for a mouse
        self._down_page: int | None = None
        self._on_field = False  # the press went to a form field (see ui/forms.py)
        self.view.viewport().installEventFilter(self)
        self.view.installEventFilter(self)

    # -- the tool -----------------------------------------------------------------------

    def choose(self, name: str) -> None:
        """Use tool ``name`` from now on (every tool takes left drags; the wheel, the scroll
        bars and a middle-button drag with the select tool scroll)."""
        tool = self.by_name[name]
        if tool is not self.current:
            self.current.deactivate()
            self.current = tool
            tool.activate()
        if not tool.home:
            self.text.set_active(False)
        self.apply_cursor()
        emit(self.tool_changed, name)

    def apply_cursor(self) -> None:
        """The view takes no drag of its own; the viewport shows the tool's cursor (not while
        text is being selected)."""
        if self.text.active:
            return
        self.view.setDragMode(QGraphicsView.DragMode.NoDrag)
        self.view.viewport().setCursor(self.current.cursor)

    def style(self, tool: Tool) -> dict[str, Any]:
        """``tool.default_style`` overlaid with the user's last choices for it."""
        saved = self.context.settings.tool_style(tool.name)
        return {k: typed(saved[k], v) if k in saved else v for k, v in tool.default_style.items()}

    def set_style(self, tool: Tool, values: dict[str, Any]) -> None:
        self.context.settings.set_tool_style(tool.name, values)

    # -- pages --------------------------------------------------------------------------

    def page_space(self, page: int) -> QGraphicsItem:
        """The item whose coordinates are page ``page``'s Instant points (parent previews here)."""
        return self.view.pages[page].space

    def point_at(self, scene: QPointF, page: int | None = None) -> PagePoint | None:
        """The page point under ``scene``; on page ``page`` (clamped to it) when given."""
        if page is None:
            item = self.view.page_at(scene)
            return None if item is None else PagePoint(item.index, item.to_page(scene), scene)
        if not 0 <= page < len(self.view.pages):
            return None
        item = self.view.pages[page]
        pos = item.to_page(scene)
        width, height = item.unrotated
        clamped = QPointF(min(max(pos.x(), 0.0), width), min(max(pos.y(), 0.0), height))
        return PagePoint(page, clamped, scene)

    # -- selection ----------------------------------------------------------------------

    def select(self, records: Sequence[Record]) -> None:
        self.selected = list(records)
        emit(self.selection_changed)

    def follow(self, change: Change) -> None:
        """Keep ``selected`` up to date with a change of the edited layer."""
        if change.layer != self.context.layer or not self.selected:
            return
        new = {r.key: r for r in change.upserted}
        gone = set(change.deleted)
        kept = [new.get(r.key, r) for r in self.selected if r.key not in gone]
        if kept != self.selected:
            self.select(kept)

    # -- events -------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self.context.document is None or self.text.active or not isValid(self.view):
            return False  # (the view goes before its viewport: a window built in stages)
        kind = event.type()
        if kind in _TABLET and isinstance(event, QTabletEvent):
            self.pressure = event.pressure() if kind != QEvent.Type.TabletRelease else None
            return False  # Qt then sends the matching mouse event
        if watched is self.view and isinstance(event, QKeyEvent):
            return kind == QEvent.Type.KeyPress and self._key(event)
        if watched is self.view.viewport() and kind in _MOUSE and isinstance(event, QMouseEvent):
            return self._mouse(_MOUSE[kind], event)
        return False

    def _mouse(self, what: str, event: QMouseEvent) -> bool:
        scene = self.view.mapToScene(event.position().toPoint())
        if what in ("press", "double_click"):
            at = self.point_at(scene)
            self._down_page = at.page if at is not None else None
        elif self._down_page is not None:
            at = self.point_at(scene, self._down_page)
        else:
            at = self.point_at(scene)
        if what == "release":
            self._down_page = None
        if what in ("press", "double_click"):  # with the select tool, a field takes its click
            on_field = at is not None and self.field_at(at.page, at.pos) is not None
            self._on_field = self.current.home and on_field
        if self._on_field:
            self._on_field = what != "release"
            return False
        handled: bool = getattr(self.current, what)(at, event)
        return handled

    def _key(self, event: QKeyEvent) -> bool:
        if self.current.key_press(event):
            return True
        if event.key() == Qt.Key.Key_Escape and not self.current.home:  # back to selecting
            self.current.cancel()
            self.choose(next(n for n, t in self.by_name.items() if t.home))
            return True
        return False
