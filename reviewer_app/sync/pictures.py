"""Pictures in sync: send the attachments pushed image annotations refer to, once, and fetch
the ones pulled records need, so every replica can draw and export them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from reviewer_app.engine import EngineError, LayerEngine
from reviewer_app.instant.attachments import image_type, is_sha256, referenced_ids, sha256_hex
from reviewer_app.sync.client import SyncClient
from reviewer_app.sync.errors import SyncError
from reviewer_app.sync.status import SyncReport

UPLOAD_BATCH_BYTES = 8 * 1000 * 1000
"""Bytes of pictures per upload request (the server's default body limit is 20 MB)."""

ASK_BATCH = 1000
"""Attachment ids per ``attachments/missing`` question (the server's limit)."""

Contents = Iterable[Mapping[str, Any] | None]


def picture_ids(contents: Contents) -> list[str]:
    """The SHA-256 names of the pictures the image annotations in ``contents`` show."""
    return [i for i in referenced_ids(c for c in contents if c is not None) if is_sha256(i)]


class Pictures:
    """Moves the pictures of one layer between ``engine`` and the server at ``path``."""

    def __init__(
        self, engine: LayerEngine, client: SyncClient, path: str, report: SyncReport
    ) -> None:
        self.engine, self.client, self.path, self.report = engine, client, path, report
        self.tried: set[str] = set()

    def send(self, contents: Contents) -> None:
        """Upload the pictures ``contents`` refer to that the server's layer lacks (ask first,
        so a picture is sent once); call before pushing the records that show them."""
        have = [i for i in picture_ids(contents) if self.engine.has_attachment(i)]
        missing: list[str] = []
        try:
            for first in range(0, len(have), ASK_BATCH):
                missing += self._ask(have[first : first + ASK_BATCH])
        except SyncError as exc:
            if exc.status not in (404, 405):
                raise
            self.report.notices.append("this server takes no pictures: they stay here")
            return
        batch: dict[str, bytes] = {}
        for sha256 in missing:
            data = self.engine.attachment(sha256)
            if data is None:
                continue
            if batch and sum(map(len, batch.values())) + len(data) > UPLOAD_BATCH_BYTES:
                self._upload(batch)
                batch = {}
            batch[sha256] = data
        if batch:
            self._upload(batch)

    def _ask(self, ids: list[str]) -> list[str]:
        answer = self.client.send_json(
            "POST", f"{self.path}/attachments/missing", {"attachmentIds": ids}
        )
        data = answer.get("data") if isinstance(answer, dict) else None
        missing = data.get("missing") if isinstance(data, dict) else None
        if not isinstance(missing, list):
            raise SyncError("the answer about missing attachments has no 'missing' list")
        wanted = set(ids)
        return [str(i) for i in missing if i in wanted]

    def _upload(self, batch: dict[str, bytes]) -> None:
        files = {
            sha256: (sha256, data, image_type(data) or "application/octet-stream")
            for sha256, data in batch.items()
        }
        try:
            self.client.request("POST", f"{self.path}/attachments", files=files)
        except SyncError as exc:
            if exc.status != 413 or len(batch) == 1:
                if exc.status in (400, 413):
                    self.report.notices.append(f"a picture could not be sent: {exc}")
                    return
                raise
            for sha256, data in batch.items():  # too large together: one at a time
                self._upload({sha256: data})
            return
        self.report.pictures_sent += len(batch)

    def fetch(self, contents: Contents) -> None:
        """Download the pictures ``contents`` refer to that are not stored here; a picture the
        server does not have (yet) is a notice, and is asked for again at the next sync."""
        for sha256 in picture_ids(contents):
            if sha256 in self.tried or self.engine.has_attachment(sha256):
                continue
            self.tried.add(sha256)
            try:
                data = self.client.download(f"{self.path}/attachments/{sha256}")
            except SyncError as exc:
                if exc.status != 404:
                    raise
                self.report.notices.append(f"picture {sha256[:12]}… is not on the server yet")
                continue
            if sha256_hex(data) != sha256:
                self.report.notices.append(f"picture {sha256[:12]}… came back damaged: skipped")
                continue
            try:
                self.engine.add_attachment(data)
            except EngineError as exc:
                self.report.notices.append(f"picture {sha256[:12]}… cannot be kept: {exc}")
                continue
            self.report.pictures_received += 1

    def fetch_missing(self, document_id: str, layer: str) -> None:
        """Fetch every picture the layer shows that is still missing here (a repair for
        pictures that were not on the server when their records arrived)."""
        if not self.engine.has_layer(document_id, layer):
            return
        ids = self.engine.layer_attachment_ids(document_id, layer)
        lacking = [i for i in sorted(ids) if is_sha256(i) and not self.engine.has_attachment(i)]
        if lacking:
            self.fetch({"type": "pspdfkit/image", "imageAttachmentId": i} for i in lacking)
