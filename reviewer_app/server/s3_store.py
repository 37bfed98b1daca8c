"""PDFs and pictures in an S3-compatible object store (``--storage s3://bucket/prefix``), for
several servers that share no folder. The endpoint and credentials come from the usual
environment variables, read by boto3 itself: ``AWS_ENDPOINT_URL`` (for a store that is not
Amazon's: MinIO, Ceph, Garage...), ``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``,
``AWS_DEFAULT_REGION``.

An S3 object is visible only once its upload completed, so a half-written PDF is never served;
the engine stores the PDF before it commits the document that names it. Readers that open
files (PyMuPDF) get a local copy, kept in the data folder: the objects are content-addressed,
so a copy never goes stale; the copies are kept under a size, least recently used out first
(see local_copies.py). Any failure of the store is a StorageError (503, with the reason)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from reviewer_app.engine import StorageError
from reviewer_app.engine.partial_files import partial_file
from reviewer_app.server.config import DEFAULT_CACHE_SIZE
from reviewer_app.server.local_copies import LocalCopies

CACHE_FOLDER = "storage-cache"
"""Local copies of the PDFs readers open as files, in the data folder."""
MISSING = ("404", "NoSuchKey", "NotFound")


class S3Store:
    """Objects under ``prefix/`` in ``bucket``; local copies under ``cache``, at most
    ``cache_limit`` bytes of them not in use."""

    def __init__(self, url: str, cache: Path, cache_limit: int = DEFAULT_CACHE_SIZE) -> None:
        parts = urlsplit(url)
        if parts.scheme != "s3" or not parts.netloc:
            raise ValueError(f"not an S3 address: {url!r} (write s3://bucket/prefix)")
        self.bucket = parts.netloc
        self.prefix = parts.path.strip("/")
        self.description = url
        self.remote = True
        self.cache = cache
        self.copies = LocalCopies(cache, cache_limit)
        self._client = _client()

    def name(self, key: str) -> str:
        return f"{self.prefix}/{key}" if self.prefix else key

    def _fail(self, doing: str, exc: Exception) -> StorageError:
        reason = _reason(exc)
        return StorageError(
            f"the object store {self.description} is unavailable ({doing}): {reason}"
        )

    def _size(self, key: str) -> int | None:
        """The stored object's size; None when there is none."""
        try:
            head = self._client.head_object(Bucket=self.bucket, Key=self.name(key))
        except Exception as exc:
            if _code(exc) in MISSING:
                return None
            raise self._fail(f"looking for {key}", exc) from exc
        return int(head["ContentLength"])

    def put_bytes(self, key: str, data: bytes) -> None:
        if self._size(key) == len(data):
            return
        try:
            self._client.put_object(Bucket=self.bucket, Key=self.name(key), Body=data)
        except Exception as exc:
            raise self._fail(f"storing {key}", exc) from exc

    def put_file(self, key: str, source: Path, *, move: bool, sha256: str | None) -> None:
        # the callers hashed ``source`` as they wrote it (an upload) or give bytes they own
        del sha256
        try:
            size = source.stat().st_size
        except OSError as exc:
            raise StorageError(f"cannot read {source}: {exc.strerror or exc}") from exc
        if self._size(key) != size:
            try:  # multipart for a big file: the object appears when every part is there
                self._client.upload_file(str(source), self.bucket, self.name(key))
            except Exception as exc:
                raise self._fail(f"storing {key}", exc) from exc
        if move:
            source.unlink(missing_ok=True)

    def get(self, key: str) -> bytes | None:
        try:
            answer = self._client.get_object(Bucket=self.bucket, Key=self.name(key))
            data: bytes = answer["Body"].read()
        except Exception as exc:
            if _code(exc) in MISSING:
                return None
            raise self._fail(f"reading {key}", exc) from exc
        return data

    def has(self, key: str) -> bool:
        return self._size(key) is not None

    def local_path(self, key: str) -> Path:
        target = self.cache / key
        if target.is_file():
            self.copies.used(target)
            return target
        try:
            with partial_file(target.parent) as (out, tmp):
                self._client.download_fileobj(self.bucket, self.name(key), out)
                out.flush()
                os.replace(tmp, target)
        except OSError as exc:
            raise StorageError(f"cannot keep a copy of {key} in {self.cache}: {exc}") from exc
        except Exception as exc:
            raise self._fail(f"reading {key}", exc) from exc
        self.copies.make_room()  # the new copy was just used: it stays
        return target

    def remove(self, key: str) -> None:
        try:
            self._client.delete_object(Bucket=self.bucket, Key=self.name(key))
        except Exception as exc:
            raise self._fail(f"removing {key}", exc) from exc
        (self.cache / key).unlink(missing_ok=True)

    def check(self) -> None:
        try:
            self._client.head_bucket(Bucket=self.bucket)
        except Exception as exc:
            raise self._fail("checking the bucket", exc) from exc


def _client() -> Any:
    try:
        import boto3
        from botocore.config import Config
    except ImportError as exc:
        raise StorageError(
            "--storage s3://... needs boto3: pip install 'reviewer-app[server,s3]'"
        ) from exc
    config = Config(
        connect_timeout=5, read_timeout=60, retries={"max_attempts": 3, "mode": "standard"}
    )
    endpoint = os.environ.get("AWS_ENDPOINT_URL") or None
    return boto3.client("s3", endpoint_url=endpoint, config=config)


def _code(exc: Exception) -> str:
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        return str(response.get("Error", {}).get("Code", ""))
    return ""


def _reason(exc: Exception) -> str:
    code = _code(exc)
    text = str(exc).strip() or type(exc).__name__
    return f"{code}: {text}" if code and code not in text else text
