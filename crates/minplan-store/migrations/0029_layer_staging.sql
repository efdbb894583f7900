-- A layer import is written in two steps (issue 19: long work off the write lock). Its features
-- are checked, buffered and written while other writes go on, in short transactions, under a
-- version row that is still 'staging': not active, not listed, not read by reviews. A last
-- short transaction makes it 'ready' and active, with its audit entry. A staging row left by
-- an import that failed or a process that died is removed by the next import.
ALTER TABLE control_layer_versions ADD COLUMN state TEXT NOT NULL DEFAULT 'ready'
    CHECK (state IN ('staging', 'ready'));

-- The review engine's input version is raised by ready versions only: a staging version is
-- nothing a review reads, and raising it would rebuild every server's engine for nothing.
DROP TRIGGER engine_inputs_control_layer_versions_insert;
DROP TRIGGER engine_inputs_control_layer_versions_update;
DROP TRIGGER engine_inputs_control_layer_versions_delete;

CREATE TRIGGER engine_inputs_control_layer_versions_insert AFTER INSERT ON control_layer_versions
WHEN NEW.state = 'ready'
BEGIN UPDATE engine_inputs SET version = version + 1 WHERE id = 1; END;

CREATE TRIGGER engine_inputs_control_layer_versions_update AFTER UPDATE ON control_layer_versions
WHEN OLD.state = 'ready' OR NEW.state = 'ready'
BEGIN UPDATE engine_inputs SET version = version + 1 WHERE id = 1; END;

CREATE TRIGGER engine_inputs_control_layer_versions_delete AFTER DELETE ON control_layer_versions
WHEN OLD.state = 'ready'
BEGIN UPDATE engine_inputs SET version = version + 1 WHERE id = 1; END;
