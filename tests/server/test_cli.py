"""``reviewer-server`` commands: keygen, issue-token, and serve refusing unsafe configurations."""

from __future__ import annotations

from pathlib import Path

import jwt
import pytest

from tests.server.conftest import Server
from tests.server.conftest import server_cli as run


@pytest.mark.parametrize("algorithm", ["RS256", "ES256"])
def test_keygen_and_issue_token(tmp_path: Path, algorithm: str) -> None:
    made = run("keygen", "--out", str(tmp_path), "--algorithm", algorithm)
    assert made.returncode == 0, made.stderr
    private = tmp_path / "jwt-private.pem"
    assert private.stat().st_mode & 0o077 == 0
    issued = run(
        "issue-token",
        "--document",
        "DOC",
        "--layer",
        "student-1",
        "--user-id",
        "s1",
        "--permissions",
        "read-document,write",
        "--expires",
        "30m",
        "--private-key",
        str(private),
    )
    assert issued.returncode == 0, issued.stderr
    token = issued.stdout.strip()
    public = (tmp_path / "jwt-public.pem").read_text()
    claims = jwt.decode(token, public, algorithms=[algorithm])
    assert claims["document_id"] == "DOC" and claims["layer"] == "student-1"
    assert claims["permissions"] == ["read-document", "write"] and claims["user_id"] == "s1"
    assert 1700 < claims["exp"] - claims["iat"] <= 1800
    assert run("keygen", "--out", str(tmp_path)).returncode == 2  # never overwrites a key


@pytest.mark.parametrize(
    ("grants", "said"),
    [
        (["--permissions", "read,fly"], "unknown permissions read, fly: use cover-image, download"),
        (["--permissions", "writes"], "unknown permission writes"),
        (["--layer", "a*b"], "invalid layer name 'a*b': it must not contain '*'"),
        (["--layers", "amy,b*"], "invalid layer name 'b*'"),
    ],
)
def test_issue_token_refuses_what_the_server_would_not_read_as_meant(
    tmp_path: Path, grants: list[str], said: str
) -> None:
    """The server ignores a permission it does not know and refuses a layer name with a *:
    such a token would be issued, sent to a student, and fail or do less than meant."""
    assert run("keygen", "--out", str(tmp_path)).returncode == 0
    key = ["--private-key", str(tmp_path / "jwt-private.pem")]
    refused = run("issue-token", "--document", "DOC", *grants, *key)
    assert refused.returncode == 2 and refused.stdout == ""
    assert said in refused.stderr, refused.stderr
    every = run("issue-token", "--document", "DOC", "--layers", "*", "--permissions", "all", *key)
    assert every.returncode == 0, every.stderr  # "*" for every layer, "all" permissions: fine


def test_issued_token_works_against_the_server(server: Server, doc: str, tmp_path: Path) -> None:
    key = tmp_path / "k.pem"
    key.write_bytes(server.private_key)
    issued = run(
        "issue-token",
        "--document",
        doc,
        "--layers",
        "*",
        "--permissions",
        "read-document",
        "--private-key",
        str(key),
    )
    answer = server.request("GET", f"/api/documents/{doc}/layers", auth=issued.stdout.strip())
    assert answer.status_code == 200 and answer.json()["data"] == [""]


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        ((), {}, "no authentication configured"),
        (("--insecure-no-auth", "--host", "0.0.0.0"), {}, "loopback"),
        ((), {"API_AUTH_TOKEN": "short"}, "too short"),
        ((), {"API_AUTH_TOKEN": "x" * 20, "JWT_ALGORITHM": "HS256"}, "not allowed"),
        ((), {"JWT_PUBLIC_KEY": "nonsense"}, "PEM"),
    ],
)
def test_serve_refuses_unsafe_configurations(
    tmp_path: Path, args: tuple[str, ...], env: dict[str, str], message: str
) -> None:
    result = run("serve", "--port", "0", "--data-dir", str(tmp_path), *args, env=env)
    assert result.returncode == 2 and message in result.stderr
