-- The bureau's settings (one row) and its numbering: 受理号 and 审查意见书 文号 sequences
-- per year, and the 文号 each opinion received (kept when it is downloaded again).
CREATE TABLE bureau_settings (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    bureau_name TEXT,
    opinion_number_pattern TEXT,
    intake_number_pattern TEXT,
    signers_json TEXT,
    seal_caption TEXT,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);

CREATE TABLE number_sequences (
    kind TEXT NOT NULL CHECK (kind IN ('opinion', 'intake')),
    year INTEGER NOT NULL,
    last INTEGER NOT NULL CHECK (last >= 0),
    PRIMARY KEY (kind, year)
);

CREATE TABLE opinion_numbers (
    review_id INTEGER PRIMARY KEY REFERENCES reviews (id),
    year INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    number TEXT NOT NULL UNIQUE,
    assigned_at TEXT NOT NULL,
    UNIQUE (year, seq)
);

CREATE TRIGGER opinion_numbers_no_update BEFORE UPDATE ON opinion_numbers
BEGIN SELECT RAISE(ABORT, 'opinion numbers are never changed'); END;
CREATE TRIGGER opinion_numbers_no_delete BEFORE DELETE ON opinion_numbers
BEGIN SELECT RAISE(ABORT, 'opinion numbers are never deleted'); END;
