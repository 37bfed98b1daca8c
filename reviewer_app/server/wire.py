"""The JSON shapes of the Document Engine API: record wrappers, batch results, listings."""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterator, Sequence
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

from reviewer_app.instant.records import Record
from reviewer_app.server.errors import ApiError

LIST_LIMIT = 1000
"""Records in one JSON listing; more are flagged ``truncated`` (ndjson streams them all)."""

NDJSON = "application/x-ndjson"
NDJSON_CHUNK = 500
"""Records per streamed ndjson chunk."""
PASSWORD_HEADER = "pspdfkit-pdf-password"


def annotation_record(record: Record) -> dict[str, Any]:
    """An ``AnnotationRecord`` (also a ``BookmarkRecord``): id, content and who made it."""
    return {
        "id": record.id,
        "content": record.content,
        "createdBy": record.created_by,
        "updatedBy": record.updated_by,
        "group": record.group,
    }


def form_value_record(record: Record) -> dict[str, Any]:
    """A ``FormFieldValueRecord``: the value itself plus who set it."""
    return {
        **record.content,
        "createdBy": record.created_by,
        "updatedBy": record.updated_by,
        "group": record.group,
    }


def wants_ndjson(request: Request) -> bool:
    return NDJSON in request.headers.get("accept", "")


def listing(request: Request, records: Sequence[Record]) -> Response:
    """Annotations as ndjson (all of them) when asked, else JSON capped at :data:`LIST_LIMIT`."""
    if wants_ndjson(request):

        def lines() -> Iterator[bytes]:  # in chunks: each one is a hop to the thread pool
            for first in range(0, len(records), NDJSON_CHUNK):
                chunk = records[first : first + NDJSON_CHUNK]
                yield b"".join(json.dumps(annotation_record(r)).encode() + b"\n" for r in chunk)

        return StreamingResponse(lines(), media_type=NDJSON)
    shown = [annotation_record(r) for r in records[:LIST_LIMIT]]
    truncated = len(records) > LIST_LIMIT
    return JSONResponse({"data": {"annotations": shown, "truncated": truncated}})


class Batch:
    """Collects a batch request's outcome as a ``MultipleAnnotationsResponse``."""

    def __init__(self, collection: str) -> None:
        self.collection = collection
        self.data: list[dict[str, Any]] = []
        self.failing: list[dict[str, Any]] = []

    def ok(self, item: dict[str, Any]) -> None:
        self.data.append(item)

    def fail(self, index: int, error: str, details: str) -> None:
        path = f"$.{self.collection}[{index}]"
        self.failing.append({"path": path, "error": error, "details": details})

    def response(self) -> dict[str, Any]:
        if not self.failing:
            result, details = "success", "all items were applied"
        elif self.data:
            result, details = "partial_failure", f"{len(self.failing)} items failed"
        else:
            result, details = "failure", "no item was applied"
        return {
            "result": result,
            "status": 200,
            "details": details,
            "data": self.data,
            "failing_paths": self.failing,
        }


def pdf_password(request: Request) -> str | None:
    """The ``pspdfkit-pdf-password`` header: plain, or ``base64:<encoded>``."""
    value = request.headers.get(PASSWORD_HEADER)
    if value is None:
        return None
    if value.startswith("base64:"):
        try:
            return base64.b64decode(value[7:], validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            raise ApiError(400, f"{PASSWORD_HEADER}: not valid base64") from None
    return value


MAX_QUERY_INTEGER = 2**63 - 1
"""The largest integer a query parameter takes (SQLite's)."""
_ASCII_DIGITS = re.compile(r"[0-9]{1,19}")


def query_integer(name: str, text: str) -> int:
    """A query parameter that must be an integer from 0 to :data:`MAX_QUERY_INTEGER`, written
    in ASCII digits only (``²`` and ``①`` are digits to ``str.isdigit``, not to us); 400 if not."""
    if _ASCII_DIGITS.fullmatch(text) is None or int(text) > MAX_QUERY_INTEGER:
        raise ApiError(
            400, f"'{name}' must be an integer from 0 to {MAX_QUERY_INTEGER} in ASCII digits"
        )
    return int(text)


def items(body: dict[str, Any], key: str) -> list[Any]:
    """``body[key]`` as a non-empty list; 422 otherwise (Document Engine declares no 400 for
    its batch routes: an empty or missing batch is an unprocessable one)."""
    value = body.get(key)
    if not isinstance(value, list) or not value:
        raise ApiError(422, f"'{key}' must be a non-empty list")
    return value


def optional_str(body: dict[str, Any], key: str) -> str | None:
    value = body.get(key)
    if value is not None and not isinstance(value, str):
        raise ApiError(400, f"'{key}' must be a string or null")
    return value
