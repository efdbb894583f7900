-- 证照 (《规划》五（三）4: 证照齐全): the licences a mine holds besides its 采矿许可证 —
-- 安全生产许可证, 排污许可证, 取水许可证, 爆破作业单位许可证 or another named one — with their
-- validity; a correction replaces the row (the audit row `licence.update` keeps before/after).
CREATE TABLE mine_licences (
    id INTEGER PRIMARY KEY,
    -- the mine (mines.id) the licence belongs to
    mine_id INTEGER NOT NULL REFERENCES mines (id),
    -- minplan_domain::register::licences::LicenceKind label: 安全生产许可证, 排污许可证,
    -- 取水许可证, 爆破作业单位许可证, 其他
    kind TEXT NOT NULL CHECK (kind IN ('安全生产许可证', '排污许可证', '取水许可证', '爆破作业单位许可证', '其他')),
    -- the licence's own name when kind = 其他; NULL otherwise
    other_name TEXT,
    -- 证号, as printed
    number TEXT NOT NULL,
    -- 发证机关
    issuer TEXT NOT NULL,
    -- 有效期起 / 有效期止, YYYY-MM-DD, both included
    valid_from TEXT NOT NULL,
    valid_to TEXT NOT NULL,
    -- the scanned licence (≤ 10 MB): file name as uploaded, SHA-256 (hex) and bytes; all NULL
    -- when none was attached
    attachment_name TEXT,
    attachment_sha256 TEXT,
    attachment BLOB,
    -- RFC 3339 UTC
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (valid_to >= valid_from),
    CHECK ((kind = '其他') = (other_name IS NOT NULL))
);
CREATE INDEX mine_licences_mine ON mine_licences (mine_id, kind, valid_to);
