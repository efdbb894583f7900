//! Corner coordinates (拐点坐标): reading what people paste, finding what is wrong, and the
//! official area.
//!
//! # Data flow
//!
//! ```text
//! bytes ──decode (GBK/UTF-8/BOM)──► text ──detect layout──► layout reader ──► raw rings
//!   ──interpret (datum, zone, prefix, X/Y swap)──► CornerReport { blocks, problems }
//!   ──validate (closure, repeats, crossings, holes, overlaps, region)──► + problems
//!   ──areas (plane shoelace; TD/T 1055-2019 附录D)──► CornerReport.areas
//!   ──CornerPoints::try_from──► a value that is valid by construction
//! ```
//!
//! # Layouts read ([`Layout`])
//!
//! * the MNR submission (报盘) layout: a header line, point rows `点号,X,Y, , ,` and ring
//!   terminators `*,起标高,止标高,名称,圈属性,` (圈属性 `1` = outer ring 外圈, `-1` = inner
//!   ring 内圈/挖空);
//! * the `XYnnn=点号,X,Y` / `XYnnn=标高,上限,下限,名称,圈属性` key=value submission file;
//! * announcement tables pasted from a web page, Word or Excel, read by structure (the
//!   `table` module): cells by their digits, segment-name columns, several points per row,
//!   one cell per line, `|` tables, several tables, two pairs of columns per point;
//! * geographic tables: DMS (`131°09′12.345″`, `131 09 12.345`, `1310912.345`), `ddd.mmss`
//!   when declared, decimal degrees;
//! * GeoJSON (RFC 7946) and WKT `POLYGON`/`MULTIPOLYGON`.
//!
//! # Coordinates
//!
//! The record keeps the entered text ([`CornerPoint::x_text`], [`CornerPoint::y_text`]).
//! Plane coordinates follow Chinese tables: **X = northing, Y = easting** (with the zone
//! prefix when the table has one). Geometry inside this module works in **(easting,
//! northing)** order, metres, in the Gauss–Krüger zone of the report. Display output is
//! longitude/latitude in RFC 7946 order with exterior rings counter-clockwise.
//!
//! This module is pure: it takes bytes or text and returns values. No files, no clock.

mod accounted;
mod dms;
mod elevation;
mod geojson;
mod interpret;
mod layout_kv;
mod layout_mnr;
mod points;
mod raw;
mod report_json;
mod stated;
mod table;
mod text;
mod validate;
mod wkt;

pub use accounted::{Unaccounted, decoded_text, unaccounted as unaccounted_numbers};
pub use dms::{AngleError, parse_angle};
pub use points::CornerPoints;
pub use stated::{Agreement, StatedArea, StatedCount, StatedFigures};
pub use stated::{AreaComparison, check_declared_area, compare_area, parse_declared_area};
pub use validate::{PlaneRing, ValidateOptions, distance_to_ring, point_in_ring, validate_rings};

use crate::crs::{Crs, GaussKrugerZone};
use serde::Serialize;

/// What the reader found the input to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    /// MNR submission layout: `点号,X,Y, , ,` rows and `*,起标高,止标高,名称,圈属性,` terminators.
    MnrSubmission,
    /// MNR key=value submission file: `XYnnn=点号,X,Y`, `XYnnn=标高,上限,下限,,圈属性`.
    MnrKeyValue,
    /// A free-form table of plane coordinates (`点号 X Y`, one or more points per row).
    PlaneTable,
    /// A free-form table of geographic coordinates (DMS, `ddd.mmss` or decimal degrees).
    GeographicTable,
    /// GeoJSON (RFC 7946).
    GeoJson,
    /// WKT `POLYGON` / `MULTIPOLYGON`.
    Wkt,
    /// Nothing recognisable.
    Unknown,
}

