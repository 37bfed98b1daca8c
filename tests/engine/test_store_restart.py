"""PostgreSQL restarted under a running engine (a server's): the request that meets the lost
connection fails with a StorageError saying the database cannot be reached (the server's 503,
which clients retry), the pool replaces every dead connection it held, and the next request
works on the data as it was."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from reviewer_app.engine import LayerEngine, StorageError
from tests.engine.conftest import base_records, note
from tests.postgres import running_cluster


def test_a_restart_fails_one_request_and_the_next_one_works(tmp_path: Path) -> None:
    with running_cluster() as cluster:
        url = cluster.database("restart")
        with LayerEngine(tmp_path / "data", url) as engine:
            doc = engine.add_document(b"%PDF-1.7\n", records=base_records(2), page_count=3).id
            engine.create_records(doc, "a", "annotation", [note(0, 1, "before")])
            start = threading.Barrier(4)

            def hold_a_connection() -> None:  # four transactions at once: four pooled
                with engine.db.atomic() as conn:
                    start.wait(timeout=30)
                    conn.execute("SELECT 1")

            threads = [threading.Thread(target=hold_a_connection) for _ in range(4)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=60)
            cluster.restart()
            with pytest.raises(StorageError, match="the layer database cannot be reached"):
                engine.create_records(doc, "a", "annotation", [note(0, 2, "lost")])
            change = engine.create_records(doc, "a", "annotation", [note(0, 3, "after")])
            assert change.revision == 2  # the failed write left nothing behind
            texts = [r.content["text"]["value"] for r in engine.annotations(doc, "a")]
            assert "before" in texts and "after" in texts and "lost" not in texts
            assert engine.layer_names(doc) == ["", "a"]
