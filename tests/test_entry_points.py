"""Worker processes (the server's PDF workers, the app's import and export workers) are
spawned, and a spawned process first imports its parent's main module: the two entry points
import nothing heavy at their top. A server's PDF worker loads PyMuPDF and not the web
framework (which cost each worker 0.6 s of CPU and 40 MB)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from tests.server.conftest import SECRET, make_pdf, start_server, stop_server
from tests.server.test_workers import worker_pids

HEAVY = ("PySide6", "pymupdf", "fastapi", "pydantic", "uvicorn", "requests", "jwt")


@pytest.mark.parametrize("entry", ["reviewer_app.cli", "reviewer_app.server.cli"])
def test_an_entry_point_imports_nothing_heavy(entry: str) -> None:
    probe = f"import sys, json, {entry}; print(json.dumps(sorted(sys.modules)))"
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    loaded = {name.split(".")[0] for name in json.loads(run.stdout)}
    assert loaded.isdisjoint(HEAVY), sorted(loaded.intersection(HEAVY))


def mapped(pid: int) -> str:
    """The files process ``pid`` has mapped (its shared libraries among them)."""
    return Path(f"/proc/{pid}/maps").read_text()


def test_a_pdf_worker_loads_pymupdf_and_not_the_web_framework(tmp_path: Path) -> None:
    proc, url = start_server(tmp_path / "data", env={"API_AUTH_TOKEN": SECRET})
    try:
        answer = requests.post(  # read by a PDF worker: its imports are all done after it
            f"{url}/api/documents",
            data=make_pdf(),
            headers={"Authorization": f'Token token="{SECRET}"', "Content-Type": "application/pdf"},
            timeout=60,
        )
        assert answer.status_code == 200, answer.text
        workers = worker_pids(proc.pid)
        assert workers, "the server has no PDF worker"
        for pid in workers:
            libraries = mapped(pid)
            assert "mupdf" in libraries  # the worker that read the upload
            assert "pydantic_core" not in libraries and "uvloop" not in libraries
        assert "pydantic_core" in mapped(proc.pid)  # (the server itself has it)
    finally:
        stop_server(proc)
