"""The comments summary: pages after the document that a student reads, in every reader.

Each test reads the exported PDF twice, with PyMuPDF and with poppler's ``pdftotext``."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pymupdf
import pytest

from reviewer_app.instant.records import LayerExport, Record
from reviewer_app.pdf import extract_base_layer
from reviewer_app.pdf.comments import layer_comments
from reviewer_app.pdf.export import export_layer_pdf
from tests.conftest import corpus_file
from tests.pdf.layer_records import EMPTY, own_layer

LONG = " ".join(f"word{n:04d}" for n in range(1500))  # about four summary pages
NOTE, FREE_TEXT = "pspdfkit/note", "pspdfkit/text"
URL = "https://example.org/?key=" + "0123456789abcdef" * 20  # 350 characters, no space


@pytest.fixture(autouse=True)
def utc() -> Iterator[None]:
    """Dates are shown in the computer's time zone: UTC here, so they can be checked."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TZ", "UTC")
        time.tzset()
        yield
    time.tzset()


def worksheet(pages: int = 3) -> bytes:
    """A real PDF made with PyMuPDF: ``pages`` Letter pages of text, titled "Worksheet 4"."""
    doc = pymupdf.open()
    for n in range(pages):
        page = doc.new_page(width=612, height=792)
        page.insert_text((72, 100), f"Question {n + 1}: explain your answer.", fontsize=14)
    doc.set_metadata({"title": "Worksheet 4"})
    data: bytes = doc.tobytes()
    return data


def annotation(rid: str, type_: str, page: int, top: float, **fields: Any) -> Record:
    content = {
        "v": 2,
        "type": type_,
        "pageIndex": page,
        "bbox": [72, top, 120, 30],
        "opacity": 1,
        "createdAt": "2024-05-03T14:02:00Z",
        **fields,
    }
    return Record("annotation", rid, content)


def text(value: str) -> dict[str, str]:
    return {"format": "plain", "value": value}


def teacher_layer() -> LayerExport:
    """A teacher's marks on a student's worksheet, written out of page order."""
    return own_layer(
        [
            annotation("n3", NOTE, 2, 300, creatorName="Ms Okafor", text=text(LONG)),
            annotation("n1", NOTE, 0, 400, creatorName="Ms Okafor", text=text("Units?")),
            annotation("f1", FREE_TEXT, 0, 150, creatorName="Mr Lee", text=text("Good start")),
            annotation(
                "h1",
                "pspdfkit/markup/highlight",
                1,
                200,
                creatorName="Ms Okafor",
                rects=[[72, 200, 120, 30]],
                color="#ffff00",
                note="Check this step",
            ),
            annotation(
                "h2", "pspdfkit/markup/highlight", 1, 300, rects=[[72, 300, 50, 20]], note=""
            ),
            annotation("s1", "pspdfkit/stamp", 1, 500, creatorName="Mr Lee", stampType="Rejected"),
            annotation(
                "s2",
                "pspdfkit/stamp",
                2,
                100,
                creatorName="Mr Lee",
                stampType="Custom",
                title="See me",
                note="after class",
            ),
            annotation("u1", NOTE, 2, 200, creatorName="Дана", text=text("Привет, 你好")),
            annotation("l1", NOTE, 2, 250, creatorName="Ms Okafor", text=text(URL)),
        ]
    )


