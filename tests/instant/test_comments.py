"""Comments in Instant JSON: validation (v1 and v2), safe XHTML, thread state in customData,
and an import that stores comments or says why not, never dropping anything in silence."""

from __future__ import annotations

from typing import Any

import pytest

from reviewer_app.instant import FORMAT, parse_document, plan_import
from reviewer_app.instant.comments import (
    STATE_KEY,
    ThreadState,
    comment_words,
    safe_xhtml,
    sanitised,
    thread_state,
    validate_comment,
    with_state,
)
from reviewer_app.instant.document import build_document, serialise_document
from reviewer_app.instant.records import Record
from reviewer_app.instant.threads import reply_counts, threads_of

HIGHLIGHT: dict[str, Any] = {
    "v": 2,
    "type": "pspdfkit/markup/highlight",
    "id": "ROOT",
    "pageIndex": 0,
    "bbox": [10, 10, 100, 12],
    "rects": [[10, 10, 100, 12]],
    "color": "#fcee7c",
    "isCommentThreadRoot": True,
}


def comment(text: Any = None, v: int = 2, **extra: Any) -> dict[str, Any]:
    if text is None:
        text = "Looks good" if v == 1 else {"format": "plain", "value": "Looks good"}
    return {
        "type": "pspdfkit/comment",
        "v": v,
        "rootId": "ROOT",
        "pageIndex": 0,
        "text": text,
        **extra,
    }


def test_v1_and_v2_comments_are_valid() -> None:
    assert validate_comment(comment(v=1)) == []
    assert validate_comment(comment(creatorName="Ann", createdAt="2024-01-01T10:00:00Z")) == []
    assert validate_comment(comment({"format": "xhtml", "value": "<b>yes</b>"})) == []


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (comment(v=3), "'v' must be 1 or 2"),
        ({**comment(), "rootId": ""}, "'rootId' must name the thread's root annotation"),
        ({k: v for k, v in comment().items() if k != "text"}, "missing 'text'"),
        (comment("plain string in v2"), "'text' must be {'format', 'value'} in v2"),
        (comment({"value": 1}, v=1), "'text' must be a string in v1"),
        (comment({"format": "rtf", "value": "x"}), "'text.format' must be one of plain, xhtml"),
        (comment(createdAt="yesterday"), "'createdAt' must be an ISO 8601"),
        (comment(customData=[1]), "'customData' must be an object or null"),
        ({**comment(), "type": "pspdfkit/note"}, "'type' must be 'pspdfkit/comment'"),
        ({**comment(), "pageIndex": 9}, "Page index out of bounds"),
    ],
)
def test_bad_comments_say_why(content: dict[str, Any], problem: str) -> None:
    problems = validate_comment(content, page_count=2)
    assert any(problem in p for p in problems), problems


def test_unsafe_xhtml_is_cleaned_and_safe_xhtml_kept_exactly() -> None:
    safe = 'Annotation with <b>xhtml</b> <a href="https://example.org">contents</a>.'
    assert safe_xhtml(safe) == safe
    dirty = (
        '<p onclick="steal()">Hi<script>alert(1)</script> <a href="javascript:x()">x</a>'
        '<img src=x onerror=alert(2)><span style="color: #ff0000; position: fixed">red</span></p>'
    )
    clean = safe_xhtml(dirty)
    for bad in ("script", "onclick", "javascript", "img", "onerror", "position"):
        assert bad not in clean
    assert "Hi" in clean and "red" in clean and "color" in clean
    body, changed = sanitised(comment({"format": "xhtml", "value": dirty}))
    assert changed and body["text"]["value"] == clean
    assert sanitised(comment({"format": "plain", "value": dirty})) == (
        comment({"format": "plain", "value": dirty}),
        False,
    )


