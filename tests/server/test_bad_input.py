"""Bad input is refused at the door with a 4xx in Document Engine's error shape, never a 500:
lone surrogates, integers that are not ASCII digits or too large, JSON nested too deeply, ids
and records too large."""

from __future__ import annotations

import json
from typing import Any

import pytest

from reviewer_app.instant import FORMAT
from reviewer_app.instant.limits import MAX_DEPTH, MAX_RECORD_BYTES
from tests.server.conftest import Server, note

LONE = '"\\ud800"'
"""A JSON string holding a lone surrogate, which UTF-8 (SQLite's, the answer's) cannot carry."""


def nested(levels: int) -> dict[str, Any]:
    """An object nested ``levels`` deep (``{"a": {"a": ... {}}}``)."""
    inner: dict[str, Any] = {}
    for _ in range(levels - 1):
        inner = {"a": inner}
    return inner


def with_lone_surrogate(body: Any) -> bytes:
    """``body`` as JSON with every string ``"LONE"`` replaced by a lone surrogate."""
    return json.dumps(body).replace('"LONE"', LONE).encode()


def push(change_id: str = "p", content: dict[str, Any] | None = None, key: str = "k") -> Any:
    return {
        "idempotency_key": key,
        "changes": [
            {"kind": "annotation", "id": change_id, "base_revision": 0, "content": content}
        ],
    }


def instant(annotation: dict[str, Any]) -> dict[str, Any]:
    return {"format": FORMAT, "annotations": [annotation]}


def refused(answer: Any, *statuses: int) -> None:
    """The answer is one of ``statuses`` (400 if none given), in DE's error shape."""
    assert answer.status_code in (statuses or (400,)), (answer.status_code, answer.text[:300])
    body = answer.json()
    assert set(body) == {"details", "status"} and body["status"] == answer.status_code
    assert isinstance(body["details"], str) and body["details"]


SURROGATE_BODIES: list[tuple[str, str, Any]] = [
    ("POST", "/layers", {"name": "LONE"}),
    ("POST", "/layers", {"name": "n", "source_layer_name": "LONE"}),
    ("POST", "/layers/x/annotations", {"id": "LONE", "content": note(0, 10, "t")}),
    ("POST", "/layers/x/annotations", {"content": note(0, 10, "LONE")}),
    ("POST", "/layers/x/annotations", {"content": note(0, 10, "t"), "user_id": "LONE"}),
    ("POST", "/layers/x/annotations", {"content": note(0, 10, "t"), "group": "LONE"}),
    ("POST", "/layers/x/annotations", {"content": note(0, 10, "t", customData={"LONE": 1})}),
    ("POST", "/annotations", {"annotations": [{"content": note(0, 10, "LONE")}]}),
    ("PUT", "/layers/x/annotations", {"annotations": [{"id": "a", "content": note(0, 1, "LONE")}]}),
    ("PUT", "/layers/x/annotations/a", {"content": note(0, 10, "LONE")}),
    ("DELETE", "/layers/x/annotations", {"annotationIds": ["LONE"]}),
    ("POST", "/layers/x/push", push("LONE", note(0, 10, "t"))),
    ("POST", "/layers/x/push", push("p", note(0, 10, "LONE"))),
    ("POST", "/layers/x/push", push("p", None, key="LONE")),
    ("POST", "/layers/x/bookmarks", {"type": "pspdfkit/bookmark", "v": 1, "name": "LONE"}),
    ("POST", "/layers/x/form-field-values", {"formFieldValues": [{"name": "LONE", "value": "x"}]}),
    ("POST", "/layers/x/attachments/missing", {"attachmentIds": ["LONE"]}),
    ("POST", "/layers/x/pdf", {"flatten": "LONE"}),
]


@pytest.mark.parametrize(("method", "path", "body"), SURROGATE_BODIES)
def test_lone_surrogates_are_400(
    server: Server, doc: str, method: str, path: str, body: Any
) -> None:
    answer = server.request(
        method,
        f"/api/documents/{doc}{path}",
        data=with_lone_surrogate(body),
        headers={"Content-Type": "application/json"},
    )
    refused(answer)
    assert "not valid Unicode" in answer.json()["details"]


def test_lone_surrogates_in_instant_json_parts_are_400(server: Server, doc: str) -> None:
    part = with_lone_surrogate(instant(note(0, 10, "LONE", id="i")))
    for path, files in (
        ("/layers/x/apply_instant_json", {"instant.json": ("i.json", part)}),
        ("/layers", {"name": (None, "n2"), "instant.json": ("i.json", part)}),
    ):
        refused(server.request("POST", f"/api/documents/{doc}{path}", files=files))
    assert "n2" not in server.request("GET", f"/api/documents/{doc}/layers").json()["data"]


