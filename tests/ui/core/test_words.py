"""Counts read as words: one thing, other numbers of things."""

from __future__ import annotations

from reviewer_app.ui.core.words import plural


def test_one_is_singular_and_every_other_count_plural() -> None:
    assert [plural(n, "file") for n in (0, 1, 2)] == ["0 files", "1 file", "2 files"]
    assert plural(3, "child", "children") == "3 children"
    assert [plural(n, "point") for n in (1.0, 2.5, 6.0)] == ["1 point", "2.5 points", "6 points"]
