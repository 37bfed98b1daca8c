"""Tests for parsing, serialising and building Instant JSON documents."""

from __future__ import annotations

import json
from typing import Any

import pytest

from reviewer_app.instant import (
    FORMAT,
    InstantError,
    Record,
    build_document,
    dumps_document,
    parse_document,
    serialise_document,
)

from .examples import annotation, bookmark, examples, form_field_value

NUTRIENT_FORMAT = "https://www.nutrient.io/instant-json/v1"


def full_document() -> dict[str, Any]:
    return {
        "format": FORMAT,
        "pdfId": {"permanent": "9C3nLxNzQBuBBzv96LbdMg==", "changing": "Oi+XccZpDHChV7I="},
        "skippedPdfObjectIds": [12, 57],
        "annotations": [
            *examples(2),
            *examples(1),
            {
                "v": 2,
                "type": "pspdfkit/future-thing",
                "pageIndex": 0,
                "bbox": [0, 0, 1, 1],
                "customData": {"reviewer": {"tags": ["a", "b"], "score": 0.5}},
                "unmodelledKey": [None, True, {"deep": "value"}],
            },
        ],
        "attachments": {"a" * 64: {"binary": "aGVsbG8=", "contentType": "image/png"}},
        "formFields": [{"v": 1, "type": "pspdfkit/form-field/text", "name": "First-Name"}],
        "formFieldValues": [form_field_value()],
        "bookmarks": [bookmark()],
        "comments": [{"type": "pspdfkit/comment", "v": 2, "rootId": "X", "pageIndex": 0}],
        "skippedPdfBookmarkIds": ["7"],
        "vendorExtension": {"anything": [1, 2.5, "three"]},
    }


def test_round_trip_is_lossless() -> None:
    source = full_document()
    doc = parse_document(source)
    assert serialise_document(doc) == source
    assert list(serialise_document(doc)) == list(source)  # key order too
    assert doc.extra == {
        "skippedPdfBookmarkIds": ["7"],
        "vendorExtension": {"anything": [1, 2.5, "three"]},
    }
    assert json.loads(dumps_document(doc)) == source
    assert parse_document(dumps_document(doc).encode()) == doc


def test_fields_are_parsed() -> None:
    doc = parse_document(json.dumps(full_document()))
    assert doc.skipped_pdf_object_ids == [12, 57]
    assert doc.pdf_id == full_document()["pdfId"]
    assert doc.bookmarks == [bookmark()]
    assert doc.form_field_values == [form_field_value()]
    assert doc.form_fields[0]["name"] == "First-Name"
    assert doc.comments[0]["rootId"] == "X"
    assert list(doc.attachments) == ["a" * 64]


def test_absent_keys_stay_absent_and_empty_lists_stay() -> None:
    assert serialise_document(parse_document({"format": FORMAT})) == {"format": FORMAT}
    source: dict[str, Any] = {"format": FORMAT, "bookmarks": [], "pdfId": None}
    assert serialise_document(parse_document(source)) == source


def test_parse_copies_a_dict_and_serialise_returns_a_copy() -> None:
    source = full_document()
    doc = parse_document(source)
    source["annotations"][0]["pageIndex"] = 99
    assert doc.annotations[0]["pageIndex"] == 0
    out = serialise_document(doc)
    out["annotations"][0]["pageIndex"] = 42
    assert doc.annotations[0]["pageIndex"] == 0


def test_nutrient_format_is_accepted_and_normalised() -> None:
    doc = parse_document({"format": NUTRIENT_FORMAT, "annotations": []})
    assert serialise_document(doc) == {"format": FORMAT, "annotations": []}


def test_bytes_with_bom_are_accepted() -> None:
    doc = parse_document(b'\xef\xbb\xbf{"format": "' + FORMAT.encode() + b'"}')
    assert doc.annotations == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("{\n\n  nope", "not valid JSON: line 3 column 3:"),
        (b"\xff\xfe", "not valid UTF-8"),
        ('{"format": NaN}', "NaN is not a JSON number"),
        ("[1, 2]", "Instant JSON must be an object, not array"),
        ("{}", "missing 'format'"),
        ({"annotations": []}, "missing 'format'"),
        (
            {"format": "https://example.org/v2"},
            "unsupported format string 'https://example.org/v2'",
        ),
        ({"format": None}, "unsupported format null"),
        ({"format": FORMAT, "annotations": {}}, "'annotations' must be a list, not object"),
        ({"format": FORMAT, "bookmarks": None}, "'bookmarks' must be a list"),
        ({"format": FORMAT, "formFieldValues": "x"}, "'formFieldValues' must be a list"),
        ({"format": FORMAT, "formFields": 1}, "'formFields' must be a list"),
        ({"format": FORMAT, "comments": {}}, "'comments' must be a list"),
        ({"format": FORMAT, "attachments": []}, "'attachments' must be an object"),
        ({"format": FORMAT, "pdfId": "abc"}, "'pdfId' must be an object"),
        ({"format": FORMAT, "skippedPdfObjectIds": [1, "2"]}, "'skippedPdfObjectIds' must be"),
        ({"format": FORMAT, "skippedPdfObjectIds": [True]}, "'skippedPdfObjectIds' must be"),
    ],
)
def test_document_errors(data: Any, message: str) -> None:
    with pytest.raises(InstantError) as caught:
        parse_document(data)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_deep_nesting_is_an_instant_error() -> None:
    with pytest.raises(InstantError, match="nested too deeply"):
        parse_document('{"format": "' + FORMAT + '", "x": ' + "[" * 100_000 + "]" * 100_000 + "}")


def test_instant_error_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        parse_document("not json")


def test_records_are_not_validated_by_parse() -> None:
    doc = parse_document({"format": FORMAT, "annotations": [{"v": 99}, "not even an object"]})
    assert doc.annotations == [{"v": 99}, "not even an object"]


def test_dumps_rejects_values_json_cannot_hold() -> None:
    doc = parse_document({"format": FORMAT})
    doc.annotations.append(annotation("pspdfkit/image", bbox=[0, 0, float("inf"), 1]))
    with pytest.raises(InstantError, match="cannot write as JSON"):
        dumps_document(doc)


def test_build_document_exports_records_with_ids() -> None:
    note = annotation("pspdfkit/note", id="stale-id")
    records = [
        Record("annotation", "01A", note, created_by="alice"),
        Record("bookmark", "01B", bookmark()),
        Record("formFieldValue", "First-Name", form_field_value()),
        Record("annotation", "01C", annotation("pspdfkit/ink")),
    ]
    doc = build_document(records, skipped_pdf_object_ids=[3], pdf_id={"permanent": "p"})
    out = serialise_document(doc)
    assert list(out) == [
        "format",
        "pdfId",
        "skippedPdfObjectIds",
        "annotations",
        "bookmarks",
        "formFieldValues",
    ]
    assert [a["id"] for a in out["annotations"]] == ["01A", "01C"]
    assert out["annotations"][0] == {**note, "id": "01A"}
    assert out["bookmarks"] == [{**bookmark(), "id": "01B"}]
    assert out["formFieldValues"] == [form_field_value()]
    assert note["id"] == "stale-id"  # the record's content is not modified


def test_build_document_without_records_still_lists_them() -> None:
    out = serialise_document(build_document([]))
    assert out == {"format": FORMAT, "annotations": [], "bookmarks": [], "formFieldValues": []}
