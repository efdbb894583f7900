//! Plan bundles: a county's plan written as `plan.toml` plus GeoJSON layers (and optionally
//! the plan's full text), checked and turned into a [`Plan`].
//!
//! The format is documented in `docs/plan-format.md`. Loading never stops at the first
//! problem: it returns every error it finds, each naming the file, the line and the field,
//! so that a bundle author can fix them in one pass. A bundle with any error yields no plan.
//!
//! Checks (each a [`BundleErrorKind`]): TOML syntax and unknown fields; missing citation;
//! malformed citation or one naming a source not in `[[sources]]`; citation to a section
//! the cited text does not have (a citation whose text the bundle lacks is kept, marked
//! 未核对); malformed `[[sources]]` entry; unknown unit;
//! indicator without target; unknown enumerated value; missing or unreadable layer file;
//! invalid ring (unclosed, fewer than 4 positions, non-finite or out-of-range coordinates,
//! self-intersection); geometry outside the county outline (tolerance
//! [`OUTSIDE_TOLERANCE_M`]); block area disagreeing with its stated area, or a group's total
//! with its blocks' sum, by more than [`AREA_TOLERANCE`]; block counts disagreeing with
//! their group; duplicate keys and block numbers.

mod admission;
mod block_groups;
mod blocks;
mod caps;
mod context;
mod control_layers;
mod geometry;
mod identity;
mod indicators;
mod key_areas;
mod minerals;
mod previous_round;
mod prohibitions;
mod raw;
mod region;
mod rule_basis;
mod sources;
mod version;

use crate::citation::PlanText;
use crate::layer::line_of;
use crate::plan::{Admission, Plan};
use context::Ctx;
use geometry::GeometryCheck;
use raw::RawPlan;
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};
use std::fmt;

pub use geometry::OUTSIDE_TOLERANCE_M;

/// Relative tolerance between a stated area and the area of the geometry (1 %).
pub const AREA_TOLERANCE: f64 = 0.01;

/// The plan file's name inside a bundle.
pub const PLAN_FILE: &str = "plan.toml";

/// The format identifier of the current `plan.toml` format (docs/plan-format.md).
pub const FORMAT: &str = "minplan-plan/2";

/// The format identifiers a bundle may declare: version 2 adds `[[caps]]`, `[[sub_units]]`,
/// `[[sources]]`, `[version]` and optional figures to version 1, whose bundles load unchanged.
pub const FORMATS: [&str; 2] = ["minplan-plan/1", FORMAT];

/// The files of a bundle: relative path (with `/`) → contents.
#[derive(Debug, Clone, Default)]
pub struct BundleFiles {
    files: BTreeMap<String, Vec<u8>>,
}

impl BundleFiles {
    /// An empty set of files.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a file under its relative path (`layers/blocks.geojson`).
    pub fn insert(&mut self, path: impl Into<String>, contents: impl Into<Vec<u8>>) {
        self.files
            .insert(path.into().replace('\\', "/"), contents.into());
    }

    /// A file's contents.
    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(|v| v.as_slice())
    }

    /// All files, sorted by path.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files.iter().map(|(k, v)| (k.as_str(), v.as_slice()))
    }

    /// Number of files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether there are no files.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// Kinds of bundle problems.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BundleErrorKind {
    /// A required file is missing.
    MissingFile,
    /// A file is not valid UTF-8, TOML or GeoJSON, or a field has the wrong type.
    Syntax,
    /// A figure has no citation.
    MissingCitation,
    /// A citation is malformed, or names a source the bundle does not list.
    BadCitation,
    /// A citation names a section the plan text does not have.
    CitationNotInText,
    /// The cited section does not contain the figure (warning).
    FigureNotInSection,
    /// A unit is unknown.
    UnknownUnit,
    /// An indicator has no target.
    MissingTarget,
    /// A figure has no value.
    MissingValue,
    /// A value is not one of the allowed ones.
    BadValue,
    /// A key or number is used twice.
    Duplicate,
    /// A ring is invalid.
    InvalidRing,
    /// Geometry lies outside the county outline.
    OutsideRegion,
    /// A block's or a group's area disagrees with its geometry.
    AreaMismatch,
    /// A group's count disagrees with its blocks.
    CountMismatch,
    /// A block has no geometry, or a feature no block.
    GeometryMismatch,
    /// An amendment's stated changes disagree with its difference from the previous version
    /// (checked by the store at import, where the previous version is known).
    ChangeMismatch,
}

