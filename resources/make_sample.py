"""Writes resources/sample-worksheet.pdf: the worksheet `make run` opens (text, a form, notes)."""

from __future__ import annotations

import sys
from pathlib import Path

import pymupdf

OUT = Path(__file__).with_name("sample-worksheet.pdf")

PARAGRAPHS = [
    "Layers let every reader mark up the same PDF without seeing anyone else's notes. "
    "The document is stored once; each layer keeps only what its owner changed.",
    "Read the passage below, answer the questions in the form, and highlight the sentence "
    "that best supports your answer. Your teacher will leave feedback in your layer.",
    "The water cycle describes how water evaporates from the surface of the earth, rises into "
    "the atmosphere, cools and condenses into clouds, and falls again to the surface as "
    "precipitation. Water falling on land collects in rivers and lakes, soil, and porous "
    "layers of rock, and much of it flows back into the oceans, where it will once more "
    "evaporate.",
]


def text_page(doc: pymupdf.Document, title: str, paragraphs: list[str]) -> pymupdf.Page:
    page = doc.new_page(width=595, height=842)
    page.insert_text((56, 80), title, fontsize=22, fontname="helv")
    y = 110.0
    for paragraph in paragraphs:
        box = pymupdf.Rect(56, y, 539, y + 140)
        page.insert_textbox(box, paragraph, fontsize=12, fontname="helv", lineheight=1.4)
        y += 100
    return page


def add_form(page: pymupdf.Page) -> None:
    page.insert_text((56, 470), "Your name:", fontsize=12)
    page.insert_text((56, 510), "What makes water rise into the atmosphere?", fontsize=12)
    page.insert_text((56, 580), "I read the whole passage", fontsize=12)
    page.insert_text((56, 610), "Difficulty:", fontsize=12)
    fields = [
        ("name", pymupdf.PDF_WIDGET_TYPE_TEXT, (140, 456, 400, 476), None),
        ("answer", pymupdf.PDF_WIDGET_TYPE_TEXT, (56, 518, 539, 560), None),
        ("read_all", pymupdf.PDF_WIDGET_TYPE_CHECKBOX, (230, 568, 244, 582), None),
        (
            "difficulty",
            pymupdf.PDF_WIDGET_TYPE_COMBOBOX,
            (130, 598, 260, 616),
            ["easy", "just right", "hard"],
        ),
    ]
    for name, kind, rect, choices in fields:
        widget = pymupdf.Widget()
        widget.field_name = name
        widget.field_type = kind
        widget.rect = pymupdf.Rect(rect)
        widget.border_color = (0.4, 0.4, 0.4)
        widget.border_width = 1
        widget.text_fontsize = 11
        if choices:
            widget.choice_values = choices
            widget.field_value = choices[1]
        page.add_widget(widget)


def main() -> int:
    doc = pymupdf.open()
    doc.set_metadata({"title": "The water cycle: a worksheet", "author": "Reviewer"})
    first = text_page(doc, "The water cycle", PARAGRAPHS)
    add_form(first)
    second = text_page(
        doc,
        "Questions for discussion",
        [
            "1. Where does most evaporation happen, and why?",
            "2. Draw the cycle as a diagram and label each step.",
            "3. What changes when the climate warms? Give two examples from the passage.",
        ],
    )
    hits = second.search_for("most evaporation")
    highlight = second.add_highlight_annot(hits)
    highlight.set_info(title="Ms. Rivera", content="Start here.")
    highlight.update()
    note = second.add_text_annot((520, 100), "Remember to cite the passage.", icon="Comment")
    note.set_info(title="Ms. Rivera")
    note.update()
    third = text_page(doc, "Notes", ["Use this page for your own notes and sketches."])
    box = third.add_rect_annot(pymupdf.Rect(56, 200, 539, 700))
    box.set_colors(stroke=(0.2, 0.4, 0.8))
    box.set_border(width=1.5)
    box.set_info(title="Reviewer", content="Sketch area")
    box.update()
    doc.save(OUT, garbage=3, deflate=True)
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes, {doc.page_count} pages)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
