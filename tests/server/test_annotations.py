"""Annotations, bookmarks and form field values over HTTP, on the default layer and a named one."""

from __future__ import annotations

import json

import pytest

from tests.server.conftest import Server, note

SCOPES = {"default": "", "layer": "/layers/reviewer-1"}


@pytest.fixture(params=sorted(SCOPES))
def base(request: pytest.FixtureRequest, doc: str) -> str:
    """The record routes of a fresh document, unscoped (default layer) or under a layer."""
    return f"/api/documents/{doc}{SCOPES[request.param]}"


def test_single_create_answers_as_the_openapi_says(server: Server, base: str) -> None:
    answer = server.request(
        "POST",
        f"{base}/annotations",
        json={"id": "my-note", "user_id": "alice", "group": "g", "content": note(0, 5, "hi")},
    )
    assert answer.status_code == 200
    key = "id" if "/layers/" in base else "annotation_id"
    assert answer.json() == {"data": {key: "my-note"}}
    record = server.request("GET", f"{base}/annotations/my-note").json()
    assert "data" not in record  # no envelope on a single get
    assert record["id"] == "my-note" and record["createdBy"] == "alice"
    assert record["updatedBy"] == "alice" and record["group"] == "g"
    assert record["content"]["text"] == {"format": "plain", "value": "hi"}


def test_create_errors(server: Server, base: str) -> None:
    path = f"{base}/annotations"
    bad_page = server.request("POST", path, json={"content": note(9, 5, "x")})
    assert bad_page.status_code == 422 and "Page index" in bad_page.json()["details"]
    assert server.request("POST", path, json={"content": "nope"}).status_code == 422
    assert server.request("POST", path, data="not json").status_code == 400
    made = server.request("POST", path, json={"id": "dup", "content": note(0, 5, "x")})
    assert made.status_code == 200
    again = server.request("POST", path, json={"id": "dup", "content": note(0, 5, "x")})
    assert again.status_code == 409
    assert server.request("GET", f"{base}/annotations/missing").status_code == 404


def test_batch_create_reports_failing_paths(server: Server, base: str) -> None:
    body = {
        "annotations": [
            {"content": note(0, 1, "one"), "user_id": "bob"},
            {"content": note(7, 1, "bad page")},
            {"id": "b3", "content": note(1, 1, "three")},
            {"id": "b3", "content": note(1, 2, "dup")},
        ]
    }
    answer = server.request("POST", f"{base}/annotations", json=body).json()
    assert answer["result"] == "partial_failure" and answer["status"] == 200
    assert [f["path"] for f in answer["failing_paths"]] == ["$.annotations[1]", "$.annotations[3]"]
    assert [d["content"]["text"]["value"] for d in answer["data"]] == ["one", "three"]
    assert answer["data"][0]["user_id"] == "bob" and answer["data"][1]["id"] == "b3"


def test_list_per_page_update_and_delete(server: Server, base: str) -> None:
    path = f"{base}/annotations"
    server.request("POST", path, json={"id": "u1", "content": note(1, 1, "before")})
    listed = server.request("GET", path).json()["data"]
    assert listed["truncated"] is False and len(listed["annotations"]) == 2
    page1 = server.request("GET", f"{base}/pages/1/annotations").json()["data"]["annotations"]
    assert [a["id"] for a in page1] == ["u1"]
    assert server.request("GET", f"{base}/pages/5/annotations").status_code == 404
    replaced = note(1, 9, "after")
    answer = server.request("PUT", f"{path}/u1", json={"content": replaced, "user_id": "carol"})
    assert answer.status_code == 200
    record = server.request("GET", f"{path}/u1").json()
    assert record["content"]["text"]["value"] == "after" and record["updatedBy"] == "carol"
    assert record["content"]["bbox"][0] == 9
    missing = server.request("PUT", f"{path}/nope", json={"content": replaced})
    assert missing.status_code == 404
    invalid = server.request("PUT", f"{path}/u1", json={"content": note(8, 1, "x")})
    assert invalid.status_code == 422
    bulk = server.request(
        "PUT",
        path,
        json={
            "annotations": [
                {"id": "u1", "content": note(1, 3, "bulk")},
                {"id": "gone", "content": note(0, 1, "x")},
            ]
        },
    ).json()
    assert bulk["result"] == "partial_failure" and bulk["data"][0]["id"] == "u1"
    assert bulk["failing_paths"][0]["path"] == "$.annotations[1]"
    assert server.request("DELETE", f"{path}/u1").status_code == 200
    assert server.request("DELETE", f"{path}/u1").status_code == 404


