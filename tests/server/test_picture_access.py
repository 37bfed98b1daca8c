"""Finding 1: a picture is readable only by who may see it, even to one who knows its SHA-256.
Student B names student A's picture in B's own layer, by every write path there is: each is
refused, and nothing of A's picture ever reaches B. Uploading first, copying an image a
readable layer shows, and a teacher's copying still work."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

import pytest

from reviewer_app.instant import FORMAT
from tests.conftest import image_record
from tests.server.conftest import Server, note

PNG = b"\x89PNG\r\n\x1a\n" + b"student A's drawing"
SHA = hashlib.sha256(PNG).hexdigest()
OTHER = b"\x89PNG\r\n\x1a\n" + b"student B's own picture"
OTHER_SHA = hashlib.sha256(OTHER).hexdigest()
RW = ["read-document", "write", "download"]


def image(sha: str = SHA, **extra: Any) -> dict[str, Any]:
    return image_record(sha, **extra)


class Class:
    """A document with student A's picture in layer ``a``, and tokens for A, B and a teacher."""

    def __init__(self, server: Server, doc: str) -> None:
        self.server, self.doc = server, doc
        self.a = server.token(doc, RW, layer="a")
        self.b = server.token(doc, RW, layers=["b", "b2"])
        self.teacher = server.token(doc, RW, layers=["*"])
        body = json.dumps({"id": "a-img", "content": image()})
        made = self.call(
            "POST",
            "a",
            "/annotations",
            self.a,
            files={SHA: ("a.png", PNG), "annotation": (None, body)},
        )
        assert made.status_code == 200, made.text

    def call(self, method: str, layer: str, tail: str, token: str, **kw: Any) -> Any:
        path = f"/api/documents/{self.doc}/layers/{layer}{tail}"
        return self.server.request(method, path, auth=token, **kw)


@pytest.fixture
def klass(server: Server, doc: str) -> Class:
    return Class(server, doc)


def nothing_of_a_reaches_b(k: Class) -> None:
    for layer in ("b", "b2"):
        assert k.call("GET", layer, f"/attachments/{SHA}", k.b).status_code == 404
        asked = k.call("POST", layer, "/attachments/missing", k.b, json={"attachmentIds": [SHA]})
        assert asked.json() == {"data": {"missing": [SHA]}}
        exported = k.call("GET", layer, "/document.json", k.b).json()
        assert SHA not in json.dumps(exported)
        feed = k.call("GET", layer, "/changes", k.b, params={"since": 0}).json()
        assert SHA not in json.dumps(feed)
        listing = k.call("GET", layer, "/annotations", k.b).json()
        assert SHA not in json.dumps(listing)
    assert k.call("GET", "a", f"/attachments/{SHA}", k.b).status_code == 403


def refused_400(answer: Any) -> None:
    assert answer.status_code == 400, answer.text
    assert set(answer.json()) == {"details", "status"} and "upload it first" in answer.text


def test_b_cannot_name_a_picture_of_a_by_any_write(klass: Class) -> None:
    k = klass
    refused_400(k.call("POST", "b", "/annotations", k.b, json={"id": "x", "content": image()}))
    batch = {
        "annotations": [{"id": "x1", "content": image()}, {"id": "ok", "content": image(OTHER_SHA)}]
    }
    files = {OTHER_SHA: ("b.png", OTHER), "annotations": (None, json.dumps(batch))}
    answer = k.call("POST", "b", "/annotations", k.b, files=files)  # multipart, B's own picture too
    assert answer.json()["result"] == "partial_failure"
    assert [f["error"] for f in answer.json()["failing_paths"]] == ["forbidden"]
    assert [d["id"] for d in answer.json()["data"]] == ["ok"]
    one = json.dumps({"id": "x2", "content": image()})
    refused_400(
        k.call(
            "POST",
            "b",
            "/annotations",
            k.b,
            files={OTHER_SHA: ("b.png", OTHER), "annotation": (None, one)},
        )
    )
    # updates: B's own image made to show A's picture
    refused_400(k.call("PUT", "b", "/annotations/ok", k.b, json={"content": image()}))
    bulk = k.call(
        "PUT", "b", "/annotations", k.b, json={"annotations": [{"id": "ok", "content": image()}]}
    )
    assert (
        bulk.json()["result"] == "failure"
        and bulk.json()["failing_paths"][0]["error"] == "forbidden"
    )
    push = {
        "idempotency_key": "steal",
        "changes": [{"kind": "annotation", "id": "x3", "base_revision": 0, "content": image()}],
    }
    pushed = k.call("POST", "b", "/push", k.b, json=push).json()["data"]
    assert pushed["applied"] == [] and "upload it first" in pushed["rejected"][0]["reason"]
    instant = json.dumps({"format": FORMAT, "annotations": [image(id="x4")]})
    applied = k.call(
        "POST", "b", "/apply_instant_json", k.b, files={"instant.json": ("i.json", instant)}
    )
    assert "upload it first" in applied.json()["data"]["errors"][0]["reason"]
    created = k.server.request(
        "POST",
        f"/api/documents/{k.doc}/layers",
        auth=k.b,
        files={"name": (None, "b2"), "instant.json": ("i.json", instant)},
    )
    assert created.status_code == 200 and "upload it first" in json.dumps(created.json())
    nothing_of_a_reaches_b(k)
    assert (
        k.call("GET", "b", "/annotations/ok", k.b).json()["content"]["imageAttachmentId"]
        == OTHER_SHA
    )


