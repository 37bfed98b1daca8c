"""The app's start in two stages (MainWindow(staged=True), as ``reviewer-app FILE`` builds it):
the page view shows the first page before the rest of the window is built; the docks, menus,
toolbars, tools and panels come once it is sharp, in the places the stand-in docks kept for
them, so the page is not laid out again. Keys and clicks meanwhile act on the pages or do
nothing, and a window closed before the rest came stops cleanly."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QToolBar
from pytestqt.qtbot import QtBot

from reviewer_app.engine import LayerEngine
from reviewer_app.ui.core.settings import ViewerSettings
from reviewer_app.ui.main_window import MainWindow
from tests.conftest import modules_loaded_by
from tests.ui.conftest import layer_read


def staged(qtbot: QtBot, engine: LayerEngine, pdf: Path) -> MainWindow:
    """A window started as the app starts it: shown, then asked to open ``pdf``."""
    window = MainWindow(engine, ViewerSettings(), staged=True)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.open_file(pdf)
    return window


def layout(window: QMainWindow) -> dict[str, tuple[object, bool, frozenset[str]]]:
    """Each dock's side, whether it is hidden, and the docks in tabs with it."""
    return {
        dock.objectName(): (
            window.dockWidgetArea(dock),
            not dock.isHidden(),
            frozenset(d.objectName() for d in window.tabifiedDockWidgets(dock)),
        )
        for dock in window.findChildren(QDockWidget)
        if window.dockWidgetArea(dock) != Qt.DockWidgetArea.NoDockWidgetArea
    }


def in_front(window: QMainWindow) -> set[str]:
    """The docks shown: each alone or the tab in front of its group."""
    docks = window.findChildren(QDockWidget)
    return {d.objectName() for d in docks if not d.visibleRegion().isEmpty()}


def test_the_app_module_does_not_load_the_rooms_or_engine_the_first_page_does_not_need() -> None:
    late = (
        "reviewer_app.ui.window_rooms",
        "reviewer_app.ui.grading.grading",
        "reviewer_app.ui.review.layer_review",
        "reviewer_app.ui.tools.page_tools",
        "reviewer_app.importing",
        "reviewer_app.engine",
    )
    assert modules_loaded_by("import reviewer_app.ui.app", late) == []


def test_the_first_page_shows_first_then_the_rest_in_the_same_layout(
    qtbot: QtBot, engine: LayerEngine, sample_pdf: Path, tmp_path: Path
) -> None:
    """The stand-ins hold the real docks' room, at the first start (its sizes) and at the
    next (the layout kept then): the page is not laid out and drawn again when the rest
    comes. Nor does it move down (the stand-in menu bar and toolbars were as tall)."""
    once = staged(qtbot, engine, sample_pdf)
    top: list[tuple[bool, QPoint, int, float]] = []  # (built yet, where the pages start, their
    once.view.page_sharp.connect(  # width and scale) at the first sharp paint
        lambda _: top.append(
            (
                once.built,
                once.view.mapTo(once, QPoint()),
                once.view.width(),
                once.view.render_scale(),
            )
        )
    )
    qtbot.waitUntil(lambda: bool(top), timeout=15000)
    assert not top[0][0] and top[0][1].y() > 0  # under the stand-in menu bar and toolbars
    qtbot.waitUntil(lambda: once.built and once.document is not None, timeout=15000)
    assert once.view.mapTo(once, QPoint()) == top[0][1]
    assert (once.view.width(), once.view.render_scale()) == top[0][2:]
    layer_read(qtbot, once)
    qtbot.waitUntil(lambda: ViewerSettings().window_state() is not None)  # kept at once
    assert in_front(once) == {"thumbnails", "review-panel", "annotation-list"}
    window = staged(qtbot, engine, sample_pdf)  # (the first one not closed: as if killed)
    assert not window.built and window.menuBar().actions()  # the menus' titles, greyed
    assert not any(action.isEnabled() for action in window.menuBar().actions())
    first: list[tuple[bool, int, float, QPoint]] = []  # (built yet, the view's width, scale,
    window.view.page_sharp.connect(  # where it is) at the first sharp paint
        lambda _: first.append(
            (
                window.built,
                window.view.width(),
                window.view.render_scale(),
                window.view.mapTo(window, QPoint()),
            )
        )
    )
    qtbot.waitUntil(lambda: bool(first), timeout=15000)
    assert first[0][0] is False  # the page was sharp before the rest was built
    qtbot.waitUntil(lambda: window.built and window.document is not None, timeout=15000)
    layer_read(qtbot, window)
    assert window.view.width() == first[0][1]  # the real docks took the stand-ins' room
    assert window.view.render_scale() == first[0][2]
    assert window.view.mapTo(window, QPoint()) == first[0][3]  # not moved down nor aside
    assert window.thumbnails.model.rowCount() == len(window.view.pages)
    assert window.menuBar().actions() and window.file_menu.isEnabled()
    assert [bar.isHidden() for bar in window.findChildren(QToolBar)] == [False, False]
    assert window.page_box.count.text() == f" of {len(window.view.pages)}"  # built after
    assert not [d for d in window.findChildren(QDockWidget) if "stand-in" in d.objectName()]
    whole = MainWindow(LayerEngine(tmp_path / "other"), ViewerSettings())  # built at once
    qtbot.addWidget(whole)
    assert layout(window) == layout(whole)
    assert in_front(window) == {"thumbnails", "review-panel", "annotation-list"}
    main, annotate = window.findChildren(QToolBar)  # the Annotate toolbar on a row of its own
    assert annotate.geometry().top() >= main.geometry().bottom()


