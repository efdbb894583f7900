-- Indicators the register cannot compute (提供中型矿产地, 清水循环利用率, any manual metric of
-- a plan), entered by 规划科 staff with their evidence. A correction is a new row: the latest
-- row of an indicator and year is its value; earlier rows stay on record. Rows are never
-- updated or deleted (triggers), like the audit trail every insert writes beside them.
CREATE TABLE manual_indicator_values (
    id INTEGER PRIMARY KEY,
    -- plan unit the value belongs to (adcode of the plan version it was entered under)
    adcode TEXT NOT NULL,
    indicator TEXT NOT NULL,
    year INTEGER NOT NULL,
    value REAL NOT NULL,
    -- 依据/证明材料 as the staff wrote it
    evidence TEXT NOT NULL,
    -- name of the attached evidence file, if any (the file is kept by the bureau)
    attachment TEXT,
    -- display name of who entered it, and the audit actor
    entered_by TEXT NOT NULL,
    actor TEXT NOT NULL,
    entered_at TEXT NOT NULL
);
CREATE INDEX manual_indicator_values_key ON manual_indicator_values (adcode, indicator, year);

CREATE TRIGGER manual_indicator_values_no_update BEFORE UPDATE ON manual_indicator_values
BEGIN SELECT RAISE(ABORT, 'manual_indicator_values is append-only'); END;
CREATE TRIGGER manual_indicator_values_no_delete BEFORE DELETE ON manual_indicator_values
BEGIN SELECT RAISE(ABORT, 'manual_indicator_values is append-only'); END;
