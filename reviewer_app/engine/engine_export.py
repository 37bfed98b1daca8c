"""A layer's PDF export as it would be with an Instant JSON file applied, the layer left as it
was (Document Engine's ``pdf_with_instant_json`` and ``copy_with_instant_json``)."""

from __future__ import annotations

from typing import Any

from reviewer_app.engine import documents, instant_io, layers, store
from reviewer_app.engine.engine_core import EngineCore
from reviewer_app.engine.picture_rule import Writer
from reviewer_app.engine.store import NO_LAYER, read_layer
from reviewer_app.instant.records import LayerExport, Record


class ExportOperations(EngineCore):
    """What a PDF of a layer needs, as it is or with an Instant JSON file applied."""

    def preview_instant(
        self,
        document_id: str,
        layer: str,
        data: bytes | str | dict[str, Any],
        *,
        writer: Writer | None = None,
    ) -> tuple[LayerExport, list[dict[str, str]]]:
        """:meth:`layer_export` as it would be with an Instant JSON file applied, and the
        file's problems; the layer is left as it was (the import is undone before returning;
        pictures the file brings stay stored, as after any upload)."""
        doc = self.document(document_id)
        try:
            with self.db.atomic() as conn:
                _, errors = instant_io.apply(
                    conn, doc, layer, data, "Preview Instant JSON", self.attachments, writer
                )
                found = layers.find(conn, document_id, layer)
                base = self.base_layers.get(conn, document_id)
                # read past the cache: these records must not be seen once undone
                shown = read_layer(conn, base, NO_LAYER if found is None else found.id)
                raise _Undo(self._export(document_id, layer, shown))
        except _Undo as undone:
            return undone.export, errors

    def _export(self, document_id: str, layer: str, shown: list[Record]) -> LayerExport:
        found = layers.find(self._conn, document_id, layer)
        own = set() if found is None else store.own_keys(self._conn, found.id)
        objects = documents.base_ids_by_pdf_object_id(self._conn, document_id)
        comments = documents.base_ids_by_pdf_object_id(self._conn, document_id, "comment")
        removed = frozenset(
            [
                *(obj for obj, rid in objects.items() if ("annotation", rid) in own),
                *(obj for obj, rid in comments.items() if ("comment", rid) in own),
            ]
        )
        write = tuple(r for r in shown if r.key in own)
        return LayerExport(
            write=write,
            remove_object_ids=removed,
            shown=tuple(shown),
            attachments=self.attachments.some(
                r.content["imageAttachmentId"] for r in write if "imageAttachmentId" in r.content
            ),
        )


class _Undo(Exception):
    def __init__(self, export: LayerExport) -> None:
        super().__init__("undone")
        self.export = export
