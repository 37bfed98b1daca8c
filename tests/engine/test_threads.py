"""Comment threads in the engine: comments are records of a layer, with Document Engine's
cascade rules, roots that must be there and able to hold comments, and a thread state."""

from __future__ import annotations

from typing import Any

import pytest

from reviewer_app.engine import BASE, BadRequest, Document, LayerEngine, NotFound
from reviewer_app.instant import FORMAT, Record, derived_id
from reviewer_app.instant.comments import STATE_KEY
from tests.engine.conftest import PDF_BYTES, note


def highlight(page: int = 0, **extra: Any) -> dict[str, Any]:
    return {
        "v": 2,
        "type": "pspdfkit/markup/highlight",
        "pageIndex": page,
        "bbox": [10, 10, 100, 12],
        "rects": [[10, 10, 100, 12]],
        "color": "#fcee7c",
        "opacity": 1,
        **extra,
    }


def marker(**extra: Any) -> dict[str, Any]:
    return {
        "v": 2,
        "type": "pspdfkit/comment-marker",
        "pageIndex": 1,
        "bbox": [50, 50, 24, 24],
        "icon": "comment",
        "isCommentThreadRoot": True,
        **extra,
    }


def add_root(engine: LayerEngine, doc: Document, layer: str, content: dict[str, Any]) -> str:
    return engine.create_records(doc.id, layer, "annotation", [content]).upserted[0].id


def reply(engine: LayerEngine, doc: Document, layer: str, root: str, text: str) -> str:
    change = engine.add_comments(doc.id, layer, root, [{"text": text, "creatorName": "Ann"}])
    return change.upserted[0].id


def shown(engine: LayerEngine, doc: Document, layer: str) -> set[tuple[str, str]]:
    return {r.key for r in engine.records(doc.id, layer) if r.kind in ("annotation", "comment")}


def test_a_reply_is_a_record_of_the_layer_only(engine: LayerEngine, doc: Document) -> None:
    root = add_root(engine, doc, "ann", highlight())
    cid = reply(engine, doc, "ann", root, "Why?")
    (thread,) = engine.threads(doc.id, "ann")
    assert thread.root.id == root
    (got,) = thread.comments
    assert got.id == cid
    assert got.content["type"] == "pspdfkit/comment" and got.content["rootId"] == root
    assert got.content["text"] == {"format": "plain", "value": "Why?"}
    assert got.content["pageIndex"] == 0 and got.content["createdAt"]
    assert engine.threads(doc.id, "bob") == []
    assert engine.records(doc.id, "ann", "comment")[0].id == cid


def test_comments_come_back_in_the_order_written(engine: LayerEngine, doc: Document) -> None:
    root = add_root(engine, doc, "ann", highlight())
    ids = [reply(engine, doc, "ann", root, f"#{i}") for i in range(5)]
    assert [c.id for c in engine.thread_comments(doc.id, "ann", root)] == ids


def test_a_root_that_cannot_hold_comments_is_refused(engine: LayerEngine, doc: Document) -> None:
    rid = add_root(engine, doc, "ann", note(0, 1, "a note"))
    with pytest.raises(BadRequest, match="only markup annotations and comment markers"):
        engine.add_comments(doc.id, "ann", rid, [{"text": "x"}])
    with pytest.raises(NotFound):
        engine.add_comments(doc.id, "ann", "NO-SUCH-ROOT", [{"text": "x"}])
    orphan = {
        "v": 2,
        "type": "pspdfkit/comment",
        "rootId": "NOPE",
        "pageIndex": 0,
        "text": {"format": "plain", "value": "x"},
    }
    with pytest.raises(BadRequest, match="root annotation 'NOPE' is not in the layer"):
        engine.create_records(doc.id, "ann", "comment", [orphan])
    assert engine.records(doc.id, "ann", "comment") == []


def test_deleting_a_root_deletes_its_comments_and_undo_brings_all_back(
    engine: LayerEngine, doc: Document
) -> None:
    root = add_root(engine, doc, "ann", highlight())
    other = add_root(engine, doc, "ann", highlight(page=2))
    mine = [reply(engine, doc, "ann", root, "a"), reply(engine, doc, "ann", root, "b")]
    kept = reply(engine, doc, "ann", other, "c")
    before = shown(engine, doc, "ann")
    change = engine.delete_records(doc.id, "ann", [("annotation", root)])
    assert set(change.deleted) == {("annotation", root), *(("comment", c) for c in mine)}
    assert {r.id for r in engine.records(doc.id, "ann", "comment")} == {kept}
    engine.undo(doc.id, "ann")
    assert shown(engine, doc, "ann") == before


