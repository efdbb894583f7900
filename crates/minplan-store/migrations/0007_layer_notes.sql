-- What the reader of an imported layer decided and said (format, text encoding and why,
-- CRS from .prj, Z/M dropped), kept with the version. '[]' for versions imported before
-- this migration (GeoJSON only; nothing was decided).
ALTER TABLE control_layer_versions ADD COLUMN notes_json TEXT NOT NULL DEFAULT '[]';