def test_bulk_delete_by_ids_and_all(server: Server, base: str) -> None:
    path = f"{base}/annotations"
    for rid in ("d1", "d2", "d3"):
        server.request("POST", path, json={"id": rid, "content": note(0, 1, rid)})
    gone = server.request("DELETE", path, json={"annotationIds": ["d1", "d2"]})
    assert gone.status_code == 200 and gone.json()["data"]["annotationIds"] == ["d1", "d2"]
    assert server.request("DELETE", path, json={"annotationIds": ["d1"]}).status_code == 404
    assert server.request("DELETE", path, json={"annotationIds": 5}).status_code == 422
    everything = server.request("DELETE", path, json={"annotationIds": "all"})
    assert len(everything.json()["data"]["annotationIds"]) == 2  # d3 and the base note
    assert server.request("GET", path).json()["data"]["annotations"] == []


def test_listing_is_capped_at_1000_and_ndjson_streams_all(server: Server, doc: str) -> None:
    path = f"/api/documents/{doc}/layers/many/annotations"
    batch = {"annotations": [{"content": note(i % 2, i % 500, f"n{i}")} for i in range(1001)]}
    assert server.request("POST", path, json=batch).json()["result"] == "success"
    listed = server.request("GET", path).json()["data"]
    assert listed["truncated"] is True and len(listed["annotations"]) == 1000
    streamed = server.request("GET", path, headers={"Accept": "application/x-ndjson"})
    assert streamed.headers["content-type"].startswith("application/x-ndjson")
    lines = [json.loads(line) for line in streamed.text.splitlines()]
    assert len(lines) == 1002 and set(lines[0]) == {
        "id",
        "content",
        "createdBy",
        "updatedBy",
        "group",
    }


def test_bookmarks_crud(server: Server, base: str) -> None:
    path = f"{base}/bookmarks"
    content = {
        "type": "pspdfkit/bookmark",
        "v": 1,
        "name": "Intro",
        "action": {"type": "goTo", "pageIndex": 1},
    }
    made = server.request("POST", path, json={"id": "bm1", "content": content})
    assert made.status_code == 200 and made.json() == {"data": {"id": "bm1"}}
    listed = server.request("GET", path).json()["data"]["bookmarks"]
    assert [(b["id"], b["content"]["name"]) for b in listed] == [("bm1", "Intro")]
    renamed = server.request("PUT", f"{path}/bm1", json={"content": {**content, "name": "Start"}})
    assert renamed.status_code == 200
    assert server.request("GET", path).json()["data"]["bookmarks"][0]["content"]["name"] == "Start"
    assert server.request("POST", path, json={"content": {"type": "x"}}).status_code == 400
    assert server.request("PUT", f"{path}/nope", json={"content": content}).status_code == 404
    assert server.request("DELETE", f"{path}/bm1").status_code == 200
    assert server.request("GET", path).json()["data"]["bookmarks"] == []


def test_form_field_values(server: Server, base: str) -> None:
    path = f"{base}/form-field-values"
    assert server.request("GET", path).json() == {"data": {"formFieldValues": []}}
    answer = server.request(
        "POST", path, json={"formFieldValues": [{"name": "Name", "value": "Jane"}]}
    )
    assert answer.status_code == 200
    (value,) = answer.json()["data"]["formFieldValues"]
    assert value["name"] == "Name" and value["value"] == "Jane" and "createdBy" in value
    assert server.request("GET", path).json()["data"]["formFieldValues"][0]["value"] == "Jane"
    bad = server.request("POST", path, json={"formFieldValues": [{"name": "Name", "value": 3}]})
    assert bad.status_code == 422
    assert server.request("POST", path, json={"formFieldValues": []}).status_code == 422


def test_layers_are_isolated(server: Server, doc: str) -> None:
    a, b = f"/api/documents/{doc}/layers/a", f"/api/documents/{doc}/layers/b"
    server.request("POST", f"{a}/annotations", json={"id": "only-a", "content": note(0, 1, "a")})
    assert server.request("GET", f"{b}/annotations/only-a").status_code == 404
    assert server.request("GET", f"/api/documents/{doc}/annotations/only-a").status_code == 404


def test_json_body_over_the_limit_is_413(server: Server, doc: str) -> None:
    big = {"content": note(0, 1, "x" * 3_100_000)}
    answer = server.request("POST", f"/api/documents/{doc}/annotations", json=big)
    assert answer.status_code == 413
