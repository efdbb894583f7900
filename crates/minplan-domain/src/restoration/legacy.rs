//! 历史遗留矿山 (《规划》一（一）5 baseline; 六（二）4 restoration): the inventory entry
//! ([`LegacyMine`]), its geometry read from corner coordinates in any layout minplan-geo's
//! corner reader knows ([`read_geometry`]) or from a layer's longitude/latitude polygons
//! ([`geometry_from_lonlat`]), the five restoration directions of 六（二）4 ([`Direction`]:
//! 宜耕则耕、宜林则林、宜湿则湿、宜草则草、宜建则建), and the status steps 未治理 → 治理中 →
//! 已治理 → 已验收 ([`check_transition`]).
//!
//! Areas are ellipsoidal (CGCS2000, TD/T 1055-2019 附录D), km². Geometry is kept twice: the
//! plane coordinates as entered (the record) and CGCS2000 longitude/latitude polygons in RFC
//! 7946 order (longitude first, exterior rings counter-clockwise) for maps.

use crate::date::Date;
use crate::register::Problem;
use crate::restoration::figures::{LegacyFigures, Reading};
use minplan_geo::area::ellipsoidal_area_lonlat;
use minplan_geo::corners::{self, AreaComparison, CornerPoints, ParseOptions};
use minplan_geo::ellipsoid::Ellipsoid;
use serde::{Deserialize, Serialize};

/// The restoration direction of 六（二）4: 宜耕则耕、宜林则林、宜湿则湿、宜草则草、宜建则建.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Direction {
    /// 宜耕则耕 → 耕地.
    Cropland,
    /// 宜林则林 → 林地.
    Forest,
    /// 宜湿则湿 → 湿地.
    Wetland,
    /// 宜草则草 → 草地.
    Grassland,
    /// 宜建则建 → 建设用地.
    Construction,
}

impl Direction {
    /// Every direction, in the plan's order.
    pub const ALL: [Direction; 5] = [
        Direction::Cropland,
        Direction::Forest,
        Direction::Wetland,
        Direction::Grassland,
        Direction::Construction,
    ];

    /// The land use restored to: 耕地, 林地, 湿地, 草地, 建设用地.
    pub fn label(self) -> &'static str {
        match self {
            Direction::Cropland => "耕地",
            Direction::Forest => "林地",
            Direction::Wetland => "湿地",
            Direction::Grassland => "草地",
            Direction::Construction => "建设用地",
        }
    }

    /// The plan's words: 宜耕则耕 … 宜建则建.
    pub fn principle(self) -> &'static str {
        match self {
            Direction::Cropland => "宜耕则耕",
            Direction::Forest => "宜林则林",
            Direction::Wetland => "宜湿则湿",
            Direction::Grassland => "宜草则草",
            Direction::Construction => "宜建则建",
        }
    }

    /// Reads a label or the plan's words.
    pub fn parse(s: &str) -> Option<Direction> {
        let s = s.trim();
        Direction::ALL
            .into_iter()
            .find(|d| d.label() == s || d.principle() == s)
    }
}

/// How the former mine was worked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Method {
    /// 露天.
    OpenPit,
    /// 地下.
    Underground,
}

impl Method {
    /// 露天 / 地下.
    pub fn label(self) -> &'static str {
        match self {
            Method::OpenPit => "露天",
            Method::Underground => "地下",
        }
    }

    /// Reads 露天 / 地下.
    pub fn parse(s: &str) -> Option<Method> {
        match s.trim() {
            "露天" => Some(Method::OpenPit),
            "地下" => Some(Method::Underground),
            _ => None,
        }
    }
}

/// A problem found at a legacy mine (《规划》六（二）4 and 一（一）5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Finding {
    /// 地质灾害隐患.
    GeoHazard,
    /// 损毁土地.
    DamagedLand,
    /// 植被破坏.
    Vegetation,
    /// 水土流失.
    SoilErosion,
}

impl Finding {
    /// Every finding, in display order.
    pub const ALL: [Finding; 4] = [
        Finding::GeoHazard,
        Finding::DamagedLand,
        Finding::Vegetation,
        Finding::SoilErosion,
    ];

