-- Plan versions and their bundle files. A plan version is immutable: importing a changed
-- bundle of the same county and period adds a version; nothing is overwritten.
CREATE TABLE plan_versions (
    id             INTEGER PRIMARY KEY,
    adcode         TEXT    NOT NULL,
    name           TEXT    NOT NULL,
    period_start   INTEGER NOT NULL,
    period_end     INTEGER NOT NULL,
    version        INTEGER NOT NULL,
    content_sha256 TEXT    NOT NULL,
    source         TEXT    NOT NULL,
    imported_at    TEXT    NOT NULL,
    UNIQUE (adcode, period_start, period_end, version)
);

CREATE TABLE plan_files (
    plan_version_id INTEGER NOT NULL REFERENCES plan_versions (id),
    path            TEXT    NOT NULL,
    content         BLOB    NOT NULL,
    PRIMARY KEY (plan_version_id, path)
);

-- Which plan version the system runs on (one row).
CREATE TABLE active_plan (
    singleton       INTEGER PRIMARY KEY CHECK (singleton = 1),
    plan_version_id INTEGER NOT NULL REFERENCES plan_versions (id)
);