impl Layout {
    /// Chinese name for users.
    pub fn label_zh(&self) -> &'static str {
        match self {
            Layout::MnrSubmission => "自然资源部报盘格式（点号,X,Y / *,起标高,止标高,名称,圈属性）",
            Layout::MnrKeyValue => "自然资源部报盘键值格式（XYnnn=点号,X,Y）",
            Layout::PlaneTable => "平面坐标表（点号 X Y）",
            Layout::GeographicTable => "经纬度坐标表",
            Layout::GeoJson => "GeoJSON",
            Layout::Wkt => "WKT",
            Layout::Unknown => "无法识别",
        }
    }
}

/// Geodetic datum (大地基准) of the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Datum {
    /// 2000 国家大地坐标系 (CGCS2000), required for mining rights since 2018.
    Cgcs2000,
    /// 1980 西安坐标系 (Xi'an 80).
    Xian1980,
    /// 1954 北京坐标系 (Beijing 54).
    Beijing1954,
    /// WGS 84 (GPS, RFC 7946 GeoJSON).
    Wgs84,
    /// A local or independent system (地方/独立坐标系).
    Local,
}

impl Datum {
    /// Chinese name.
    pub fn label_zh(&self) -> &'static str {
        match self {
            Datum::Cgcs2000 => "2000国家大地坐标系（CGCS2000）",
            Datum::Xian1980 => "1980西安坐标系",
            Datum::Beijing1954 => "1954北京坐标系",
            Datum::Wgs84 => "WGS 84",
            Datum::Local => "地方（独立）坐标系",
        }
    }
}

/// How undeclared-looking geographic numbers such as `131.0912345` are to be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum GeographicFormat {
    /// Decimal degrees (the default).
    #[default]
    DecimalDegrees,
    /// `ddd.mmssss…`: degrees, then two digits of minutes and the seconds (common in survey
    /// software and calculators); must be declared, it cannot be told from decimal degrees.
    DddMmss,
}

/// The plan's region (规划区域): the county outline and its default zone.
#[derive(Debug, Clone, PartialEq)]
pub struct Region {
    /// Name for messages, e.g. `绥芬河市`.
    pub name: String,
    /// Outline polygon rings, each `(lon, lat)` in degrees (CGCS2000), exterior first.
    pub outline_lonlat: Vec<Vec<(f64, f64)>>,
    /// The plan's default zone, e.g. 3° zone 44 with prefix (EPSG:4532).
    pub zone: GaussKrugerZone,
    /// How far outside the outline a point may lie before it is reported, metres.
    pub tolerance_m: f64,
}

/// What the caller knows that the input may not say.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ParseOptions {
    /// The Gauss–Krüger zone, when given explicitly (`--zone 44`). Overrides nothing the input
    /// states: a conflicting prefix is reported.
    pub zone: Option<GaussKrugerZone>,
    /// The datum, when given explicitly (`--datum cgcs2000`, or implied by `--crs 4532`).
    pub datum: Option<Datum>,
    /// The plan's region: enables the outside-region check and supplies a default zone.
    pub region: Option<Region>,
    /// How to read geographic numbers; `None` = decimal degrees unless the input declares
    /// `ddd.mmss`.
    pub geographic_format: Option<GeographicFormat>,
}

/// Error or warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// 提示: reported, does not block (e.g. a ring closed automatically).
    Warning,
    /// 错误: the corner set cannot be used as it stands.
    Error,
}

impl Severity {
    /// `错误` or `提示`.
    pub fn label_zh(&self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "提示",
        }
    }
}

