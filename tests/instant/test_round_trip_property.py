"""Property test: any annotation with extra JSON keys survives parse → serialise → parse."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from reviewer_app.instant import (
    FORMAT,
    dumps_document,
    parse_document,
    plan_import,
    serialise_document,
)

from .examples import ALL_TYPES, annotation

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53), max_value=2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
extra_keys = st.dictionaries(
    st.text(min_size=1, max_size=12).filter(
        lambda key: key not in {"v", "type", "pageIndex", "bbox"}
    ),
    json_values,
    max_size=5,
)


@st.composite
def annotation_dicts(draw: st.DrawFn) -> dict[str, Any]:
    annotation_type = draw(st.sampled_from([*ALL_TYPES, "pspdfkit/unknown", "x-vendor/thing"]))
    if annotation_type in ALL_TYPES:
        version = draw(
            st.sampled_from([1, 2]) if annotation_type != "pspdfkit/comment-marker" else st.just(2)
        )
        content = annotation(annotation_type, version)
    else:
        content = {"v": 2, "type": annotation_type, "pageIndex": 0, "bbox": [0, 0, 1, 1]}
    content.update(draw(extra_keys))
    return content


MODELLED_KEYS = {"format", "pdfId", "skippedPdfObjectIds", "attachments", "annotations"}
MODELLED_KEYS |= {"bookmarks", "formFieldValues", "formFields", "comments"}


@given(st.lists(annotation_dicts(), max_size=4), extra_keys)
def test_parse_serialise_parse_is_identity(
    items: list[dict[str, Any]], top: dict[str, Any]
) -> None:
    top = {key: value for key, value in top.items() if key not in MODELLED_KEYS}
    source: dict[str, Any] = {"format": FORMAT, "annotations": items, **top}
    doc = parse_document(source)
    assert doc.extra == top
    serialised = serialise_document(doc)
    assert serialised == source
    assert parse_document(serialised) == doc
    assert parse_document(dumps_document(doc)) == doc
    assert json.loads(dumps_document(doc)) == serialised


@given(annotation_dicts())
def test_valid_annotations_import_with_content_unchanged(content: dict[str, Any]) -> None:
    result = plan_import(parse_document({"format": FORMAT, "annotations": [content]}))
    if result.upserts:
        assert result.upserts[0].content == content
    else:
        assert len(result.errors) == 1  # an extra key overwrote a known field with a bad value