/// One problem in a bundle, located by file, line and field.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BundleError {
    /// Kind.
    pub kind: BundleErrorKind,
    /// File inside the bundle, e.g. `plan.toml`.
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// Field path, e.g. `indicators[2].unit` or `要素 231081-K01`.
    pub field: String,
    /// Chinese message.
    pub message: String,
}

impl fmt::Display for BundleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(l) = self.line {
            write!(f, " 第{l}行")?;
        }
        if !self.field.is_empty() {
            write!(f, " {}", self.field)?;
        }
        write!(f, "：{}", self.message)
    }
}

/// Every error found in a bundle.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BundleErrors(pub Vec<BundleError>);

impl fmt::Display for BundleErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "规划数据包有 {} 处错误：", self.0.len())?;
        for e in &self.0 {
            writeln!(f, "  - {e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for BundleErrors {}

/// A loaded plan with the warnings its bundle produced.
#[derive(Debug, Clone)]
pub struct LoadedBundle {
    /// The plan.
    pub plan: Plan,
    /// Problems that do not stop loading (e.g. a figure not found verbatim in its section).
    pub warnings: Vec<BundleError>,
}

/// Loads and checks a bundle.
///
/// # Errors
/// [`BundleErrors`] with every problem found; nothing is returned partially.
pub fn load_bundle(files: &BundleFiles) -> Result<LoadedBundle, BundleErrors> {
    let Some(bytes) = files.get(PLAN_FILE) else {
        return Err(BundleErrors(vec![BundleError {
            kind: BundleErrorKind::MissingFile,
            file: PLAN_FILE.into(),
            line: None,
            field: String::new(),
            message: "数据包中没有 plan.toml".into(),
        }]));
    };
    let src = match std::str::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => {
            return Err(BundleErrors(vec![BundleError {
                kind: BundleErrorKind::Syntax,
                file: PLAN_FILE.into(),
                line: Some(line_of(&String::from_utf8_lossy(bytes), e.valid_up_to())),
                field: String::new(),
                message: "不是 UTF-8 编码的文本".into(),
            }]));
        }
    };
    let (raw, section_errors): (RawPlan, _) = match raw::parse_sections(src) {
        Ok(r) => r,
        Err(e) => {
            let line = e.span().map(|s| line_of(src, s.start));
            return Err(BundleErrors(vec![BundleError {
                kind: BundleErrorKind::Syntax,
                file: PLAN_FILE.into(),
                line,
                field: String::new(),
                message: format!("TOML 格式错误：{}", crate::serde_zh::zh(e.message())),
            }]));
        }
    };
    // A section that could not be read is reported beside every other problem.
    let errors = section_errors
        .into_iter()
        .map(|(span, message)| BundleError {
            kind: BundleErrorKind::Syntax,
            file: PLAN_FILE.into(),
            line: span.map(|s| line_of(src, s.start)),
            field: String::new(),
            message,
        })
        .collect();
    let mut cx = Ctx {
        src,
        files,
        errors,
        warnings: Vec::new(),
        text: None,
        sources: Vec::new(),
    };
    let plan = cx.build(raw);
    if cx.errors.is_empty()
        && let Some(plan) = plan
    {
        return Ok(LoadedBundle {
            plan,
            warnings: cx.warnings,
        });
    }
    Err(BundleErrors(cx.errors))
}

impl Ctx<'_> {
    fn build(&mut self, raw: RawPlan) -> Option<Plan> {
        match &raw.format {
            Some(f) if !FORMATS.contains(&f.get_ref().as_str()) => self.err_at(
                BundleErrorKind::BadValue,
                f.span(),
                "format",
                format!(
                    "格式标识应为“{FORMAT}”（或旧版“{}”），实际为“{}”",
                    FORMATS[0],
                    f.get_ref()
                ),
            ),
            Some(_) => {}
            None => self.err_at(
                BundleErrorKind::MissingValue,
                0..0,
                "format",
                format!("缺少格式标识 format = \"{FORMAT}\""),
            ),
        }
        if let Some(t) = &raw.text
            && let Some(s) = self.read_text_file(t, "text")
        {
            self.text = Some(PlanText::new(s));
        }
        for (present, key) in [
            (raw.identity.is_some(), "identity"),
            (raw.region.is_some(), "region"),
        ] {
            let unreadable = self
                .errors
                .iter()
                .any(|e| e.message.starts_with(&format!("{key}：")));
            if !present && !unreadable {
                self.err_at(
                    BundleErrorKind::MissingValue,
                    0..0,
                    key,
                    format!("缺少 [{key}] 表"),
                );
            }
        }
        self.sources(&raw.sources);
        let identity = raw.identity.as_ref().and_then(|i| self.identity(i));
        let version = raw
            .version
            .as_ref()
            .map(|v| self.version(v, identity.as_ref()));
        let minerals = self.minerals(&raw.minerals);
        let mut region = raw.region.as_ref().and_then(|r| self.region(r));
        let geo = region
            .as_ref()
            .map(|r| GeometryCheck::new(r.zone, &r.outline));
        let sub_units = self.sub_units(&raw.sub_units, geo.as_ref());

        let mut keys = HashSet::new();
        let mut baseline = Vec::new();
        for (i, f) in raw.baseline.iter().enumerate() {
            let field = format!("baseline[{i}]");
            if !keys.insert(f.get_ref().key.get_ref().clone()) {
                let (sp, k) = (f.get_ref().key.span(), f.get_ref().key.get_ref().clone());
                self.err_at(
                    BundleErrorKind::Duplicate,
                    sp,
                    &field,
                    format!("键“{k}”重复"),
                );
            }
            if let Some(fig) = self.figure(f, &field, "现状") {
                baseline.push(fig);
            }
        }
        let previous_round = self.previous_round(&raw.previous_round);
        let indicators = self.indicators(&raw.indicators, &minerals);
        let blocks = self.blocks(&raw, geo.as_ref(), &minerals);
        let block_groups = self.block_groups(&raw.block_groups, &blocks);
        let key_areas = self.key_areas(&raw.key_areas, &blocks);
        let prohibitions = self.prohibitions(&raw.prohibitions, &minerals);
        let mut admission = match &raw.admission {
            Some(a) => self.admission(a, &minerals),
            None => Some(Admission::default()),
        };
        let caps = self.caps(&raw.caps, &minerals, &sub_units);
        if let Some(a) = admission.as_mut() {
            for c in caps {
                if a.caps.iter().any(|x| x.key == c.key) {
                    self.errors.push(BundleError {
                        kind: BundleErrorKind::Duplicate,
                        file: PLAN_FILE.into(),
                        line: None,
                        field: format!("caps（{}）", c.label),
                        message: format!("键“{}”与 [admission] 中的指标重复", c.key),
                    });
                }
                a.caps.push(c);
            }
        }
        if let Some(r) = region.as_mut() {
            r.sub_units = sub_units;
        }
        let control_layers = self.control_layers(&raw.control_layers, geo.as_ref());
        let rule_basis = self.rule_basis(&raw.rule_basis);

        Some(Plan {
            identity: identity?,
            region: region?,
            baseline,
            previous_round,
            indicators,
            blocks,
            block_groups,
            key_areas,
            prohibitions,
            admission: admission?,
            control_layers,
            minerals,
            rule_basis,
            text: self.text.take(),
            sources: std::mem::take(&mut self.sources),
            version: match version {
                Some(v) => Some(v?),
                None => None,
            },
        })
    }
}
