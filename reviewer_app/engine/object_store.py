"""Where the PDFs and pictures live: objects named by a key (``assets/ab/abcd….pdf``,
``attachments/ab/abcd…``), content-addressed, so an object never changes once stored.

:class:`FolderStore` keeps them in a folder (the data folder, or a mounted network share);
the server can use an S3-compatible object store instead (``server/s3_store.py``). Either
way a half-written object is never served: a folder receives a temporary file renamed into
place, an object store makes an object visible only once its upload completed."""

from __future__ import annotations

import errno
import hashlib
import os
from pathlib import Path
from typing import Protocol

from reviewer_app.engine.errors import StorageError
from reviewer_app.engine.partial_files import partial_file


class ObjectStore(Protocol):
    """A place for content-addressed objects. Errors of the place (full, unreachable) are
    :class:`StorageError`, whose message says which place and why."""

    description: str
    """Where the objects are, for messages (a folder, ``s3://bucket/prefix``)."""
    remote: bool
    """Whether storing crosses a network (seconds for a large PDF): the engine then stores a
    PDF before it takes the database's write lock, not while holding it."""

    def put_bytes(self, key: str, data: bytes) -> None:
        """Store ``data`` under ``key`` unless an object of that size is there already."""

    def put_file(self, key: str, source: Path, *, move: bool, sha256: str | None) -> None:
        """Store the bytes of ``source`` (never read whole), checked against ``sha256``;
        ``move``: the caller gives ``source`` up (it is renamed into place or removed)."""

    def get(self, key: str) -> bytes | None:
        """The object's bytes; None when there is no such object."""

    def has(self, key: str) -> bool:
        """Whether the object is stored."""

    def local_path(self, key: str) -> Path:
        """A file holding the object, for readers that open files (PyMuPDF)."""

    def remove(self, key: str) -> None:
        """Remove the object (nothing when there is none)."""

    def check(self) -> None:
        """StorageError unless the store can be read and written now."""


class FolderStore:
    """Objects as files under ``root``: the key is the relative path."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.description = str(self.root)
        self.remote = False

    def path(self, key: str) -> Path:
        return self.root / key

    def put_bytes(self, key: str, data: bytes) -> None:
        store_once(self.path(key), data, f"{key} in {self.root}")

    def put_file(self, key: str, source: Path, *, move: bool, sha256: str | None) -> None:
        store_file_once(self.path(key), source, f"{key} in {self.root}", move=move, sha256=sha256)

    def get(self, key: str) -> bytes | None:
        try:
            return self.path(key).read_bytes()
        except OSError:
            return None

    def has(self, key: str) -> bool:
        return self.path(key).is_file()

    def local_path(self, key: str) -> Path:
        return self.path(key)

    def remove(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)

    def check(self) -> None:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(f"the storage folder {self.root} is unusable: {exc}") from exc
        if not os.access(self.root, os.R_OK | os.W_OK | os.X_OK):
            raise StorageError(f"the storage folder {self.root} cannot be read and written")


def store_once(target: Path, data: bytes, what: str) -> None:
    """Write ``data`` to ``target`` durably (a temporary file, synced, renamed into place),
    unless a file of that content-addressed name and size is there already."""
    if target.exists() and target.stat().st_size == len(data):
        return
    try:
        with partial_file(target.parent) as (out, tmp):
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
            os.replace(tmp, target)
    except OSError as exc:
        raise StorageError(f"cannot store {what}: {exc}") from exc


def store_file_once(
    target: Path, source: Path, what: str, *, move: bool, sha256: str | None = None
) -> None:
    """As :func:`store_once` for the bytes of the file ``source``, never read whole: renamed
    into place when ``move`` (and on the same file system), else copied — and, given the
    ``sha256`` they should have, checked as they are (a file changed meanwhile is refused)."""
    try:
        size = source.stat().st_size
        if target.exists() and target.stat().st_size == size:
            if move:
                source.unlink(missing_ok=True)
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        if move:
            with source.open("rb+") as file:
                os.fsync(file.fileno())
            try:
                os.replace(source, target)
                return
            except OSError as exc:
                if exc.errno != errno.EXDEV:
                    raise
        with partial_file(target.parent) as (out, tmp), source.open("rb") as src:
            digest = hashlib.sha256()
            while chunk := src.read(1 << 20):
                digest.update(chunk)
                out.write(chunk)
            if sha256 is not None and digest.hexdigest() != sha256:
                raise StorageError(f"cannot store {what}: {source} changed while it was read")
            out.flush()
            os.fsync(out.fileno())
            os.replace(tmp, target)
        if move:
            source.unlink(missing_ok=True)
    except OSError as exc:
        raise StorageError(f"cannot store {what}: {exc}") from exc
