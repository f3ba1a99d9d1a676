-- Label propagation: where a constituent's label may come from, the annotations people made, and
-- the predictions Exemplar wants on constituents against what Label Studio holds.

-- A constituent's nearest delegates (its links are among them): labels reach it from these.
CREATE TABLE candidates (
    project_id       INTEGER NOT NULL,
    task_id          INTEGER NOT NULL,                -- the constituent
    position         INTEGER NOT NULL,                -- 0 = most similar
    delegate_task_id INTEGER NOT NULL,
    similarity       REAL    NOT NULL,                -- cosine of the engine's descriptors
    PRIMARY KEY (project_id, task_id, position),
    FOREIGN KEY (project_id, task_id) REFERENCES tasks (project_id, task_id) ON DELETE CASCADE,
    FOREIGN KEY (project_id, delegate_task_id) REFERENCES tasks (project_id, task_id) ON DELETE CASCADE
) WITHOUT ROWID;
-- a new label on a delegate asks: which constituents may it reach?
CREATE INDEX candidates_by_delegate ON candidates (project_id, delegate_task_id);

-- Annotations as last seen in webhooks. A deleted one stays as a tombstone, so that a late copy of
-- an older event cannot bring it back; version (Label Studio's updated_at) keeps the newest copy.
CREATE TABLE annotations (
    project_id    INTEGER NOT NULL,
    annotation_id INTEGER NOT NULL,
    task_id       INTEGER,                            -- NULL for a tombstone that came first
    result_json   TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(result_json)),
    cancelled     INTEGER NOT NULL DEFAULT 0,
    deleted       INTEGER NOT NULL DEFAULT 0,
    version       TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (project_id, annotation_id)
) WITHOUT ROWID;
CREATE INDEX annotations_by_task ON annotations (project_id, task_id);

-- One row per constituent that has, had or should have a propagated prediction.
CREATE TABLE propagations (
    project_id    INTEGER NOT NULL,
    task_id       INTEGER NOT NULL,
    wanted_json   TEXT CHECK (wanted_json IS NULL OR json_valid(wanted_json)),   -- {result, score}; NULL: none wanted
    labels_json   TEXT    NOT NULL DEFAULT '[]',      -- the propagated values, for people
    score         REAL,
    sources_json  TEXT    NOT NULL DEFAULT '{}',      -- delegate task id -> weight in the vote
    written_json  TEXT,                               -- what Label Studio holds; NULL: nothing of ours
    prediction_id INTEGER,                            -- NULL when none, or not known after a bulk import
    state         TEXT    NOT NULL DEFAULT 'proposed' CHECK (state IN ('proposed', 'accepted', 'rejected')),
    dirty         INTEGER NOT NULL DEFAULT 0,         -- wanted differs from written
    uncertain     INTEGER NOT NULL DEFAULT 0,         -- a write to Label Studio began and its outcome is not recorded
    updated_at    INTEGER NOT NULL,
    PRIMARY KEY (project_id, task_id)
) WITHOUT ROWID;
CREATE INDEX propagations_to_write ON propagations (project_id, dirty);

ALTER TABLE projects ADD COLUMN label_config TEXT;
-- How /setup said to reach Label Studio, so that work left by a restart resumes before the next /setup.
-- The data directory is the plugin's own (mode 700), as Label Studio's database holds the same key.
ALTER TABLE projects ADD COLUMN ls_url TEXT;
ALTER TABLE projects ADD COLUMN ls_key TEXT;
ALTER TABLE projects ADD COLUMN propagation_note TEXT; -- what propagation cannot do for this project, said once
