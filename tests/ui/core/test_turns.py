"""The window's sliced work shares one budget per event-loop turn: the most urgent first, a
step that ends the turn ends it, and a step whose widgets went is dropped, the others going
on."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from reviewer_app import giving_way
from reviewer_app.ui.core import turns


class Counted:
    """A step that needs ``steps`` calls; notes each call in ``calls`` under ``name``."""

    def __init__(self, name: str, steps: int, calls: list[str], ends_turn: bool = False) -> None:
        self.name, self.left, self.calls, self.ends_turn = name, steps, calls, ends_turn

    def __call__(self, deadline: float) -> bool:
        self.calls.append(self.name)
        self.left -= 1
        if self.ends_turn:
            turns.end_turn()
        return self.left == 0


def test_the_most_urgent_goes_first_and_a_spent_budget_ends_the_turn(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(turns, "BUDGET", 0.0)  # one step a turn
    calls: list[str] = []
    lists, marks = Counted("list", 2, calls), Counted("marks", 2, calls)
    turns.later(lists, lists, turns.LISTS)
    turns.later(marks, marks, turns.MARKS)  # asked later, but first
    qtbot.waitUntil(lambda: not turns.waiting(lists))
    assert calls == ["marks", "marks", "list", "list"]


def test_a_step_that_ends_the_turn_leaves_the_others_to_the_next(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(turns, "BUDGET", 10.0)  # time enough for all in one turn
    calls: list[str] = []
    painting, lists = Counted("marks", 1, calls, ends_turn=True), Counted("list", 1, calls)
    turns.later(painting, painting, turns.MARKS)
    turns.later(lists, lists, turns.LISTS)
    turns._turns.turn()  # one turn, now
    assert calls == ["marks"] and turns.waiting(lists)
    qtbot.waitUntil(lambda: not turns.waiting(lists))
    assert calls == ["marks", "list"]


def test_a_step_whose_widgets_went_is_dropped_and_the_others_go_on(qtbot: QtBot) -> None:
    label = QLabel("gone soon")
    calls: list[str] = []
    after = Counted("after", 1, calls)

    def uses_label(deadline: float) -> bool:
        label.setText("still here?")  # its widget was deleted: RuntimeError
        return False

    turns.later(label, uses_label, turns.MARKS)
    turns.later(after, after, turns.LISTS)
    label.deleteLater()
    qtbot.waitUntil(lambda: not turns.waiting(label) and not turns.waiting(after))
    assert calls == ["after"]


def test_background_work_waits_out_the_ui_threads_turn_then_goes_on(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """follow_turns: while a slot runs on the UI thread, a task's give_way waits; once the
    event loop has dispatched what it had, the task goes on (turns end, however many)."""
    monkeypatch.setattr(giving_way, "AT_MOST", 60.0)  # only a turn's end lets the task on
    turns.follow_turns()
    turns.follow_turns()  # (once per application: the second call adds nothing)
    passed, seen = threading.Event(), []

    def task() -> None:
        for _ in range(200):
            giving_way.give_way()
        passed.set()

    def slot() -> None:
        seen.append(giving_way.busy)
        threading.Thread(target=task, daemon=True).start()
        seen.append(passed.wait(0.05))  # the task cannot get past this turn

    QTimer.singleShot(0, slot)
    qtbot.waitUntil(lambda: passed.is_set(), timeout=10_000)
    assert seen == [True, False]
