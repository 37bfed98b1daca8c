"""The Properties dock: colour, width, opacity, font size and text of the selected annotations."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor, QFocusEvent, QIcon, QKeyEvent, QPainter, QPixmap
from PySide6.QtWidgets import (
    QColorDialog,
    QDockWidget,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSlider,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from reviewer_app.instant.records import Record
from reviewer_app.ui.annotations.marks import text_of
from reviewer_app.ui.core.keys import keeps_ctrl_enter
from reviewer_app.ui.tools.page_tools import PageTools
from reviewer_app.ui.tools.text_edit import refitted, text_content

COLOURS = {
    "strokeColor": "Line colour",
    "color": "Colour",
    "fontColor": "Text colour",
    "fillColor": "Fill",
    "backgroundColor": "Background",
}
NULLABLE = {"fillColor", "backgroundColor"}  # "None" is a choice (no fill)
WIDTHS = {"strokeWidth": "Width", "lineWidth": "Width"}
_SHAPE = ("strokeColor", "fillColor", "strokeWidth", "opacity")
_FREE_TEXT = ("fontColor", "backgroundColor", "strokeColor", "strokeWidth", "opacity", "fontSize")
TYPE_KEYS: dict[str, tuple[str, ...]] = {  # what each type uses, present in its record or not
    "pspdfkit/note": ("color", "opacity", "text"),
    "pspdfkit/comment-marker": ("color", "opacity"),  # its words are its comments
    "pspdfkit/text": (*_FREE_TEXT, "text"),
    "pspdfkit/ink": ("strokeColor", "lineWidth", "opacity"),
    **dict.fromkeys(("rectangle", "ellipse", "polygon", "polyline", "line"), _SHAPE),
    **dict.fromkeys(("highlight", "underline", "strikeout", "squiggly"), ("color", "opacity")),
    "pspdfkit/stamp": ("opacity",),
    "pspdfkit/image": ("opacity",),
}
KNOWN = (*COLOURS, *WIDTHS, "opacity", "fontSize", "text")


def keys_of(content: dict[str, Any]) -> set[str]:
    """The properties the panel edits on a record of this content."""
    kind = str(content.get("type", ""))
    uses = TYPE_KEYS.get(kind) or TYPE_KEYS.get(kind.rsplit("/", 1)[-1], ())
    return {k for k in KNOWN if k in content} | set(uses)


class ColourButton(QWidget):
    """A colour swatch that opens a colour dialog, and "None" where no colour is a choice.
    Emits ``chosen(value)``: ``#rrggbb`` or None."""

    chosen = Signal(object)

    def __init__(self, title: str, nullable: bool) -> None:
        super().__init__()
        self.title = title
        self.value: str | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.swatch = QToolButton()
        self.swatch.setAccessibleName(title)
        self.swatch.clicked.connect(self._ask)
        self.none = QToolButton()
        self.none.setText("None")
        self.none.clicked.connect(lambda: self.chosen.emit(None))
        self.none.setVisible(nullable)
        layout.addWidget(self.swatch)
        layout.addWidget(self.none)
        layout.addStretch(1)

    def show_value(self, value: Any, nullable: bool) -> None:
        self.value = value if isinstance(value, str) and QColor(value).isValid() else None
        pixmap = QPixmap(28, 16)
        pixmap.fill(QColor(self.value) if self.value else Qt.GlobalColor.white)
        if self.value is None:  # crossed out: no colour
            painter = QPainter(pixmap)
            painter.setPen(QColor("#c00000"))
            painter.drawLine(0, 15, 27, 0)
            painter.end()
        self.swatch.setIcon(QIcon(pixmap))
        self.swatch.setToolTip(self.value or "None")
        self.none.setVisible(nullable)

    def _ask(self) -> None:
        start = QColor(self.value) if self.value else QColor("#000000")
        colour = QColorDialog.getColor(start, self, self.title)
        if colour.isValid():
            self.chosen.emit(colour.name())


class OpacityControl(QWidget):
    """A 0–100 % slider and spin box; ``chosen(opacity 0–1)`` once per change (a drag of the
    slider counts once, at its release)."""

    chosen = Signal(float)

    def __init__(self) -> None:
        super().__init__()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, 100)
        self.slider.setAccessibleName("Opacity")
        self.spin = QSpinBox()
        self.spin.setRange(0, 100)
        self.spin.setSuffix(" %")
        self.spin.setKeyboardTracking(False)  # a change when typing is done, not per digit
        self.slider.valueChanged.connect(self._slid)
        self.slider.sliderReleased.connect(lambda: self.chosen.emit(self.slider.value() / 100))
        self.spin.valueChanged.connect(self._typed)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.spin)

    def show_value(self, value: Any) -> None:
        percent = round(float(value if isinstance(value, int | float) else 1.0) * 100)
        for control in (self.slider, self.spin):
            control.blockSignals(True)
            control.setValue(percent)
            control.blockSignals(False)

    def _slid(self, percent: int) -> None:
        self.spin.blockSignals(True)
        self.spin.setValue(percent)
        self.spin.blockSignals(False)
        if not self.slider.isSliderDown():  # keys or a click beside the handle
            self.chosen.emit(percent / 100)

    def _typed(self, percent: int) -> None:
        self.slider.blockSignals(True)
        self.slider.setValue(percent)
        self.slider.blockSignals(False)
        self.chosen.emit(percent / 100)


class TextBox(QPlainTextEdit):
    """The text of a note or free text; ``committed(text)`` on Ctrl+Enter or leaving it."""

    committed = Signal(str)

    def event(self, event: QEvent) -> bool:
        return keeps_ctrl_enter(event) or super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.committed.emit(self.toPlainText())
        else:
            super().keyPressEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if event.reason() != Qt.FocusReason.PopupFocusReason:
            self.committed.emit(self.toPlainText())