def test_the_state_lives_in_custom_data_beside_what_was_there() -> None:
    root = {**HIGHLIGHT, "customData": {"acme": 1}}
    assert thread_state(root) == ThreadState("open")
    resolved = with_state(root, ThreadState("resolved", "Dana", "2024-05-01T10:00:00Z"))
    assert resolved["customData"]["acme"] == 1
    assert resolved["customData"][STATE_KEY] == {
        "state": "resolved",
        "by": "Dana",
        "at": "2024-05-01T10:00:00Z",
    }
    assert thread_state(resolved).state == "resolved"
    assert root["customData"] == {"acme": 1}  # a copy was changed
    assert thread_state({"customData": {STATE_KEY: {"state": "nonsense"}}}).state == "open"
    with pytest.raises(ValueError, match="one of open, resolved"):
        with_state(root, ThreadState("done"))


def test_words_of_an_xhtml_comment() -> None:
    assert comment_words(comment({"format": "xhtml", "value": "<p>a &amp; b</p><p>c</p>"})) == (
        "a & b\nc"
    )
    assert comment_words(comment("v1 words", v=1)) == "v1 words"


def test_import_plans_comments_with_their_ids_and_reports_bad_ones() -> None:
    doc = parse_document(
        {
            "format": FORMAT,
            "annotations": [HIGHLIGHT],
            "comments": [
                {**comment(), "id": "C1"},
                comment(v=1),
                {**comment(), "rootId": 5},
                {**comment(), "id": "C1"},
            ],
        }
    )
    plan = plan_import(doc, page_count=1)
    comments = [r for r in plan.upserts if r.kind == "comment"]
    assert comments[0].id == "C1" and comments[0].content["text"]["value"] == "Looks good"
    assert len(comments) == 2
    reasons = [e["reason"] for e in plan.errors]
    assert any(r.startswith("comments[2]") and "rootId" in r for r in reasons), reasons
    assert any(r.startswith("comments[3]") and "duplicate id 'C1'" in r for r in reasons)


def test_unsafe_comment_text_is_imported_clean_and_said() -> None:
    dirty = {"format": "xhtml", "value": "ok<script>x()</script>"}
    plan = plan_import(parse_document({"format": FORMAT, "comments": [comment(dirty)]}))
    (stored,) = plan.upserts
    assert stored.content["text"]["value"] == "ok"
    assert "unsafe XHTML" in plan.errors[0]["reason"]


def test_what_a_layer_does_not_store_is_reported_never_dropped_in_silence() -> None:
    doc = parse_document(
        {
            "format": FORMAT,
            "formFields": [{"v": 1, "type": "pspdfkit/form-field/text", "name": "A"}] * 2,
            "acme": {"x": 1},
        }
    )
    reasons = [e["reason"] for e in plan_import(doc).errors]
    assert any("formFields: 2 form field definitions not imported" in r for r in reasons)
    assert any("'acme'" in r and "not imported" in r for r in reasons)


def test_built_documents_list_comments_with_their_ids() -> None:
    records = [
        Record("annotation", "ROOT", {k: v for k, v in HIGHLIGHT.items() if k != "id"}),
        Record("comment", "C1", comment()),
    ]
    out = serialise_document(build_document(records))
    assert out["comments"] == [{**comment(), "id": "C1"}]
    assert "comments" not in serialise_document(build_document(records[:1]))


def test_threads_gather_comments_in_order_under_roots() -> None:
    root = Record("annotation", "ROOT", HIGHLIGHT)
    late = Record("comment", "B", comment(createdAt="2024-01-02T00:00:00Z"))
    early = Record("comment", "A", comment(createdAt="2024-01-01T00:00:00Z"))
    lost = Record("comment", "Z", {**comment(), "rootId": "GONE"})
    plain = Record("annotation", "H2", {**HIGHLIGHT, "isCommentThreadRoot": False})
    (thread,) = threads_of([root, late, early, lost, plain])
    assert [c.id for c in thread.comments] == ["A", "B"]
    assert len(threads_of([root, plain], with_empty=True)) == 2
    assert reply_counts([late, early, lost]) == {"ROOT": 2, "GONE": 1}