/// Every kind of problem the reader and the checks report. Serialized in snake_case.
///
/// The severity of each kind is documented on the variant; some kinds are a warning in one
/// situation and an error in another, as stated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// A ring whose format requires closure (GeoJSON, WKT) does not end on its first point.
    /// Closed automatically. Warning.
    UnclosedRing,
    /// The same coordinates appear twice in a ring (consecutively or not). Error; a warning
    /// when the last point repeats the first under another label (read as the closure).
    RepeatedPoint,
    /// Two different points carry the same label in one ring. Error.
    DuplicateLabel,
    /// A ring has fewer than 3 distinct points. Error.
    TooFewPoints,
    /// Two edges of a ring cross or touch. Error.
    SelfIntersection,
    /// A hole (圈属性 −1) is not inside its shell. Error.
    HoleOutsideShell,
    /// Two rings of the input overlap (shared area above 0.01 m²). Error.
    RingsOverlap,
    /// Header words contradict the values (经度/纬度 over 7- and 8-digit plane coordinates,
    /// or longitude and latitude columns the other way round); the values are trusted.
    /// Warning.
    HeaderMismatch,
    /// Geographic numbers that read both as decimal degrees and as `ddd.mmss` with no
    /// declaration; the reading chosen and why is stated. Warning.
    AmbiguousNotation,
    /// An export placeholder row (`| 11 | 0 | 0 |`), skipped. Warning.
    PlaceholderRow,
    /// A point given in two pairs of columns (plane and geographic) whose two positions
    /// differ by more than 0.05 m. Error.
    PairsDisagree,
    /// A coordinate-shaped number that the layout reader neither read into a point nor
    /// named in a problem; caught by the last check of "nothing silently dropped"
    /// ([`unaccounted_numbers`]). Error.
    UnaccountedNumber,
    /// A number contains masked digits (`*`) or other non-numeric characters. Error.
    JunkInNumber,
    /// A coordinate is missing from a row. Error.
    MissingValue,
    /// A number is not a plausible coordinate (digit count). Error.
    ImplausibleCoordinate,
    /// X and Y are entered the wrong way round. Error.
    XySwapped,
    /// Y has no zone prefix: error when no zone is given, warning when the plan region's zone
    /// is used.
    ZonePrefixMissing,
    /// The zone prefix is not a CGCS2000 zone, disagrees with the given zone, varies between
    /// points, or puts the points outside the plan region when the plan's zone does not. Error.
    ZonePrefixWrong,
    /// A point lies outside the plan region by more than the tolerance. Error.
    OutsideRegion,
    /// Geographic coordinates outside China's Gauss–Krüger zones (75°E–135°E). Error.
    OutsideZoneRange,
    /// The input states a datum other than CGCS2000 (Xi'an 80, Beijing 54, local). Error. For
    /// WGS 84 GeoJSON (RFC 7946) this is a warning: WGS 84 and CGCS2000 agree to a few
    /// centimetres, far below the 4-decimal km² of an official area.
    DatumNotCgcs2000,
    /// The input does not say its datum and nothing implies it. Error.
    DatumNotStated,
    /// The input states a datum or zone that contradicts the one given by the caller. Error.
    DatumConflict,
    /// 圈属性 is neither 1 (外圈) nor −1 (内圈). Error.
    UnknownRingAttribute,
    /// An elevation (标高) field cannot be read. Error.
    BadElevation,
    /// A degree/minute/second value out of range (minutes or seconds ≥ 60). Error.
    InvalidAngle,
    /// GeoJSON ring wound against RFC 7946 (exterior clockwise or hole counter-clockwise).
    /// Output is re-wound. Warning.
    WrongWinding,
    /// GeoJSON/WKT positions with a third (or fourth) value; ignored. Warning.
    ExtraDimension,
    /// A line that could not be read as part of the layout: warning when it holds no
    /// coordinates (text), error when it looks like a point row that could not be read.
    UnreadableLine,
    /// A geometry type that does not describe an area (Point, LineString…). Error.
    UnsupportedGeometry,
    /// The input holds no points at all. Error.
    NoPoints,
    /// The input states a number of 拐点 or an area that the reading does not give: error
    /// (points dropped or added, a wrong area); a warning when the stated area matches only the
    /// Gauss-plane area or cannot be compared (areas not computed).
    StatedFigureMismatch,
}

/// One problem, with where it is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    /// What kind of problem.
    pub kind: ProblemKind,
    /// 错误 or 提示.
    pub severity: Severity,
    /// The message for users, in Chinese, naming the place (line, point label, field).
    pub message: String,
    /// Labels of the points concerned (may be empty).
    pub points: Vec<String>,
    /// 1-based line number in the input, when the problem belongs to one line.
    pub line: Option<usize>,
    /// Name of the ring (or block) concerned.
    pub ring: Option<String>,
}

