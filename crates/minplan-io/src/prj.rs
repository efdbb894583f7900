//! Coordinate systems as WKT: the ESRI `.prj` of a Shapefile (and the `definition` of a
//! GeoPackage SRS). A projected CRS is recognised from its parameters — Gauss_Kruger or
//! Transverse_Mercator, scale 1, latitude of origin 0, false northing 0, a central meridian of
//! a CGCS2000 3° or 6° zone, a false easting of 500 000 m with or without the zone prefix —
//! never from its name alone; the name only decides between a 3° and a 6° zone with the
//! same central meridian (the two are the same projection). The datum must be CGCS2000
//! (WGS 84 lon/lat is accepted: the two agree to centimetres); Xi'an 80, Beijing 54 and New
//! Beijing are refused. Written `.prj` files use ArcGIS's names
//! (`CGCS2000_3_Degree_GK_Zone_44`, `CGCS2000_3_Degree_GK_CM_132E`), which GDAL maps to EPSG.

use minplan_geo::{Crs, GaussKrugerZone, ZoneWidth};

/// A WKT node: `NAME["text", child, number, …]`.
#[derive(Debug, Clone, PartialEq)]
enum Node {
    Str(String),
    Num(f64),
    Tree(String, Vec<Node>),
}

fn parse_node(s: &[char], i: &mut usize) -> Result<Node, String> {
    while *i < s.len() && s[*i].is_whitespace() {
        *i += 1;
    }
    if *i >= s.len() {
        return Err("WKT 意外结束".into());
    }
    if s[*i] == '"' {
        *i += 1;
        let start = *i;
        while *i < s.len() && s[*i] != '"' {
            *i += 1;
        }
        let t: String = s[start..*i].iter().collect();
        *i += 1;
        return Ok(Node::Str(t));
    }
    let start = *i;
    while *i < s.len() && !matches!(s[*i], '[' | '(' | ']' | ')' | ',') {
        *i += 1;
    }
    let word: String = s[start..*i].iter().collect::<String>().trim().to_string();
    if *i < s.len() && matches!(s[*i], '[' | '(') {
        *i += 1;
        let mut kids = Vec::new();
        loop {
            kids.push(parse_node(s, i)?);
            while *i < s.len() && s[*i].is_whitespace() {
                *i += 1;
            }
            match s.get(*i) {
                Some(',') => *i += 1,
                Some(']' | ')') => {
                    *i += 1;
                    break;
                }
                _ => return Err(format!("WKT 第 {} 个字符处缺少“]”", *i + 1)),
            }
        }
        return Ok(Node::Tree(word.to_ascii_uppercase(), kids));
    }
    Ok(word.parse::<f64>().map_or(Node::Str(word), Node::Num))
}

impl Node {
    fn kids(&self) -> &[Node] {
        match self {
            Node::Tree(_, k) => k,
            _ => &[],
        }
    }
    fn name(&self) -> &str {
        match self.kids().first() {
            Some(Node::Str(s)) => s,
            _ => "",
        }
    }
    fn child(&self, key: &str) -> Option<&Node> {
        self.kids()
            .iter()
            .find(|k| matches!(k, Node::Tree(n, _) if n == key))
    }
    fn num(&self, at: usize) -> Option<f64> {
        match self.kids().get(at) {
            Some(Node::Num(x)) => Some(*x),
            _ => None,
        }
    }
    fn parameter(&self, names: &[&str]) -> Option<f64> {
        self.kids().iter().find_map(|k| match k {
            Node::Tree(n, _) if n == "PARAMETER" => {
                let pn = k.name().to_ascii_lowercase().replace([' ', '_'], "");
                names.iter().any(|w| pn == *w).then(|| k.num(1)).flatten()
            }
            _ => None,
        })
    }
    fn authority(&self) -> Option<u32> {
        let a = self.child("AUTHORITY").or_else(|| self.child("ID"))?;
        if !a.name().eq_ignore_ascii_case("EPSG") {
            return None;
        }
        match a.kids().get(1) {
            Some(Node::Str(s)) => s.parse().ok(),
            Some(Node::Num(x)) => Some(*x as u32),
            _ => None,
        }
    }
}

