-- What Label Studio's queue holds: the rank key each task carries there, as the last sync read or wrote
-- it, so that the queue can be reordered by writing only the tasks that move; and the tasks an adaptive
-- queue puts first, in order. queue_version counts changes to that front, queue_written the last one
-- written to Label Studio: a change made while a write runs is not lost.
CREATE TABLE rank_keys (
    project_id INTEGER NOT NULL,
    task_id    INTEGER NOT NULL,
    rank_key   TEXT    NOT NULL,
    PRIMARY KEY (project_id, task_id),
    FOREIGN KEY (project_id, task_id) REFERENCES tasks (project_id, task_id) ON DELETE CASCADE
) WITHOUT ROWID;

CREATE TABLE queue_front (
    project_id INTEGER NOT NULL,
    task_id    INTEGER NOT NULL,
    position   INTEGER NOT NULL,
    PRIMARY KEY (project_id, task_id),
    FOREIGN KEY (project_id, task_id) REFERENCES tasks (project_id, task_id) ON DELETE CASCADE
) WITHOUT ROWID;

ALTER TABLE projects ADD COLUMN queue_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE projects ADD COLUMN queue_written INTEGER NOT NULL DEFAULT 0;
