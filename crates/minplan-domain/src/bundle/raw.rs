//! The on-disk shape of `plan.toml` (see `docs/plan-format.md`). Deserialised with spans so
//! that every error can name its line; converted to [`crate::plan::Plan`] by the loader.

use serde::Deserialize;
use toml::Spanned;

pub type S<T> = Spanned<T>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPlan {
    pub format: S<String>,
    pub text: Option<S<String>>,
    pub identity: S<RawIdentity>,
    pub region: S<RawRegion>,
    #[serde(default)]
    pub baseline: Vec<S<RawFigure>>,
    #[serde(default)]
    pub previous_round: Vec<S<RawPreviousRound>>,
    #[serde(default)]
    pub indicators: Vec<S<RawIndicator>>,
    pub blocks_file: Option<S<String>>,
    #[serde(default)]
    pub block_groups: Vec<S<RawBlockGroup>>,
    #[serde(default)]
    pub blocks: Vec<S<RawBlock>>,
    #[serde(default)]
    pub key_areas: Vec<S<RawKeyArea>>,
    #[serde(default)]
    pub prohibitions: Vec<S<RawProhibition>>,
    pub admission: S<RawAdmission>,
    #[serde(default)]
    pub control_layers: Vec<S<RawControlLayer>>,
    #[serde(default)]
    pub minerals: Vec<S<RawMineral>>,
    #[serde(default)]
    pub rule_basis: std::collections::BTreeMap<String, S<RawRuleBasis>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRuleBasis {
    pub cite: Vec<S<String>>,
    pub text: S<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CitedText {
    pub value: S<String>,
    pub cite: Option<S<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CitedInt {
    pub value: S<i64>,
    pub cite: Option<S<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CitedList {
    pub value: Vec<S<String>>,
    pub cite: Option<S<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CitedNumber {
    pub value: Option<S<f64>>,
    pub unit: Option<S<String>>,
    pub cite: Option<S<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPeriod {
    pub start: S<i64>,
    pub end: S<i64>,
    pub cite: Option<S<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIdentity {
    pub name: S<CitedText>,
    pub short_name: S<String>,
    pub adcode: S<String>,
    pub level: S<String>,
    pub base_year: S<CitedInt>,
    pub period: S<RawPeriod>,
    #[serde(default)]
    pub follows: Vec<S<CitedText>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawZone {
    pub width: S<u32>,
    pub zone: S<u32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOutline {
    pub file: S<String>,
    #[serde(default)]
    pub schematic: bool,
    pub source: S<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRegion {
    pub name: S<String>,
    pub towns: S<CitedList>,
    pub zone: S<RawZone>,
    pub outline: S<RawOutline>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFigure {
    pub key: S<String>,
    pub label: S<String>,
    #[serde(default)]
    pub group: Option<S<String>>,
    pub value: Option<S<f64>>,
    pub unit: Option<S<String>>,
    pub cite: Option<S<String>>,
    #[serde(default)]
    pub items: Vec<S<String>>,
    pub note: Option<S<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPreviousRound {
    pub category: S<String>,
    pub indicator: S<String>,
    pub item: Option<S<String>>,
    pub unit: Option<S<String>>,
    pub target: Option<S<f64>>,
    pub actual: Option<S<f64>>,
    pub cite: Option<S<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum RawMetric {
    Simple(String),
    Extraction { extraction_total: String },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIndicator {
    pub key: S<String>,
    pub name: S<String>,
    pub table: S<String>,
    pub category: Option<S<String>>,
    pub unit: Option<S<String>>,
    pub target: Option<S<f64>>,
    pub comparison: Option<S<String>>,
    pub attribute: S<String>,
    pub metric: Option<S<RawMetric>>,
    pub cite: Option<S<String>>,
    pub note: Option<S<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBlockGroup {
    pub label: S<String>,
    pub kind: S<String>,
    pub approval: S<String>,
    pub count: S<CitedInt>,
    pub total_area: S<CitedNumber>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBlock {
    pub number: S<String>,
    pub name: S<String>,
    pub kind: S<String>,
    pub approval: S<String>,
    #[serde(default)]
    pub minerals: Vec<S<String>>,
    pub category: Option<S<String>>,
    pub stated_area: Option<S<CitedNumber>>,
    #[serde(default)]
    pub schematic: bool,
    pub cite: Option<S<String>>,
    pub note: Option<S<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawKeyArea {
    pub name: S<String>,
    #[serde(default)]
    pub minerals: Vec<S<String>>,
    #[serde(default)]
    pub blocks: Vec<S<String>>,
    pub cite: Option<S<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProhibition {
    pub mineral: S<String>,
    pub condition: S<String>,
    pub kind: S<String>,
    pub label: S<String>,
    pub cite: Option<S<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLimit {
    pub mineral: S<String>,
    pub value: Option<S<f64>>,
    pub unit: Option<S<String>>,
    pub applies_to: Option<S<String>>,
    pub cite: Option<S<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAdmission {
    #[serde(default)]
    pub min_scales: Vec<S<RawLimit>>,
    #[serde(default)]
    pub extraction_caps: Vec<S<RawLimit>>,
    pub mine_cap_total: S<CitedInt>,
    pub mine_cap_this_level: Option<S<CitedInt>>,
    #[serde(default)]
    pub other: Vec<S<RawFigure>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawControlLayer {
    pub kind: S<String>,
    pub name: S<String>,
    pub file: S<String>,
    pub source: S<String>,
    #[serde(default)]
    pub schematic: bool,
    pub buffer_m: Option<S<f64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMineral {
    pub name: S<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub group: Option<String>,
    pub class: S<String>,
    #[serde(default)]
    pub sand_gravel_clay: bool,
}
