-- The delegate a constituent's propagated label draws on most (-1 for none): the review page groups and pages
-- by it in SQL instead of reading every propagation of the project.
ALTER TABLE propagations ADD COLUMN primary_delegate INTEGER;
UPDATE propagations SET primary_delegate = COALESCE((SELECT CAST(key AS INTEGER) FROM json_each(propagations.sources_json)
                                                     ORDER BY value DESC, id LIMIT 1), -1);
CREATE INDEX propagations_by_delegate ON propagations (project_id, primary_delegate);
