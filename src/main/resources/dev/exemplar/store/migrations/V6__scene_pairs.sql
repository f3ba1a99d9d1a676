-- Scene verification's result for two images by content (the first hash the smaller): the consistent keypoint
-- matches found, in the keypoint format they were found with. A sync never matches the same two images twice.
CREATE TABLE scene_pairs (
    first_hash     TEXT    NOT NULL,
    second_hash    TEXT    NOT NULL,
    format_version INTEGER NOT NULL,
    inliers        INTEGER NOT NULL,
    PRIMARY KEY (first_hash, second_hash)
);
