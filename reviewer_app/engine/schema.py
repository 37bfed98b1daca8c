"""The layer database's schema, as numbered migrations (never edit one that has shipped)."""

from __future__ import annotations

MIGRATIONS: list[tuple[int, str, str]] = [
    (
        1,
        "documents, base records, layers, layer records, history",
        """
CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    title TEXT,
    file_name TEXT,
    page_count INTEGER NOT NULL,
    byte_size INTEGER NOT NULL,
    password_protected INTEGER NOT NULL DEFAULT 0,
    skipped TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL
);
CREATE TABLE base_records (
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    ord INTEGER NOT NULL,
    page_index INTEGER,
    content TEXT NOT NULL,
    PRIMARY KEY (document_id, kind, id)
) WITHOUT ROWID;
CREATE TABLE layers (
    id INTEGER PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    uid TEXT NOT NULL UNIQUE,
    revision INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (document_id, name)
);
CREATE TABLE layer_records (
    layer_id INTEGER NOT NULL REFERENCES layers(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    ord INTEGER,
    page_index INTEGER,
    content TEXT,
    created_by TEXT,
    updated_by TEXT,
    grp TEXT,
    revision INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (layer_id, kind, id)
) WITHOUT ROWID;
CREATE INDEX layer_records_by_revision ON layer_records (layer_id, revision);
CREATE TABLE history (
    layer_id INTEGER NOT NULL REFERENCES layers(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    label TEXT NOT NULL,
    items TEXT NOT NULL,
    undone INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    PRIMARY KEY (layer_id, seq)
) WITHOUT ROWID
""",
    ),
    (
        2,
        "sync pushes remembered by idempotency key",
        """
CREATE TABLE sync_pushes (
    layer_id INTEGER NOT NULL REFERENCES layers(id) ON DELETE CASCADE,
    idempotency_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    response TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (layer_id, idempotency_key)
) WITHOUT ROWID
""",
    ),
    (
        3,
        "replica sync state: layers, records' server revisions, conflicts",
        """
CREATE TABLE sync_layers (
    id INTEGER PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    local_uid TEXT,
    server_uid TEXT,
    pulled_revision INTEGER NOT NULL DEFAULT 0,
    pushed_local_revision INTEGER NOT NULL DEFAULT 0,
    pending_key TEXT,
    pending_changes TEXT,
    deleted_on_server INTEGER NOT NULL DEFAULT 0,
    UNIQUE (document_id, name)
);
CREATE TABLE sync_records (
    sync_layer_id INTEGER NOT NULL REFERENCES sync_layers(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    server_revision INTEGER NOT NULL,
    local_revision INTEGER NOT NULL,
    server_record TEXT,
    PRIMARY KEY (sync_layer_id, kind, id)
) WITHOUT ROWID;
CREATE TABLE sync_conflicts (
    id INTEGER PRIMARY KEY,
    sync_layer_id INTEGER NOT NULL REFERENCES sync_layers(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    record_id TEXT NOT NULL,
    server_revision INTEGER NOT NULL,
    server_record TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (sync_layer_id, kind, record_id)
)
""",
    ),
    (
        4,
        "deleted layers kept for undo (the trash)",
        """
CREATE TABLE deleted_layers (
    id INTEGER PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    uid TEXT NOT NULL,
    revision INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT NOT NULL
);
CREATE INDEX deleted_layers_by_document ON deleted_layers (document_id, id);
CREATE TABLE deleted_layer_records (
    deleted_layer_id INTEGER NOT NULL REFERENCES deleted_layers(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    ord INTEGER,
    page_index INTEGER,
    content TEXT,
    created_by TEXT,
    updated_by TEXT,
    grp TEXT,
    revision INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (deleted_layer_id, kind, id)
) WITHOUT ROWID;
CREATE TABLE deleted_layer_history (
    deleted_layer_id INTEGER NOT NULL REFERENCES deleted_layers(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    label TEXT NOT NULL,
    items TEXT NOT NULL,
    undone INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    PRIMARY KEY (deleted_layer_id, seq)
) WITHOUT ROWID
""",
    ),
    (
        5,
        "pictures uploaded to a document through a layer (who may name them)",
        """
CREATE TABLE attachment_uploads (
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    layer TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (document_id, sha256, layer)
) WITHOUT ROWID
""",
    ),
    (
        6,
        "grading: a scheme per document, students' anonymous numbers",
        """
CREATE TABLE grading_schemes (
    document_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    scheme TEXT NOT NULL,
    revision INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    server_revision INTEGER NOT NULL DEFAULT 0,
    unpushed INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE TABLE grading_students (
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    layer TEXT NOT NULL,
    number INTEGER NOT NULL,
    PRIMARY KEY (document_id, layer)
) WITHOUT ROWID
""",
    ),
    (
        7,
        "the comment bank (a teacher's reusable feedback, for every document)",
        """
CREATE TABLE comment_bank (
    id TEXT PRIMARY KEY,
    text TEXT NOT NULL,
    points REAL,
    color TEXT,
    uses INTEGER NOT NULL DEFAULT 0,
    last_used TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
) WITHOUT ROWID
""",
    ),
    (
        8,
        "grading: who is a student, the marks read from each layer revision, bank stamp looks",
        """
CREATE TABLE grading_roles (
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    layer TEXT NOT NULL,
    student INTEGER NOT NULL,
    PRIMARY KEY (document_id, layer)
) WITHOUT ROWID;
CREATE TABLE grading_marks (
    layer_uid TEXT PRIMARY KEY,
    revision INTEGER NOT NULL,
    name TEXT NOT NULL,
    marks TEXT NOT NULL
) WITHOUT ROWID;
ALTER TABLE comment_bank ADD COLUMN stamp TEXT
""",
    ),
    (
        9,
        "grading roles sync: which roles wait to be pushed, and the roles' revisions",
        """
ALTER TABLE grading_roles ADD COLUMN unpushed INTEGER NOT NULL DEFAULT 1;
CREATE TABLE grading_role_revisions (
    document_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    revision INTEGER NOT NULL DEFAULT 0,
    server_revision INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID
""",
    ),
    (
        10,
        "sync pushes by age: forgetting old idempotency keys reads only those",
        """
CREATE INDEX sync_pushes_by_age ON sync_pushes (created_at)
""",
    ),
    (
        11,
        "history labels by state: Undo and Redo are named from an index (the table's row of a "
        "step of thousands of records is megabytes to walk past to its undone flag)",
        """
CREATE INDEX history_labels ON history (layer_id, undone, seq, label)
""",
    ),
    (
        12,
        "who each layer row shows as its author, and an index of them: a layer's count and "
        "authors are read from the index, not from every record's JSON",
        """
ALTER TABLE layer_records ADD COLUMN shown_by TEXT;
UPDATE layer_records SET shown_by = CASE WHEN content IS NULL THEN NULL
    WHEN json_valid(content) THEN coalesce(json_extract(content, '$.creatorName'), created_by, '')
    ELSE coalesce(created_by, '') END;
CREATE INDEX layer_records_authors ON layer_records (layer_id, kind, shown_by);
ALTER TABLE deleted_layer_records ADD COLUMN shown_by TEXT;
UPDATE deleted_layer_records SET shown_by = CASE WHEN content IS NULL THEN NULL
    WHEN json_valid(content) THEN coalesce(json_extract(content, '$.creatorName'), created_by, '')
    ELSE coalesce(created_by, '') END
""",
    ),
]
