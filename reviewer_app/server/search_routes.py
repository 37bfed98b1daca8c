"""Text search in a document's pages (Document Engine's ``GET /api/documents/{id}/search``):
plain text (case-insensitive unless asked, at least 3 characters) or a regular expression
(case-sensitive unless asked), over a range of pages. Searched in a worker of the server's
sandbox, under a search's limits: a regular expression that backtracks for ever costs one
worker for 20 seconds of processor time, then answers 422."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Request

from reviewer_app.pdf import jobs
from reviewer_app.pdf.sandbox import Limits
from reviewer_app.server.auth import READ
from reviewer_app.server.context import Caller, engine_of
from reviewer_app.server.errors import ApiError
from reviewer_app.server.pdf_reads import read_pdf
from reviewer_app.server.wire import query_integer

router = APIRouter(tags=["Documents"])
SEARCH_LIMITS = Limits(cpu_seconds=20.0, wall_seconds=30.0)
MAX_QUERY = 1000
"""Characters of a query at most."""
TRUE, FALSE = ("true", "1", "yes"), ("false", "0", "no")


def _flag(name: str, text: str | None, default: bool) -> bool:
    if text is None:
        return default
    if text.lower() in TRUE or text.lower() in FALSE:
        return text.lower() in TRUE
    raise ApiError(400, f"'{name}' must be true or false")


def pattern(q: str, kind: str, case_sensitive: str | None) -> tuple[str, int]:
    """The regular expression and ``re`` flags to search with; 400 saying why for a query
    that cannot be searched."""
    if not q.strip():
        raise ApiError(400, "'q' must not be empty")
    if len(q) > MAX_QUERY:
        raise ApiError(400, f"'q' has more than {MAX_QUERY:,} characters")
    if kind == "text":
        if len(q) < 3:
            raise ApiError(400, "a text search needs at least 3 characters in 'q'")
        sensitive = _flag("case_sensitive", case_sensitive, False)
        expression = re.escape(q)
    elif kind == "regex":
        sensitive = _flag("case_sensitive", case_sensitive, True)
        expression = q
        try:
            re.compile(expression)
        except (re.error, RecursionError, OverflowError) as exc:
            raise ApiError(
                400, f"'q' is not a regular expression this server reads: {exc}"
            ) from None
    elif kind == "preset":
        raise ApiError(400, "search presets are not supported: search with type=regex instead")
    else:
        raise ApiError(400, "'type' must be text, regex or preset")
    return expression, 0 if sensitive else re.IGNORECASE


@router.get("/api/documents/{document_id}/search")
def search(
    request: Request,
    document_id: str,
    principal: Caller,
    q: str,
    type: str = "text",
    start: str | None = None,
    limit: str | None = None,
    include_annotations: str | None = None,
    case_sensitive: str | None = None,
) -> dict[str, Any]:
    """Where ``q`` is found in the PDF's text, from page ``start`` to page ``limit`` (both
    included; default: every page): each match's page, the text around it, the match's place
    in that text (``rangeInPreview``: start and length) and its box (Instant coordinates). At
    most 1,000 matches. Annotations are not searched (``isAnnotation`` is always false, as in
    Document Engine 1.9)."""
    principal.require(document_id, READ)
    expression, flags = pattern(q, type, case_sensitive)
    _flag("include_annotations", include_annotations, False)
    count = engine_of(request).document(document_id).page_count
    first = 0 if start is None else query_integer("start", start)
    last = count - 1 if limit is None else query_integer("limit", limit)
    if first >= count:
        raise ApiError(400, f"'start' is past the last page: the document has {count}")
    pages = (first, min(last, count - 1))
    found = read_pdf(
        request, document_id, jobs.search_text, expression, flags, pages, limits=SEARCH_LIMITS
    )
    return {"data": found}
