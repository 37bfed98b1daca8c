"""Finding 5: a layer whose name a URL path cannot carry (``7b/alice``, made before the server
refused such names, or here on the desktop) is skipped with a notice; every other layer syncs."""

from __future__ import annotations

from collections.abc import Callable

from tests.server.conftest import note
from tests.sync.conftest import LiveServer, Replica


def plant_layer(server: LiveServer, document_id: str, name: str) -> None:
    """A layer the server holds from before it refused such names (straight into its file)."""
    with server.store() as conn:
        conn.execute(
            "INSERT INTO layers (document_id, name, uid, revision, created_at, updated_at) "
            "VALUES (?, ?, ?, 0, '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z')",
            (document_id, name, f"uid-{name}"),
        )


def test_a_teacher_sync_skips_names_a_url_cannot_carry(
    server: LiveServer, replicas: Callable[..., Replica]
) -> None:
    doc = server.upload()
    plant_layer(server, doc, "7b/alice")
    plant_layer(server, doc, "..")
    for layer in ("7b-bob", "8a"):
        made = server.call(
            "POST",
            f"/api/documents/{doc}/layers/{layer}/annotations",
            json={"id": f"{layer}-note", "content": note(0, 10, layer)},
        )
        assert made.status_code == 200, made.text
    teacher = replicas("teacher", server.url, server.token(doc, layers=["*"]), doc)
    teacher.engine.create_records(doc, "9c/carol", "annotation", [note(0, 20, "mine", id="c")])
    teacher.engine.create_records(doc, "9c-dave", "annotation", [note(0, 20, "mine", id="d")])
    report = teacher.session.sync_all()
    for layer in ("7b-bob", "8a"):
        assert f"{layer}-note" in {r.id for r in teacher.engine.annotations(doc, layer)}
    assert {"7b/alice", ".."}.isdisjoint(teacher.engine.layer_names(doc))
    skipped = [n for n in report.notices if "cannot be synced" in n]
    assert len(skipped) == 3 and all("URL" in n for n in skipped)
    assert "9c-dave" in server.layers(doc) and "9c/carol" not in server.layers(doc)
    status = teacher.session.status
    assert status.state == "synced" and ("9c/carol", "local") in status.layers
    assert server.call("GET", f"/api/documents/{doc}/layers/9c-dave/annotations/d").ok
