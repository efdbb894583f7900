-- The issuer of a 审查意见书 frozen with its 文号: the bureau's name, the signature titles,
-- the seal caption and the 文号 pattern in force when the number was assigned. Every later
-- download of the opinion uses these, whatever the 机关设置 say by then. Numbers assigned
-- before this migration get their row at their next download (the settings then in force).
-- Rows are never changed or deleted, like the numbers themselves.
CREATE TABLE opinion_issuers (
    review_id INTEGER PRIMARY KEY REFERENCES opinion_numbers (review_id),
    bureau_name TEXT NOT NULL,
    signers_json TEXT NOT NULL,
    seal_caption TEXT NOT NULL,
    opinion_number_pattern TEXT NOT NULL,
    frozen_at TEXT NOT NULL
);

CREATE TRIGGER opinion_issuers_no_update BEFORE UPDATE ON opinion_issuers
BEGIN SELECT RAISE(ABORT, 'opinion issuers are never changed'); END;
CREATE TRIGGER opinion_issuers_no_delete BEFORE DELETE ON opinion_issuers
BEGIN SELECT RAISE(ABORT, 'opinion issuers are never deleted'); END;
