"""ToolActions: a checkable action per tool (text, shortcut, icon), one checked at a time."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRectF, Qt
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QIcon,
    QKeySequence,
    QPainter,
    QPixmap,
    QShortcutEvent,
)

from reviewer_app.ui.tools.page_tools import PageTools, Tool

ICON_SIZE = 32


def tool_icon(tool: Tool) -> QIcon:
    """The tool's icon, painted by the tool itself (crisp at two sizes)."""
    icon = QIcon()
    for size in (ICON_SIZE, ICON_SIZE * 2):
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.scale(size / ICON_SIZE, size / ICON_SIZE)
        tool.draw_icon(painter, QRectF(3, 3, ICON_SIZE - 6, ICON_SIZE - 6))
        painter.end()
        icon.addPixmap(pixmap)
    return icon


class ToolAction(QAction):
    """A tool's action; its key first offered to the tool chosen (``take_typed``): the
    points tool takes a digit as the start of a mark, wherever it is typed."""

    def __init__(self, title: str, tools: PageTools, parent: QObject) -> None:
        super().__init__(title, parent)
        self.tools = tools

    def event(self, event: QEvent) -> bool:
        if isinstance(event, QShortcutEvent) and self.tools.current.take_typed(
            event.key().toString()
        ):
            return True
        return super().event(event)


class ToolActions(QObject):
    """One checkable QAction per tool of ``tools`` in ``by_name`` (tool order), exclusive. The
    keys work wherever the focus is in the window but in a text being typed (a text field,
    a note being written on the page), which takes them first, and but for a key the tool
    chosen takes (:class:`ToolAction`)."""

    def __init__(self, tools: PageTools, parent: QObject) -> None:
        super().__init__(parent)
        self.tools = tools
        self.group = QActionGroup(self)
        self.group.setExclusive(True)
        self.by_name: dict[str, QAction] = {}
        for name, tool in tools.by_name.items():
            action = ToolAction(tool.title, tools, parent)
            action.setObjectName(f"tool-{name}")
            action.setCheckable(True)
            action.setToolTip(tool.tooltip())
            action.setIcon(tool_icon(tool))
            action.setShortcuts([QKeySequence(k) for k in tool.shortcuts])
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(lambda _=False, n=name: tools.choose(n))
            make_menu = getattr(tool, "make_menu", None)
            if make_menu is not None:  # a tool with choices (the stamps) offers them in a menu
                action.setMenu(make_menu(parent))
            self.group.addAction(action)
            self.by_name[name] = action
        self.by_name[tools.current.name].setChecked(True)
        tools.tool_changed.connect(lambda n: self.by_name[n].setChecked(True))

    def actions(self) -> list[QAction]:
        return list(self.by_name.values())

    def update_enabled(self, can_edit: bool) -> None:
        for name, action in self.by_name.items():
            action.setEnabled(can_edit or self.tools.by_name[name].home)
