-- 双随机一公开 (《规划》四（三）3（3）; 《矿业权人勘查开采信息管理办法》自然资源部令第13号):
-- the 执法检查人员名录库 with 回避 relations, the 抽查事项清单, 抽查计划, draws with their
-- commitment and revealed seed, the drawn 抽查对象 and the inspectors assigned to each.

-- 执法检查人员名录库.
CREATE TABLE inspectors (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    -- 执法证号
    badge_no TEXT NOT NULL UNIQUE,
    -- 所在单位
    unit TEXT NOT NULL,
    -- 1 在岗 (drawn), 0 不在岗 (kept on record, never drawn)
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    -- the inspector's login (users.username), when there is one
    username TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- 回避 relations: 'holder' (a rights holder's 统一社会信用代码), 'town' (a 乡镇 name),
-- 'relative' (the 统一社会信用代码 of a relative's company).
CREATE TABLE inspector_recusals (
    id INTEGER PRIMARY KEY,
    inspector_id INTEGER NOT NULL REFERENCES inspectors (id),
    kind TEXT NOT NULL CHECK (kind IN ('holder', 'town', 'relative')),
    value TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    UNIQUE (inspector_id, kind, value)
);

-- 抽查事项清单.
CREATE TABLE inspection_items (
    id INTEGER PRIMARY KEY,
    -- 事项编号, stable (the draw's inputs name items by it)
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    -- 检查依据
    legal_basis TEXT NOT NULL,
    -- 年度抽查比例, percent of the candidates
    proportion_pct REAL NOT NULL CHECK (proportion_pct > 0 AND proportion_pct <= 100),
    -- 抽查频次 as written (每年一次)
    frequency TEXT NOT NULL,
    -- 检查方式: onsite 现场, documents 书面, online 网络
    method TEXT NOT NULL CHECK (method IN ('onsite', 'documents', 'online')),
    -- JSON array of the right kinds it applies to (RightKind's serde names)
    right_kinds TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- 抽查计划 of a year.
CREATE TABLE inspection_plans (
    id INTEGER PRIMARY KEY,
    year INTEGER NOT NULL,
    name TEXT NOT NULL,
    -- the plan's parameters (items, proportion, strata, the register date), JSON
    params_json TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
);

-- A draw of a plan: the commitment is published before the seed is revealed. A redraw is a
-- new row saying why; the one it replaces names it in `superseded_by`.
CREATE TABLE inspection_draws (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES inspection_plans (id),
    -- the published inputs: candidates, inspectors, exclusions, parameters (canonical JSON)
    inputs_json TEXT NOT NULL,
    -- hex SHA-256 commitment, published before drawing
    commitment TEXT NOT NULL,
    -- hex seed, NULL until revealed
    seed TEXT,
    committed_at TEXT NOT NULL,
    drawn_at TEXT,
    -- the draw's result (targets and assignments), JSON, NULL until drawn
    result_json TEXT,
    superseded_by INTEGER REFERENCES inspection_draws (id),
    redraw_reason TEXT
);

-- 抽查对象 drawn (one row per right of a draw).
CREATE TABLE inspection_targets (
    id INTEGER PRIMARY KEY,
    draw_id INTEGER NOT NULL REFERENCES inspection_draws (id),
    plan_id INTEGER NOT NULL REFERENCES inspection_plans (id),
    -- rights.id (许可证号)
    right_id TEXT NOT NULL,
    holder_name TEXT NOT NULL,
    credit_code TEXT,
    -- RightKind's serde name
    right_kind TEXT NOT NULL,
    -- JSON array of inspection_items.code to check
    items_json TEXT NOT NULL,
    UNIQUE (draw_id, right_id)
);
CREATE INDEX inspection_targets_plan ON inspection_targets (plan_id);
CREATE INDEX inspection_targets_credit ON inspection_targets (credit_code);

-- 检查人员 assigned to a target (at least two).
CREATE TABLE inspection_target_inspectors (
    target_id INTEGER NOT NULL REFERENCES inspection_targets (id),
    inspector_id INTEGER NOT NULL REFERENCES inspectors (id),
    PRIMARY KEY (target_id, inspector_id)
);
