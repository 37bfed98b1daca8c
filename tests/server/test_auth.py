"""Who may do what: a BOLA matrix of principals x layers x endpoints, and token checks."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.serialization import load_pem_private_key

from reviewer_app.server.auth import LEEWAY_SECONDS, Authenticator
from reviewer_app.server.config import ServerConfig
from reviewer_app.server.errors import AccessDenied
from reviewer_app.server.tokens import TokenRequest, keygen
from tests.server.conftest import Server, b64, note, unsigned_token

RW = ["read-document", "write", "download"]
LAYER_A, LAYER_B = "student-a", "student-b"


@pytest.fixture(scope="module")
def matrix_doc(server: Server) -> str:
    """A document whose layer A holds one annotation (id ``a1``)."""
    doc = server.upload()
    path = f"/api/documents/{doc}/layers/{LAYER_A}/annotations"
    assert server.request("POST", path, json={"id": "a1", "content": note(0, 1, "a")}).ok
    return doc


def hs256_with_public_key(server: Server, claims: dict[str, Any]) -> str:
    head = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    body = b64(json.dumps(claims).encode())
    signature = hmac.new(server.public_key, f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{b64(signature)}"


def tampered(server: Server, doc: str) -> str:
    """Student B's signature on a payload rewritten to name layer A."""
    head, _, signature = server.token(doc, RW, layer=LAYER_B).split(".")
    claims = {"document_id": doc, "permissions": RW, "layer": LAYER_A, "exp": time.time() + 600}
    return f"{head}.{b64(json.dumps(claims).encode())}.{signature}"


def principals(server: Server, doc: str) -> dict[str, str | None]:
    claims = {"document_id": doc, "permissions": RW, "layer": LAYER_A, "exp": time.time() + 600}
    return {
        "server": "server",
        "teacher": server.token(doc, RW, layers=["*"], user_id="teacher"),
        "student_a": server.token(doc, RW, layer=LAYER_A, user_id="a"),
        "read_only_a": server.token(doc, ["read-document"], layer=LAYER_A),
        "student_b": server.token(doc, RW, layer=LAYER_B, user_id="b"),
        "wrong_document": server.token("SOMEOTHERDOCUMENT", RW, layer=LAYER_A),
        "expired": _expired(server, doc),
        "alg_none": unsigned_token(claims, {"alg": "none", "typ": "JWT"}),
        "hs256_public_key": hs256_with_public_key(server, claims),
        "tampered": tampered(server, doc),
        "no_token": None,
    }


def _expired(server: Server, doc: str) -> str:
    """Student A's token, issued two hours ago for one hour."""
    claims = TokenRequest(doc, RW, layer=LAYER_A).claims(now=int(time.time()) - 7200)
    return sign(server, claims)


def sign(server: Server, claims: dict[str, Any]) -> str:
    return jwt.encode(claims, load_pem_private_key(server.private_key, None), algorithm="ES256")  # type: ignore[arg-type]


INSTANT = {"format": "https://pspdfkit.com/instant-json/v1", "annotations": []}
ENDPOINTS: dict[str, tuple[str, str, str, dict[str, Any] | None]] = {  # kind, method, path, body
    "list annotations": ("read", "GET", "/annotations", None),
    "get annotation": ("read", "GET", "/annotations/a1", None),
    "page annotations": ("read", "GET", "/pages/0/annotations", None),
    "list bookmarks": ("read", "GET", "/bookmarks", None),
    "form values": ("read", "GET", "/form-field-values", None),
    "changes feed": ("read", "GET", "/changes?since=0", None),
    "create annotation": ("write", "POST", "/annotations", {"content": note(0, 2, "w")}),
    "update annotation": ("write", "PUT", "/annotations/a1", {"content": note(0, 3, "u")}),
    "delete annotation": ("write", "DELETE", "/annotations/nope", None),
    "bulk delete": ("write", "DELETE", "/annotations", {"annotationIds": ["nope"]}),
    "create bookmark": ("write", "POST", "/bookmarks", {"content": {"type": "x"}}),
    "fill form": (
        "write",
        "POST",
        "/form-field-values",
        {"formFieldValues": [{"name": "F", "value": "v"}]},
    ),
    "push": ("write", "POST", "/push", {"idempotency_key": "k", "changes": []}),
}
IMPORT_EXPORT = {
    "document.json": ("read", "GET", "/document.json", None),
    "apply instant json": ("write", "POST", "/apply_instant_json", INSTANT),
    "layer pdf": ("download", "GET", "/pdf", None),
}
ALLOWED_ON_A = {
    "server": {"read", "write", "download"},
    "teacher": {"read", "write", "download"},
    "student_a": {"read", "write", "download"},
    "read_only_a": {"read"},
}
ALLOWED_ON_DEFAULT = {
    "server": {"read", "write", "download"},
    "teacher": {"read", "write", "download"},
}
PRINCIPALS = [
    "server",
    "teacher",
    "student_a",
    "read_only_a",
    "student_b",
    "wrong_document",
    "expired",
    "alg_none",
    "hs256_public_key",
    "tampered",
    "no_token",
]


