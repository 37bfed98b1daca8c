"""Help: a sheet of every keyboard shortcut (built from the window's own menus) and About."""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMenu,
    QMessageBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from reviewer_app import __version__

ON_THE_PAGE = (
    ("Esc", "back to the select tool; with the select tool, choose nothing"),
    ("Arrow keys (Shift: by 10 pt)", "move the chosen annotations by 1 pt"),
    ("Delete or Backspace", "delete the chosen annotations"),
    ("Double-click a note or free text", "edit its text in place"),
    ("Ctrl+Enter, Esc or a click elsewhere", "keep the text being typed (Ctrl+Z takes it back)"),
    ("Shift while drawing", "squares, circles, 45° lines; keep proportions when resizing"),
    ("Enter or double-click", "end a polygon or polyline (Backspace removes a corner)"),
    ("Tab, Shift+Tab", "into the form, or keep a field's text and go to the next or previous"),
    ("Space on a field reached with Tab", "tick the box, pick the button, show the choices"),
    ("Digits with the points tool (Q)", "points for the current question: +2, −1 or 2/5, Enter"),
    ("Ctrl+wheel", "zoom"),
    ("Middle-button drag", "scroll"),
)


KEY_NAMES = {"Home", "End", "Del", "Backspace", "PgDown", "PgUp", "Esc", "Return", "Tab", "Space"}


def typable(keys: str) -> bool:
    """A key sequence a keyboard has (not F13 and up, nor a named "Copy" or "Zoom In" key)."""
    last = keys.split("+")[-1] if keys != "+" else "+"
    if last.startswith("F") and last[1:].isdigit():
        return int(last[1:]) <= 12
    return len(last) <= 1 or last in KEY_NAMES or last.isdigit() or "+" in keys


def shortcut_rows(menu: QMenu) -> list[tuple[str, str]]:
    """(what, keys) for every action of ``menu`` and its submenus that has a shortcut."""
    rows: list[tuple[str, str]] = []
    for action in menu.actions():
        submenu = action.menu()
        if isinstance(submenu, QMenu) and not action.shortcuts():
            rows += shortcut_rows(submenu)
            continue
        named = (k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts())
        keys = [k for k in named if typable(k)]
        if keys and action.text():
            rows.append((action.text().replace("&", "").rstrip("…"), " or ".join(keys)))
    return rows


def sheet_html(menus: Sequence[QMenu]) -> str:
    """The shortcut sheet: a table per menu, then the keys of the page itself."""
    parts = ["<h2>Keyboard shortcuts</h2>"]
    sections = [(m.title().replace("&", ""), shortcut_rows(m)) for m in menus]
    sections.append(("On the page", [(what, keys) for keys, what in ON_THE_PAGE]))
    for title, rows in sections:
        if not rows:
            continue
        parts.append(f"<h3>{html.escape(title)}</h3><table cellspacing='0' cellpadding='3'>")
        for what, keys in rows:
            parts.append(
                f"<tr><td width='45%'><b>{html.escape(keys)}</b></td>"
                f"<td>{html.escape(what)}</td></tr>"
            )
        parts.append("</table>")
    return "".join(parts)


class ShortcutSheet(QDialog):
    """Help > Keyboard Shortcuts: every shortcut of the window's menus, menu by menu."""

    def __init__(self, menus: Sequence[QMenu], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard Shortcuts — Reviewer")
        self.resize(560, 640)
        self.text = QTextBrowser()
        self.text.setAccessibleName("Keyboard shortcuts")
        self.text.setHtml(sheet_html(menus))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)


def about_html(data_dir: Path, settings_file: str) -> str:
    return (
        f"<h3>Reviewer {html.escape(__version__)}</h3>"
        "<p>Review PDFs in layers: one PDF stored once, every person's annotations in a layer "
        "of their own.</p>"
        "<p>Free software under the GNU Affero General Public License, version 3 or later "
        "(AGPL-3.0-or-later), as PyMuPDF, which Reviewer is built on, is AGPL-3.0.</p>"
        f"<p>Your layers are kept in:<br><code>{html.escape(str(data_dir))}</code></p>"
        f"<p>Settings:<br><code>{html.escape(settings_file)}</code></p>"
    )


class WindowHelp(QObject):
    """The Help menu's actions: Keyboard Shortcuts (F1) and About Reviewer."""

    def __init__(self, window: QWidget, data_dir: Path, settings_file: str) -> None:
        super().__init__(window)
        self.window, self.data_dir, self.settings_file = window, data_dir, settings_file
        self.menus: list[QMenu] = []
        self.sheet: ShortcutSheet | None = None
        self.shortcuts = QAction("&Keyboard Shortcuts", window)
        self.shortcuts.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
        self.shortcuts.triggered.connect(self.show_shortcuts)
        self.about = QAction("&About Reviewer", window)
        self.about.triggered.connect(self.show_about)

    def actions(self) -> list[QAction]:
        return [self.shortcuts, self.about]

    def show_shortcuts(self) -> None:
        self.sheet = ShortcutSheet(self.menus, self.window)
        self.sheet.show()

    def show_about(self) -> None:
        QMessageBox.about(
            self.window, "About Reviewer", about_html(self.data_dir, self.settings_file)
        )
