-- 矿山地质环境治理恢复基金 (《规划》六（二）1（2）, 六（二）5): each mine's ledger of accruals
-- (计提) and expenditures (使用), the quarterly output value (销售收入) the company reports, the
-- method of the amount due the bureau chose per mine, the bureau's coefficients and 整改 period,
-- the 责令限期整改 orders and the proposals to list a holder in the 异常名录. Amounts in 万元.

-- One ledger entry; never edited (a correction is a new entry with the audit trail).
CREATE TABLE fund_entries (
    id INTEGER PRIMARY KEY,
    mine_id INTEGER NOT NULL REFERENCES mines (id),
    -- minplan_domain::restoration::fund::EntryKind code
    kind TEXT NOT NULL CHECK (kind IN ('accrual', 'expenditure')),
    -- 记账日期, YYYY-MM-DD
    entry_date TEXT NOT NULL,
    amount_wan_yuan REAL NOT NULL CHECK (amount_wan_yuan > 0),
    -- 凭证号
    voucher TEXT NOT NULL,
    -- 用途 (required for an expenditure)
    purpose TEXT NOT NULL,
    -- RFC 3339 UTC, and the audit actor label
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
);
CREATE INDEX fund_entries_mine ON fund_entries (mine_id, entry_date);

-- 销售收入 of a quarter as the company reported it (a later report replaces it).
CREATE TABLE fund_output_values (
    mine_id INTEGER NOT NULL REFERENCES mines (id),
    -- minplan_domain::restoration::fund::Quarter code, e.g. 2026Q1
    quarter TEXT NOT NULL,
    output_wan_yuan REAL NOT NULL CHECK (output_wan_yuan >= 0),
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    PRIMARY KEY (mine_id, quarter)
);

-- The method of the amount due, per mine (DueMethod code); a mine without a row has none chosen.
CREATE TABLE fund_methods (
    mine_id INTEGER PRIMARY KEY REFERENCES mines (id),
    method TEXT NOT NULL CHECK (method IN ('plan_budget', 'output_value')),
    -- first quarter the mine must accrue (e.g. 2021Q1)
    from_quarter TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);

-- The bureau's coefficients (CoefficientKind code, the mineral / method / region name).
CREATE TABLE fund_coefficients (
    kind TEXT NOT NULL CHECK (kind IN ('mineral', 'method', 'region')),
    key TEXT NOT NULL,
    value REAL NOT NULL CHECK (value > 0 AND value <= 1),
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    PRIMARY KEY (kind, key)
);

-- The bureau's 整改 period (working days); no row = DEFAULT_RECTIFICATION_WORKING_DAYS.
CREATE TABLE fund_settings (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    rectification_days INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);

-- 责令限期整改 for a quarter's shortfall.
CREATE TABLE fund_orders (
    id INTEGER PRIMARY KEY,
    mine_id INTEGER NOT NULL REFERENCES mines (id),
    quarter TEXT NOT NULL,
    cumulative_due_wan_yuan REAL NOT NULL,
    shortfall_wan_yuan REAL NOT NULL,
    -- 下达日期 and deadline, YYYY-MM-DD; working_days as set when issued
    issued_on TEXT NOT NULL,
    working_days INTEGER NOT NULL,
    deadline TEXT NOT NULL,
    -- 整改通知书文号
    document TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    UNIQUE (mine_id, quarter)
);

-- 拟列入异常名录 after an order's deadline passed unremedied; confirmed (with the 列入 decision,
-- through the supervision workflow: list_entry_id) or dismissed with a reason.
CREATE TABLE fund_listing_proposals (
    id INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL UNIQUE REFERENCES fund_orders (id),
    holder_name TEXT NOT NULL,
    credit_code TEXT NOT NULL,
    reason_text TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('proposed', 'confirmed', 'dismissed')),
    proposed_on TEXT NOT NULL,
    decided_on TEXT,
    dismiss_reason TEXT,
    list_entry_id INTEGER REFERENCES list_entries (id),
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    decided_by TEXT
);
