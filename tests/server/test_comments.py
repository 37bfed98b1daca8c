"""Comment routes against a real server: Document Engine's paths, shapes and status codes
(answers validated against its OpenAPI document), cascades, and who may reply where."""

from __future__ import annotations

from typing import Any

import pytest

from tests.server.conftest import Server
from tests.server.spec import assert_valid


def highlight(**extra: Any) -> dict[str, Any]:
    return {
        "v": 2,
        "type": "pspdfkit/markup/highlight",
        "pageIndex": 0,
        "bbox": [72, 60, 120, 14],
        "rects": [[72, 60, 120, 14]],
        "color": "#fcee7c",
        "opacity": 1,
        **extra,
    }


def root_on(server: Server, doc: str, prefix: str = "", **extra: Any) -> str:
    answer = server.request(
        "POST", f"/api/documents/{doc}{prefix}/annotations", json={"content": highlight(**extra)}
    )
    assert answer.status_code == 200, answer.text
    data = answer.json()["data"]
    return str(data.get("id") or data.get("annotation_id"))


@pytest.mark.parametrize("prefix", ["", "/layers/ann"])
def test_a_thread_is_read_and_added_to_in_document_engines_shapes(
    server: Server, doc: str, prefix: str
) -> None:
    root = root_on(server, doc, prefix)
    path = f"/api/documents/{doc}{prefix}/annotations/{root}/comments"
    sent = {
        "comments": [
            {"content": {"text": "What a wonderful idea!", "creatorName": "John Doe"}},
            {
                "id": "01DNEDPQQ22W49KDXRFPG4EPEQ",
                "user_id": "bob",
                "group": "class",
                "content": {
                    "text": {"format": "xhtml", "value": "<b>Agreed</b><script>x()</script>"},
                    "createdAt": "2019-11-14T15:05:03.089Z",
                    "customData": {"mood": "happy"},
                },
            },
        ]
    }
    created = server.request("POST", path, json=sent)
    assert created.status_code == 200, created.text
    assert_valid("CommentsCreated", created.json())
    ids = [c["id"] for c in created.json()["data"]["comments"]]
    assert ids[1] == "01DNEDPQQ22W49KDXRFPG4EPEQ"
    listed = server.request("GET", path)
    assert listed.status_code == 200
    assert_valid("CommentsList", listed.json())
    comments = listed.json()["data"]["comments"]
    assert [c["id"] for c in comments] == [ids[1], ids[0]]  # in the order written (createdAt)
    second, first = (c["content"] for c in comments)
    assert first["text"] == {"format": "plain", "value": "What a wonderful idea!"}
    assert (first["rootId"], first["type"], first["creatorName"]) == (
        root,
        "pspdfkit/comment",
        "John Doe",
    )
    assert second["text"]["value"] == "<b>Agreed</b>"  # made safe
    assert (comments[0]["createdBy"], comments[0]["group"]) == ("bob", "class")
    other = "" if prefix else "/layers/ann"
    missing = server.request("GET", f"/api/documents/{doc}{other}/annotations/{root}/comments")
    assert missing.status_code == 404  # the thread belongs to its layer


def test_roots_that_cannot_hold_comments_missing_roots_and_bad_comments(
    server: Server, doc: str
) -> None:
    base = f"/api/documents/{doc}"
    listing = server.request("GET", f"{base}/annotations").json()["data"]["annotations"]
    note_id = listing[0]["id"]  # the PDF's own sticky note
    for method, body in (("GET", None), ("POST", {"comments": [{"content": {"text": "x"}}]})):
        answer = server.request(method, f"{base}/annotations/{note_id}/comments", json=body)
        assert answer.status_code == 400, answer.text
        assert "only markup annotations and comment markers" in answer.json()["details"]
        gone = server.request(method, f"{base}/annotations/NOPE/comments", json=body)
        assert gone.status_code == 404
    unknown = server.request("GET", "/api/documents/NO-DOC/annotations/X/comments")
    assert unknown.status_code == 404
    root = root_on(server, doc)
    bad = server.request(
        "POST",
        f"{base}/annotations/{root}/comments",
        json={"comments": [{"content": {"text": "fine"}}, {"content": {"createdAt": "soon"}}]},
    )
    assert bad.status_code == 422
    assert_valid("CommentsCreateErrors", bad.json())
    assert bad.json() == {
        "comments": [
            {},
            {"content": {"text": ["is required"], "createdAt": ["must be an ISO 8601 date-time"]}},
        ]
    }
    listed = server.request("GET", f"{base}/annotations/{root}/comments").json()
    assert listed["data"]["comments"] == []  # nothing of a refused request is kept


