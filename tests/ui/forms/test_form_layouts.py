"""Field values laid out as the PDF lays them out (issue 17, finding 7): centred and right
aligned by /Q, lines broken at carriage returns, a comb field's characters one per cell."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QDockWidget
from pytestqt.qtbot import QtBot

from reviewer_app.ui.core.settings import ViewerSettings
from reviewer_app.ui.forms.field_items import FieldItem
from reviewer_app.ui.main_window import MainWindow
from tests.pdf import cases
from tests.ui.conftest import open_and_wait
from tests.ui.tools.conftest import USER, viewport_point

ZOOM = 1.25  # the whole fields in the viewport


@pytest.fixture
def layouts(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> MainWindow:
    ViewerSettings().set_user_name(USER)
    path = tmp_path / "layouts.pdf"
    path.write_bytes(cases.form_layouts())
    open_and_wait(qtbot, window, path)
    for dock in window.findChildren(QDockWidget):
        dock.hide()
    window.view.set_zoom(ZOOM)
    window.view.go_to_page(0)
    qtbot.waitUntil(lambda: len(window.forms.items.get(0, [])) == 4)
    return window


def field(window: MainWindow, name: str) -> FieldItem:
    (item,) = window.forms.items_of(name)
    return item


def scale(window: MainWindow) -> float:
    """Pixels per page point on screen."""
    return (
        float(viewport_point(window, 0, (100, 0)).x() - viewport_point(window, 0, (0, 0)).x()) / 100
    )


def ink(
    window: MainWindow, item: FieldItem, test: Callable[[QColor], bool] | None = None
) -> list[tuple[int, int]]:
    """The dark pixels of the value on screen (or those passing ``test``), inside the
    field's border (pixels from the field's top-left)."""
    test = test or (lambda c: c.lightness() < 100)
    view = window.view
    view.viewport().repaint()
    shot: QImage = view.viewport().grab().toImage()
    x, y, w, h = item.widget.rect
    corner, zoom = viewport_point(window, 0, (x, y)), scale(window)
    found = []
    for px in range(int(2 * zoom), int((w - 2) * zoom)):
        for py in range(int(2 * zoom), int((h - 2) * zoom)):
            at = (corner.x() + px, corner.y() + py)
            inside = 0 <= at[0] < shot.width() and 0 <= at[1] < shot.height()
            if inside and test(QColor(shot.pixel(*at))):
                found.append((px, py))
    return found


def test_values_are_centred_and_right_aligned_by_q(qtbot: QtBot, layouts: MainWindow) -> None:
    centred, right = field(layouts, "centred"), field(layouts, "right")
    assert (centred.widget.align, right.widget.align) == ("center", "right")
    zoom = scale(layouts)
    width = centred.widget.rect[2] * zoom
    xs = [x for x, _ in ink(layouts, centred)]
    assert xs and abs((min(xs) + max(xs)) / 2 - width / 2) < 3 * zoom
    xs = [x for x, _ in ink(layouts, right)]
    assert xs and width - max(xs) < 6 * zoom and min(xs) > width / 3


def test_carriage_returns_break_the_lines(qtbot: QtBot, layouts: MainWindow) -> None:
    rows = sorted({y for _, y in ink(layouts, field(layouts, "lines"))})
    lines = 1 + sum(1 for a, b in itertools.pairwise(rows) if b - a > 1)
    assert lines == 3  # "line one\rline two\rline three", not one line


def test_a_comb_field_puts_each_character_in_its_cell(qtbot: QtBot, layouts: MainWindow) -> None:
    comb = field(layouts, "comb")
    assert comb.widget.comb and comb.widget.max_length == 6
    cell = comb.widget.rect[2] * scale(layouts) / 6
    columns = sorted({x for x, _ in ink(layouts, comb)})
    used = {int(x // cell) for x in columns}
    assert used == set(range(6))  # "AB1234": one character in each of the 6 cells
    for index in range(6):
        xs = [x for x in columns if int(x // cell) == index]
        middle = (min(xs) + max(xs)) / 2
        assert abs(middle - (index + 0.5) * cell) < cell / 4  # centred in it
    lines = {round(x / cell) for x, _ in ink(layouts, comb, parting)}
    assert lines >= {1, 2, 3, 4, 5}  # the cells parted by lines, as readers draw them


def parting(c: QColor) -> bool:
    """The colour of a field's border and of a comb's lines (not the value's ink)."""
    return 100 <= c.lightness() < 225 and c.blue() > c.red() + 20