def _expected(principal: str, kind: str, allowed: dict[str, set[str]]) -> str:
    if principal == "no_token":
        return "401"
    return "ok" if kind in allowed.get(principal, set()) else "403"


def _outcome(status: int) -> str:
    return str(status) if status in (401, 403) else "ok"


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_bola_matrix_on_layer_a(server: Server, matrix_doc: str, principal: str) -> None:
    token = principals(server, matrix_doc)[principal]
    base = f"/api/documents/{matrix_doc}/layers/{LAYER_A}"
    got, want = {}, {}
    for name, (kind, method, path, body) in {**ENDPOINTS, **IMPORT_EXPORT}.items():
        answer = server.request(method, base + path, auth=token, json=body)
        got[name], want[name] = (
            _outcome(answer.status_code),
            _expected(principal, kind, ALLOWED_ON_A),
        )
    assert got == want


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_bola_matrix_on_the_default_layer(server: Server, matrix_doc: str, principal: str) -> None:
    token = principals(server, matrix_doc)[principal]
    base = f"/api/documents/{matrix_doc}"
    got, want = {}, {}
    for name, (kind, method, path, body) in {**ENDPOINTS, **IMPORT_EXPORT}.items():
        answer = server.request(method, base + path, auth=token, json=body)
        got[name] = _outcome(answer.status_code)
        want[name] = _expected(principal, kind, ALLOWED_ON_DEFAULT)
    assert got == want


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_document_level_rights(server: Server, matrix_doc: str, principal: str) -> None:
    token = principals(server, matrix_doc)[principal]
    doc = f"/api/documents/{matrix_doc}"
    valid = principal in ("server", "teacher", "student_a", "read_only_a", "student_b")
    downloads = principal in ("server", "teacher", "student_a", "student_b")
    checks = {
        "info": (server.request("GET", f"{doc}/document_info", auth=token), valid),
        "pdf as uploaded": (
            server.request("GET", f"{doc}/pdf?source=true", auth=token),
            downloads,
        ),
        "layers": (server.request("GET", f"{doc}/layers", auth=token), valid),
        "upload": (
            server.request(
                "POST",
                "/api/documents",
                auth=token,
                data=b"%PDF-1.7",
                headers={"Content-Type": "application/pdf"},
            ),
            principal == "server",
        ),
        "delete": (
            server.request("DELETE", "/api/documents/NOPE", auth=token),
            principal == "server",
        ),
    }
    for name, (answer, allowed) in checks.items():
        expected = "ok" if allowed else ("401" if principal == "no_token" else "403")
        assert _outcome(answer.status_code) == expected, (name, answer.status_code, answer.text)


def test_a_layer_token_lists_only_its_own_layers(server: Server, matrix_doc: str) -> None:
    tokens = principals(server, matrix_doc)
    path = f"/api/documents/{matrix_doc}/layers"
    server.request("POST", path, json={"name": LAYER_B})
    assert server.request("GET", path, auth=tokens["student_a"]).json()["data"] == [LAYER_A]
    everything = server.request("GET", path, auth=tokens["teacher"]).json()["data"]
    assert {"", LAYER_A, LAYER_B} <= set(everything)


def test_layer_create_and_delete_rights(server: Server, matrix_doc: str) -> None:
    tokens = principals(server, matrix_doc)
    path = f"/api/documents/{matrix_doc}/layers"
    other = server.request("POST", path, auth=tokens["student_a"], json={"name": "not-mine"})
    assert other.status_code == 403
    fork_b = {"name": LAYER_A, "source_layer_name": LAYER_B}
    assert server.request("POST", path, auth=tokens["student_a"], json=fork_b).status_code == 403
    assert (
        server.request("DELETE", f"{path}/{LAYER_B}", auth=tokens["student_a"]).status_code == 403
    )
    ro = server.request("DELETE", f"{path}/{LAYER_A}", auth=tokens["read_only_a"])
    assert ro.status_code == 403
    made = server.request("POST", path, auth=tokens["teacher"], json={"name": "feedback"})
    assert made.status_code == 200


