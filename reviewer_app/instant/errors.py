"""Named errors for malformed Instant JSON documents and records."""

from __future__ import annotations


class InstantError(ValueError):
    """A malformed Instant JSON document or record; the message is one line saying what is wrong."""
