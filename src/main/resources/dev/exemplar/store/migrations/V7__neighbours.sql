-- The neighbour graph the order was built on, which labels spread over: one row a task with its whole
-- list in one BLOB (per neighbour, most similar first: its task id as int64 then the cosine similarity as
-- float32, little-endian; 12 bytes), so a project's graph is n rows of 240 bytes, not 20 n rows, and is
-- read in one query. Written with the order, in its transaction.
CREATE TABLE neighbours (
    project_id INTEGER NOT NULL,
    task_id    INTEGER NOT NULL,
    list       BLOB    NOT NULL,
    PRIMARY KEY (project_id, task_id),
    FOREIGN KEY (project_id, task_id) REFERENCES tasks (project_id, task_id) ON DELETE CASCADE
) WITHOUT ROWID;
