//! From raw rings to a report: datum, zone, prefix, axis order; then geometry checks, the
//! region check and the areas.
//!
//! Rules (see docs/coordinates.md):
//! * Datum: what the input states (words or EPSG code), else the caller's `datum`, else what
//!   the layout implies (MNR 报盘 layouts: CGCS2000, required by MNR since 2018; GeoJSON
//!   without `crs`: WGS 84 by RFC 7946). Nothing → `datum_not_stated`. Never guessed.
//! * Plane axis order from digit counts: X (northing) has 7 integer digits in China; Y
//!   (easting) has 8 with the zone prefix, 6 without. The other way round is `xy_swapped`.
//! * Zone: from the prefix; else the caller's zone or a zone stated in the input; else the
//!   plan region's zone (warning); else `zone_prefix_missing` (error). A prefix that is not a
//!   CGCS2000 zone, differs from the given zone, varies between points, or puts the points
//!   outside the region while the region's zone would not, is `zone_prefix_wrong`.
//! * Geometry is computed in (easting without prefix, northing) in the zone.

use super::raw::{CoordKind, RawDoc, RawRing};
use super::text::{self, int_digits};
use super::validate::{self, PlaneRing, ValidateOptions};
use super::{
    Areas, BlockArea, CornerBlock, CornerPoint, CornerReport, Datum, Layout, ParseOptions, Problem,
    ProblemKind, Ring, RingRole, Severity,
};
use crate::area::{
    DEFAULT_DENSIFY_M, ellipsoidal_area_gk, ellipsoidal_area_lonlat, km2_4dp, plane_area,
};
use crate::crs::{Crs, GaussKrugerZone, ZoneWidth};
use crate::ellipsoid::Ellipsoid;
use crate::tmerc::TransverseMercator;

/// How each point is used in geometry: (easting without prefix, northing), or `None`.
type Geo = Option<(f64, f64)>;