impl Problem {
    /// A problem with no line and no ring.
    pub fn new(kind: ProblemKind, severity: Severity, message: impl Into<String>) -> Problem {
        Problem {
            kind,
            severity,
            message: message.into(),
            points: Vec::new(),
            line: None,
            ring: None,
        }
    }

    /// Sets the point labels.
    pub fn with_points(mut self, points: Vec<String>) -> Problem {
        self.points = points;
        self
    }

    /// Sets the line.
    pub fn at_line(mut self, line: Option<usize>) -> Problem {
        self.line = line;
        self
    }

    /// Sets the ring name.
    pub fn in_ring(mut self, ring: Option<String>) -> Problem {
        self.ring = ring;
        self
    }
}

/// Whether a ring bounds area (外圈) or removes it (内圈, 挖空).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RingRole {
    /// Exterior ring (圈属性 1).
    Shell,
    /// Hole (圈属性 −1).
    Hole,
}

/// Mining elevation range (开采标高), metres, 1985国家高程基准.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ElevationRange {
    /// Upper elevation (起标高 / 上限), metres.
    pub top_m: f64,
    /// Lower elevation (止标高 / 下限), metres.
    pub bottom_m: f64,
}

/// One corner point as entered.
///
/// `x_text`/`y_text` are the record: the text of the X (first coordinate) and Y (second
/// coordinate) columns exactly as entered (after full-width characters are folded to ASCII).
/// For geographic input `x_text` is the latitude text and `y_text` the longitude text.
///
/// `x`/`y` are the values in the report's [`CornerReport::crs`]: for a Gauss–Krüger CRS `x`
/// is the northing and `y` the easting (with the zone prefix when the CRS has one), metres;
/// for EPSG:4490 `x` is latitude and `y` longitude, degrees. When X and Y were entered the
/// wrong way round, `x`/`y` are the corrected values (and an [`ProblemKind::XySwapped`]
/// problem says so). `NaN` when the text could not be read (see the problem list).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CornerPoint {
    /// Point label as entered (`1`, `J1`, `拐点1`…).
    pub label: String,
    /// X as entered.
    pub x_text: String,
    /// Y as entered.
    pub y_text: String,
    /// Northing (m) or latitude (°); see the type documentation.
    pub x: f64,
    /// Easting (m, as entered incl. prefix) or longitude (°).
    pub y: f64,
    /// 1-based lines of the input the point was read from (several when a table was pasted
    /// one cell per line or the point has a second pair of columns); empty for GeoJSON.
    pub source_lines: Vec<usize>,
    /// The same point in a second pair of columns of its row, read but not used (another
    /// datum such as `X80 Y80`, or 纬度/经度 beside plane metres; see docs/coordinates.md §1a).
    pub other: Option<OtherPair>,
}

/// A point's second pair of columns, as entered.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OtherPair {
    /// First coordinate as entered (northing, or latitude when `geographic`).
    pub x_text: String,
    /// Second coordinate as entered (easting, or longitude when `geographic`).
    pub y_text: String,
    /// Whether the pair is degrees rather than metres.
    pub geographic: bool,
    /// The datum its header gives, when it gives one.
    pub datum: Option<Datum>,
}

impl CornerPoint {
    /// Whether both coordinates were read.
    pub fn is_readable(&self) -> bool {
        self.x.is_finite() && self.y.is_finite()
    }
}

/// A ring of corner points.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ring {
    /// Ring name (名称 of the terminator, or a generated `第n圈`).
    pub name: Option<String>,
    /// Shell or hole.
    pub role: RingRole,
    /// Points in entered order (for tables with several points per row: in label order).
    /// The closing point is not repeated.
    pub points: Vec<CornerPoint>,
    /// 开采标高, when the layout gives it.
    pub elevation: Option<ElevationRange>,
}

