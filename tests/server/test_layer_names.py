"""Layer names travel in URL paths: a name a path cannot carry (``/``, NUL, or a whole ``.``
or ``..``, which clients and proxies remove as dot segments) is refused when the layer would be
made; every other character goes there and back through the real server."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest

from tests.server.conftest import Server, note

ASCII = "".join(chr(c) for c in range(128) if chr(c) not in "/*\x00")
OTHERS = "\x85\xa0é\u2028\u2029\ufeff\ufffe\uffff\U0001f600\u200b\u0301\ufffd中"
WHOLE = ["...", " ", "%", "%2F", "%2E%2E", "a%20b", "\\", "?", "#", ".a", "a.", "-", "\t"]


def samples() -> list[str]:
    """Every ASCII character but ``/``, ``*`` and NUL, and a few others, six to a name, and names
    that are special as a whole."""
    chars = ASCII + OTHERS
    return [f"a{chars[i : i + 6]}b" for i in range(0, len(chars), 6)] + WHOLE


def path(doc: str, name: str) -> str:
    """The layer's path as a client writes it: the name quoted whole (``/`` too)."""
    return f"/api/documents/{doc}/layers/{quote(name, safe='')}"


def test_every_character_but_a_slash_goes_there_and_back(server: Server, doc: str) -> None:
    for name in samples():
        made = server.request("POST", f"/api/documents/{doc}/layers", json={"name": name})
        assert made.status_code == 200, (name, made.text)
        layer = path(doc, name)
        wrote = server.request("POST", f"{layer}/annotations", json={"content": note(0, 9, name)})
        assert wrote.status_code == 200, (name, wrote.text)
        listed = server.request("GET", f"{layer}/annotations").json()["data"]["annotations"]
        assert name in [a["content"]["text"]["value"] for a in listed], name
        feed = server.request("GET", f"{layer}/changes", params={"since": 0}).json()["data"]
        assert feed["layer"] == name and len(feed["upserted"]) == 1, name
        assert server.request("DELETE", layer).status_code == 200, name
        assert name not in server.request("GET", f"/api/documents/{doc}/layers").json()["data"]


@pytest.mark.parametrize("name", ["7b/alice", "/", "a/", "/a", ".", "..", "a\x00b"])
def test_a_name_a_path_cannot_carry_is_refused(server: Server, doc: str, name: str) -> None:
    layers = f"/api/documents/{doc}/layers"
    answer = server.request("POST", layers, json={"name": name})
    assert answer.status_code == 400, answer.text
    assert answer.json()["status"] == 400 and "URL" in answer.json()["details"]
    form = server.request("POST", layers, files={"name": (None, name)})
    assert form.status_code == 400, form.text
    assert name not in server.request("GET", layers).json()["data"]


def test_writing_through_a_dot_segment_creates_no_layer(server: Server, doc: str) -> None:
    """``%2E%2E`` reaches the server as ``..`` (a client that quotes dots); writing there
    would create the layer ``..``, which every client then reads as the document itself."""
    for encoded in ("%2E%2E", "%2E"):
        body = json.dumps({"content": note(0, 9, "x")})
        answer = server.request(
            "POST",
            f"/api/documents/{doc}/layers/{encoded}/annotations",
            data=body,
            headers={"Content-Type": "application/json"},
        )
        assert answer.status_code == 400, answer.text
    assert server.request("GET", f"/api/documents/{doc}/layers").json()["data"] == [""]