pub(crate) fn interpret(mut raw: RawDoc, opts: &ParseOptions) -> CornerReport {
    let mut problems = std::mem::take(&mut raw.problems);
    let mut basis = Vec::new();
    normalise_closure(&mut raw, &mut problems);
    let n_points: usize = raw
        .blocks
        .iter()
        .flat_map(|b| &b.rings)
        .map(|r| r.points.len())
        .sum();
    if n_points == 0 {
        problems.push(Problem::new(
            ProblemKind::NoPoints,
            Severity::Error,
            "没有读到任何拐点坐标。可读取的格式：报盘格式（点号,X,Y / *,起标高,止标高,名称,圈属性）、XYnnn= 键值格式、点号 X Y 表格、经纬度表、GeoJSON、WKT",
        ));
    }

    // ---- Datum ----
    let stated = raw
        .hints
        .datum
        .clone()
        .map(|(d, w, l)| (d, format!("文件注明“{w}”"), l))
        .or_else(|| {
            raw.hints.epsg.map(|(code, l)| {
                let d = match Crs::from_epsg(code) {
                    Ok(_) => Datum::Cgcs2000,
                    // Codes we do not know are not CGCS2000: reported, never guessed.
                    Err(_) => text::datum_of_foreign_epsg(code).unwrap_or(Datum::Local),
                };
                (d, format!("文件注明 EPSG:{code}"), l)
            })
        });
    let mut datum = None;
    let mut official = false;
    if let (Some((d, why, l)), Some(given)) = (&stated, opts.datum)
        && *d != given
    {
        problems.push(
            Problem::new(
                ProblemKind::DatumConflict,
                Severity::Error,
                format!(
                    "{why}（{}），与指定的 {} 不符；请核对坐标系",
                    d.label_zh(),
                    given.label_zh()
                ),
            )
            .at_line(*l),
        );
    }
    if let Some((d, why, _)) = &stated {
        datum = Some(*d);
        basis.push(format!("坐标系：{}（{why}）", d.label_zh()));
    } else if let Some(d) = opts.datum {
        datum = Some(d);
        basis.push(format!("坐标系：{}（由参数指定）", d.label_zh()));
    } else if matches!(raw.layout, Layout::MnrSubmission | Layout::MnrKeyValue) {
        datum = Some(Datum::Cgcs2000);
        basis.push(
            "坐标系：2000国家大地坐标系（自然资源部报盘格式自 2018 年起规定使用 CGCS2000）"
                .to_owned(),
        );
    } else if raw.rfc7946 {
        datum = Some(Datum::Wgs84);
        basis.push("坐标系：WGS 84 经纬度（GeoJSON 未带 crs 成员，按 RFC 7946）".to_owned());
    }
    let supply = "请在文件中注明坐标系（如“2000国家大地坐标系”或 EPSG:4532），或在检查时指定坐标系";
    match datum {
        Some(Datum::Cgcs2000) => official = true,
        Some(Datum::Wgs84) if raw.rfc7946 && stated.is_none() => {
            official = true;
            problems.push(Problem::new(
                ProblemKind::DatumNotCgcs2000,
                Severity::Warning,
                "GeoJSON 按 RFC 7946 为 WGS 84 经纬度；WGS 84 与 CGCS2000 相差厘米级，按 CGCS2000 处理。若数据本为 CGCS2000，请在检查时指定“2000国家大地坐标系”",
            ));
        }
        Some(d) => problems.push(
            Problem::new(
                ProblemKind::DatumNotCgcs2000,
                Severity::Error,
                format!(
                    "坐标为{}，不是 2000国家大地坐标系（CGCS2000）。本系统不做猜测性转换：请提供按规定转换后的 CGCS2000 坐标",
                    d.label_zh()
                ),
            )
            .at_line(stated.as_ref().and_then(|s| s.2)),
        ),
        None if n_points > 0 => problems.push(Problem::new(
            ProblemKind::DatumNotStated,
            Severity::Error,
            format!("未说明坐标系，无法确定是否为 CGCS2000，不予猜测。{supply}"),
        )),
        None => {}
    }

    // ---- Declared zone ----
    let stated_zone = raw
        .hints
        .epsg
        .and_then(|(c, l)| match Crs::from_epsg(c) {
            Ok(Crs::GaussKruger(z)) => Some((z, l)),
            _ => None,
        })
        .or_else(|| {
            raw.hints.zone.and_then(|(z, l)| {
                let six = raw.hints.width_six.unwrap_or((13..=23).contains(&z));
                let zone = if six {
                    GaussKrugerZone::six_degree(z, true)
                } else {
                    GaussKrugerZone::three_degree(z, true)
                };
                zone.ok().map(|zz| (zz, l))
            })
        });
    // A central meridian stated: the zone it names (3° zones: CM = 3 × zone; 6° zones:
    // CM = 6 × zone − 3), checked against a zone stated beside it.
    let cm_zone = raw.hints.central_meridian.and_then(|(cm, l)| {
        let six = raw.hints.width_six.unwrap_or(!cm.is_multiple_of(3));
        let zone = if six {
            (cm + 3)
                .is_multiple_of(6)
                .then(|| GaussKrugerZone::six_degree((cm + 3) / 6, false))
        } else {
            cm.is_multiple_of(3)
                .then(|| GaussKrugerZone::three_degree(cm / 3, false))
        };
        match zone.and_then(Result::ok) {
            Some(z) => {
                if raw.hints.width_six.is_none() && cm.is_multiple_of(3) && (cm + 3).is_multiple_of(6)
                {
                    problems.push(
                        Problem::new(
                            ProblemKind::ZonePrefixMissing,
                            Severity::Warning,
                            format!(
                                "中央经线 {cm}° 既是 3° 带第 {} 带、也是 6° 带第 {} 带的中央经线；文件未说明分带，按 3° 带计算，请核对（可注明“3度带”或“6度带”）",
                                cm / 3,
                                (cm + 3) / 6
                            ),
                        )
                        .at_line(l),
                    );
                }
                Some((z, l))
            }
            None => {
                problems.push(
                    Problem::new(
                        ProblemKind::DatumConflict,
                        Severity::Error,
                        format!(
                            "文件注明中央经线 {cm}°，不是 CGCS2000 {} 分带的中央经线",
                            if six { "6°" } else { "3°" }
                        ),
                    )
                    .at_line(l),
                );
                None
            }
        }
    });
    if let (Some((s, _)), Some((c, l))) = (stated_zone, cm_zone)
        && (s.central_meridian() - c.central_meridian()).abs() > 1e-9
    {
        problems.push(
            Problem::new(
                ProblemKind::DatumConflict,
                Severity::Error,
                format!(
                    "文件注明第 {} 带（中央经线 {}°），又注明中央经线 {}°，两者不符；请核对投影带",
                    s.zone,
                    s.central_meridian(),
                    c.central_meridian()
                ),
            )
            .at_line(l),
        );
    }
    let stated_zone = stated_zone.or(cm_zone.map(|(z, l)| (z.with_prefix(true), l)));
    if let (Some(given), Some((s, l))) = (opts.zone, stated_zone)
        && (given.zone != s.zone || given.width != s.width)
    {
        problems.push(
            Problem::new(
                ProblemKind::DatumConflict,
                Severity::Error,
                format!("文件注明第 {} 带，与指定的第 {} 带不符", s.zone, given.zone),
            )
            .at_line(l),
        );
    }
    let declared = opts.zone.or(stated_zone.map(|s| s.0));

    // ---- Coordinates ----
    let mut geo: Vec<Vec<Vec<Geo>>> = Vec::new();
    let (zone, crs_zone) = match raw.kind {
        CoordKind::Plane => plane(
            &mut raw,
            opts,
            declared,
            &mut geo,
            &mut problems,
            &mut basis,
        ),
        CoordKind::Geographic => {
            geographic(&raw, opts, declared, &mut geo, &mut problems, &mut basis)
        }
    };
    let crs = if official {
        match raw.kind {
            CoordKind::Geographic if zone.is_some() => Some(Crs::Geographic),
            CoordKind::Plane => crs_zone.map(Crs::GaussKruger),
            _ => None,
        }
    } else {
        None
    };

    // ---- Report blocks (record + interpreted values) ----
    let mut blocks = Vec::new();
    let kind = raw.kind;
    for (bi, b) in raw.blocks.iter_mut().enumerate() {
        let mut rings = Vec::new();
        for (ri, r) in b.rings.iter_mut().enumerate() {
            let points = r
                .points
                .iter_mut()
                .enumerate()
                .map(|(pi, p)| {
                    let swapped = swapped_point(kind, p.x, p.y);
                    let (x, y) = if swapped { (p.y, p.x) } else { (p.x, p.y) };
                    let _ = &geo[bi][ri][pi];
                    CornerPoint {
                        label: p.label.clone(),
                        // Moved, like the lines: later checks read the report's points.
                        x_text: std::mem::take(&mut p.x_text),
                        y_text: std::mem::take(&mut p.y_text),
                        x: x.unwrap_or(f64::NAN),
                        y: y.unwrap_or(f64::NAN),
                        // Moved: the raw points' lines are not used after this.
                        source_lines: std::mem::take(&mut p.lines),
                        other: p.alt.as_ref().map(|a| super::OtherPair {
                            x_text: a.x_text.clone(),
                            y_text: a.y_text.clone(),
                            geographic: a.kind == CoordKind::Geographic,
                            datum: a.datum,
                        }),
                    }
                })
                .collect();
            rings.push(Ring {
                name: r.name.clone(),
                role: r.role,
                points,
                elevation: r.elevation,
            });
        }
        blocks.push(CornerBlock {
            name: b.name.clone(),
            rings,
        });
    }

    // ---- Second pairs (another datum, or degrees beside metres) ----
    second_pairs(&raw, &blocks, zone, datum, &mut problems, &mut basis);

    // ---- Geometry checks ----
    let mut plane_rings = Vec::new();
    for (bi, b) in raw.blocks.iter().enumerate() {
        for (ri, r) in b.rings.iter().enumerate() {
            let mut labels = Vec::new();
            let mut coords = Vec::new();
            for (pi, p) in r.points.iter().enumerate() {
                if let Some(c) = geo[bi][ri][pi] {
                    labels.push(p.label.clone());
                    coords.push(c);
                }
            }
            plane_rings.push(PlaneRing {
                name: r.name.clone(),
                role: r.role,
                labels,
                coords,
            });
        }
    }
    problems.extend(validate::validate_rings(
        &plane_rings,
        &ValidateOptions::default(),
    ));
    if raw.layout == Layout::GeoJson {
        for pr in &plane_rings {
            let a = plane_area(&pr.coords);
            let wrong = match pr.role {
                RingRole::Shell => a < 0.0,
                RingRole::Hole => a > 0.0,
            };
            if wrong && pr.coords.len() >= 3 {
                let (want, got) = if pr.role == RingRole::Shell {
                    ("外圈", "顺时针")
                } else {
                    ("内圈", "逆时针")
                };
                problems.push(
                    Problem::new(
                        ProblemKind::WrongWinding,
                        Severity::Warning,
                        format!(
                            "{} 为{got}；RFC 7946 要求{want}{}，输出时已纠正",
                            pr.name.clone().unwrap_or_default(),
                            if pr.role == RingRole::Shell {
                                "逆时针"
                            } else {
                                "顺时针"
                            }
                        ),
                    )
                    .in_ring(pr.name.clone()),
                );
            }
        }
    }

    // ---- Region ----
    let region_name = opts.region.as_ref().map(|r| r.name.clone());
    match (&opts.region, zone) {
        (Some(region), Some(z)) => region_check(region, &z, &plane_rings, &mut problems),
        (Some(region), None) => basis.push(format!("投影带未定，未做“{}”范围检查", region.name)),
        (None, _) => basis.push("未指定规划区域，未做县域范围检查".to_owned()),
    }

    // ---- Areas ----
    let mut areas = None;
    let mut area_note = None;
    if let (true, Some(z)) = (official, zone) {
        areas = Some(compute_areas(&raw, &plane_rings, &z, raw.kind));
    } else {
        let provisional: f64 = plane_rings
            .iter()
            .map(|r| {
                plane_area(&r.coords).abs() * if r.role == RingRole::Hole { -1.0 } else { 1.0 }
            })
            .sum();
        let placed = plane_rings.iter().map(|r| r.coords.len()).sum::<usize>();
        if placed >= 3 && raw.kind == CoordKind::Plane {
            area_note = Some(format!(
                "坐标系或投影带未确定，未计算法定面积；按所列平面坐标计算的平面面积为 {provisional:.2} m²（仅供参考）"
            ));
        } else if n_points > 0 {
            area_note = Some("坐标系或投影带未确定，未计算面积".to_owned());
        }
    }
    if let Some(n) = area_note {
        basis.push(n);
    }
    problems.sort_by_key(|p| std::cmp::Reverse(p.severity));
    CornerReport {
        layout: raw.layout,
        crs,
        zone,
        datum,
        geographic: raw.kind == CoordKind::Geographic,
        crs_basis: basis,
        blocks,
        problems,
        areas,
        region: region_name,
        stated: super::StatedFigures {
            areas: std::mem::take(&mut raw.ring_areas),
            ..super::StatedFigures::default()
        },
    }
}

