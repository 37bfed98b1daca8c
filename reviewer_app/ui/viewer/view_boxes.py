"""The toolbar's page box and zoom box: type where to go or how big, see where you are."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QIntValidator, QKeyEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from reviewer_app.ui.viewer.page_view import CUSTOM, FIT_PAGE, FIT_WIDTH, PageView

ZOOMS = (50, 75, 100, 125, 150, 200, 300, 400)  # percent
FITS = {FIT_WIDTH: "Fit Width", FIT_PAGE: "Fit Page"}


class PageNumberBox(QWidget):
    """ "3 of 12": type a page number and press Enter to go there; it follows the page shown.
    The pages take the keys back after Enter or Esc."""

    def __init__(self, view: PageView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pages = view
        self.line = QLineEdit()
        self.line.setAccessibleName("Page number")
        self.line.setToolTip("Page number: type one and press Enter (Ctrl+G)")
        self.line.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.line.setMaximumWidth(56)
        self.validator = QIntValidator(1, 1, self.line)
        self.line.setValidator(self.validator)
        self.count = QLabel(" of 0")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.addWidget(self.line)
        layout.addWidget(self.count)
        self.line.returnPressed.connect(self.go)
        self.line.editingFinished.connect(self.show_page)
        view.current_page_changed.connect(lambda _: self.show_page())
        self.show_page()  # (the pages may be shown already: the window is built in stages)

    def show_page(self) -> None:
        """Show the page in view and the count (not while the user types a number)."""
        count = self.pages.page_count()
        self.setEnabled(count > 0)
        self.validator.setTop(max(1, count))
        self.count.setText(f" of {count}")
        if not self.line.hasFocus():
            self.line.setText(str(self.pages.current_page() + 1) if count else "")

    def go(self) -> None:
        text = self.line.text()
        if text.isdigit():
            self.pages.go_to_page(int(text) - 1)
        self.pages.setFocus(Qt.FocusReason.OtherFocusReason)
        self.show_page()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Esc (which the line passes on) gives the keys back to the pages."""
        if event.key() == Qt.Key.Key_Escape:
            self.pages.setFocus(Qt.FocusReason.OtherFocusReason)
            self.show_page()
            return
        super().keyPressEvent(event)


class ZoomBox(QComboBox):
    """The zoom: pick a size or a fit, or type a percentage and press Enter. It shows the
    zoom of the view, the fit's name while one is on."""

    def __init__(self, view: PageView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pages = view
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setAccessibleName("Zoom")
        self.setToolTip("Zoom: choose or type a percentage")
        self.setMinimumContentsLength(8)
        for fit, title in FITS.items():
            self.addItem(title, fit)
        for percent in ZOOMS:
            self.addItem(f"{percent} %", percent)
        self.activated.connect(self._chosen)
        line = self.lineEdit()
        assert line is not None
        line.returnPressed.connect(self._typed)
        view.zoom_changed.connect(lambda _: self.show_zoom())
        self.show_zoom()

    def show_zoom(self) -> None:
        line = self.lineEdit()
        if line is not None and line.hasFocus():
            return
        self.setEditText(FITS.get(self.pages.fit) or f"{self.pages.zoom * 100:.0f} %")

    def _chosen(self, index: int) -> None:
        value = self.itemData(index)
        if value in FITS:
            self.pages.set_fit(str(value))
        elif isinstance(value, int):
            self.pages.set_zoom(value / 100, CUSTOM)
        self.pages.setFocus(Qt.FocusReason.OtherFocusReason)
        self.show_zoom()

    def _typed(self) -> None:
        text = self.currentText().replace("%", "").strip()
        try:
            percent = float(text)
        except ValueError:
            percent = 0.0
        if percent > 0:
            self.pages.set_zoom(percent / 100, CUSTOM)
        self.pages.setFocus(Qt.FocusReason.OtherFocusReason)
        self.show_zoom()