impl Ring {
    /// The first and last input line (1-based) the ring's points were read from; `None` when
    /// the layout has no lines (GeoJSON).
    pub fn source_lines(&self) -> Option<(usize, usize)> {
        let mut it = self
            .points
            .iter()
            .flat_map(|p| p.source_lines.iter().copied());
        let first = it.next()?;
        Some(it.fold((first, first), |(a, b), l| (a.min(l), b.max(l))))
    }
}

/// A block (块段/采区): one or more shells and their holes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CornerBlock {
    /// Block name.
    pub name: String,
    /// Rings: shells and holes in entered order.
    pub rings: Vec<Ring>,
}

/// Area of one block.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BlockArea {
    /// Block name.
    pub name: String,
    /// Plane area in the Gauss–Krüger zone, m² (shells minus holes).
    pub plane_m2: f64,
    /// Ellipsoidal area on CGCS2000 per TD/T 1055-2019 附录D, m².
    pub ellipsoidal_m2: f64,
    /// Ellipsoidal area, km², rounded to 4 decimals.
    pub km2: f64,
}

/// The areas of a corner set, each labelled with its method.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Areas {
    /// Plane area in the Gauss–Krüger zone (shoelace formula), m².
    pub plane_m2: f64,
    /// Ellipsoidal area on the CGCS2000 ellipsoid by TD/T 1055-2019 附录D, m² — the official
    /// mining-right area (MNR 2022).
    pub ellipsoidal_m2: f64,
    /// The ellipsoidal area in km², rounded to 4 decimals (half away from zero).
    pub km2: f64,
    /// Method of `plane_m2`, in Chinese.
    pub plane_method: String,
    /// Method of `ellipsoidal_m2`, in Chinese.
    pub ellipsoidal_method: String,
    /// Per block.
    pub blocks: Vec<BlockArea>,
}

/// Everything the reader found: layout, CRS, rings, problems and areas.
///
/// A report always exists, whatever the input: problems never stop the other checks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CornerReport {
    /// The layout detected.
    pub layout: Layout,
    /// The CRS of the record's numbers; `None` when the datum is unknown or not CGCS2000, or
    /// the zone cannot be determined.
    pub crs: Option<Crs>,
    /// The Gauss–Krüger zone in which plane areas and geometry checks are computed (for
    /// geographic input: the given zone, the region's, or the 3° zone of the mean longitude).
    pub zone: Option<GaussKrugerZone>,
    /// The datum, when stated or implied.
    pub datum: Option<Datum>,
    /// Whether the record's numbers are geographic (x = latitude, y = longitude, degrees)
    /// rather than plane metres (x = northing, y = easting).
    pub geographic: bool,
    /// How the datum and CRS were determined, in Chinese.
    pub crs_basis: Vec<String>,
    /// Blocks in entered order.
    pub blocks: Vec<CornerBlock>,
    /// Every problem found.
    pub problems: Vec<Problem>,
    /// Areas; `None` when the CRS is not fully known (see the problems for why).
    pub areas: Option<Areas>,
    /// Name of the region checked against, or `None` when no region was given.
    pub region: Option<String>,
    /// What the input states about itself (面积, number of 拐点) and the points read, compared
    /// in the problems ([`ProblemKind::StatedFigureMismatch`]).
    pub stated: StatedFigures,
}

