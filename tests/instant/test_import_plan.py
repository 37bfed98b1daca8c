"""Tests for planning an Instant JSON import over a layer (overlay semantics, per-record errors)."""

from __future__ import annotations

from typing import Any

from reviewer_app.instant import FORMAT, is_ulid, parse_document, plan_import

from .examples import annotation, bookmark, form_field_value


def document(**lists: Any) -> Any:
    return parse_document({"format": FORMAT, **lists})


def test_mixed_valid_and_invalid_records() -> None:
    doc = document(
        annotations=[
            annotation("pspdfkit/ink", id="A1"),
            annotation("pspdfkit/stamp", id="BAD", stampType="Nope"),
            annotation("pspdfkit/note"),
            "not an object",
            annotation("pspdfkit/markup/highlight", color="yellow"),
        ],
        bookmarks=[bookmark(id="B1"), bookmark(action=None)],
        formFieldValues=[form_field_value(name="")],
    )
    result = plan_import(doc)
    kinds_and_ids = [(r.kind, r.id) for r in result.upserts]
    assert kinds_and_ids[0] == ("annotation", "A1")
    assert kinds_and_ids[1][0] == "annotation" and is_ulid(kinds_and_ids[1][1])
    assert kinds_and_ids[2] == ("bookmark", "B1")
    assert len(kinds_and_ids) == 3
    reasons = [error["reason"] for error in result.errors]
    assert all(set(error) == {"reason"} for error in result.errors)
    assert len(reasons) == 5
    assert reasons[0].startswith("annotations[1] (id 'BAD', type 'pspdfkit/stamp'): 'stampType'")
    assert reasons[1].startswith("annotations[3]: an annotation must be an object")
    assert reasons[2].startswith("annotations[4] (no id, type 'pspdfkit/markup/highlight'): ")
    assert "'color' must be a colour" in reasons[2]
    assert reasons[3].startswith("bookmarks[1] (no id, type 'pspdfkit/bookmark'): 'action'")
    assert reasons[4].startswith("formFieldValues[0] (no id, name '', type ")
    assert result.deletions == []


def test_upserts_carry_content_unchanged_and_unowned() -> None:
    content = annotation("pspdfkit/ink", id="A1", creatorName="Alice", customData={"k": [1]})
    result = plan_import(document(annotations=[content]))
    (record,) = result.upserts
    assert record.content == content
    assert (record.created_by, record.updated_by, record.group) == (None, None, None)


def test_new_annotations_get_unique_ulids_and_keep_their_content() -> None:
    notes = [annotation("pspdfkit/note") for _ in range(3)]
    result = plan_import(document(annotations=notes))
    ids = [r.id for r in result.upserts]
    assert len(set(ids)) == 3 and all(is_ulid(i) for i in ids)
    assert all("id" not in r.content for r in result.upserts)


def test_pdf_object_id_replaces_the_base_record() -> None:
    replacement = annotation("pspdfkit/markup/highlight", id="12", pdfObjectId=12)
    new_with_unknown_object = annotation("pspdfkit/note", pdfObjectId=99)
    doc = document(annotations=[replacement, new_with_unknown_object], skippedPdfObjectIds=[12])
    result = plan_import(doc, base_ids_by_pdf_object_id={12: "BASE12", 57: "BASE57"})
    assert result.upserts[0].id == "BASE12"
    assert result.upserts[0].content == replacement
    assert result.upserts[1].id != "BASE57" and is_ulid(result.upserts[1].id)
    assert result.deletions == []
    assert result.errors == []


def test_skipped_object_ids_not_replaced_are_deleted() -> None:
    doc = document(
        annotations=[annotation("pspdfkit/ink", pdfObjectId=12)],
        skippedPdfObjectIds=[12, 57, 57, 1000],
    )
    base = {12: "BASE12", 57: "BASE57", 80: "BASE80"}
    result = plan_import(doc, base_ids_by_pdf_object_id=base)
    assert [r.id for r in result.upserts] == ["BASE12"]
    assert result.deletions == [("annotation", "BASE57")]


def test_an_invalid_replacement_keeps_the_base_record() -> None:
    bad = annotation("pspdfkit/ink", pdfObjectId=12, lineWidth=-3)
    doc = document(annotations=[bad], skippedPdfObjectIds=[12])
    result = plan_import(doc, base_ids_by_pdf_object_id={12: "BASE12"})
    assert result.upserts == [] and result.deletions == []
    assert result.errors[0]["reason"].startswith("annotations[0] (no id, pdfObjectId 12, type ")


def test_an_explicit_id_update_of_a_skipped_base_record_is_not_deleted() -> None:
    doc = document(annotations=[annotation("pspdfkit/ink", id="BASE12")], skippedPdfObjectIds=[12])
    result = plan_import(doc, base_ids_by_pdf_object_id={12: "BASE12"})
    assert [r.id for r in result.upserts] == ["BASE12"]
    assert result.deletions == []


def test_duplicate_ids_keep_the_first() -> None:
    doc = document(
        annotations=[
            annotation("pspdfkit/ink", id="X"),
            annotation("pspdfkit/note", id="X"),
            annotation("pspdfkit/image", id="BASE1"),
            annotation("pspdfkit/image", pdfObjectId=1),
        ],
        formFieldValues=[form_field_value(value="a"), form_field_value(value="b")],
    )
    result = plan_import(doc, base_ids_by_pdf_object_id={1: "BASE1"})
    assert [(r.id, r.content["type"]) for r in result.upserts] == [
        ("X", "pspdfkit/ink"),
        ("BASE1", "pspdfkit/image"),
        ("First-Name", "pspdfkit/form-field-value"),
    ]
    assert result.upserts[2].content["value"] == "a"
    reasons = [e["reason"] for e in result.errors]
    assert "duplicate id 'X' (first at annotations[0])" in reasons[0]
    assert reasons[1].startswith("annotations[3]") and "duplicate id 'BASE1'" in reasons[1]
    assert "duplicate id 'First-Name' (first at formFieldValues[0])" in reasons[2]


def test_form_field_value_ids_are_names() -> None:
    doc = document(
        formFieldValues=[form_field_value(name="A"), form_field_value(name="B", value=None)]
    )
    result = plan_import(doc)
    assert [(r.kind, r.id) for r in result.upserts] == [
        ("formFieldValue", "A"),
        ("formFieldValue", "B"),
    ]


def test_bookmark_ids() -> None:
    doc = document(bookmarks=[bookmark(id="B1"), bookmark(pdfBookmarkId="7"), bookmark()])
    ids = [r.id for r in plan_import(doc).upserts]
    assert ids[:2] == ["B1", "7"]
    assert is_ulid(ids[2])


def test_page_count_rejects_out_of_range_annotations() -> None:
    doc = document(
        annotations=[
            annotation("pspdfkit/ink", pageIndex=0),
            annotation("pspdfkit/ink", pageIndex=5),
        ]
    )
    result = plan_import(doc, page_count=5)
    assert len(result.upserts) == 1
    assert "Page index out of bounds" in result.errors[0]["reason"]
    assert len(plan_import(doc).upserts) == 2


def test_upsert_content_is_independent_of_the_document() -> None:
    doc = document(annotations=[annotation("pspdfkit/ink", id="A")])
    result = plan_import(doc)
    doc.annotations[0]["lineWidth"] = 99
    assert result.upserts[0].content["lineWidth"] == 4
