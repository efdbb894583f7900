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

-- 勘查开采信息 (《矿业权人勘查开采信息管理办法》自然资源部令第13号): what a rights holder files
-- for a year beyond the annual report's figures, by kind of right
-- (minplan_domain::register::filing::FilingInput); one row per right and year, a correction
-- replaces it and keeps the first filing date (audit rows `filing.file` / `filing.correct`).
CREATE TABLE information_filings (
    id INTEGER PRIMARY KEY,
    -- 许可证号 (rights.id)
    right_id TEXT NOT NULL,
    -- 填报年度 (the year reported on; filed in the next year by 31 March)
    year INTEGER NOT NULL,
    -- 采矿权 / 探矿权, the right's kind when filed
    right_kind TEXT NOT NULL CHECK (right_kind IN ('采矿权', '探矿权')),
    -- 采矿权: 矿山状态 (生产/基建/停产/闭坑), 年消耗资源储量 (the annual report's unit),
    -- 矿山地质环境保护与土地复垦义务履行情况
    mine_status TEXT,
    reserves_consumed REAL,
    restoration TEXT,
    -- 探矿权: 勘查单位名称和地址, 年度勘查投入 (万元), 主要实物工作量, 是否编制勘查成果报告
    -- (0/1), 勘查阶段, 是否及时封填遗留井硐 (0/1, NULL 未说明), 地质资料汇交情况
    explorer TEXT,
    investment_wan_yuan REAL,
    workload TEXT,
    result_report INTEGER CHECK (result_report IN (0, 1)),
    stage TEXT,
    wells_sealed INTEGER CHECK (wells_sealed IN (0, 1)),
    geodata TEXT,
    -- both: 相关费用缴纳情况与其他义务履行情况
    obligations TEXT NOT NULL,
    -- first filed (YYYY-MM-DD, decides 按期/逾期), last corrected
    filed_on TEXT NOT NULL,
    corrected_on TEXT,
    -- filed by staff for the holder (代报)
    on_behalf INTEGER NOT NULL DEFAULT 0 CHECK (on_behalf IN (0, 1)),
    -- the audit actor label of the last writer
    filed_by TEXT NOT NULL,
    UNIQUE (right_id, year)
);
