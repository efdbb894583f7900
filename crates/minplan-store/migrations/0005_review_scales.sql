-- The 国土资发〔2004〕208号 production-scale table a review used (its what-if classes mines by
-- it, and the bureau can edit it), so that a replay uses the same rows. NULL for reviews made
-- before this migration: those used the built-in table (ScaleTable::default).
ALTER TABLE reviews ADD COLUMN scales_json TEXT;
