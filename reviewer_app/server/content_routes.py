"""What the PDF holds besides annotations, on the default layer and on any layer: form fields
and their widgets, page text, and the text under the layer's highlights (Document Engine's
``form-fields``, ``form-field-widgets``, ``pages/text``, ``pages/{i}/text`` and
``pages/{i}/highlighted``). Form fields come from the PDF, not from a layer's records: every
layer shows the same ones (their values are per layer: ``form-field-values``)."""

# No "from __future__ import annotations": FastAPI reads the routes' Depends(layer) at run time.

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import Enum
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from reviewer_app.instant.records import Json
from reviewer_app.pdf import open_pdf
from reviewer_app.pdf.page_content import FormField, form_fields, text_lines
from reviewer_app.pdf.text import text_in_rect
from reviewer_app.server.auth import READ
from reviewer_app.server.context import Target
from reviewer_app.server.errors import ApiError
from reviewer_app.server.wire import annotation_record, pdf_password

FORMS: list[str | Enum] = ["Forms"]
TEXT: list[str | Enum] = ["Documents"]
HIGHLIGHT = "pspdfkit/markup/highlight"


@contextmanager
def _opened(t: Target, request: Request) -> Iterator[Any]:
    document = t.engine.document(t.document_id)
    pdf = open_pdf(t.engine.pdf_path(t.document_id), pdf_password(request), document.sha256[:12])
    try:
        yield pdf
    finally:
        pdf.close()


@lru_cache(maxsize=64)
def _fields(path: Path, sha256: str, password: str | None) -> tuple[FormField, ...]:
    """The PDF's form fields (a PDF never changes under its SHA-256: read once)."""
    pdf = open_pdf(path, password, sha256[:12])
    try:
        return tuple(form_fields(pdf, sha256))
    finally:
        pdf.close()


def _fields_of(t: Target, request: Request) -> tuple[FormField, ...]:
    document = t.engine.document(t.document_id)
    return _fields(t.engine.pdf_path(t.document_id), document.sha256, pdf_password(request))


def _record(content: Json) -> Json:
    """A record of the PDF itself: no group, made by no user."""
    return {"id": content["id"], "group": None, "createdBy": None, "updatedBy": None}


def field_with_widgets(field: FormField) -> Json:
    """A ``FormFieldWithWidgets``."""
    widgets = [{**_record(w), "content": w} for w in field.widgets]
    return {**_record(field.content), "content": field.content, "widgetAnnotations": widgets}


def widget_with_field(field: FormField, widget: Json) -> Json:
    """A ``FormFieldWidgetWithFormField``."""
    form_field = {**_record(field.content), "content": field.content}
    return {**_record(widget), "content": widget, "formField": form_field}


def _page(t: Target, page_index: int) -> None:
    count = t.engine.document(t.document_id).page_count
    if not 0 <= page_index < count:
        raise ApiError(404, f"no page {page_index}: the document has {count}")


def register(router: APIRouter, base: str, layer: Callable[..., Target]) -> None:
    """Add the form field and page text routes under ``base``."""
    Layer = Annotated[Target, Depends(layer)]

    @router.get(f"{base}/form-fields", tags=FORMS)
    def list_form_fields(request: Request, t: Layer) -> dict[str, Any]:
        """The PDF's form fields, each with its widgets."""
        t.require(READ)
        return {"data": [field_with_widgets(f) for f in _fields_of(t, request)]}

    @router.get(f"{base}/form-fields/{{form_field_id}}", tags=FORMS)
    def get_form_field(request: Request, form_field_id: str, t: Layer) -> Json:
        """One form field (its id is its fully qualified name) with its widgets."""
        t.require(READ)
        for found in _fields_of(t, request):
            if found.content["id"] == form_field_id:
                return field_with_widgets(found)
        raise ApiError(404, f"no form field {form_field_id[:100]!r} in this document")

    @router.get(f"{base}/form-field-widgets", tags=FORMS)
    def list_widgets(request: Request, t: Layer) -> dict[str, Any]:
        """Every widget of the PDF's form fields, each with its field."""
        t.require(READ)
        fields = _fields_of(t, request)
        return {"data": [widget_with_field(f, w) for f in fields for w in f.widgets]}

    @router.get(f"{base}/form-field-widgets/{{widget_id}}", tags=FORMS)
    def get_widget(request: Request, widget_id: str, t: Layer) -> Json:
        """One widget with its field."""
        t.require(READ)
        for found in _fields_of(t, request):
            for widget in found.widgets:
                if widget["id"] == widget_id:
                    return widget_with_field(found, widget)
        raise ApiError(404, f"no form field widget {widget_id[:100]!r} in this document")

    @router.get(f"{base}/pages/text", tags=TEXT)
    def all_text(request: Request, t: Layer) -> list[Json]:
        """Every page's lines of text (``PageText``), in page order."""
        t.require(READ)
        with _opened(t, request) as pdf:
            return [
                {"pageIndex": i, "textLines": text_lines(pdf, i)} for i in range(pdf.page_count)
            ]

    @router.get(f"{base}/pages/{{page_index}}/text", tags=TEXT)
    def page_text(request: Request, page_index: int, t: Layer) -> Json:
        """One page's lines of text, each with its box (points from the page's top-left)."""
        t.require(READ)
        _page(t, page_index)
        with _opened(t, request) as pdf:
            return {"textLines": text_lines(pdf, page_index)}

    @router.get(f"{base}/pages/{{page_index}}/highlighted", tags=TEXT)
    def highlighted(request: Request, page_index: int, t: Layer) -> dict[str, Any]:
        """The layer's highlights on the page, each with the text under it."""
        t.require(READ)
        _page(t, page_index)
        marks = [
            r
            for r in t.engine.records(t.document_id, t.layer, "annotation", page_index)
            if r.content.get("type") == HIGHLIGHT
        ]
        found = []
        with _opened(t, request) as pdf:
            for mark in marks:
                rects = mark.content.get("rects") or [mark.content.get("bbox")]
                parts = [text_in_rect(pdf, page_index, r) for r in rects if _is_rect(r)]
                text = " ".join(p for p in parts if p)
                found.append({"annotation": annotation_record(mark), "text": text})
        return {"data": found}


def _is_rect(value: Any) -> bool:
    return isinstance(value, list | tuple) and len(value) == 4