/// Removes a repeated closing point and reports label trouble.
fn normalise_closure(raw: &mut RawDoc, problems: &mut Vec<Problem>) {
    for b in &mut raw.blocks {
        for r in &mut b.rings {
            let n = r.points.len();
            if n >= 2 {
                let (f, l) = (&r.points[0], &r.points[n - 1]);
                let same = f.x.is_some() && f.x == l.x && f.y == l.y;
                if same {
                    if f.label != l.label && !r.closure_required {
                        problems.push(
                            Problem::new(
                                ProblemKind::RepeatedPoint,
                                Severity::Warning,
                                format!(
                                    "{}：末点 {} 与首点 {} 坐标相同，按闭合点处理，不计为另一个拐点",
                                    r.name.clone().unwrap_or_default(),
                                    l.label,
                                    f.label
                                ),
                            )
                            .with_points(vec![f.label.clone(), l.label.clone()])
                            .at_line(l.line)
                            .in_ring(r.name.clone()),
                        );
                    }
                    r.points.pop();
                    r.was_closed = true;
                } else if f.label == l.label && !r.closure_required {
                    problems.push(
                        Problem::new(
                            ProblemKind::DuplicateLabel,
                            Severity::Error,
                            format!(
                                "{}：末点 {} 与首点同号但坐标不同（首点 {}, {}；末点 {}, {}）",
                                r.name.clone().unwrap_or_default(),
                                l.label,
                                f.x_text,
                                f.y_text,
                                l.x_text,
                                l.y_text
                            ),
                        )
                        .with_points(vec![l.label.clone()])
                        .at_line(l.line)
                        .in_ring(r.name.clone()),
                    );
                }
            }
            if r.closure_required && !r.was_closed && !r.points.is_empty() {
                problems.push(
                    Problem::new(
                        ProblemKind::UnclosedRing,
                        Severity::Warning,
                        format!(
                            "{} 未闭合：末点 {} 与首点 {} 不同；已自动闭合",
                            r.name.clone().unwrap_or_default(),
                            r.points[r.points.len() - 1].label,
                            r.points[0].label
                        ),
                    )
                    .with_points(vec![
                        r.points[0].label.clone(),
                        r.points[r.points.len() - 1].label.clone(),
                    ])
                    .in_ring(r.name.clone()),
                );
            }
            duplicate_labels(r, problems);
        }
    }
}

