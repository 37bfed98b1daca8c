"""Property-based fuzz of every route of a real server process: any body (JSON of any shape,
lone surrogates, nesting 200,000 deep, bytes that are not UTF-8, multipart of any parts) in
any content type, any query, any path values, under any credentials, answers below 500 —
and a refusal comes in Document Engine's error shape (for refused comments, the 422 shapes
its OpenAPI document gives those routes).

The routes come from the server's own ``/openapi.json``, so a new route is fuzzed without
being listed here. Schemathesis (test_schemathesis.py) sends what the schema describes; this
sends what it does not, to the bodies and queries the schema leaves open as well.
Derandomized: the same examples every run.
"""

from __future__ import annotations

import json
import uuid
from typing import Any
from urllib.parse import quote

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.server import spec
from tests.server.conftest import Server, note

EXAMPLES = 800
LAYER = "fuzzed"
KEYS = (
    *("name", "source_layer_name", "annotations", "annotation", "content", "id", "type", "v"),
    *("pageIndex", "bbox", "text", "changes", "idempotency_key", "kind", "base_revision"),
    *("attachmentIds", "ids", "customData", "user_id", "group", "format", "formFieldValues"),
    *("value", "bookmarks", "action", "source", "flatten", "comments_summary", "since"),
)
QUERY_NAMES = ("since", "source", "flatten", "type", "comments_summary")
ODD_NUMBERS = ("²", "①", "-1", "9223372036854775808", "1e3", " 1", "0x10", "", "٣", "1" * 40)
BOUNDARY = "fuzz-boundary"


def leaves() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.floats(allow_nan=False),
        st.text(max_size=20),
        st.sampled_from(ODD_NUMBERS),
    )


JSON_VALUES = st.recursive(
    leaves(),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), inner, max_size=5),
    ),
    max_leaves=24,
)


@st.composite
def near_valid(draw: st.DrawFn) -> Any:
    """A valid note, push or batch, half the time with one field replaced by anything (or
    ``customData`` of any shape): deep into the routes."""
    content = note(0, draw(st.integers(0, 500)), "fuzz")
    if draw(st.booleans()):
        content[draw(st.sampled_from([*content, "customData", "id"]))] = draw(JSON_VALUES)
    shapes = [
        {"content": content},
        {"annotations": [{"content": content}]},
        {
            "idempotency_key": draw(st.text(max_size=8)),
            "changes": [{"kind": "annotation", "id": "c", "base_revision": 0, "content": content}],
        },
        {"name": draw(st.text(max_size=12)), "source_layer_name": draw(JSON_VALUES)},
        {"format": "https://pspdfkit.com/instant-json/v1", "annotations": [content]},
        content,
        {"attachmentIds": draw(st.lists(st.text(max_size=64), max_size=3))},
    ]
    return draw(st.sampled_from(shapes))


def with_surrogate(text: str) -> str:
    """The first JSON string of ``text`` opened by a lone surrogate (``"\\ud800…"``)."""
    return text.replace('"', '"\\ud800', 1)


def nested(depth: int, opener: str) -> bytes:
    closer = {"[": "]", '{"a":': "}"}[opener]
    tail = "1" if opener != "[" else ""
    return (opener * depth + tail + closer * depth).encode()


def multipart(parts: list[tuple[str, bytes]]) -> bytes:
    out = b""
    for name, value in parts:
        out += f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"'.encode()
        out += b'; filename="f"\r\n\r\n' if len(value) % 2 else b"\r\n\r\n"
        out += value + b"\r\n"
    return out + f"--{BOUNDARY}--\r\n".encode()


JSON_TYPE = "application/json"
FORM_TYPE = f"multipart/form-data; boundary={BOUNDARY}"
PART_NAMES = st.sampled_from(["annotation", "annotations", "instant.json", "file", "name", "x"])
NEAR_VALID_JSON = st.tuples(st.just(JSON_TYPE), near_valid().map(json.dumps))
BODIES = st.one_of(
    NEAR_VALID_JSON,  # thrice: a third of the bodies get past the first checks
    NEAR_VALID_JSON,
    NEAR_VALID_JSON,
    st.tuples(st.just(JSON_TYPE), JSON_VALUES.map(json.dumps)),
    st.tuples(st.just(JSON_TYPE), near_valid().map(lambda v: with_surrogate(json.dumps(v)))),
    st.tuples(
        st.just(JSON_TYPE),
        st.builds(nested, st.integers(1, 200_000), st.sampled_from(["[", '{"a":'])),
    ),
    st.tuples(st.sampled_from([JSON_TYPE, "application/pdf", "", "text/plain"]), st.binary()),
    st.tuples(
        st.just(FORM_TYPE),
        st.lists(
            st.tuples(
                PART_NAMES | st.text("0123456789abcdef", min_size=64, max_size=64),
                st.binary(max_size=64) | near_valid().map(lambda v: json.dumps(v).encode()),
            ),
            max_size=4,
        ).map(multipart),
    ),
    st.just(("", b"")),
)
QUERIES = st.dictionaries(
    st.sampled_from(QUERY_NAMES) | st.text(max_size=6),
    st.sampled_from(ODD_NUMBERS) | st.text(max_size=12),
    max_size=3,
)