def test_user_id_comes_from_the_token_not_the_body(server: Server, matrix_doc: str) -> None:
    token = principals(server, matrix_doc)["student_a"]
    path = f"/api/documents/{matrix_doc}/layers/{LAYER_A}/annotations"
    body = {"id": "mine", "user_id": "someone-else", "content": note(0, 4, "m")}
    assert server.request("POST", path, auth=token, json=body).status_code == 200
    record = server.request("GET", f"{path}/mine", auth=token).json()
    assert record["createdBy"] == record["updatedBy"] == "a"


@pytest.mark.parametrize(
    ("header", "status", "reason"),
    [
        ("Token token=wrong-secret", 403, "invalid API token"),
        ('Token token="test-secret-0123456789abcdef"', 200, ""),
        ("Token token=test-secret-0123456789abcdef", 200, ""),
        ("Bearer not.a.jwt", 403, "invalid JWT"),
        ("Basic dXNlcjpwYXNz", 401, "Authorization"),
    ],
)
def test_header_forms(server: Server, doc: str, header: str, status: int, reason: str) -> None:
    answer = server.session.get(
        f"{server.url}/api/documents/{doc}/layers", headers={"Authorization": header}, timeout=10
    )
    assert answer.status_code == status
    assert reason in answer.text


def test_expired_token_says_so_in_plain_text(server: Server, matrix_doc: str) -> None:
    answer = server.request(
        "GET", f"/api/documents/{matrix_doc}/layers", auth=_expired(server, matrix_doc)
    )
    assert answer.status_code == 403 and answer.headers["content-type"].startswith("text/plain")
    assert "exp" in answer.text


def test_missing_required_claims_are_refused(server: Server, matrix_doc: str) -> None:
    for claims in (
        {"permissions": RW, "exp": time.time() + 60},
        {"document_id": matrix_doc, "exp": time.time() + 60},
        {"document_id": matrix_doc, "permissions": RW},
        {"document_id": matrix_doc, "permissions": RW, "exp": time.time() + 60, "layer": "a*"},
    ):
        token = sign(server, claims)
        answer = server.request("GET", f"/api/documents/{matrix_doc}/layers", auth=token)
        assert answer.status_code == 403, claims


def test_a_remembered_token_is_refused_once_it_expires(tmp_path: Path) -> None:
    """A token that passed is remembered (its signature is not checked again); the moment
    its ``exp`` (plus the leeway) passes, it is refused all the same, saying why. Only these
    exact bytes are remembered: the same claims under another signature are checked."""
    private, public = keygen(tmp_path / "keys", "ES256")
    auth = Authenticator(ServerConfig(data_dir=tmp_path, jwt_public_key=public.read_text()))
    expires = int(time.time()) - LEEWAY_SECONDS + 2  # 1..2 s of validity left
    claims = {"document_id": "d1", "permissions": RW, "layer": LAYER_A, "exp": expires}
    key = load_pem_private_key(private.read_bytes(), None)
    token = jwt.encode(claims, key, algorithm="ES256")  # type: ignore[arg-type]
    assert auth.authenticate(f"Bearer {token}").layers == frozenset({LAYER_A})
    assert auth.authenticate(f"Bearer {token}").document_id == "d1"  # remembered
    other = jwt.encode({**claims, "document_id": "d2"}, key, algorithm="ES256")  # type: ignore[arg-type]
    forged = token.rsplit(".", 1)[0] + "." + other.rsplit(".", 1)[1]
    with pytest.raises(AccessDenied) as refused:
        auth.authenticate(f"Bearer {forged}")
    assert refused.value.reason == "invalid JWT signature"
    while time.time() <= expires + LEEWAY_SECONDS:  # a wait for the clock, not for an event
        time.sleep(0.05)
    with pytest.raises(AccessDenied) as refused:
        auth.authenticate(f"Bearer {token}")
    assert refused.value.status == 403 and "`exp`" in refused.value.reason
