-- An image's learned features (features.learned), kept by content as its descriptor is, for projects ordered with
-- EXEMPLAR_FEATURES=learned: 1,792 little-endian float32 values. format_version names the network and how its
-- input is made; rows of another version are recomputed.
CREATE TABLE learned_features (
    content_hash   TEXT    NOT NULL PRIMARY KEY,
    format_version INTEGER NOT NULL,
    vector         BLOB    NOT NULL,
    created_at     INTEGER NOT NULL
);
