"""Which storage the server keeps PDFs and pictures in: ``--storage`` (or ``REVIEWER_STORAGE``)
names a folder (a mounted network share for several servers) or ``s3://bucket/prefix``;
without it, the data folder, as a desktop does."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from reviewer_app.engine.object_store import FolderStore, ObjectStore
from reviewer_app.server.config import ConfigError, ServerConfig


def storage_problem(spec: str) -> str | None:
    """Why ``spec`` names no storage we can use (None: it does)."""
    scheme = urlsplit(spec).scheme
    if scheme == "s3":
        if not urlsplit(spec).netloc:
            return f"--storage {spec!r} names no bucket: write s3://bucket/prefix"
        return None
    if scheme == "file" or (scheme == "" and spec.strip()):
        return None
    return f"--storage {spec!r}: give a folder, file:///folder or s3://bucket/prefix"


def open_storage(config: ServerConfig) -> ObjectStore:
    """The storage ``config`` names (ConfigError for one it cannot name)."""
    spec = config.storage
    if not spec:
        return FolderStore(config.data_dir)
    problem = storage_problem(spec)
    if problem is not None:
        raise ConfigError(problem)
    parts = urlsplit(spec)
    if parts.scheme == "s3":
        from reviewer_app.server.s3_store import CACHE_FOLDER, S3Store

        return S3Store(spec, config.data_dir / CACHE_FOLDER, config.storage_cache_size)
    return FolderStore(Path(parts.path if parts.scheme == "file" else spec))
