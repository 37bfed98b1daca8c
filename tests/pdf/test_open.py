"""Opening PDFs: broken and encrypted files give named errors with useful messages."""

from __future__ import annotations

import contextlib
import random
from pathlib import Path

import pytest

from reviewer_app.pdf import (
    BrokenPdf,
    PasswordRequired,
    PdfError,
    WrongPassword,
    extract_base_layer,
    open_pdf,
)
from tests.pdf.builders import PdfWriter, corpus_bytes

ENCRYPTED = [("crazyones-encrypted-256.pdf", "password"), ("encrypted-file.pdf", "test")]


def test_named_errors_share_one_base() -> None:
    for error in (BrokenPdf, PasswordRequired, WrongPassword):
        assert issubclass(error, PdfError)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("truncated.pdf", "damaged PDF: truncated.pdf"),
        ("random-bytes.pdf", "not a PDF file: random-bytes.pdf"),
    ],
)
def test_broken_corpus_files_raise_broken_pdf(
    corpus: Path, name: str, message: str, capfd: pytest.CaptureFixture[str]
) -> None:
    data = corpus_bytes(name)
    with pytest.raises(BrokenPdf, match=message):
        open_pdf(data, name=name)
    with pytest.raises(BrokenPdf, match=message):
        extract_base_layer(data, name=name)
    assert capfd.readouterr().err == "", "MuPDF must not print to stderr"


@pytest.mark.parametrize(
    "data",
    [b"", b"hello", b"%PDF-1.7\n", b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"],
    ids=["empty", "text", "header-only", "no-pages"],
)
def test_other_bad_input_raises_broken_pdf(data: bytes) -> None:
    with pytest.raises(BrokenPdf, match=r"(not a PDF file|damaged PDF): input\.pdf"):
        extract_base_layer(data, name="input.pdf")


def test_truncated_message_says_what_is_wrong(corpus: Path) -> None:
    with pytest.raises(BrokenPdf) as caught:
        open_pdf(corpus_bytes("truncated.pdf"), name="truncated.pdf")
    assert "startxref" in str(caught.value)


@pytest.mark.parametrize(("name", "password"), ENCRYPTED)
def test_encrypted_without_password(corpus: Path, name: str, password: str) -> None:
    with pytest.raises(PasswordRequired, match=f"password required: {name} is encrypted"):
        extract_base_layer(corpus_bytes(name), name=name)


@pytest.mark.parametrize(("name", "password"), ENCRYPTED)
def test_encrypted_with_wrong_password(corpus: Path, name: str, password: str) -> None:
    with pytest.raises(WrongPassword, match=f"wrong password for {name}"):
        extract_base_layer(corpus_bytes(name), password=password + "x", name=name)


@pytest.mark.parametrize(("name", "password"), ENCRYPTED)
def test_encrypted_with_password_opens(corpus: Path, name: str, password: str) -> None:
    doc = open_pdf(corpus_bytes(name), password=password, name=name)
    try:
        assert doc.page_count == 1
    finally:
        doc.close()
    assert extract_base_layer(corpus_bytes(name), password=password).page_count == 1


def test_password_is_ignored_for_plain_pdfs() -> None:
    writer = PdfWriter()
    writer.page()
    assert extract_base_layer(writer.tobytes(), password="unused").page_count == 1


def test_damaged_corpus_bytes_never_crash(corpus: Path) -> None:
    """Corrupted, cut and shortened copies of real PDFs either extract or raise a PdfError."""
    rng = random.Random(20240101)
    sources = [corpus_bytes(name) for name in ("commented.pdf", "FormTestFromOo.pdf")]
    for _ in range(150):
        data = bytearray(rng.choice(sources))
        start = rng.randrange(len(data))
        if rng.random() < 0.5:
            data[start : start + rng.randrange(1, 200)] = b""
        else:
            for _ in range(rng.randrange(1, 20)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        with contextlib.suppress(PdfError):
            extract_base_layer(bytes(data))
