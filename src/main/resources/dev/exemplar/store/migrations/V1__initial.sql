-- Exemplar's durable state for one Label Studio instance.
-- Times are milliseconds since the epoch (UTC). JSON columns hold text that json_valid accepts.

CREATE TABLE projects (
    project_id        INTEGER PRIMARY KEY,            -- Label Studio project id
    label_config_hash TEXT,                           -- to notice a changed labelling interface
    image_field       TEXT,                           -- task data field that names the image
    settings_json     TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(settings_json)),
    model_version     TEXT,
    sync_phase        TEXT    NOT NULL DEFAULT 'new',
    progress_done     INTEGER NOT NULL DEFAULT 0,
    progress_total    INTEGER NOT NULL DEFAULT 0,
    summary_size      INTEGER,                        -- of the stored order; NULL before the first one
    last_error        TEXT,
    updated_at        INTEGER NOT NULL
);

CREATE TABLE tasks (
    project_id   INTEGER NOT NULL REFERENCES projects (project_id) ON DELETE CASCADE,
    task_id      INTEGER NOT NULL,
    image_ref    TEXT,                                -- URL or path as the task names it
    content_hash TEXT,                                -- of the image bytes; keys features (no FK: features come later)
    rank         INTEGER,                             -- 0-based place in the order; NULL when not ordered
    role         TEXT CHECK (role IN ('delegate', 'constituent')),
    written_json TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(written_json)), -- data fields last written to Label Studio
    error        TEXT,                                -- why the image could not be read
    updated_at   INTEGER NOT NULL,
    PRIMARY KEY (project_id, task_id)
) WITHOUT ROWID;
CREATE INDEX tasks_by_rank ON tasks (project_id, rank);
CREATE INDEX tasks_by_hash ON tasks (content_hash);

-- Shared by all projects: the same bytes are decoded once whichever project names them.
-- A rowid table because rows are large BLOBs.
CREATE TABLE features (
    content_hash   TEXT    NOT NULL PRIMARY KEY,
    format_version INTEGER NOT NULL,                  -- rows of another version are stale, recomputed on demand
    descriptor     BLOB    NOT NULL,                  -- little-endian float32
    thumbnail      BLOB    NOT NULL,                  -- little-endian float32 planes
    keypoints      BLOB,
    created_at     INTEGER NOT NULL
);

CREATE TABLE links (
    project_id       INTEGER NOT NULL,
    task_id          INTEGER NOT NULL,                -- the constituent
    position         INTEGER NOT NULL,                -- 0 = strongest
    delegate_task_id INTEGER NOT NULL,
    weight           REAL    NOT NULL,
    PRIMARY KEY (project_id, task_id, position),
    FOREIGN KEY (project_id, task_id) REFERENCES tasks (project_id, task_id) ON DELETE CASCADE,
    FOREIGN KEY (project_id, delegate_task_id) REFERENCES tasks (project_id, task_id) ON DELETE CASCADE
) WITHOUT ROWID;
-- label propagation asks: which constituents lean on this delegate, strongest first?
-- weight makes the index covering (with the key's task_id and position), so no lookup into the table.
CREATE INDEX links_by_delegate ON links (project_id, delegate_task_id, weight DESC);

CREATE TABLE duplicates (
    project_id INTEGER NOT NULL,
    group_id   INTEGER NOT NULL,
    task_id    INTEGER NOT NULL,
    PRIMARY KEY (project_id, task_id),                -- a task belongs to one group at most
    FOREIGN KEY (project_id, task_id) REFERENCES tasks (project_id, task_id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX duplicates_by_group ON duplicates (project_id, group_id);

-- No foreign key to projects: a webhook may name a project before it is known, and must never be refused.
CREATE TABLE events (
    id              INTEGER PRIMARY KEY AUTOINCREMENT, -- AUTOINCREMENT: ids are never reused, so received order is id order
    project_id      INTEGER,
    kind            TEXT    NOT NULL,
    payload_json    TEXT    NOT NULL CHECK (json_valid(payload_json)),
    received_at     INTEGER NOT NULL,
    state           TEXT    NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'processing', 'done', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT
);
CREATE INDEX events_due ON events (state, next_attempt_at, id);
CREATE INDEX events_by_project ON events (project_id, state);

CREATE TABLE views (
    project_id INTEGER NOT NULL REFERENCES projects (project_id) ON DELETE CASCADE,
    purpose    TEXT    NOT NULL,                      -- e.g. 'summary', 'duplicates'
    view_id    INTEGER NOT NULL,                      -- Label Studio view (tab) id
    PRIMARY KEY (project_id, purpose)
) WITHOUT ROWID;
