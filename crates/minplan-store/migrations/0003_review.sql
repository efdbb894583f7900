-- Conformity review: imported control layers, the register of rights, supervision lists,
-- applications and their reviews. Reviews are never edited: a new review of the same
-- application supersedes the previous one.

-- Control layers imported by the bureau (replace the plan bundle's layer of the same kind).
CREATE TABLE control_layer_versions (
    id             INTEGER PRIMARY KEY,
    kind           TEXT    NOT NULL,          -- ControlLayerKind slug
    name           TEXT    NOT NULL,
    source_file    TEXT    NOT NULL,
    source_crs     INTEGER NOT NULL,          -- EPSG of the file
    buffer_m       REAL,
    features_json  TEXT    NOT NULL,          -- the good features, lon/lat (minplan LayerFeature JSON)
    feature_count  INTEGER NOT NULL,
    problems_json  TEXT    NOT NULL,          -- features left out, with reasons
    content_sha256 TEXT    NOT NULL,
    imported_at    TEXT    NOT NULL,
    active         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX control_layer_versions_kind ON control_layer_versions (kind, active);

-- The register: rights (探矿权/采矿权) as the review needs them.
CREATE TABLE rights (
    id            TEXT PRIMARY KEY,            -- 许可证号
    kind          TEXT NOT NULL,               -- 探矿权 | 采矿权
    status        TEXT NOT NULL,               -- 有效 | 已过期 | 已注销
    name          TEXT NOT NULL,
    holder_name   TEXT NOT NULL,
    credit_code   TEXT,
    minerals_json TEXT NOT NULL,
    capacity      REAL,
    capacity_unit TEXT,
    approval      TEXT,                        -- 省级 | 市级划定 | 本级审批
    valid_from    TEXT,
    valid_to      TEXT,
    geometry_json TEXT NOT NULL,               -- lon/lat polygons
    source        TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

-- 矿业权人异常名录 / 严重违法失信名单.
CREATE TABLE holder_list_entries (
    id          INTEGER PRIMARY KEY,
    list        TEXT NOT NULL CHECK (list IN ('abnormal', 'serious_violation')),
    credit_code TEXT NOT NULL,
    name        TEXT NOT NULL,
    reason      TEXT NOT NULL,
    since       TEXT NOT NULL,
    removed_at  TEXT
);

-- Applications (申请) by number; status follows the latest review and the decision.
CREATE TABLE applications (
    number           TEXT PRIMARY KEY,
    status           TEXT NOT NULL DEFAULT '在审',   -- 在审 | 已批准 | 不予批准 | 撤回
    latest_review_id INTEGER,
    created_at       TEXT NOT NULL
);

CREATE TABLE reviews (
    id                 INTEGER PRIMARY KEY,
    application_number TEXT    NOT NULL REFERENCES applications (number),
    supersedes_id      INTEGER REFERENCES reviews (id),
    plan_version_id    INTEGER NOT NULL REFERENCES plan_versions (id),
    input_toml         TEXT    NOT NULL,
    input_corners      BLOB,
    corner_file_name   TEXT,
    layers_json        TEXT    NOT NULL,
    register_json      TEXT    NOT NULL,
    lists_json         TEXT    NOT NULL,
    config_json        TEXT    NOT NULL,
    result_json        TEXT    NOT NULL,
    conclusion         TEXT    NOT NULL,
    geometry_json      TEXT    NOT NULL,       -- the application's lon/lat polygons (for 空间查重 of pending applications)
    reviewed_at        TEXT    NOT NULL,
    actor              TEXT    NOT NULL
);
CREATE INDEX reviews_application ON reviews (application_number);
