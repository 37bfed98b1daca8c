"""The import pipeline (reviewer_app.importing) end to end without Qt: every corpus file's base
layer survives Instant JSON export and validation; the same bytes give the same document; two
imports at once, in two threads or two processes, store one; a PDF that cannot be read, or an
import that dies half-way, stores nothing."""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pymupdf
import pytest

from reviewer_app import importing
from reviewer_app.engine import BASE, Document, LayerEngine
from reviewer_app.importing import UnreadableFile, import_pdf, import_pdf_bytes
from reviewer_app.instant import parse_document, plan_import
from reviewer_app.pdf import BrokenPdf, PasswordRequired, WrongPassword
from reviewer_app.resources import sample_document
from tests.conftest import corpus_file

FILES = [
    ("commented.pdf", None),
    ("attachment.pdf", None),
    ("FormTestFromOo.pdf", None),
    ("form_acrobatReader.pdf", None),
    ("form_evince.pdf", None),
    ("outline-without-title.pdf", None),
    ("GeoBase_NHNC1_Data_Model_UML_EN.pdf", None),
    ("crazyones-encrypted-256.pdf", "password"),
    ("encrypted-file.pdf", "test"),
]
SPAWN = multiprocessing.get_context("spawn")


def make_pdf(path: Path, notes: int = 2, password: str | None = None) -> Path:
    """A 2-page PDF with ``notes`` text annotations on page 1, encrypted when ``password``."""
    doc = pymupdf.open()
    for index in range(2):
        doc.new_page().insert_text((72, 72), f"{path.name} page {index}")
    for index in range(notes):
        doc[0].add_text_annot((100, 100 + 30 * index), f"note {index}")
    if password is None:
        doc.save(path)
    else:
        doc.save(path, encryption=pymupdf.PDF_ENCRYPT_AES_256, owner_pw=password, user_pw=password)
    doc.close()
    return path


def stored_files(data_dir: Path) -> list[str]:
    """Every file under the asset folder (PDFs, and any temporary file left behind)."""
    return sorted(p.name for p in (data_dir / "assets").rglob("*") if p.is_file())


@pytest.mark.parametrize(("name", "password"), FILES)
def test_base_layer_survives_export_and_validation(
    tmp_path: Path, name: str, password: str | None
) -> None:
    with LayerEngine(tmp_path / "data") as engine:
        doc, _ = import_pdf(engine, corpus_file(name), password)
        exported = engine.export_instant(doc.id, BASE)
        plan = plan_import(parse_document(exported), page_count=doc.page_count)
        assert plan.errors == []
        assert len(plan.upserts) == len(engine.records(doc.id, BASE))
        created = engine.create_layer(doc.id, "copy", instant_json=exported)
        assert created.errors == []
        assert engine.diff(doc.id, "copy", BASE).empty


def test_sample_worksheet_has_text_form_and_annotations(tmp_path: Path) -> None:
    with LayerEngine(tmp_path / "data") as engine:
        doc, new = import_pdf(engine, sample_document())
        assert new and doc.page_count == 3
        types = sorted(r.content["type"] for r in engine.annotations(doc.id, BASE))
        assert types == ["pspdfkit/markup/highlight", "pspdfkit/note", "pspdfkit/shape/rectangle"]
        values = {r.id: r.content["value"] for r in engine.records(doc.id, BASE, "formFieldValue")}
        assert values == {"name": "", "answer": "", "read_all": "Off", "difficulty": "just right"}


def test_the_same_bytes_twice_give_the_same_document_untouched(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "worksheet.pdf")
    with LayerEngine(tmp_path / "data") as engine:
        first = import_pdf(engine, pdf)
        engine.create_records(first.document.id, "alice", "annotation", [])
        again = import_pdf_bytes(engine, pdf.read_bytes(), file_name="other.pdf", title="Other")
        assert first.new and not again.new
        assert again.document == first.document  # file name and title are the first import's
        assert again.document.file_name == "worksheet.pdf"
        assert engine.documents() == [first.document]
        assert len(engine.annotations(first.document.id, BASE)) == 2
        assert engine.layer_names(first.document.id) == ["", "alice"]
    assert stored_files(tmp_path / "data") == [f"{first.document.sha256}.pdf"]


def _extract_then_wait(barrier: Any) -> Callable[..., Any]:
    """``extract_in_sandbox`` that waits at ``barrier`` once it has extracted, so that two
    imports have both found nothing stored and extracted before either stores."""
    extract = importing.extract_in_sandbox

    def extract_then_wait(*args: Any, **kwargs: Any) -> Any:
        extraction = extract(*args, **kwargs)
        barrier.wait()
        return extraction

    return extract_then_wait


