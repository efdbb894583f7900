-- The operation log is append-only (issue 19, item 10). 0002 refuses UPDATE and DELETE, but
-- `INSERT OR REPLACE` of an existing row deletes it without firing the DELETE trigger, so the
-- newest row could be replaced by one with a recomputed hash. An insert must now take an id
-- above every id present and every id ever assigned: a REPLACE of an existing row is refused
-- before any conflict is resolved (BEFORE INSERT runs first).
CREATE TRIGGER audit_log_append_only BEFORE INSERT ON audit_log
WHEN NEW.id IS NOT NULL AND NEW.id >= 0 AND (
    NEW.id <= COALESCE((SELECT MAX(id) FROM audit_log), 0)
    OR NEW.id <= COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'), 0)
)
BEGIN
    SELECT RAISE(ABORT, '操作日志只能追加：新记录的编号必须大于已有和曾有的全部记录');
END;
