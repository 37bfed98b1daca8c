"""Link actions: a link's raw /A or /Dest as an Instant JSON ``action``."""

from __future__ import annotations

from typing import Any

from reviewer_app.instant.records import Json
from reviewer_app.pdf.objects import Name, Ref, resolve, text_string
from reviewer_app.pdf.open import mupdf_errors
from reviewer_app.pdf.properties import name_of

NAMED_ACTIONS = {
    "NextPage": "nextPage",
    "PrevPage": "prevPage",
    "FirstPage": "firstPage",
    "LastPage": "lastPage",
}
_MAX_DEPTH = 8  # destination dictionaries that point at dictionaries, at most this deep


class LinkTargets:
    """Where a document's links can point: page numbers by page object and named destinations.

    Both are read once, on first use, from a ``pymupdf.Document``.
    """

    def __init__(self, doc: Any) -> None:
        self.doc = doc
        self._pages: dict[int, int] | None = None
        self._names: dict[str, Any] | None = None

    def page_of(self, dest: Any, depth: int = 0) -> int | None:
        """The 0-based page a destination (array, name, string or dictionary) points to."""
        dest = resolve(self.doc, dest)
        if isinstance(dest, bytes | Name):
            entry = self.names.get(text_string(dest) or "")
            page = entry.get("page") if isinstance(entry, dict) else None
            return page if isinstance(page, int) and page >= 0 else None
        if isinstance(dest, list) and dest and isinstance(dest[0], Ref):
            return self.pages.get(dest[0].num)
        if isinstance(dest, dict) and "D" in dest and depth < _MAX_DEPTH:
            return self.page_of(dest["D"], depth + 1)
        return None

    @property
    def pages(self) -> dict[int, int]:
        if self._pages is None:
            self._pages = {self.doc.page_xref(i): i for i in range(self.doc.page_count)}
        return self._pages

    @property
    def names(self) -> dict[str, Any]:
        if self._names is None:
            try:
                self._names = dict(self.doc.resolve_names())
            except mupdf_errors():
                self._names = {}
        return self._names


def link_action(doc: Any, obj: dict[str, Any], targets: LinkTargets) -> Json | None:
    """The Instant action of a link dictionary, or None when it has none Instant can express."""
    action = resolve(doc, obj.get("A"))
    if isinstance(action, dict):
        return _action(doc, action, targets)
    if "Dest" in obj:
        return _go_to(targets.page_of(obj["Dest"]))
    return None


def _action(doc: Any, action: dict[str, Any], targets: LinkTargets) -> Json | None:
    """One PDF action dictionary as an Instant action (sub-actions in /Next are not kept)."""
    kind = name_of(action.get("S"))
    if kind == "URI":
        uri = text_string(resolve(doc, action.get("URI")))
        return {"type": "uri", "uri": uri} if uri else None
    if kind == "GoTo":
        return _go_to(targets.page_of(action.get("D")))
    if kind in ("GoToR", "Launch"):
        path = _file_name(resolve(doc, action.get("F")))
        if not path:
            return None
        if kind == "Launch":
            return {"type": "launch", "filePath": path}
        remote: Json = {"type": "goToRemote", "relativePath": path}
        destination = text_string(action.get("D"))
        if destination:
            remote["namedDestination"] = destination
        return remote
    if kind == "Named":
        named = NAMED_ACTIONS.get(name_of(action.get("N")) or "")
        return {"type": "named", "action": named} if named else None
    if kind == "JavaScript":
        script = text_string(resolve(doc, action.get("JS")))
        return {"type": "javaScript", "script": script} if script else None
    return None


def _go_to(page: int | None) -> Json | None:
    return None if page is None else {"type": "goTo", "pageIndex": page}


def _file_name(spec: Any) -> str | None:
    """The path in a file specification (a string, or a dictionary with /UF or /F)."""
    if isinstance(spec, dict):
        return text_string(spec.get("UF")) or text_string(spec.get("F"))
    return text_string(spec)
