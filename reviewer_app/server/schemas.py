"""Request body schemas for the OpenAPI document (the routes read and check bodies themselves)."""

from __future__ import annotations

from typing import Any

from reviewer_app.instant.records import KINDS

Schema = dict[str, Any]

LAYER_NAME: Schema = {"type": "string", "minLength": 1, "description": "a layer name"}

ANNOTATION_CONTENT: Schema = {
    "type": "object",
    "description": "An Instant JSON annotation (v2), e.g. `pspdfkit/note`.",
    "required": ["v", "type", "pageIndex", "bbox"],
    "properties": {
        "v": {"type": "integer", "enum": [1, 2]},
        "type": {"type": "string", "example": "pspdfkit/note"},
        "pageIndex": {"type": "integer", "minimum": 0},
        "bbox": {"type": "array", "items": {"type": "number"}, "minItems": 4, "maxItems": 4},
        "id": {"type": "string", "minLength": 1},
    },
    "additionalProperties": True,
}

WHO: Schema = {
    "user_id": {"type": ["string", "null"], "description": "honoured for the server token"},
    "group": {"type": ["string", "null"]},
}

CREATE_ITEM: Schema = {
    "type": "object",
    "required": ["content"],
    "properties": {
        "id": {"type": "string", "minLength": 1},
        "content": ANNOTATION_CONTENT,
        **WHO,
    },
}

UPDATE_ITEM: Schema = {
    "type": "object",
    "required": ["id", "content"],
    "properties": {"id": {"type": "string", "minLength": 1}, "content": ANNOTATION_CONTENT, **WHO},
}


def batch_of(item: Schema) -> Schema:
    return {
        "type": "object",
        "required": ["annotations"],
        "properties": {"annotations": {"type": "array", "items": item, "minItems": 1}},
    }


LAYER_CREATE_JSON: Schema = {
    "type": "object",
    "required": ["name"],
    "properties": {
        "name": LAYER_NAME,
        "source_layer_name": {**LAYER_NAME, "description": "copy this layer (base if absent)"},
    },
}

LAYER_CREATE_FORM: Schema = {
    "type": "object",
    "required": ["name"],
    "properties": {
        "name": LAYER_NAME,
        "instant.json": {"type": "string", "format": "binary", "description": "Instant JSON"},
    },
}

PUSH_CHANGE: Schema = {
    "type": "object",
    "required": ["kind", "id", "base_revision"],
    "properties": {
        "kind": {"type": "string", "enum": list(KINDS)},
        "id": {"type": "string", "minLength": 1},
        "base_revision": {"type": "integer", "minimum": 0},
        "content": {
            "type": ["object", "null"],
            "description": "the record's new content; null deletes it",
        },
    },
}

PUSH: Schema = {
    "type": "object",
    "required": ["changes"],
    "properties": {
        "idempotency_key": {"type": "string", "description": "or the Idempotency-Key header"},
        "user_id": {"type": ["string", "null"]},
        "changes": {"type": "array", "items": PUSH_CHANGE, "maxItems": 1000},
    },
}


def body(schema: Schema, form: Schema | None = None) -> dict[str, Any]:
    """``openapi_extra`` declaring a required JSON body (and optionally a multipart one)."""
    content: Schema = {"application/json": {"schema": schema}}
    if form is not None:
        content["multipart/form-data"] = {"schema": form}
    return {"requestBody": {"required": True, "content": content}}


ATTACHMENT_PART: Schema = {
    "type": "string",
    "format": "binary",
    "description": "an attachment (a picture), in a part named by the SHA-256 of its bytes",
}


def with_attachments(json_parts: Schema) -> Schema:
    """A multipart body: JSON parts plus attachment parts named by their SHA-256 (api.md §3.4)."""
    described = {"type": "string", "format": "binary", "description": "JSON"}
    return {
        "type": "object",
        "properties": {name: described for name in json_parts},
        "additionalProperties": ATTACHMENT_PART,
    }


ATTACHMENTS_UPLOAD: Schema = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {"type": "object", "additionalProperties": ATTACHMENT_PART}
            }
        },
    }
}
ATTACHMENTS_ASK = body(
    {
        "type": "object",
        "required": ["attachmentIds"],
        "properties": {
            "attachmentIds": {"type": "array", "items": {"type": "string"}, "maxItems": 1000}
        },
    }
)
LAYER_CREATE = body(LAYER_CREATE_JSON, LAYER_CREATE_FORM)
ANNOTATION_CREATE = body(
    {"oneOf": [CREATE_ITEM, batch_of(CREATE_ITEM)]},
    with_attachments({"annotation": {}, "annotations": {}}),
)
ANNOTATION_UPDATE_ONE = body(
    {"type": "object", "required": ["content"], "properties": {"content": ANNOTATION_CONTENT}}
)
ANNOTATION_UPDATE_MANY = body(batch_of(UPDATE_ITEM), with_attachments({"annotations": {}}))
ANNOTATION_DELETE_MANY = body(
    {
        "type": "object",
        "required": ["annotationIds"],
        "properties": {
            "annotationIds": {
                "oneOf": [{"type": "array", "items": {"type": "string"}}, {"const": "all"}]
            }
        },
    }
)
PUSH_BODY = body(PUSH)

COMMENT_CREATE: Schema = {
    "type": "object",
    "required": ["content"],
    "properties": {
        "id": {"type": "string", "minLength": 1},
        "content": {
            "type": "object",
            "required": ["text"],
            "properties": {
                "text": {
                    "description": "plain text, or {format: plain|xhtml, value} (XHTML made safe)",
                    "oneOf": [{"type": "string"}, {"type": "object"}],
                },
                "createdAt": {"type": "string"},
                "updatedAt": {"type": ["string", "null"]},
                "creatorName": {"type": ["string", "null"]},
                "customData": {"type": ["object", "null"]},
            },
        },
        **WHO,
    },
}
COMMENTS_CREATE = body(
    {
        "type": "object",
        "required": ["comments"],
        "properties": {"comments": {"type": "array", "items": COMMENT_CREATE}},
    }
)
THREAD_CREATE = body(
    {
        "type": "object",
        "required": ["annotation", "comments"],
        "properties": {
            "annotation": CREATE_ITEM,
            "comments": {"type": "array", "items": COMMENT_CREATE},
        },
    }
)
