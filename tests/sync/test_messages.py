"""What a failed sync tells a person, from real failures against a real server, and the log
file that keeps the details."""

from __future__ import annotations

import logging
import socket
from pathlib import Path

import pytest

from reviewer_app.server.tokens import TokenRequest, issue_token
from reviewer_app.sync import (
    SyncClient,
    check_access,
    explain,
    log_failure,
    log_file,
    log_to_file,
)
from reviewer_app.sync.log import LOGGER
from tests.sync.conftest import FAST, LiveServer, Proxy


def failure(url: str, token: str, document_id: str) -> BaseException:
    """What checking ``token`` for ``document_id`` at ``url`` raises."""
    client = SyncClient(url, token, retry=FAST, timeout=(2.0, 10.0))
    try:
        check_access(client, document_id)
    except Exception as exc:
        return exc
    finally:
        client.close()
    raise AssertionError("the check passed")


def closed_port() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"  # nobody listens once closed


def test_offline_is_a_sentence_that_says_the_changes_are_kept() -> None:
    url = closed_port()
    text = explain(failure(url, "a-server-token-of-some-length", "doc"), url)
    host = url.removeprefix("http://")
    assert text == (
        f"The server at {host} cannot be reached; your changes are kept and will be sent "
        "when it can."
    )


def test_refused_tokens_say_why(server: LiveServer) -> None:
    doc = server.upload()
    other = server.upload()
    expired = issue_token(
        TokenRequest(doc, ["all"], layer="dana", expires_in=-3600), server.private_key
    )
    assert explain(failure(server.url, expired, doc), server.url) == (
        "The server refused the token: it has expired. Ask for a new one."
    )
    assert explain(failure(server.url, server.token(other), doc), server.url) == (
        "The server refused the token: it was issued for another document. Check the document id."
    )
    wrong_secret = "not-the-server-token-but-long-enough"
    assert explain(failure(server.url, wrong_secret, doc), server.url) == (
        "The server refused the token: it was not issued for this server."
    )
    malformed = failure(server.url, 'half"quoted', doc)
    assert getattr(malformed, "status", None) == 401
    assert explain(malformed, server.url).startswith(
        "The server asks for a token and did not take this one."
    )


def test_a_missing_document_and_a_server_error(server: LiveServer, proxy: Proxy) -> None:
    doc = server.upload()
    host = server.url.removeprefix("http://")
    token = server.token(doc)
    for_nothing = issue_token(TokenRequest("nope", ["all"]), server.private_key)
    missing = failure(server.url, for_nothing, "nope")
    assert explain(missing, server.url) == (
        f"The server at {host} does not have this document (or the address is wrong)."
    )
    proxy.fail_next = 100  # more 503s than the client retries
    text = explain(failure(proxy.url, token, doc), proxy.url)
    assert text == (
        f"The server at {proxy.url.removeprefix('http://')} has a problem (503); your changes "
        "are kept and will be sent when it can."
    )


def test_https_to_a_server_without_tls_says_to_check_the_address(server: LiveServer) -> None:
    url = server.url.replace("http://", "https://")
    text = explain(failure(url, "a-server-token-of-some-length", "doc"), url)
    assert text.startswith(f"The server at {url.removeprefix('https://')} does not answer over")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("reviewer.example.org", "“reviewer.example.org” is not a server address"),
        ("ftp://reviewer.example.org", "“ftp://reviewer.example.org” is not a server address"),
        ("http://", "“http://” is not a server address"),
        ("https://" + "x" * 70 + ".org", "“https://xxx"),  # a label too long for DNS
    ],
)
def test_a_bad_address_is_named_as_such(url: str, expected: str) -> None:
    assert explain(failure(url, "a-server-token-of-some-length", "doc"), url).startswith(expected)


def test_the_details_go_to_the_log_file_under_the_users_log_folder(tmp_path: Path) -> None:
    assert log_file().is_relative_to(tmp_path)  # tests/conftest.py moved the user's folders
    path = log_to_file()
    url = closed_port()
    log_failure(failure(url, "a-server-token-of-some-length", "doc"), f"syncing with {url}")
    for handler in LOGGER.handlers:
        handler.flush()
    logged = path.read_text(encoding="utf-8")
    assert f"syncing with {url} failed: OfflineError" in logged
    assert "Traceback (most recent call last)" in logged and "ConnectionError" in logged
    assert LOGGER.level == logging.INFO
