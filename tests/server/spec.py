"""Document Engine 1.9.0's own OpenAPI document (../shared/spec): our answers are checked
against its schemas."""

from __future__ import annotations

import functools
from typing import Any

import jsonschema_rs
import yaml

from tests.conftest import ROOT, corpus_missing

SPEC = ROOT.parent / "shared" / "spec" / "document-engine-1.9.0-openapi.yml"


@functools.cache
def _components() -> dict[str, Any]:
    if not SPEC.exists():
        corpus_missing(f"Document Engine's OpenAPI document is not at {SPEC}")
    with SPEC.open(encoding="utf-8") as file:
        components: dict[str, Any] = yaml.safe_load(file)["components"]
    return components


def problems(schema: str, instance: Any) -> list[str]:
    """What is wrong with ``instance`` as the spec's ``components/schemas/<schema>``."""
    document = {"$ref": f"#/components/schemas/{schema}", "components": _components()}
    validator = jsonschema_rs.Draft202012Validator(document)
    return [f"{list(e.instance_path)}: {e.message}" for e in validator.iter_errors(instance)]


def assert_valid(schema: str, instance: Any) -> None:
    found = problems(schema, instance)
    assert found == [], f"not a valid {schema}: {found[:5]}"
