"""Two processes over one PostgreSQL database, through the engine: importing the same PDF at
the same moment stores one document, and writing one layer at once loses nothing."""

from __future__ import annotations

import multiprocessing
from pathlib import Path
from typing import Any

from reviewer_app.engine import LayerEngine
from tests.engine.conftest import base_records, note
from tests.postgres import Cluster

ROUNDS = 15


def _import_all(folder: str, url: str, barrier: Any, results: Any, who: int) -> None:
    with LayerEngine(Path(folder), url) as engine:
        for round_ in range(ROUNDS):
            pdf = b"%PDF-1.7\n% round " + str(round_).encode() + b"\n"
            barrier.wait(timeout=60)
            doc = engine.add_document(pdf, records=base_records(3, f"r{round_}"), page_count=3)
            results.put((who, round_, doc.id))


def _write_all(folder: str, url: str, document_id: str, barrier: Any, who: int) -> None:
    with LayerEngine(Path(folder), url) as engine:
        barrier.wait(timeout=60)
        for n in range(20):
            engine.create_records(document_id, "shared", "annotation", [note(0, n, f"{who}-{n}")])


def _run(target: Any, *args: Any) -> list[Any]:
    """Run ``target`` in two spawned processes released together; what they reported."""
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    results = context.Queue() if target is _import_all else None
    extra = (results,) if results is not None else ()
    procs = [context.Process(target=target, args=(*args, barrier, *extra, who)) for who in (0, 1)]
    for proc in procs:
        proc.start()
    found = [results.get(timeout=120) for _ in range(2 * ROUNDS)] if results is not None else []
    for proc in procs:
        proc.join(timeout=120)
        assert proc.exitcode == 0, f"a process failed ({proc.exitcode}): its error is above"
    return found


def test_two_processes_importing_one_pdf_store_one_document(
    pg_cluster: Cluster, tmp_path: Path
) -> None:
    url = pg_cluster.database("imports")
    found = _run(_import_all, str(tmp_path / "data"), url)
    by_round: dict[int, set[str]] = {}
    for _, round_, document_id in found:
        by_round.setdefault(round_, set()).add(document_id)
    assert sorted(by_round) == list(range(ROUNDS))
    assert all(len(ids) == 1 for ids in by_round.values())
    with LayerEngine(tmp_path / "data", url) as engine:
        documents = engine.documents()
        assert len(documents) == ROUNDS
        assert all(engine.layer_names(d.id) == [""] for d in documents)


def test_two_processes_writing_one_layer_lose_nothing(pg_cluster: Cluster, tmp_path: Path) -> None:
    url = pg_cluster.database("writes")
    with LayerEngine(tmp_path / "data", url) as engine:
        doc = engine.add_document(b"%PDF-1.7\n", records=base_records(2), page_count=3).id
    _run(_write_all, str(tmp_path / "data"), url, doc)
    with LayerEngine(tmp_path / "data", url) as engine:
        texts = {r.content["text"]["value"] for r in engine.annotations(doc, "shared")}
        assert {f"{w}-{n}" for w in (0, 1) for n in range(20)} <= texts
        feed = engine.changes_feed(doc, "shared", 0)
        assert feed.revision == 40 and len(feed.upserted) == 40
        assert sorted(rev for _, rev in feed.upserted) == list(range(1, 41))
