"""Syncing a layer with a plain Document Engine (no changes feed): full listings, a local diff."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from reviewer_app.engine import OutgoingChange, RecordKey, ServerVersion
from reviewer_app.instant.attachments import decode_attachments
from reviewer_app.instant.comments import MARKER_TYPE, can_root
from reviewer_app.instant.records import Record, canonical_json
from reviewer_app.sync.errors import SyncError
from reviewer_app.sync.layer_sync import LayerSync
from reviewer_app.sync.pictures import picture_ids
from reviewer_app.sync.status import SyncReport

_META = ("createdBy", "updatedBy", "group")
_NOT_SENT = ("id", "type", "v", "rootId", "pageIndex", "pdfObjectId")
"""What a comment's content has that Document Engine's comment route fills in itself."""


def _holds_thread(record: Record) -> bool:
    content = record.content
    marked = content.get("isCommentThreadRoot") is True or content.get("type") == MARKER_TYPE
    return marked and can_root(content)


def _annotation(data: dict[str, Any], kind: str = "annotation") -> Record:
    return Record(
        kind,  # type: ignore[arg-type]
        str(data["id"]),
        dict(data.get("content") or {}),
        data.get("createdBy"),
        data.get("updatedBy"),
        data.get("group"),
    )


def _form_value(data: dict[str, Any]) -> Record:
    content = {k: v for k, v in data.items() if k not in _META}
    return Record(
        "formFieldValue",
        str(data["name"]),
        content,
        data.get("createdBy"),
        data.get("updatedBy"),
        data.get("group"),
    )


def _same(a: Record | None, b: Record | None) -> bool:
    if a is None or b is None:
        return a is b
    strip = {"id", "name"}
    ca = canonical_json({k: v for k, v in a.content.items() if k not in strip})
    cb = canonical_json({k: v for k, v in b.content.items() if k not in strip})
    return ca == cb and (a.created_by, a.updated_by, a.group) == (
        b.created_by,
        b.updated_by,
        b.group,
    )


class PlainLayerSync(LayerSync):
    """The same job as :class:`LayerSync` over Document Engine's own endpoints: the server's
    records are listed in full and compared with the last listing kept here (each round counts
    as a revision); local changes go out as plain create, update and delete calls. A plain
    server has no base revisions, so a change made there between our listing and our write
    is overwritten: the window is one sync."""

    def listing(self) -> dict[RecordKey, Record]:
        found = [_annotation(a) for a in self.client.ndjson(f"{self.path}/annotations")]
        found += self._comments([r for r in found if _holds_thread(r)])
        bookmarks = self.client.get_json(f"{self.path}/bookmarks")["data"]["bookmarks"]
        found += [_annotation(b, "bookmark") for b in bookmarks]
        values = self.client.get_json(f"{self.path}/form-field-values")["data"]
        found += [_form_value(v) for v in values["formFieldValues"]]
        return {r.key: r for r in found}

    def _comments(self, roots: list[Record]) -> list[Record]:
        """The comments on each thread root (a plain server lists them root by root)."""
        found: list[Record] = []
        for root in roots:
            path = f"{self.path}/annotations/{quote(root.id, safe='')}/comments"
            try:
                listed = self.client.get_json(path)["data"]["comments"]
            except SyncError as exc:
                if exc.status in (400, 404):  # not a root after all, or gone meanwhile
                    continue
                raise
            found += [_annotation(c, "comment") for c in listed]
        return found

    def run(self) -> SyncReport:
        state = self.state()
        if state.deleted_on_server:
            return self.report
        self.pull()
        if self.push():
            self.pull()
        return self.report

    def pull(self) -> bool:
        state = self.state()
        current = self.listing()
        seen = self.engine.last_server_versions(self.document_id, self.name)
        revision = state.pulled_revision + 1
        versions = [
            ServerVersion(key, current.get(key), revision)
            for key in sorted(current.keys() | seen.keys())
            if not _same(current.get(key), seen.get(key))
        ]
        self.progress(0, len(versions), f"receiving {len(versions)} changes of {self.name!r}")
        merged = self.engine.merge_from_server(
            self.document_id, self.name, versions, pulled_revision=revision
        )
        self._current = current
        self._fetch_pictures(current.values())
        self.report.pulled += len(versions)
        self.report.conflicts += merged.conflicts
        self.report.notices += merged.notices
        return True

    def push(self) -> bool:
        if not self.writable:
            return False
        batch = self.engine.sync_outbox(self.document_id, self.name)
        state = self.state()
        for done, change in enumerate(batch, 1):
            try:
                self._write(change)
            except SyncError as exc:
                if exc.status is None or exc.status >= 500 or exc.status in (401, 403):
                    raise
                self.report.rejected.append(f"{change.kind} {change.id}: {exc}")
            self.engine.mark_sent(  # the server's version comes with the next listing
                self.document_id, self.name, change, server_revision=state.pulled_revision
            )
            self.progress(done, len(batch), f"sent {done} changes")
        self.report.pushed += len(batch)
        return bool(batch)

    def _write(self, change: OutgoingChange) -> None:
        exists = change.key in getattr(self, "_current", {})
        rid = quote(change.id, safe="")
        if change.kind == "formFieldValue":
            if change.content is None:
                raise SyncError("a plain server cannot clear a form field value", 422)
            body = {"formFieldValues": [{**change.content, "name": change.id}]}
            self.client.send_json("POST", f"{self.path}/form-field-values", body)
            return
        if change.kind == "comment":
            self._write_comment(change, exists)
            return
        plural = "annotations" if change.kind == "annotation" else "bookmarks"
        if change.content is None:
            try:
                self.client.request("DELETE", f"{self.path}/{plural}/{rid}")
            except SyncError as exc:  # already gone
                if exc.status != 404:
                    raise
            return
        content = {**change.content, "id": change.id}
        pictures = self._pictures_of(content)
        if not exists:
            try:
                if pictures:  # api.md §3.4: multipart, parts named by their SHA-256
                    self._multipart("POST", "annotation", {"content": content}, pictures)
                    return
                self.client.send_json("POST", f"{self.path}/{plural}", {"content": content})
                return
            except SyncError as exc:  # made by a retried request, or by someone else
                if exc.status != 409:
                    raise
        if pictures:  # only the bulk update takes multipart (api.md §3.5)
            item = {"id": change.id, "content": content}
            self._multipart("PUT", "annotations", {"annotations": [item]}, pictures)
            return
        self.client.send_json("PUT", f"{self.path}/{plural}/{rid}", {"content": content})

    def _write_comment(self, change: OutgoingChange, exists: bool) -> None:
        """A new comment goes to its root's thread; Document Engine 1.9.0 has no route that
        edits or deletes one, so those changes are refused here and reported."""
        if change.content is None or exists:
            what = "delete" if change.content is None else "edit"
            raise SyncError(f"a plain Document Engine cannot {what} a comment", 422)
        content = {k: v for k, v in change.content.items() if k not in _NOT_SENT}
        text = content.get("text")
        if isinstance(text, dict) and text.get("format") == "plain":
            content["text"] = text.get("value", "")
        root = quote(str(change.content.get("rootId")), safe="")
        body = {"comments": [{"id": change.id, "content": content}]}
        self.client.send_json("POST", f"{self.path}/annotations/{root}/comments", body)

    def _pictures_of(self, content: dict[str, Any]) -> dict[str, bytes]:
        found = {i: self.engine.attachment(i) for i in picture_ids([content])}
        return {i: data for i, data in found.items() if data is not None}

    def _multipart(
        self, method: str, part: str, body: dict[str, Any], pictures: dict[str, bytes]
    ) -> None:
        files: dict[str, Any] = {i: (i, data) for i, data in pictures.items()}
        files[part] = (None, json.dumps(body), "application/json")
        reply = self.client.request(method, f"{self.path}/annotations", files=files)
        try:
            answer = reply.json()
        except ValueError:
            answer = None
        failed = answer.get("failing_paths") if isinstance(answer, dict) else None
        if failed:  # a bulk answer is 200 even when its item failed
            raise SyncError(str(failed[0].get("details", failed[0]))[:300], 422)
        self.report.pictures_sent += len(pictures)

    def _fetch_pictures(self, records: Iterable[Record]) -> None:
        """Pictures the listed records show that are missing here, from the layer's Instant
        JSON (its ``attachments``): a plain Document Engine has no route for one picture."""
        lacking = {
            i
            for i in picture_ids(r.content for r in records if r.kind == "annotation")
            if not self.engine.has_attachment(i)
        }
        if not lacking:
            return
        try:
            exported = self.client.get_json(f"{self.path}/document.json")
        except SyncError as exc:
            if exc.status not in (404, 405):
                raise
            self.report.notices.append("this server cannot send pictures: they are not shown")
            return
        entries = exported.get("attachments") if isinstance(exported, dict) else None
        found, _ = decode_attachments(entries if isinstance(entries, dict) else {})
        for attachment in found.values():
            if attachment.sha256 in lacking:
                self.engine.add_attachment(attachment.data)
                self.report.pictures_received += 1
