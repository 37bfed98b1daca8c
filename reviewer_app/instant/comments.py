"""Comments: Instant JSON ``pspdfkit/comment`` records (v1 and v2), the annotations that can
root a thread, safe XHTML, and the thread state we keep beyond Document Engine.

A comment belongs to the thread of its root annotation (``rootId``): a markup annotation
(highlight, underline, strikeout, squiggly) or a ``pspdfkit/comment-marker``. Document Engine
has no thread state; ours (open, resolved, and the PDF review states) lives in the root's
``customData`` under :data:`STATE_KEY`, which a Document Engine client keeps and ignores.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import nh3

from .checks import check_enum, check_iso_date, check_page_index, describe, is_int
from .validate import MARKUP_TYPES, TEXT_FORMATS

COMMENT_TYPE = "pspdfkit/comment"
MARKER_TYPE = "pspdfkit/comment-marker"
ROOT_TYPES = (*MARKUP_TYPES, MARKER_TYPE)
"""The annotation types that can root a thread (Document Engine's rule)."""

STATE_KEY = "reviewer:thread"
"""Where a root's ``customData`` keeps its thread state: ``{"state", "by", "at"}``."""

STATES = ("open", "resolved", "accepted", "rejected", "cancelled", "completed")
"""Open and resolved, then the review states of PDF state annotations (/StateModel /Review)."""

STATE_NAMES = {
    "open": "Open",
    "resolved": "Resolved",
    "accepted": "Accepted",
    "rejected": "Rejected",
    "cancelled": "Cancelled",
    "completed": "Completed",
}

# The XHTML Instant JSON allows (api.md §5.4), and line breaks; links only to the web or mail.
XHTML_TAGS = {"html", "body", "p", "span", "b", "i", "a", "br"}
XHTML_ATTRIBUTES = {"a": {"href"}, "span": {"style"}, "p": {"style"}}
XHTML_STYLES = {"color", "background-color", "font-weight", "font-style", "text-decoration"}
URL_SCHEMES = {"http", "https", "mailto"}
_BREAKS = re.compile(r"(?i)<br\s*/?>|</p\s*>")
_TAGS = re.compile(r"<[^>]*>")


def safe_xhtml(value: str) -> str:
    """``value`` with everything but the XHTML subset above removed: no scripts, no event
    handlers, no ``javascript:`` links, no styles but colours and emphasis (nh3, which is
    the Rust sanitiser ammonia: an allow-list over a real HTML parser)."""
    return nh3.clean(
        value,
        tags=XHTML_TAGS,
        attributes=XHTML_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        filter_style_properties=XHTML_STYLES,
        link_rel=None,
        strip_comments=True,
    )


def sanitised(content: Mapping[str, Any]) -> tuple[dict[str, Any], bool]:
    """A copy of a comment or comment marker whose XHTML text is safe, and whether anything
    had to be removed (safe text is kept exactly as it was)."""
    body = dict(content)
    text = body.get("text")
    if not (isinstance(text, Mapping) and text.get("format") == "xhtml"):
        return body, False
    value = text.get("value")
    if not isinstance(value, str):
        return body, False
    clean = safe_xhtml(value)
    if clean == value:
        return body, False
    body["text"] = {**text, "value": clean}
    return body, True


def validate_comment(content: object, *, page_count: int | None = None) -> list[str]:
    """Problems with ``content`` as an Instant JSON comment (v1 or v2); empty means valid.
    Whether its root exists is the layer's business (see the engine's threads)."""
    if not isinstance(content, Mapping):
        return [f"a comment must be an object, not {describe(content)}"]
    problems: list[str] = []
    if content.get("type") != COMMENT_TYPE:
        problems.append(f"'type' must be '{COMMENT_TYPE}', not {describe(content.get('type'))}")
    version: Any = content.get("v")
    if not (is_int(version) and version in (1, 2)):
        problems.append(f"'v' must be 1 or 2, not {describe(version)}")
    root = content.get("rootId")
    if not isinstance(root, str) or not root:
        problems.append(f"'rootId' must name the thread's root annotation, not {describe(root)}")
    if "pageIndex" not in content:
        problems.append("missing 'pageIndex'")
    else:
        problems += check_page_index(content["pageIndex"], page_count)
    problems += _check_text(content.get("text"), version, "text" in content)
    for key in ("createdAt", "updatedAt"):
        if content.get(key) is not None:
            problems += check_iso_date(key, content[key])
    name = content.get("creatorName")
    if name is not None and not isinstance(name, str):
        problems.append(f"'creatorName' must be a string or null, not {describe(name)}")
    custom = content.get("customData")
    if custom is not None and not isinstance(custom, Mapping):
        problems.append(f"'customData' must be an object or null, not {describe(custom)}")
    if "id" in content and not (isinstance(content["id"], str) and content["id"]):
        problems.append(f"'id' must be a non-empty string, not {describe(content['id'])}")
    object_id = content.get("pdfObjectId")
    if object_id is not None and not (is_int(object_id) and object_id >= 0):
        problems.append(f"'pdfObjectId' must be a non-negative integer, not {describe(object_id)}")
    return problems


def _check_text(text: object, version: object, present: bool) -> list[str]:
    if not present:
        return ["missing 'text'"]
    if version == 1:
        if isinstance(text, str):
            return []
        return [f"'text' must be a string in v1, not {describe(text)}"]
    if not isinstance(text, Mapping):
        return [f"'text' must be {{'format', 'value'}} in v2, not {describe(text)}"]
    problems = check_enum("text.format", text.get("format"), TEXT_FORMATS)
    if not isinstance(text.get("value"), str):
        problems.append(f"'text.value' must be a string, not {describe(text.get('value'))}")
    return problems


def can_root(content: Mapping[str, Any]) -> bool:
    """Whether an annotation of this content may hold a thread (a markup or a marker)."""
    return content.get("type") in ROOT_TYPES


def root_problem(content: Mapping[str, Any] | None, root_id: str) -> str | None:
    """Why ``content`` (the annotation named ``rootId``, None if the layer lacks it) cannot
    hold a comment, or None when it can."""
    if content is None:
        return f"its root annotation {root_id!r} is not in the layer"
    if not can_root(content):
        kind = describe(content.get("type"))
        return (
            f"its root {root_id!r} is a {kind}: only markup annotations and comment markers "
            "hold comments"
        )
    return None


@dataclass(frozen=True)
class ThreadState:
    """A thread's state, who set it and when (ISO 8601); an unset state is ``open``."""

    state: str = "open"
    by: str | None = None
    at: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"state": self.state, "by": self.by, "at": self.at}