@pytest.fixture(scope="module")
def operations(server: Server) -> list[tuple[str, str]]:
    spec = server.request("GET", "/openapi.json", auth=None).json()
    found = [(m.upper(), path) for path, ops in spec["paths"].items() for m in ops]
    assert len(found) > 40
    return found


@pytest.fixture(scope="module")
def fuzz_doc(server: Server) -> str:
    document = server.upload()
    made = server.request("POST", f"/api/documents/{document}/layers", json={"name": LAYER})
    assert made.status_code == 200, made.text
    return document


def mostly(*usual: str) -> st.SearchStrategy[str]:
    """One of ``usual`` four times in five, else any text."""
    return st.integers(0, 4).flatmap(
        lambda n: st.text(min_size=1, max_size=12) if n == 0 else st.sampled_from(usual)
    )


def fill_path(path: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        path = path.replace("{" + name + "}", quote(value, safe=""))
    return path


@st.composite
def requests_to(draw: st.DrawFn, operations: list[tuple[str, str]], doc: str) -> dict[str, Any]:
    method, template = draw(st.sampled_from(operations))
    values = {
        "document_id": draw(mostly(doc)),
        "layer": draw(mostly(LAYER, "other")),
        "annotation_id": draw(st.sampled_from(["c", "x"]) | st.text(min_size=1, max_size=300)),
        "bookmark_id": draw(st.text(min_size=1, max_size=12)),
        "attachment_id": draw(st.text("0123456789abcdef", min_size=1, max_size=64)),
        "page_index": draw(st.sampled_from(["0", "1", "-1", "²"]) | st.text(min_size=1)),
    }
    if (method, template) == ("DELETE", "/api/documents/{document_id}"):
        values["document_id"] = uuid.uuid4().hex  # keep the document the others work on
    content_type, body = draw(BODIES)
    headers = {"Content-Type": content_type} if content_type else {}
    return {
        "method": method,
        "path": fill_path(template, values),
        "params": draw(QUERIES),
        "data": body.encode() if isinstance(body, str) else body,
        "headers": headers,
        "auth": draw(st.sampled_from(["server"] * 8 + ["client", "garbage"])),
    }


@pytest.mark.slow
def test_no_route_answers_5xx_to_anything(
    server: Server, operations: list[tuple[str, str]], fuzz_doc: str
) -> None:
    client = server.token(fuzz_doc, ["read-document", "write", "download"], layer=LAYER)

    @given(call=requests_to(operations, fuzz_doc))
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(call: dict[str, Any]) -> None:
        auth = {"server": "server", "client": client, "garbage": "not.a.token"}[call["auth"]]
        try:
            answer = server.request(
                call["method"],
                call["path"],
                auth=auth,
                params=call["params"],
                data=call["data"],
                headers=call["headers"],
            )
        except requests.ConnectionError as exc:  # the server went away: the worst answer
            raise AssertionError(f"{call['method']} {call['path']}: no answer ({exc})") from exc
        where = f"{call['method']} {call['path']} {call['params']} {call['data'][:200]!r}"
        assert answer.status_code < 500, f"{where}: {answer.status_code} {answer.text[:300]}"
        if answer.status_code >= 400 and answer.headers.get("content-type") == JSON_TYPE:
            body = answer.json()
            if answer.status_code == 422 and call["path"].endswith("/comments"):
                # Document Engine's own shape for refused comments: one object per comment
                # (and the root's problems when it is created with them)
                rooted = "/annotations/" not in call["path"]
                schema = "CommentsCreateErrorsWithRoot" if rooted else "CommentsCreateErrors"
                assert body and spec.problems(schema, body) == [], f"{where}: {body}"
                return
            assert set(body) == {"details", "status"}, f"{where}: {body}"
            assert body["status"] == answer.status_code and body["details"], f"{where}: {body}"

    check()
    assert server.request("GET", "/healthz", auth=None).status_code == 200