def test_two_threads_importing_the_same_new_pdf_store_one_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pdf = make_pdf(tmp_path / "worksheet.pdf", notes=3)
    both_extracted = threading.Barrier(2, timeout=60)
    monkeypatch.setattr(importing, "extract_in_sandbox", _extract_then_wait(both_extracted))
    with LayerEngine(tmp_path / "data") as engine:
        got: list[Document] = []
        errors: list[BaseException] = []

        def run() -> None:
            try:
                got.append(import_pdf(engine, pdf).document)
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert len(got) == 2 and got[0] == got[1]
        assert engine.documents() == [got[0]]
        assert len(engine.annotations(got[0].id, BASE)) == 3
    assert stored_files(tmp_path / "data") == [f"{got[0].sha256}.pdf"]


def _import_in_child(data_dir: str, pdf: str, barrier: Any, results: Any) -> None:
    importing.extract_in_sandbox = _extract_then_wait(barrier)  # type: ignore[assignment]
    with LayerEngine(Path(data_dir)) as engine:
        results.put(import_pdf(engine, Path(pdf)).document.id)


def test_two_processes_importing_the_same_new_pdf_store_one_document(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "worksheet.pdf", notes=3)
    data = tmp_path / "data"
    LayerEngine(data).close()  # the database exists before both open it
    both_extracted, results = SPAWN.Barrier(2, timeout=60), SPAWN.Queue()
    children = [
        SPAWN.Process(target=_import_in_child, args=(str(data), str(pdf), both_extracted, results))
        for _ in range(2)
    ]
    for child in children:
        child.start()
    for child in children:
        child.join(timeout=120)
    assert [child.exitcode for child in children] == [0, 0]
    ids = [results.get(timeout=10) for _ in children]
    with LayerEngine(data) as engine:
        assert [d.id for d in engine.documents()] == ids[:1] and ids[0] == ids[1]
        assert len(engine.annotations(ids[0], BASE)) == 3
        assert engine.layer_names(ids[0]) == [""]
        sha = engine.document(ids[0]).sha256
    assert stored_files(data) == [f"{sha}.pdf"]


@pytest.mark.parametrize("name", ["truncated.pdf", "random-bytes.pdf"])
def test_a_broken_pdf_is_a_broken_pdf_error_and_nothing_is_stored(
    tmp_path: Path, name: str
) -> None:
    with LayerEngine(tmp_path / "data") as engine:
        with pytest.raises(BrokenPdf, match=name):
            import_pdf(engine, corpus_file(name))
        assert engine.documents() == []
    assert stored_files(tmp_path / "data") == []


def test_a_generated_pdf_cut_short_stores_nothing(tmp_path: Path) -> None:
    whole = make_pdf(tmp_path / "whole.pdf").read_bytes()
    with LayerEngine(tmp_path / "data") as engine:
        with pytest.raises(BrokenPdf):
            import_pdf_bytes(engine, whole[: len(whole) // 3], file_name="cut.pdf")
        assert engine.documents() == []
    assert stored_files(tmp_path / "data") == []


def test_encrypted_pdfs_need_the_right_password(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "locked.pdf", password="s3cret")
    with LayerEngine(tmp_path / "data") as engine:
        with pytest.raises(PasswordRequired):
            import_pdf(engine, pdf)
        with pytest.raises(WrongPassword):
            import_pdf(engine, pdf, password="wrong")
        assert engine.documents() == []
        assert stored_files(tmp_path / "data") == []
        doc, new = import_pdf(engine, pdf, password="s3cret")
        assert new and doc.password_protected and len(engine.annotations(doc.id, BASE)) == 2


def test_a_file_that_cannot_be_read_is_an_unreadable_file_error(tmp_path: Path) -> None:
    with LayerEngine(tmp_path / "data") as engine:
        with pytest.raises(UnreadableFile, match=r"cannot read .*missing\.pdf"):
            import_pdf(engine, tmp_path / "missing.pdf")
        with pytest.raises(UnreadableFile, match="cannot read"):
            import_pdf(engine, tmp_path)  # a folder
        assert engine.documents() == []


def _import_and_die_before_commit(data_dir: str, pdf: str) -> None:
    from reviewer_app.engine import documents

    insert = documents.insert

    def insert_then_die(*args: Any, **kwargs: Any) -> Any:
        insert(*args, **kwargs)  # the document, its base layer and default layer: uncommitted
        os._exit(17)

    documents.insert = insert_then_die  # type: ignore[assignment]
    with LayerEngine(Path(data_dir)) as engine:
        import_pdf(engine, Path(pdf))


def test_an_import_killed_before_it_commits_leaves_nothing(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "worksheet.pdf")
    data = tmp_path / "data"
    child = SPAWN.Process(target=_import_and_die_before_commit, args=(str(data), str(pdf)))
    child.start()
    child.join(timeout=120)
    assert child.exitcode == 17
    with LayerEngine(data) as engine:
        assert engine.documents() == []
        assert stored_files(data) == []
        doc, new = import_pdf(engine, pdf)  # and the next import stores it whole
        assert new and len(engine.annotations(doc.id, BASE)) == 2
