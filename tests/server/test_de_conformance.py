"""Every Document Engine route we claim, walked against DE 1.9.0's own OpenAPI document: a
request shaped by the spec's request schema, an answer checked against its response schema.

A route is claimed when our ``/openapi.json`` lists it under the spec's path; each claimed
route needs a case below (a route served but never walked fails too). The test prints how many
of the spec's layer-scoped operations and of the operations a review client calls we serve.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pymupdf
import pytest

from tests.server.conformance import (
    Route,
    answer_problems,
    claimed,
    operations,
    request_problems,
    shape,
)
from tests.server.conftest import Server, make_pdf, note
from tests.server.test_apply_instructions import SECOND
from tests.server.test_attachments import PNG, SHA, image

LAYER = "conformance"
BOOKMARK = {"type": "pspdfkit/bookmark", "v": 1, "name": "Intro", "action": {"type": "goTo",
            "pageIndex": 1}}  # fmt: skip


HIGHLIGHT = {
    "v": 2,
    "type": "pspdfkit/markup/highlight",
    "pageIndex": 0,
    "bbox": [72, 188, 200, 16],
    "rects": [[72, 188, 200, 16]],
    "color": "#ffff00",
    "opacity": 1,
}


def form_pdf() -> bytes:
    """A PDF with text on its page, a text field ``Name`` and a check box ``Agree``."""
    doc = pymupdf.open(stream=make_pdf(pages=2))
    page = doc[0]
    page.insert_text((72, 200), "The quick brown fox jumps over the lazy dog")
    for kind, name, rect in (
        (pymupdf.PDF_WIDGET_TYPE_TEXT, "Name", (72, 300, 272, 320)),
        (pymupdf.PDF_WIDGET_TYPE_CHECKBOX, "Agree", (72, 340, 90, 358)),
    ):
        widget = pymupdf.Widget()
        widget.field_type, widget.field_name, widget.rect = kind, name, pymupdf.Rect(rect)
        page.add_widget(widget)
    doc.set_toc([[1, "Start", 1], [2, "The fox", 1], [1, "End", 2]])
    data: bytes = doc.tobytes()
    doc.close()
    return data


@dataclass
class World:
    """A document (text, a form, a picture) with a layer, and records made on demand."""

    server: Server
    doc: str
    counter: int = 0

    def base(self, layered: bool) -> str:
        root = f"/api/documents/{self.doc}"
        return f"{root}/layers/{LAYER}" if layered else root

    def fresh_id(self, kind: str) -> str:
        self.counter += 1
        return f"{kind}-{self.counter}"

    def annotation(self, layered: bool) -> str:
        rid = self.fresh_id("note")
        made = self.server.request(
            "POST",
            f"{self.base(layered)}/annotations",
            json={"id": rid, "content": note(0, 5, "x")},
        )
        assert made.status_code == 200, made.text
        return rid

    def root(self, layered: bool) -> str:
        """A highlight that can hold a comment thread."""
        rid = self.fresh_id("root")
        made = self.server.request(
            "POST", f"{self.base(layered)}/annotations", json={"id": rid, "content": HIGHLIGHT}
        )
        assert made.status_code == 200, made.text
        return rid

    def widget(self) -> str:
        listed = self.server.request("GET", f"{self.base(False)}/form-field-widgets").json()
        widget_id: str = listed["data"][0]["id"]
        return widget_id

    def bookmark(self, layered: bool) -> str:
        rid = self.fresh_id("bookmark")
        made = self.server.request(
            "POST", f"{self.base(layered)}/bookmarks", json={"id": rid, "content": BOOKMARK}
        )
        assert made.status_code == 200, made.text
        return rid


Call = tuple[dict[str, Any], dict[str, Any]]
"""Path parameters (by the spec's names) beyond the document, layer and page, and the keyword
arguments of the request (``json=``, ``files=``, ``data=``, ``headers=``, ``params=``)."""
Case = Callable[[World, bool], Call]

INSTRUCTIONS = {
    "parts": [{"document": {"id": "#self"}}],
    "actions": [{"type": "applyXfdf", "file": "marks"}],
}
INSTANT = {"format": "https://pspdfkit.com/instant-json/v1", "annotations": []}


def _instant_part(world: World) -> dict[str, Any]:
    body = {
        **INSTANT,
        "annotations": [{**note(0, 30, "from Instant JSON"), "id": world.fresh_id("ij")}],
    }
    return {"instant.json": ("instant.json", json.dumps(body), "application/json")}


CASES: dict[tuple[str, str], Case] = {
    # suffix after the document (or the document's layer); "" is the document (or layer) itself
    ("GET", "/document_info"): lambda w, _: ({}, {}),
    ("GET", "/pdf"): lambda w, _: ({}, {}),
    ("POST", "/pdf"): lambda w, _: ({}, {"json": {"type": "pdf", "flatten": False}}),
    ("GET", "/document.json"): lambda w, _: ({}, {}),
    ("GET", "/document.xfdf"): lambda w, _: ({}, {}),
    ("POST", "/apply_instant_json"): lambda w, _: ({}, {"files": _instant_part(w)}),
    ("POST", "/pdf_with_instant_json"): lambda w, _: ({}, {"files": _instant_part(w)}),
    ("POST", "/copy_with_instant_json"): lambda w, _: ({}, {"files": _instant_part(w)}),
    ("GET", "/annotations"): lambda w, _: ({}, {}),
    ("POST", "/annotations"): lambda w, _: (
        {},
        {"json": {"annotations": [{"id": w.fresh_id("new"), "content": note(1, 40, "new")}]}},
    ),
    ("PUT", "/annotations"): lambda w, layered: (
        {},
        {"json": {"annotations": [{"id": w.annotation(layered), "content": note(0, 9, "moved")}]}},
    ),
    ("DELETE", "/annotations"): lambda w, layered: (
        {},
        {"json": {"annotationIds": [w.annotation(layered)]}},
    ),
    ("GET", "/pages/{}/annotations"): lambda w, _: ({}, {}),
    ("GET", "/pages/{}/image"): lambda w, _: ({}, {"params": {"width": 200}}),
    ("GET", "/search"): lambda w, _: ({}, {"params": {"q": "quick brown"}}),
    ("GET", "/ocg-layers"): lambda w, _: ({}, {}),
    ("GET", "/embedded-files"): lambda w, _: ({}, {}),
    ("GET", "/annotations/{}"): lambda w, layered: ({"annotationId": w.annotation(layered)}, {}),
    ("PUT", "/annotations/{}"): lambda w, layered: (
        {"annotationId": w.annotation(layered)},
        {"json": {"content": note(0, 12, "edited")}},
    ),
    ("DELETE", "/annotations/{}"): lambda w, layered: (
        {"annotationId": w.annotation(layered)},
        {},
    ),
    ("GET", "/attachments/{}"): lambda w, _: ({"attachmentId": SHA}, {}),
    ("GET", "/annotations/{}/comments"): lambda w, layered: ({"annotationId": w.root(layered)}, {}),
    ("POST", "/annotations/{}/comments"): lambda w, layered: (
        {"annotationId": w.root(layered)},
        {"json": {"comments": [{"content": {"text": "What a wonderful idea!"}}]}},
    ),
    ("POST", "/comments"): lambda w, _: (
        {},
        {"json": {"annotation": {"content": HIGHLIGHT}, "comments": [{"content": {"text": "hi"}}]}},
    ),
    ("GET", "/bookmarks"): lambda w, _: ({}, {}),
    ("POST", "/bookmarks"): lambda w, _: (
        {},
        {"json": {"id": w.fresh_id("bookmark"), "content": BOOKMARK}},
    ),
    ("PUT", "/bookmarks/{}"): lambda w, layered: (
        {"bookmarkId": (rid := w.bookmark(layered))},
        {"json": {"id": rid, "content": {**BOOKMARK, "name": "Start"}}},
    ),
    ("DELETE", "/bookmarks/{}"): lambda w, layered: ({"bookmarkId": w.bookmark(layered)}, {}),
    ("GET", "/form-field-values"): lambda w, _: ({}, {}),
    ("POST", "/form-field-values"): lambda w, _: (
        {},
        {"json": {"formFieldValues": [{"name": "Name", "value": "Jane"}]}},
    ),
    ("GET", "/form-fields"): lambda w, _: ({}, {}),
    ("GET", "/form-fields/{}"): lambda w, _: ({"formFieldId": "Name"}, {}),
    ("GET", "/form-field-widgets"): lambda w, _: ({}, {}),
    ("GET", "/form-field-widgets/{}"): lambda w, layered: ({"formFieldWidgetId": w.widget()}, {}),
    ("POST", "/apply_instructions"): lambda w, _: (
        {},
        {
            "files": {
                "instructions": (None, json.dumps(INSTRUCTIONS), "application/json"),
                "marks": ("marks.xfdf", SECOND.encode(), "application/vnd.adobe.xfdf"),
            }
        },
    ),
    ("GET", "/pages/text"): lambda w, _: ({}, {}),
    ("GET", "/pages/{}/text"): lambda w, _: ({}, {}),
    ("GET", "/pages/{}/highlighted"): lambda w, _: ({}, {}),
}
"""Cases for the routes that exist on the document's default layer and on a named layer."""

WHOLE: dict[Route, Case] = {
    ("POST", "/api/documents"): lambda w, _: (
        {},
        {"data": make_pdf(), "headers": {"Content-Type": "application/pdf"}},
    ),
    ("GET", "/api/documents/{}/layers"): lambda w, _: ({}, {}),
    ("GET", "/api/documents/{}/properties"): lambda w, _: ({}, {}),
    ("GET", "/api/documents/{}/outline.json"): lambda w, _: ({}, {}),
    ("POST", "/api/documents/{}/layers"): lambda w, _: ({}, {"json": {"name": w.fresh_id("made")}}),
    ("DELETE", "/api/documents/{}/layers/{}"): lambda w, _: ({"layerName": _layer(w)}, {}),
}
"""Cases for the routes of the document as a whole (and the upload)."""


def _layer(world: World) -> str:
    name = world.fresh_id("doomed")
    made = world.server.request("POST", f"{world.base(False)}/layers", json={"name": name})
    assert made.status_code == 200, made.text
    return name


def case_for(route: Route) -> tuple[Case, bool] | None:
    """The case that walks ``route`` and whether the route is the layer's twin."""
    if route in WHOLE:
        return WHOLE[route], False
    method, path = route
    for prefix, layered in (("/api/documents/{}/layers/{}", True), ("/api/documents/{}", False)):
        if path.startswith(prefix) and (method, path[len(prefix) :]) in CASES:
            return CASES[(method, path[len(prefix) :])], layered
    return None


def fill(path: str, values: dict[str, Any]) -> str:
    for name, value in values.items():
        path = path.replace(f"{{{name}}}", str(value))
    assert "{" not in path, f"no value for a parameter of {path}"
    return path


@pytest.fixture
def world(server: Server) -> World:
    doc = server.upload(form_pdf())
    made = server.request("POST", f"/api/documents/{doc}/layers", json={"name": LAYER})
    assert made.status_code == 200, made.text
    for base in (f"/api/documents/{doc}", f"/api/documents/{doc}/layers/{LAYER}"):
        stored = server.request(
            "POST",
            f"{base}/annotations",
            files={
                SHA: ("cat.png", PNG, "image/png"),
                "annotation": (None, json.dumps({"content": image()})),
            },
        )
        assert stored.status_code == 200, stored.text
        marked = server.request("POST", f"{base}/annotations", json={"content": HIGHLIGHT})
        assert marked.status_code == 200, marked.text
    return World(server, doc)


def test_every_claimed_route_answers_as_the_spec_says(server: Server, world: World) -> None:
    ours = claimed(server.request("GET", "/openapi.json").json())
    # deleting the document goes last: every other case works on it
    order = sorted(ours, key=lambda r: (r == ("DELETE", "/api/documents/{}"), r))
    failures: dict[Route, list[str]] = {}
    for route in order:
        operation = operations()[route]
        if route == ("DELETE", "/api/documents/{}"):
            case: Case = lambda w, _: ({}, {})  # noqa: E731
            layered = False
        else:
            found = case_for(route)
            if found is None:
                failures[route] = ["claimed, but this test has no case walking it"]
                continue
            case, layered = found
        params, sent = case(world, layered)
        values = {"documentId": world.doc, "layerName": LAYER, "pageIndex": 0, **params}
        problems = [f"request: {p}" for p in request_problems(route, sent)]
        answer = server.request(operation.method, fill(operation.path, values), **sent)
        problems += answer_problems(route, answer)
        if problems:
            failures[route] = problems
    served = set(ours) - set(failures)
    layered_ops = {r for r, op in operations().items() if op.layered}
    client_ops = {r for r, op in operations().items() if op.for_review_clients}
    print(
        f"\nDocument Engine 1.9.0 routes served: {len(served & layered_ops)}/{len(layered_ops)}"
        f" layer-scoped, {len(served & client_ops)}/{len(client_ops)} a review client calls"
    )
    assert failures == {}, "\n".join(f"{m} {p}: {probs}" for (m, p), probs in failures.items())
    assert len(ours) >= 40  # the walk saw our routes (a broken match would claim none)


def test_paths_match_by_shape() -> None:
    """Our parameter names differ from the spec's; the match is by the path's shape."""
    assert shape("/api/documents/{document_id}/layers/{layer}") == shape(
        "/api/documents/{documentId}/layers/{layerName}"
    )
    assert ("GET", "/api/documents/{}/layers/{}/document_info") in operations()
