"""PDF objects as Python values: a small, fast parser of the object text MuPDF prints."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, NamedTuple

PdfDict = dict[str, Any]

_DELIMS = r"\s/\[\]()<>{}%"
_TOKEN = re.compile(
    rf"""
    (?:\s+|%[^\r\n]*)*  # whitespace and comments before the token
    (?:
      (?P<ref>\d+\s+\d+\s+R(?![^{_DELIMS}]))
    | (?P<num>[+-]?(?:\d+\.?\d*|\.\d+))
    | (?P<name>/[^{_DELIMS}]*)
    | (?P<dopen><<) | (?P<dclose>>>)
    | (?P<aopen>\[) | (?P<aclose>\])
    | (?P<hex><[^<>]*>)
    | (?P<lit>\()
    | (?P<word>[^{_DELIMS}]+)
    )
    """,
    re.VERBOSE,
)
_NAME_ESCAPE = re.compile(r"#([0-9A-Fa-f]{2})")
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f"}
_WORDS: dict[str, Any] = {"true": True, "false": False, "null": None}
# PDFDocEncoding differs from Latin-1 only at these code points.
_PDFDOC = {
    **dict(zip(range(0x18, 0x20), "˘ˇˆ˙˝˛˚˜", strict=True)),
    **dict(zip(range(0x80, 0x9F), "•†‡…—–ƒ⁄‹›−‰„“”‘’‚™ﬁﬂŁŒŠŸŽıłœšž", strict=True)),
    0xA0: "€",
}


class Name(str):
    """A PDF name, without its slash and with #xx escapes decoded."""


class Ref(NamedTuple):
    """An indirect reference ``num gen R``."""

    num: int
    gen: int


def parse_object(text: str) -> Any:
    """The first object in ``text``: dict, list, Name, bytes, int, float, bool, Ref or None."""
    frames: list[list[Any]] = [[]]
    pos, end = 0, len(text)
    while pos < end:
        match = _TOKEN.match(text, pos)
        if match is None:
            if text[pos:].strip():
                raise ValueError(f"unreadable PDF object near {text[pos : pos + 20]!r}")
            break
        kind = match.lastgroup
        token, pos = match.group(kind or 0), match.end()
        if kind in ("dopen", "aopen"):
            frames.append([kind])
            continue
        if kind in ("dclose", "aclose"):
            if len(frames) == 1:
                break
            items = frames.pop()
            value: Any = _pairs(items[1:]) if items[0] == "dopen" else items[1:]
        elif kind == "lit":
            value, pos = _literal(text, pos)
        else:
            value = _atom(kind, token)
        frames[-1].append(value)
        if len(frames) == 1:
            break
    return frames[0][0] if frames[0] else None


def _atom(kind: str | None, token: str) -> Any:
    """A number, name, reference, hex string or keyword."""
    if kind == "num":
        return float(token) if "." in token else int(token)
    if kind == "name":
        return Name(_NAME_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), token[1:]))
    if kind == "ref":
        num, gen, _ = token.split()
        return Ref(int(num), int(gen))
    if kind == "hex":
        digits = "".join(token[1:-1].split())
        return bytes.fromhex(digits + "0" * (len(digits) % 2))
    return _WORDS.get(token)


def _pairs(items: list[Any]) -> PdfDict:
    """A dictionary from alternating keys and values (a key without a value is dropped)."""
    return {str(items[i]): items[i + 1] for i in range(0, len(items) - 1, 2)}


def _literal(text: str, pos: int) -> tuple[bytes, int]:
    """A literal string starting after its opening parenthesis; returns it and the end position."""
    out: list[str] = []
    depth = 1
    while pos < len(text):
        char = text[pos]
        pos += 1
        if char == "\\":
            escaped = text[pos : pos + 1]
            pos += 1
            if escaped in _ESCAPES:
                out.append(_ESCAPES[escaped])
            elif escaped.isdigit() and escaped < "8":
                octal = re.match(r"[0-7]{1,3}", text[pos - 1 : pos + 2])
                digits = octal.group() if octal else escaped
                out.append(chr(int(digits, 8) & 0xFF))
                pos += len(digits) - 1
            elif escaped == "\r":
                pos += 1 if text[pos : pos + 1] == "\n" else 0
            elif escaped != "\n":
                out.append(escaped)
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                break
        out.append(char)
    return "".join(out).encode("latin-1", "replace"), pos


def resolve(doc: Any, value: Any) -> Any:
    """``value``, or the object it refers to (in the ``pymupdf.Document`` doc) if it is a Ref."""
    if isinstance(value, Ref):
        return parse_object(doc.xref_object(value.num, compressed=True))
    return value


def text_string(value: Any) -> str | None:
    """A PDF text string as ``str``: UTF-16 or UTF-8 with a byte order mark, else PDFDocEncoding."""
    if isinstance(value, str):  # a Name, or text read from XML (XFDF) rather than a PDF
        return str(value)
    if not isinstance(value, bytes):
        return None
    if value[:2] == b"\xfe\xff":
        return value[2:].decode("utf-16-be", "replace")
    if value[:2] == b"\xff\xfe":
        return value[2:].decode("utf-16-le", "replace")
    if value[:3] == b"\xef\xbb\xbf":
        return value[3:].decode("utf-8", "replace")
    return "".join(_PDFDOC.get(byte, chr(byte)) for byte in value)


def number(value: Any) -> float | None:
    """A PDF number as float, or None when ``value`` is not a number."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def numbers(value: Any) -> list[float] | None:
    """An array of numbers as floats, or None when ``value`` is not such an array."""
    if not isinstance(value, list):
        return None
    result = [number(item) for item in value]
    return None if any(item is None for item in result) else [float(item or 0) for item in result]


def dictionary_at(doc: Any, xref: int, path: Sequence[str]) -> tuple[int, str] | None:
    """Where the dictionary at ``path`` from object ``xref`` lives, following indirect
    objects on the way (PyMuPDF's key paths cannot pass through them): the object that holds
    it and the key path within that object ("" when it is the object itself, else ending in
    "/"); None when there is no dictionary there."""
    holder, prefix = xref, ""
    for key in path:
        kind, value = doc.xref_get_key(holder, prefix + key)
        if kind == "xref":
            holder, prefix = int(value.split()[0]), ""
            if not doc.xref_object(holder, compressed=True).startswith("<<"):
                return None
        elif kind == "dict":
            prefix += key + "/"
        else:
            return None
    return holder, prefix