def test_b_names_a_picture_once_b_has_uploaded_it(klass: Class) -> None:
    """Uploading the same bytes proves B has them: B may then name them (in B's layers)."""
    k = klass
    up = k.call("POST", "b", "/attachments", k.b, files={SHA: ("mine.png", PNG)})
    assert up.status_code == 200
    made = k.call("POST", "b", "/annotations", k.b, json={"id": "mine", "content": image()})
    assert made.status_code == 200, made.text
    assert k.call("GET", "b", f"/attachments/{SHA}", k.b).content == PNG
    instant = {
        "format": FORMAT,
        "annotations": [image(id="j")],
        "attachments": {
            SHA: {"binary": base64.b64encode(PNG).decode(), "contentType": "image/png"}
        },
    }
    files = {"instant.json": ("i.json", json.dumps(instant))}
    assert (
        k.call("POST", "b2", "/apply_instant_json", k.b, files=files).json()["data"]["errors"] == []
    )


def test_copying_an_image_a_readable_layer_shows(klass: Class) -> None:
    k = klass
    files = {
        OTHER_SHA: ("b.png", OTHER),
        "annotation": (None, json.dumps({"id": "b1", "content": image(OTHER_SHA)})),
    }
    assert k.call("POST", "b", "/annotations", k.b, files=files).status_code == 200
    again = k.call(
        "POST", "b", "/annotations", k.b, json={"id": "b1-copy", "content": image(OTHER_SHA, x=200)}
    )
    assert again.status_code == 200, again.text  # b shows it already
    moved = k.call("PUT", "b", "/annotations/b1", k.b, json={"content": image(OTHER_SHA, x=300)})
    assert moved.status_code == 200, moved.text
    push = {
        "idempotency_key": "copy",
        "changes": [
            {"kind": "annotation", "id": "b2-copy", "base_revision": 0, "content": image(OTHER_SHA)}
        ],
    }
    pushed = k.call("POST", "b2", "/push", k.b, json=push).json()["data"]  # b2 may: B reads b
    assert pushed["rejected"] == [] and len(pushed["applied"]) == 1
    assert k.call("GET", "b2", f"/attachments/{OTHER_SHA}", k.b).content == OTHER
    # the teacher reads every layer: copying A's image into the teacher's own layer is fine
    copied = k.call("POST", "t", "/annotations", k.teacher, json={"id": "t1", "content": image()})
    assert copied.status_code == 200, copied.text
    assert k.call("GET", "t", f"/attachments/{SHA}", k.teacher).content == PNG
    # a reader of layer a only may not name B's picture in a (write) ...
    reader_a = k.server.token(k.doc, RW, layer="a")
    refused_400(k.call("POST", "a", "/annotations", reader_a, json={"content": image(OTHER_SHA)}))
    # ... and the server token is trusted with any picture
    served = k.call("POST", "s", "/annotations", "server", json={"content": image(OTHER_SHA)})
    assert served.status_code == 200


def test_an_upload_through_a_deleted_layer_is_forgotten(klass: Class) -> None:
    k = klass
    assert k.call("POST", "b2", "/annotations", k.b, json={"content": note(0, 5, "hi")}).ok
    assert k.call("POST", "b2", "/attachments", k.b, files={SHA: ("p.png", PNG)}).ok
    assert k.call("DELETE", "b2", "", k.b).status_code == 200
    refused_400(k.call("POST", "b2", "/annotations", k.b, json={"content": image()}))
