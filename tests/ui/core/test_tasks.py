"""The background task runner: results on the UI thread, order, limits, errors, cancelling."""

from __future__ import annotations

import os
import sys
import threading

import pytest
from pytestqt.qtbot import QtBot

from reviewer_app.ui.core import tasks
from reviewer_app.ui.core.tasks import TaskControl, TaskRunner, running_tasks


def test_a_task_returns_on_the_ui_thread_with_its_progress(qtbot: QtBot) -> None:
    runner = TaskRunner()
    seen: list[object] = []

    def work(control: TaskControl) -> str:
        control.progress(1, 2, "half")
        return threading.current_thread().name

    task = runner.run(
        work,
        name="demo",
        returned=lambda result: seen.append(("returned", result, threading.current_thread())),
        progressed=lambda d, t, m: seen.append(("progress", d, t, m)),
    )
    with qtbot.waitSignal(task.finished, timeout=5000):
        pass
    assert seen[0] == ("progress", 1, 2, "half")
    assert seen[1][:2] == ("returned", "task demo")
    assert seen[1][2] is threading.main_thread()  # delivered on the UI thread
    assert not runner.busy()


def test_an_error_is_handed_over_not_raised(qtbot: QtBot) -> None:
    runner = TaskRunner()
    errors: list[BaseException] = []

    def work(_: TaskControl) -> None:
        raise ValueError("broken file")

    task = runner.run(work, errored=errors.append)
    with qtbot.waitSignal(task.finished, timeout=5000):
        pass
    assert [str(e) for e in errors] == ["broken file"]


def test_a_lane_runs_one_task_after_another_in_order(qtbot: QtBot) -> None:
    lane = TaskRunner(at_once=1)
    gate = threading.Event()
    order: list[int] = []
    first = lane.run(lambda _: gate.wait(10) and order.append(1))
    second = lane.run(lambda _: order.append(2))
    assert first.running() and second.worker is None  # the second waits its turn
    gate.set()
    with qtbot.waitSignal(second.finished, timeout=5000):
        pass
    assert order == [1, 2]


def test_cancelling_returns_at_once_and_drops_the_result(qtbot: QtBot) -> None:
    runner = TaskRunner()
    gate = threading.Event()
    results: list[object] = []
    stuck = runner.run(lambda _: gate.wait(30), returned=results.append)
    queued_runner = TaskRunner(at_once=1)
    blocker = queued_runner.run(lambda _: gate.wait(30))
    waiting = queued_runner.run(lambda _: results.append("must not run"))
    runner.shutdown()
    queued_runner.shutdown()
    assert stuck.running() and blocker.running()  # abandoned, not joined
    assert not runner.busy() and not queued_runner.busy()
    gate.set()
    qtbot.waitUntil(lambda: not running_tasks(), timeout=5000)
    qtbot.waitUntil(lambda: stuck.done and blocker.done, timeout=5000)  # all delivered
    assert results == [] and waiting.worker is None
    assert runner.run(lambda _: 1).cancelled  # a runner shut down takes no more work


@pytest.mark.parametrize("at_once", [1, 2])
def test_no_more_than_at_once_tasks_run_together(qtbot: QtBot, at_once: int) -> None:
    runner = TaskRunner(at_once=at_once)
    lock = threading.Lock()
    now, most = [0], [0]
    gate = threading.Event()

    def work(_: TaskControl) -> None:
        with lock:
            now[0] += 1
            most[0] = max(most[0], now[0])
        gate.wait(10)
        with lock:
            now[0] -= 1

    tasks = [runner.run(work) for _ in range(4)]
    qtbot.waitUntil(lambda: sum(t.running() for t in tasks) == at_once, timeout=5000)
    qtbot.waitUntil(lambda: now[0] == at_once, timeout=5000)  # inside their work
    gate.set()
    qtbot.waitUntil(lambda: all(t.done for t in tasks), timeout=5000)
    assert most[0] == at_once


def test_a_started_task_hands_the_gil_back_to_the_ui_thread_within_a_millisecond(
    qtbot: QtBot,
) -> None:
    before = sys.getswitchinterval()
    sys.setswitchinterval(0.005)  # CPython's default
    try:
        task = TaskRunner().run(lambda _: sys.getswitchinterval())
        with qtbot.waitSignal(task.returned, timeout=5000) as returned:
            pass
        assert returned.args == [tasks.SWITCH_SECONDS] and tasks.SWITCH_SECONDS <= 0.001
    finally:
        sys.setswitchinterval(before)


def test_starting_a_task_does_not_wait_for_its_thread_to_run(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``Thread.start()`` waits until the new thread runs (milliseconds on a busy machine):
    the UI thread hands the start to the starter thread instead, and carries on."""
    TaskRunner().run(lambda _: None)  # the starter thread is up
    gate, starting = threading.Event(), threading.Event()
    starters: list[tuple[threading.Thread, bool]] = []

    class SlowToStart(threading.Thread):
        def start(self) -> None:
            starting.set()
            starters.append((threading.current_thread(), gate.wait(5)))  # a busy machine
            super().start()

    monkeypatch.setattr(tasks.threading, "Thread", SlowToStart)
    task = TaskRunner().run(lambda _: threading.current_thread().name, name="slow")
    assert starting.wait(5)  # being started, on another thread...
    assert not gate.is_set() and task.running()  # ...while run() has returned: it is running
    gate.set()
    with qtbot.waitSignal(task.returned, timeout=5000) as returned:
        pass
    assert returned.args == ["task slow"]
    assert starters[0][0] is not threading.main_thread() and starters[0][1]  # waited there
    qtbot.waitUntil(lambda: not task.running(), timeout=5000)


def test_a_thread_that_cannot_start_fails_its_task_and_the_next_one_runs(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    class NoThreadLeft(threading.Thread):
        def start(self) -> None:
            raise RuntimeError("can't start new thread")

    up = TaskRunner().run(lambda _: None)  # the starter thread is up
    with qtbot.waitSignal(up.finished, timeout=5000):
        pass
    monkeypatch.setattr(tasks.threading, "Thread", NoThreadLeft)
    errors: list[BaseException] = []
    failed = TaskRunner().run(lambda _: "never", errored=errors.append)
    with qtbot.waitSignal(failed.finished, timeout=5000):
        pass
    assert [str(e) for e in errors] == ["can't start new thread"] and not failed.running()
    monkeypatch.undo()
    task = TaskRunner().run(lambda _: "ran")
    with qtbot.waitSignal(task.returned, timeout=5000) as returned:
        pass
    assert returned.args == ["ran"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread nice is Linux's")
def test_a_nicer_runner_lowers_its_threads_priority_and_no_one_elses(qtbot: QtBot) -> None:
    """Background sync runs nicer, so that on a busy machine the UI thread gets a core first;
    the UI thread and the other runners' threads keep the process's priority."""
    here = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    def priority(_control: TaskControl) -> int:
        return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    seen: dict[str, int] = {}
    for name, runner in (("nicer", TaskRunner(nicer=5)), ("plain", TaskRunner())):
        task = runner.run(priority, returned=lambda p, name=name: seen.__setitem__(name, p))
        with qtbot.waitSignal(task.finished, timeout=5000):
            pass
    assert seen == {"nicer": min(here + 5, 19), "plain": here}
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == here
