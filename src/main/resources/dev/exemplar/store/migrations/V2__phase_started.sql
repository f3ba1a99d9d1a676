-- When the current sync phase began, so that its status can give a rate and an ETA.
ALTER TABLE projects ADD COLUMN phase_started_at INTEGER;
