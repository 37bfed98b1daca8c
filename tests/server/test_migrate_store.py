"""Moving a class server up: ``reviewer-server migrate-store`` copies a SQLite server's data
into PostgreSQL without loss (documents, layers, records, history, the trash, idempotency keys,
picture uploads, grading), checks every layer, and a server on the copy answers as before."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import requests

from reviewer_app.engine import LayerEngine
from reviewer_app.engine.db import Database, open_store
from reviewer_app.engine.grading_scheme import Question, Scheme
from reviewer_app.engine.layer_engine import DATABASE_NAME
from reviewer_app.engine.store_copy import CopyReport, compare
from reviewer_app.engine.sync_support import parse_changes
from reviewer_app.pdf import extract_base_layer
from tests.conftest import image_record
from tests.postgres import Cluster
from tests.server.conftest import SECRET, make_pdf, note, start_server, stop_server

PNG = b"\x89PNG\r\n\x1a\n" + b"a picture kept by the class server"
AUTH = {"Authorization": f'Token token="{SECRET}"'}


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reviewer_app.server.cli", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=dict(os.environ),
        check=False,
    )


def class_server(data: Path) -> tuple[str, dict[str, Any]]:
    """A class server's data folder with something of everything; the document's id and what
    its layers read (to compare after the move)."""
    pdf = make_pdf("class server")
    extraction = extract_base_layer(pdf)
    with LayerEngine(data) as engine:
        doc = engine.add_document(
            pdf, records=extraction.records, page_count=extraction.page_count
        ).id
        engine.add_document(make_pdf("another"), records=[], page_count=2)
        for i in range(12):
            engine.create_records(doc, f"student {i:02d}", "annotation", [note(0, 10 + i, "hi")])
        picture = engine.add_attachments(doc, "student 00", [PNG])[0]
        engine.create_records(doc, "student 00", "annotation", [image_record(picture)])
        engine.fork_layer(doc, "student 01", "student 01 copy")
        base = engine.annotations(doc, "")[0]
        engine.delete_records(doc, "student 02", [("annotation", base.id)])
        engine.undo(doc, "student 03")  # a step undone, kept for redo
        engine.delete_layer(doc, "student 04")  # in the trash
        changes = parse_changes(
            [{"kind": "annotation", "id": "pushed", "base_revision": 0, "content": note(1, 5, "x")}]
        )
        engine.push_changes(doc, "student 05", "the-key", changes, user="s5")
        marker = {
            "v": 2,
            "type": "pspdfkit/comment-marker",
            "pageIndex": 1,
            "bbox": [50, 50, 24, 24],
            "icon": "comment",
            "isCommentThreadRoot": True,
        }
        root = engine.create_records(doc, "teacher", "annotation", [marker])
        engine.add_comments(doc, "teacher", root.upserted[0].id, [{"text": "well done"}])
        engine.set_grading_scheme(doc, Scheme((Question("q1", "Question 1", 5),)))
        reads = {
            "layers": [(i.name, i.uid, i.revision, i.own_records) for i in engine.layers(doc)],
            "records": {
                name: sorted((r.kind, r.id, repr(r.content)) for r in engine.records(doc, name))
                for name in engine.layer_names(doc)
            },
            "undo": {name: engine.redo_label(doc, name) for name in engine.layer_names(doc)},
            "trash": [(d.name, d.uid, d.revision) for d in engine.deleted_layers(doc)],
            "scheme": engine.grading_scheme(doc),
            "feed": engine.changes_feed(doc, "student 05", 0),
            "picture": picture,
        }
    return doc, reads


def test_migrate_store_copies_a_class_server_without_loss(
    pg_cluster: Cluster, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    doc, before = class_server(data)
    url = pg_cluster.database("moved", migrated=False)  # migrate-store migrates it
    moved = cli("migrate-store", "--from", f"sqlite:///{data / DATABASE_NAME}", "--to", url)
    assert moved.returncode == 0, moved.stderr
    assert "checked 15 layers" in moved.stdout
    assert "every layer's records, history and revision are identical" in moved.stdout
    assert "sync_pushes 1" in moved.stdout and "attachment_uploads 1" in moved.stdout
    with LayerEngine(data, url) as engine:
        after = {
            "layers": [(i.name, i.uid, i.revision, i.own_records) for i in engine.layers(doc)],
            "records": {
                name: sorted((r.kind, r.id, repr(r.content)) for r in engine.records(doc, name))
                for name in engine.layer_names(doc)
            },
            "undo": {name: engine.redo_label(doc, name) for name in engine.layer_names(doc)},
            "trash": [(d.name, d.uid, d.revision) for d in engine.deleted_layers(doc)],
            "scheme": engine.grading_scheme(doc),
            "feed": engine.changes_feed(doc, "student 05", 0),
            "picture": before["picture"],
        }
        assert after == before
        engine.restore_layer(doc)  # the trash works on the copy: new rows get new ids
        engine.create_layer(doc, "new after the move")
        assert "student 04" in engine.layer_names(doc)
    again = cli("migrate-store", "--from", f"sqlite:///{data / DATABASE_NAME}", "--to", url)
    assert again.returncode == 2 and "already holds documents" in again.stderr
    env = {"API_AUTH_TOKEN": SECRET}
    proc, server = start_server(data, "--database", url, env=env)
    try:
        layer = f"{server}/api/documents/{doc}/layers/student 05"
        body = {
            "idempotency_key": "the-key",
            "changes": [
                {
                    "kind": "annotation",
                    "id": "pushed",
                    "base_revision": 0,
                    "content": note(1, 5, "x"),
                }
            ],
        }
        replay = requests.post(f"{layer}/push", json=body, headers=AUTH, timeout=60).json()
        assert replay["data"]["replayed"] is True  # the key came along
        picture = requests.get(
            f"{server}/api/documents/{doc}/layers/student 00/attachments/{before['picture']}",
            headers=AUTH,
            timeout=60,
        )
        assert picture.status_code == 200 and picture.content == PNG
    finally:
        stop_server(proc)


def test_the_check_finds_a_record_that_differs(pg_cluster: Cluster, tmp_path: Path) -> None:
    data = tmp_path / "data"
    doc, before = class_server(data)
    url = pg_cluster.database("checked")
    moved = cli("migrate-store", "--from", f"sqlite:///{data / DATABASE_NAME}", "--to", url)
    assert moved.returncode == 0, moved.stderr
    source, target = Database(data / DATABASE_NAME), open_store(url)
    try:
        with target.atomic() as conn:
            conn.execute("UPDATE layer_records SET content = '{}' WHERE id = 'pushed'")
            conn.execute("UPDATE layers SET revision = revision + 1 WHERE name = 'teacher'")
            conn.execute("DELETE FROM sync_pushes")
        report = CopyReport()
        compare(source, target, report)
    finally:
        source.close()
        target.close()
    (_, uid, revision, _) = next(t for t in before["layers"] if t[0] == "teacher")
    assert report.layers_checked == 15 and not report.identical
    assert sorted(report.differences) == [
        f"layer 'student 05' of document {doc}: its records differ",
        f"layer 'teacher' of document {doc}: uid {uid} revision {revision} became {uid} "
        f"revision {revision + 1}",
        "sync_pushes: 1 rows in the source, 0 in the target",
    ]
