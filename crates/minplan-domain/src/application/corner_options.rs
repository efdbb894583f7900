//! The corner parser's options for an application (`[coordinates] crs`, `zone`, `datum`),
//! shared by [`parse_application`](super::parse_application) and the web's corner check so
//! that what the check shows is what the review will read.

use minplan_geo::GaussKrugerZone;
use minplan_geo::corners::{self, ParseOptions};

/// What an application (or the corner-check form) says about its coordinates besides the
/// points: `[coordinates] crs`, `zone`, `datum`.
#[derive(Debug, Clone, Copy, Default)]
pub struct CornerOptionsInput<'a> {
    /// EPSG code (`crs = 4532`).
    pub crs: Option<u32>,
    /// 3° zone number (`zone = 44`).
    pub zone: Option<u32>,
    /// Datum as written (`datum = "CGCS2000"`).
    pub datum: Option<&'a str>,
}

/// Which coordinate option a problem is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CornerOption {
    /// `coordinates.crs`.
    Crs,
    /// `coordinates.zone`.
    Zone,
    /// `coordinates.datum`.
    Datum,
}

impl CornerOption {
    /// The field path in an application file.
    pub fn field(self) -> &'static str {
        match self {
            CornerOption::Crs => "coordinates.crs",
            CornerOption::Zone => "coordinates.zone",
            CornerOption::Datum => "coordinates.datum",
        }
    }
}

/// The corner parser's options for an application: the stated EPSG code, zone and datum
/// (only CGCS2000 is accepted for an application), and the county for the outside-county check,
/// whose zone the reader uses, with a warning, when none is stated (without a county: the
/// plan's zone, without prefix). Problems of the stated
/// options are returned with the option they concern; the options are usable regardless.
///
/// [`parse_application`](super::parse_application) reads coordinates with these options; the web's corner check uses
/// the same function so that what it shows is what the review will read.
pub fn corner_parse_options(
    input: &CornerOptionsInput<'_>,
    plan_zone: GaussKrugerZone,
    region: Option<corners::Region>,
) -> (ParseOptions, Vec<(CornerOption, String)>) {
    let mut problems = Vec::new();
    let mut opts = ParseOptions {
        region,
        ..ParseOptions::default()
    };
    if let Some(code) = input.crs {
        match minplan_geo::Crs::from_epsg(code) {
            Ok(minplan_geo::Crs::GaussKruger(z)) => opts.zone = Some(z),
            Ok(minplan_geo::Crs::Geographic) => {}
            Err(e) => problems.push((CornerOption::Crs, e.to_string())),
        }
        opts.datum = corners::datum_of_epsg(code);
    }
    if let Some(z) = input.zone {
        match GaussKrugerZone::three_degree(z, false) {
            Ok(zz) => opts.zone = Some(zz),
            Err(e) => problems.push((CornerOption::Zone, e.to_string())),
        }
    }
    if let Some(d) = input.datum {
        match d.trim() {
            "CGCS2000" | "2000国家大地坐标系" | "2000" => {
                opts.datum = Some(corners::Datum::Cgcs2000)
            }
            other => problems.push((
                CornerOption::Datum,
                format!("坐标系“{other}”不是 2000 国家大地坐标系（CGCS2000）；请先转换后再申请"),
            )),
        }
    }
    // Nothing stated: with the county given, the reader uses the county's zone and says so
    // (a warning the clerk sees); without it, the plan's zone as if given.
    if opts.zone.is_none() && opts.region.is_none() {
        opts.zone = Some(plan_zone.with_prefix(false));
    }
    (opts, problems)
}
