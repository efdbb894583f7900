-- 绿色矿山 (《规划》六（一）; DZ/T 0316-2018 for 砂石): the checklist as versioned files, the
-- companies' self-assessments with their evidence, the bureau's evaluations and the
-- 绿色矿山名录. Every write has its audit row (green_checklist.upload, green_assessment.start,
-- green_assessment.save, green_assessment.submit, green_assessment.evaluate, green_listing.add,
-- green_listing.remove).

-- A checklist file as uploaded (minplan_domain::restoration::green::Checklist); a new upload is a
-- new version, never an edit. Assessments keep the version they used.
CREATE TABLE green_checklists (
    id INTEGER PRIMARY KEY,
    -- 1, 2, … in upload order
    version INTEGER NOT NULL UNIQUE,
    -- file name as uploaded (随附示例清单 for the shipped example)
    source_name TEXT NOT NULL,
    -- the TOML text, as uploaded (re-read with Checklist::parse)
    source_text TEXT NOT NULL,
    -- SHA-256 (hex) of source_text
    sha256 TEXT NOT NULL,
    -- 1 when the file says example = true (示例)
    example INTEGER NOT NULL CHECK (example IN (0, 1)),
    -- RFC 3339 UTC, and the audit actor label
    uploaded_at TEXT NOT NULL,
    actor TEXT NOT NULL
);

-- A mine's self-assessment against one checklist version, then the bureau's evaluation.
CREATE TABLE green_assessments (
    id INTEGER PRIMARY KEY,
    mine_id INTEGER NOT NULL REFERENCES mines (id),
    checklist_id INTEGER NOT NULL REFERENCES green_checklists (id),
    -- draft (自评中) → submitted (评估中) → evaluated (已评估)
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'evaluated')),
    -- YYYY-MM-DD (Beijing): started, submitted
    started_on TEXT NOT NULL,
    submitted_on TEXT,
    -- the evaluation: date, total points, outcome (pass 达标 / fail 不达标), reasons (JSON array
    -- of Chinese sentences), evaluator's audit label; all NULL until evaluated
    evaluated_on TEXT,
    total REAL,
    outcome TEXT CHECK (outcome IN ('pass', 'fail')),
    reasons_json TEXT,
    evaluator TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK ((status = 'evaluated') = (outcome IS NOT NULL))
);
CREATE INDEX green_assessments_mine ON green_assessments (mine_id, id);

-- Per item of an assessment: the company's answer and note, and the bureau's score and note.
CREATE TABLE green_assessment_items (
    assessment_id INTEGER NOT NULL REFERENCES green_assessments (id),
    -- the checklist item's code
    code TEXT NOT NULL,
    -- met 符合 / partly 部分符合 / not_met 不符合; NULL not yet answered
    answer TEXT CHECK (answer IN ('met', 'partly', 'not_met')),
    note TEXT NOT NULL DEFAULT '',
    -- the bureau's score (points) and note; NULL until evaluated
    score REAL,
    score_note TEXT,
    PRIMARY KEY (assessment_id, code)
);

-- Evidence files of an item (JPEG / PNG / PDF by their first bytes, ≤ 10 MB).
CREATE TABLE green_evidence (
    id INTEGER PRIMARY KEY,
    assessment_id INTEGER NOT NULL REFERENCES green_assessments (id),
    code TEXT NOT NULL,
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    content BLOB NOT NULL,
    uploaded_at TEXT NOT NULL
);
CREATE INDEX green_evidence_item ON green_evidence (assessment_id, code);

-- 绿色矿山名录: a mine at a level from date_in (文号) until date_out (off from that day).
CREATE TABLE green_listings (
    id INTEGER PRIMARY KEY,
    mine_id INTEGER NOT NULL REFERENCES mines (id),
    level TEXT NOT NULL CHECK (level IN ('county', 'provincial', 'national')),
    date_in TEXT NOT NULL,
    document_number TEXT NOT NULL,
    date_out TEXT,
    -- the assessment it follows, when there is one
    assessment_id INTEGER REFERENCES green_assessments (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (date_out IS NULL OR date_out > date_in)
);
CREATE INDEX green_listings_mine ON green_listings (mine_id, date_in);
