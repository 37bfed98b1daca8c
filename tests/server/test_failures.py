"""A bug on the server is a 500 and one JSON line on its log, not a 503 (the environment's)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pytest
import requests

from reviewer_app.engine.layer_engine import DATABASE_NAME
from reviewer_app.server.process import start_server, stop_server
from tests.server.conftest import SECRET, make_pdf, note

AUTH = {"Authorization": f'Token token="{SECRET}"'}


@dataclass
class LoggedServer:
    """A server of this test's own (the test breaks it), its data folder and its stderr."""

    url: str
    data: Path
    log: IO[Any]

    def call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        headers = {**AUTH, **kwargs.pop("headers", {})}
        return requests.request(method, self.url + path, headers=headers, timeout=30, **kwargs)

    def log_lines(self) -> list[dict[str, Any]]:
        self.log.seek(0)
        found = []
        for line in self.log.read().splitlines():
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if isinstance(entry, dict):
                found.append(entry)
        return found


@pytest.fixture
def logged_server(tmp_path: Path) -> Iterator[LoggedServer]:
    with (tmp_path / "stderr.log").open("w+", encoding="utf-8") as log:
        proc, url = start_server(tmp_path / "data", env={"API_AUTH_TOKEN": SECRET}, stderr=log)
        try:
            yield LoggedServer(url, tmp_path / "data", log)
        finally:
            stop_server(proc)


def _upload(server: LoggedServer) -> str:
    answer = server.call(
        "POST", "/api/documents", data=make_pdf(), headers={"Content-Type": "application/pdf"}
    )
    assert answer.status_code == 200, answer.text
    return str(answer.json()["data"]["document_id"])


def test_a_bug_in_a_route_is_a_500_with_one_json_log_line(logged_server: LoggedServer) -> None:
    doc = _upload(logged_server)
    with sqlite3.connect(logged_server.data / DATABASE_NAME) as conn:
        conn.execute("ALTER TABLE history RENAME TO history_gone")  # our SQL no longer fits
    conn.close()
    answer = logged_server.call(
        "POST", f"/api/documents/{doc}/layers/a/annotations", json={"content": note(0, 1, "x")}
    )
    assert answer.status_code == 500
    assert answer.json()["status"] == 500
    assert "no such table" not in answer.text  # the details are for the log, not the client
    errors = [e for e in logged_server.log_lines() if e.get("event") == "internal error"]
    assert len(errors) == 1
    assert errors[0]["path"] == f"/api/documents/{doc}/layers/a/annotations"
    assert errors[0]["error"] == "OperationalError: no such table: history"
    assert "Traceback" in errors[0]["traceback"]
    assert "history.py" in errors[0]["traceback"]
    access = [e for e in logged_server.log_lines() if e.get("method") == "POST"]
    assert access[-1]["status"] == 500
    assert logged_server.call("GET", "/healthz").status_code == 200  # the server lives on
    assert logged_server.call("GET", f"/api/documents/{doc}/layers").status_code == 200
