"""Shared test fixtures: temporary data folders, never the user's own."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
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


def modules_loaded_by(code: str, among: tuple[str, ...]) -> list[str]:
    """The modules named in ``among`` (or under them) that a fresh interpreter has loaded
    after running ``code``: what a process pays for at its start."""
    probe = f"{code}\nimport sys; print(sorted(m for m in sys.modules if m.startswith({among!r})))"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    return ast.literal_eval(out.strip())  # type: ignore[no-any-return]


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


STORE_MODULES = frozenset(
    {
        "tests.engine.test_layers",
        "tests.engine.test_trash",
        "tests.engine.test_records",
        "tests.engine.test_history",
        "tests.engine.test_compare",
        "tests.engine.test_shared_records",
        "tests.engine.test_replica_state",
        "tests.engine.test_undo_steps",
        "tests.engine.test_picture_rule",
        "tests.engine.test_threads",
        "tests.engine.test_grading",
        "tests.engine.test_comment_bank",
        "tests.engine.test_instant_io",
        "tests.engine.test_layer_reads",
        "tests.engine.test_grade_sheet",
        "tests.engine.test_attachments",
        "tests.engine.test_summary_counts",
        "tests.server.test_sync",
        "tests.server.test_layers",
        "tests.server.test_annotations",
        "tests.server.test_comments",
        "tests.server.test_documents",
        "tests.server.test_attachments",
        "tests.server.test_picture_access",
        "tests.server.test_apply_instructions",
        "tests.server.test_layer_names",
        "tests.server.test_upload_attachment",
        "tests.sync.test_replicas",
        "tests.sync.test_faults",
        "tests.sync.test_comment_sync",
        "tests.sync.test_pictures",
        "tests.sync.test_restored_layers",
        "tests.sync.test_scheme_sync",
        "tests.sync.test_roles_sync",
        "tests.sync.test_layer_names",
        "tests.sync.test_fallback",
        "tests.sync.test_unreadable_records",
        "tests.sync.test_random_replicas",
        "tests.sync.test_layer_times",
        "tests.server.test_workers",
        "tests.server.test_two_servers",
        "tests.server.test_operations",
    }
)
"""The tests of the engine's rules, directly and through the server and sync: they run on both
stores (the rest, HTTP, PDF and file matters or SQLite's own failures, on SQLite only)."""


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--store",
        choices=("both", "sqlite", "postgresql"),
        default="both",
        help="the layer stores the rule-bearing server and sync tests run on (default both)",
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run :data:`STORE_MODULES` once per store (the ``store`` fixture's parameter)."""
    if "store" not in metafunc.fixturenames or metafunc.module.__name__ not in STORE_MODULES:
        return
    chosen = metafunc.config.getoption("store")
    stores = ["sqlite", "postgresql"] if chosen == "both" else [chosen]
    metafunc.parametrize("store", stores, indirect=True, scope="session")


@pytest.fixture(scope="session")
def store(request: pytest.FixtureRequest) -> str:
    """The layer store a test's server runs on: "sqlite" (a file in its data folder, the
    default) or "postgresql" (a fresh database on :func:`pg_cluster`)."""
    return str(getattr(request, "param", "sqlite"))


def store_args(store: str, request: pytest.FixtureRequest) -> tuple[str, ...]:
    """The ``reviewer-server serve`` arguments that put a server on ``store``."""
    if store != "postgresql":
        return ()
    return ("--database", request.getfixturevalue("pg_cluster").database())


@pytest.fixture(scope="session")
def pg_cluster() -> Any:
    """A throwaway PostgreSQL cluster for the session (started on first use): see
    tests/postgres.py; ``pg_cluster.database()`` makes a fresh, migrated database."""
    from tests.postgres import running_cluster

    with running_cluster() as cluster:
        yield cluster
