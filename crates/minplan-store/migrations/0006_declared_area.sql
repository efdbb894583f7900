-- 申报面积 of an application as the applicant wrote it (`0.6752`, `67.52公顷`…), from its
-- latest review; checked against the corners' ellipsoidal area before any review is saved.
-- NULL when the application states none, and for applications reviewed before this
-- migration (their files had no such field).
ALTER TABLE applications ADD COLUMN declared_area TEXT;
