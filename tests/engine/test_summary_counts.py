"""Layer summaries kept between calls (by layer uid and revision) never go stale: after
changes, a new layer, a deleted and a restored one, they are what a fresh engine counts."""

from __future__ import annotations

from reviewer_app.engine import Document, LayerEngine
from tests.engine.conftest import base_records, note


def fresh(engine: LayerEngine, doc: Document) -> list[object]:
    with LayerEngine(engine.data_dir) as other:
        return list(other.layer_summaries(doc.id))


def test_kept_counts_follow_every_change(engine: LayerEngine, doc: Document) -> None:
    for n in range(12):  # more than FEW: counted all at once first
        engine.create_records(
            doc.id, f"s{n}", "annotation", [note(0, n, "hi", creatorName=f"A{n}")]
        )
    assert engine.layer_summaries(doc.id) == fresh(engine, doc)
    base_id = base_records(5)[0].id
    engine.delete_records(doc.id, "s3", [("annotation", base_id)])  # hides a base record
    engine.create_records(doc.id, "s4", "annotation", [note(1, 9, "more", creatorName="Zoe")])
    engine.create_records(doc.id, "new", "annotation", [note(2, 3, "new", creatorName="Ned")])
    engine.delete_layer(doc.id, "s5")
    shown = {s.name: s for s in engine.layer_summaries(doc.id)}
    assert list(shown.values()) == fresh(engine, doc)
    assert shown["s3"].annotations == shown["s0"].annotations - 1
    assert shown["s4"].authors == ("A4", "Zoe") and "s5" not in shown
    engine.restore_layer(doc.id)  # the newest deletion: s5 again
    restored = {s.name: s for s in engine.layer_summaries(doc.id)}
    assert restored["s5"].authors == ("A5",)
    assert list(restored.values()) == fresh(engine, doc)
