-- Closing a pending application without approval (不予受理 / 退回 / 不予批准): the status
-- column takes the new values 不予受理 and 退回 (TEXT, no constraint to change); the closing's
-- date and reason are kept on the application (the audit row records them too). A closed
-- application is no longer pending: R3, R6, R7 and R12 and the lists leave it out.
ALTER TABLE applications ADD COLUMN closed_on TEXT;
ALTER TABLE applications ADD COLUMN closed_reason TEXT;
