"""The viewer window: opening, navigating, zooming, rotating and the render worker's lifetime."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog
from pytestqt.qtbot import QtBot

from reviewer_app.engine import LayerEngine
from reviewer_app.ui.main_window import MainWindow
from reviewer_app.ui.viewer.page_view import FIT_PAGE, FIT_WIDTH
from tests.ui.conftest import make_pdf, open_and_wait


def test_open_shows_pages_and_renders_only_near_the_viewport(
    qtbot: QtBot, window: MainWindow, sample_pdf: Path
) -> None:
    window.view.set_zoom(1.0)  # 100 %: a page or two in view
    open_and_wait(qtbot, window, sample_pdf)
    assert window.view.page_count() == 12
    assert window.view.current_page() == 0
    assert window.view.rendered_pages <= {0, 1, 2}
    assert window.windowTitle().startswith("sample.pdf")


def test_only_pages_something_is_drawn_on_get_an_instant_space(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    """A thousand pages are laid out at once; the child item that holds a page's
    annotations, forms and tool items is made when something is put on the page."""
    open_and_wait(qtbot, window, make_pdf(tmp_path / "long.pdf", pages=80))
    view = window.view
    made = [page.index for page in view.pages if page._space is not None]
    assert made == [1]  # the page with a highlight, in view
    view.go_to_page(60)
    space = window.tools.page_space(60)  # where a tool puts its items on page 60
    assert space is view.pages[60].space and space.parentItem() is view.pages[60]
    assert [page.index for page in view.pages if page._space is not None] == [1, 60]


def test_page_down_go_to_page_home_and_end(
    qtbot: QtBot, window: MainWindow, sample_pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_and_wait(qtbot, window, sample_pdf)
    view, actions = window.view, window.viewer_actions
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_PageDown)
    qtbot.waitUntil(lambda: view.current_page() == 1)
    monkeypatch.setattr(QInputDialog, "getInt", lambda *args, **kwargs: (7, True))
    actions.go_to_page.trigger()
    assert view.current_page() == 6
    qtbot.waitUntil(lambda: 6 in view.rendered_pages)
    actions.last_page.trigger()
    assert view.current_page() == 11
    actions.first_page.trigger()
    assert view.current_page() == 0
    actions.previous_page.trigger()
    assert view.current_page() == 0


def test_zoom_fit_width_actual_size_and_rotation(
    qtbot: QtBot, window: MainWindow, sample_pdf: Path
) -> None:
    open_and_wait(qtbot, window, sample_pdf)
    view, actions = window.view, window.viewer_actions
    actions.actual_size.trigger()
    assert view.zoom == pytest.approx(1.0)
    actions.zoom_in.trigger()
    assert view.zoom == pytest.approx(1.25)
    scale = view.render_scale()
    qtbot.waitUntil(lambda: any(k[1] == scale for k in view.cache._images))
    actions.fit_width.trigger()
    assert view.fit == FIT_WIDTH and actions.fit_width.isChecked()
    page_width = view.mapFromScene(view.pages[0].sceneBoundingRect()).boundingRect().width()
    assert abs(view.viewport().width() - page_width) < 40
    actions.fit_page.trigger()
    assert view.fit == FIT_PAGE
    page_height = view.mapFromScene(view.pages[0].sceneBoundingRect()).boundingRect().height()
    assert page_height <= view.viewport().height()
    actions.rotate_right.trigger()
    rect = view.pages[0].sceneBoundingRect()
    assert rect.width() > rect.height()
    actions.rotate_left.trigger()
    rect = view.pages[0].sceneBoundingRect()
    assert rect.width() < rect.height()


def test_recent_files_and_last_page_are_remembered(
    qtbot: QtBot, engine: LayerEngine, sample_pdf: Path, settings_in_tmp: Path
) -> None:
    first = MainWindow(engine)
    qtbot.addWidget(first)
    first.show()
    open_and_wait(qtbot, first, sample_pdf)
    first.view.go_to_page(4)
    first.close()
    assert list(settings_in_tmp.rglob("*.ini")), "settings are written under the test's folder"
    second = MainWindow(engine)
    qtbot.addWidget(second)
    assert second.settings.recent_files() == [str(sample_pdf.resolve())]
    second.show()
    open_and_wait(qtbot, second, sample_pdf)
    assert second.view.current_page() == 4
    screen = second.screen().availableGeometry()
    assert screen.contains(second.geometry().topLeft())


def test_render_worker_stops_when_the_window_closes(
    qtbot: QtBot, engine: LayerEngine, sample_pdf: Path
) -> None:
    window = MainWindow(engine)
    qtbot.addWidget(window)
    window.show()
    open_and_wait(qtbot, window, sample_pdf)
    pid = window.client.pid
    os.kill(pid, 0)  # running
    window.close()
    assert window.client.process.poll() is not None
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_a_document_opens_at_fit_width_even_after_the_empty_window_was_resized(
    qtbot: QtBot, window: MainWindow, sample_pdf: Path
) -> None:
    """Resizing the window before any document is open used to turn the fit into a custom
    zoom, so the first document opened at 100 % and cut off."""
    before = window.view.viewport().width()
    window.resize(window.width() + 40, window.height() + 30)
    qtbot.waitUntil(lambda: window.view.viewport().width() != before)  # the view resized
    assert window.view.fit == FIT_WIDTH
    open_and_wait(qtbot, window, sample_pdf)
    assert window.view.fit == FIT_WIDTH
    page = window.view.pages[window.view.current_page()].sceneBoundingRect()
    shown = page.width() * window.view.pixels_per_point()
    assert abs(shown - (window.view.viewport().width() - 12)) < 1  # the page fills the width


def test_fit_width_settles_whatever_the_window_height(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    """A page about as tall as the view at fit width: the zoom must not make a scroll bar
    come and go, which changed the width to fit, then the zoom, without end (a hang)."""
    open_and_wait(qtbot, window, make_pdf(tmp_path / "two.pdf", pages=2))
    view = window.view
    for height in range(300, 700, 40):
        window.resize(window.width(), height)
        qtbot.waitUntil(lambda h=height: window.height() == h or window.height() > h)
        width, zoom = view.viewport().width(), view.zoom
        view.apply_fit()
        assert (view.viewport().width(), view.zoom) == (width, zoom)
        assert view.fit == FIT_WIDTH
