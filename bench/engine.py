"""Engine figures: layer creation, fork, read, diff and changes feed over 10,000 base annotations.

Every figure is a median over several runs with min and max; reads and diffs cold (the
engine's caches emptied before each run) and warm, against a floor doing the same work with
sqlite3 and orjson (the fastest parser we know). Prints a table and writes
``bench/results/engine.json``; ``make bench``.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson
import pymupdf
from figures import RUNS, Report  # bench/, on the path when run as a script

from reviewer_app.engine import LayerEngine
from reviewer_app.engine.base_cache import no_gc
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


def forget(engine: LayerEngine, doc: str) -> None:
    """Empty the engine's caches of a document: the next read parses the base layer and the
    layer's own rows again (what the first read after opening a document, or after a change
    elsewhere, costs)."""
    engine.base_layers.forget(doc)
    engine.layer_reads.forget(doc)


BASE_AT_ONCE = (
    "SELECT json_group_array(id), CAST(group_concat(content, char(0)) AS BLOB) "
    "FROM base_records WHERE document_id = ? AND kind = 'annotation'"
)
OWN = (
    "SELECT r.id, r.content FROM layer_records r JOIN layers l ON l.id = r.layer_id "
    "WHERE l.document_id = ? AND l.name = ? AND r.kind = 'annotation'"
)


def sql_floor(engine: LayerEngine, doc: str, layer: str) -> int:
    """The floor of a layer read: the same rows (the base's annotations and the layer's own)
    fetched with sqlite3 the fastest way we know (the base's in one row, SQLite joining their
    ids and their contents) and parsed by orjson one text at a time, with the garbage
    collector paused, merged by id; nothing more (no record objects, no read-only content,
    no listing order, no checks)."""
    base, own = floor_fetch(engine, doc, layer)
    with no_gc():
        ids, contents = base
        shown = dict(zip(orjson.loads(ids), parse(contents.split(b"\0")), strict=True))
        kept = [(i, c) for i, c in own if c is not None]
        shown.update(zip([i for i, _ in kept], parse([c for _, c in kept]), strict=True))
    return len(shown)


def floor_fetch(engine: LayerEngine, doc: str, layer: str) -> tuple[Any, list[Any]]:
    """The floor's SQLite part alone: the base's annotations in one row, the layer's own."""
    conn = engine.db.connection()
    return conn.execute(BASE_AT_ONCE, (doc,)).fetchone(), conn.execute(OWN, (doc, layer)).fetchall()


def parse(contents: list[str] | list[bytes]) -> list[Any]:
    loads = orjson.loads
    return [loads(c) for c in contents]


def read_all(records: list[Any]) -> int:
    """Every record's content read: a read that left parsing to its caller pays it here."""
    return sum(1 for r in records if r.content)


def diff_floor(engine: LayerEngine, doc: str, a: str, b: str) -> int:
    """The floor of a diff: both layers' own rows read and parsed, then compared by id."""
    conn = engine.db.connection()

    def own(layer: str) -> dict[str, Any]:
        rows = conn.execute(
            "SELECT r.id, r.content FROM layer_records r JOIN layers l ON l.id = r.layer_id "
            "WHERE l.document_id = ? AND l.name = ?",
            (doc, layer),
        ).fetchall()
        with no_gc():
            parsed = parse([c if c is not None else "null" for _, c in rows])
        return dict(zip([i for i, _ in rows], parsed, strict=True))

    left, right = own(a), own(b)
    return sum(left.get(k) != right.get(k) for k in left.keys() | right.keys())


