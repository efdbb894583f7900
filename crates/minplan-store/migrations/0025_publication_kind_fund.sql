-- 治理恢复基金公示 (《规划》六（二）5 每年向社会公示): publications.kind gains
-- 'restoration-fund' (PublicationKind::RestorationFund, owned by 生态修复). SQLite cannot widen
-- a CHECK in place, and publication_events and public_rights reference publications (id): the
-- table is rebuilt (https://sqlite.org/lang_altertable.html, "Making Other Kinds Of Table
-- Schema Changes").
--
-- The documented procedure turns foreign keys off around the rebuild, which only takes effect
-- outside a transaction; sqlx-sqlite 0.8.6 runs every migration in a transaction (it ignores a
-- `-- no-transaction` first line), so the rebuild keeps foreign keys ON and defers them to
-- the commit instead (PRAGMA defer_foreign_keys, reset by SQLite at the commit): dropping the
-- old table counts one deferred violation per child row (publication_events, public_rights);
-- inserting the same ids into the new table clears each again, so the commit — which SQLite
-- refuses while any violation is counted — proves every reference still resolves. The rows are
-- kept meanwhile in a temporary copy (the rename must come before the insert, so that the
-- children's references name the table the rows go into).
PRAGMA defer_foreign_keys = ON;
CREATE TEMP TABLE publications_copy AS SELECT * FROM main.publications;
DROP TABLE main.publications;
CREATE TABLE main.publications_new (
    id INTEGER PRIMARY KEY,
    -- PublicationKind::code: rights 矿业权公示, blocks 规划区块, implementation 规划执行情况,
    -- inspections 抽查结果, lists 名录信息, restoration-fund 治理恢复基金公示
    kind TEXT NOT NULL
        CHECK (kind IN ('rights', 'blocks', 'implementation', 'inspections', 'lists',
                        'restoration-fund')),
    -- what it is about, stable per kind ('register', 'blocks', a year, a 抽查计划 id, a list
    -- entry's key); the portal shows the latest published one per subject
    subject_key TEXT NOT NULL,
    -- 标题 as shown to staff and the public
    title TEXT NOT NULL,
    -- the payload (JSON of minplan_domain::disclosure::Payload)
    payload_json TEXT NOT NULL,
    -- hex SHA-256 of payload_json (the audit rows name it instead of copying the payload)
    payload_sha256 TEXT NOT NULL,
    -- rows the public will see (rights, blocks, indicators, targets; 1 list entry; mines)
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
ALTER TABLE publications_new RENAME TO publications;
INSERT INTO main.publications (id, kind, subject_key, title, payload_json, payload_sha256,
    row_count, state, created_by, created_at, submitted_by_user, submitted_by, submitted_at,
    approved_by, approved_at, returned_reason, withdrawn_by, withdrawn_at, withdrawal_reason)
SELECT id, kind, subject_key, title, payload_json, payload_sha256,
    row_count, state, created_by, created_at, submitted_by_user, submitted_by, submitted_at,
    approved_by, approved_at, returned_reason, withdrawn_by, withdrawn_at, withdrawal_reason
FROM temp.publications_copy ORDER BY id;
DROP TABLE temp.publications_copy;
CREATE INDEX publications_kind_state ON publications (kind, state, approved_at);
CREATE INDEX publications_subject ON publications (kind, subject_key);
