"""Helpers for the PDF bridge tests: a writer of small PDFs with exact objects, and checks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reviewer_app.instant.records import Record
from reviewer_app.pdf import Extraction
from tests.conftest import corpus_file


def corpus_bytes(name: str) -> bytes:
    """The bytes of one corpus file (see tests.conftest.corpus_file when it is missing)."""
    return corpus_file(name).read_bytes()


class PdfWriter:
    """Writes a PDF from raw object bodies, so tests control every key (/Rect, /MediaBox, ...).

    Object 1 is the catalog and object 2 the page tree; ``add`` returns new object numbers.
    """

    def __init__(self) -> None:
        self.bodies: dict[int, str] = {}
        self.page_numbers: list[int] = []
        self.pages_extra = ""
        self.catalog_extra = ""
        self.info_number: int | None = None

    def add(self, body: str) -> int:
        """Add an object; returns its number."""
        number = len(self.bodies) + 3
        self.bodies[number] = body
        return number

    def reserve(self) -> int:
        """Reserve an object number for ``put`` (for objects that refer to each other)."""
        return self.add("null")

    def put(self, number: int, body: str) -> None:
        """Set the body of a reserved object."""
        self.bodies[number] = body

    def page(
        self,
        annots: Sequence[str] = (),
        mediabox: str | None = "[0 0 612 792]",
        extra: str = "",
        refs: Sequence[int] = (),
    ) -> int:
        """Add a page holding the annotation dictionaries ``annots`` and the objects ``refs``."""
        numbers = [*refs, *(self.add(body) for body in annots)]
        annot_refs = " ".join(f"{number} 0 R" for number in numbers)
        box = f"/MediaBox {mediabox}" if mediabox else ""
        number = self.add(f"<< /Type /Page /Parent 2 0 R {box} /Annots [{annot_refs}] {extra} >>")
        self.page_numbers.append(number)
        return number

    def set_info(self, body: str) -> None:
        """Give the document an /Info dictionary (title, author, ...)."""
        self.info_number = self.add(body)

    def tobytes(self) -> bytes:
        """The PDF file: header, objects, cross-reference table and trailer."""
        kids = " ".join(f"{n} 0 R" for n in self.page_numbers)
        objects = {
            1: f"<< /Type /Catalog /Pages 2 0 R {self.catalog_extra} >>",
            2: f"<< /Type /Pages /Kids [{kids}] /Count {len(kids.split()) // 3} "
            f"{self.pages_extra} >>",
            **self.bodies,
        }
        info = self.info_number
        out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        offsets = {}
        for number in sorted(objects):
            offsets[number] = len(out)
            out += f"{number} 0 obj\n{objects[number]}\nendobj\n".encode("latin-1")
        xref = len(out)
        size = max(objects) + 1
        out += f"xref\n0 {size}\n0000000000 65535 f \n".encode()
        for number in range(1, size):
            out += f"{offsets.get(number, 0):010d} 00000 n \n".encode()
        info_key = f"/Info {info} 0 R" if info else ""
        out += f"trailer\n<< /Size {size} /Root 1 0 R {info_key} >>\n".encode()
        out += f"startxref\n{xref}\n%%EOF\n".encode()
        return bytes(out)


def annot(subtype: str, rect: str = "[100 600 200 700]", extra: str = "") -> str:
    """An annotation dictionary with the given /Subtype, /Rect and extra raw keys."""
    return f"<< /Type /Annot /Subtype /{subtype} /Rect {rect} {extra} >>"


def annotations(extraction: Extraction) -> list[Record]:
    """The annotation records of an extraction."""
    return [r for r in extraction.records if r.kind == "annotation"]


def only_annotation(extraction: Extraction) -> dict[str, Any]:
    """The content of the single annotation record of an extraction."""
    records = annotations(extraction)
    assert len(records) == 1, records
    return records[0].content


def close_to(actual: Sequence[float], expected: Sequence[float], tolerance: float = 0.5) -> bool:
    """Whether two lists of numbers are equal within ``tolerance`` points."""
    return len(actual) == len(expected) and all(
        abs(a - e) <= tolerance for a, e in zip(actual, expected, strict=True)
    )


def deep_page_tree_pdf(levels: int) -> bytes:
    """A one-page PDF whose page tree nests ``levels`` /Pages nodes, one in the other, written
    in raw PDF syntax (70,000 levels: 6 MB that overflowed MuPDF's stack when saved)."""
    bodies = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    for level in range(levels):
        parent = b" /Parent %d 0 R" % (level + 1) if level else b""
        bodies.append(b"<< /Type /Pages /Kids [%d 0 R] /Count 1%s >>" % (level + 3, parent))
    bodies.append(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 200 200] >>" % (levels + 1))
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(bodies, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(bodies) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % start
    return bytes(out)