    /// 地质灾害隐患, 损毁土地, 植被破坏, 水土流失.
    pub fn label(self) -> &'static str {
        match self {
            Finding::GeoHazard => "地质灾害隐患",
            Finding::DamagedLand => "损毁土地",
            Finding::Vegetation => "植被破坏",
            Finding::SoilErosion => "水土流失",
        }
    }

    /// Reads a label.
    pub fn parse(s: &str) -> Option<Finding> {
        Finding::ALL.into_iter().find(|f| f.label() == s.trim())
    }
}

/// A finding with its optional note (where, how much).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FoundProblem {
    /// The finding.
    pub kind: Finding,
    /// A note, or empty.
    pub note: String,
}

/// The status of a legacy mine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Status {
    /// 未治理.
    Untreated,
    /// 治理中.
    InProgress,
    /// 已治理 (works done, not yet accepted).
    Restored,
    /// 已验收.
    Accepted,
}

impl Status {
    /// In order.
    pub const ALL: [Status; 4] = [
        Status::Untreated,
        Status::InProgress,
        Status::Restored,
        Status::Accepted,
    ];

    /// 未治理 / 治理中 / 已治理 / 已验收.
    pub fn label(self) -> &'static str {
        match self {
            Status::Untreated => "未治理",
            Status::InProgress => "治理中",
            Status::Restored => "已治理",
            Status::Accepted => "已验收",
        }
    }

    /// Reads a label.
    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.label() == s.trim())
    }

    /// Whether the site counts as restored (已治理 or 已验收).
    pub fn restored(self) -> bool {
        matches!(self, Status::Restored | Status::Accepted)
    }
}

/// An acceptance (验收): date, 验收单位 and 文号. Shared by legacy mines and projects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Acceptance {
    /// 验收日期.
    pub date: Date,
    /// 验收单位.
    pub by: String,
    /// 验收文号.
    pub number: String,
}

/// Checks an acceptance: 验收单位 and 文号 given, the date not before `not_before` (the start
/// of the works, when known) and not after `today`.
///
/// # Errors
/// Every problem, naming the fields `accepted_on`, `accepted_by`, `acceptance_number`.
pub fn check_acceptance(
    a: &Acceptance,
    not_before: Option<Date>,
    today: Date,
) -> Result<(), Vec<Problem>> {
    let mut p = Vec::new();
    if a.by.trim().is_empty() {
        p.push(Problem::new("accepted_by", "请填写验收单位"));
    }
    if a.number.trim().is_empty() {
        p.push(Problem::new("acceptance_number", "请填写验收文号"));
    }
    if a.date > today {
        p.push(Problem::new(
            "accepted_on",
            format!("验收日期 {} 晚于今天", a.date.chinese()),
        ));
    }
    if let Some(start) = not_before.filter(|s| a.date < *s) {
        p.push(Problem::new(
            "accepted_on",
            format!(
                "验收日期 {} 早于开工日期 {}",
                a.date.chinese(),
                start.chinese()
            ),
        ));
    }
    if p.is_empty() { Ok(()) } else { Err(p) }
}

/// Checks a status step of a legacy mine: one step forward at a time (未治理 → 治理中 →
/// 已治理 → 已验收); 已验收 only from 已治理 and with a complete acceptance
/// ([`check_acceptance`]). 《规划》六（二）4.
///
/// # Errors
/// The problems, naming `status` or the acceptance's fields.
pub fn check_transition(
    from: Status,
    to: Status,
    acceptance: Option<&Acceptance>,
    today: Date,
) -> Result<(), Vec<Problem>> {
    let ok_step = matches!(
        (from, to),
        (Status::Untreated, Status::InProgress)
            | (Status::InProgress, Status::Restored)
            | (Status::Restored, Status::Accepted)
    );
    if !ok_step {
        let msg = if to == Status::Accepted {
            format!("状态为“{}”，须先治理完成（已治理）才能验收", from.label())
        } else {
            format!(
                "不能从“{}”改为“{}”：状态依次为 未治理 → 治理中 → 已治理 → 已验收",
                from.label(),
                to.label()
            )
        };
        return Err(vec![Problem::new("status", msg)]);
    }
    if to == Status::Accepted {
        match acceptance {
            Some(a) => check_acceptance(a, None, today)?,
            None => {
                return Err(vec![Problem::new(
                    "accepted_on",
                    "验收须填写验收日期、验收单位和文号",
                )]);
            }
        }
    }
    Ok(())
}

