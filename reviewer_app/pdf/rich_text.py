"""A free text's style as Acrobat writes it: the default style string (/DS, CSS declarations)
and the rich text (/RC, XHTML), read into Instant JSON's font, size, colour and alignment."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from reviewer_app.instant.records import Json

FAMILIES = {"helvetica": "Helvetica", "arial": "Helvetica", "sans-serif": "Helvetica"}
FAMILIES |= {"times": "Times", "times new roman": "Times", "serif": "Times"}
FAMILIES |= {"courier": "Courier", "courier new": "Courier", "monospace": "Courier"}
ALIGNMENTS = {"left": "left", "start": "left", "center": "center", "right": "right"}
ALIGNMENTS |= {"end": "right", "justify": "left"}
_SIZE = re.compile(r"^(\d+(?:\.\d*)?|\.\d+)(pt|px)?$")
_HEX = re.compile(r"^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_RGB = re.compile(r"^rgb\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*\)$")
_BREAKS = frozenset(("p", "div", "br"))


def declarations(css: str) -> dict[str, str]:
    """``property: value`` pairs of a CSS declaration list (later ones win), names lowercased."""
    found = {}
    for part in css.split(";"):
        name, colon, value = part.partition(":")
        if colon and name.strip():
            found[name.strip().lower()] = value.strip()
    return found


def style_of(css: str) -> Json:
    """The Instant text fields a CSS declaration list sets: ``font``, ``fontSize``,
    ``fontColor``, ``horizontalAlign`` and ``fontStyle`` (["bold", "italic"])."""
    found: Json = {}
    styles: set[str] = set()
    for name, value in declarations(css).items():
        if name == "font":
            _font_shorthand(value, found, styles)
        elif name == "font-size" and (size := _size(value)) is not None:
            found["fontSize"] = size
        elif name == "font-family" and (family := _family(value)):
            found["font"] = family
        elif name == "font-weight":
            _weight(value, styles)
        elif name == "font-style" and value.lower() in ("italic", "oblique"):
            styles.add("italic")
        elif name == "color" and (color := css_color(value)):
            found["fontColor"] = color
        elif name == "text-align" and value.lower() in ALIGNMENTS:
            found["horizontalAlign"] = ALIGNMENTS[value.lower()]
    if styles:
        found["fontStyle"] = sorted(styles)
    return found


def _font_shorthand(value: str, found: Json, styles: set[str]) -> None:
    """``font: [italic] [bold] FAMILY[, FAMILY...] SIZE`` (Acrobat puts the size last) or the
    CSS order ``[italic] [bold] SIZE[/LINE] FAMILY...``."""
    family: list[str] = []
    for token in value.replace(",", " , ").split():
        word = token.lower()
        if word in ("italic", "oblique"):
            styles.add("italic")
        elif word in ("bold", "bolder") or (word.isdigit() and int(word) >= 600):
            styles.add("bold")
        elif (size := _size(word.split("/")[0])) is not None and not word.isdigit():
            found["fontSize"] = size
        elif word not in ("normal", "lighter") and not word.isdigit():
            family.append(token)
    name = _family(" ".join(family))
    if name:
        found["font"] = name


def _weight(value: str, styles: set[str]) -> None:
    word = value.lower()
    if word in ("bold", "bolder") or (word.isdigit() and int(word) >= 600):
        styles.add("bold")


def _size(value: str) -> float | None:
    match = _SIZE.match(value.strip().lower())
    if match is None:
        return None
    size = float(match.group(1))
    return size * 0.75 if match.group(2) == "px" else size


def _family(value: str) -> str | None:
    """The first family of a CSS font-family list, as Instant names the 14 standard fonts."""
    for name in value.split(","):
        name = " ".join(name.strip().strip("'\"").split())
        if name:
            return FAMILIES.get(name.lower(), name)
    return None


def css_color(value: str) -> str | None:
    """A CSS colour (``#rgb``, ``#rrggbb``, ``rgb(r, g, b)``) as ``#rrggbb``."""
    value = value.strip()
    if match := _HEX.match(value):
        digits = match.group(1)
        if len(digits) == 3:
            digits = "".join(c * 2 for c in digits)
        return "#" + digits.lower()
    if match := _RGB.match(value.lower()):
        return "#" + "".join(f"{min(int(v), 255):02x}" for v in match.groups())
    return None


class _RichText(HTMLParser):
    """Collects an /RC body's words (paragraphs as lines) and the styles around its first
    words (the body's, then each element's inside it, outermost first)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, str]] = []  # (tag, style) of the elements around the text
        self.styles: list[str] | None = None
        self.lines: list[str] = [""]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        tag = tag.lower()
        if tag in _BREAKS and self.lines[-1]:
            self.lines.append("")
        if tag != "br":
            self.open.append((tag, next((v or "" for k, v in attrs if k == "style"), "")))

    def handle_endtag(self, tag: str) -> None:
        tags = [t for t, _ in self.open]
        if tag.lower() in tags:
            del self.open[len(tags) - 1 - tags[::-1].index(tag.lower()) :]

    def handle_data(self, data: str) -> None:
        self.lines[-1] += data
        if self.styles is None and data.strip():
            self.styles = [style for _, style in self.open]


def rich_text(xhtml: str) -> tuple[str, Json]:
    """The words of an /RC rich text (paragraphs on lines) and the Instant style of its
    first words (the styles of the elements around them, the innermost winning)."""
    parser = _RichText()
    try:
        parser.feed(xhtml)
        parser.close()
    except (ValueError, AssertionError):  # a string that is no markup at all
        return xhtml, {}
    style: Json = {}
    for css in parser.styles or []:
        style.update(style_of(css))
    return "\n".join(line.strip("\r\n") for line in parser.lines).strip("\n"), style
