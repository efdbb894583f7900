-- 联合审查 of a right to be granted (《规划》四（三）3（1）: 拟出让矿业权项目报同级人民政府同意，
-- 由政府组织自然资源、生态环境等相关部门联合审查，共同会商，经现场踏查依法依规据实划定开采范围):
-- the departments asked and their opinions, the 现场踏查 record with its photos, an adjusted
-- extent (re-reviewed through the ordinary review of the application), the government's 同意.
-- The grant of a 新立 application is refused until it is complete (minplan_store::joint_review).

-- One joint review per application; its 踏查, adjusted extent and 同意 are columns (each
-- recorded once, re-recording replaces them; the audit rows keep every earlier value).
CREATE TABLE joint_reviews (
    -- 申请编号
    application_number TEXT PRIMARY KEY REFERENCES applications (number),
    -- 启动日期 YYYY-MM-DD
    started_on TEXT NOT NULL,
    -- 踏查日期 YYYY-MM-DD; NULL = no 踏查 recorded
    visited_on TEXT,
    -- 参加踏查人员, as written
    visit_people TEXT,
    -- 踏查情况
    visit_findings TEXT,
    -- 调整后的拐点坐标 as entered (NULL = the 踏查 kept the extent)
    adjusted_corners TEXT,
    -- EPSG code of the adjusted corners, when stated
    adjusted_crs INTEGER,
    -- the application's latest review when the extent was adjusted: the re-review is later
    adjusted_base_review_id INTEGER REFERENCES reviews (id),
    -- 调整日期
    adjusted_on TEXT,
    -- 人民政府同意日期; NULL = not yet
    consented_on TEXT,
    -- 同意文号
    consent_document TEXT,
    -- who started it (users.username or the CLI's actor)
    actor TEXT NOT NULL,
    -- RFC 3339
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- The departments asked, with each one's opinion once given.
CREATE TABLE joint_review_departments (
    application_number TEXT NOT NULL REFERENCES joint_reviews (application_number),
    -- the order they were listed in, from 1
    position INTEGER NOT NULL,
    -- 部门名称 (自然资源, 生态环境, …)
    department TEXT NOT NULL,
    -- 同意 | 附条件同意 | 不同意; NULL = 未回复
    opinion TEXT CHECK (opinion IN ('同意', '附条件同意', '不同意')),
    -- 所附条件 (附条件同意) or 理由 (不同意) or remarks
    conditions TEXT,
    -- 意见日期
    answered_on TEXT,
    -- who recorded the opinion
    actor TEXT,
    recorded_at TEXT,
    PRIMARY KEY (application_number, department)
);

-- The files: a department's reply as scanned ('attachment', with its department) and the
-- 踏查 photos ('photo'). JPEG, PNG or PDF by content, at most 10 MB each.
CREATE TABLE joint_review_files (
    id INTEGER PRIMARY KEY,
    application_number TEXT NOT NULL REFERENCES joint_reviews (application_number),
    kind TEXT NOT NULL CHECK (kind IN ('attachment', 'photo')),
    -- the department of an attachment; NULL for a photo
    department TEXT,
    -- the name the file was uploaded under
    file_name TEXT NOT NULL,
    -- image/jpeg | image/png | application/pdf (by its first bytes)
    media_type TEXT NOT NULL,
    bytes BLOB NOT NULL,
    -- hex SHA-256 of bytes
    sha256 TEXT NOT NULL,
    -- 1 = current; 0 = replaced by a later attachment of the same department (kept)
    current INTEGER NOT NULL DEFAULT 1 CHECK (current IN (0, 1)),
    actor TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX joint_review_files_app ON joint_review_files (application_number, kind);
