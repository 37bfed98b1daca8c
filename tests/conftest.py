"""Shared test fixtures: temporary data folders, never the user's own."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, NoReturn

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point every user folder (data, settings, cache, logs) into the test's temporary folder."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local" / "state"))  # logs (sync.log)
    monkeypatch.delenv("REVIEWER_DATA_DIR", raising=False)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def corpus_file(name: str) -> Path:
    """A file of ../shared/corpus. When shared/ is absent the test is skipped, saying why;
    under CI (``CI=true``) it fails instead: there the corpus must be present."""
    path = CORPUS / name
    if not path.exists():
        corpus_missing(f"{name} is not in the shared test corpus at {CORPUS}")
    return path


def corpus_missing(reason: str) -> NoReturn:
    """Skip the test (``../shared`` belongs beside the repo), or fail it under CI."""
    reason += " (../shared must be beside the repo)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def image_record(attachment_id: str, x: float = 10, **extra: Any) -> dict[str, Any]:
    """An Instant image annotation on page 1 showing the stored picture ``attachment_id``."""
    return {
        "v": 2,
        "type": "pspdfkit/image",
        "pageIndex": 0,
        "bbox": [x, 10, 100, 80],
        "opacity": 1,
        "imageAttachmentId": attachment_id,
        "contentType": "image/png",
        "fileName": "picture.png",
        **extra,
    }