impl CornerReport {
    /// Whether any problem is an error.
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(|p| p.severity == Severity::Error)
    }

    /// Whether no point at all could be read (the CLI's exit status 2).
    pub fn nothing_read(&self) -> bool {
        !self
            .blocks
            .iter()
            .flat_map(|b| &b.rings)
            .flat_map(|r| &r.points)
            .any(CornerPoint::is_readable)
    }

    /// Longitude and latitude (degrees, CGCS2000, longitude first) of a point of this
    /// report, when it can be placed: geographic input as is (x = latitude, y = longitude);
    /// plane input through the report's CRS zone, else the zone the reader settled on
    /// ([`GaussKrugerZone::to_lonlat`], prefix removed if written). `None` when a coordinate
    /// was not read, no zone is known, or the place is off the globe. Used to draw points even
    /// when the report has errors; the positions are then only as good as the zone.
    pub fn point_lonlat(&self, p: &CornerPoint) -> Option<(f64, f64)> {
        if !p.is_readable() {
            return None;
        }
        let (lon, lat) = if self.geographic {
            (p.y, p.x)
        } else {
            let z = match self.crs {
                Some(Crs::GaussKruger(z)) => z,
                _ => self.zone?,
            };
            z.to_lonlat(p.x, p.y)
        };
        ((-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat)).then_some((lon, lat))
    }

    /// Number of rings over all blocks.
    pub fn ring_count(&self) -> usize {
        self.blocks.iter().map(|b| b.rings.len()).sum()
    }

    /// The JSON the CLI prints with `--json`:
    ///
    /// `layout`, `crs` (EPSG code as integer or null), `crs_name`, `datum`, `zone`, `blocks`,
    /// `rings` (each with `block`, `name`, `role`, `points` as `[label, x, y]`, `elevation`),
    /// `problems` (each with `kind`, `severity`, `message`, `points`, `line`, `ring`),
    /// `area_plane_m2`, `area_ellipsoidal_m2`, `area_km2` (ellipsoidal, 4 decimals), `areas`
    /// (with methods and per block), `region`, `has_errors`.
    pub fn to_json(&self) -> serde_json::Value {
        report_json::to_json(self)
    }
}

/// The datum of an EPSG code: CGCS2000 for 4490–4554, and the Xi'an 80, Beijing 54 and
/// WGS 84 codes met in China (Gauss–Krüger, geographic, UTM); `None` for other codes.
pub fn datum_of_epsg(code: u32) -> Option<Datum> {
    if Crs::from_epsg(code).is_ok() {
        Some(Datum::Cgcs2000)
    } else {
        text::datum_of_foreign_epsg(code)
    }
}

/// A schematic (示意) region for Suifenhe (绥芬河市, adcode 231081): the rectangle
/// 130.94–131.24°E, 44.29–44.54°N of `docs/suifenhe.md`, 3° zone 44 with prefix (EPSG:4532),
/// tolerance 50 m. Stands in for the county outline until a plan bundle supplies the real
/// one; the name says 示意.
pub fn suifenhe_schematic() -> Region {
    Region {
        name: "绥芬河市（示意范围）".to_owned(),
        outline_lonlat: vec![vec![
            (130.94, 44.29),
            (131.24, 44.29),
            (131.24, 44.54),
            (130.94, 44.54),
        ]],
        zone: GaussKrugerZone {
            width: crate::crs::ZoneWidth::Three,
            zone: 44,
            prefixed: true,
        },
        tolerance_m: 50.0,
    }
}

/// Reads corner coordinates from bytes: strips a BOM, decodes UTF-8, or GBK (GB 18030) when
/// the bytes are not valid UTF-8, then calls [`parse_str`].
///
/// # Examples
/// ```
/// use minplan_geo::corners::{parse_bytes, ParseOptions};
/// let text = "拐点,X,Y\n1,4907000.00,44420000.00, , ,\n2,4907000.00,44420100.00, , ,\n\
///             3,4907100.00,44420100.00, , ,\n*,300,200,采区,1,\n";
/// let report = parse_bytes(text.as_bytes(), &ParseOptions::default());
/// assert!(!report.has_errors());
/// assert_eq!(report.crs.unwrap().epsg(), 4532);
/// assert!((report.areas.unwrap().plane_m2 - 5000.0).abs() < 1e-6);
/// ```
pub fn parse_bytes(input: &[u8], opts: &ParseOptions) -> CornerReport {
    let (text, note) = text::decode(input);
    let mut report = parse_str(&text, opts);
    if let Some(n) = note {
        report.crs_basis.insert(0, n);
    }
    report
}