fn duplicate_labels(r: &RawRing, problems: &mut Vec<Problem>) {
    let mut seen = std::collections::HashMap::new();
    for p in &r.points {
        if let Some(first_line) = seen.insert(p.label.clone(), p.line) {
            problems.push(
                Problem::new(
                    ProblemKind::DuplicateLabel,
                    Severity::Error,
                    format!(
                        "{}拐点号 {} 重复出现{}",
                        super::raw::line_prefix(p.line),
                        p.label,
                        first_line
                            .map(|l| format!("（第 {l} 行已有）"))
                            .unwrap_or_default()
                    ),
                )
                .with_points(vec![p.label.clone()])
                .at_line(p.line)
                .in_ring(r.name.clone()),
            );
        }
    }
}

fn northing_like(v: f64) -> bool {
    (1_000_000.0..7_000_000.0).contains(&v)
}

fn easting_prefixed(v: f64) -> Option<u32> {
    if (10_000_000.0..100_000_000.0).contains(&v) {
        let z = (v / 1e6).floor();
        let rem = v - z * 1e6;
        ((50_000.0..950_000.0).contains(&rem)).then_some(z as u32)
    } else {
        None
    }
}

fn easting_plain(v: f64) -> bool {
    (50_000.0..1_000_000.0).contains(&v)
}

fn easting_like(v: f64) -> bool {
    easting_prefixed(v).is_some() || easting_plain(v)
}

/// A plane point entered as (Y, X).
fn swapped_point(kind: CoordKind, x: Option<f64>, y: Option<f64>) -> bool {
    match (kind, x, y) {
        (CoordKind::Plane, Some(a), Some(b)) => {
            !(northing_like(a) && easting_like(b)) && northing_like(b) && easting_like(a)
        }
        _ => false,
    }
}

fn digits_desc(v: f64) -> String {
    format!("{} 位", int_digits(v))
}