def test_the_last_comment_of_a_marker_takes_the_marker_along(
    engine: LayerEngine, doc: Document
) -> None:
    mark = add_root(engine, doc, "ann", marker())
    first, second = reply(engine, doc, "ann", mark, "1"), reply(engine, doc, "ann", mark, "2")
    engine.delete_records(doc.id, "ann", [("comment", first)])
    assert ("annotation", mark) in shown(engine, doc, "ann")
    change = engine.delete_records(doc.id, "ann", [("comment", second)])
    assert ("annotation", mark) in change.deleted
    assert ("annotation", mark) not in shown(engine, doc, "ann")


def test_editing_a_markers_first_comment_edits_the_marker_too_in_one_step(
    engine: LayerEngine, doc: Document
) -> None:
    change = engine.create_thread(
        doc.id,
        "ann",
        marker(text={"format": "plain", "value": "old"}),
        [({"text": "old"}, "ann", None)],
    )
    mark, first = change.upserted[0].id, change.upserted[1].id
    second = reply(engine, doc, "ann", mark, "later")

    def said() -> tuple[str, list[str]]:
        (found,) = [r for r in engine.records(doc.id, "ann", "annotation") if r.id == mark]
        texts = [c.content["text"]["value"] for c in engine.thread_comments(doc.id, "ann", mark)]
        return found.content["text"]["value"], texts

    engine.edit_comment(doc.id, "ann", first, "new", user="bob")
    assert said() == ("new", ["new", "later"])
    engine.edit_comment(doc.id, "ann", second, "later, edited")
    assert said() == ("new", ["new", "later, edited"])  # a reply leaves the marker be
    engine.undo(doc.id, "ann")
    engine.undo(doc.id, "ann")
    assert said() == ("old", ["old", "later"])  # one step each
    with pytest.raises(NotFound):
        engine.edit_comment(doc.id, "ann", "NOPE", "x")


def test_a_highlight_outlives_its_last_comment(engine: LayerEngine, doc: Document) -> None:
    root = add_root(engine, doc, "ann", highlight())
    only = reply(engine, doc, "ann", root, "1")
    engine.delete_records(doc.id, "ann", [("comment", only)])
    assert shown(engine, doc, "ann") >= {("annotation", root)}


def test_thread_state_with_who_and_when(engine: LayerEngine, doc: Document) -> None:
    root = add_root(engine, doc, "ann", highlight(customData={"acme": True}))
    reply(engine, doc, "ann", root, "fix this")
    change = engine.set_thread_state(doc.id, "ann", root, "resolved", by="Dana")
    assert change.label == "Mark thread resolved"
    (thread,) = engine.threads(doc.id, "ann")
    assert thread.state.state == "resolved" and thread.state.by == "Dana" and thread.state.at
    assert thread.root.content["customData"]["acme"] is True
    assert STATE_KEY in thread.root.content["customData"]
    engine.set_thread_state(doc.id, "ann", root, "open", by="Ann")
    assert engine.threads(doc.id, "ann")[0].state.state == "open"
    engine.undo(doc.id, "ann")
    assert engine.threads(doc.id, "ann")[0].state.state == "resolved"
    with pytest.raises(BadRequest, match="one of open, resolved"):
        engine.set_thread_state(doc.id, "ann", root, "finished")


def test_fork_diff_copy_and_changes_feed_carry_comments(engine: LayerEngine, doc: Document) -> None:
    root = add_root(engine, doc, "ann", highlight())
    cid = reply(engine, doc, "ann", root, "hello")
    engine.fork_layer(doc.id, "ann", "fork")
    assert {r.id for r in engine.records(doc.id, "fork", "comment")} == {cid}
    diff = engine.diff(doc.id, "ann", "bob")
    assert {r.key for r in diff.only_a} == {("annotation", root), ("comment", cid)}
    change = engine.copy_records(doc.id, "ann", "bob", [("comment", cid)])  # the root comes too
    assert {r.key for r in change.upserted} == {("annotation", root), ("comment", cid)}
    feed = engine.changes_since(doc.id, "ann", 0)
    assert ("comment", cid) in {r.key for r in feed.upserted}


