//! The application file as TOML gives it: each value with its place in the file
//! ([`Spanned`]), so that every problem found later names its line.

use super::{ApplicationError, ApplicationErrors};
use crate::layer::line_of;
use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawQuantity {
    pub(super) value: Spanned<f64>,
    pub(super) unit: Spanned<String>,
    /// 计量基准 (`荒料量`, `可采矿石量` …); may also be written in brackets after the unit.
    pub(super) basis: Option<Spanned<String>>,
    /// 年工作天数, for a capacity in 立方米/日 (never assumed).
    pub(super) days_per_year: Option<Spanned<f64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawHolder {
    pub(super) name: Spanned<String>,
    pub(super) credit_code: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawGrant {
    pub(super) method: Spanned<String>,
    pub(super) agreement_reason: Option<Spanned<String>>,
    pub(super) agreement_note: Option<String>,
    #[serde(default)]
    pub(super) net_mineral: bool,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDocuments {
    #[serde(default)]
    pub(super) development_plan: bool,
    #[serde(default)]
    pub(super) restoration_plan: bool,
    #[serde(default)]
    pub(super) green_mine_commitment: bool,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSite {
    pub(super) wetland: Option<bool>,
    pub(super) arable_land: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCoordinates {
    pub(super) file: Option<Spanned<String>>,
    pub(super) text: Option<Spanned<String>>,
    pub(super) crs: Option<Spanned<u32>>,
    pub(super) datum: Option<Spanned<String>>,
    pub(super) zone: Option<Spanned<u32>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawApplication {
    pub(super) format: Spanned<String>,
    pub(super) number: Spanned<String>,
    pub(super) kind: Spanned<String>,
    pub(super) change: Option<Spanned<String>>,
    pub(super) right_kind: Spanned<String>,
    pub(super) project_name: Spanned<String>,
    pub(super) minerals: Spanned<Vec<Spanned<String>>>,
    pub(super) mining_method: Option<Spanned<String>>,
    pub(super) capacity: Option<Spanned<RawQuantity>>,
    pub(super) reserves: Option<Spanned<RawQuantity>>,
    pub(super) service_years: Option<Spanned<f64>>,
    pub(super) existing_right: Option<Spanned<String>>,
    pub(super) received: Option<Spanned<String>>,
    pub(super) declared_area: Option<Spanned<String>>,
    pub(super) sub_unit: Option<Spanned<String>>,
    pub(super) holder: Spanned<RawHolder>,
    pub(super) grant: Spanned<RawGrant>,
    #[serde(default)]
    pub(super) documents: RawDocuments,
    #[serde(default)]
    pub(super) site: RawSite,
    pub(super) coordinates: Spanned<RawCoordinates>,
}

/// The coordinates section of an application file: what the caller must supply when it
/// names a file (the domain does no I/O).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CornerSource {
    /// Inline `text`.
    Inline,
    /// A file path relative to the application file.
    File(String),
}

/// Reads which corner file (if any) an application names, so the caller can load it.
///
/// # Errors
/// As [`parse_application`](super::parse_application) for a file that is not TOML.
pub fn corner_source(toml_text: &str) -> Result<CornerSource, ApplicationErrors> {
    let raw: RawApplication = parse_raw(toml_text)?;
    Ok(match raw.coordinates.into_inner().file {
        Some(f) => CornerSource::File(f.into_inner()),
        None => CornerSource::Inline,
    })
}

/// The file as TOML gives it, or the TOML error located by line.
pub(super) fn parse_raw(src: &str) -> Result<RawApplication, ApplicationErrors> {
    toml::from_str(src).map_err(|e| ApplicationErrors {
        errors: vec![ApplicationError {
            field: "申请文件".into(),
            line: e.span().map(|s| line_of(src, s.start)),
            message: format!("TOML 格式错误：{}", crate::serde_zh::zh(e.message())),
            points: vec![],
        }],
        corner_report: None,
    })
}
