"""Annotation properties shared by every type (colours, dates, flags) as Instant values."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from reviewer_app.pdf.objects import Name, number, numbers

_DATE = re.compile(
    r"\s*(?:D:)?(\d{4})(\d\d)?(\d\d)?(\d\d)?(\d\d)?(\d\d)?\s*(?:([Zz+-])(\d\d)?'?(\d\d)?'?)?"
)
# Annotation flag bits (PDF 32000-1, table 165) → Instant flag names; "noPrint" is Print's inverse.
_FLAG_BITS = (
    (1, "invisible"),
    (2, "hidden"),
    (4, "noZoom"),
    (5, "noRotate"),
    (6, "noView"),
    (7, "readOnly"),
    (8, "locked"),
    (9, "toggleNoView"),
    (10, "lockedContents"),
)
_PRINT_BIT = 3


def color_hex(value: Any) -> str | None:
    """A PDF colour array (gray, RGB or CMYK, components 0..1) as ``#rrggbb``; None if absent."""
    components = numbers(value)
    if not components:
        return None
    clamped = [min(1.0, max(0.0, c)) for c in components]
    if len(clamped) == 1:
        rgb = clamped * 3
    elif len(clamped) == 3:
        rgb = clamped
    elif len(clamped) == 4:
        cyan, magenta, yellow, black = clamped
        rgb = [(1 - cyan) * (1 - black), (1 - magenta) * (1 - black), (1 - yellow) * (1 - black)]
    else:
        return None
    return "#" + "".join(f"{round(c * 255):02x}" for c in rgb)


def iso_date(text: str | None) -> str | None:
    """A PDF date (``D:YYYYMMDDHHmmSSOHH'mm'``, any tail optional) as ISO 8601 UTC, or None."""
    match = _DATE.match(text or "")
    if match is None:
        return None
    year, month, day, hour, minute, second, sign, tz_hour, tz_minute = match.groups()
    offset = timedelta(hours=int(tz_hour or 0), minutes=int(tz_minute or 0))
    try:
        zone = timezone(-offset if sign == "-" else offset)
        moment = datetime(
            int(year),
            int(month or 1),
            int(day or 1),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            tzinfo=zone,
        )
    except ValueError:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def flag_names(value: Any) -> list[str]:
    """The Instant ``flags`` for a PDF /F value (absent means 0: not printed)."""
    bits = int(number(value) or 0)
    names = [name for bit, name in _FLAG_BITS if bits & (1 << (bit - 1))]
    if not bits & (1 << (_PRINT_BIT - 1)):
        names.insert(0, "noPrint")
    return names


def plain_number(value: float) -> int | float:
    """``value`` as an int when it is whole (``1.0`` → ``1``), else rounded to 4 decimals."""
    return int(value) if float(value).is_integer() else round(value, 4)


def name_of(value: Any) -> str | None:
    """A PDF name's text, or None when ``value`` is not a name."""
    return str(value) if isinstance(value, Name) else None
