"""A PDF's optional content groups (its own "layers", unrelated to annotation layers) in
Document Engine's ``OCGLayerResponse`` shape: the groups in the order the PDF's viewer panel
shows them (``/OCProperties /D /Order``), a nested list as a collection (named by its first
string, or by the group it follows), and each group's radio-button set (``/RBGroups``)."""

from __future__ import annotations

from typing import Any

from reviewer_app.instant.records import Json
from reviewer_app.pdf.objects import Ref, parse_object, text_string

MAX_GROUPS = 10_000
"""Groups listed at most (a guard against pathological files)."""
MAX_DEPTH = 32
"""Nesting followed at most in /Order (deeper collections' groups are listed flat)."""


def ocg_layers(doc: Any) -> Json:
    """``{"ocgs": [...]}``: layers (``ocgId``, ``name``, ``radioGroup`` when in one) and
    collections (``name``, ``ocgId`` when a group heads them, ``layers``); groups the /Order
    leaves out come last."""
    groups = {int(xref): str(info.get("name") or "") for xref, info in doc.get_ocgs().items()}
    catalog = doc.pdf_catalog()
    radio = _radio_groups(doc, catalog)
    order = _array(doc, catalog, "OCProperties/D/Order")
    listed: set[int] = set()

    def layer(ref: Ref) -> Json:
        listed.add(ref.num)
        found: Json = {"ocgId": ref.num, "name": groups.get(ref.num, "")}
        if ref.num in radio:
            found["radioGroup"] = radio[ref.num]
        return found

    def flat(items: list[Any], depth: int) -> list[Json]:
        layers: list[Json] = []
        for item in items:
            if isinstance(item, Ref) and item.num in groups:
                layers.append(layer(item))
            elif isinstance(item, list) and depth < MAX_DEPTH:
                layers.extend(flat(item, depth + 1))
        return layers

    top: list[Json] = []
    index = 0
    while index < len(order) and len(listed) < MAX_GROUPS:
        item = order[index]
        following = order[index + 1] if index + 1 < len(order) else None
        if isinstance(item, Ref) and item.num in groups:
            if isinstance(following, list) and not _named(following):
                head = layer(item)
                top.append({**head, "layers": flat(following, 1)})
                index += 2
                continue
            top.append(layer(item))
        elif isinstance(item, list):
            if _named(item):
                name = text_string(item[0]) or ""
                top.append({"name": name, "layers": flat(item[1:], 1)})
            else:
                top.extend(flat(item, 1))
        index += 1
    top.extend(layer(Ref(xref, 0)) for xref in sorted(groups) if xref not in listed)
    return {"ocgs": top[:MAX_GROUPS]}


def _named(items: list[Any]) -> bool:
    return bool(items) and isinstance(items[0], bytes | str)


def _array(doc: Any, xref: int, key: str) -> list[Any]:
    kind, value = doc.xref_get_key(xref, key)
    if kind != "array":
        return []
    parsed = parse_object(value)
    return parsed if isinstance(parsed, list) else []


def _radio_groups(doc: Any, catalog: int) -> dict[int, int]:
    """Each group in a radio-button set → the set's index in /RBGroups."""
    found: dict[int, int] = {}
    for number, members in enumerate(_array(doc, catalog, "OCProperties/D/RBGroups")):
        for member in members if isinstance(members, list) else ():
            if isinstance(member, Ref):
                found.setdefault(member.num, number)
    return found