/// Plane input: swap, prefix and zone. Fills `geo` with (easting without prefix, northing).
/// Returns (zone used for geometry, unprefixed; the CRS zone of the record).
fn plane(
    raw: &mut RawDoc,
    opts: &ParseOptions,
    declared: Option<GaussKrugerZone>,
    geo: &mut Vec<Vec<Vec<Geo>>>,
    problems: &mut Vec<Problem>,
    basis: &mut Vec<String>,
) -> (Option<GaussKrugerZone>, Option<GaussKrugerZone>) {
    // Pass 1: axis order per point; collect (northing, easting-as-entered).
    let mut ne: Vec<Vec<Vec<Geo>>> = Vec::new(); // (northing, easting as entered)
    let mut prefixes: Vec<u32> = Vec::new();
    let mut plain_count = 0usize;
    for b in &raw.blocks {
        let mut bv = Vec::new();
        for r in &b.rings {
            let mut rv = Vec::new();
            let mut swapped = Vec::new();
            let mut implausible = Vec::new();
            for p in &r.points {
                let v = match (p.x, p.y) {
                    (Some(a), Some(bb)) => {
                        if northing_like(a) && easting_like(bb) {
                            Some((a, bb))
                        } else if northing_like(bb) && easting_like(a) {
                            swapped.push(p.label.clone());
                            Some((bb, a))
                        } else {
                            implausible.push((p.label.clone(), a, bb, p.line));
                            None
                        }
                    }
                    _ => None,
                };
                if let Some((_, e)) = v {
                    match easting_prefixed(e) {
                        Some(z) => prefixes.push(z),
                        None => plain_count += 1,
                    }
                }
                rv.push(v);
            }
            let rn = r.name.clone().unwrap_or_default();
            if !swapped.is_empty() {
                let sample = r.points.iter().find(|p| swapped.contains(&p.label));
                let detail = sample
                    .map(|p| {
                        format!(
                            "（如拐点 {}：X={}（{}），Y={}（{}）",
                            p.label,
                            p.x_text,
                            digits_desc(p.x.unwrap_or(0.0)),
                            p.y_text,
                            digits_desc(p.y.unwrap_or(0.0))
                        )
                    })
                    .unwrap_or_default();
                let all = swapped.len() == r.points.len();
                problems.push(
                    Problem::new(
                        ProblemKind::XySwapped,
                        Severity::Error,
                        format!(
                            "{rn}：{}X 与 Y 填反{detail}；X 应为 7 位整数的纵坐标（北），Y 应为横坐标（东，含带号为 8 位）。以下检查按交换后的坐标进行",
                            if all { "全部拐点 ".to_owned() } else { format!("拐点 {} ", swapped.join("、")) }
                        ),
                    )
                    .with_points(swapped)
                    .in_ring(r.name.clone()),
                );
            }
            for (label, a, bb, line) in implausible {
                problems.push(
                    Problem::new(
                        ProblemKind::ImplausibleCoordinate,
                        Severity::Error,
                        format!(
                            "{}{rn} 拐点 {label}：X={a}（{}）、Y={bb}（{}）不是我国高斯平面坐标（X 为 7 位整数；Y 含带号 8 位、不含带号 6 位）；该点未参与计算",
                            super::raw::line_prefix(line),
                            digits_desc(a),
                            digits_desc(bb)
                        ),
                    )
                    .with_points(vec![label])
                    .at_line(line)
                    .in_ring(r.name.clone()),
                );
            }
            bv.push(rv);
        }
        ne.push(bv);
    }

    // Pass 2: zone.
    let majority = {
        let mut counts: Vec<(u32, usize)> = Vec::new();
        for z in &prefixes {
            match counts.iter_mut().find(|(k, _)| k == z) {
                Some(c) => c.1 += 1,
                None => counts.push((*z, 1)),
            }
        }
        counts.into_iter().max_by_key(|c| c.1).map(|c| c.0)
    };
    let region_zone = opts.region.as_ref().map(|r| r.zone);
    let mut zone: Option<GaussKrugerZone> = None; // prefixed-or-not as the record is
    if let Some(p) = majority {
        let from_prefix = match declared {
            Some(d) if u32::from(d.zone) == p => Some(d.with_prefix(true)),
            _ => {
                if (13..=23).contains(&p) {
                    GaussKrugerZone::six_degree(p, true).ok()
                } else {
                    GaussKrugerZone::three_degree(p, true).ok()
                }
            }
        };
        match (from_prefix, declared) {
            (Some(z), Some(d)) if d.zone != z.zone || d.width != z.width => {
                problems.push(
                    Problem::new(
                        ProblemKind::ZonePrefixWrong,
                        Severity::Error,
                        format!(
                            "Y 坐标的带号为 {p}，与指定的第 {} 带不符；按指定的第 {} 带计算",
                            d.zone, d.zone
                        ),
                    )
                    .with_points(all_labels(raw)),
                );
                zone = Some(d.with_prefix(true));
            }
            (Some(z), _) => {
                basis.push(format!("投影带：第 {p} 带（取自 Y 坐标的带号）"));
                zone = Some(z);
            }
            (None, fallback) => {
                problems.push(
                    Problem::new(
                        ProblemKind::ZonePrefixWrong,
                        Severity::Error,
                        format!(
                            "Y 坐标的带号 {p} 不是 CGCS2000 的 3° 带号（25–45）或 6° 带号（13–23）"
                        ),
                    )
                    .with_points(all_labels(raw)),
                );
                zone = fallback.or(region_zone).map(|z| z.with_prefix(true));
            }
        }
        // Points with another prefix, or none.
        let mut other = Vec::new();
        let mut missing = Vec::new();
        for (b, bv) in raw.blocks.iter().zip(&ne) {
            for (r, rv) in b.rings.iter().zip(bv) {
                for (pt, v) in r.points.iter().zip(rv) {
                    if let Some((_, e)) = v {
                        match easting_prefixed(*e) {
                            Some(q) if q != p => other.push(pt.label.clone()),
                            None => missing.push(pt.label.clone()),
                            _ => {}
                        }
                    }
                }
            }
        }
        if !other.is_empty() {
            problems.push(
                Problem::new(
                    ProblemKind::ZonePrefixWrong,
                    Severity::Error,
                    format!(
                        "拐点 {} 的 Y 坐标带号与其余拐点（{p}）不同",
                        other.join("、")
                    ),
                )
                .with_points(other),
            );
        }
        if !missing.is_empty() {
            problems.push(
                Problem::new(
                    ProblemKind::ZonePrefixMissing,
                    Severity::Error,
                    format!(
                        "拐点 {} 的 Y 坐标缺少带号（其余拐点为 {p} 带），请补全",
                        missing.join("、")
                    ),
                )
                .with_points(missing),
            );
        }
    } else if plain_count > 0 {
        if let Some(d) = declared {
            basis.push(format!(
                "投影带：第 {} 带（Y 不含带号，带号由参数或文件说明给定）",
                d.zone
            ));
            zone = Some(d.with_prefix(false));
        } else if let Some(rz) = region_zone {
            problems.push(Problem::new(
                ProblemKind::ZonePrefixMissing,
                Severity::Warning,
                format!(
                    "Y 坐标不含带号；按规划区域“{}”的默认投影带第 {} 带计算，请核对（可在检查时指定投影带）",
                    opts.region.as_ref().map(|r| r.name.as_str()).unwrap_or_default(),
                    rz.zone
                ),
            ));
            zone = Some(rz.with_prefix(false));
        } else if raw.hints.epsg.is_some() {
            // A CRS is stated but is not a CGCS2000 zone: reported as a datum problem.
        } else {
            problems.push(
                Problem::new(
                    ProblemKind::ZonePrefixMissing,
                    Severity::Error,
                    "Y 坐标不含带号，无法确定投影带，不予猜测。请在文件中注明带号（如“第44带”），或在检查时指定投影带",
                )
                .with_points(all_labels(raw)),
            );
        }
    }

    // Pass 3: geometry coordinates (easting without prefix).
    for (b, bv) in raw.blocks.iter().zip(&ne) {
        let mut gb = Vec::new();
        for (_r, rv) in b.rings.iter().zip(bv) {
            gb.push(
                rv.iter()
                    .map(|v| {
                        v.map(|(n, e)| {
                            let e_plain = match easting_prefixed(e) {
                                Some(q) => e - f64::from(q) * 1e6,
                                None => e,
                            };
                            (e_plain, n)
                        })
                    })
                    .collect(),
            );
        }
        geo.push(gb);
    }

    // Region: does the prefix put the points in the region while the region's zone would?
    if let (Some(region), Some(z)) = (&opts.region, zone)
        && region.zone.central_meridian() != z.central_meridian()
    {
        let pts: Vec<(f64, f64)> = geo.iter().flatten().flatten().flatten().copied().collect();
        let inside = |zz: &GaussKrugerZone| {
            let outline = outline_in_zone(region, zz);
            pts.iter()
                .filter(|p| outline.iter().any(|r| validate::point_in_ring(**p, r)))
                .count()
        };
        let (here, there) = (
            inside(&z.with_prefix(false)),
            inside(&region.zone.with_prefix(false)),
        );
        if here * 2 < pts.len() && there * 2 > pts.len() {
            problems.push(
                Problem::new(
                    ProblemKind::ZonePrefixWrong,
                    Severity::Error,
                    format!(
                        "按第 {} 带换算，拐点不在“{}”内；按规划默认第 {} 带则在区内——带号可能写错。以下按第 {} 带检查",
                        z.zone, region.name, region.zone.zone, region.zone.zone
                    ),
                )
                .with_points(all_labels(raw)),
            );
            zone = Some(region.zone.with_prefix(z.prefixed));
        }
    }
    (zone.map(|z| z.with_prefix(false)), zone)
}

