//! GeoPackage (OGC 12-128r18): read every feature layer of a file given as
//! bytes, and write several polygon layers into one file returned as bytes. The file is an
//! SQLite database, opened in memory (`sqlite3_deserialize`/`sqlite3_serialize`) so that no
//! temporary file is written.
//!
//! Read: `application_id` and the `gpkg_contents`/`gpkg_geometry_columns` tables are checked
//! (a file that is not a GeoPackage is refused by name), `srs_id` → EPSG through
//! `gpkg_spatial_ref_sys` (organisation EPSG, else its WKT definition read by [`crate::prj`]),
//! the binary header and envelope of each geometry decoded ([`crate::wkb`]); an R-tree is
//! neither needed nor used. Write: `application_id` `GPKG`, `user_version` 10200, the three
//! required SRS rows plus EPSG:4490 and the plan's Gauss–Krüger zone, `gpkg_contents` with
//! extents, `gpkg_geometry_columns`, an R-tree spatial index per layer registered in
//! `gpkg_extensions` (with the triggers GDAL defines, which call functions GDAL registers).

use crate::export::{ExportLayer, FieldKind, FieldValue};
use crate::prj;
use crate::wkb::{envelope, gpkg_multipolygon, read_gpkg_blob};
use crate::{ReadError, WriteError};
use minplan_domain::layer::{SourceFeature, SourceGeometry, SourceLayer};
use minplan_geo::Crs;
use rusqlite::{Connection, DatabaseName, OpenFlags, params};
use serde_json::{Map, Value};

/// `application_id` of a GeoPackage: ASCII `GPKG`.
pub const APPLICATION_ID: i32 = 0x4750_4B47;
/// `user_version` written: GeoPackage 1.2.0 (what GDAL 3.x writes and reads without a warning; nothing of 1.3/1.4 is used).
pub const USER_VERSION: i32 = 10200;

/// An in-memory, read-only SQLite database over the caller's bytes (not copied): the
/// connection cannot outlive them.
pub struct Db<'a> {
    conn: Connection,
    _bytes: std::marker::PhantomData<&'a [u8]>,
}

/// Opens GeoPackage bytes as an in-memory, read-only database over those bytes.
fn open<'a>(file: &str, bytes: &'a [u8]) -> Result<Db<'a>, ReadError> {
    if bytes.len() < 100 || &bytes[..16] != b"SQLite format 3\0" {
        return Err(ReadError::at(
            file,
            "不是 GeoPackage（不是 SQLite 数据库文件）",
        ));
    }
    let conn = Connection::open_in_memory_with_flags(
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| ReadError::at(file, e))?;
    // SAFETY: SQLITE_DESERIALIZE_READONLY without FREEONCLOSE or RESIZEABLE: SQLite reads the
    // buffer in place, never writes or frees it; `Db<'a>` keeps the connection from outliving
    // the borrowed bytes.
    let rc = unsafe {
        rusqlite::ffi::sqlite3_deserialize(
            conn.handle(),
            c"main".as_ptr(),
            bytes.as_ptr() as *mut u8,
            bytes.len() as i64,
            bytes.len() as i64,
            rusqlite::ffi::SQLITE_DESERIALIZE_READONLY,
        )
    };
    if rc != rusqlite::ffi::SQLITE_OK {
        return Err(ReadError::at(
            file,
            format!("不是可读的 SQLite 数据库（错误码 {rc}）"),
        ));
    }
    let ok: bool = conn
        .query_row(
            "SELECT count(*) = 2 FROM sqlite_master WHERE type IN ('table','view') AND name IN ('gpkg_contents','gpkg_geometry_columns')",
            [],
            |r| r.get(0),
        )
        .map_err(|e| ReadError::at(file, format!("不是可读的 SQLite 数据库：{e}")))?;
    if !ok {
        return Err(ReadError::at(
            file,
            "不是 GeoPackage（SQLite 数据库中没有 gpkg_contents、gpkg_geometry_columns 表）",
        ));
    }
    Ok(Db {
        conn,
        _bytes: std::marker::PhantomData,
    })
}

/// A feature layer of a GeoPackage.
#[derive(Debug, Clone, PartialEq)]
pub struct GpkgLayerInfo {
    /// Table name.
    pub table: String,
    /// Geometry column.
    pub column: String,
    /// Geometry type name as declared (`MULTIPOLYGON`, `POLYGON`, `GEOMETRY` …).
    pub geometry_type: String,
    /// SRS id.
    pub srs_id: i32,
}