def test_a_root_and_its_comments_together(server: Server, doc: str) -> None:
    path = f"/api/documents/{doc}/layers/ann/comments"
    marker = {
        "v": 2,
        "type": "pspdfkit/comment-marker",
        "pageIndex": 1,
        "bbox": [100, 100, 24, 24],
        "icon": "comment",
    }
    sent = {
        "annotation": {"content": marker, "user_id": "ann"},
        "comments": [{"content": {"text": "first"}}, {"content": {"text": "second"}}],
    }
    created = server.request("POST", path, json=sent)
    assert created.status_code == 200, created.text
    assert_valid("CommentsCreatedWithRoot", created.json())
    data = created.json()["data"]
    root = data["annotation"]["id"]
    listed = server.request("GET", f"/api/documents/{doc}/layers/ann/annotations/{root}/comments")
    assert [c["id"] for c in listed.json()["data"]["comments"]] == [
        c["id"] for c in data["comments"]
    ]
    refused = server.request(
        "POST",
        path,
        json={
            "annotation": {"content": {**marker, "type": "pspdfkit/shape/rectangle"}},
            "comments": [],
        },
    )
    assert refused.status_code == 422
    assert_valid("CommentsCreateErrorsWithRoot", refused.json())
    assert "markup annotation" in refused.json()["annotation"]["content"][0]


def test_deleting_the_root_deletes_the_thread_and_the_last_comment_a_marker(
    server: Server, doc: str
) -> None:
    base = f"/api/documents/{doc}/layers/ann"
    root = root_on(server, doc, "/layers/ann")
    server.request(
        "POST",
        f"{base}/annotations/{root}/comments",
        json={"comments": [{"content": {"text": "a"}}]},
    )
    assert server.request("DELETE", f"{base}/annotations/{root}").status_code == 200
    assert server.request("GET", f"{base}/annotations/{root}/comments").status_code == 404
    exported = server.request("GET", f"{base}/document.json").json()
    assert exported.get("comments", []) == []


def test_comments_travel_in_the_layers_instant_json(server: Server, doc: str) -> None:
    root = root_on(server, doc, "/layers/ann")
    base = f"/api/documents/{doc}/layers/ann"
    server.request(
        "POST",
        f"{base}/annotations/{root}/comments",
        json={"comments": [{"content": {"text": "kept"}}]},
    )
    exported = server.request("GET", f"{base}/document.json").json()
    assert [c["text"]["value"] for c in exported["comments"]] == ["kept"]
    created = server.request(
        "POST",
        f"/api/documents/{doc}/layers",
        files={
            "name": (None, "copy"),
            "instant.json": ("i.json", __import__("json").dumps(exported)),
        },
    )
    assert created.json()["data"] == {"name": "copy", "errors": []}


# -- who may reply where: a student's layer-bound token, a teacher's, a reader's ------------

WRITE = ["read-document", "write"]


def tokens(server: Server, doc: str) -> dict[str, str]:
    return {
        "student A": server.token(doc, WRITE, layer="a", user_id="sa"),
        "student B": server.token(doc, WRITE, layer="b", user_id="sb"),
        "reader of A": server.token(doc, ["read-document"], layer="a"),
        "teacher": server.token(doc, WRITE, layers=["*"], user_id="teach"),
        "other document": server.token("ANOTHER", WRITE, layers=["*"]),
    }


MATRIX = {  # who → (read A's thread, reply in A, reply in B)
    "student A": (200, 200, 403),
    "student B": (403, 403, 200),
    "reader of A": (200, 403, 403),
    "teacher": (200, 200, 200),
    "other document": (403, 403, 403),
}


def test_the_authorization_matrix_for_comments(server: Server, doc: str) -> None:
    roots = {layer: root_on(server, doc, f"/layers/{layer}") for layer in "ab"}
    path = {
        layer: f"/api/documents/{doc}/layers/{layer}/annotations/{roots[layer]}/comments"
        for layer in "ab"
    }
    reply = {"comments": [{"user_id": "forged", "content": {"text": "hello"}}]}
    granted = tokens(server, doc)
    for who, (read_a, reply_a, reply_b) in MATRIX.items():
        token = granted[who]
        assert server.request("GET", path["a"], auth=token).status_code == read_a, who
        assert server.request("POST", path["a"], auth=token, json=reply).status_code == reply_a, who
        assert server.request("POST", path["b"], auth=token, json=reply).status_code == reply_b, who
        with_root = server.request(
            "POST",
            f"/api/documents/{doc}/layers/b/comments",
            auth=token,
            json={"annotation": {"content": highlight()}, "comments": []},
        )
        assert with_root.status_code == reply_b, who
    assert server.request("GET", path["a"], auth=None).status_code == 401
    comments = server.request("GET", path["a"]).json()["data"]["comments"]
    assert {c["createdBy"] for c in comments} == {"sa", "teach"}  # the token's user, not forged