fn all_labels(raw: &RawDoc) -> Vec<String> {
    raw.blocks
        .iter()
        .flat_map(|b| &b.rings)
        .flat_map(|r| &r.points)
        .map(|p| p.label.clone())
        .collect()
}

/// Geographic input: project to the zone. Returns (zone used, unprefixed; zone for the
/// record's CRS — none, since the record is geographic).
fn geographic(
    raw: &RawDoc,
    opts: &ParseOptions,
    declared: Option<GaussKrugerZone>,
    geo: &mut Vec<Vec<Vec<Geo>>>,
    problems: &mut Vec<Problem>,
    basis: &mut Vec<String>,
) -> (Option<GaussKrugerZone>, Option<GaussKrugerZone>) {
    let lons: Vec<f64> = raw
        .blocks
        .iter()
        .flat_map(|b| &b.rings)
        .flat_map(|r| &r.points)
        .filter_map(|p| p.y)
        .collect();
    let mean_lon = if lons.is_empty() {
        f64::NAN
    } else {
        lons.iter().sum::<f64>() / lons.len() as f64
    };
    let zone = if let Some(d) = declared {
        basis.push(format!(
            "面积与几何检查所用投影带：第 {} 带（参数或文件指定）",
            d.zone
        ));
        Some(d)
    } else if let Some(r) = &opts.region {
        basis.push(format!(
            "面积与几何检查所用投影带：第 {} 带（规划区域默认）",
            r.zone.zone
        ));
        Some(r.zone)
    } else {
        let z = GaussKrugerZone::three_degree_for_lon(mean_lon, true);
        if let Some(z) = z {
            basis.push(format!(
                "面积与几何检查所用投影带：3° 带第 {} 带（按经度 {mean_lon:.3}° 选定）",
                z.zone
            ));
        }
        z
    };
    let tm = match zone {
        Some(z) => z.with_prefix(false).projection(),
        None => {
            if !lons.is_empty() {
                problems.push(Problem::new(
                    ProblemKind::OutsideZoneRange,
                    Severity::Error,
                    format!("平均经度 {mean_lon:.4}° 不在我国 CGCS2000 高斯–克吕格分带范围（75°E–135°E，3° 带 25–45）；几何检查在中央经线 {:.0}°E 的横轴墨卡托平面上进行", (mean_lon / 3.0).round() * 3.0),
                ));
            }
            let cm = if mean_lon.is_finite() {
                (mean_lon / 3.0).round() * 3.0
            } else {
                0.0
            };
            TransverseMercator::new(Ellipsoid::CGCS2000, cm, 1.0, 500_000.0, 0.0)
        }
    };
    for b in &raw.blocks {
        let mut gb = Vec::new();
        for r in &b.rings {
            let mut gr = Vec::new();
            for p in &r.points {
                let v = match (p.x, p.y) {
                    (Some(lat), Some(lon)) if lat.abs() <= 90.0 && lon.abs() <= 180.0 => {
                        let (e, n) = tm.forward(lon, lat);
                        Some((e, n))
                    }
                    (Some(lat), Some(lon)) => {
                        problems.push(
                            Problem::new(
                                ProblemKind::InvalidAngle,
                                Severity::Error,
                                format!(
                                    "{}拐点 {}：纬度 {lat}、经度 {lon} 超出范围",
                                    super::raw::line_prefix(p.line),
                                    p.label
                                ),
                            )
                            .with_points(vec![p.label.clone()])
                            .at_line(p.line),
                        );
                        None
                    }
                    _ => None,
                };
                gr.push(v);
            }
            gb.push(gr);
        }
        geo.push(gb);
    }
    (zone.map(|z| z.with_prefix(false)), None)
}

