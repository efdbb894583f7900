-- 历史遗留矿山 (《规划》一（一）5, 六（二）4) and 矿山生态修复项目 (一（一）6, 专栏1 重点治理项目).
-- Writes go with their audit rows (legacy_mine.add, legacy_mine.status, legacy_mine.photo,
-- restoration_project.add, restoration_project.accept, restoration.seed).
CREATE TABLE legacy_mines (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    -- 位置: 乡镇 and 村 ('' when not known)
    township TEXT NOT NULL,
    village TEXT NOT NULL DEFAULT '',
    -- 原开采矿种 and 方式 (露天 / 地下)
    mineral TEXT NOT NULL,
    method TEXT NOT NULL CHECK (method IN ('露天', '地下')),
    -- problems found: JSON array of {"kind": 地质灾害隐患|损毁土地|植被破坏|水土流失, "note": ""}
    findings TEXT NOT NULL,
    -- 责任主体; NULL = 无责任主体
    responsible TEXT,
    -- 修复方向 (六（二）4) and the reason
    direction TEXT NOT NULL CHECK (direction IN ('耕地', '林地', '湿地', '草地', '建设用地')),
    reason TEXT NOT NULL,
    -- 示意 (not surveyed)
    schematic INTEGER NOT NULL DEFAULT 0 CHECK (schematic IN (0, 1)),
    -- the coordinates as entered (corner text, or the layer's name) — the record
    entered TEXT NOT NULL,
    -- CGCS2000 lon/lat GeoJSON MultiPolygon (RFC 7946)
    geojson TEXT NOT NULL,
    -- ellipsoidal area (TD/T 1055-2019 附录D), km²
    area_km2 REAL NOT NULL CHECK (area_km2 > 0),
    status TEXT NOT NULL CHECK (status IN ('未治理', '治理中', '已治理', '已验收')),
    -- acceptance (已验收): YYYY-MM-DD, 验收单位, 文号
    accepted_on TEXT,
    accepted_by TEXT,
    acceptance_number TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK ((status = '已验收') = (accepted_on IS NOT NULL))
);

-- photos before (治理前) and after (治理后): JPEG/PNG/PDF ≤ 10 MB with SHA-256
CREATE TABLE legacy_mine_photos (
    id INTEGER PRIMARY KEY,
    legacy_mine_id INTEGER NOT NULL REFERENCES legacy_mines (id),
    phase TEXT NOT NULL CHECK (phase IN ('治理前', '治理后')),
    name TEXT NOT NULL,
    mime TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    bytes BLOB NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX legacy_mine_photos_mine ON legacy_mine_photos (legacy_mine_id);

CREATE TABLE restoration_projects (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    -- 预算 and 已支出, 万元
    budget_wan_yuan REAL NOT NULL CHECK (budget_wan_yuan > 0),
    spent_wan_yuan REAL NOT NULL CHECK (spent_wan_yuan >= 0),
    -- 修复面积, km²
    restored_area_km2 REAL NOT NULL CHECK (restored_area_km2 > 0),
    -- 开工 / 完工, YYYY-MM-DD
    start_on TEXT NOT NULL,
    end_on TEXT,
    -- 重点治理项目 (专栏1), 基线 (2015–2020, 一（一）6), 示意
    key_project INTEGER NOT NULL CHECK (key_project IN (0, 1)),
    baseline INTEGER NOT NULL CHECK (baseline IN (0, 1)),
    schematic INTEGER NOT NULL DEFAULT 0 CHECK (schematic IN (0, 1)),
    accepted_on TEXT,
    accepted_by TEXT,
    acceptance_number TEXT,
    created_at TEXT NOT NULL
);

-- funding by source, 万元; the lines add up to the budget (checked on write)
CREATE TABLE restoration_project_funding (
    project_id INTEGER NOT NULL REFERENCES restoration_projects (id),
    source TEXT NOT NULL CHECK (source IN ('中央财政', '省级财政', '地方财政', '社会资本（谁修复、谁受益）', '企业治理恢复基金')),
    amount_wan_yuan REAL NOT NULL CHECK (amount_wan_yuan > 0),
    PRIMARY KEY (project_id, source)
);

-- sites: a legacy mine, or a mine's disturbed area (exactly one of the two)
CREATE TABLE restoration_project_sites (
    project_id INTEGER NOT NULL REFERENCES restoration_projects (id),
    legacy_mine_id INTEGER REFERENCES legacy_mines (id),
    mine_id INTEGER REFERENCES mines (id),
    CHECK ((legacy_mine_id IS NULL) <> (mine_id IS NULL))
);
CREATE INDEX restoration_project_sites_project ON restoration_project_sites (project_id);