@pytest.mark.parametrize("since", ["²", "①", "٣", str(2**63), str(2**64), "-1", "1e3", " 1", ""])
def test_since_takes_ascii_digits_up_to_2_63(server: Server, doc: str, since: str) -> None:
    path = f"/api/documents/{doc}/layers/x/changes"
    server.request(
        "POST", f"/api/documents/{doc}/layers/x/annotations", json={"content": note(0, 1, "t")}
    )
    refused(server.request("GET", path, params={"since": since}))
    assert server.request("GET", path, params={"since": str(2**63 - 1)}).status_code == 200


DEEP = "[" * 50_000 + "]" * 50_000


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/layers"),
        ("POST", "/layers/x/annotations"),
        ("PUT", "/layers/x/annotations"),
        ("PUT", "/layers/x/annotations/a"),
        ("DELETE", "/layers/x/annotations"),
        ("POST", "/layers/x/push"),
        ("POST", "/layers/x/bookmarks"),
        ("POST", "/layers/x/form-field-values"),
        ("POST", "/layers/x/attachments/missing"),
        ("POST", "/layers/x/apply_instant_json"),
        ("POST", "/layers/x/pdf"),
    ],
)
def test_json_nested_50000_deep_is_400(server: Server, doc: str, method: str, path: str) -> None:
    answer = server.request(
        method,
        f"/api/documents/{doc}{path}",
        data=DEEP,
        headers={"Content-Type": "application/json"},
    )
    refused(answer)
    assert "nested deeper than" in answer.json()["details"]


def test_deep_custom_data_is_refused_at_the_door(server: Server, doc: str) -> None:
    """Finding 4: customData nested 300 deep was accepted, and broke every read of the layer."""
    layer = f"/api/documents/{doc}/layers/deep"
    deep = note(0, 10, "t", customData=nested(300))
    refused(server.request("POST", f"{layer}/annotations", json={"id": "d", "content": deep}))
    refused(server.request("POST", f"{layer}/push", json=push("d", deep)))
    files = {"instant.json": ("i.json", json.dumps(instant({**deep, "id": "d"})))}
    refused(server.request("POST", f"{layer}/apply_instant_json", files=files))
    assert server.request("GET", f"{layer}/annotations/d").status_code == 404
    # as deep as the limit allows is fine: the body wraps the record in two more levels
    fine = note(0, 10, "t", customData=nested(MAX_DEPTH - 3))
    made = server.request("POST", f"{layer}/annotations", json={"id": "ok", "content": fine})
    assert made.status_code == 200, made.text
    got = server.request("GET", f"{layer}/annotations/ok").json()["content"]
    assert got["customData"] == fine["customData"]
    assert server.request("GET", f"{layer}/document.json").status_code == 200
    assert server.request("GET", f"{layer}/changes", params={"since": 0}).status_code == 200


def test_ids_are_at_most_256_characters(server: Server, doc: str) -> None:
    layer = f"/api/documents/{doc}/layers/ids"
    long = "i" * 257
    refused(
        server.request(
            "POST", f"{layer}/annotations", json={"id": long, "content": note(0, 1, "t")}
        ),
        422,
    )
    huge = {"id": "i" * 1_000_000, "content": note(0, 1, "t")}
    refused(server.request("POST", f"{layer}/annotations", json=huge), 422)
    answer = server.request("POST", f"{layer}/push", json=push(long, note(0, 1, "t")))
    refused(answer)
    bookmark = {
        "type": "pspdfkit/bookmark",
        "v": 1,
        "id": long,
        "action": {"type": "goTo", "pageIndex": 0},
    }
    refused(server.request("POST", f"{layer}/bookmarks", json=bookmark), 400, 422)
    value = {"formFieldValues": [{"name": long, "value": "x"}]}
    refused(server.request("POST", f"{layer}/form-field-values", json=value), 400, 422)
    batch = {
        "annotations": [
            {"id": long, "content": note(0, 1, "t")},
            {"id": "i" * 256, "content": note(0, 2, "t")},
        ]
    }
    answer = server.request("POST", f"{layer}/annotations", json=batch)
    assert answer.status_code == 200 and answer.json()["result"] == "partial_failure"
    assert [item["id"] for item in answer.json()["data"]] == ["i" * 256]


def test_a_record_too_large_is_refused(server: Server, doc: str) -> None:
    big = note(0, 10, "x" * (MAX_RECORD_BYTES + 1))
    answer = server.request(
        "POST", f"/api/documents/{doc}/layers/big/annotations", json={"content": big}
    )
    refused(answer, 422)
    assert "too large" in answer.json()["details"]


def test_no_route_and_wrong_method_answer_in_de_shape(server: Server, doc: str) -> None:
    refused(server.request("GET", f"/api/documents/{doc}/nothing-here"), 404)
    refused(server.request("PATCH", f"/api/documents/{doc}/layers"), 405)
    refused(
        server.request(
            "POST",
            f"/api/documents/{doc}/layers",
            data=b"\xff\xfe{",
            headers={"Content-Type": "application/json"},
        )
    )
