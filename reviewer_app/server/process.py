"""Running the server as a child process on a free port and learning its URL (tests, benches,
and any program that wants a private local server)."""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

STARTUP_SECONDS = 30.0


def start_server(
    data_dir: Path,
    *args: str,
    env: Mapping[str, str] | None = None,
    timeout: float = STARTUP_SECONDS,
    stderr: int | IO[Any] = subprocess.DEVNULL,
) -> tuple[subprocess.Popen[str], str]:
    """Start ``reviewer-server serve --port 0`` with ``args``; returns the process and the URL
    it printed once listening. RuntimeError if it exits or says nothing within ``timeout``.
    The server's log (stderr) goes to ``stderr``: discarded unless a file is given."""
    command = [sys.executable, "-m", "reviewer_app.server.cli", "serve", "--port", "0"]
    proc = subprocess.Popen(
        [*command, "--data-dir", str(data_dir), *args],
        stdout=subprocess.PIPE,
        stderr=stderr,
        text=True,
        env={**os.environ, **(env or {})},
    )
    stdout = proc.stdout
    assert stdout is not None
    lines: queue.Queue[str] = queue.Queue()

    def forward() -> None:
        for line in stdout:
            lines.put(line)

    threading.Thread(target=forward, daemon=True).start()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=0.2)
        except queue.Empty:
            if proc.poll() is not None:
                raise RuntimeError(f"the server exited with {proc.returncode}") from None
            continue
        if "listening on " in line:
            return proc, line.rsplit("listening on ", 1)[1].strip()
    stop_server(proc)
    raise RuntimeError("the server did not publish its URL in time")


def stop_server(proc: subprocess.Popen[str]) -> None:
    """Ask the server to shut down (SIGTERM); kill it if it has not left within 15 s."""
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
