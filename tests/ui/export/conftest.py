"""Every export test ends with no export process left running."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from reviewer_app.ui.export.run import ExportRun


@pytest.fixture(autouse=True)
def no_leftover_exports() -> Iterator[None]:
    yield
    leftovers = list(ExportRun.live)
    for run in leftovers:
        run.wait()
    assert not leftovers, "an export process was left running"
