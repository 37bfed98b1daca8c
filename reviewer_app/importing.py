"""Import a PDF into the layer engine: one behaviour for the command line, the app, the server
and sync.

- Idempotent: bytes already stored give their document, untouched (``new`` is False).
- Atomic: the base layer is extracted before anything is stored, and the engine stores the
  PDF, the document, its base layer and its default layer in one transaction that a
  concurrent import of the same bytes (another thread, or another process on the same data
  folder) cannot duplicate: the one that comes second gets the first one's document.
- The same errors everywhere: :class:`UnreadableFile` for a file that cannot be read,
  :class:`~reviewer_app.pdf.PdfError` subclasses for a PDF that cannot be
  (:class:`~reviewer_app.pdf.BrokenPdf`, :class:`~reviewer_app.pdf.PasswordRequired`,
  :class:`~reviewer_app.pdf.WrongPassword`), :class:`~reviewer_app.engine.StorageError` when
  the data folder fails. Each message is one line in the user's words.
- Safe: the PDF is read by a worker process of a :class:`~reviewer_app.pdf.sandbox.PdfSandbox`
  (the program's own unless one is given), never in the caller's process: a PDF that crashes
  or overruns it is refused (:class:`~reviewer_app.pdf.PdfRefused`), the caller stays up.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from reviewer_app.engine import BASE, Conflict, Document, EngineError, LayerEngine
from reviewer_app.engine.documents import chosen_id_problem, sha256_of
from reviewer_app.instant.attachments import file_sha256
from reviewer_app.instant.records import Record
from reviewer_app.pdf import Extraction, PdfError, jobs
from reviewer_app.pdf.sandbox import PdfSandbox, Source, shared_sandbox

__all__ = [
    "ClassFile",
    "Imported",
    "UnreadableFile",
    "import_class",
    "import_pdf",
    "import_pdf_bytes",
    "import_pdf_file",
]


class UnreadableFile(Exception):
    """The file to import cannot be read (missing, a folder, not allowed)."""


class Imported(NamedTuple):
    """The imported document, and whether this import stored it (False: it was there).

    Two imports of the same new bytes running at once both extract it and may both say
    ``new``; only one document is stored and both get it."""

    document: Document
    new: bool


def extract_in_sandbox(
    sandbox: PdfSandbox | None, source: Source, password: str | None, name: str, sha256: str
) -> Extraction:
    """The base layer of ``source``, read by one of ``sandbox``'s worker processes (the
    program's own sandbox when None)."""
    return (sandbox or shared_sandbox()).run(jobs.extract, source, password, name, sha256=sha256)


def import_pdf(
    engine: LayerEngine,
    path: Path,
    password: str | None = None,
    sandbox: PdfSandbox | None = None,
) -> Imported:
    """Import the PDF file ``path`` (its name is kept as the document's file name); the file
    is copied, never read whole into memory."""
    path = Path(path)
    try:
        sha256 = file_sha256(path)
    except OSError as exc:
        raise UnreadableFile(f"cannot read {path}: {exc.strerror or exc}") from exc
    return import_pdf_file(
        engine, path, sha256, password=password, file_name=path.name, sandbox=sandbox
    )


def import_pdf_file(
    engine: LayerEngine,
    path: Path,
    sha256: str,
    *,
    password: str | None = None,
    file_name: str | None = None,
    title: str | None = None,
    move: bool = False,
    sandbox: PdfSandbox | None = None,
    document_id: str | None = None,
) -> Imported:
    """Import the PDF file ``path`` whose bytes hash to ``sha256``, never read whole into
    memory; ``move``: the file (in the engine's data folder, e.g. an upload received there)
    is given up: renamed into place, or removed when it is not needed."""
    existing = engine.find_document(sha256)
    if existing is not None:
        if move:
            path.unlink(missing_ok=True)
        return _existing(existing, document_id)
    try:
        extraction = extract_in_sandbox(sandbox, path, password, file_name or "upload.pdf", sha256)
    except BaseException:
        if move:
            path.unlink(missing_ok=True)
        raise
    document = engine.add_document(
        path,
        records=extraction.records,
        page_count=extraction.page_count,
        title=title or extraction.title,
        file_name=file_name,
        skipped=extraction.skipped,
        password_protected=password is not None,
        sha256=sha256,
        move=move,
        document_id=document_id,
    )
    return Imported(document, new=True)


