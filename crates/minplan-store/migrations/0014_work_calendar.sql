-- 工作日历: the bureau's entries of a year's holiday arrangement (法定节假日 and 调休), as the
-- text `minplan_domain::calendar::YearArrangement::parse` reads. A stored year replaces the
-- built-in one of the same year; the latest row of a year is in force, earlier rows stay on
-- record (append-only, like the audit row each insert writes beside it).
CREATE TABLE work_calendar_years (
    id INTEGER PRIMARY KEY,
    year INTEGER NOT NULL,
    arrangement TEXT NOT NULL,
    source TEXT NOT NULL,
    entered_by TEXT NOT NULL,
    entered_at TEXT NOT NULL
);
CREATE INDEX work_calendar_years_year ON work_calendar_years (year, id);

CREATE TRIGGER work_calendar_years_no_update BEFORE UPDATE ON work_calendar_years
BEGIN SELECT RAISE(ABORT, 'work_calendar_years is append-only'); END;
CREATE TRIGGER work_calendar_years_no_delete BEFORE DELETE ON work_calendar_years
BEGIN SELECT RAISE(ABORT, 'work_calendar_years is append-only'); END;
