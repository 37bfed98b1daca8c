"""A long answer from a PDF worker (an extraction of many annotations) travels in pieces,
each unpickled on its own, and comes back whole: the same records, in the same order."""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from pathlib import Path

import pymupdf
import pytest

from reviewer_app.pdf import jobs
from reviewer_app.pdf.sandbox import Limits, PdfSandbox
from reviewer_app.pdf.sandbox_worker import PIECE, InPieces


def squares(path: Path, count: int) -> Path:
    doc = pymupdf.open()
    page = doc.new_page()
    for i in range(count):
        x, y = 10 + (i % 50) * 11, 10 + (i // 50) * 11
        page.add_rect_annot(pymupdf.Rect(x, y, x + 8, y + 8)).set_info(content=f"n{i}")
    doc.save(path)
    return path


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[PdfSandbox]:
    pool = PdfSandbox(workers=1, limits=Limits(wall_seconds=60), remembered=tmp_path / "r.txt")
    yield pool
    pool.close()


def test_many_records_travel_in_pieces_and_come_back_whole(
    sandbox: PdfSandbox, tmp_path: Path
) -> None:
    path = squares(tmp_path / "many.pdf", 2 * PIECE + 7)
    here = jobs.extract(path, None, "many.pdf")
    sent = InPieces.of(here)
    assert isinstance(sent, InPieces) and len(sent.pickles) == 3  # 500, 500 and 7
    assert all(len(pickle.loads(piece)) <= PIECE for piece in sent.pickles)
    assert sent.whole() == here
    there = sandbox.run(jobs.extract, path, None, "many.pdf")
    assert there == here and len(there.records) == 2 * PIECE + 7


def test_a_short_answer_travels_as_it_is(tmp_path: Path) -> None:
    few = jobs.extract(squares(tmp_path / "few.pdf", 3), None, "few.pdf")
    assert InPieces.of(few) is few and InPieces.of(7) == 7
