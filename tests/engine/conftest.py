"""Engine fixtures: a real database in a temporary folder and a document with a base layer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reviewer_app.engine import Document, LayerEngine
from reviewer_app.instant import Record, derived_id

PDF_BYTES = b"%PDF-1.7\n% not parsed by the engine: extraction is the pdf package's job\n"


def note(page: int, x: float, text: str, **extra: Any) -> dict[str, Any]:
    """A valid v2 note annotation."""
    return {
        "v": 2,
        "type": "pspdfkit/note",
        "pageIndex": page,
        "bbox": [x, 10, 24, 24],
        "text": {"format": "plain", "value": text},
        "icon": "comment",
        "opacity": 1,
        **extra,
    }


def base_records(count: int, sha: str = "s") -> list[Record]:
    """``count`` base annotations spread over 3 pages, as extraction would produce them."""
    return [
        Record(
            "annotation",
            derived_id(sha, "annotation", 10 + i),
            note(i % 3, float(i), f"base {i}", pdfObjectId=10 + i),
        )
        for i in range(count)
    ]


@pytest.fixture
def engine(tmp_path: Path, store: str, request: pytest.FixtureRequest) -> Iterator[LayerEngine]:
    """An engine over a SQLite file in the test's folder, or a fresh PostgreSQL database
    (``store``: see tests/conftest.py)."""
    database = None
    if store == "postgresql":
        database = request.getfixturevalue("pg_cluster").database()
    with LayerEngine(tmp_path / "data", database) as eng:
        yield eng


@pytest.fixture
def doc(engine: LayerEngine) -> Document:
    """A 3-page document with 5 base annotations and one base form value."""
    records = [
        *base_records(5),
        Record(
            "formFieldValue",
            "Name",
            {"v": 1, "type": "pspdfkit/form-field-value", "name": "Name", "value": "base value"},
        ),
    ]
    return engine.add_document(
        PDF_BYTES, records=records, page_count=3, title="Worksheet", file_name="worksheet.pdf"
    )