/// Reads corner coordinates from text (see the module documentation for the layouts), checks
/// them, and computes their areas. Never fails: everything wrong is a [`Problem`].
pub fn parse_str(input: &str, opts: &ParseOptions) -> CornerReport {
    let input = input.trim_start_matches('\u{feff}');
    let norm = text::normalize(input);
    let raw = read_raw(input, &norm, opts);
    let mut report = interpret::interpret(raw, opts);
    stated::cross_check(&norm, &mut report);
    account_for_every_coordinate(input, &norm, &mut report);
    report
}

/// The last guard of "nothing silently dropped": a coordinate-shaped number of the input
/// that is in no point and quoted by no problem of its line becomes an error quoting it (and
/// the line's "not a corner line" hint, if any, goes: a line holding coordinates is never a
/// mere hint). See [`unaccounted_numbers`] for what is coordinate-shaped.
fn account_for_every_coordinate(input: &str, norm: &str, report: &mut CornerReport) {
    let missed = accounted::unaccounted_normalized(input, norm, report);
    if missed.is_empty() {
        return;
    }
    let lines: Vec<usize> = missed.iter().map(|m| m.line).collect();
    report.problems.retain(|p| {
        !(p.kind == ProblemKind::UnreadableLine
            && p.severity == Severity::Warning
            && p.line.is_some_and(|l| lines.contains(&l)))
    });
    for m in missed {
        report.problems.push(
            Problem::new(
                ProblemKind::UnaccountedNumber,
                Severity::Error,
                format!(
                    "第 {} 行的“{}”是坐标形式的数字，但没有读成拐点：请检查这一行的格式（点号、X、Y 是否齐全、分隔是否清楚）",
                    m.line, m.text
                ),
            )
            .at_line(Some(m.line)),
        );
    }
    report
        .problems
        .sort_by_key(|p| std::cmp::Reverse(p.severity));
}

/// Detects the layout and reads it: GeoJSON and WKT by their first characters, the MNR
/// key=value file by an `XYnnn=` line, the MNR 报盘 layout by a ring terminator line
/// (`*,起标高,止标高,名称,圈属性`: a `*` then a comma — masked words such as `**县**矿` are
/// not terminators), anything else as a free-form table.
fn read_raw(input: &str, norm: &str, opts: &ParseOptions) -> raw::RawDoc {
    let trimmed = input.trim_start();
    if trimmed.starts_with('{') {
        return geojson::read(input);
    }
    let upper: String = trimmed.chars().take(40).collect::<String>().to_uppercase();
    if upper.starts_with("POLYGON")
        || upper.starts_with("MULTIPOLYGON")
        || upper.starts_with("SRID=")
    {
        return wkt::read(input);
    }
    let lines: Vec<&str> = norm.lines().collect();
    if lines.iter().any(|l| layout_kv_line(l)) {
        return layout_kv::read(&lines);
    }
    if lines.iter().any(|l| mnr_terminator(l)) {
        return layout_mnr::read(&lines);
    }
    table::read(&lines, opts)
}

/// `XYnnn=…`: a line of the MNR key=value submission file.
fn layout_kv_line(l: &str) -> bool {
    let t = l.trim_start();
    let b = t.as_bytes();
    b.len() > 3
        && (b[0] == b'X' || b[0] == b'x')
        && (b[1] == b'Y' || b[1] == b'y')
        && t[2..]
            .find('=')
            .is_some_and(|eq| eq > 0 && t[2..2 + eq].trim().bytes().all(|c| c.is_ascii_digit()))
}

/// `*,起标高,止标高,名称,圈属性,`: a `*`, then (after spaces) a comma, at least four
/// comma-separated fields, the first two numbers or empty.
fn mnr_terminator(l: &str) -> bool {
    let t = l.trim_start();
    let Some(rest) = t.strip_prefix('*') else {
        return false;
    };
    let fields: Vec<&str> = rest.split(',').map(str::trim).collect();
    // `*,起标高,止标高,名称,圈属性`: the two elevations are numbers or empty (a masked list
    // number `*、矿区范围…` is prose).
    let elevation = |f: &str| f.is_empty() || text::parse_number(f).is_ok();
    fields.len() >= 5 && fields[0].is_empty() && elevation(fields[1]) && elevation(fields[2])
}
