-- A plan unit is identified by level + unit name + adcode (a 开发区 may carry its host
-- county's adcode): plan versions are numbered within (level, unit_name, adcode, period) by
-- `unit_version`. The old column `version` stays a serial number within (adcode, period),
-- only so that its UNIQUE constraint of 0001 holds (SQLite cannot drop a constraint without
-- rebuilding the table, which the tables referring to plan_versions forbid inside the
-- migration's transaction). Rows stored before this migration get their level and unit name
-- from their bundle when the store opens (unit_name = '' until then).
--
-- Each version also keeps its basis (批准/修改 and the approving document) and dates; a
-- bundle that does not state them has version_kind NULL (未载明) and is in force from
-- 1 January of its period's first year.
ALTER TABLE plan_versions ADD COLUMN level TEXT NOT NULL DEFAULT '县级';
ALTER TABLE plan_versions ADD COLUMN unit_name TEXT NOT NULL DEFAULT '';
ALTER TABLE plan_versions ADD COLUMN unit_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE plan_versions ADD COLUMN version_kind TEXT;
ALTER TABLE plan_versions ADD COLUMN basis_title TEXT;
ALTER TABLE plan_versions ADD COLUMN basis_number TEXT;
ALTER TABLE plan_versions ADD COLUMN basis_issuer TEXT;
ALTER TABLE plan_versions ADD COLUMN approved TEXT;
ALTER TABLE plan_versions ADD COLUMN effective TEXT NOT NULL DEFAULT '';
UPDATE plan_versions SET unit_version = version, effective = printf('%04d-01-01', period_start);
CREATE UNIQUE INDEX plan_versions_unit
    ON plan_versions (level, unit_name, adcode, period_start, period_end, unit_version);
