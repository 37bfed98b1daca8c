"""Closing the engine while a background thread (a sync the window abandoned) is inside a
statement interrupts that statement, and never closes the connection under it (a crash)."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from reviewer_app.engine import LayerEngine

SLOW = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"


def test_a_running_statement_is_interrupted_and_the_process_lives(tmp_path: Path) -> None:
    engine = LayerEngine(tmp_path / "data")
    started, ended = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def background() -> None:
        conn = engine.db.connection()
        conn.set_progress_handler(lambda: started.set() or 0, 1000)
        try:
            conn.execute(SLOW).fetchall()  # never ends by itself
        except sqlite3.Error as exc:
            failures.append(exc)
        ended.set()

    worker = threading.Thread(target=background, daemon=True)
    worker.start()
    assert started.wait(30)
    engine.close()
    assert ended.wait(30)
    assert len(failures) == 1 and "interrupted" in str(failures[0])
    assert engine.db.connection().execute("SELECT 1").fetchone() == (1,)  # opened anew
    engine.close()
