"""The SQLite layer engine: documents, base layer, layers, revisions, fork, diff, history."""

from reviewer_app.engine.engine_grading import StoredScheme
from reviewer_app.engine.errors import BadRequest, Conflict, EngineError, NotFound, StorageError
from reviewer_app.engine.grading_scheme import Scheme, read_scheme
from reviewer_app.engine.layer_engine import LayerEngine
from reviewer_app.engine.layers import MAX_NAME_LENGTH, check_shared_name, path_problem
from reviewer_app.engine.model import (
    BASE,
    DEFAULT,
    Change,
    Document,
    LayerChanges,
    LayerCreated,
    LayerDiff,
    LayerInfo,
    Merged,
    OutgoingChange,
    PushOutcome,
    RecordKey,
    ServerVersion,
    SyncLayer,
)
from reviewer_app.engine.picture_rule import PictureNotAllowed, Writer
from reviewer_app.engine.trash import DeletedLayer

__all__ = [
    "BASE",
    "DEFAULT",
    "MAX_NAME_LENGTH",
    "BadRequest",
    "Change",
    "Conflict",
    "DeletedLayer",
    "Document",
    "EngineError",
    "LayerChanges",
    "LayerCreated",
    "LayerDiff",
    "LayerEngine",
    "LayerInfo",
    "Merged",
    "NotFound",
    "OutgoingChange",
    "PictureNotAllowed",
    "PushOutcome",
    "RecordKey",
    "Scheme",
    "ServerVersion",
    "StorageError",
    "StoredScheme",
    "SyncLayer",
    "Writer",
    "check_shared_name",
    "path_problem",
    "read_scheme",
]
