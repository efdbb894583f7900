-- Review lists ask, for every review, whether a later one supersedes it
-- (`EXISTS (SELECT 1 FROM reviews s WHERE s.supersedes_id = r.id)`). Without an index that is a
-- scan of all reviews per review: at 24,600 reviews the 工作台 took 105 s and a pool of four
-- connections timed out (issue 19, item 6). With it, each question is one index lookup.
CREATE INDEX IF NOT EXISTS reviews_supersedes ON reviews (supersedes_id);
-- The lists are ordered newest first.
CREATE INDEX IF NOT EXISTS reviews_reviewed_at ON reviews (reviewed_at, id);
