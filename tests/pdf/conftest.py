"""Fixtures for the PDF bridge tests: the shared corpus of real PDFs."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.pdf.builders import CORPUS


@pytest.fixture
def corpus() -> Path:
    """The shared corpus folder (skips the test when shared/ is not next to the project)."""
    if not CORPUS.is_dir():
        pytest.skip(f"the shared PDF corpus is absent (expected at {CORPUS})")
    return CORPUS
