"""Finding 4: a record no reader can take, stored in one student's layer on the server (by an
older version, or another program writing the SQLite file), is skipped: that layer's reads and
changes feed answer, and a teacher's sync pulls every layer, the ones after it included."""

from __future__ import annotations

from collections.abc import Callable

from tests.engine.test_unreadable_records import UNREADABLE
from tests.server.conftest import note
from tests.sync.conftest import LiveServer, Replica


def plant(server: LiveServer, document_id: str, layer: str, rows: dict[str, str]) -> None:
    """Write ``rows`` (id → content text) into the server's layer, straight into its database."""
    with server.store() as conn:
        layer_id, revision = conn.execute(
            "SELECT id, revision FROM layers WHERE document_id = ? AND name = ?",
            (document_id, layer),
        ).fetchone()
        conn.execute("UPDATE layers SET revision = ? WHERE id = ?", (revision + 1, layer_id))
        conn.executemany(
            "INSERT INTO layer_records (layer_id, kind, id, ord, page_index, content, revision, "
            "updated_at) VALUES (?, 'annotation', ?, NULL, 0, ?, ?, '2024-01-01T00:00:00.000Z')",
            [(layer_id, rid, text, revision + 1) for rid, text in rows.items()],
        )


def test_a_teacher_syncs_every_layer_past_an_unreadable_record(
    server: LiveServer, replicas: Callable[..., Replica]
) -> None:
    doc = server.upload()
    for layer in ("a-broken", "b-fine", "c-fine"):
        made = server.call(
            "POST",
            f"/api/documents/{doc}/layers/{layer}/annotations",
            json={"id": f"{layer}-note", "content": note(0, 10, layer)},
        )
        assert made.status_code == 200, made.text
    plant(server, doc, "a-broken", UNREADABLE)
    broken = f"/api/documents/{doc}/layers/a-broken"
    listing = server.call("GET", f"{broken}/annotations")
    assert listing.status_code == 200
    assert {a["id"] for a in listing.json()["data"]["annotations"]} & UNREADABLE.keys() == set()
    lines = server.call("GET", f"{broken}/annotations", headers={"Accept": "application/x-ndjson"})
    assert lines.status_code == 200 and "a-broken-note" in lines.text
    feed = server.call("GET", f"{broken}/changes", params={"since": 0})
    assert feed.status_code == 200
    assert [r["id"] for r in feed.json()["data"]["upserted"]] == ["a-broken-note"]
    exported = server.call("GET", f"{broken}/document.json")
    assert exported.status_code == 200
    assert "a-broken-note" in {a["id"] for a in exported.json()["annotations"]}
    for rid in UNREADABLE:
        got = server.call("GET", f"{broken}/annotations/{rid}")
        assert got.status_code == 404 and set(got.json()) == {"details", "status"}
    teacher = replicas("teacher", server.url, server.token(doc, layers=["*"]), doc)
    report = teacher.session.sync_all()
    engine = teacher.engine
    assert {"a-broken", "b-fine", "c-fine"} <= set(engine.layer_names(doc))
    for layer in ("a-broken", "b-fine", "c-fine"):
        assert f"{layer}-note" in {r.id for r in engine.annotations(doc, layer)}
    assert report.rejected == [] and teacher.session.status.state == "synced"
