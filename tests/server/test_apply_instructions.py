"""apply_instructions with applyXfdf actions: XFDF files applied to the default layer or any
layer over HTTP; instructions that would edit pages are refused with the reason."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.server.conftest import Server
from tests.xfdf.test_xfdf import BOMB, SPEC_EXAMPLE

SECOND = """<?xml version="1.0" encoding="UTF-8"?>
<xfdf xmlns="http://ns.adobe.com/xfdf/"><annots>
<square page="1" rect="10,10,60,60" color="#0000FF" name="second-square"/>
</annots></xfdf>"""


def instructions(*files: str, **more: Any) -> dict[str, Any]:
    return {
        "parts": [{"document": {"id": "#self"}}],
        "actions": [{"type": "applyXfdf", "file": name} for name in files],
        **more,
    }


def send(server: Server, base: str, sent: dict[str, Any], **files: str) -> Any:
    parts: dict[str, Any] = {"instructions": (None, json.dumps(sent), "application/json")}
    for name, text in files.items():
        parts[name] = (f"{name}.xfdf", text.encode(), "application/vnd.adobe.xfdf")
    return server.request("POST", f"{base}/apply_instructions", files=parts)


@pytest.mark.parametrize("layer", ["", "/layers/marked"])
def test_xfdf_files_are_applied_to_the_layer(server: Server, doc: str, layer: str) -> None:
    base = f"/api/documents/{doc}{layer}"
    answer = send(server, base, instructions("spec", "more"), spec=SPEC_EXAMPLE, more=SECOND)
    assert answer.status_code == 200, answer.text
    data = answer.json()["data"]
    assert data["sourcePdfSha256"] and data["passwordProtected"] is False
    assert answer.headers["X-Reviewer-Not-Applied"] == "2"  # the sound and the page-99 square
    ids = {
        a["id"] for a in server.request("GET", f"{base}/annotations").json()["data"]["annotations"]
    }
    assert {"spec-highlight", "spec-ink", "spec-free", "spec-stamp", "second-square"} <= ids
    values = server.request("GET", f"{base}/form-field-values").json()["data"]["formFieldValues"]
    assert {(v["name"], v["value"]) for v in values} == {
        ("name", "Jo Bloggs"),
        ("answer", "evaporation"),
    }
    other = "/layers/clean" if layer == "" else ""
    untouched = server.request("GET", f"/api/documents/{doc}{other}/annotations/spec-ink")
    assert untouched.status_code == 404


@pytest.mark.parametrize(
    ("sent", "files", "reason"),
    [
        ({"parts": [{"file": "upload"}], "actions": []}, {}, "#self"),
        (instructions(), {}, "at least one applyXfdf"),
        ({**instructions("x"), "actions": [{"type": "flatten"}]}, {"x": SECOND}, "only applyXfdf"),
        (instructions("missing"), {}, "must name a multipart part"),
        (instructions("x", output={"type": "image"}), {"x": SECOND}, "no 'output'"),
        (instructions("good", "bomb"), {"good": SECOND, "bomb": BOMB}, "declares entities"),
    ],
)
def test_what_cannot_be_done_is_refused_and_nothing_applied(
    server: Server, doc: str, sent: dict[str, Any], files: dict[str, str], reason: str
) -> None:
    base = f"/api/documents/{doc}/layers/refused"
    answer = send(server, base, sent, **files)
    assert answer.status_code == 400 and reason in answer.json()["details"], answer.text
    assert server.request("GET", f"{base}/annotations/second-square").status_code == 404


def test_it_needs_write(server: Server, doc: str) -> None:
    token = server.token(doc, ["read-document"], layer="mine")
    answer = server.request(
        "POST",
        f"/api/documents/{doc}/layers/mine/apply_instructions",
        auth=token,
        json=instructions("x"),
    )
    assert answer.status_code == 403