fn outline_in_zone(region: &super::Region, zone: &GaussKrugerZone) -> Vec<Vec<(f64, f64)>> {
    let tm = zone.with_prefix(false).projection();
    region
        .outline_lonlat
        .iter()
        .map(|r| r.iter().map(|&(lon, lat)| tm.forward(lon, lat)).collect())
        .collect()
}

fn region_check(
    region: &super::Region,
    zone: &GaussKrugerZone,
    rings: &[PlaneRing],
    problems: &mut Vec<Problem>,
) {
    let outline = outline_in_zone(region, zone);
    if outline.is_empty() {
        return;
    }
    for r in rings {
        let mut out = Vec::new();
        let mut worst = 0.0_f64;
        for (p, l) in r.coords.iter().zip(&r.labels) {
            let inside = outline.iter().any(|o| validate::point_in_ring(*p, o));
            if !inside {
                let d = outline
                    .iter()
                    .map(|o| validate::distance_to_ring(*p, o))
                    .fold(f64::INFINITY, f64::min);
                if d > region.tolerance_m {
                    out.push(l.clone());
                    worst = worst.max(d);
                }
            }
        }
        if !out.is_empty() {
            problems.push(
                Problem::new(
                    ProblemKind::OutsideRegion,
                    Severity::Error,
                    format!(
                        "{}：拐点 {} 位于“{}”范围之外（最远 {:.1} m，容差 {} m）",
                        r.name.clone().unwrap_or_default(),
                        out.join("、"),
                        region.name,
                        worst,
                        region.tolerance_m
                    ),
                )
                .with_points(out)
                .in_ring(r.name.clone()),
            );
        }
    }
}

fn compute_areas(
    raw: &RawDoc,
    rings: &[PlaneRing],
    zone: &GaussKrugerZone,
    kind: CoordKind,
) -> Areas {
    let z = zone.with_prefix(false);
    let width = match z.width {
        ZoneWidth::Three => 3,
        ZoneWidth::Six => 6,
    };
    let mut blocks = Vec::new();
    let mut k = 0;
    let tm = z.projection();
    for b in &raw.blocks {
        let (mut p, mut e) = (0.0, 0.0);
        for _ in &b.rings {
            let r = &rings[k];
            k += 1;
            if r.coords.len() < 3 {
                continue;
            }
            let sign = if r.role == RingRole::Hole { -1.0 } else { 1.0 };
            p += sign * plane_area(&r.coords).abs();
            let ell = match kind {
                CoordKind::Plane => ellipsoidal_area_gk(&r.coords, &z, DEFAULT_DENSIFY_M),
                CoordKind::Geographic => {
                    let ll: Vec<(f64, f64)> =
                        r.coords.iter().map(|&(x, y)| tm.inverse(x, y)).collect();
                    ellipsoidal_area_lonlat(&ll, Ellipsoid::CGCS2000)
                }
            };
            e += sign * ell.abs();
        }
        blocks.push(BlockArea {
            name: b.name.clone(),
            plane_m2: p,
            ellipsoidal_m2: e,
            km2: km2_4dp(e),
        });
    }
    let plane_m2: f64 = blocks.iter().map(|b| b.plane_m2).sum();
    let ellipsoidal_m2: f64 = blocks.iter().map(|b| b.ellipsoidal_m2).sum();
    Areas {
        plane_m2,
        ellipsoidal_m2,
        km2: km2_4dp(ellipsoidal_m2),
        plane_method: format!(
            "平面面积（高斯投影平面）：CGCS2000 {width}° 带第 {} 带（中央经线 {}°E）平面坐标按鞋带公式计算",
            z.zone,
            z.central_meridian()
        ),
        ellipsoidal_method: match kind {
            CoordKind::Plane => format!(
                "椭球面积（TD/T 1055-2019 附录D）：CGCS2000 椭球；平面边按不超过 {DEFAULT_DENSIFY_M} m 加密后反算经纬度，逐段椭球梯形面积求和"
            ),
            CoordKind::Geographic => {
                "椭球面积（TD/T 1055-2019 附录D）：CGCS2000 椭球；按经纬度顶点逐边椭球梯形面积求和"
                    .to_owned()
            }
        },
        blocks,
    }
}

