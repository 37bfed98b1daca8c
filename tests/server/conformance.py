"""Document Engine 1.9.0's operations (../shared/spec), matched against ours: which routes we
claim, what a request to one should look like, and whether an answer is what the spec says."""

from __future__ import annotations

import copy
import functools
import json
import re
from dataclasses import dataclass
from typing import Any

import jsonschema_rs
import requests
import yaml

from tests.server.spec import SPEC, _components

METHODS = ("get", "post", "put", "delete")
NOT_FOR_REVIEW_CLIENTS = {
    "Digital Signatures",
    "Redaction",
    "Fonts",
    "Document Editing",
    "Maintenance",
    "Secrets",
    "PDF/A Validation",
}
"""Tags of operations a review client does not call (signing, redacting, fonts, building
documents, server maintenance); the layer-scoped ``apply_instructions`` counts as layered."""

Route = tuple[str, str]
"""An operation: upper-case method and the path with every parameter written ``{}``."""


def shape(path: str) -> str:
    """The path with every ``{parameter}`` written ``{}`` (the spec and we name them apart)."""
    return re.sub(r"\{[^}]+\}", "{}", path)


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    spec: dict[str, Any]

    @property
    def route(self) -> Route:
        return (self.method, shape(self.path))

    @property
    def layered(self) -> bool:
        return "/layers" in self.path

    @property
    def for_review_clients(self) -> bool:
        tags = set(self.spec.get("tags", []))
        return self.path.startswith("/api/documents") and not tags & NOT_FOR_REVIEW_CLIENTS


@functools.cache
def operations() -> dict[Route, Operation]:
    _components()  # says where the document should be when it is missing
    with SPEC.open(encoding="utf-8") as file:
        paths = yaml.safe_load(file)["paths"]
    found = {}
    for path, entry in paths.items():
        for method, spec in entry.items():
            if method in METHODS:
                operation = Operation(method.upper(), path, spec)
                found[operation.route] = operation
    return found


def claimed(openapi: dict[str, Any]) -> set[Route]:
    """The spec's operations among the routes our own ``/openapi.json`` lists."""
    ours = {(m.upper(), shape(p)) for p, entry in openapi["paths"].items() for m in entry}
    return ours & set(operations())


AMBIGUOUS_ONE_OF: dict[str, tuple[str, ...]] = {
    "Annotation": (),
    "DocumentPart": ("properties", "document", "properties", "id"),
}
"""``oneOf``s the spec cannot keep, read as ``anyOf`` (schema name, then the path inside it):
no annotation variant pins its ``type``, so every note is also a ``CommentMarkerAnnotation``;
and DE's own ``{"document": {"id": "#self"}}`` is both a document id (any string) and the
``#self`` anchor."""


@functools.cache
def _checked_components() -> dict[str, Any]:
    components = copy.deepcopy(_components())
    for name, path in AMBIGUOUS_ONE_OF.items():
        schema = components["schemas"][name]
        for key in path:
            schema = schema[key]
        schema["anyOf"] = schema.pop("oneOf")
    return components


def _problems(schema: dict[str, Any], instance: Any) -> list[str]:
    document = {**schema, "components": _checked_components()}
    validator = jsonschema_rs.Draft202012Validator(document)
    return [f"{list(e.instance_path)}: {e.message}" for e in validator.iter_errors(instance)]


def request_problems(route: Route, sent: dict[str, Any]) -> list[str]:
    """What is wrong with a request body (``json=`` or ``files=`` of requests) as the spec's
    request schema for ``route`` has it; a body the spec does not describe is a problem."""
    content = operations()[route].spec.get("requestBody", {}).get("content", {})
    if "json" in sent:
        if "application/json" not in content:
            return ["the spec takes no JSON body here"]
        return _problems(content["application/json"]["schema"], sent["json"])
    if "files" in sent:
        schema = content.get("multipart/form-data", {}).get("schema")
        if schema is None:
            return ["the spec takes no multipart body here"]
        found = []
        for name, part in sent["files"].items():
            data = part[1] if isinstance(part, tuple) else part
            wanted = schema.get("properties", {}).get(name)
            if wanted is not None and isinstance(data, str | bytes):
                found += [f"{name}: {p}" for p in _problems(wanted, json.loads(data))]
        return found
    return []


MAGIC = {
    "application/pdf": b"%PDF-",
    "image/png": b"\x89PNG",
    "image/jpg": b"\xff\xd8",
    "image/jpeg": b"\xff\xd8",
    "image/webp": b"RIFF",
    "application/vnd.adobe.xfdf": b"<?xml",
}


def answer_problems(route: Route, answer: requests.Response) -> list[str]:
    """What is wrong with an answer as the spec's response for ``route`` has it: a status it
    declares, its media type, a body its schema takes (JSON) or of the right kind (files)."""
    responses = operations()[route].spec.get("responses", {})
    status = str(answer.status_code)
    if not status.startswith("2"):
        return [f"{status}: {answer.text[:200]}"]
    if status not in responses:
        return [f"{status} is not a status the spec declares ({sorted(responses)})"]
    content = responses[status].get("content") or {}
    if not content:
        return []
    kind = answer.headers.get("content-type", "").split(";")[0].strip()
    if kind not in content:
        return [f"answered {kind!r}, the spec says {sorted(content)}"]
    if kind == "application/json":
        return _problems(content[kind].get("schema", {}), answer.json())
    magic = MAGIC.get(kind)
    if magic is not None and not answer.content.startswith(magic):
        return [f"the body is not {kind}: {answer.content[:20]!r}"]
    return []
