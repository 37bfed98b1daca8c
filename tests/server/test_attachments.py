"""Pictures over HTTP: multipart annotation writes, Instant JSON with attachments, our upload,
ask and download routes, and who may read a picture."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from reviewer_app.instant import FORMAT
from tests.conftest import image_record
from tests.server.conftest import BODY_LIMIT, Server

PNG = b"\x89PNG\r\n\x1a\n" + b"the picture of a cat"
SHA = hashlib.sha256(PNG).hexdigest()
RW = ["read-document", "write", "download"]


def image(attachment_id: str = SHA, **extra: Any) -> dict[str, Any]:
    return image_record(attachment_id, **extra)


def picture_parts(**more: Any) -> dict[str, Any]:
    return {SHA: ("cat.png", PNG, "image/png"), **more}


def test_multipart_create_stores_the_picture(server: Server, doc: str) -> None:
    layer = f"/api/documents/{doc}/layers/pics"
    body = json.dumps({"id": "img", "content": image()})
    made = server.request(
        "POST", f"{layer}/annotations", files=picture_parts(annotation=(None, body))
    )
    assert made.status_code == 200, made.text
    assert made.json() == {"data": {"id": "img"}}
    got = server.request("GET", f"{layer}/attachments/{SHA}")
    assert got.status_code == 200 and got.content == PNG
    assert got.headers["content-type"] == "image/png"
    assert got.headers["x-content-type-options"] == "nosniff"
    # the default layer takes a batch the same way
    batch = json.dumps({"annotations": [{"id": "img2", "content": image()}]})
    made = server.request(
        "POST", f"/api/documents/{doc}/annotations", files=picture_parts(annotations=(None, batch))
    )
    assert made.status_code == 200 and made.json()["result"] == "success"
    assert server.request("GET", f"/api/documents/{doc}/attachments/{SHA}").content == PNG


def test_multipart_bulk_update_carries_a_new_picture(server: Server, doc: str) -> None:
    layer = f"/api/documents/{doc}/layers/pics"
    assert server.request(
        "POST", f"{layer}/annotations", json={"id": "img", "content": image("e" * 64)}
    ).ok
    assert server.request("GET", f"{layer}/attachments/{'e' * 64}").status_code == 404
    body = json.dumps({"annotations": [{"id": "img", "content": image()}]})
    updated = server.request(
        "PUT", f"{layer}/annotations", files=picture_parts(annotations=(None, body))
    )
    assert updated.status_code == 200 and updated.json()["result"] == "success", updated.text
    assert server.request("GET", f"{layer}/attachments/{SHA}").content == PNG


def test_misnamed_parts_and_missing_json_are_400(server: Server, doc: str) -> None:
    path = f"/api/documents/{doc}/layers/pics/annotations"
    body = (None, json.dumps({"id": "x", "content": image()}))
    wrong = {"0" * 64: ("cat.png", PNG, "image/png"), "annotation": body}
    answer = server.request("POST", path, files=wrong)
    assert answer.status_code == 400 and SHA in answer.json()["details"]
    assert server.request("POST", path, files=picture_parts()).status_code == 400
    both = picture_parts(annotation=body, annotations=body)
    assert server.request("POST", path, files=both).status_code == 400
    assert server.request("GET", f"{path}/x").status_code == 404  # nothing was created


def test_instant_json_carries_pictures_both_ways(server: Server, doc: str) -> None:
    layer = f"/api/documents/{doc}/layers/imported"
    document = {
        "format": FORMAT,
        "annotations": [image(id="img")],
        "attachments": {
            SHA: {"binary": base64.b64encode(PNG).decode(), "contentType": "image/png"},
            "f" * 64: {"binary": "not base64!"},
        },
    }
    files = {"instant.json": ("instant.json", json.dumps(document), "application/json")}
    applied = server.request("POST", f"{layer}/apply_instant_json", files=files)
    assert applied.status_code == 200
    (error,) = applied.json()["data"]["errors"]
    assert error["reason"] == f"attachments['{'f' * 64}']: 'binary' is not valid base64"
    exported = server.request("GET", f"{layer}/document.json").json()
    assert exported["attachments"] == {SHA: document["attachments"][SHA]}
    assert server.request("GET", f"{layer}/attachments/{SHA}").content == PNG
    # and a new layer made from that file gets it too
    copy = {"name": (None, "copied"), "instant.json": ("i.json", json.dumps(exported))}
    created = server.request("POST", f"/api/documents/{doc}/layers", files=copy)
    assert created.status_code == 200 and created.json()["data"]["errors"] == []
    got = server.request("GET", f"/api/documents/{doc}/layers/copied/attachments/{SHA}")
    assert got.content == PNG


def test_upload_and_ask_which_are_missing(server: Server, doc: str) -> None:
    layer = f"/api/documents/{doc}/layers/synced"
    ask = {"attachmentIds": [SHA, SHA, "nope"]}
    missing = server.request("POST", f"{layer}/attachments/missing", json=ask)
    assert missing.status_code == 200 and missing.json() == {"data": {"missing": [SHA, "nope"]}}
    uploaded = server.request("POST", f"{layer}/attachments", files=picture_parts())
    assert uploaded.status_code == 200 and uploaded.json() == {"data": {"attachments": [SHA]}}
    again = server.request("POST", f"{layer}/attachments", files=picture_parts())
    assert again.status_code == 200  # stored once: sending it again is harmless
    # stored, but no record of the layer shows it yet: the layer cannot serve it
    assert server.request("GET", f"{layer}/attachments/{SHA}").status_code == 404
    assert server.request("POST", f"{layer}/annotations", json={"id": "i", "content": image()}).ok
    missing = server.request("POST", f"{layer}/attachments/missing", json=ask)
    assert missing.json() == {"data": {"missing": ["nope"]}}
    assert server.request("GET", f"{layer}/attachments/{SHA}").content == PNG


def test_upload_errors(server: Server, doc: str) -> None:
    path = f"/api/documents/{doc}/layers/synced/attachments"
    assert server.request("POST", path, json={"x": 1}).status_code == 400
    wrong = {"0" * 64: ("cat.png", PNG, "image/png")}
    assert server.request("POST", path, files=wrong).status_code == 400
    big = b"x" * (BODY_LIMIT + 10)
    sha = hashlib.sha256(big).hexdigest()
    assert server.request("POST", path, files={sha: ("big", big)}).status_code == 413
    bad_ask = server.request("POST", f"{path}/missing", json={"attachmentIds": "all"})
    assert bad_ask.status_code == 422
    too_many = server.request("POST", f"{path}/missing", json={"attachmentIds": ["a"] * 1001})
    assert too_many.status_code == 413


def test_a_picture_is_read_only_through_a_layer_that_shows_it(server: Server, doc: str) -> None:
    """Attachments are stored once per server, but read per layer: student B cannot read
    student A's picture, even knowing its SHA-256, nor learn that the server holds it."""
    base = f"/api/documents/{doc}/layers"
    server.request(
        "POST", f"{base}/a/annotations", files=picture_parts(annotation=(None, image_item()))
    )
    student_a = server.token(doc, RW, layer="a")
    student_b = server.token(doc, RW, layer="b")
    teacher = server.token(doc, ["read-document"], layers=["*"])
    reader = server.token(doc, ["read-document"], layer="a")
    assert server.request("GET", f"{base}/a/attachments/{SHA}", auth=student_a).content == PNG
    assert server.request("GET", f"{base}/a/attachments/{SHA}", auth=teacher).content == PNG
    assert server.request("GET", f"{base}/a/attachments/{SHA}", auth=reader).content == PNG
    assert server.request("GET", f"{base}/a/attachments/{SHA}", auth=student_b).status_code == 403
    assert server.request("GET", f"{base}/b/attachments/{SHA}", auth=student_b).status_code == 404
    asked = server.request(
        "POST", f"{base}/b/attachments/missing", json={"attachmentIds": [SHA]}, auth=student_b
    )
    assert asked.json() == {"data": {"missing": [SHA]}}
    upload = server.request("POST", f"{base}/a/attachments", files=picture_parts(), auth=reader)
    assert upload.status_code == 403
    other_doc = server.token("SOMEOTHERDOC", RW, layer="a")
    assert server.request("GET", f"{base}/a/attachments/{SHA}", auth=other_doc).status_code == 403
    assert server.request("GET", f"{base}/a/attachments/{SHA}", auth=None).status_code == 401


def image_item() -> str:
    return json.dumps({"id": "img", "content": image()})
