"""Tokens on disk: the file fallback is private to the user and refused when it is not."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from reviewer_app.sync import CredentialError, CredentialStore, token_layers
from reviewer_app.sync.client import auth_header


def test_file_fallback_is_private(tmp_path: Path) -> None:
    store = CredentialStore(tmp_path / "cfg" / "tokens.json", use_keyring=False)
    assert store.get("https://a") is None
    store.set("https://a", "secret-1")
    store.set("https://b", "secret-2")
    assert store.get("https://a") == "secret-1"
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    store.delete("https://a")
    assert store.get("https://a") is None and store.get("https://b") == "secret-2"
    os.chmod(store.path, 0o644)
    with pytest.raises(CredentialError, match="chmod 600"):
        store.get("https://b")


def test_auth_headers_and_token_scope() -> None:
    assert auth_header("s3cret-token-value") == 'Token token="s3cret-token-value"'
    assert auth_header("a.b.c") == "Bearer a.b.c"
    assert token_layers("not-a-jwt") is None
