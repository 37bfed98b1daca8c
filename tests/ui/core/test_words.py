"""Counts read as words: one thing, other numbers of things."""

from __future__ import annotations

from reviewer_app.importing import ClassFile
from reviewer_app.ui.core.words import plural
from reviewer_app.ui.session.class_import import report_text


def test_one_is_singular_and_every_other_count_plural() -> None:
    assert [plural(n, "file") for n in (0, 1, 2)] == ["0 files", "1 file", "2 files"]
    assert plural(3, "child", "children") == "3 children"


def test_the_class_report_counts_in_words() -> None:
    one = ClassFile(file="amy.pdf", layer="amy", annotations=1, form_values=2, problems=[])
    summary, lines = report_text([one])
    assert summary == "1 of 1 file imported, one layer each."
    assert lines == "amy.pdf → layer “amy”: 1 annotation, 2 form values"