/// The geometry of a legacy mine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Geometry {
    /// The coordinates as entered (the record): the corner text, or the layer's name.
    pub entered: String,
    /// Polygons as CGCS2000 (longitude, latitude) rings, RFC 7946 order, closed.
    pub lonlat: Vec<Vec<Vec<(f64, f64)>>>,
    /// Ellipsoidal area, km² (not rounded).
    pub area_km2: f64,
}

impl Geometry {
    /// The polygons as a GeoJSON `MultiPolygon` geometry.
    pub fn geojson(&self) -> serde_json::Value {
        serde_json::json!({
            "type": "MultiPolygon",
            "coordinates": self.lonlat.iter().map(|poly| poly.iter().map(|ring| ring.iter().map(|&(x, y)| [x, y]).collect::<Vec<_>>()).collect::<Vec<_>>()).collect::<Vec<_>>(),
        })
    }
}

/// Reads the corner coordinates of a legacy mine as the intake does (any layout of
/// minplan-geo's corner reader, with `opts`: the plan's zone and region), computes the
/// ellipsoidal area and cross-checks a stated area (`stated`, as typed: `0.05`, `5公顷`, …)
/// with `corners::compare_area`.
///
/// # Errors
/// Problems of the field `corners` (each error of the reading) or `stated_area` (unreadable
/// or not matching the coordinates).
pub fn read_geometry(
    text: &str,
    stated: Option<&str>,
    opts: &ParseOptions,
) -> Result<Geometry, Vec<Problem>> {
    if text.trim().is_empty() {
        return Err(vec![Problem::new(
            "corners",
            "请填写拐点坐标（任一版式：报盘格式、坐标表、GeoJSON 或 WKT）",
        )]);
    }
    let report = corners::parse_str(text, opts);
    let points = match CornerPoints::try_from(report) {
        Ok(p) => p,
        Err(report) => {
            let mut p: Vec<Problem> = report
                .problems
                .iter()
                .filter(|p| p.severity == corners::Severity::Error)
                .map(|p| Problem::new("corners", format!("拐点坐标：{}", p.message)))
                .collect();
            if p.is_empty() {
                p.push(Problem::new("corners", "拐点坐标无法读取为多边形"));
            }
            return Err(p);
        }
    };
    let areas = points.areas();
    check_stated_area(stated, &areas, "拐点坐标")?;
    Ok(Geometry {
        entered: text.to_string(),
        lonlat: points.lonlat_polygons(),
        area_km2: areas.ellipsoidal_m2 / 1e6,
    })
}

/// Cross-checks a stated area (`stated`, as typed: `0.05`, `5公顷`, …; blank: nothing to
/// check) with `areas` by `corners::compare_area`, the one rule for a stated area; `from` names
/// where the areas come from (拐点坐标, 图层要素).
///
/// # Errors
/// A problem of the field `stated_area`: unreadable, or not matching the ellipsoidal area.
pub fn check_stated_area(
    stated: Option<&str>,
    areas: &corners::Areas,
    from: &str,
) -> Result<(), Vec<Problem>> {
    let Some(s) = stated.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(());
    };
    match corners::parse_declared_area(s) {
        Err(e) => Err(vec![Problem::new("stated_area", format!("面积{e}"))]),
        Ok(sa) => match corners::compare_area(&sa, Some(areas)) {
            AreaComparison::Matches | AreaComparison::NotComparable => Ok(()),
            AreaComparison::MatchesPlaneOnly {
                ellipsoidal_km2, ..
            }
            | AreaComparison::Mismatch {
                ellipsoidal_km2, ..
            } => Err(vec![Problem::new(
                "stated_area",
                format!("所填面积“{s}”与{from}计算的椭球面积 {ellipsoidal_km2:.4} 平方公里不符"),
            )]),
        },
    }
}

