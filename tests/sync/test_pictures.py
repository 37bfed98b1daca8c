"""Pictures travel with sync: two replicas and a real server; each picture is sent once."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from tests.conftest import image_record as image
from tests.sync.conftest import LiveServer, Proxy, Replica, local_records

PNG = b"\x89PNG\r\n\x1a\n" + b"a picture drawn on the laptop"
JPEG = b"\xff\xd8\xff" + b"a photo taken later"


def uploads(proxy: Proxy) -> list[str]:
    return [s for s in proxy.seen if s.startswith("POST") and s.endswith("/attachments")]


def test_a_picture_reaches_the_other_replica_and_is_sent_once(
    server: LiveServer, proxy: Proxy, replicas: Callable[..., Replica]
) -> None:
    doc = server.upload()
    token = server.token(doc, layer="t", user_id="teacher")
    laptop = replicas("laptop", proxy.url, token, doc)
    desktop = replicas("desktop", server.url, token, doc)
    sha = laptop.engine.add_attachment(PNG)
    laptop.engine.create_records(doc, "t", "annotation", [image(sha, id="img")])
    report = laptop.session.sync_all()
    assert report.pushed == 1 and report.pictures_sent == 1
    assert len(uploads(proxy)) == 1
    assert desktop.engine.attachment(sha) is None
    got = desktop.session.sync_all()
    assert got.pictures_received == 1 and got.notices == []
    assert desktop.engine.attachment(sha) == PNG
    assert desktop.engine.layer_export(doc, "t").attachments == {sha: PNG}
    assert local_records(desktop.engine, doc, "t") == server.records(doc, "t")
    # syncing again, or moving the picture, sends the picture no more
    proxy.seen.clear()
    assert laptop.session.sync_all().pictures_sent == 0
    laptop.engine.update_records(doc, "t", "annotation", [image(sha, x=200, id="img")])
    again = laptop.session.sync_all()
    assert again.pushed == 1 and again.pictures_sent == 0
    assert uploads(proxy) == []
    assert desktop.session.sync_all().pictures_received == 0
    assert desktop.engine.record(doc, "t", "annotation", "img").content["bbox"][0] == 200


def test_the_same_picture_in_two_records_travels_once(
    server: LiveServer, proxy: Proxy, replicas: Callable[..., Replica]
) -> None:
    doc = server.upload()
    token = server.token(doc, layers=["*"])
    a = replicas("a", proxy.url, token, doc)
    b = replicas("b", server.url, token, doc)
    png, jpeg = a.engine.add_attachment(PNG), a.engine.add_attachment(JPEG)
    items = [image(png, id="one"), image(png, x=300, id="two"), image(jpeg, id="three")]
    a.engine.create_records(doc, "", "annotation", items)  # the default layer too
    assert a.session.sync_all().pictures_sent == 2
    (upload,) = uploads(proxy)  # both in one request
    assert upload.endswith(f"/api/documents/{doc}/attachments")
    assert b.session.sync_all().pictures_received == 2
    assert (b.engine.attachment(png), b.engine.attachment(jpeg)) == (PNG, JPEG)


def test_a_picture_the_server_lacks_is_fetched_once_it_arrives(
    server: LiveServer, replicas: Callable[..., Replica]
) -> None:
    """A record can reach the server before its picture (a client that never sent it):
    the replica says so, keeps the record, and fetches the picture at a later sync."""
    doc = server.upload()
    png = PNG + b" that no test sent before"  # (the server keeps pictures by their digest)
    sha = hashlib.sha256(png).hexdigest()
    path = f"/api/documents/{doc}/layers/t/annotations"
    made = server.call("POST", path, json={"id": "img", "content": image(sha)})
    assert made.status_code == 200, made.text
    replica = replicas("r", server.url, server.token(doc, layer="t"), doc)
    first = replica.session.sync_all()
    assert replica.engine.record(doc, "t", "annotation", "img").content["imageAttachmentId"] == sha
    assert first.pictures_received == 0
    assert first.notices == [f"picture {sha[:12]}… is not on the server yet"]
    body = json.dumps({"annotations": [{"id": "img", "content": image(sha)}]})
    files = {sha: ("p.png", png, "image/png"), "annotations": (None, body)}
    assert server.call("PUT", path, files=files).status_code == 200
    later = replica.session.sync_all()
    assert later.pictures_received == 1 and replica.engine.attachment(sha) == png


def test_pictures_travel_through_a_plain_server(
    plain_server: LiveServer, replicas: Callable[..., Replica]
) -> None:
    """Without our extension: the record goes out as multipart with its picture (api.md
    §3.4-3.5), and comes in with the picture taken from the layer's Instant JSON."""
    doc = plain_server.upload()
    token = plain_server.token(doc, layers=["*"])
    a = replicas("a", plain_server.url, token, doc)
    b = replicas("b", plain_server.url, token, doc)
    sha = a.engine.add_attachment(PNG)
    a.engine.create_records(doc, "x", "annotation", [image(sha, id="img")])
    assert a.session.sync_all().pictures_sent == 1
    assert a.session.extension is False
    assert b.session.sync_all().pictures_received == 1
    assert b.engine.attachment(sha) == PNG
    jpeg = b.engine.add_attachment(JPEG)
    b.engine.update_records(doc, "x", "annotation", [image(jpeg, id="img")])
    assert b.session.sync_all().pictures_sent == 1
    assert a.session.sync_all().pictures_received == 1
    assert a.engine.attachment(jpeg) == JPEG
    assert local_records(a.engine, doc, "x") == plain_server.records(doc, "x")
