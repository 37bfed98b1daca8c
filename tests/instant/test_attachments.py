"""Attachments in Instant JSON: decoding, checking the SHA-256, and planning them on import."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

import pytest

from reviewer_app.instant import (
    FORMAT,
    build_document,
    parse_document,
    plan_import,
    serialise_document,
)
from reviewer_app.instant import Record as InstantRecord
from reviewer_app.instant.attachments import (
    MAX_ATTACHMENT_BYTES,
    decode_attachment,
    decode_attachments,
    referenced_ids,
)
from tests.instant.examples import annotation

PNG = b"\x89PNG\r\n\x1a\n" + b"picture bytes"
SHA = hashlib.sha256(PNG).hexdigest()


def entry(data: bytes = PNG, **extra: Any) -> dict[str, Any]:
    return {"binary": base64.b64encode(data).decode(), "contentType": "image/png", **extra}


def image(attachment_id: object, **extra: Any) -> dict[str, Any]:
    return annotation("pspdfkit/image", imageAttachmentId=attachment_id, **extra)


def test_an_entry_named_by_its_sha256_decodes() -> None:
    found = decode_attachment(SHA, entry())
    assert (found.data, found.sha256, found.content_type) == (PNG, SHA, "image/png")
    assert decode_attachment(SHA.upper(), entry()).sha256 == SHA  # either case of hex


@pytest.mark.parametrize(
    ("key", "value", "problem"),
    [
        ("0" * 64, entry(), "SHA-256 is " + SHA),
        (SHA, {"binary": "not base64!"}, "not valid base64"),
        (SHA, {"binary": ""}, "empty"),
        (SHA, {"contentType": "image/png"}, "'binary' must be a base64 string"),
        (SHA, {"binary": "aGk=", "contentType": 3}, "'contentType' must be a string"),
        (SHA, "aGk=", "must be an object"),
        (SHA, {"binary": "A" * ((MAX_ATTACHMENT_BYTES // 3 + 100) * 4)}, "larger than"),
    ],
)
def test_a_bad_entry_says_what_is_wrong(key: str, value: object, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        decode_attachment(key, value)


def test_bad_entries_are_errors_and_the_good_ones_are_kept() -> None:
    found, errors = decode_attachments({SHA: entry(), "f" * 64: entry(), "9": {"binary": "%%"}})
    assert list(found) == [SHA]
    assert len(errors) == 2
    assert errors[0]["reason"].startswith(f"attachments['{'f' * 64}']: the bytes' SHA-256 is")
    assert errors[1]["reason"] == "attachments['9']: 'binary' is not valid base64"


def test_import_plan_carries_the_pictures_by_sha256() -> None:
    doc = parse_document(
        {
            "format": FORMAT,
            "annotations": [image(SHA, id="IMG1"), image("7", id="IMG2"), image(7, id="IMG3")],
            "attachments": {SHA: entry(), "7": entry(), "0" * 64: entry(b"other")},
        }
    )
    plan = plan_import(doc, page_count=3)
    assert set(plan.attachments) == {SHA}
    assert plan.attachments[SHA].data == PNG
    # the one keyed by its pdfObjectId is stored by SHA-256: the annotations follow it
    ids = [r.content["imageAttachmentId"] for r in plan.upserts]
    assert ids == [SHA, SHA, SHA]
    assert [r.id for r in plan.upserts] == ["IMG1", "IMG2", "IMG3"]
    assert len(plan.errors) == 1 and "attachments['" + "0" * 64 + "']" in plan.errors[0]["reason"]
    assert doc.annotations[1]["imageAttachmentId"] == "7"  # the parsed document is not changed


def test_an_image_whose_picture_is_bad_still_lands() -> None:
    doc = parse_document(
        {"format": FORMAT, "annotations": [image(SHA)], "attachments": {SHA: {"binary": "?"}}}
    )
    plan = plan_import(doc, page_count=3)
    assert len(plan.upserts) == 1 and plan.attachments == {}
    assert plan.errors == [{"reason": f"attachments['{SHA}']: 'binary' is not valid base64"}]


def test_built_document_lists_attachments_after_annotations() -> None:
    records = [InstantRecord("annotation", "IMG1", image(SHA))]
    built = serialise_document(build_document(records, attachments={SHA: entry()}))
    assert list(built) == ["format", "annotations", "attachments", "bookmarks", "formFieldValues"]
    assert built["attachments"] == {SHA: entry()}
    assert "attachments" not in serialise_document(build_document(records))


def test_referenced_ids_are_those_of_image_annotations_once_each() -> None:
    contents = [image(SHA), image(SHA), annotation("pspdfkit/note"), image(12), image("b" * 64)]
    assert referenced_ids(contents) == [SHA, "b" * 64]