/// The feature layers of a GeoPackage.
///
/// # Errors
/// [`ReadError`] when the file is not a GeoPackage.
pub fn layers(file: &str, bytes: &[u8]) -> Result<Vec<GpkgLayerInfo>, ReadError> {
    let db = open(file, bytes)?;
    list(file, &db.conn)
}

fn list(file: &str, conn: &Connection) -> Result<Vec<GpkgLayerInfo>, ReadError> {
    let mut st = conn
        .prepare(
            "SELECT g.table_name, g.column_name, g.geometry_type_name, g.srs_id FROM gpkg_geometry_columns g
             JOIN gpkg_contents c ON c.table_name = g.table_name ORDER BY g.table_name",
        )
        .map_err(|e| ReadError::at(file, e))?;
    let rows = st
        .query_map([], |r| {
            Ok(GpkgLayerInfo {
                table: r.get(0)?,
                column: r.get(1)?,
                geometry_type: r.get::<_, String>(2)?.to_ascii_uppercase(),
                srs_id: r.get(3)?,
            })
        })
        .map_err(|e| ReadError::at(file, e))?;
    rows.collect::<Result<_, _>>()
        .map_err(|e| ReadError::at(file, e))
}

fn crs_of(file: &str, conn: &Connection, srs_id: i32) -> Result<(Crs, Option<String>), ReadError> {
    let row: Option<(String, i64, String)> = conn
        .query_row(
            "SELECT organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys WHERE srs_id = ?",
            [srs_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .ok();
    let Some((org, code, def)) = row else {
        return Err(ReadError::at(
            file,
            format!("gpkg_spatial_ref_sys 中没有 srs_id {srs_id}"),
        ));
    };
    if org.eq_ignore_ascii_case("EPSG") {
        if code == 4326 {
            return Ok((
                Crs::Geographic,
                Some(
                    "文件为 WGS 84 经纬度（EPSG:4326），按 CGCS2000 读取（两者相差厘米级）".into(),
                ),
            ));
        }
        if let Ok(c) = Crs::from_epsg(code as u32) {
            return Ok((c, None));
        }
    }
    match prj::parse(&def) {
        Ok(p) => Ok((p.crs, p.note)),
        Err(m) => Err(ReadError::at(file, format!("坐标系 {org}:{code}：{m}"))),
    }
}

/// Reads one feature layer (`table`; `None` = the only polygon layer). Every column but the
/// geometry goes into the properties; the primary key gives the id (or `id_property`).
///
/// # Errors
/// [`ReadError`] when the file is not a GeoPackage, the layer does not exist, several polygon
/// layers exist and none is named (the names are listed), or its SRS is not CGCS2000.
pub fn read(
    file: &str,
    bytes: &[u8],
    table: Option<&str>,
    id_property: Option<&str>,
) -> Result<SourceLayer, ReadError> {
    let s = stream(file, bytes, table, id_property)?;
    let features = s.features.collect::<Result<Vec<_>, _>>()?;
    Ok(SourceLayer {
        crs: s.crs,
        features,
        notes: s.notes,
    })
}

/// Rows read per query when streaming.
const PAGE: i64 = 2000;

/// Reads one feature layer page by page (rowid order), as [`read`] does.
///
/// # Errors
/// As [`read`].
pub fn stream<'a>(
    file: &str,
    bytes: &'a [u8],
    table: Option<&str>,
    id_property: Option<&str>,
) -> Result<crate::LayerStream<'a>, ReadError> {
    let db = open(file, bytes)?;
    let conn = &db.conn;
    let all = list(file, conn)?;
    let names = || {
        all.iter()
            .map(|l| l.table.as_str())
            .collect::<Vec<_>>()
            .join("、")
    };
    let info = match table {
        Some(t) => all
            .iter()
            .find(|l| l.table == t)
            .ok_or_else(|| ReadError::at(file, format!("没有图层“{t}”；图层有：{}", names())))?,
        None => {
            let mut polys: Vec<_> = all
                .iter()
                .filter(|l| {
                    l.geometry_type.contains("POLYGON")
                        || l.geometry_type.contains("SURFACE")
                        || l.geometry_type == "GEOMETRY"
                })
                .collect();
            // No polygon layer: a single line layer (corridor centre lines, buffered later).
            if polys.is_empty() {
                polys = all
                    .iter()
                    .filter(|l| {
                        l.geometry_type.contains("LINESTRING") || l.geometry_type.contains("CURVE")
                    })
                    .collect();
            }
            match polys.as_slice() {
                [one] => *one,
                [] => {
                    return Err(ReadError::at(
                        file,
                        format!(
                            "没有面图层（或线图层）；图层有：{}",
                            if all.is_empty() {
                                "（无）".into()
                            } else {
                                names()
                            }
                        ),
                    ));
                }
                _ => {
                    return Err(ReadError::at(
                        file,
                        format!("有多个面图层，请指定一个：{}", names()),
                    ));
                }
            }
        }
    }
    .clone();
    let (crs, crs_note) = crs_of(file, conn, info.srs_id)?;
    let q = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let mut cols: Vec<(String, bool)> = Vec::new(); // (name, pk)
    {
        let mut st = conn
            .prepare(&format!("PRAGMA table_info({})", q(&info.table)))
            .map_err(|e| ReadError::at(file, e))?;
        let rows = st
            .query_map([], |r| {
                Ok((r.get::<_, String>(1)?, r.get::<_, i64>(5)? > 0))
            })
            .map_err(|e| ReadError::at(file, e))?;
        for r in rows {
            cols.push(r.map_err(|e| ReadError::at(file, e))?);
        }
    }
    let zm: bool = conn
        .query_row(
            "SELECT z != 0 OR m != 0 FROM gpkg_geometry_columns WHERE table_name = ?",
            [&info.table],
            |r| r.get(0),
        )
        .unwrap_or(false);
    let mut notes = vec![
        "格式：GeoPackage".to_string(),
        format!(
            "GeoPackage 图层“{}”，按 EPSG:{} 读取",
            info.table,
            crs.epsg()
        ),
    ];
    notes.extend(crs_note);
    if zm {
        notes.push("图层声明带有 Z/M 值，已舍去（只用平面坐标）".into());
    }
    let select: Vec<String> = cols.iter().map(|c| q(&c.0)).collect();
    let sql = format!(
        "SELECT rowid, {} FROM {} WHERE rowid > ? ORDER BY rowid LIMIT {PAGE}",
        select.join(", "),
        q(&info.table)
    );
    let rows = Rows {
        db,
        file: file.to_string(),
        sql,
        cols,
        info,
        id_property: id_property.map(str::to_string),
        last: i64::MIN,
        buf: std::collections::VecDeque::new(),
        n: 0,
        done: false,
    };
    Ok(crate::LayerStream {
        crs: Some(crs),
        notes,
        features: Box::new(rows),
    })
}

