"""Named engine errors: the user's or the environment's fault, as opposed to our bugs."""

from __future__ import annotations


class EngineError(Exception):
    """Base of every error the engine raises on purpose; the message is one clear line."""


class NotFound(EngineError):
    """A document, layer or record that does not exist."""


class BadRequest(EngineError):
    """Input the engine refuses: an invalid layer name, an invalid record, contradictory options."""


class Conflict(EngineError):
    """The request contradicts the current state: a layer or record that already exists."""


class StorageError(EngineError):
    """The environment failed us: the disk is full, the database is locked or damaged."""
