"""Text search in a document's pages (Document Engine's ``search``): plain text or a regular
expression, case as asked, over a range of pages; each match's page, preview, place in the
preview and box on the page. Searched in a worker (see test_pdf_in_workers.py)."""

from __future__ import annotations

from typing import Any

import pytest

from reviewer_app.server.fair import PDF_WORK, heavy_kind
from tests.server.conftest import Server
from tests.server.test_de_conformance import form_pdf


@pytest.fixture(scope="module")
def fox(server: Server) -> str:
    return server.upload(form_pdf())  # page 0: "The quick brown fox jumps over the lazy dog"


def found(server: Server, doc: str, **params: Any) -> list[dict[str, Any]]:
    answer = server.request("GET", f"/api/documents/{doc}/search", params=params)
    assert answer.status_code == 200, answer.text
    data: list[dict[str, Any]] = answer.json()["data"]
    return data


def test_text_is_found_with_its_preview_and_box(server: Server, fox: str) -> None:
    (hit,) = found(server, fox, q="BROWN fox")  # text search: any case
    assert hit["pageIndex"] == 0 and hit["isAnnotation"] is False
    at, length = hit["rangeInPreview"]
    assert hit["previewText"][at : at + length] == "brown fox"
    assert hit["previewText"].startswith("The quick brown fox jumps")
    ((left, top, width, height),) = hit["rectsOnPage"]
    assert 100 < left < 160 and 180 < top < 200 and 40 < width < 80 and 5 < height < 20
    assert found(server, fox, q="BROWN fox", case_sensitive="true") == []


def test_regular_expressions_and_their_case(server: Server, fox: str) -> None:
    (hit,) = found(server, fox, q=r"qu[a-z]+k\s", type="regex")
    at, length = hit["rangeInPreview"]
    assert hit["previewText"][at : at + length] == "quick "
    assert found(server, fox, q="QUICK", type="regex") == []  # a regex: case as written
    assert len(found(server, fox, q="QUICK", type="regex", case_sensitive="false")) == 1


def test_a_range_of_pages(server: Server, fox: str) -> None:
    assert [h["pageIndex"] for h in found(server, fox, q=" page ")] == [0, 1]
    assert [h["pageIndex"] for h in found(server, fox, q=" page ", start="1")] == [1]
    assert [h["pageIndex"] for h in found(server, fox, q=" page ", limit="0")] == [0]


@pytest.mark.parametrize(
    ("params", "reason"),
    [
        ({"q": "ab"}, "at least 3 characters"),
        ({"q": "   "}, "must not be empty"),
        ({"q": "a" * 1001}, "more than 1,000 characters"),
        ({"q": "(unclosed", "type": "regex"}, "not a regular expression"),
        ({"q": "credit_card_number", "type": "preset"}, "presets are not supported"),
        ({"q": "fox", "type": "glob"}, "must be text, regex or preset"),
        ({"q": "fox", "start": "2"}, "past the last page"),
        ({"q": "fox", "start": "²"}, "ASCII digits"),
        ({"q": "fox", "case_sensitive": "maybe"}, "true or false"),
        ({}, "q"),
    ],
)
def test_searches_that_cannot_be_made_say_why(
    server: Server, fox: str, params: dict[str, str], reason: str
) -> None:
    answer = server.request("GET", f"/api/documents/{fox}/search", params=params)
    assert answer.status_code == 400 and reason in answer.json()["details"], answer.text


def test_a_student_token_of_another_document_cannot_search(server: Server, fox: str) -> None:
    other = server.upload()
    token = server.token(other, ["read-document"])
    answer = server.request("GET", f"/api/documents/{fox}/search", auth=token, params={"q": "fox"})
    assert answer.status_code == 403


def test_a_search_takes_a_heavy_slot() -> None:
    assert heavy_kind("GET", "/api/documents/d/search") == PDF_WORK