/// The features of a layer, read [`PAGE`] rows at a time.
struct Rows<'a> {
    db: Db<'a>,
    file: String,
    sql: String,
    cols: Vec<(String, bool)>,
    info: GpkgLayerInfo,
    id_property: Option<String>,
    last: i64,
    buf: std::collections::VecDeque<SourceFeature>,
    n: usize,
    done: bool,
}

impl Rows<'_> {
    fn page(&mut self) -> Result<(), ReadError> {
        let file = self.file.as_str();
        let mut st = self
            .db
            .conn
            .prepare_cached(&self.sql)
            .map_err(|e| ReadError::at(file, e))?;
        let mut rows = st.query([self.last]).map_err(|e| ReadError::at(file, e))?;
        let mut got = 0;
        while let Some(r) = rows.next().map_err(|e| ReadError::at(file, e))? {
            got += 1;
            self.n += 1;
            self.last = r.get(0).map_err(|e| ReadError::at(file, e))?;
            let mut props = Map::new();
            let mut geometry = Ok(SourceGeometry::Empty);
            let mut pk = None;
            for (k, (name, is_pk)) in self.cols.iter().enumerate() {
                let v = r.get_ref(k + 1).map_err(|e| ReadError::at(file, e))?;
                if *name == self.info.column {
                    geometry = match v {
                        rusqlite::types::ValueRef::Null => Ok(SourceGeometry::Empty),
                        rusqlite::types::ValueRef::Blob(b) => match read_gpkg_blob(b) {
                            Ok(g) if g.srs_id != self.info.srs_id && g.srs_id > 0 => Err(format!(
                                "几何的 srs_id {} 与图层的 {} 不同",
                                g.srs_id, self.info.srs_id
                            )),
                            Ok(g) => g.geometry,
                            Err(m) => Err(m),
                        },
                        _ => Err("几何字段不是二进制".into()),
                    };
                    continue;
                }
                let value = match v {
                    rusqlite::types::ValueRef::Null => Value::Null,
                    rusqlite::types::ValueRef::Integer(i) => Value::from(i),
                    rusqlite::types::ValueRef::Real(x) => {
                        serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
                    }
                    rusqlite::types::ValueRef::Text(t) => {
                        Value::String(String::from_utf8_lossy(t).into_owned())
                    }
                    rusqlite::types::ValueRef::Blob(_) => Value::Null,
                };
                if *is_pk {
                    pk = Some(value.clone());
                }
                props.insert(name.clone(), value);
            }
            let id = self
                .id_property
                .as_deref()
                .and_then(|p| props.get(p))
                .or(pk.as_ref())
                .map(|v| match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .unwrap_or_else(|| format!("#{}", self.n));
            self.buf.push_back(SourceFeature {
                id,
                name: minplan_domain::layer::display_name(&props),
                line: None,
                geometry,
                properties: props,
            });
        }
        if got < PAGE {
            self.done = true;
        }
        Ok(())
    }
}