/// Cross-checks a stated area with the geometry of a layer feature (longitude/latitude: its
/// ellipsoidal area only — a layer in degrees has no Gauss-plane area as entered).
///
/// # Errors
/// As [`check_stated_area`].
pub fn check_stated_area_of(stated: Option<&str>, g: &Geometry) -> Result<(), Vec<Problem>> {
    let m2 = g.area_km2 * 1e6;
    let areas = corners::Areas {
        plane_m2: m2,
        ellipsoidal_m2: m2,
        km2: (g.area_km2 * 1e4).round() / 1e4,
        plane_method: "图层为经纬度，按椭球面积".into(),
        ellipsoidal_method: "TD/T 1055-2019 附录D".into(),
        blocks: vec![],
    };
    check_stated_area(stated, &areas, "图层要素")
}

/// The geometry of polygons taken from an imported layer (CGCS2000 longitude/latitude, RFC
/// 7946 order): the ellipsoidal area of shells minus holes (TD/T 1055-2019 附录D), km².
/// `source` names the layer (the record).
///
/// # Errors
/// A problem of the field `layer` when there is no polygon or the area is not above zero.
pub fn geometry_from_lonlat(
    source: &str,
    polygons: Vec<Vec<Vec<(f64, f64)>>>,
) -> Result<Geometry, Vec<Problem>> {
    let mut m2 = 0.0;
    for poly in &polygons {
        for (i, ring) in poly.iter().enumerate() {
            let a = ellipsoidal_area_lonlat(ring, Ellipsoid::CGCS2000).abs();
            if i == 0 {
                m2 += a;
            } else {
                m2 -= a;
            }
        }
    }
    if polygons.is_empty() || m2 <= 0.0 {
        return Err(vec![Problem::new(
            "layer",
            format!("图层“{source}”中没有面积大于零的多边形"),
        )]);
    }
    Ok(Geometry {
        entered: source.to_string(),
        lonlat: polygons,
        area_km2: m2 / 1e6,
    })
}

/// A legacy mine as entered (the geometry read separately by [`read_geometry`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LegacyMine {
    /// 名称.
    pub name: String,
    /// 位置：乡镇.
    pub township: String,
    /// 位置：村.
    pub village: String,
    /// 原开采矿种.
    pub mineral: String,
    /// 原开采方式.
    pub method: Method,
    /// Problems found (a set: each finding at most once).
    pub findings: Vec<FoundProblem>,
    /// 责任主体; `None` = 无责任主体.
    pub responsible: Option<String>,
    /// 修复方向.
    pub direction: Direction,
    /// Why that direction (required).
    pub reason: String,
    /// Whether the entry is schematic (示意), not surveyed.
    pub schematic: bool,
}

/// Checks a legacy mine's fields: name, 乡镇, mineral and the direction's reason given;
/// each finding at most once; a named responsible party not blank.
///
/// # Errors
/// Every problem, naming its field.
pub fn check_legacy(input: &LegacyMine) -> Result<(), Vec<Problem>> {
    let mut p = Vec::new();
    let need = |v: &str, field: &str, label: &str, p: &mut Vec<Problem>| {
        if v.trim().is_empty() {
            p.push(Problem::new(field, format!("请填写{label}")));
        } else if v.chars().count() > 200 {
            p.push(Problem::new(field, format!("{label}不超过 200 个字")));
        }
    };
    need(&input.name, "name", "名称", &mut p);
    need(&input.township, "township", "所在乡镇", &mut p);
    need(&input.mineral, "mineral", "原开采矿种", &mut p);
    need(&input.reason, "reason", "修复方向的理由", &mut p);
    let mut seen = std::collections::BTreeSet::new();
    for f in &input.findings {
        if !seen.insert(f.kind) {
            p.push(Problem::new(
                "findings",
                format!("问题“{}”填写了两次", f.kind.label()),
            ));
        }
    }
    if input
        .responsible
        .as_deref()
        .is_some_and(|r| r.trim().is_empty())
    {
        p.push(Problem::new(
            "responsible",
            "责任主体为空：没有责任主体时请选“无责任主体”",
        ));
    }
    if p.is_empty() { Ok(()) } else { Err(p) }
}

/// What the figures read of a legacy mine.
#[derive(Debug, Clone, PartialEq)]
pub struct LegacySummary {
    /// Area, km².
    pub area_km2: f64,
    /// Status now.
    pub status: Status,
    /// 示意.
    pub schematic: bool,
}