def pdftotext(data: bytes, tmp_path: Path, first: int = 1) -> str:
    """The text poppler reads from page ``first`` on; fails (never skips) without poppler."""
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.fail("pdftotext not found: install poppler-utils (`make test` does so as root)")
    pdf = tmp_path / "summary.pdf"
    pdf.write_bytes(data)
    done = subprocess.run(
        [tool, "-f", str(first), "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True
    )
    return done.stdout.decode("utf-8")


def mupdf_text(data: bytes, first: int) -> str:
    with pymupdf.open(stream=data) as doc:
        return "".join(doc[i].get_text() for i in range(first, doc.page_count))


@pytest.mark.parametrize("flatten", [True, False])
def test_every_comment_reaches_paper(flatten: bool, tmp_path: Path) -> None:
    source = worksheet()
    data = export_layer_pdf(
        source, teacher_layer(), flatten=flatten, summary=True, layer_name="dana"
    )
    with pymupdf.open(stream=data) as doc:
        assert doc.page_count > 3 + 3  # the long note flows over several pages
        for index in range(3):  # the document's own pages come first, untouched in order
            assert f"Question {index + 1}" in doc[index].get_text()
            assert "Comments summary" not in doc[index].get_text()
        assert doc[3].get_text().startswith("Comments summary")
        assert not flatten or not any(list(page.annots()) for page in doc)
    for read in (mupdf_text(data, 3), pdftotext(data, tmp_path, first=4)):
        assert "Worksheet 4" in read and "Layer: dana · 8 comments" in read
        for words in ("Units?", "Good start", "Check this step", "Rejected", "See me"):
            assert words in read, words
        assert "after class" in read and "Привет, 你好" in read and "Дана" in read
        for author in ("Ms Okafor", "Mr Lee"):
            assert author in read
        assert "2024-05-03 14:02" in read
        assert "Free text · Mr Lee" in read and "Highlight · Ms Okafor" in read
        assert "Stamp · Mr Lee" in read and "Note · Ms Okafor" in read
        order = [read.index(f"Page {n}") for n in (1, 2, 3)]
        assert order == sorted(order)
        assert read.index("Good start") < read.index("Units?") < read.index("Page 2")
        assert read.index("Page 3") < read.index("See me") < read.index("Привет")
        words = read.split()
        assert all(f"word{n:04d}" in words for n in range(1500)), "a long note was cut"
        assert URL in "".join(read.split()).replace("\u200b", "")


def test_no_line_runs_off_a_summary_page() -> None:
    data = export_layer_pdf(worksheet(), teacher_layer(), summary=True)
    with pymupdf.open(stream=data) as doc:
        for page in list(doc)[3:]:
            everything = pymupdf.TEXTFLAGS_DICT & ~pymupdf.TEXT_MEDIABOX_CLIP
            for block in page.get_text("dict", flags=everything)["blocks"]:
                x0, y0, x1, y1 = block["bbox"]
                assert x0 >= 0 and x1 <= page.rect.width - 36, block["bbox"]
                assert y0 >= 0 and y1 <= page.rect.height - 36, block["bbox"]


def test_a_layer_without_comments_adds_no_page() -> None:
    source = worksheet()
    quiet = own_layer(
        [annotation("h", "pspdfkit/markup/highlight", 0, 100, rects=[[72, 100, 120, 30]])]
    )
    for layer in (EMPTY, quiet):
        for flatten in (False, True):
            data = export_layer_pdf(source, layer, flatten=flatten, summary=True)
            with pymupdf.open(stream=data) as doc:
                assert doc.page_count == 3
                assert "Comments summary" not in "".join(p.get_text() for p in doc)


def test_without_the_option_there_is_no_summary() -> None:
    data = export_layer_pdf(worksheet(), teacher_layer(), flatten=True)
    with pymupdf.open(stream=data) as doc:
        assert doc.page_count == 3


def test_the_pdfs_own_notes_are_summarised_too(tmp_path: Path) -> None:
    """A layer that did not touch the base layer: another tool's notes are listed."""
    source = corpus_file("commented.pdf").read_bytes()
    base = extract_base_layer(source).records
    untouched = LayerExport(write=(), remove_object_ids=frozenset(), shown=tuple(base))
    data = export_layer_pdf(source, untouched, summary=True)
    read = pdftotext(data, tmp_path, first=2)
    assert "Layer: Default layer · 2 comments" in read
    assert "Note in second paragraph" in read and "Umlaut: äöüß" in read and "moose" in read


def test_an_encrypted_export_keeps_its_summary_readable() -> None:
    source = corpus_file("encrypted-file.pdf").read_bytes()
    layer = own_layer([annotation("n", "pspdfkit/note", 0, 100, text=text("Secret remark"))])
    data = export_layer_pdf(source, layer, summary=True, password="test", title="Locked")
    with pymupdf.open(stream=data) as doc:
        assert doc.needs_pass and doc.authenticate("test")
        last = doc[doc.page_count - 1].get_text()
        assert "Secret remark" in last and "Locked" in last


def test_comments_are_ordered_by_page_then_down_the_page() -> None:
    comments = layer_comments(teacher_layer().shown, page_count=3)
    assert [(c.page, c.kind) for c in comments][:4] == [
        (0, "Free text"),
        (0, "Note"),
        (1, "Highlight"),
        (1, "Stamp"),
    ]
    assert [c.text for c in comments if c.kind == "Stamp"] == ["Rejected", "See me\nafter class"]
    assert layer_comments(teacher_layer().shown, page_count=1)[-1].text == "Units?"
