"""Instant ``pspdfkit/link`` records → PDF /Link annotations with their action and an /AP."""

from __future__ import annotations

from typing import Any

from reviewer_app.instant.records import Record
from reviewer_app.pdf.links import NAMED_ACTIONS
from reviewer_app.pdf.write_common import (
    PageSpace,
    Unsupported,
    flag_bits,
    number,
    pdf_date,
    pdf_string,
    plain,
    rgb,
)

_NAMED = {instant: pdf for pdf, instant in NAMED_ACTIONS.items()}


def write_link(doc: Any, page: Any, space: PageSpace, record: Record) -> int:
    """Write a link annotation for ``record`` on ``page``; returns its object number."""
    content = record.content
    action = pdf_action(doc, content.get("action"))
    x0, y0, x1, y1 = space.pdf_rect(content["bbox"])
    width = space.length(number(content, "borderWidth", 0))
    color = rgb(content.get("borderColor"))
    dashed = content.get("borderStyle") == "dashed"
    keys = [
        "/Type /Annot /Subtype /Link",
        f"/Rect [{x0:g} {y0:g} {x1:g} {y1:g}]",
        f"/Border [0 0 {width:g}{' [3 2]' if dashed else ''}]",
        f"/A {action}",
        f"/NM {pdf_string(record.id)}",
        f"/F {flag_bits(content.get('flags'))}",
        f"/P {page.xref} 0 R",
    ]
    for key, field in (("CreationDate", "createdAt"), ("M", "updatedAt")):
        date = pdf_date(content.get(field))
        if date:
            keys.append(f"/{key} {pdf_string(date)}")
    if color:
        keys.append(f"/C [{color[0]:g} {color[1]:g} {color[2]:g}]")
    if dashed:
        keys.append(f"/BS << /W {width:g} /S /D /D [3 2] >>")
    note = plain(content.get("note"))
    if note:
        keys.append(f"/Contents {pdf_string(note)}")
    appearance = _appearance(doc, (x0, y0, x1, y1), width if color else 0.0, color, dashed)
    keys.append(f"/AP << /N {appearance} 0 R >>")
    xref = int(doc.get_new_xref())
    doc.update_object(xref, "<< " + " ".join(keys) + " >>")
    _append_annot(doc, page.xref, xref)
    return xref


def pdf_action(doc: Any, action: Any) -> str:
    """An Instant action as a PDF action dictionary; raises Unsupported otherwise."""
    if not isinstance(action, dict):
        raise Unsupported("pspdfkit/link: no action")
    kind = action.get("type")
    if kind == "goTo":
        page = action.get("pageIndex")
        if not isinstance(page, int) or not 0 <= page < doc.page_count:
            raise Unsupported(f"pspdfkit/link: no page {page}")
        return f"<< /S /GoTo /D [{doc.page_xref(page)} 0 R /Fit] >>"
    if kind == "uri" and isinstance(action.get("uri"), str):
        return f"<< /S /URI /URI {pdf_string(action['uri'])} >>"
    if kind == "launch" and isinstance(action.get("filePath"), str):
        return f"<< /S /Launch /F {pdf_string(action['filePath'])} >>"
    if kind == "goToRemote" and isinstance(action.get("relativePath"), str):
        dest = action.get("namedDestination")
        target = pdf_string(dest) if isinstance(dest, str) and dest else "[0 /Fit]"
        return f"<< /S /GoToR /F {pdf_string(action['relativePath'])} /D {target} >>"
    if kind == "named" and action.get("action") in _NAMED:
        return f"<< /S /Named /N /{_NAMED[action['action']]} >>"
    if kind == "javaScript" and isinstance(action.get("script"), str):
        return f"<< /S /JavaScript /JS {pdf_string(action['script'])} >>"
    raise Unsupported(f"pspdfkit/link: action {kind!r} is not written to PDFs")


def _appearance(
    doc: Any,
    rect: tuple[float, float, float, float],
    width: float,
    color: tuple[float, float, float] | None,
    dashed: bool = False,
) -> int:
    """A form XObject over ``rect``: the border (solid or dashed) when there is one, else
    empty."""
    x0, y0, x1, y1 = rect
    drawing = b""
    if color and width > 0:
        half = width / 2
        dash = "[3 2] 0 d " if dashed else ""
        drawing = (
            f"{color[0]:g} {color[1]:g} {color[2]:g} RG {width:g} w {dash}"
            f"{x0 + half:g} {y0 + half:g} {x1 - x0 - width:g} {y1 - y0 - width:g} re S"
        ).encode()
    xref = int(doc.get_new_xref())
    doc.update_object(
        xref, f"<< /Type /XObject /Subtype /Form /BBox [{x0:g} {y0:g} {x1:g} {y1:g}] >>"
    )
    doc.update_stream(xref, drawing)
    return xref


def _append_annot(doc: Any, page_xref: int, annot_xref: int) -> None:
    """Append ``annot_xref`` to the page's /Annots (direct or indirect array)."""
    kind, value = doc.xref_get_key(page_xref, "Annots")
    ref = f"{annot_xref} 0 R"
    if kind == "xref":
        target = int(value.split()[0])
        doc.update_object(
            target, doc.xref_object(target, compressed=True).rstrip("] ") + f" {ref}]"
        )
    elif kind == "array":
        doc.xref_set_key(page_xref, "Annots", value.rstrip("] ") + f" {ref}]")
    else:
        doc.xref_set_key(page_xref, "Annots", f"[{ref}]")