/// The datum of a GEOGCS: CGCS2000 and WGS 84 are accepted, the others refused by name.
fn check_datum(geog: &Node) -> Result<(), String> {
    let datum = geog.child("DATUM").map(Node::name).unwrap_or("");
    let all = format!("{} {datum}", geog.name()).to_ascii_lowercase();
    let refused = [
        ("xian", "西安80"),
        ("xi'an", "西安80"),
        ("beijing", "北京54"),
        ("krassowsky", "北京54（克拉索夫斯基椭球）"),
    ];
    if let Some((_, label)) = refused.iter().find(|(w, _)| all.contains(w)) {
        return Err(format!(
            "坐标系“{}”是{label}坐标系：请先转换为2000国家大地坐标系（CGCS2000）再导入",
            geog.name()
        ));
    }
    let ok = ["2000", "cgcs", "wgs_1984", "wgs 84", "wgs84", "wgs_84"];
    if !ok.iter().any(|w| all.contains(w)) {
        return Err(format!("坐标系的基准面“{datum}”不是 CGCS2000"));
    }
    // The ellipsoid's flattening distinguishes CGCS2000/WGS 84 from Krassowsky/IAG-75.
    if let Some(sph) = geog
        .child("DATUM")
        .and_then(|d| d.child("SPHEROID").or_else(|| d.child("ELLIPSOID")))
        && let (Some(a), Some(rf)) = (sph.num(1), sph.num(2))
        && ((a - 6_378_137.0).abs() > 0.5 || (rf - 298.257).abs() > 0.01)
    {
        return Err(format!(
            "椭球“{}”（长半轴 {a}，扁率倒数 {rf}）不是 CGCS2000 椭球",
            sph.name()
        ));
    }
    Ok(())
}

/// What a `.prj` (or GeoPackage SRS definition) says.
#[derive(Debug, Clone, PartialEq)]
pub struct PrjCrs {
    /// The CRS.
    pub crs: Crs,
    /// What the user should know (e.g. WGS 84 read as CGCS2000), Chinese.
    pub note: Option<String>,
}