def run(work: Path) -> Report:
    report = Report("engine")
    report.facts.update(base_annotations=BASE_ANNOTATIONS, pages=PAGES)
    cached = RESULTS / f"base-{BASE_ANNOTATIONS}.pdf"
    if not cached.exists():
        RESULTS.mkdir(exist_ok=True)
        cached.write_bytes(make_pdf(BASE_ANNOTATIONS, PAGES))
    pdf = cached.read_bytes()
    report.facts["pdf_bytes"] = len(pdf)
    extractions: list[Any] = []
    report.time("extract_10000", lambda: extractions.append(extract_base_layer(pdf)))
    extraction = extractions[-1]
    engines = iter(range(RUNS))
    report.time(
        "import_10000",
        lambda: LayerEngine(work / f"import {next(engines)}").add_document(
            pdf, records=extraction.records, page_count=extraction.page_count
        ),
        note="into a new data folder each run",
    )
    with LayerEngine(work / "data") as engine:
        doc = engine.add_document(pdf, records=extraction.records, page_count=extraction.page_count)
        before = db_bytes(engine)
        per_layer = []
        for i in range(1000):
            t0 = time.perf_counter()
            engine.create_layer(doc.id, f"student {i:04d}")
            per_layer.append((time.perf_counter() - t0) * 1000)
        report.add("create_layer", per_layer, note="1,000 layers over 10,000 base annotations")
        report.facts["create_layer_bytes"] = round((db_bytes(engine) - before) / 1000)
        base = engine.annotations(doc.id, "")
        changes = [{**r.content, "id": r.id, "opacity": 0.5} for r in base[:1000]]
        layers = iter(range(RUNS))
        report.time(
            "update_1000",
            lambda: engine.update_records(doc.id, f"changed {next(layers)}", "annotation", changes),
            note="1,000 base annotations changed in a new layer",
        )
        engine.update_records(doc.id, "changed", "annotation", changes)
        forks = iter(range(RUNS))
        report.time(
            "fork_1000_changes", lambda: engine.fork_layer(doc.id, "changed", f"fork {next(forks)}")
        )
        report.cold_warm(
            "read_10000",
            lambda: read_all(engine.annotations(doc.id, "changed")),
            lambda: forget(engine, doc.id),
        )
        report.time(
            "read_10000.layer_uncached",
            lambda: read_all(engine.annotations(doc.id, "changed")),
            setup=lambda: engine.layer_reads.forget(doc.id),
            note="the layer's reads forgotten, the document's base layer parsed before",
        )
        report.time("read_10000.floor", lambda: sql_floor(engine, doc.id, "changed"))
        report.time(
            "read_10000.floor_fetch",
            lambda: floor_fetch(engine, doc.id, "changed"),
            note="the floor's SQLite part alone (the rest is orjson)",
        )
        report.ratio(
            "read_10000.cold_vs_floor",
            "read_10000.cold",
            "read_10000.floor",
            "the same rows through sqlite3 and orjson",
        )
        report.cold_warm(
            "read_page",
            lambda: read_all(engine.records(doc.id, "changed", "annotation", page_index=50)),
            lambda: forget(engine, doc.id),
        )
        report.cold_warm(
            "diff_1000_changes",
            lambda: engine.diff(doc.id, "changed", "student 0001"),
            lambda: forget(engine, doc.id),
        )
        report.time(
            "diff_1000_changes.floor", lambda: diff_floor(engine, doc.id, "changed", "student 0001")
        )
        report.ratio(
            "diff_1000_changes.cold_vs_floor",
            "diff_1000_changes.cold",
            "diff_1000_changes.floor",
            "both layers' own rows read, parsed and compared by id",
        )
        rewrite_all(engine, doc.id, "all a", "a")
        rewrite_all(engine, doc.id, "all b", "b")
        report.cold_warm(
            "diff_10000_both_changed",
            lambda: engine.diff(doc.id, "all a", "all b"),
            lambda: forget(engine, doc.id),
        )
        revision = engine.changes_since(doc.id, "changed", 0).revision
        engine.create_records(doc.id, "changed", "annotation", [new_note(0, "new")])
        report.time("changes_since_one", lambda: engine.changes_since(doc.id, "changed", revision))
        report.time("changes_since_0", lambda: engine.changes_since(doc.id, "changed", 0))

        before = db_bytes(engine)
        for i in range(30):
            notes = [new_note(j % PAGES, f"feedback {j}") for j in range(20)]
            engine.create_records(doc.id, f"class {i}", "annotation", notes)
        report.facts["thirty_layers_bytes"] = db_bytes(engine) - before
        report.facts["thirty_pdf_copies_bytes"] = 30 * len(pdf)
    report.goal("read_10000.cold", 20, "uncached read of 10,000 records (base layer too)")
    report.goal("read_10000.layer_uncached", 20, "uncached layer read, base layer parsed")
    report.goal("diff_1000_changes.cold", 30, "diff of two 1,000-change layers, uncached")
    return report


def new_note(page: int, text: str) -> dict[str, Any]:
    return {
        "v": 2,
        "type": "pspdfkit/note",
        "pageIndex": page,
        "bbox": [5, 5, 20, 20],
        "text": {"format": "plain", "value": text},
        "icon": "comment",
    }


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        report = run(Path(tmp))
    report.save()
    return 0


if __name__ == "__main__":
    sys.exit(main())
