"""The engine's foundation: its files (database, PDFs, pictures), caches and documents."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from reviewer_app.engine import attachments, documents, partial_files
from reviewer_app.engine.base_cache import BaseLayers, LayerReads
from reviewer_app.engine.db import Connection, Store, lock, open_store
from reviewer_app.engine.errors import Conflict, EngineError, StorageError
from reviewer_app.engine.model import Document
from reviewer_app.engine.object_store import FolderStore, ObjectStore
from reviewer_app.engine.summaries import SummaryCounts
from reviewer_app.instant.attachments import file_sha256
from reviewer_app.instant.records import Record

DATABASE_NAME = "layers.sqlite3"


class EngineCore:
    """One data folder: the layer database, the PDFs and the pictures, and the caches of
    parsed records. :class:`~reviewer_app.engine.LayerEngine` builds on it; the documents
    live here because everything else needs them."""

    def __init__(
        self,
        data_dir: Path,
        database: str | None = None,
        *,
        storage: ObjectStore | None = None,
        pool_size: int | None = None,
    ) -> None:
        """``data_dir`` holds the SQLite database unless ``database`` names a PostgreSQL one
        (``postgresql://…``, already migrated, over at most ``pool_size`` connections), and
        the PDFs and pictures unless ``storage`` is given (a server's shared folder or object
        store)."""
        self.data_dir = Path(data_dir)
        self.database = database
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.db: Store = open_store(database or self.data_dir / DATABASE_NAME, pool_size)
        self.storage: ObjectStore = storage or FolderStore(self.data_dir)
        self.assets = documents.AssetStore(self.storage)
        self.attachments = attachments.AttachmentStore(self.storage)
        self.base_layers = BaseLayers()
        self.layer_reads = LayerReads()
        self.summary_counts = SummaryCounts()

    def remove_leftovers(self) -> list[Path]:
        """Remove the half-written files (``*.part``) a killed process left in the data
        folder, those no process is writing; returns them."""
        return partial_files.remove_leftovers(self.data_dir)

    def check_database(self) -> None:
        """StorageError unless the database answers now (a server's readiness)."""
        try:
            self._conn.execute("SELECT 1 FROM documents LIMIT 1").fetchall()
        except EngineError:
            raise
        except Exception as exc:  # whatever the database's driver raises
            raise StorageError(f"the database does not answer: {exc}") from exc

    def close(self) -> None:
        """Close the database (every thread's connection)."""
        self.db.close()

    def __enter__(self) -> EngineCore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def _conn(self) -> Connection:
        return self.db.connection()

    # -- documents -------------------------------------------------------------------------

    def find_document(self, sha256: str) -> Document | None:
        """The document whose PDF has this SHA-256, if it was imported already."""
        return documents.find_by_sha256(self._conn, sha256)

    def add_document(
        self,
        data: bytes | Path,
        *,
        records: Sequence[Record],
        page_count: int,
        title: str | None = None,
        file_name: str | None = None,
        skipped: Mapping[str, int] | None = None,
        password_protected: bool = False,
        sha256: str | None = None,
        move: bool = False,
        document_id: str | None = None,
    ) -> Document:
        """Store a PDF and its base layer (extracted by the caller); the same bytes twice give
        the same document, untouched. Returns the document.

        ``data`` is the PDF's bytes or a file, never read whole (``sha256``: its hash if the
        caller has it; ``move``: the file, in this data folder, is renamed into place — or
        removed if the document was there — instead of copied).

        Race-safe: the hash is looked up again under the write lock (``BEGIN IMMEDIATE``, which
        other processes on this folder take too), so a concurrent add of the same bytes that
        lost returns the winner's document. The PDF is stored as the transaction's last step:
        a failure before it stores neither the PDF nor a row, and the document, its base layer
        and its default layer commit together. A remote store (S3) gets the PDF before the
        transaction instead, so that the write lock is not held for an upload: a failure then
        leaves an object no row names (content-addressed, reused by the next add of it).

        ``document_id``: the id a caller chose (checked); Conflict if another PDF has it, or
        if these bytes are already stored under another id."""
        if document_id is not None:
            documents.check_document_id(document_id)
        if isinstance(data, Path):
            sha = sha256 or file_sha256(data)
            size = data.stat().st_size
        else:
            sha, size = sha256 or documents.sha256_of(data), len(data)
        existing = self.find_document(sha)
        if existing is None:
            if self.storage.remote:  # uploaded first: other writers never wait for it
                self.assets.put(data, sha)
            with self.db.atomic() as conn:
                lock(conn, "document", sha)  # another process adding these bytes waits
                existing = documents.find_by_sha256(conn, sha)
                if existing is None:
                    document = documents.insert(
                        conn,
                        sha,
                        size,
                        records=records,
                        page_count=page_count,
                        title=title,
                        file_name=file_name,
                        skipped=skipped or {},
                        password_protected=password_protected,
                        document_id=document_id,
                    )
                    self.assets.put(data, sha, move=move)
                    return document
        if move and isinstance(data, Path):
            data.unlink(missing_ok=True)
        problem = documents.chosen_id_problem(existing, document_id)
        if problem is not None:
            raise Conflict(problem)
        return existing

    def document(self, document_id: str) -> Document:
        """The document; NotFound if there is none with that id."""
        return documents.get(self._conn, document_id)

    def documents(self) -> list[Document]:
        """Every document stored here."""
        return documents.all_documents(self._conn)

    def pdf_path(self, document_id: str) -> Path:
        """Where the document's original PDF is stored (never modified)."""
        return self.assets.path(self.document(document_id).sha256)

    def delete_document(self, document_id: str) -> None:
        """Delete the document, every layer of it (and its deleted layers), and its PDF."""
        doc = self.document(document_id)
        with self.db.atomic() as conn:
            conn.execute("DELETE FROM documents WHERE id = ?", (document_id,))
        self.base_layers.forget(document_id)
        self.layer_reads.forget(document_id)
        self.summary_counts.forget(document_id)
        self.assets.remove(doc.sha256)

    # -- attachments (the pictures of image annotations) -----------------------------------

    def add_attachment(self, data: bytes) -> str:
        """Store a file an annotation refers to (an image); returns its id, the SHA-256."""
        return self.attachments.put(data)

    def attachment(self, attachment_id: str) -> bytes | None:
        """The bytes of an attachment, or None when it is not stored here."""
        return self.attachments.get(attachment_id)

    def has_attachment(self, attachment_id: str) -> bool:
        """Whether the attachment is stored here (without reading it)."""
        return self.attachments.has(attachment_id)
