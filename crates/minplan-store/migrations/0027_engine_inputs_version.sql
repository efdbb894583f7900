-- What the review engine reads (the active plan, the imported layers in use, the register of
-- rights and pending applications, the supervision lists, the scale table) has a version that
-- every change to those tables raises, by trigger, whichever process makes it: the web server
-- compares it with the version its in-memory engine was built from and rebuilds when another
-- process (the CLI's `minplan review`, `right import`, `layer import` …) changed them; a saved
-- review records nothing on an engine older than the store (issue 19, item 5).
-- Layer features are not watched one by one: a layer import writes its version row too.
CREATE TABLE engine_inputs (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO engine_inputs (id, version) VALUES (1, 0);

CREATE TRIGGER engine_inputs_rights_insert AFTER INSERT ON rights
BEGIN UPDATE engine_inputs SET version = version + 1 WHERE id = 1; END;

CREATE TRIGGER engine_inputs_rights_update AFTER UPDATE ON rights
BEGIN UPDATE engine_inputs SET version = version + 1 WHERE id = 1; END;

CREATE TRIGGER engine_inputs_rights_delete AFTER DELETE ON rights
BEGIN UPDATE engine_inputs SET version = version + 1 WHERE id = 1; END;

CREATE TRIGGER engine_inputs_applications_insert AFTER INSERT ON applications
BEGIN UPDATE engine_inputs SET version = version + 1 WHERE id = 1; END;

CREATE TRIGGER engine_inputs_applications_update AFTER UPDATE ON applications
BEGIN UPDATE engine_inputs SET version = version + 1 WHERE id = 1; END;

CREATE TRIGGER engine_inputs_applications_delete AFTER DELETE ON applications
BEGIN UPDATE engine_inputs SET version = version + 1 WHERE id = 1; END;

CREATE TRIGGER engine_inputs_reviews_insert AFTER INSERT ON reviews
BEGIN UPDATE engine_inputs SET version = version + 1 WHERE id = 1; END;

CREATE TRIGGER engine_inputs_reviews_update AFTER UPDATE ON reviews
BEGIN UPDATE engine_inputs SET version = version + 1 WHERE id = 1; END;

CREATE TRIGGER engine_inputs_reviews_delete AFTER DELETE ON reviews
BEGIN UPDATE engine_inputs SET version = version + 1 WHERE id = 1; END;

CREATE TRIGGER engine_inputs_control_layer_versions_insert AFTER INSERT ON control_layer_versions
BEGIN UPDATE engine_inputs SET version = version + 1 WHERE id = 1; END;

CREATE TRIGGER engine_inputs_control_layer_versions_update AFTER UPDATE ON control_layer_versions
BEGIN UPDATE engine_inputs SET version = version + 1 WHERE id = 1; END;

CREATE TRIGGER engine_inputs_control_layer_versions_delete AFTER DELETE ON control_layer_versions
BEGIN UPDATE engine_inputs SET version = version + 1 WHERE id = 1; END;

CREATE TRIGGER engine_inputs_list_entries_insert AFTER INSERT ON list_entries
BEGIN UPDATE engine_inputs SET version = version + 1 WHERE id = 1; END;

CREATE TRIGGER engine_inputs_list_entries_update AFTER UPDATE ON list_entries
BEGIN UPDATE engine_inputs SET version = version + 1 WHERE id = 1; END;

CREATE TRIGGER engine_inputs_list_entries_delete AFTER DELETE ON list_entries
BEGIN UPDATE engine_inputs SET version = version + 1 WHERE id = 1; END;

CREATE TRIGGER engine_inputs_list_steps_insert AFTER INSERT ON list_steps
BEGIN UPDATE engine_inputs SET version = version + 1 WHERE id = 1; END;

CREATE TRIGGER engine_inputs_list_steps_update AFTER UPDATE ON list_steps
BEGIN UPDATE engine_inputs SET version = version + 1 WHERE id = 1; END;

CREATE TRIGGER engine_inputs_list_steps_delete AFTER DELETE ON list_steps
BEGIN UPDATE engine_inputs SET version = version + 1 WHERE id = 1; END;

CREATE TRIGGER engine_inputs_scale_table_versions_insert AFTER INSERT ON scale_table_versions
BEGIN UPDATE engine_inputs SET version = version + 1 WHERE id = 1; END;

CREATE TRIGGER engine_inputs_scale_table_versions_update AFTER UPDATE ON scale_table_versions
BEGIN UPDATE engine_inputs SET version = version + 1 WHERE id = 1; END;

CREATE TRIGGER engine_inputs_scale_table_versions_delete AFTER DELETE ON scale_table_versions
BEGIN UPDATE engine_inputs SET version = version + 1 WHERE id = 1; END;

CREATE TRIGGER engine_inputs_active_plan_insert AFTER INSERT ON active_plan
BEGIN UPDATE engine_inputs SET version = version + 1 WHERE id = 1; END;

CREATE TRIGGER engine_inputs_active_plan_update AFTER UPDATE ON active_plan
BEGIN UPDATE engine_inputs SET version = version + 1 WHERE id = 1; END;

CREATE TRIGGER engine_inputs_active_plan_delete AFTER DELETE ON active_plan
BEGIN UPDATE engine_inputs SET version = version + 1 WHERE id = 1; END;

CREATE TRIGGER engine_inputs_plan_versions_insert AFTER INSERT ON plan_versions
BEGIN UPDATE engine_inputs SET version = version + 1 WHERE id = 1; END;

CREATE TRIGGER engine_inputs_plan_versions_update AFTER UPDATE ON plan_versions
BEGIN UPDATE engine_inputs SET version = version + 1 WHERE id = 1; END;

CREATE TRIGGER engine_inputs_plan_versions_delete AFTER DELETE ON plan_versions
BEGIN UPDATE engine_inputs SET version = version + 1 WHERE id = 1; END;
