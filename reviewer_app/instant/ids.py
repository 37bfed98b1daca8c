"""Record ids: ULIDs for new records, stable derived ids for records extracted from a PDF."""

from __future__ import annotations

import hashlib
import os
import threading
import time

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_lock = threading.Lock()
_last_ms = -1
_last_random = 0


def _encode(value: int, length: int) -> str:
    chars = []
    for _ in range(length):
        value, digit = divmod(value, 32)
        chars.append(_CROCKFORD[digit])
    return "".join(reversed(chars))


def new_ulid() -> str:
    """A new ULID: 48 bits of milliseconds then 80 random bits, Crockford base32, 26 characters.

    Monotonic within one process: ids made in the same millisecond sort in creation order.
    """
    global _last_ms, _last_random
    with _lock:
        now = time.time_ns() // 1_000_000
        if now <= _last_ms:
            now = _last_ms
            _last_random = (_last_random + 1) & ((1 << 80) - 1)
        else:
            _last_random = int.from_bytes(os.urandom(10), "big")
        _last_ms = now
        return _encode(now, 10) + _encode(_last_random, 16)


def derived_id(*parts: str | int) -> str:
    """A stable 26-character id (ULID alphabet) derived from ``parts``: same input, same id."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).digest()
    return _encode(int.from_bytes(digest[:17], "big") >> 6, 26)


def is_ulid(text: str) -> bool:
    """Whether ``text`` has the form of a ULID (26 Crockford base32 characters)."""
    return len(text) == 26 and all(c in _CROCKFORD for c in text.upper())