def _number(low: float, high: float, step: float, suffix: str) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(low, high)
    box.setSingleStep(step)
    box.setDecimals(1)
    box.setSuffix(suffix)
    box.setKeyboardTracking(False)
    return box


class PropertiesDock(QDockWidget):
    """Shows and edits the properties of the selected annotations (each edit is one engine
    change, applied to every selected record that uses the property), or, with nothing
    selected, those the current tool gives its new annotations."""

    def __init__(self, tools: PageTools, parent: QWidget | None = None) -> None:
        super().__init__("Properties", parent)
        self.setObjectName("properties-dock")
        self.tools = tools
        body = QWidget()
        outer = QVBoxLayout(body)
        self.form = QFormLayout()
        outer.addLayout(self.form)
        outer.addStretch(1)  # the rows at the top, however tall the dock
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.form.addRow(self.heading)
        self.colours: dict[str, ColourButton] = {}
        for key, title in COLOURS.items():
            button = self.colours[key] = ColourButton(title, key in NULLABLE)
            button.chosen.connect(lambda value, k=key: self.apply(k, value))
            self.form.addRow(title, button)
        self.widths: dict[str, QDoubleSpinBox] = {}
        for key, title in WIDTHS.items():
            spin = self.widths[key] = _number(0.0, 50.0, 0.5, " pt")
            spin.setAccessibleName(title)
            spin.valueChanged.connect(lambda value, k=key: self.apply(k, value))
            self.form.addRow(title, spin)
        self.opacity = OpacityControl()
        self.opacity.chosen.connect(lambda value: self.apply("opacity", value))
        self.form.addRow("Opacity", self.opacity)
        self.font_size = _number(4.0, 144.0, 1.0, " pt")
        self.font_size.setAccessibleName("Font size")
        self.font_size.valueChanged.connect(lambda value: self.apply("fontSize", value))
        self.form.addRow("Font size", self.font_size)
        self.text = TextBox()
        self.text.setAccessibleName("Text")
        self.text.setMaximumHeight(90)
        self.text.committed.connect(lambda value: self.apply("text", value))
        self.form.addRow("Text", self.text)
        self.setWidget(body)
        self.tools.selection_changed.connect(self.refresh)
        self.tools.tool_changed.connect(self.refresh)
        self.refresh()

    # -- showing ------------------------------------------------------------------------

    def shown(self) -> tuple[set[str], dict[str, Any]]:
        """The properties shown and their values (the first selected record's)."""
        selected = self.tools.selected
        if selected:
            keys = set().union(*(keys_of(r.content) for r in selected))
            values: dict[str, Any] = {}
            for record in reversed(selected):
                values.update({k: record.content.get(k) for k in keys_of(record.content)})
                values["text"] = text_of(record.content)
            if len(selected) > 1:
                keys.discard("text")  # one text for several notes is hardly ever meant
            return keys, values
        style = self.tools.style(self.tools.current)
        return {k for k in KNOWN if k in style and k != "text"}, style

    def refresh(self) -> None:
        keys, values = self.shown()
        selected = self.tools.selected
        if selected:
            count = len(selected)
            self.heading.setText(f"{count} annotation{'s' * (count != 1)} selected")
        elif keys:
            self.heading.setText(f"New {self.tools.current.title.replace('&', '')} annotations")
        else:
            self.heading.setText("Nothing selected")
        for key, button in self.colours.items():
            nullable = key in NULLABLE or values.get(key, "") is None
            button.show_value(values.get(key), nullable)
        for key, spin in self.widths.items():
            self._set_quietly(spin, values.get(key), 1.0)
        self.opacity.show_value(values.get("opacity", 1.0))
        self._set_quietly(self.font_size, values.get("fontSize"), 12.0)
        if not self.text.hasFocus():
            self.text.setPlainText(str(values.get("text") or ""))
        for key, widget in self._rows().items():
            self.form.setRowVisible(widget, key in keys)

    def _rows(self) -> dict[str, QWidget]:
        return {
            **self.colours,
            **self.widths,
            "opacity": self.opacity,
            "fontSize": self.font_size,
            "text": self.text,
        }

    @staticmethod
    def _set_quietly(spin: QDoubleSpinBox, value: Any, fallback: float) -> None:
        spin.blockSignals(True)
        spin.setValue(float(value) if isinstance(value, int | float) else fallback)
        spin.blockSignals(False)

    # -- editing ------------------------------------------------------------------------

    def apply(self, key: str, value: Any) -> None:
        """Set ``key`` to ``value`` on the selection (one change) or in the tool's style."""
        if not self.tools.selected:
            if key in self.tools.current.default_style:
                self.tools.set_style(self.tools.current, {key: value})
            self.refresh()
            return
        contents = [c for r in self.tools.selected if (c := self._changed(r, key, value))]
        if contents:
            self.tools.editor.update(contents)
        self.refresh()  # shows the engine's values (also when the change was refused)

    @staticmethod
    def _changed(record: Record, key: str, value: Any) -> dict[str, Any] | None:
        """``record``'s content with ``key`` set (None: removed), or None if no change."""
        old = record.content
        if key not in keys_of(old):
            return None
        new = {**old, "id": record.id}
        if key == "text":
            if text_of(old) == value:
                return None
            new["text"] = text_content(value)
        elif value is None:
            if key not in old:
                return None
            del new[key]
        elif old.get(key) == value:
            return None
        else:
            new[key] = value
        return refitted(old, new) if key in ("text", "fontSize") else new
