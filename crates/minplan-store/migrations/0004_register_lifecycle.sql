-- Register lifecycle (issue 6): mines, the events of every right with the state after each,
-- decisions and grants of applications, annual reports of mines, the editable
-- production-scale table (国土资发〔2004〕208号) and monitoring settings.

-- 矿山: a mine links its rights (探矿权 → 采矿权, renewed licences) and its annual reports.
CREATE TABLE mines (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    block_number TEXT,                    -- 规划区块编号 the review placed it in, if any
    created_at   TEXT NOT NULL
);

ALTER TABLE rights ADD COLUMN mine_id INTEGER REFERENCES mines (id);
ALTER TABLE rights ADD COLUMN state_json TEXT;   -- the current RightState (minplan JSON); NULL for rights imported before 0004

-- Every event of a right, with its effective date and the state after it. Never edited.
CREATE TABLE right_events (
    id             INTEGER PRIMARY KEY,
    right_id       TEXT    NOT NULL REFERENCES rights (id),
    seq            INTEGER NOT NULL,
    kind           TEXT    NOT NULL,     -- import | register | extend | change | transfer | mortgage | mortgage_release | closure_report | close | cancel
    effective_date TEXT,                 -- YYYY-MM-DD; NULL = in force since ever (an import without dates)
    state_json     TEXT    NOT NULL,
    detail_json    TEXT    NOT NULL,
    actor          TEXT    NOT NULL,
    recorded_at    TEXT    NOT NULL,
    UNIQUE (right_id, seq)
);
CREATE TRIGGER right_events_no_update BEFORE UPDATE ON right_events
BEGIN SELECT RAISE(ABORT, 'right_events is append-only'); END;
CREATE TRIGGER right_events_no_delete BEFORE DELETE ON right_events
BEGIN SELECT RAISE(ABORT, 'right_events is append-only'); END;

-- The decision on an application (批准 / 不予批准), with the manual checks accepted.
CREATE TABLE application_decisions (
    application_number TEXT PRIMARY KEY REFERENCES applications (number),
    approve            INTEGER NOT NULL,
    decided_on         TEXT    NOT NULL,
    review_id          INTEGER NOT NULL REFERENCES reviews (id),
    accepted_checks    TEXT,
    reason             TEXT,
    actor              TEXT    NOT NULL,
    recorded_at        TEXT    NOT NULL
);

-- 出让 of an approved application.
CREATE TABLE grants (
    application_number TEXT PRIMARY KEY REFERENCES applications (number),
    method             TEXT    NOT NULL,   -- 招标 | 拍卖 | 挂牌 | 协议
    net_mineral        INTEGER NOT NULL,   -- 净矿出让
    price_wan_yuan     REAL    NOT NULL,
    granted_on         TEXT    NOT NULL,
    contract           TEXT,
    recorded_at        TEXT    NOT NULL
);

-- The right an application was used for (registration, change, transfer, extension).
ALTER TABLE applications ADD COLUMN used_for TEXT;

-- 开发利用统计年报 per mine and year.
CREATE TABLE annual_reports (
    id                  INTEGER PRIMARY KEY,
    mine_id             INTEGER NOT NULL REFERENCES mines (id),
    year                INTEGER NOT NULL,
    right_id            TEXT    NOT NULL,
    credit_code         TEXT,
    mineral             TEXT    NOT NULL,
    extraction          REAL    NOT NULL,   -- amount in unit (万立方米 / 万吨)
    unit                TEXT    NOT NULL,
    output_value        REAL    NOT NULL,   -- 万元
    staff               INTEGER NOT NULL,
    mining_recovery     REAL,               -- 开采回采率 %
    processing_recovery REAL,               -- 选矿回收率 %
    utilisation         REAL,               -- 综合利用率 %
    water_reuse         REAL,               -- 清水循环利用率 %
    filed_on            TEXT    NOT NULL,   -- first filed (decides lateness)
    corrected_on        TEXT,
    on_behalf           INTEGER NOT NULL,   -- 代报 by staff
    filed_by            TEXT    NOT NULL,
    note                TEXT,
    UNIQUE (mine_id, year)
);

-- 国土资发〔2004〕208号 production-scale table, versioned; the newest version is in use.
CREATE TABLE scale_table_versions (
    id         INTEGER PRIMARY KEY,
    source     TEXT NOT NULL,
    rows_json  TEXT NOT NULL,   -- [{mineral, unit, large_min, medium_min}]
    created_at TEXT NOT NULL,
    actor      TEXT NOT NULL
);

-- Settings (monitoring.warn_ratio, …).
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
