"""Comparing large layers holds the window up for no more than a frame's work at a time: the
layers are compared on a background thread once layer A is shown (not while it is read and
shown), the view draws the pages near the viewport, the dock lists the differences a slice
per event-loop turn."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF
from PySide6.QtWidgets import QApplication, QGraphicsSceneHelpEvent
from pytestqt.qtbot import QtBot

from reviewer_app.ui.compare import comparison, framed
from reviewer_app.ui.compare.dock import ENTRIES_PER_TURN
from reviewer_app.ui.core import turns
from reviewer_app.ui.core.tasks import Task
from reviewer_app.ui.main_window import MainWindow
from tests.ui.conftest import open_and_wait

PAGES, PER_PAGE = 12, 125  # 1,500 differences


def squares(prefix: str, colour: str) -> list[dict]:
    return [
        {
            "id": f"{prefix}{page}-{i}",
            "v": 2,
            "type": "pspdfkit/shape/rectangle",
            "pageIndex": page,
            "bbox": [10 + (i % 25) * 15, 40 + (i // 25) * 40, 12, 12],
            "strokeColor": colour,
            "strokeWidth": 1,
        }
        for page in range(PAGES)
        for i in range(PER_PAGE)
    ]


def two_layers(qtbot: QtBot, window: MainWindow, sample_pdf: Path) -> None:
    open_and_wait(qtbot, window, sample_pdf)
    assert window.document is not None
    window.engine.create_records(window.document.id, "amy", "annotation", squares("a", "#ff0000"))
    window.engine.create_records(window.document.id, "ben", "annotation", squares("b", "#0000ff"))
    window.review.refresh_layers()


def test_a_large_comparison_comes_later_and_draws_only_what_is_near(
    qtbot: QtBot, window: MainWindow, sample_pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    two_layers(qtbot, window, sample_pdf)
    comparing = window.review.comparing
    turns: list[int] = []
    comparing.dock.tree.model().rowsInserted.connect(lambda *_: turns.append(1))
    started: list[tuple[str, str]] = []  # the layer asked for and the one shown, at the start
    start = comparing._start
    monkeypatch.setattr(
        comparing, "_start", lambda: started.append((window.layer, comparing.shown)) or start()
    )
    with qtbot.waitSignal(comparing.compared, timeout=20_000):
        assert comparing.compare("amy", "ben") is None  # amy is read first, on a task
        assert comparing.comparison is None and started == []
        assert "Comparing amy with ben" in comparing.dock.legend.text()
    assert started == [("amy", "amy")]  # compared once amy was shown
    assert len(comparing.dock.entries()) == 2 * PAGES * PER_PAGE
    assert len(turns) > 2 * PAGES * PER_PAGE // ENTRIES_PER_TURN  # listed in slices
    near = set(range(window.view.visible_range()[0] - 1, window.view.visible_range()[1] + 2))
    drawn = {key[1].split("-")[0][1:] for key in comparing.overlay.markers}
    assert drawn and {int(p) for p in drawn} <= near  # only the pages near the viewport
    far = ("annotation", f"a{PAGES - 1}-0")
    assert comparing.overlay.colour_of(far) is None
    window.view.go_to_page(PAGES - 1)
    qtbot.waitUntil(lambda: comparing.overlay.colour_of(far) is not None)


def test_a_comparison_that_ends_after_the_user_left_layer_a_is_not_shown(
    qtbot: QtBot, window: MainWindow, sample_pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    two_layers(qtbot, window, sample_pdf)
    comparing = window.review.comparing
    tasks: list[Task] = []
    start = comparing._start

    def start_then_leave() -> None:
        start()
        assert comparing.running is not None
        tasks.append(comparing.running)
        window.set_layer("ben")  # before the comparison came

    monkeypatch.setattr(comparing, "_start", start_then_leave)
    assert comparing.compare("amy", "ben") is None  # amy is read first
    qtbot.waitUntil(lambda: bool(tasks) and tasks[0].done, timeout=20_000)  # (delivered)
    assert comparing.comparison is None and comparing.dock.entries() == []
    assert window.layer == "ben" and not comparing.overlay.markers


def test_a_comparison_asked_for_is_dropped_when_the_user_leaves_layer_a_before_it_shows(
    qtbot: QtBot, window: MainWindow, sample_pdf: Path
) -> None:
    two_layers(qtbot, window, sample_pdf)
    comparing = window.review.comparing
    assert comparing.compare("amy", "ben") is None  # amy is read first
    window.set_layer("ben")  # before amy was shown
    qtbot.waitUntil(lambda: comparing.shown == "ben", timeout=20_000)
    assert comparing.wanted is None and comparing.running is None
    assert comparing.comparison is None and not comparing.overlay.markers


def test_the_differences_near_the_view_are_drawn_a_slice_per_turn(
    qtbot: QtBot, window: MainWindow, sample_pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(turns, "BUDGET", 0.0)  # a slice: one batch of differences
    two_layers(qtbot, window, sample_pdf)
    comparing = window.review.comparing
    with qtbot.waitSignal(comparing.compared, timeout=20_000):
        comparing.compare("amy", "ben")
    overlay = comparing.overlay
    assert comparing.comparison is not None
    drawn: list[int] = []  # the differences drawn after each turn's slice
    shown: list[int] = []  # and those whose frames are shown
    draw_some = overlay._draw_some

    def counted(deadline: float) -> bool:
        done = draw_some(deadline)
        drawn.append(sum(len(item.frames.frames) for item in overlay.items))
        shown.append(len(overlay.markers))
        return done

    monkeypatch.setattr(overlay, "_draw_some", counted)
    overlay.show(window.view.pages, comparing.comparison)  # drawn again, from the start
    assert not overlay.markers and overlay.drawing()  # from the next turn on
    qtbot.waitUntil(lambda: not overlay.drawing(), timeout=20_000)
    # the first page's frames placed a batch per turn (they size its drawing), then its
    # differences drawn a batch per turn
    placing = -(-2 * PER_PAGE // comparison.BATCH) - 1  # turns that only place frames
    assert drawn[:placing] == [0] * placing
    assert drawn[placing] == comparison.BATCH and len(drawn) > placing + 2
    # a page is shown once drawn whole (B's side, then its frames a part a turn)
    page_drawn = drawn.index(2 * PER_PAGE)  # (only in amy, only in ben)
    assert shown[page_drawn] == shown[page_drawn + 1] == 0
    assert shown[page_drawn + 2] == framed.FRAMES_SHOWN
    first, last = window.view.visible_range()
    assert len(overlay.markers) >= 2 * PER_PAGE * (last - first + 1)
    assert all(item.isVisible() for item in overlay.items)


@pytest.mark.qt_log_ignore("This plugin does not support (raise|propagateSizeHints)")  # (tooltip)
def test_a_frame_says_what_differs_under_the_mouse(
    qtbot: QtBot, window: MainWindow, sample_pdf: Path
) -> None:
    """Asked for a tooltip, the scene shows the frame's words; the annotations under the
    frames still get the mouse's hover (their own tooltips)."""
    two_layers(qtbot, window, sample_pdf)
    comparing = window.review.comparing
    with qtbot.waitSignal(comparing.compared, timeout=20_000):
        comparing.compare("amy", "ben")
    qtbot.waitUntil(lambda: not comparing.overlay.drawing(), timeout=20_000)
    frames = comparing.overlay.on_page[0].frames
    assert not frames.acceptHoverEvents()
    amy = next(d for _, d in frames.frames if d.key == ("annotation", "a0-0"))
    scene = window.view.scene()

    def ask_at(point: QPointF) -> None:
        help_event = QGraphicsSceneHelpEvent(QEvent.Type.GraphicsSceneHelp)
        help_event.setScenePos(frames.mapToScene(point))
        help_event.setScreenPos(QPoint(10, 10))
        QApplication.sendEvent(scene, help_event)

    ask_at(amy.bbox().center())  # ben's square lies on amy's: the frame on top speaks
    assert frames.toolTip() == "only-b: Rectangle by (no author)"
    found = frames.at(amy.bbox().center())
    assert found is not None and found.key == ("annotation", "b0-0")
    between_rows = QPointF(20, 65)  # (rows of squares at 40 and 80, 12 points high)
    assert frames.boundingRect().contains(between_rows)
    ask_at(between_rows)  # off every frame: the scene asks the items under it
    assert frames.toolTip() == ""
