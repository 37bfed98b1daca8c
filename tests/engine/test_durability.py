"""Durability and concurrency: a killed writer loses nothing it reported, threads share safely."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from reviewer_app.engine import LayerEngine
from tests.engine.conftest import PDF_BYTES, base_records, note

WRITER = """
import sys
from reviewer_app.engine import LayerEngine
from tests.engine.conftest import note
engine = LayerEngine(sys.argv[1])
doc = engine.documents()[0].id
i = 0
while True:
    change = engine.create_records(doc, "student", "annotation", [note(i % 3, 1, f"n{i}")])
    print(change.upserted[0].id, flush=True)
    i += 1
"""


def test_killed_writer_keeps_every_reported_write(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with LayerEngine(data) as engine:
        doc = engine.add_document(PDF_BYTES, records=base_records(3), page_count=3)
    root = Path(__file__).resolve().parents[2]
    child = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(data)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    assert child.stdout is not None
    reported = [child.stdout.readline().strip() for _ in range(200)]
    child.send_signal(signal.SIGKILL)
    child.wait()
    reported += [line.strip() for line in child.stdout if line.strip()]
    with LayerEngine(data) as engine:
        conn = engine.db.connection()
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = {r.id for r in engine.annotations(doc.id, "student")}
    assert len(reported) >= 200
    assert set(reported) <= stored


def test_threads_write_and_read_at_once(tmp_path: Path) -> None:
    with LayerEngine(tmp_path / "data") as engine:
        doc = engine.add_document(PDF_BYTES, records=base_records(3), page_count=3)
        errors: list[BaseException] = []

        def writer(layer: str) -> None:
            try:
                for i in range(40):
                    engine.create_records(doc.id, layer, "annotation", [note(0, i, layer)])
                    engine.annotations(doc.id, layer)
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [threading.Thread(target=writer, args=(f"t{i}",)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        for i in range(4):
            info = {x.name: x for x in engine.layers(doc.id)}[f"t{i}"]
            assert info.revision == 40
            assert len(engine.annotations(doc.id, f"t{i}")) == 43
