-- What the stored order was built from, so that a sync after a few tasks were added or deleted
-- extends it (the rest keep their places, and Label Studio needs few writes) instead of starting over.
ALTER TABLE projects ADD COLUMN order_options TEXT;     -- the settings the order was made with
ALTER TABLE projects ADD COLUMN order_items INTEGER;    -- items ordered when it was last made afresh
ALTER TABLE projects ADD COLUMN order_drift INTEGER;    -- items added or removed since then

-- Keys from /setup are no longer kept on disk: Label Studio sends /setup again before it predicts,
-- and the configured key (LABEL_STUDIO_API_KEY) is the one to rely on across restarts.
UPDATE projects SET ls_key = NULL;