/// Reads an ESRI or OGC WKT 1 coordinate system.
///
/// # Errors
/// A Chinese message naming what is wrong: not WKT, a refused datum, a projection that is not
/// a CGCS2000 Gauss–Krüger zone (the offending parameter named), a unit other than metres.
pub fn parse(wkt: &str) -> Result<PrjCrs, String> {
    let chars: Vec<char> = wkt.trim().trim_start_matches('\u{feff}').chars().collect();
    let mut i = 0;
    let root = parse_node(&chars, &mut i).map_err(|e| format!("不是 WKT 坐标系定义：{e}"))?;
    let Node::Tree(kind, _) = &root else {
        return Err("不是 WKT 坐标系定义".into());
    };
    match kind.as_str() {
        "GEOGCS" | "GEOGCRS" | "GEODCRS" => {
            check_datum(&root)?;
            let wgs = root.name().to_ascii_lowercase().contains("wgs")
                || root
                    .child("DATUM")
                    .is_some_and(|d| d.name().to_ascii_lowercase().contains("wgs"));
            Ok(PrjCrs {
                crs: Crs::Geographic,
                note: wgs.then(|| {
                    "文件为 WGS 84 经纬度，按 CGCS2000 读取（两者相差厘米级）".to_string()
                }),
            })
        }
        "PROJCS" | "PROJCRS" => {
            let geog = root
                .child("GEOGCS")
                .or_else(|| root.child("BASEGEOGCRS"))
                .ok_or("投影坐标系缺少 GEOGCS")?;
            check_datum(&geog.clone())?;
            let name = root.name().to_string();
            let proj = root
                .child("PROJECTION")
                .or_else(|| root.child("CONVERSION").and_then(|c| c.child("METHOD")))
                .map(Node::name)
                .unwrap_or("")
                .to_ascii_lowercase();
            if !(proj.contains("gauss") || proj.contains("transverse")) {
                return Err(format!("投影“{proj}”不是高斯–克吕格（横轴墨卡托）投影"));
            }
            let conv = root.child("CONVERSION").unwrap_or(&root);
            let get = |names: &[&str], what: &str| {
                conv.parameter(names)
                    .ok_or_else(|| format!("投影坐标系缺少参数 {what}"))
            };
            let cm = get(
                &[
                    "centralmeridian",
                    "longitudeofnaturalorigin",
                    "longitudeofcenter",
                ],
                "Central_Meridian",
            )?;
            let fe = get(&["falseeasting"], "False_Easting")?;
            let fnorth = conv.parameter(&["falsenorthing"]).unwrap_or(0.0);
            let k = conv
                .parameter(&["scalefactor", "scalefactoratnaturalorigin"])
                .unwrap_or(1.0);
            let lat0 = conv
                .parameter(&["latitudeoforigin", "latitudeofnaturalorigin"])
                .unwrap_or(0.0);
            if (k - 1.0).abs() > 1e-12 {
                return Err(format!(
                    "比例因子 {k} 不是高斯–克吕格投影的 1（UTM 等投影不受支持）"
                ));
            }
            if lat0.abs() > 1e-12 || fnorth.abs() > 1e-6 {
                return Err(format!("起始纬度 {lat0} 或北向偏移 {fnorth} 不为 0"));
            }
            if let Some(u) = root.child("UNIT").or_else(|| root.child("LENGTHUNIT"))
                && u.num(1).is_some_and(|m| (m - 1.0).abs() > 1e-12)
            {
                return Err(format!("长度单位“{}”不是米", u.name()));
            }
            let prefix = ((fe - 500_000.0) / 1e6).round();
            if (fe - 500_000.0 - prefix * 1e6).abs() > 1e-6 || prefix < 0.0 {
                return Err(format!("东向偏移 {fe} 不是 500000 或 带号×1000000+500000"));
            }
            let lname = name.to_ascii_lowercase().replace(' ', "_");
            let says_six = lname.contains("6_degree") || lname.contains("6度");
            let says_three = lname.contains("3_degree") || lname.contains("3度");
            let three = (cm / 3.0).round();
            let six = ((cm + 3.0) / 6.0).round();
            let cm_three = (cm - three * 3.0).abs() < 1e-9;
            let cm_six = (cm - (six * 6.0 - 3.0)).abs() < 1e-9;
            let prefixed = prefix > 0.0;
            let zone = if prefixed {
                let z = prefix as u32;
                if cm_three && z == three as u32 {
                    GaussKrugerZone::three_degree(z, true)
                } else if cm_six && z == six as u32 {
                    GaussKrugerZone::six_degree(z, true)
                } else {
                    return Err(format!("东向偏移的带号 {z} 与中央经线 {cm}° 不符"));
                }
            } else if cm_six && (says_six || !cm_three) && !says_three {
                GaussKrugerZone::six_degree(six as u32, false)
            } else if cm_three {
                GaussKrugerZone::three_degree(three as u32, false)
            } else {
                return Err(format!(
                    "中央经线 {cm}° 不是 CGCS2000 3° 或 6° 带的中央经线"
                ));
            }
            .map_err(|e| e.to_string())?;
            let crs = Crs::GaussKruger(zone);
            if let Some(code) = root.authority()
                && code != crs.epsg()
                && Crs::from_epsg(code).is_ok_and(|c| match c {
                    Crs::GaussKruger(z) => {
                        z.central_meridian() != zone.central_meridian()
                            || z.prefixed != zone.prefixed
                    }
                    Crs::Geographic => true,
                })
            {
                return Err(format!(
                    "声明的 EPSG:{code} 与投影参数（中央经线 {cm}°，东向偏移 {fe}）不一致"
                ));
            }
            let note = (cm_three
                && cm_six
                && !prefixed
                && !says_six
                && !says_three
                && zone.width == ZoneWidth::Three)
                .then(|| format!("中央经线 {cm}° 的 3° 带与 6° 带投影相同，按 3° 带读取"));
            Ok(PrjCrs { crs, note })
        }
        other => Err(format!("不支持的坐标系类型“{other}”")),
    }
}

const GEOGCS_2000: &str = r#"GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]"#;

/// The ESRI WKT of a CRS, as ArcGIS writes it for `.prj` files.
pub fn esri_wkt(crs: Crs) -> String {
    match crs {
        Crs::Geographic => GEOGCS_2000.to_string(),
        Crs::GaussKruger(z) => {
            let width = match z.width {
                ZoneWidth::Three => 3,
                ZoneWidth::Six => 6,
            };
            let cm = z.central_meridian();
            let name = if z.prefixed {
                format!("CGCS2000_{width}_Degree_GK_Zone_{}", z.zone)
            } else {
                format!("CGCS2000_{width}_Degree_GK_CM_{cm}E")
            };
            format!(
                r#"PROJCS["{name}",{GEOGCS_2000},PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",{:.1}],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",{cm:.1}],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#,
                z.false_easting()
            )
        }
    }
}
