"""An export is finished for the window when its child says so: the child's own exit (a queue
to flush, an interpreter to shut down) is never waited for on the UI thread."""

from __future__ import annotations

from typing import Any

from pytestqt.qtbot import QtBot

from reviewer_app.ui.export.run import ExportRun


def done_then_linger(request: Any, messages: Any, cancel: Any) -> None:
    """A child that reports its files, then takes its time to exit (until cancelled)."""
    messages.put(("done", ["/tmp/a.pdf"], 0))
    cancel.wait(60)


def test_finished_comes_before_the_child_has_exited(qtbot: QtBot) -> None:
    run = ExportRun(None, target=done_then_linger)
    with qtbot.waitSignal(run.finished, timeout=30000) as finished:
        run.start()
    assert finished.args == [["/tmp/a.pdf"], 0]
    assert run.process.is_alive()  # the UI thread did not wait for it to end
    assert run not in ExportRun.live and run in ExportRun.ending
    run.cancel_event.set()  # now it exits, and is reaped without anyone waiting
    qtbot.waitUntil(lambda: run not in ExportRun.ending, timeout=30000)
    assert run.process.exitcode == 0
