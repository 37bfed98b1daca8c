"""Finding 2 of issue 16: a PDF whose page tree nests 70,000 levels overflowed MuPDF's stack
and killed the whole server. PyMuPDF now runs in worker processes: the upload is refused with a
422 in Document Engine's error shape, a PDF that crashes a worker is refused at once after, and
the server answers everyone else all along."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

from reviewer_app.engine import LayerEngine
from reviewer_app.server.process import start_server, stop_server
from tests.pdf.builders import deep_page_tree_pdf
from tests.server.conftest import SECRET, make_pdf
from tests.server.test_failures import LoggedServer

DEEP = deep_page_tree_pdf(70_000)
CANNOT = "this PDF could not be processed: "
PDF = {"Content-Type": "application/pdf"}


@contextmanager
def serving(data: Path, log_path: Path) -> Iterator[tuple[LoggedServer, int]]:
    """A server of the test's own over ``data``; yields it and its process id."""
    with log_path.open("a+", encoding="utf-8") as log:
        proc, url = start_server(data, env={"API_AUTH_TOKEN": SECRET}, stderr=log)
        try:
            yield LoggedServer(url, data, log), proc.pid
            assert proc.poll() is None, "the server died"
        finally:
            stop_server(proc)


def assert_still_serving(server: LoggedServer) -> None:
    """/healthz, an upload and a listing of another document are answered."""
    assert server.call("GET", "/healthz").json() == {"status": "ok"}
    answer = server.call("POST", "/api/documents", data=make_pdf(), headers=PDF)
    assert answer.status_code == 200, answer.text
    other = answer.json()["data"]["document_id"]
    assert server.call("GET", f"/api/documents/{other}/layers").json() == {"data": [""]}


def refused(answer: requests.Response) -> str:
    """The reason of a 422 in Document Engine's error shape (``details`` and ``status``)."""
    assert answer.status_code == 422, answer.text
    body = answer.json()
    assert set(body) == {"details", "status"} and body["status"] == 422
    details: str = body["details"]
    assert details.startswith(CANNOT), details
    return details


def test_a_deep_page_tree_upload_is_a_422_and_the_server_answers_on(tmp_path: Path) -> None:
    with serving(tmp_path / "data", tmp_path / "server.log") as (server, _):
        first = refused(server.call("POST", "/api/documents", data=DEEP, headers=PDF))
        assert "page tree" in first and "nested more than 256 levels" in first
        assert_still_serving(server)
        again = refused(server.call("POST", "/api/documents", data=DEEP, headers=PDF))
        assert "refused at once" in again  # remembered by its SHA-256: no worker was asked
        assert server.call("GET", "/api/documents/x/layers").status_code == 404  # nothing kept
        assert not [e for e in server.log_lines() if e.get("event") == "internal error"]


def test_a_stored_pdf_that_crashes_the_writer_costs_only_its_own_request(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    with LayerEngine(data) as engine:  # stored before uploads were checked (an older server)
        document = engine.add_document(DEEP, records=[], page_count=1, file_name="deep.pdf")
    layer_pdf = f"/api/documents/{document.id}/layers/alice/pdf"
    with serving(data, tmp_path / "server.log") as (server, _):
        assert server.call("POST", f"/api/documents/{document.id}/layers", json={"name": "alice"})
        crashed = refused(server.call("GET", layer_pdf))
        assert "crashed the PDF reader" in crashed
        assert_still_serving(server)
        assert "refused at once" in refused(server.call("GET", layer_pdf))
        info = server.call("GET", f"/api/documents/{document.id}/document_info")
        assert "refused at once" in refused(info)
    with serving(data, tmp_path / "server.log") as (server, _):  # remembered across a restart
        assert "refused at once" in refused(server.call("GET", layer_pdf))
        assert_still_serving(server)