def thread_state(root: Mapping[str, Any]) -> ThreadState:
    """The state kept in a root's ``customData`` (open when none, or when unreadable)."""
    custom = root.get("customData")
    kept = custom.get(STATE_KEY) if isinstance(custom, Mapping) else None
    if not isinstance(kept, Mapping) or kept.get("state") not in STATES:
        return ThreadState()
    by, at = kept.get("by"), kept.get("at")
    return ThreadState(
        str(kept["state"]), by if isinstance(by, str) else None, at if isinstance(at, str) else None
    )


def with_state(root: Mapping[str, Any], state: ThreadState) -> dict[str, Any]:
    """A copy of ``root`` carrying ``state`` in its ``customData`` (other keys kept)."""
    if state.state not in STATES:
        raise ValueError(f"a thread state is one of {', '.join(STATES)}, not {state.state!r}")
    body = dict(root)
    custom = body.get("customData")
    custom = dict(custom) if isinstance(custom, Mapping) else {}
    custom[STATE_KEY] = state.to_json()
    body["customData"] = custom
    return body


def comment_words(content: Mapping[str, Any]) -> str:
    """A comment's text as plain words (XHTML tags dropped, entities decoded)."""
    text = content.get("text")
    if isinstance(text, str):
        return text
    if not isinstance(text, Mapping):
        return ""
    value = str(text.get("value") or "")
    if text.get("format") != "xhtml":
        return value
    return html.unescape(_TAGS.sub("", _BREAKS.sub("\n", value))).strip("\n")
