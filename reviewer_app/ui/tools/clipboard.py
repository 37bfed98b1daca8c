"""Annotations on the clipboard: their Instant JSON under our own type, a summary as plain text."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QMimeData
from PySide6.QtGui import QGuiApplication

from reviewer_app.instant import validate_annotation
from reviewer_app.instant.records import Record
from reviewer_app.instant.transform import moved_on_page
from reviewer_app.ui.annotations.marks import text_of
from reviewer_app.ui.core.words import plural

if TYPE_CHECKING:
    from reviewer_app.ui.tools.page_tools import PageTools

MIME = "application/x-reviewer-annotations"
DROPPED = ("id", "name", "pdfObjectId", "createdAt", "updatedAt", "creatorName")
PASTE_OFFSET = 10.0  # points right and down, per paste onto the page it was copied from


def release_clipboard() -> None:
    """Leave only the copied annotations' text on the clipboard, before the app ends (PySide6
    crashes at exit while the clipboard holds a QMimeData made in Python)."""
    clipboard = QGuiApplication.clipboard()
    data = clipboard.mimeData()
    if data is not None and data.hasFormat(MIME):
        clipboard.setText(clipboard.text())


class ClipboardError(ValueError):
    """The clipboard claims to hold annotations but what it holds cannot be read."""


@dataclass(frozen=True)
class Copied:
    """Annotations as copied: from which document, layer and page, their Instant JSON."""

    document: str
    layer: str
    page: int
    annotations: list[dict[str, Any]]

    def to_json(self) -> str:
        return json.dumps(
            {
                "document": self.document,
                "layer": self.layer,
                "page": self.page,
                "annotations": self.annotations,
            }
        )


def parse(data: bytes) -> Copied:
    """What ``data`` (our MIME type's bytes) holds; ClipboardError if it is not ours."""
    try:
        found = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ClipboardError(f"not JSON ({exc})") from exc
    if not isinstance(found, dict):
        raise ClipboardError("not an object")
    annotations = found.get("annotations")
    if not isinstance(annotations, list) or not annotations:
        raise ClipboardError("no list of annotations")
    for index, content in enumerate(annotations):
        problems = validate_annotation(content)
        if problems:
            raise ClipboardError(f"annotation {index + 1}: {'; '.join(problems[:3])}")
    page = found.get("page")
    return Copied(
        str(found.get("document") or ""),
        str(found.get("layer") or ""),
        page if isinstance(page, int) and not isinstance(page, bool) else -1,
        [dict(a) for a in annotations],
    )


def summary(records: Sequence[Record], layer: str) -> str:
    """The copied annotations as a reader would list them (the plain-text flavour)."""
    count = len(records)
    lines = [f"{count} annotation{'s' if count != 1 else ''} from layer {layer or 'base'}:"]
    for record in records:
        content = record.content
        kind = str(content.get("type", "")).rsplit("/", 1)[-1].capitalize()
        page = content.get("pageIndex")
        text = text_of(content).strip().replace("\n", " ")
        where = f" on page {page + 1}" if isinstance(page, int) else ""
        lines.append(f"- {kind}{where}" + (f": {text[:80]}" if text else ""))
    return "\n".join(lines)


def fresh(content: Mapping[str, Any], page: int) -> dict[str, Any]:
    """A copy to paste as a new annotation: no identity, no dates, no author, on ``page``."""
    result = {k: v for k, v in content.items() if k not in DROPPED}
    result["pageIndex"] = page
    return result


class AnnotationClipboard:
    """Copy, cut and paste of the selected annotations of ``box`` (to and from the system
    clipboard, so a paste may go to another layer or another window)."""

    def __init__(self, tools: PageTools) -> None:
        self.tools = tools
        self.pastes: dict[tuple[str, str, int], int] = {}  # (copied JSON, layer, page) → count

    def copy(self) -> bool:
        """Put the selected annotations on the clipboard; False when none is selected."""
        records, context = list(self.tools.selected), self.tools.context
        if not records or context.document is None:
            return False
        page = records[0].content.get("pageIndex")
        copied = Copied(
            context.document.id,
            context.layer,
            page if isinstance(page, int) else -1,
            [dict(r.content) for r in records],
        )
        data = QMimeData()
        data.setData(MIME, copied.to_json().encode("utf-8"))
        data.setText(summary(records, context.layer))
        QGuiApplication.clipboard().setMimeData(data)
        context.notify(f"Copied {plural(len(records), 'annotation')}", 4000)
        return True

    def cut(self) -> None:
        records = list(self.tools.selected)
        if records and self.tools.editor.can_edit() and self.copy():
            self.tools.editor.delete([r.key for r in records])

    def paste(self) -> None:
        """Add the clipboard's annotations to the current layer and page, and select them."""
        context = self.tools.context
        data = QGuiApplication.clipboard().mimeData()
        if data is None or not data.hasFormat(MIME):
            context.notify("Nothing to paste: no annotations were copied", 6000)
            return
        try:
            copied = parse(bytes(data.data(MIME).data()))
        except ClipboardError as exc:
            context.notify(f"Not pasted: the clipboard is unreadable: {exc}", 8000)
            return
        page = self.tools.view.current_page()
        if context.document is None or page < 0:
            return
        contents = self.placed(copied, page)
        change = self.tools.editor.create(contents)
        if change is None:
            return
        select = self.tools.by_name.get("select")
        if select is not None and self.tools.current is not select:
            self.tools.choose("select")
        self.tools.select([r for r in change.upserted if r.kind == "annotation"])

    def placed(self, copied: Copied, page: int) -> list[dict[str, Any]]:
        """The copied annotations as new ones on ``page``: where they were, shifted by
        :data:`PASTE_OFFSET` more at each paste onto the page and layer they came from, and
        kept on the page."""
        layer, document = self.tools.context.layer, self.tools.context.document_id or ""
        contents = [fresh(c, page) for c in copied.annotations]
        key = (copied.to_json(), layer, page)
        offset = 0.0
        if (copied.document, copied.layer, copied.page) == (document, layer, page):
            self.pastes[key] = self.pastes.get(key, 0) + 1
            offset = PASTE_OFFSET * self.pastes[key]
        return moved_on_page(contents, offset, offset, self.tools.view.pages[page].unrotated)