def test_keys_and_clicks_before_the_rest_is_built_are_safe_and_keys_work_after(
    qtbot: QtBot, engine: LayerEngine, sample_pdf: Path
) -> None:
    window = staged(qtbot, engine, sample_pdf)
    with qtbot.waitSignal(window.opening.opened, timeout=15000):  # the pages shown, the first
        pass  # sharp paint (after which the rest is built) waits for the event loop
    assert not window.built and window.view.pages
    view = window.view
    qtbot.keyClick(view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)  # Find: not yet
    qtbot.keyClick(view, Qt.Key.Key_H)  # a tool's key: no tools yet
    qtbot.keyClick(view, Qt.Key.Key_PageDown)  # the pages scroll
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton)
    assert not window.built and view.verticalScrollBar().value() > 0
    qtbot.waitUntil(lambda: window.built and window.document is not None, timeout=15000)
    window.activateWindow()
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    qtbot.keyClick(view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(window.find_bar.isVisible)


def test_a_window_closed_before_the_rest_is_built_stays_closed(
    qtbot: QtBot, engine: LayerEngine, sample_pdf: Path
) -> None:
    window = staged(qtbot, engine, sample_pdf)
    window.close()
    window.build_rest()  # as the timer or the first sharp paint would
    assert not window.built and not any(a.isEnabled() for a in window.menuBar().actions())
    assert window.client.process.poll() is not None  # the render worker was stopped


def test_the_engine_is_opened_after_the_first_page_and_a_refusal_closes_the_window(
    qtbot: QtBot, engine: LayerEngine, sample_pdf: Path
) -> None:
    seen: list[int] = []  # pages shown sharp when the engine was asked for

    def open_engine() -> LayerEngine:
        seen.append(len(window.view.rendered_pages))
        return engine

    window = MainWindow(None, ViewerSettings(), staged=True, open_engine=open_engine)
    qtbot.addWidget(window)
    window.show()
    window.open_file(sample_pdf)
    qtbot.waitUntil(lambda: window.built and window.document is not None, timeout=15000)
    assert seen and seen[0] > 0 and window.engine is engine
    window.close()
    refused = MainWindow(None, ViewerSettings(), staged=True, open_engine=lambda: None)
    qtbot.addWidget(refused)
    refused.show()
    refused.open_file(sample_pdf)
    qtbot.waitUntil(lambda: not refused.isVisible(), timeout=15000)  # the user quit
    assert not refused.built and refused.engine_if_open() is None and refused.engine_refused
