-- 信息公示 (《规划》四（三）3（3） 信息公示、双随机一公开; 七（四） 定期公布规划执行情况): what the
-- bureau publishes moves 草稿 → 待审核 → 已公开 → 已撤回 (退回修改: back to 草稿), each step by
-- role and audited (minplan_domain::disclosure). The public portal reads only 已公开 rows.

-- One publication: its kind, what it is about, and the payload the public sees (a typed
-- minplan_domain::disclosure::Payload as JSON; frozen from submission on).
CREATE TABLE publications (
    id INTEGER PRIMARY KEY,
    -- PublicationKind::code: rights 矿业权公示, blocks 规划区块, implementation 规划执行情况,
    -- inspections 抽查结果, lists 名录信息
    kind TEXT NOT NULL
        CHECK (kind IN ('rights', 'blocks', 'implementation', 'inspections', 'lists')),
    -- what it is about, stable per kind ('register', 'blocks', a year, a 抽查计划 id, a list
    -- entry's key); the portal shows the latest published one per subject
    subject_key TEXT NOT NULL,
    -- 标题 as shown to staff and the public
    title TEXT NOT NULL,
    -- the payload (JSON of minplan_domain::disclosure::Payload)
    payload_json TEXT NOT NULL,
    -- hex SHA-256 of payload_json (the audit rows name it instead of copying the payload)
    payload_sha256 TEXT NOT NULL,
    -- rows the public will see (rights, blocks, indicators, targets; 1 list entry)
    row_count INTEGER NOT NULL,
    -- PublicationState::code: draft 草稿, pending 待审核, published 已公开, withdrawn 已撤回
    state TEXT NOT NULL CHECK (state IN ('draft', 'pending', 'published', 'withdrawn')),
    -- the audit actor who prepared the draft, and when (RFC 3339 UTC)
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    -- the last submission: the account (users.id, for the four-eyes check), actor, time
    submitted_by_user INTEGER,
    submitted_by TEXT,
    submitted_at TEXT,
    -- the approval (审核通过并公开)
    approved_by TEXT,
    approved_at TEXT,
    -- the last 退回修改's reason (cleared on the next submission)
    returned_reason TEXT,
    -- the withdrawal (撤回) and its reason, shown on the portal
    withdrawn_by TEXT,
    withdrawn_at TEXT,
    withdrawal_reason TEXT
);
CREATE INDEX publications_kind_state ON publications (kind, state, approved_at);
CREATE INDEX publications_subject ON publications (kind, subject_key);

-- Every step of every publication, append-only (the history on its page).
CREATE TABLE publication_events (
    id INTEGER PRIMARY KEY,
    publication_id INTEGER NOT NULL REFERENCES publications (id),
    -- draft 生成草稿, redraft 重新生成, submit 提交审核, approve 审核通过并公开,
    -- return 退回修改, withdraw 撤回
    step TEXT NOT NULL
        CHECK (step IN ('draft', 'redraft', 'submit', 'approve', 'return', 'withdraw')),
    -- the audit actor
    actor TEXT NOT NULL,
    -- RFC 3339 UTC
    at TEXT NOT NULL,
    -- reason of a 退回修改 or 撤回, '' otherwise
    reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX publication_events_of ON publication_events (publication_id);
CREATE TRIGGER publication_events_no_update BEFORE UPDATE ON publication_events
BEGIN SELECT RAISE(ABORT, 'publication_events is append-only'); END;
CREATE TRIGGER publication_events_no_delete BEFORE DELETE ON publication_events
BEGIN SELECT RAISE(ABORT, 'publication_events is append-only'); END;

-- The public rows of an approved 矿业权公示 (written in the approval's transaction), so that
-- the portal pages, searches and filters them in SQL; the portal reads the rows of the
-- latest approved, not withdrawn, 矿业权公示.
CREATE TABLE public_rights (
    publication_id INTEGER NOT NULL REFERENCES publications (id),
    -- 许可证号
    licence_no TEXT NOT NULL,
    -- 矿业权人 (an enterprise)
    holder_name TEXT NOT NULL,
    -- 矿山（项目）名称
    name TEXT NOT NULL,
    -- 探矿权 / 采矿权
    kind TEXT NOT NULL,
    -- 矿种, joined with '、'
    minerals TEXT NOT NULL,
    -- 面积, km² (NULL: 无数据)
    area_km2 REAL,
    -- 有效期起 / 止, YYYY-MM-DD or NULL
    valid_from TEXT,
    valid_to TEXT,
    -- 状态 as published (有效, 已过期, 已注销 …)
    status TEXT NOT NULL,
    -- GeoJSON geometry, CGCS2000 lon/lat; NULL when the register holds none
    geometry_json TEXT,
    UNIQUE (publication_id, licence_no)
);
CREATE INDEX public_rights_holder ON public_rights (publication_id, holder_name);
CREATE INDEX public_rights_kind_status ON public_rights (publication_id, kind, status, licence_no);

-- The bureau's setting of how many working days after the checks 抽查结果 must be public
-- (default 20 when no row): append-only, the latest row is in force.
CREATE TABLE publication_settings (
    id INTEGER PRIMARY KEY,
    results_within_days INTEGER NOT NULL CHECK (results_within_days BETWEEN 1 AND 200),
    set_by TEXT NOT NULL,
    set_at TEXT NOT NULL
);
