-- The features of an imported control-layer version, one row each, written as the file is
-- read and checked (a 300,000-parcel farmland layer is never held in memory as one JSON text).
-- Versions imported before this migration keep their features in
-- control_layer_versions.features_json; new versions write '[]' there.
CREATE TABLE control_layer_features (
    version_id INTEGER NOT NULL REFERENCES control_layer_versions(id),
    seq INTEGER NOT NULL,
    feature_json TEXT NOT NULL,
    PRIMARY KEY (version_id, seq)
) WITHOUT ROWID;

-- Remarks on features that were kept (e.g. a ring closed automatically), apart from the
-- features left out (problems_json), so that counts of problem features are right.
ALTER TABLE control_layer_versions ADD COLUMN warnings_json TEXT NOT NULL DEFAULT '[]';