impl Iterator for Rows<'_> {
    type Item = Result<SourceFeature, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.buf.is_empty()
            && !self.done
            && let Err(e) = self.page()
        {
            self.done = true;
            return Some(Err(e));
        }
        self.buf.pop_front().map(Ok)
    }
}

/// The GeoPackage SRS row of a CRS: (srs_name, srs_id, definition).
fn srs_row(crs: Crs) -> (String, i32, String) {
    let name = match crs {
        Crs::Geographic => "China Geodetic Coordinate System 2000".to_string(),
        Crs::GaussKruger(z) => format!("CGCS2000 / {z}"),
    };
    (name, crs.epsg() as i32, prj::esri_wkt(crs))
}

/// Writes layers into one GeoPackage, each in `crs` (the plan's Gauss–Krüger zone — entered
/// plane values as they are — or lon/lat). `last_change` is the contents' timestamp
/// (`YYYY-MM-DDTHH:MM:SS.SSSZ`, UTC, as the format asks).
///
/// # Errors
/// [`WriteError`] when SQLite refuses a statement (a duplicate layer name, a value of the
/// wrong type).
pub fn write(layers: &[ExportLayer], crs: Crs, last_change: &str) -> Result<Vec<u8>, WriteError> {
    let e = |e: rusqlite::Error| WriteError(format!("GeoPackage 写入失败：{e}"));
    let conn = Connection::open_in_memory().map_err(e)?;
    conn.execute_batch(&format!(
        "PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {USER_VERSION};
        CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
          organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
        CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
          description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
          min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
          CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
        CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
          srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
          CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name), CONSTRAINT uk_gc_table_name UNIQUE (table_name),
          CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
          CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
        CREATE TABLE gpkg_extensions (table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL, definition TEXT NOT NULL,
          scope TEXT NOT NULL, CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name));
        INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system');
        INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system');
        INSERT INTO gpkg_spatial_ref_sys VALUES ('WGS 84 geodetic', 4326, 'EPSG', 4326, 'GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,298.257223563,AUTHORITY[\"EPSG\",\"7030\"]],AUTHORITY[\"EPSG\",\"6326\"]],PRIMEM[\"Greenwich\",0,AUTHORITY[\"EPSG\",\"8901\"]],UNIT[\"degree\",0.0174532925199433,AUTHORITY[\"EPSG\",\"9122\"]],AXIS[\"Latitude\",NORTH],AXIS[\"Longitude\",EAST],AUTHORITY[\"EPSG\",\"4326\"]]', 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid');"
    ))
    .map_err(e)?;
    let mut srs = vec![srs_row(Crs::Geographic)];
    if let Crs::GaussKruger(_) = crs {
        srs.push(srs_row(crs));
    }
    if let Some(z) = layers.first().map(|l| l.zone) {
        let plan = srs_row(Crs::GaussKruger(z));
        if !srs.iter().any(|s| s.1 == plan.1) {
            srs.push(plan);
        }
    }
    for (name, id, def) in &srs {
        conn.execute(
            "INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, 'EPSG', ?, ?, '')",
            params![name, id, id, def],
        )
        .map_err(e)?;
    }
    let srs_id = crs.epsg() as i32;
    let q = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    for layer in layers {
        let t = &layer.name;
        let mut cols = vec![
            "fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL".to_string(),
            "geom MULTIPOLYGON".to_string(),
        ];
        for f in &layer.fields {
            let ty = match f.kind {
                FieldKind::Text => "TEXT",
                FieldKind::Integer => "INTEGER",
                FieldKind::Real(_) => "REAL",
                FieldKind::Date => "DATE",
            };
            cols.push(format!("{} {ty}", q(&f.name)));
        }
        conn.execute_batch(&format!("CREATE TABLE {} ({});", q(t), cols.join(", ")))
            .map_err(e)?;
        let placeholders = vec!["?"; layer.fields.len() + 1].join(", ");
        let names: Vec<String> = layer.fields.iter().map(|f| q(&f.name)).collect();
        let sql = format!(
            "INSERT INTO {} (geom{}{}) VALUES ({placeholders})",
            q(t),
            if names.is_empty() { "" } else { ", " },
            names.join(", ")
        );
        let rtree = format!("rtree_{t}_geom");
        conn.execute_batch(&format!(
            "CREATE VIRTUAL TABLE {} USING rtree(id, minx, maxx, miny, maxy);",
            q(&rtree)
        ))
        .map_err(e)?;
        let mut ext = [
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        {
            let mut ins = conn.prepare(&sql).map_err(e)?;
            let mut ins_rtree = conn
                .prepare(&format!("INSERT INTO {} VALUES (?, ?, ?, ?, ?)", q(&rtree)))
                .map_err(e)?;
            for f in &layer.features {
                let polys = f.coordinates_in(layer.zone, crs);
                let blob = gpkg_multipolygon(srs_id, &polys);
                let mut values: Vec<rusqlite::types::Value> =
                    vec![rusqlite::types::Value::Blob(blob)];
                for v in &f.values {
                    values.push(match v {
                        FieldValue::Null => rusqlite::types::Value::Null,
                        FieldValue::Text(s) => rusqlite::types::Value::Text(s.clone()),
                        FieldValue::Integer(i) => rusqlite::types::Value::Integer(*i),
                        FieldValue::Real(x) => rusqlite::types::Value::Real(*x),
                    });
                }
                ins.execute(rusqlite::params_from_iter(values)).map_err(e)?;
                let fid = conn.last_insert_rowid();
                if let Some(b) = envelope(&polys) {
                    ins_rtree
                        .execute(params![fid, b[0], b[1], b[2], b[3]])
                        .map_err(e)?;
                    ext = [
                        ext[0].min(b[0]),
                        ext[1].max(b[1]),
                        ext[2].min(b[2]),
                        ext[3].max(b[3]),
                    ];
                }
            }
        }
        let ext: [Option<f64>; 4] = if ext[0].is_finite() {
            ext.map(Some)
        } else {
            [None; 4]
        };
        conn.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change, min_x, min_y, max_x, max_y, srs_id)
             VALUES (?, 'features', ?, '', ?, ?, ?, ?, ?, ?)",
            params![t, t, last_change, ext[0], ext[2], ext[1], ext[3], srs_id],
        )
        .map_err(e)?;
        conn.execute(
            "INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', 'MULTIPOLYGON', ?, 0, 0)",
            params![t, srs_id],
        )
        .map_err(e)?;
        conn.execute(
            "INSERT INTO gpkg_extensions VALUES (?, 'geom', 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')",
            params![t],
        )
        .map_err(e)?;
        conn.execute_batch(&rtree_triggers(t)).map_err(e)?;
    }
    conn.execute_batch("VACUUM;").map_err(e)?;
    let data = conn.serialize(DatabaseName::Main).map_err(e)?;
    Ok(data.to_vec())
}

