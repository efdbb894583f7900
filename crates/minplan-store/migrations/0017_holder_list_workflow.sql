-- 矿业权人异常名录 and 严重违法失信名单 as workflows (《规划》四（三）3（3）;
-- 《矿业权人勘查开采信息管理办法》自然资源部令第13号): each entry is 列入 by a decision, the
-- holder files a 移出申请, 执法监察 makes a 核验 (室内核验 / 实地核查) and, when it agrees, the
-- entry is 移出 by a decision. The steps are append-only; `holder_list_entries` (0003, a plain
-- add/remove) is migrated into them and dropped.

-- One entry per 列入 decision; the columns after `listed_on` summarise the steps (kept in the
-- same transaction as each step) so that lists and queues filter without replaying.
CREATE TABLE list_entries (
    id INTEGER PRIMARY KEY,
    -- 'abnormal' 矿业权人异常名录 | 'serious_violation' 严重违法失信名单
    list TEXT NOT NULL CHECK (list IN ('abnormal', 'serious_violation')),
    -- 统一社会信用代码
    credit_code TEXT NOT NULL,
    -- 矿业权人名称 as in the decision
    holder_name TEXT NOT NULL,
    -- 列入事由 code (minplan_domain::supervision::listing::ListingReason::code)
    reason TEXT NOT NULL,
    -- the reason's wording or particulars ('' when none)
    reason_text TEXT NOT NULL DEFAULT '',
    -- 列入决定文号 ('未录入' for entries migrated from 0003, which had none)
    decision_number TEXT NOT NULL,
    -- 列入决定日期 (YYYY-MM-DD), in force from this date
    listed_on TEXT NOT NULL,
    -- 'listed' 在列 | 'applied' 移出申请待核验 | 'approved' 核验同意待移出 | 'removed' 已移出
    status TEXT NOT NULL CHECK (status IN ('listed', 'applied', 'approved', 'removed')),
    -- the open 移出申请's date (YYYY-MM-DD) while status = 'applied'
    applied_on TEXT,
    -- 移出决定日期 (YYYY-MM-DD) once removed
    removed_on TEXT,
    -- 移出决定文号 once removed
    removal_number TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX list_entries_holder ON list_entries (credit_code);

-- Every step of an entry, oldest first; never changed or deleted.
CREATE TABLE list_steps (
    id INTEGER PRIMARY KEY,
    entry_id INTEGER NOT NULL REFERENCES list_entries (id),
    -- 1, 2, … within the entry
    seq INTEGER NOT NULL,
    -- 'listed' 列入 | 'applied' 移出申请 | 'verified' 核验 | 'removed' 移出
    kind TEXT NOT NULL CHECK (kind IN ('listed', 'applied', 'verified', 'removed')),
    -- the step as minplan_domain::supervision::listing::Step (JSON)
    step_json TEXT NOT NULL,
    -- the step's own date (decision, application or 核验 date, YYYY-MM-DD)
    step_date TEXT NOT NULL,
    -- who recorded it (audit actor label: user:<id>:<name>, cli:<user>, system)
    recorded_by TEXT NOT NULL,
    -- when (RFC 3339, UTC)
    recorded_at TEXT NOT NULL,
    UNIQUE (entry_id, seq)
);
CREATE TRIGGER list_steps_no_update BEFORE UPDATE ON list_steps
BEGIN SELECT RAISE(ABORT, 'list steps are never changed'); END;
CREATE TRIGGER list_steps_no_delete BEFORE DELETE ON list_steps
BEGIN SELECT RAISE(ABORT, 'list steps are never deleted'); END;

-- The files attached to a 移出申请 (≤ 10 MB each, checked before writing).
CREATE TABLE list_attachments (
    id INTEGER PRIMARY KEY,
    step_id INTEGER NOT NULL REFERENCES list_steps (id),
    file_name TEXT NOT NULL,
    -- SHA-256 of content, lowercase hex
    sha256 TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    content BLOB NOT NULL
);

-- The bureau's 核验 limit (one row; absent = 10 working days, the bureau's default).
CREATE TABLE list_settings (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    -- working days from the 移出申请 to its 核验
    verification_limit_days INTEGER NOT NULL CHECK (verification_limit_days BETWEEN 1 AND 60),
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);

-- The entries of 0003: listed with their reason (as 其他 with its wording) and since date;
-- removed ones with their removal on the Beijing date of removed_at.
INSERT INTO list_entries (id, list, credit_code, holder_name, reason, reason_text,
                          decision_number, listed_on, status, applied_on, removed_on,
                          removal_number, created_at)
SELECT id, list, credit_code, name, 'other', reason, '未录入', substr(since, 1, 10),
       CASE WHEN removed_at IS NULL THEN 'listed' ELSE 'removed' END, NULL,
       CASE WHEN removed_at IS NULL THEN NULL
            ELSE coalesce(date(removed_at, '+8 hours'), substr(removed_at, 1, 10)) END,
       CASE WHEN removed_at IS NULL THEN NULL ELSE '未录入' END,
       strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
FROM holder_list_entries;

INSERT INTO list_steps (entry_id, seq, kind, step_json, step_date, recorded_by, recorded_at)
SELECT id, 1, 'listed',
       json_object('step', 'listed', 'list', list, 'holder_name', holder_name,
                   'credit_code', credit_code, 'reason', 'other', 'reason_text', reason_text,
                   'decision_number', decision_number, 'decision_date', listed_on),
       listed_on, 'system', created_at
FROM list_entries;

INSERT INTO list_steps (entry_id, seq, kind, step_json, step_date, recorded_by, recorded_at)
SELECT id, 2, 'removed',
       json_object('step', 'removed', 'decision_number', removal_number,
                   'decision_date', removed_on),
       removed_on, 'system', created_at
FROM list_entries WHERE status = 'removed';

DROP TABLE holder_list_entries;
