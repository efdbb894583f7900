-- The register a review read is stored by content instead of whole in every review (issue 17:
-- with a county's 2,000 rights every saved review wrote ≈ 2.5 MB of nearly the same JSON).
-- minplan_store::register_snapshot writes and reads it.
--
-- register_entries: each distinct register entry (a right or a pending application,
-- minplan_domain::rights::MiningRight as compact JSON text) once, under the SHA-256 of that
-- text.
-- register_pages: the register's list of entry digests cut into pages (an entry whose
-- digest's last byte is a multiple of 32 ends a page; at most 256 entries a page), each
-- distinct page once, under the SHA-256 of its concatenated entry digests.
-- reviews.register_pages: the review's pages' digests, 32 bytes each, concatenated, in
-- register order; register_json is then empty. Reviews stored before 0030 keep their
-- register_json and a NULL register_pages. The register read back is the JSON array of the
-- entries in order.
CREATE TABLE register_entries (
    digest     BLOB PRIMARY KEY,          -- SHA-256 of entry_json (32 bytes)
    entry_json TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE register_pages (
    digest        BLOB PRIMARY KEY,       -- SHA-256 of entry_digests (32 bytes)
    entry_digests BLOB NOT NULL           -- 32 bytes per entry, concatenated
) WITHOUT ROWID;

ALTER TABLE reviews ADD COLUMN register_pages BLOB;

-- Stored reviews refer to entries and pages by digest: neither is ever changed or removed.
CREATE TRIGGER register_entries_no_update BEFORE UPDATE ON register_entries
BEGIN
    SELECT RAISE(ABORT, '审查记录引用的登记簿条目不能修改');
END;
CREATE TRIGGER register_entries_no_delete BEFORE DELETE ON register_entries
BEGIN
    SELECT RAISE(ABORT, '审查记录引用的登记簿条目不能删除');
END;
CREATE TRIGGER register_pages_no_update BEFORE UPDATE ON register_pages
BEGIN
    SELECT RAISE(ABORT, '审查记录引用的登记簿条目不能修改');
END;
CREATE TRIGGER register_pages_no_delete BEFORE DELETE ON register_pages
BEGIN
    SELECT RAISE(ABORT, '审查记录引用的登记簿条目不能删除');
END;
