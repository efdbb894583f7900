-- 三同时 and 边开采边治理 (《规划》六（二）1（1）（2）, 六（二）3; issue 15 item 4): the two plans
-- of each mine or application, the 责任书, the 矿山地质环境治理验收, the bureau's setting for
-- “filed together”, the annual reports' 损毁 / 复垦 areas, and the record R14 read in a review.

-- A plan as filed: 矿产资源开发利用方案 or 矿区生态修复方案 (矿山地质环境保护与土地复垦方案),
-- linked to the application (申请编号) it was filed with and/or to the mine; an application's
-- plans reach its mine once the application is registered (applications.used_for → rights.mine_id).
CREATE TABLE mine_plan_filings (
    id INTEGER PRIMARY KEY,
    -- minplan_domain::restoration::schedule::PlanKind label
    kind TEXT NOT NULL CHECK (kind IN ('开发利用方案', '生态修复方案')),
    -- 申请编号 (applications.number, not enforced: a plan may be filed before the review)
    application_number TEXT,
    -- mines.id
    mine_id INTEGER REFERENCES mines (id),
    title TEXT NOT NULL,
    -- 编制单位
    author TEXT NOT NULL,
    -- 报送日期 YYYY-MM-DD
    filed_on TEXT NOT NULL,
    -- 审查/批复日期 and 文号, both or neither
    approved_on TEXT,
    approval_number TEXT,
    -- 生态修复方案 only: budget 万元, service period, yearly plan [[year, 公顷], …]
    budget_wan_yuan REAL,
    from_year INTEGER,
    service_years INTEGER,
    schedule_json TEXT NOT NULL DEFAULT '[]',
    -- the company's latest progress note (方案实施进展) and its date
    progress_note TEXT,
    progress_on TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (application_number IS NOT NULL OR mine_id IS NOT NULL),
    CHECK ((approved_on IS NULL) = (approval_number IS NULL))
);
CREATE INDEX mine_plan_filings_mine ON mine_plan_filings (mine_id, kind);
CREATE INDEX mine_plan_filings_application ON mine_plan_filings (application_number, kind);

-- 矿山地质环境保护与恢复治理责任书, one per mine (a new one replaces it; the audit keeps before/after).
CREATE TABLE mine_responsibility_letters (
    mine_id INTEGER PRIMARY KEY REFERENCES mines (id),
    signed_on TEXT NOT NULL,
    signed_by TEXT NOT NULL,
    document TEXT,
    recorded_at TEXT NOT NULL
);

-- 矿山地质环境治理验收 of a mine (closure needs it, 《规划》六（二）3).
CREATE TABLE mine_restoration_acceptances (
    mine_id INTEGER PRIMARY KEY REFERENCES mines (id),
    accepted_on TEXT NOT NULL,
    accepted_by TEXT NOT NULL,
    document TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);

-- The bureau's setting: the two plans count as filed together when their filing dates are at
-- most this many days apart (0 = the same date). A setting, not a figure of the plan.
CREATE TABLE mine_restoration_settings (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    max_days_apart INTEGER NOT NULL CHECK (max_days_apart >= 0)
);
INSERT INTO mine_restoration_settings (id, max_days_apart) VALUES (1, 0);

-- 本年损毁土地面积 / 本年复垦（治理）面积, 公顷; NULL = 未填报 (reports filed before 0023).
ALTER TABLE annual_reports ADD COLUMN disturbed_ha REAL;
ALTER TABLE annual_reports ADD COLUMN restored_ha REAL;

-- The plans on file R14 read (minplan_domain::restoration::schedule::PlansOnFile as JSON);
-- NULL for reviews stored before 0023 or when the record was not consulted.
ALTER TABLE reviews ADD COLUMN plans_json TEXT;
