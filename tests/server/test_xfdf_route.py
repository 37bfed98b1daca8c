"""GET document.xfdf on the default layer and on any layer, against a real server process:
DE's media type, the layer's own annotations, and a student's token kept to its layers."""

from __future__ import annotations

import defusedxml.ElementTree as SafeET

from tests.server.conftest import Server, note

NS = "{http://ns.adobe.com/xfdf/}"


def names(xml: bytes) -> set[str]:
    root = SafeET.fromstring(xml)
    return {e.get("name") or "" for e in root.iter() if e.tag == f"{NS}text"}


def test_each_layer_reads_as_its_own_xfdf(server: Server, doc: str) -> None:
    path = f"/api/documents/{doc}/layers/amy/annotations"
    created = server.request(
        "POST", path, json={"annotations": [{"id": "amy-1", "content": note(0, 100, "Amy's note")}]}
    )
    assert created.status_code == 200, created.text
    mine = server.request("GET", f"/api/documents/{doc}/layers/amy/document.xfdf")
    assert mine.status_code == 200 and mine.headers["content-type"] == "application/vnd.adobe.xfdf"
    assert (
        "amy-1" in names(mine.content) and b"Amy&apos;s note" in mine.content
    ) or b"Amy's note" in mine.content
    default = server.request("GET", f"/api/documents/{doc}/document.xfdf")
    assert default.status_code == 200 and "amy-1" not in names(default.content)
    assert names(default.content)  # the base note shows in the default layer


def test_a_students_token_reads_only_its_own_layer_as_xfdf(server: Server, doc: str) -> None:
    token = server.token(doc, ["read-document", "write"], layers=["amy"], user_id="amy")
    assert (
        server.request(
            "GET", f"/api/documents/{doc}/layers/amy/document.xfdf", auth=token
        ).status_code
        == 200
    )
    assert (
        server.request(
            "GET", f"/api/documents/{doc}/layers/ben/document.xfdf", auth=token
        ).status_code
        == 403
    )
    assert server.request("GET", "/api/documents/nope/document.xfdf").status_code == 404