/// Points given twice in one row: the unused pair is cross-checked or named.
///
/// * Degrees beside CGCS2000 plane metres (`点号 X Y 纬度 经度`): the degrees are projected into
///   the report's zone (Gauss–Krüger on CGCS2000) and must lie within 0.05 m of the plane pair;
///   farther is [`ProblemKind::PairsDisagree`], an error naming the point and the distance.
/// * A pair in another datum (`X80 Y80` beside `X2000 Y2000`): not transformed (no guessed
///   transformation), named in the basis.
fn second_pairs(
    raw: &RawDoc,
    blocks: &[CornerBlock],
    zone: Option<GaussKrugerZone>,
    datum: Option<Datum>,
    problems: &mut Vec<Problem>,
    basis: &mut Vec<String>,
) {
    let mut other_datums: Vec<Datum> = Vec::new();
    let mut checked = 0usize;
    let mut ddd_mmss = 0usize;
    let mut worst = 0.0f64;
    for (b, rb) in raw.blocks.iter().zip(blocks) {
        for (r, rr) in b.rings.iter().zip(&rb.rings) {
            for (p, cp) in r.points.iter().zip(&rr.points) {
                let Some(alt) = &p.alt else { continue };
                let same_datum = alt.datum.is_none_or(|d| Some(d) == datum);
                if !same_datum {
                    if let Some(d) = alt.datum
                        && !other_datums.contains(&d)
                    {
                        other_datums.push(d);
                    }
                    continue;
                }
                let (Some(z), CoordKind::Geographic, CoordKind::Plane) = (zone, alt.kind, raw.kind)
                else {
                    continue;
                };
                let (Some(lat), Some(lon)) = (alt.x, alt.y) else {
                    continue;
                };
                if !cp.is_readable() || datum != Some(Datum::Cgcs2000) {
                    continue;
                }
                let tm = z.with_prefix(false).projection();
                let apart = |lon: f64, lat: f64| {
                    let (e, n) = tm.forward(lon, lat);
                    (e - z.strip_zone_prefix(cp.y)).hypot(n - cp.x)
                };
                let mut d = apart(lon, lat);
                // Read as decimal degrees they disagree: do they agree as ddd.mmss? Then that is
                // their notation (the plane pair settles what the digits alone cannot).
                if d > 0.05 && !raw.hints.ddd_mmss {
                    let packed =
                        |t: &str| super::dms::parse_angle(t, super::GeographicFormat::DddMmss).ok();
                    if let (Some(lat2), Some(lon2)) = (packed(&alt.x_text), packed(&alt.y_text)) {
                        let d2 = apart(lon2, lat2);
                        if d2 <= 0.05 {
                            d = d2;
                            ddd_mmss += 1;
                        }
                    }
                }
                checked += 1;
                worst = worst.max(d);
                if d > 0.05 {
                    problems.push(super::raw::point_problem(
                        ProblemKind::PairsDisagree,
                        Severity::Error,
                        p.line,
                        &p.label,
                        &format!(
                            "拐点 {} 的经纬度（{}，{}）与平面坐标（{}，{}）相差 {d:.2} m（超过 0.05 m），请核对",
                            p.label, alt.x_text, alt.y_text, cp.x_text, cp.y_text
                        ),
                    ));
                }
            }
        }
    }
    if checked > 0 {
        basis.push(format!(
            "另列的经纬度已与平面坐标核对：{checked} 个拐点，最大相差 {worst:.3} m"
        ));
    }
    if ddd_mmss > 0 {
        problems.push(Problem::new(
            ProblemKind::AmbiguousNotation,
            Severity::Warning,
            format!(
                "另列的经纬度未说明写法；{ddd_mmss} 个拐点按“度.分秒”（ddd.mmss）读取才与平面坐标相符，已按此核对"
            ),
        ));
    }
    for d in other_datums {
        basis.push(format!(
            "另列的{}坐标未使用（不做坐标转换），按 2000国家大地坐标系一列计算",
            d.label_zh()
        ));
    }
}
