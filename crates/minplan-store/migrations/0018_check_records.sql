-- 检查记录 of the 双随机 抽查对象 and the 整改 that follows (《规划》四（三）3（3）;
-- 《矿业权人勘查开采信息管理办法》自然资源部令第13号: 书面告知, 整改). One record per
-- inspection_targets row (0015); its history is the audit trail (entity `check_record`).

-- 检查记录表: one per 抽查对象.
CREATE TABLE check_records (
    id INTEGER PRIMARY KEY,
    target_id INTEGER NOT NULL UNIQUE REFERENCES inspection_targets (id),
    -- 检查日期, YYYY-MM-DD
    check_date TEXT NOT NULL,
    -- 检查方式: CheckMethod's label (现场检查 / 书面检查 / 网络检查)
    method TEXT NOT NULL,
    -- 检查结论 of the record: the most serious item finding (Finding's label)
    finding TEXT NOT NULL,
    -- 整改期限 asked, working days (NULL when no item is 责令限期整改)
    rectify_days INTEGER,
    -- Stage's label: 已检查 / 整改中 / 企业已报送整改报告 / 验收合格 / 验收不合格，转立案查处
    stage TEXT NOT NULL,
    -- 整改期限 in force, YYYY-MM-DD (NULL when none was set)
    deadline TEXT,
    -- 整改轮次: 1 after the check, +1 after each 验收不合格 with a new deadline; 0 when none
    round INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    -- the audit actor label of who entered it
    created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- 检查事项 and their findings.
CREATE TABLE check_item_findings (
    record_id INTEGER NOT NULL REFERENCES check_records (id),
    -- order on the form, from 1
    position INTEGER NOT NULL,
    -- inspection_items.code
    item_code TEXT NOT NULL,
    -- the item's name when checked
    item_name TEXT NOT NULL,
    -- Finding's label: 合格 / 责令限期整改 / 立案查处 / 移送
    finding TEXT NOT NULL,
    -- 检查情况说明
    note TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (record_id, item_code)
);

-- 到场检查人员 (at least two, among those assigned to the target).
CREATE TABLE check_record_inspectors (
    record_id INTEGER NOT NULL REFERENCES check_records (id),
    inspector_id INTEGER NOT NULL REFERENCES inspectors (id),
    PRIMARY KEY (record_id, inspector_id)
);

-- Evidence files (照片, PDF) of a record, and the files of 整改报告: kept in the database.
CREATE TABLE check_files (
    id INTEGER PRIMARY KEY,
    record_id INTEGER NOT NULL REFERENCES check_records (id),
    -- 'evidence' (检查证据) or 'report' (整改报告附件)
    purpose TEXT NOT NULL CHECK (purpose IN ('evidence', 'report')),
    -- the file name as uploaded
    name TEXT NOT NULL,
    -- 'jpg', 'png' or 'pdf', from the file's first bytes (not its name)
    kind TEXT NOT NULL CHECK (kind IN ('jpg', 'png', 'pdf')),
    -- bytes, at most 10 MB (10 485 760)
    size INTEGER NOT NULL CHECK (size > 0 AND size <= 10485760),
    -- lowercase hex SHA-256 of the bytes
    sha256 TEXT NOT NULL,
    data BLOB NOT NULL,
    uploaded_at TEXT NOT NULL,
    uploaded_by TEXT NOT NULL
);
CREATE INDEX check_files_record ON check_files (record_id);

-- 整改报告 the company files (one per round).
CREATE TABLE rectification_reports (
    id INTEGER PRIMARY KEY,
    record_id INTEGER NOT NULL REFERENCES check_records (id),
    -- the 整改轮次 it answers
    round INTEGER NOT NULL,
    -- 报送日期, YYYY-MM-DD (Beijing)
    reported_on TEXT NOT NULL,
    -- 整改情况
    text TEXT NOT NULL,
    -- check_files.id of the attached file, when one was attached
    file_id INTEGER REFERENCES check_files (id),
    submitted_at TEXT NOT NULL,
    submitted_by TEXT NOT NULL
);

-- 验收 of a 整改报告 by the inspectors.
CREATE TABLE rectification_acceptances (
    id INTEGER PRIMARY KEY,
    record_id INTEGER NOT NULL REFERENCES check_records (id),
    round INTEGER NOT NULL,
    -- 验收日期, YYYY-MM-DD
    accepted_on TEXT NOT NULL,
    -- 'passed' 验收合格, 'retry' 验收不合格重新整改, 'escalate' 验收不合格转立案查处
    decision TEXT NOT NULL CHECK (decision IN ('passed', 'retry', 'escalate')),
    -- the new 整改期限 (retry only), YYYY-MM-DD
    new_deadline TEXT,
    -- 验收意见
    note TEXT NOT NULL DEFAULT '',
    accepted_at TEXT NOT NULL,
    accepted_by TEXT NOT NULL
);
