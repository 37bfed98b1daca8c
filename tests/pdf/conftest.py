"""Fixtures for the PDF bridge tests: the shared corpus of real PDFs."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import CORPUS, corpus_missing


@pytest.fixture
def corpus() -> Path:
    """The shared corpus folder (see tests.conftest.corpus_missing when it is absent)."""
    if not CORPUS.is_dir():
        corpus_missing(f"the shared PDF corpus is not at {CORPUS}")
    return CORPUS
