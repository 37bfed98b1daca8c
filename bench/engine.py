"""Engine figures: layer creation, fork, read, diff and changes feed over 10,000 base annotations.

Prints a table of medians and writes ``bench/results/engine.json``. Run with ``make bench``.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pymupdf

from reviewer_app.engine import LayerEngine
from reviewer_app.pdf import extract_base_layer

RESULTS = Path(__file__).with_name("results")
BASE_ANNOTATIONS = 10_000
PAGES = 100


def make_pdf(count: int, pages: int) -> bytes:
    """A real PDF with ``count`` square annotations spread over ``pages`` pages."""
    doc = pymupdf.open()
    per_page = count // pages
    for _ in range(pages):
        page = doc.new_page()
        page.insert_text((72, 72), "Benchmark page", fontsize=14)
        for i in range(per_page):
            x, y = 20 + (i % 10) * 55, 100 + (i // 10) * 60
            annot = page.add_rect_annot(pymupdf.Rect(x, y, x + 40, y + 40))
            annot.set_info(title="bench", content=f"note {i}")
            annot.update()
    return bytes(doc.tobytes(garbage=1, deflate=True))


def timed(fn: Callable[[], Any], repeat: int = 5) -> tuple[float, Any]:
    """Median wall time in milliseconds over ``repeat`` runs, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def db_bytes(engine: LayerEngine) -> int:
    conn = engine.db.connection()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_count = conn.execute("PRAGMA page_count").fetchone()[0]
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    return int(page_count * page_size)


def rewrite_all(engine: LayerEngine, doc: str, layer: str, tag: str) -> None:
    """Give ``layer`` its own version of every base annotation (the worst case for diffs)."""
    records = engine.annotations(doc, layer)
    contents = [{**r.content, "id": r.id, "note": tag} for r in records]
    engine.update_records(doc, layer, "annotation", contents)


def cold_read(engine: LayerEngine, doc: str, layer: str) -> list[Any]:
    """Read a layer with nothing cached: the base layer and the layer's own rows are parsed
    (what the first read after opening a document, or after a change, costs)."""
    engine.base_layers.forget(doc)
    engine.layer_reads.forget(doc)
    return engine.annotations(doc, layer)


def run(work: Path) -> dict[str, float]:
    figures: dict[str, float] = {}
    cached = RESULTS / f"base-{BASE_ANNOTATIONS}.pdf"
    if not cached.exists():
        RESULTS.mkdir(exist_ok=True)
        cached.write_bytes(make_pdf(BASE_ANNOTATIONS, PAGES))
    pdf = cached.read_bytes()
    figures["pdf_bytes"] = len(pdf)
    figures["extract_ms"], extraction = timed(lambda: extract_base_layer(pdf), repeat=1)
    with LayerEngine(work / "data") as engine:
        figures["import_ms"], doc = timed(
            lambda: engine.add_document(
                pdf, records=extraction.records, page_count=extraction.page_count
            ),
            repeat=1,
        )
        before = db_bytes(engine)
        per_layer = []
        for i in range(1000):
            t0 = time.perf_counter()
            engine.create_layer(doc.id, f"student {i:04d}")
            per_layer.append((time.perf_counter() - t0) * 1000)
        figures["create_layer_median_ms"] = statistics.median(per_layer)
        figures["create_layer_p95_ms"] = sorted(per_layer)[int(len(per_layer) * 0.95)]
        figures["create_layer_bytes"] = (db_bytes(engine) - before) / 1000
        small = engine.add_document(make_pdf(10, 1), records=[], page_count=1)
        before, start = db_bytes(engine), time.perf_counter()
        for i in range(1000):
            engine.create_layer(small.id, f"student {i:04d}")
        elapsed_ms = (time.perf_counter() - start) * 1000
        figures["create_layer_small_base_ms"] = elapsed_ms / 1000  # per layer
        figures["create_layer_small_base_bytes"] = (db_bytes(engine) - before) / 1000

        base = engine.annotations(doc.id, "")
        changes = [{**r.content, "id": r.id, "opacity": 0.5} for r in base[:1000]]
        figures["update_1000_ms"], _ = timed(
            lambda: engine.update_records(doc.id, "changed", "annotation", changes), repeat=1
        )
        counter = iter(range(100))
        figures["fork_1000_changes_ms"], _ = timed(
            lambda: engine.fork_layer(doc.id, "changed", f"fork {next(counter)}")
        )
        figures["read_10000_ms"], shown = timed(lambda: engine.annotations(doc.id, "changed"))
        figures["read_records"] = len(shown)
        figures["read_10000_cold_ms"], _ = timed(lambda: cold_read(engine, doc.id, "changed"))
        figures["read_page_ms"], _ = timed(
            lambda: engine.records(doc.id, "changed", "annotation", page_index=50)
        )
        figures["diff_1000_changes_ms"], diff = timed(
            lambda: engine.diff(doc.id, "changed", "student 0001")
        )
        figures["diff_1000_changed_records"] = len(diff.changed)
        rewrite_all(engine, doc.id, "all a", "a")
        rewrite_all(engine, doc.id, "all b", "b")
        figures["diff_10000_both_changed_ms"], diff = timed(
            lambda: engine.diff(doc.id, "all a", "all b")
        )
        figures["diff_10000_changed_records"] = len(diff.changed)
        revision = engine.changes_since(doc.id, "changed", 0).revision
        engine.create_records(
            doc.id,
            "changed",
            "annotation",
            [
                {
                    "v": 2,
                    "type": "pspdfkit/note",
                    "pageIndex": 0,
                    "bbox": [1, 1, 20, 20],
                    "text": {"format": "plain", "value": "new"},
                    "icon": "note",
                }
            ],
        )
        figures["changes_since_ms"], feed = timed(
            lambda: engine.changes_since(doc.id, "changed", revision)
        )
        figures["changes_since_records"] = len(feed.upserted)
        figures["changes_since_0_ms"], _ = timed(lambda: engine.changes_since(doc.id, "changed", 0))

        before = db_bytes(engine)
        for i in range(30):
            engine.create_records(
                doc.id,
                f"class {i}",
                "annotation",
                [
                    {
                        "v": 2,
                        "type": "pspdfkit/note",
                        "pageIndex": j % PAGES,
                        "bbox": [5, 5, 20, 20],
                        "text": {"format": "plain", "value": f"feedback {j}"},
                        "icon": "comment",
                    }
                    for j in range(20)
                ],
            )
        figures["thirty_layers_bytes"] = db_bytes(engine) - before
        figures["thirty_pdf_copies_bytes"] = 30 * len(pdf)
    return figures


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        figures = run(Path(tmp))
    width = max(map(len, figures))
    print(f"engine benchmark: {BASE_ANNOTATIONS} base annotations on {PAGES} pages")
    for name, value in figures.items():
        print(f"  {name.ljust(width)}  {value:,.2f}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "engine.json").write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
