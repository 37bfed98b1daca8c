"""The Import a Class report: the files counted in words, what each brought, and a box that
holds a class of any size (those not imported first, every file in its details)."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from reviewer_app.importing import ClassFile
from reviewer_app.ui.session.class_import import SHOWN_LINES, report_box, report_text


def test_the_class_report_counts_in_words() -> None:
    one = ClassFile(file="amy.pdf", layer="amy", annotations=1, form_values=2, problems=[])
    summary, lines = report_text([one])
    assert summary == "1 of 1 file imported, one layer each."
    assert lines == "amy.pdf → layer “amy”: 1 annotation, 2 form values"


def test_a_big_class_report_fits_its_box_and_lists_every_file_in_its_details(
    qtbot: QtBot,
) -> None:
    files = [ClassFile(f"s{i:02}.pdf", f"s{i:02}", 1, 0, []) for i in range(30)]
    files[17] = ClassFile("odd.pdf", None, 0, 0, ["another page count"])
    summary, details = report_text(files)
    box = report_box(summary, details)
    qtbot.addWidget(box)
    shown = box.informativeText().splitlines()
    assert len(shown) == SHOWN_LINES + 1 and shown[-1] == "… and 20 more (Show Details… lists all)"
    assert shown[0] == "odd.pdf: not imported — another page count"  # what needs a look, first
    assert box.detailedText() == details and len(details.splitlines()) == 30
    few = report_box(*report_text(files[:3]))
    qtbot.addWidget(few)
    assert few.informativeText() == report_text(files[:3])[1] and few.detailedText() == ""