def test_editing_a_comment_keeps_its_author_and_cleans_its_xhtml(
    engine: LayerEngine, doc: Document
) -> None:
    root = add_root(engine, doc, "ann", highlight())
    change = engine.add_comments(doc.id, "ann", root, [{"text": "typo"}], user="ann")
    body = {**change.upserted[0].content, "id": change.upserted[0].id}
    body["text"] = {"format": "xhtml", "value": "<b>fixed</b><script>x()</script>"}
    edited = engine.update_records(doc.id, "ann", "comment", [body], user="bob").upserted[0]
    assert edited.content["text"]["value"] == "<b>fixed</b>"
    assert (edited.created_by, edited.updated_by) == ("ann", "bob")


ISSUE_FILE: dict[str, Any] = {
    "format": FORMAT,
    "annotations": [
        {**highlight(), "id": "01HBDGR9D5JTFERPSCEMNH5GPG", "isCommentThreadRoot": True}
    ],
    "comments": [
        {
            "type": "pspdfkit/comment",
            "v": 2,
            "id": "01HBDGRC0MMENT0000000000001",
            "rootId": "01HBDGR9D5JTFERPSCEMNH5GPG",
            "pageIndex": 0,
            "text": {"format": "xhtml", "value": "Annotation with <b>xhtml</b> contents."},
            "creatorName": "John Doe",
            "createdAt": "2019-09-16T15:05:03.712909Z",
            "updatedAt": "2019-09-16T15:05:03.712909Z",
            "customData": {},
        },
        {
            "type": "pspdfkit/comment",
            "v": 1,
            "id": "01HBDGRC0MMENT0000000000002",
            "rootId": "01HBDGR9D5JTFERPSCEMNH5GPG",
            "pageIndex": 0,
            "text": "A v1 reply",
            "customData": None,
        },
    ],
}


@pytest.mark.parametrize("how", ["import", "create", "apply"])
def test_the_issues_file_round_trips_without_loss(
    engine: LayerEngine, doc: Document, how: str
) -> None:
    """A highlight rooting a thread plus its comments: every way in stores them, with no
    error, and the layer's Instant JSON gives them back as they were."""
    if how == "create":
        errors = engine.create_layer(doc.id, "x", instant_json=ISSUE_FILE).errors
    else:
        _, errors = engine.import_instant(doc.id, "x", ISSUE_FILE)
    assert errors == []
    out = engine.export_instant(doc.id, "x")
    assert out["comments"] == ISSUE_FILE["comments"]
    (root,) = [a for a in out["annotations"] if a["id"] == ISSUE_FILE["annotations"][0]["id"]]
    assert root == ISSUE_FILE["annotations"][0]
    again = LayerEngine(
        engine.data_dir, engine.database
    )  # a second import of the export changes nothing
    try:
        _, errors = again.import_instant(doc.id, "x", out)
        assert errors == [] and again.export_instant(doc.id, "x") == out
    finally:
        again.close()


def test_an_imported_comment_without_its_root_is_an_error(
    engine: LayerEngine, doc: Document
) -> None:
    lost = {**ISSUE_FILE, "annotations": []}
    _, errors = engine.import_instant(doc.id, "x", lost)
    assert len(errors) == 2
    assert all("not imported: its root annotation" in e["reason"] for e in errors)
    assert errors[0]["reason"].startswith("comments[0]")
    assert engine.records(doc.id, "x", "comment") == []


def test_base_comments_from_the_pdf_are_threads_of_every_layer(
    engine: LayerEngine, tmp_path: Any
) -> None:
    root_id, comment_id = derived_id("s", "annotation", 7), derived_id("s", "annotation", 8)
    comment = {
        "v": 2,
        "type": "pspdfkit/comment",
        "rootId": root_id,
        "pageIndex": 0,
        "text": {"format": "plain", "value": "from the PDF"},
        "pdfObjectId": 8,
    }
    records = [
        Record("annotation", root_id, highlight(pdfObjectId=7, isCommentThreadRoot=True)),
        Record("comment", comment_id, comment),
    ]
    doc = engine.add_document(PDF_BYTES + b"2", records=records, page_count=1)
    assert [c.id for c in engine.threads(doc.id, BASE)[0].comments] == [comment_id]
    engine.delete_records(doc.id, "ann", [("comment", comment_id)])
    assert engine.layer_export(doc.id, "ann").remove_object_ids == {8}
    out = engine.export_instant(doc.id, "ann")
    assert out["skippedPdfObjectIds"] == [8]
    _, errors = engine.import_instant(doc.id, "again", out)
    assert errors == [] and engine.records(doc.id, "again", "comment") == []
