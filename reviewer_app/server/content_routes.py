"""What the PDF holds besides annotations, on the default layer and on any layer: form fields
and their widgets, page text, and the text under the layer's highlights (Document Engine's
``form-fields``, ``form-field-widgets``, ``ocg-layers``, ``pages/text``, ``pages/{i}/text``
and ``pages/{i}/highlighted``). Form fields come from the PDF, not from a layer's records: every
layer shows the same ones (their values are per layer: ``form-field-values``)."""

# No "from __future__ import annotations": FastAPI reads the routes' Depends(layer) at run time.

from collections.abc import Awaitable, Callable
from enum import Enum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from reviewer_app.instant.records import Json
from reviewer_app.pdf import jobs
from reviewer_app.pdf.page_content import FormField
from reviewer_app.server.auth import READ
from reviewer_app.server.context import Target
from reviewer_app.server.errors import ApiError
from reviewer_app.server.pdf_reads import read_pdf, remembered_read
from reviewer_app.server.wire import annotation_record

FORMS: list[str | Enum] = ["Forms"]
TEXT: list[str | Enum] = ["Documents"]
HIGHLIGHT = "pspdfkit/markup/highlight"


def _fields_of(t: Target, request: Request) -> tuple[FormField, ...]:
    """The PDF's form fields, read in a worker once (a PDF never changes under its SHA-256)."""
    sha256 = t.engine.document(t.document_id).sha256
    return remembered_read(request, t.document_id, jobs.form_fields, sha256)


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


def register(router: APIRouter, base: str, layer: Callable[..., Awaitable[Target]]) -> None:
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

    @router.get(f"{base}/ocg-layers", tags=TEXT)
    def ocg_layers(request: Request, t: Layer) -> Json:
        """The PDF's optional content groups (its own layers of content, which annotation
        layers do not change): ``{"ocgs": [...]}``, groups and collections in the PDF's order."""
        t.require(READ)
        found: Json = remembered_read(request, t.document_id, jobs.ocg_layers)
        return found

    @router.get(f"{base}/pages/text", tags=TEXT)
    def all_text(request: Request, t: Layer) -> list[Json]:
        """Every page's lines of text (``PageText``), in page order."""
        t.require(READ)
        pages = read_pdf(request, t.document_id, jobs.text_lines)
        return [{"pageIndex": i, "textLines": lines} for i, lines in enumerate(pages)]

    @router.get(f"{base}/pages/{{page_index}}/text", tags=TEXT)
    def page_text(request: Request, page_index: int, t: Layer) -> Json:
        """One page's lines of text, each with its box (points from the page's top-left)."""
        t.require(READ)
        _page(t, page_index)
        (lines,) = read_pdf(request, t.document_id, jobs.text_lines, [page_index])
        return {"textLines": lines}

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
        if not marks:
            return {"data": []}  # no PDF to read
        rects = [_rects(mark.content) for mark in marks]
        texts = read_pdf(request, t.document_id, jobs.texts_in_rects, page_index, rects)
        found = [
            {"annotation": annotation_record(mark), "text": text}
            for mark, text in zip(marks, texts, strict=True)
        ]
        return {"data": found}


def _rects(content: Json) -> list[list[float]]:
    """A highlight's rects (its bbox when it has none), as plain numbers for the worker."""
    rects = content.get("rects") or [content.get("bbox")]
    return [[float(n) for n in r] for r in rects if _is_rect(r)]


def _is_rect(value: Any) -> bool:
    return (
        isinstance(value, list | tuple)
        and len(value) == 4
        and all(isinstance(n, int | float) and not isinstance(n, bool) for n in value)
    )
