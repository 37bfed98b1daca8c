"""Instant JSON: records, ids, validation, documents and import planning (pure Python, no I/O)."""

from .document import (
    FORMAT,
    InstantDocument,
    build_document,
    dumps_document,
    parse_document,
    serialise_document,
)
from .errors import InstantError
from .frozen import FrozenDict, FrozenList, thawed
from .ids import derived_id, is_ulid, new_ulid
from .import_plan import ImportResult, plan_import
from .records import KINDS, Kind, Record, canonical_json
from .validate import validate_annotation, validate_bookmark, validate_form_field_value

__all__ = [
    "FORMAT",
    "KINDS",
    "FrozenDict",
    "FrozenList",
    "ImportResult",
    "InstantDocument",
    "InstantError",
    "Kind",
    "Record",
    "build_document",
    "canonical_json",
    "derived_id",
    "dumps_document",
    "is_ulid",
    "new_ulid",
    "parse_document",
    "plan_import",
    "serialise_document",
    "thawed",
    "validate_annotation",
    "validate_bookmark",
    "validate_form_field_value",
]
