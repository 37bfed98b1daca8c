"""Our sync extension over HTTP: changes feed, idempotent push, conflicts; and switching it off."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.server.conftest import Server, make_pdf, note, start_server, stop_server


def push(
    server: Server, layer: str, key: str, *changes: dict[str, object], token: str = "server"
) -> requests.Response:
    return server.request(
        "POST", f"{layer}/push", auth=token, json={"idempotency_key": key, "changes": list(changes)}
    )


def change(rid: str, base: int, text: str | None) -> dict[str, object]:
    content = None if text is None else note(0, 5, text)
    return {"kind": "annotation", "id": rid, "base_revision": base, "content": content}


def test_push_then_changes_feed(server: Server, doc: str) -> None:
    layer = f"/api/documents/{doc}/layers/sync-a"
    answer = push(server, layer, "k1", change("n1", 0, "one"), change("n2", 0, "two"))
    assert answer.status_code == 200
    data = answer.json()["data"]
    assert data["revision"] == 1 and data["replayed"] is False
    assert [a["id"] for a in data["applied"]] == ["n1", "n2"]
    feed = server.request("GET", f"{layer}/changes", params={"since": 0}).json()["data"]
    assert feed["layer"] == "sync-a" and feed["revision"] == 1 and feed["uid"]
    assert {(r["id"], r["revision"]) for r in feed["upserted"]} == {("n1", 1), ("n2", 1)}
    push(server, layer, "k2", change("n1", 1, None))
    later = server.request("GET", f"{layer}/changes", params={"since": 1}).json()["data"]
    assert later["upserted"] == [] and later["deleted"] == [
        {"kind": "annotation", "id": "n1", "revision": 2}
    ]
    assert server.request("GET", f"{layer}/changes", params={"since": "x"}).status_code == 400


def test_the_same_push_twice_applies_once(server: Server, doc: str) -> None:
    layer = f"/api/documents/{doc}/layers/sync-b"
    first = push(server, layer, "retry-me", change("n", 0, "once")).json()["data"]
    again = push(server, layer, "retry-me", change("n", 0, "once")).json()["data"]
    assert again["replayed"] is True and again["applied"] == first["applied"]
    assert server.request("GET", f"{layer}/changes?since=0").json()["data"]["revision"] == 1
    other = push(server, layer, "retry-me", change("m", 0, "different"))
    assert other.status_code == 409


def test_stale_push_is_a_conflict_and_overwrites_nothing(server: Server, doc: str) -> None:
    layer = f"/api/documents/{doc}/layers/sync-c"
    push(server, layer, "laptop-1", change("shared", 0, "from the laptop"))
    push(server, layer, "laptop-2", change("shared", 1, "laptop again"))
    stale = push(server, layer, "desktop-1", change("shared", 1, "from the desktop"))
    data = stale.json()["data"]
    assert data["applied"] == [] and data["revision"] == 2
    (conflict,) = data["conflicts"]
    assert conflict["server_revision"] == 2 and conflict["base_revision"] == 1
    assert conflict["server"]["content"]["text"]["value"] == "laptop again"
    record = server.request("GET", f"{layer}/annotations/shared").json()
    assert record["content"]["text"]["value"] == "laptop again"


def test_push_is_a_write_and_limits_its_size(server: Server, doc: str) -> None:
    layer = f"/api/documents/{doc}/layers/sync-d"
    reader = server.token(doc, ["read-document"], layer="sync-d")
    assert push(server, layer, "k", change("x", 0, "x"), token=reader).status_code == 403
    many = [change(f"x{i}", 0, "x") for i in range(1001)]
    assert push(server, layer, "k", *many).status_code == 413
    bad = server.request("POST", f"{layer}/push", json={"idempotency_key": "k", "changes": 3})
    assert bad.status_code == 400
    no_key = server.request("POST", f"{layer}/push", json={"changes": []})
    assert no_key.status_code == 400


def test_author_comes_from_the_token(server: Server, doc: str) -> None:
    layer = f"/api/documents/{doc}/layers/sync-e"
    token = server.token(doc, ["read-document", "write"], layer="sync-e", user_id="ann")
    assert push(server, layer, "k", change("t", 0, "mine"), token=token).status_code == 200
    record = server.request("GET", f"{layer}/annotations/t").json()
    assert record["createdBy"] == "ann"


def test_default_layer_has_the_extension_too(server: Server, doc: str) -> None:
    base = f"/api/documents/{doc}"
    assert push(server, base, "d", change("dflt", 0, "default")).status_code == 200
    assert server.request("GET", f"{base}/changes").json()["data"]["layer"] == ""


@pytest.fixture
def plain_server(tmp_path: Path) -> Iterator[str]:
    proc, url = start_server(tmp_path / "plain", "--insecure-no-auth", "--no-sync-extension")
    yield url
    stop_server(proc)


def test_without_the_extension_and_without_auth(plain_server: str) -> None:
    doc = requests.post(
        f"{plain_server}/api/documents",
        data=make_pdf(),
        timeout=30,
        headers={"Content-Type": "application/pdf"},
    ).json()["data"]["document_id"]
    layer = f"{plain_server}/api/documents/{doc}/layers/x"
    assert requests.get(f"{layer}/annotations", timeout=10).status_code == 200
    assert requests.get(f"{layer}/changes", timeout=10).status_code == 404
    assert (
        "/api/documents/{document_id}/layers/{layer}/push"
        not in requests.get(f"{plain_server}/openapi.json", timeout=10).json()["paths"]
    )
