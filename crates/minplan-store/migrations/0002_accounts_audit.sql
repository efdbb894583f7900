-- Accounts, sessions, login throttling and the audit trail (issue 5).

-- User accounts. No default account exists: the first administrator is made with
-- `minplan user add --role admin NAME`, which asks for a password.
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    display_name  TEXT    NOT NULL,
    role          TEXT    NOT NULL
                  CHECK (role IN ('admin', 'planning', 'approval', 'enforcement', 'restoration', 'company')),
    -- 统一社会信用代码 of the 矿业权人 a 矿山企业 account belongs to; only for that role.
    credit_code   TEXT    CHECK ((role = 'company') = (credit_code IS NOT NULL)),
    -- PHC string, argon2id.
    password_hash TEXT    NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at    TEXT    NOT NULL
);

-- Failed logins, for throttling: per username and per client address within a window.
CREATE TABLE login_failures (
    id       INTEGER PRIMARY KEY,
    username TEXT    NOT NULL,
    ip       TEXT    NOT NULL,
    at_unix  INTEGER NOT NULL
);
CREATE INDEX login_failures_username ON login_failures (username, at_unix);
CREATE INDEX login_failures_ip ON login_failures (ip, at_unix);

-- Web sessions. The schema is the one tower-sessions-sqlx-store 0.15 (`SqliteStore`) uses;
-- it is created here so that every table of the database comes from a migration.
CREATE TABLE tower_sessions (
    id          TEXT    PRIMARY KEY NOT NULL,
    data        BLOB    NOT NULL,
    expiry_date INTEGER NOT NULL
);

-- The audit trail (全过程留痕, GB/T 39972-2021): append-only, hash-chained.
-- AUTOINCREMENT keeps the highest id ever used in sqlite_sequence, so that deleting the
-- newest rows leaves a trace too. `hash` is SHA-256 over the canonical serialisation of all
-- other fields (see minplan-store/src/audit.rs); `prev_hash` is the previous row's hash
-- (64 zeros for the first row).
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TEXT    NOT NULL,
    actor       TEXT    NOT NULL,
    action      TEXT    NOT NULL,
    entity_type TEXT    NOT NULL,
    entity_id   TEXT    NOT NULL,
    before_json TEXT,
    after_json  TEXT,
    prev_hash   TEXT    NOT NULL UNIQUE,
    hash        TEXT    NOT NULL UNIQUE
);
CREATE INDEX audit_log_entity ON audit_log (entity_type, entity_id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, '操作日志只能追加，不能修改');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, '操作日志只能追加，不能删除');
END;