/// What the figures read of a restoration project.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectSummary {
    /// 开工日期.
    pub start: Date,
    /// Budget, 万元.
    pub budget_wan_yuan: f64,
    /// Restored area, km².
    pub restored_area_km2: f64,
    /// 重点治理项目.
    pub key_project: bool,
    /// 验收日期, when accepted.
    pub accepted_on: Option<Date>,
}

/// The figures of 一（一）5–6 and 专栏1 on `on`: legacy mines in the inventory (their status
/// as now), and the projects started by `on` (the 2015–2020 baseline included); a key project
/// counts as done when accepted by `on`. Missing (无数据) when nothing was entered.
pub fn figures(mines: &[LegacySummary], projects: &[ProjectSummary], on: Date) -> LegacyFigures {
    let mut f = LegacyFigures::default();
    if mines.is_empty() {
        fn m<T>() -> Reading<T> {
            Reading::Missing("无数据：尚未录入历史遗留矿山".to_string())
        }
        f.legacy_mines = m();
        f.legacy_area_km2 = m();
        f.remaining = m();
        f.remaining_area_km2 = m();
        f.restored_area_km2 = m();
    } else {
        let remaining: Vec<_> = mines.iter().filter(|m| !m.status.restored()).collect();
        f.legacy_mines = Reading::Value(mines.len() as u32);
        f.legacy_schematic = mines.iter().any(|m| m.schematic);
        f.legacy_area_km2 = Reading::Value(mines.iter().map(|m| m.area_km2).sum());
        f.remaining = Reading::Value(remaining.len() as u32);
        f.remaining_area_km2 = Reading::Value(remaining.iter().map(|m| m.area_km2).sum());
        f.restored_area_km2 = Reading::Value(
            mines
                .iter()
                .filter(|m| m.status.restored())
                .map(|m| m.area_km2)
                .sum(),
        );
    }
    let started: Vec<_> = projects.iter().filter(|p| p.start <= on).collect();
    if started.is_empty() {
        fn m<T>() -> Reading<T> {
            Reading::Missing("无数据：尚未录入修复项目".to_string())
        }
        f.projects = m();
        f.key_projects_done = m();
        f.investment_wan_yuan = m();
        f.project_area_km2 = m();
    } else {
        f.projects = Reading::Value(started.len() as u32);
        f.key_projects_done = Reading::Value(
            started
                .iter()
                .filter(|p| p.key_project && p.accepted_on.is_some_and(|d| d <= on))
                .count() as u32,
        );
        f.investment_wan_yuan = Reading::Value(started.iter().map(|p| p.budget_wan_yuan).sum());
        f.project_area_km2 = Reading::Value(started.iter().map(|p| p.restored_area_km2).sum());
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn status_steps_one_at_a_time_and_acceptance_needs_restored() {
        let today = d("2026-12-06");
        assert!(check_transition(Status::Untreated, Status::InProgress, None, today).is_ok());
        let e = check_transition(Status::InProgress, Status::Accepted, None, today).unwrap_err();
        assert_eq!(e[0].field, "status");
        assert!(e[0].message.contains("须先治理完成"), "{}", e[0].message);
        let e = check_transition(Status::Untreated, Status::Restored, None, today).unwrap_err();
        assert!(e[0].message.contains("未治理 → 治理中"));
        let e = check_transition(Status::Restored, Status::Accepted, None, today).unwrap_err();
        assert_eq!(e[0].field, "accepted_on");
        let a = Acceptance {
            date: d("2026-11-30"),
            by: "".into(),
            number: "".into(),
        };
        let e = check_transition(Status::Restored, Status::Accepted, Some(&a), today).unwrap_err();
        let fields: Vec<_> = e.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["accepted_by", "acceptance_number"]);
        let a = Acceptance {
            date: d("2026-11-30"),
            by: "绥芬河市自然资源局".into(),
            number: "绥自然资验〔2026〕3号".into(),
        };
        assert!(check_transition(Status::Restored, Status::Accepted, Some(&a), today).is_ok());
        let late = Acceptance {
            date: d("2026-12-07"),
            ..a
        };
        let e =
            check_transition(Status::Restored, Status::Accepted, Some(&late), today).unwrap_err();
        assert!(e[0].message.contains("晚于今天"));
    }

    #[test]
    fn directions_read_the_plans_words_and_labels() {
        assert_eq!(Direction::parse("宜林则林"), Some(Direction::Forest));
        assert_eq!(Direction::parse("湿地"), Some(Direction::Wetland));
        assert_eq!(Direction::parse("园地"), None);
        assert_eq!(Direction::Construction.principle(), "宜建则建");
    }

    fn input() -> LegacyMine {
        LegacyMine {
            name: "阜宁镇废弃采石场".into(),
            township: "阜宁镇".into(),
            village: "建新村".into(),
            mineral: "建筑用石料".into(),
            method: Method::OpenPit,
            findings: vec![
                FoundProblem {
                    kind: Finding::DamagedLand,
                    note: String::new(),
                },
                FoundProblem {
                    kind: Finding::DamagedLand,
                    note: "采坑".into(),
                },
            ],
            responsible: Some(" ".into()),
            direction: Direction::Forest,
            reason: "".into(),
            schematic: false,
        }
    }

    #[test]
    fn legacy_refusals_name_their_fields() {
        let e = check_legacy(&input()).unwrap_err();
        let fields: Vec<_> = e.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["reason", "findings", "responsible"]);
    }

    #[test]
    fn geometry_of_a_100_by_200_m_rectangle_and_its_stated_area() {
        // 3° zone 44 with prefix (EPSG:4532): 100 m × 200 m = 0.02 km² in the plane.
        let text = "1,4925000.00,44430000.00\n2,4925000.00,44430200.00\n\
                    3,4925100.00,44430200.00\n4,4925100.00,44430000.00\n";
        let opts = ParseOptions {
            region: Some(corners::suifenhe_schematic()),
            datum: Some(corners::Datum::Cgcs2000),
            ..ParseOptions::default()
        };
        let g = read_geometry(text, Some("0.02"), &opts).unwrap();
        assert!((g.area_km2 - 0.02).abs() < 0.0001, "{}", g.area_km2);
        assert_eq!(g.lonlat.len(), 1);
        let e = read_geometry(text, Some("0.05"), &opts).unwrap_err();
        assert_eq!(e[0].field, "stated_area");
        let e = read_geometry("", None, &opts).unwrap_err();
        assert_eq!(e[0].field, "corners");
        let again = geometry_from_lonlat("图层", g.lonlat.clone()).unwrap();
        assert!((again.area_km2 - g.area_km2).abs() < 1e-5);
    }

    #[test]
    fn figures_count_remaining_and_restored_and_key_projects_by_date() {
        let mines = vec![
            LegacySummary {
                area_km2: 0.05,
                status: Status::Untreated,
                schematic: true,
            },
            LegacySummary {
                area_km2: 0.02,
                status: Status::Accepted,
                schematic: false,
            },
        ];
        let projects = vec![
            ProjectSummary {
                start: d("2016-04-01"),
                budget_wan_yuan: 30.0,
                restored_area_km2: 0.002,
                key_project: true,
                accepted_on: Some(d("2017-10-01")),
            },
            ProjectSummary {
                start: d("2026-05-01"),
                budget_wan_yuan: 80.0,
                restored_area_km2: 0.01,
                key_project: true,
                accepted_on: None,
            },
        ];
        let f = figures(&mines, &projects, d("2026-12-31"));
        assert_eq!(f.legacy_mines, Reading::Value(2));
        assert!(f.legacy_schematic);
        assert_eq!(f.remaining, Reading::Value(1));
        assert_eq!(f.restored_area_km2, Reading::Value(0.02));
        assert_eq!(f.projects, Reading::Value(2));
        assert_eq!(f.key_projects_done, Reading::Value(1));
        assert_eq!(f.investment_wan_yuan, Reading::Value(110.0));
        let f = figures(&mines, &projects, d("2020-12-31"));
        assert_eq!(f.projects, Reading::Value(1));
        let f = figures(&[], &[], d("2020-12-31"));
        assert!(matches!(f.legacy_mines, Reading::Missing(ref m) if m.contains("无数据")));
        assert!(matches!(f.projects, Reading::Missing(_)));
    }
}