def import_pdf_bytes(
    engine: LayerEngine,
    data: bytes,
    *,
    password: str | None = None,
    file_name: str | None = None,
    title: str | None = None,
    shown_as: str | None = None,
    sandbox: PdfSandbox | None = None,
    document_id: str | None = None,
) -> Imported:
    """Import the PDF ``data``. ``title`` overrides the PDF's own; ``shown_as`` names the PDF
    in error messages (default: ``file_name``, else ``upload.pdf``)."""
    sha256 = sha256_of(data)
    existing = engine.find_document(sha256)
    if existing is not None:
        return _existing(existing, document_id)
    name = shown_as or file_name or "upload.pdf"
    extraction = extract_in_sandbox(sandbox, data, password, name, sha256)
    document = engine.add_document(
        data,
        records=extraction.records,
        page_count=extraction.page_count,
        title=title or extraction.title,
        file_name=file_name,
        skipped=extraction.skipped,
        password_protected=password is not None,
        document_id=document_id,
    )
    return Imported(document, new=True)


def _existing(found: Document, document_id: str | None) -> Imported:
    """The PDF was stored already: as the id asked for (or any, when none was)."""
    problem = chosen_id_problem(found, document_id)
    if problem is not None:
        raise Conflict(problem)
    return Imported(found, new=False)


# -- a class: one student's file per layer -----------------------------------------------------

BBOX_SLACK = 1.0  # points: an annotation this close to a worksheet's own is that one


class ClassFile(NamedTuple):
    """What importing one student's file did: the file, the layer it became (None: not
    imported), how many annotations and form values it brought, and its problems."""

    file: str
    layer: str | None
    annotations: int
    form_values: int
    problems: list[str]


def free_layer_name(engine: LayerEngine, document_id: str, wanted: str) -> str:
    """``wanted`` (a file's stem), or "wanted (2)"… when a layer has that name already."""
    name = wanted.replace("*", "_")[:200] or "student"
    taken = set(engine.layer_names(document_id))
    candidate, number = name, 2
    while candidate in taken:
        candidate, number = f"{name} ({number})", number + 1
    return candidate


def _same_place(a: dict[str, object], b: dict[str, object]) -> bool:
    box_a, box_b = a.get("bbox"), b.get("bbox")
    if not (isinstance(box_a, list) and isinstance(box_b, list) and len(box_a) == len(box_b)):
        return False
    close = all(abs(float(x) - float(y)) <= BBOX_SLACK for x, y in zip(box_a, box_b, strict=True))
    return close and a.get("type") == b.get("type") and a.get("pageIndex") == b.get("pageIndex")


def student_records(
    engine: LayerEngine, document: Document, data: bytes, name: str
) -> list[Record]:
    """The records a student's filled-in copy of the worksheet adds: its annotations but
    those the worksheet has itself, and its form values that differ from the worksheet's.
    UserError-like PdfError for a PDF that cannot be read; ValueError for another PDF."""
    extraction = extract_in_sandbox(None, data, None, name, sha256_of(data))  # not in the UI
    if extraction.page_count != document.page_count:
        raise ValueError(
            f"it has {extraction.page_count} pages, the worksheet {document.page_count}: "
            "not a copy of this worksheet"
        )
    base = engine.records(document.id, BASE)
    base_annotations = [r.content for r in base if r.kind == "annotation"]
    base_values = {r.id: r.content.get("value") for r in base if r.kind == "formFieldValue"}
    out: list[Record] = []
    for record in extraction.records:
        content = {k: v for k, v in record.content.items() if k != "pdfObjectId"}
        if record.kind == "annotation":
            worksheets = any(_same_place(content, b) for b in base_annotations)
        else:
            unchanged: tuple[object, ...] = (base_values.get(record.id), None, "", [])
            worksheets = record.kind == "formFieldValue" and content.get("value") in unchanged
        if not worksheets:
            out.append(Record(record.kind, record.id, content))
    return out


def import_class(engine: LayerEngine, document_id: str, paths: Sequence[Path]) -> list[ClassFile]:
    """One new layer per file, named after it: an Instant JSON file (``.json``) applied to
    the base layer, or a PDF the student filled in another reader (its annotations and form
    values). A file that cannot be imported is reported and creates nothing."""
    document = engine.document(document_id)
    report: list[ClassFile] = []
    for path in paths:
        path = Path(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            report.append(ClassFile(path.name, None, 0, 0, [f"cannot be read: {exc.strerror}"]))
            continue
        layer = free_layer_name(engine, document_id, path.stem)
        try:
            if path.suffix.lower() == ".json":
                created = engine.create_layer(document_id, layer, instant_json=data)
                problems = [e.get("reason", str(e)) for e in created.errors]
                upserted = created.change.upserted if created.change else ()
            else:
                records = student_records(engine, document, data, path.name)
                engine.create_layer(document_id, layer)
                change = engine.put_records(document_id, layer, records, label="Import")
                problems, upserted = [], change.upserted
        except (EngineError, PdfError, ValueError) as exc:
            report.append(ClassFile(path.name, None, 0, 0, [str(exc)]))
            continue
        kinds = [r.kind for r in upserted]
        report.append(ClassFile(path.name, layer, kinds.count("annotation"),
                                kinds.count("formFieldValue"), problems))  # fmt: skip
    return report
