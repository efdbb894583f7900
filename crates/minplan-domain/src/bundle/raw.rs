//! The on-disk shape of `plan.toml` (see `docs/plan-format.md`). Deserialised with spans so
//! that every error can name its line; converted to [`crate::plan::Plan`] by the loader.

use serde::Deserialize;
use toml::Spanned;

pub type S<T> = Spanned<T>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPlan {
    pub format: Option<S<String>>,
    pub text: Option<S<String>>,
    #[serde(default)]
    pub sources: Vec<S<RawSource>>,
    pub identity: Option<S<RawIdentity>>,
    pub version: Option<S<RawVersion>>,
    pub region: Option<S<RawRegion>>,
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
    pub admission: Option<S<RawAdmission>>,
    #[serde(default)]
    pub caps: Vec<S<RawCap>>,
    #[serde(default)]
    pub sub_units: Vec<S<RawSubUnit>>,
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
    pub base_year: Option<S<CitedInt>>,
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
    pub total_area: Option<S<CitedNumber>>,
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
    /// 新设 / 保留 / 调整 / 探转采.
    pub status: Option<S<String>>,
    /// The level that designates the block (划定), when the plan says it apart from `approval`.
    pub designated_by: Option<S<String>>,
    /// The level that issues its rights (审批发证 / 出让登记), as the plan writes it.
    pub issued_by: Option<S<String>>,
    /// Resources the plan states for the block (value, unit, cite).
    pub resources: Option<S<CitedNumber>>,
    /// Whether the block has a geometry in `blocks_file` (default true).
    pub geometry: Option<bool>,
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
    pub mine_cap_total: Option<S<CitedInt>>,
    pub mine_cap_this_level: Option<S<CitedInt>>,
    #[serde(default)]
    pub other: Vec<S<RawFigure>>,
}

/// `[[caps]]`: a cap as the plan writes it (docs/plan-format.md “控制指标”).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCap {
    pub key: S<String>,
    pub label: Option<S<String>>,
    pub measure: S<String>,
    pub mineral: Option<S<String>>,
    pub category: Option<S<String>>,
    pub method: Option<S<String>>,
    pub approval: Option<S<String>>,
    pub right_kind: Option<S<String>>,
    pub applies_to: Option<S<String>>,
    pub scope: Option<S<String>>,
    pub value: Option<S<f64>>,
    pub unit: Option<S<String>>,
    pub comparison: Option<S<String>>,
    pub wording: Option<S<String>>,
    pub cite: Option<S<String>>,
    pub note: Option<S<String>>,
}

/// `[[sub_units]]`: a county of a city plan, a town of a county plan.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSubUnit {
    pub name: S<String>,
    pub adcode: Option<S<String>>,
    pub file: Option<S<String>>,
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

/// One problem found while reading `plan.toml`'s sections: the byte span and the message.
pub type SectionError = (Option<std::ops::Range<usize>>, String);

/// Reads `plan.toml` section by section, so that a missing field or a wrong type in one table
/// (or one element of an array of tables) is reported beside every other problem instead of
/// hiding them: each top-level key is deserialized on its own, each `[[…]]` element too.
/// Returns the plan with the sections that read, and an error per section that did not; a
/// TOML syntax error (nothing can be read) is the `Err`.
pub fn parse_sections(src: &str) -> Result<(RawPlan, Vec<SectionError>), toml::de::Error> {
    use serde::de::DeserializeOwned;
    use toml::de::{DeTable, DeValue, ValueDeserializer};
    let doc = DeTable::parse(src)?;
    let mut errors: Vec<SectionError> = Vec::new();
    let mut entries: Vec<(String, std::ops::Range<usize>, Spanned<DeValue<'_>>)> = doc
        .into_inner()
        .into_iter()
        .map(|(k, v)| (k.get_ref().to_string(), k.span(), v))
        .collect();
    let mut take = |key: &str| -> Option<Spanned<DeValue<'_>>> {
        let i = entries.iter().position(|(k, _, _)| k == key)?;
        Some(entries.remove(i).2)
    };
    fn one<T: DeserializeOwned>(
        v: Spanned<DeValue<'_>>,
        key: &str,
        errors: &mut Vec<SectionError>,
    ) -> Option<T> {
        let span = v.span();
        T::deserialize(ValueDeserializer::from(v))
            .map_err(|e| {
                errors.push((
                    e.span().or(Some(span)),
                    format!("{key}：{}", crate::serde_zh::zh(e.message())),
                ))
            })
            .ok()
    }
    fn many<T: DeserializeOwned>(
        v: Option<Spanned<DeValue<'_>>>,
        key: &str,
        errors: &mut Vec<SectionError>,
    ) -> Vec<S<T>> {
        let Some(v) = v else { return Vec::new() };
        let span = v.span();
        match v.into_inner() {
            DeValue::Array(items) => items
                .into_iter()
                .enumerate()
                .filter_map(|(i, item)| one::<S<T>>(item, &format!("{key}[{i}]"), errors))
                .collect(),
            _ => {
                errors.push((Some(span), format!("{key}：应为表数组（[[{key}]]）")));
                Vec::new()
            }
        }
    }
    let e = &mut errors;
    let raw = RawPlan {
        format: take("format").and_then(|v| one(v, "format", e)),
        text: take("text").and_then(|v| one(v, "text", e)),
        sources: many(take("sources"), "sources", e),
        identity: take("identity").and_then(|v| one(v, "identity", e)),
        version: take("version").and_then(|v| one(v, "version", e)),
        region: take("region").and_then(|v| one(v, "region", e)),
        baseline: many(take("baseline"), "baseline", e),
        previous_round: many(take("previous_round"), "previous_round", e),
        indicators: many(take("indicators"), "indicators", e),
        blocks_file: take("blocks_file").and_then(|v| one(v, "blocks_file", e)),
        block_groups: many(take("block_groups"), "block_groups", e),
        blocks: many(take("blocks"), "blocks", e),
        key_areas: many(take("key_areas"), "key_areas", e),
        prohibitions: many(take("prohibitions"), "prohibitions", e),
        admission: take("admission").and_then(|v| one(v, "admission", e)),
        caps: many(take("caps"), "caps", e),
        sub_units: many(take("sub_units"), "sub_units", e),
        control_layers: many(take("control_layers"), "control_layers", e),
        minerals: many(take("minerals"), "minerals", e),
        rule_basis: take("rule_basis")
            .and_then(|v| one(v, "rule_basis", e))
            .unwrap_or_default(),
    };
    for (k, span, _) in entries {
        errors.push((Some(span), format!("未知字段“{k}”")));
    }
    Ok((raw, errors))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    pub key: S<String>,
    pub title: S<String>,
    pub issuer: S<String>,
    pub number: Option<S<String>>,
    pub date: Option<S<String>>,
    pub kind: S<String>,
    pub file: Option<S<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawVersion {
    pub kind: S<String>,
    pub basis: S<RawVersionBasis>,
    pub approved: S<String>,
    pub effective: S<String>,
    #[serde(default)]
    pub changes: Vec<S<RawStatedChange>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawVersionBasis {
    pub title: S<String>,
    pub number: S<String>,
    pub issuer: S<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStatedChange {
    pub part: S<String>,
    pub action: S<String>,
    #[serde(alias = "key", alias = "mineral")]
    pub number: S<String>,
}