/// The R-tree maintenance triggers of the GeoPackage R-tree extension (as GDAL writes them;
/// they call `ST_IsEmpty`/`ST_MinX`…, which GDAL and SpatiaLite register). Created after the
/// rows are in, so they never run here.
fn rtree_triggers(t: &str) -> String {
    let q = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let r = q(&format!("rtree_{t}_geom"));
    let tt = q(t);
    let trig = |suffix: &str| q(&format!("rtree_{t}_geom_{suffix}"));
    format!(
        "CREATE TRIGGER {ins} AFTER INSERT ON {tt} WHEN (new.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom)) BEGIN INSERT OR REPLACE INTO {r} VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER {upd1} AFTER UPDATE OF geom ON {tt} WHEN OLD.fid = NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom)) BEGIN INSERT OR REPLACE INTO {r} VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER {upd2} AFTER UPDATE OF geom ON {tt} WHEN OLD.fid = NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom)) BEGIN DELETE FROM {r} WHERE id = OLD.fid; END;
CREATE TRIGGER {upd3} AFTER UPDATE ON {tt} WHEN OLD.fid != NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom)) BEGIN DELETE FROM {r} WHERE id = OLD.fid; INSERT OR REPLACE INTO {r} VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER {upd4} AFTER UPDATE ON {tt} WHEN OLD.fid != NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom)) BEGIN DELETE FROM {r} WHERE id IN (OLD.fid, NEW.fid); END;
CREATE TRIGGER {del} AFTER DELETE ON {tt} WHEN old.geom NOT NULL BEGIN DELETE FROM {r} WHERE id = OLD.fid; END;",
        ins = trig("insert"),
        upd1 = trig("update1"),
        upd2 = trig("update2"),
        upd3 = trig("update3"),
        upd4 = trig("update4"),
        del = trig("delete"),
    )
}
