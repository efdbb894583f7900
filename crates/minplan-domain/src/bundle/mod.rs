//! Plan bundles: a county's plan written as `plan.toml` plus GeoJSON layers (and optionally
//! the plan's full text), checked and turned into a [`Plan`].
//!
//! The format is documented in `docs/plan-format.md`. Loading never stops at the first
//! problem: it returns every error it finds, each naming the file, the line and the field,
//! so that a bundle author can fix them in one pass. A bundle with any error yields no plan.
//!
//! Checks (each a [`BundleErrorKind`]): TOML syntax and unknown fields; missing citation;
//! malformed citation; citation to a section the plan text does not have; unknown unit;
//! indicator without target; unknown enumerated value; missing or unreadable layer file;
//! invalid ring (unclosed, fewer than 4 positions, non-finite or out-of-range coordinates,
//! self-intersection); geometry outside the county outline (tolerance
//! [`OUTSIDE_TOLERANCE_M`]); block area disagreeing with its stated area, or a group's total
//! with its blocks' sum, by more than [`AREA_TOLERANCE`]; block counts disagreeing with
//! their group; duplicate keys and block numbers.

mod geometry;
mod raw;

use crate::citation::{Citation, PlanText, format_number};
use crate::minerals::{Mineral, MineralCatalogue, MineralClass};
use crate::plan::*;
use crate::units::Unit;
use geometry::{GeometryCheck, LayerGeometry};
use minplan_geo::GaussKrugerZone;
use raw::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};
use std::fmt;

pub use geometry::OUTSIDE_TOLERANCE_M;

/// Relative tolerance between a stated area and the area of the geometry (1 %).
pub const AREA_TOLERANCE: f64 = 0.01;

/// The plan file's name inside a bundle.
pub const PLAN_FILE: &str = "plan.toml";

/// The format identifier `plan.toml` must declare.
pub const FORMAT: &str = "minplan-plan/1";

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
    /// A citation is malformed.
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
    let raw: RawPlan = match toml::from_str(src) {
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
    let mut cx = Ctx {
        src,
        files,
        errors: Vec::new(),
        warnings: Vec::new(),
        text: None,
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

use crate::layer::line_of;

struct Ctx<'a> {
    src: &'a str,
    files: &'a BundleFiles,
    errors: Vec<BundleError>,
    warnings: Vec<BundleError>,
    text: Option<PlanText>,
}

/// What a citation should be found next to in the plan text.
enum Expect<'s> {
    Nothing,
    Number(f64),
    Text(&'s str),
}

impl Ctx<'_> {
    fn err_at(
        &mut self,
        kind: BundleErrorKind,
        span: std::ops::Range<usize>,
        field: &str,
        msg: impl Into<String>,
    ) {
        self.errors.push(BundleError {
            kind,
            file: PLAN_FILE.into(),
            line: Some(line_of(self.src, span.start)),
            field: field.to_string(),
            message: msg.into(),
        });
    }

    fn warn_at(
        &mut self,
        kind: BundleErrorKind,
        span: std::ops::Range<usize>,
        field: &str,
        msg: impl Into<String>,
    ) {
        self.warnings.push(BundleError {
            kind,
            file: PLAN_FILE.into(),
            line: Some(line_of(self.src, span.start)),
            field: field.to_string(),
            message: msg.into(),
        });
    }

    /// A required citation; `table` locates the error when the field is missing.
    fn cite(
        &mut self,
        cite: &Option<S<String>>,
        table: std::ops::Range<usize>,
        field: &str,
        expect: Expect<'_>,
    ) -> Option<Citation> {
        let Some(c) = cite else {
            self.err_at(
                BundleErrorKind::MissingCitation,
                table,
                field,
                "缺少出处（cite），每个数字都应注明其在规划文本中的章节",
            );
            return None;
        };
        let parsed = match Citation::parse(c.get_ref()) {
            Ok(p) => p,
            Err(e) => {
                self.err_at(BundleErrorKind::BadCitation, c.span(), field, e.to_string());
                return None;
            }
        };
        if let Some(text) = &self.text {
            let found = match expect {
                Expect::Nothing => text.section(&parsed).map(|_| true),
                Expect::Number(v) => text.section_contains_number(&parsed, v),
                Expect::Text(t) => text.section_contains(&parsed, t),
            };
            match found {
                None => self.err_at(
                    BundleErrorKind::CitationNotInText,
                    c.span(),
                    field,
                    format!("出处“{parsed}”在规划文本中找不到对应章节"),
                ),
                Some(false) => {
                    let what = match expect {
                        Expect::Number(v) => format_number(v),
                        Expect::Text(t) => t.to_string(),
                        Expect::Nothing => String::new(),
                    };
                    self.warn_at(
                        BundleErrorKind::FigureNotInSection,
                        c.span(),
                        field,
                        format!("在规划文本“{parsed}”中未找到“{what}”，请核对"),
                    )
                }
                Some(true) => {}
            }
        }
        Some(parsed)
    }

    fn unit(
        &mut self,
        unit: &Option<S<String>>,
        table: std::ops::Range<usize>,
        field: &str,
    ) -> Option<Unit> {
        let Some(u) = unit else {
            self.err_at(
                BundleErrorKind::UnknownUnit,
                table,
                field,
                "缺少计量单位（unit）",
            );
            return None;
        };
        match Unit::parse(u.get_ref()) {
            Ok(u) => Some(u),
            Err(e) => {
                self.err_at(BundleErrorKind::UnknownUnit, u.span(), field, e.to_string());
                None
            }
        }
    }

    fn value(
        &mut self,
        v: &Option<S<f64>>,
        table: std::ops::Range<usize>,
        field: &str,
        kind: BundleErrorKind,
        what: &str,
    ) -> Option<f64> {
        match v {
            Some(v) if v.get_ref().is_finite() => Some(*v.get_ref()),
            Some(v) => {
                self.err_at(
                    BundleErrorKind::BadValue,
                    v.span(),
                    field,
                    "数值必须是有限数",
                );
                None
            }
            None => {
                self.err_at(kind, table, field, format!("缺少{what}"));
                None
            }
        }
    }

    fn enum_value<T>(
        &mut self,
        s: &S<String>,
        field: &str,
        allowed: &str,
        parse: impl Fn(&str) -> Option<T>,
    ) -> Option<T> {
        let r = parse(s.get_ref());
        if r.is_none() {
            self.err_at(
                BundleErrorKind::BadValue,
                s.span(),
                field,
                format!("“{}”不是允许的取值（{allowed}）", s.get_ref()),
            );
        }
        r
    }

    fn read_text_file(&mut self, path: &S<String>, field: &str) -> Option<&str> {
        let files = self.files;
        match files.get(path.get_ref()) {
            None => {
                self.err_at(
                    BundleErrorKind::MissingFile,
                    path.span(),
                    field,
                    format!("数据包中没有文件“{}”", path.get_ref()),
                );
                None
            }
            Some(b) => match std::str::from_utf8(b) {
                Ok(s) => Some(s),
                Err(_) => {
                    self.err_at(
                        BundleErrorKind::Syntax,
                        path.span(),
                        field,
                        format!("文件“{}”不是 UTF-8 编码", path.get_ref()),
                    );
                    None
                }
            },
        }
    }

    fn figure(&mut self, f: &S<RawFigure>, field: &str, default_group: &str) -> Option<Figure> {
        let span = f.span();
        let r = f.get_ref();
        let field = format!("{field}（{}）", r.label.get_ref());
        let value = self.value(
            &r.value,
            span.clone(),
            &field,
            BundleErrorKind::MissingValue,
            "数值（value）",
        );
        let unit = self.unit(&r.unit, span.clone(), &field);
        let cite = self.cite(
            &r.cite,
            span,
            &field,
            value.map_or(Expect::Nothing, Expect::Number),
        );
        for item in &r.items {
            if let (Some(c), Some(text)) = (&cite, &self.text)
                && text.section_contains(c, item.get_ref()) == Some(false)
            {
                let (sp, msg) = (
                    item.span(),
                    format!("在规划文本“{c}”中未找到“{}”，请核对", item.get_ref()),
                );
                self.warn_at(BundleErrorKind::FigureNotInSection, sp, &field, msg);
            }
        }
        Some(Figure {
            key: r.key.get_ref().clone(),
            label: r.label.get_ref().clone(),
            group: r
                .group
                .as_ref()
                .map(|g| g.get_ref().clone())
                .unwrap_or_else(|| default_group.to_string()),
            value: value?,
            unit: unit?,
            cite: cite?,
            items: r.items.iter().map(|i| i.get_ref().clone()).collect(),
            note: r.note.as_ref().map(|n| n.get_ref().clone()),
        })
    }

    fn cited_u32(&mut self, c: &S<CitedInt>, field: &str) -> Option<Cited<u32>> {
        let r = c.get_ref();
        let v = *r.value.get_ref();
        let cite = self.cite(&r.cite, c.span(), field, Expect::Number(v as f64));
        if !(0..=u32::MAX as i64).contains(&v) {
            self.err_at(
                BundleErrorKind::BadValue,
                r.value.span(),
                field,
                "应为非负整数",
            );
            return None;
        }
        Some(Cited {
            value: v as u32,
            cite: cite?,
        })
    }

    fn build(&mut self, raw: RawPlan) -> Option<Plan> {
        if raw.format.get_ref() != FORMAT {
            self.err_at(
                BundleErrorKind::BadValue,
                raw.format.span(),
                "format",
                format!("格式标识应为“{FORMAT}”，实际为“{}”", raw.format.get_ref()),
            );
        }
        if let Some(t) = &raw.text
            && let Some(s) = self.read_text_file(t, "text")
        {
            self.text = Some(PlanText::new(s));
        }
        let identity = self.identity(&raw.identity);
        let minerals = self.minerals(&raw.minerals);
        let region = self.region(&raw.region);
        let geo = region
            .as_ref()
            .map(|r| GeometryCheck::new(r.zone, &r.outline));

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
        let admission = self.admission(&raw.admission, &minerals);
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
        })
    }

    fn rule_basis(&mut self, raw: &BTreeMap<String, S<RawRuleBasis>>) -> Vec<RuleBasis> {
        let mut out = Vec::new();
        for (rule, b) in raw {
            let field = format!("rule_basis.{rule}");
            let valid_rule = rule
                .strip_prefix('R')
                .and_then(|n| n.parse::<u32>().ok())
                .is_some_and(|n| (1..=15).contains(&n));
            if !valid_rule {
                self.err_at(
                    BundleErrorKind::BadValue,
                    b.span(),
                    &field,
                    format!("规则编号“{rule}”应为 R1～R15"),
                );
                continue;
            }
            let r = b.get_ref();
            if r.cite.is_empty() {
                self.err_at(
                    BundleErrorKind::MissingCitation,
                    b.span(),
                    &field,
                    "规则依据至少注明一个出处",
                );
                continue;
            }
            let text = r.text.get_ref().clone();
            let mut cites = Vec::new();
            for c in &r.cite {
                cites.extend(self.cite(&Some(c.clone()), b.span(), &field, Expect::Nothing));
            }
            // The quoted words, "…" marking omissions, must each be in one of the sections.
            if let Some(t) = &self.text {
                let all_found = text
                    .split('…')
                    .filter(|p| !p.trim().is_empty())
                    .all(|part| {
                        cites
                            .iter()
                            .any(|c| t.section_contains(c, part) == Some(true))
                    });
                if !all_found && cites.len() == r.cite.len() {
                    self.warn_at(
                        BundleErrorKind::FigureNotInSection,
                        r.text.span(),
                        &field,
                        "规则依据的引文在所注章节中未找到，请核对".to_string(),
                    );
                }
            }
            if cites.len() == r.cite.len() {
                out.push(RuleBasis {
                    rule: rule.clone(),
                    cites,
                    text,
                });
            }
        }
        out
    }

    fn identity(&mut self, id: &S<RawIdentity>) -> Option<PlanIdentity> {
        let r = id.get_ref();
        let name_text = r.name.get_ref().value.get_ref().clone();
        let name_cite = self.cite(
            &r.name.get_ref().cite,
            r.name.span(),
            "identity.name",
            Expect::Text(&name_text),
        );
        let adcode = r.adcode.get_ref().clone();
        if adcode.len() != 6 || !adcode.chars().all(|c| c.is_ascii_digit()) {
            self.err_at(
                BundleErrorKind::BadValue,
                r.adcode.span(),
                "identity.adcode",
                "行政区划代码应为 6 位数字（GB/T 2260）",
            );
        }
        let level = self.enum_value(
            &r.level,
            "identity.level",
            "省级、市级、县级",
            |s| match s {
                "省级" => Some(PlanLevel::Provincial),
                "市级" => Some(PlanLevel::Prefectural),
                "县级" => Some(PlanLevel::County),
                _ => None,
            },
        );
        let by = r.base_year.get_ref();
        let base_year_cite = self.cite(
            &by.cite,
            r.base_year.span(),
            "identity.base_year",
            Expect::Number(*by.value.get_ref() as f64),
        );
        let p = r.period.get_ref();
        let period_cite = self.cite(
            &p.cite,
            r.period.span(),
            "identity.period",
            Expect::Number(*p.start.get_ref() as f64),
        );
        if p.end.get_ref() < p.start.get_ref() {
            self.err_at(
                BundleErrorKind::BadValue,
                r.period.span(),
                "identity.period",
                "规划期末年早于起始年",
            );
        }
        let mut follows = Vec::new();
        for (i, f) in r.follows.iter().enumerate() {
            let v = f.get_ref().value.get_ref().clone();
            let c = self.cite(
                &f.get_ref().cite,
                f.span(),
                &format!("identity.follows[{i}]"),
                Expect::Text(&v),
            );
            if let Some(c) = c {
                follows.push(Cited { value: v, cite: c });
            }
        }
        Some(PlanIdentity {
            name: Cited {
                value: name_text,
                cite: name_cite?,
            },
            short_name: r.short_name.get_ref().clone(),
            adcode,
            level: level?,
            base_year: Cited {
                value: *by.value.get_ref() as i32,
                cite: base_year_cite?,
            },
            period_start: *p.start.get_ref() as i32,
            period_end: *p.end.get_ref() as i32,
            period_cite: period_cite?,
            follows,
        })
    }

    fn minerals(&mut self, raw: &[S<RawMineral>]) -> MineralCatalogue {
        let mut cat = MineralCatalogue::builtin();
        for (i, m) in raw.iter().enumerate() {
            let r = m.get_ref();
            let class = self.enum_value(
                &r.class,
                &format!("minerals[{i}].class"),
                "能源矿产、金属矿产、非金属矿产、水气矿产",
                MineralClass::parse,
            );
            if let Some(class) = class {
                cat.insert(Mineral {
                    name: r.name.get_ref().clone(),
                    aliases: r.aliases.clone(),
                    group: r.group.clone(),
                    class,
                    sand_gravel_clay: r.sand_gravel_clay,
                });
            }
        }
        cat
    }

    fn check_mineral(&mut self, cat: &MineralCatalogue, m: &S<String>, field: &str) {
        if cat.get(m.get_ref()).is_none() {
            self.err_at(
                BundleErrorKind::BadValue,
                m.span(),
                field,
                format!("未知矿种“{}”；请在 [[minerals]] 中登记", m.get_ref()),
            );
        }
    }

    fn region(&mut self, reg: &S<RawRegion>) -> Option<Region> {
        let r = reg.get_ref();
        let towns = r.towns.get_ref();
        let names: Vec<String> = towns.value.iter().map(|t| t.get_ref().clone()).collect();
        let joined = names.join("");
        let towns_cite = self.cite(
            &towns.cite,
            r.towns.span(),
            "region.towns",
            Expect::Text(names.first().map(|s| s.as_str()).unwrap_or("")),
        );
        let _ = joined;
        let z = r.zone.get_ref();
        let zone = match z.width.get_ref() {
            3 => GaussKrugerZone::three_degree(*z.zone.get_ref(), true),
            6 => GaussKrugerZone::six_degree(*z.zone.get_ref(), true),
            w => {
                self.err_at(
                    BundleErrorKind::BadValue,
                    z.width.span(),
                    "region.zone.width",
                    format!("带宽应为 3 或 6，实际为 {w}"),
                );
                return None;
            }
        };
        let zone = match zone {
            Ok(z) => z,
            Err(e) => {
                self.err_at(
                    BundleErrorKind::BadValue,
                    z.zone.span(),
                    "region.zone.zone",
                    e.to_string(),
                );
                return None;
            }
        };
        let o = r.outline.get_ref();
        let path = o.file.get_ref().clone();
        let text = self
            .read_text_file(&o.file, "region.outline.file")?
            .to_string();
        let layer = match LayerGeometry::parse(&path, &text, None, zone, None) {
            Ok(l) => l,
            Err(errs) => {
                self.errors.extend(errs);
                return None;
            }
        };
        let outline: Vec<LonLatPolygon> = layer
            .features
            .iter()
            .flat_map(|f| f.polygons.clone())
            .collect();
        if outline.is_empty() {
            self.err_at(
                BundleErrorKind::GeometryMismatch,
                o.file.span(),
                "region.outline",
                "行政区范围文件中没有面要素",
            );
            return None;
        }
        let area: f64 = layer.features.iter().map(|f| f.area_km2).sum();
        Some(Region {
            name: r.name.get_ref().clone(),
            towns: Cited {
                value: names,
                cite: towns_cite?,
            },
            zone,
            outline,
            outline_schematic: o.schematic,
            outline_source: o.source.get_ref().clone(),
            outline_area_km2: area,
        })
    }

    fn previous_round(&mut self, raw: &[S<RawPreviousRound>]) -> Vec<PreviousRoundRow> {
        let mut out = Vec::new();
        for (i, p) in raw.iter().enumerate() {
            let r = p.get_ref();
            let field = format!(
                "previous_round[{i}]（{}）",
                r.item.as_ref().unwrap_or(&r.indicator).get_ref()
            );
            let unit = self.unit(&r.unit, p.span(), &field);
            let target = self.value(
                &r.target,
                p.span(),
                &field,
                BundleErrorKind::MissingTarget,
                "规划目标值（target）",
            );
            let actual = self.value(
                &r.actual,
                p.span(),
                &field,
                BundleErrorKind::MissingValue,
                "实际完成值（actual）",
            );
            let cite = self.cite(
                &r.cite,
                p.span(),
                &field,
                target.map_or(Expect::Nothing, Expect::Number),
            );
            if let (Some(c), Some(a), Some(text)) = (&cite, actual, &self.text)
                && text.section_contains_number(c, a) == Some(false)
            {
                let sp = r.actual.as_ref().map(|x| x.span()).unwrap_or(p.span());
                self.warn_at(
                    BundleErrorKind::FigureNotInSection,
                    sp,
                    &field,
                    format!("在规划文本“{c}”中未找到实际完成值“{}”", format_number(a)),
                );
            }
            if let (Some(unit), Some(target), Some(actual), Some(cite)) =
                (unit, target, actual, cite)
            {
                out.push(PreviousRoundRow {
                    category: r.category.get_ref().clone(),
                    indicator: r.indicator.get_ref().clone(),
                    item: r.item.as_ref().map(|x| x.get_ref().clone()),
                    unit,
                    target,
                    actual,
                    cite,
                });
            }
        }
        out
    }

    fn indicators(
        &mut self,
        raw: &[S<RawIndicator>],
        minerals: &MineralCatalogue,
    ) -> Vec<Indicator> {
        let mut out = Vec::new();
        let mut keys = HashSet::new();
        for (i, ind) in raw.iter().enumerate() {
            let r = ind.get_ref();
            let field = format!("indicators[{i}]（{}）", r.name.get_ref());
            if !keys.insert(r.key.get_ref().clone()) {
                self.err_at(
                    BundleErrorKind::Duplicate,
                    r.key.span(),
                    &field,
                    format!("指标键“{}”重复", r.key.get_ref()),
                );
            }
            let unit = self.unit(&r.unit, ind.span(), &field);
            let target = self.value(
                &r.target,
                ind.span(),
                &field,
                BundleErrorKind::MissingTarget,
                "目标值（target）",
            );
            let cite = self.cite(
                &r.cite,
                ind.span(),
                &field,
                target.map_or(Expect::Nothing, Expect::Number),
            );
            let comparison = match &r.comparison {
                Some(c) => self.enum_value(c, &field, "≤、≥、>、<、=", Comparison::parse),
                None => {
                    self.err_at(
                        BundleErrorKind::MissingValue,
                        ind.span(),
                        &field,
                        "缺少比较方式（comparison：≤、≥、>、<、=）",
                    );
                    None
                }
            };
            let attribute =
                self.enum_value(&r.attribute, &field, "预期性、约束性", |s| match s {
                    "预期性" => Some(IndicatorAttribute::Expected),
                    "约束性" => Some(IndicatorAttribute::Binding),
                    _ => None,
                });
            let metric = match &r.metric {
                None => Some(Metric::Manual),
                Some(m) => match m.get_ref() {
                    RawMetric::Extraction { extraction_total } => {
                        if minerals.get(extraction_total).is_none() {
                            self.err_at(
                                BundleErrorKind::BadValue,
                                m.span(),
                                &field,
                                format!("未知矿种“{extraction_total}”"),
                            );
                        }
                        Some(Metric::ExtractionTotal(extraction_total.clone()))
                    }
                    RawMetric::Simple(s) => {
                        let parsed = match s.as_str() {
                            "output_value" => Some(Metric::OutputValue),
                            "mine_count" => Some(Metric::MineCount),
                            "mine_count_this_level" => Some(Metric::MineCountThisLevel),
                            "large_medium_ratio" => Some(Metric::LargeMediumRatio),
                            "new_deposits" => Some(Metric::NewDeposits),
                            "water_reuse_rate" => Some(Metric::WaterReuseRate),
                            "manual" => Some(Metric::Manual),
                            _ => None,
                        };
                        if parsed.is_none() {
                            self.err_at(
                                BundleErrorKind::BadValue,
                                m.span(),
                                &field,
                                format!("未知统计口径“{s}”（output_value、mine_count、mine_count_this_level、large_medium_ratio、new_deposits、water_reuse_rate、manual 或 {{ extraction_total = \"矿种\" }}）"),
                            );
                        }
                        parsed
                    }
                },
            };
            if let (
                Some(unit),
                Some(target),
                Some(cite),
                Some(comparison),
                Some(attribute),
                Some(metric),
            ) = (unit, target, cite, comparison, attribute, metric)
            {
                out.push(Indicator {
                    key: r.key.get_ref().clone(),
                    name: r.name.get_ref().clone(),
                    table: r.table.get_ref().clone(),
                    category: r.category.as_ref().map(|c| c.get_ref().clone()),
                    unit,
                    target,
                    comparison,
                    attribute,
                    metric,
                    cite,
                    note: r.note.as_ref().map(|n| n.get_ref().clone()),
                });
            }
        }
        out
    }

    fn block_kind(&mut self, s: &S<String>, field: &str) -> Option<BlockKind> {
        self.enum_value(s, field, "勘查、开采", |s| match s {
            "勘查" | "勘查规划区块" => Some(BlockKind::Exploration),
            "开采" | "开采规划区块" => Some(BlockKind::Mining),
            _ => None,
        })
    }

    fn approval(&mut self, s: &S<String>, field: &str) -> Option<ApprovalLevel> {
        self.enum_value(s, field, ApprovalLevel::ACCEPTED, ApprovalLevel::parse)
    }

    fn blocks(
        &mut self,
        raw: &RawPlan,
        geo: Option<&GeometryCheck>,
        minerals: &MineralCatalogue,
    ) -> Vec<PlanningBlock> {
        // Geometry: one layer file, features keyed by the `number` property.
        let mut features: BTreeMap<String, crate::layer::ParsedFeature> = BTreeMap::new();
        let mut file_name = String::new();
        if let (Some(file), Some(geo)) = (&raw.blocks_file, geo) {
            file_name = file.get_ref().clone();
            if let Some(text) = self
                .read_text_file(file, "blocks_file")
                .map(|s| s.to_string())
            {
                match LayerGeometry::parse(&file_name, &text, Some("number"), geo.zone, None) {
                    Ok(layer) => {
                        for f in layer.features {
                            self.errors.extend(geo.check_inside(&file_name, &f));
                            if features.contains_key(&f.id) {
                                self.errors.push(BundleError {
                                    kind: BundleErrorKind::Duplicate,
                                    file: file_name.clone(),
                                    line: f.line,
                                    field: format!("要素 {}", f.id),
                                    message: format!("规划区块编号“{}”在图层中出现多次", f.id),
                                });
                            }
                            features.insert(f.id.clone(), f);
                        }
                    }
                    Err(errs) => self.errors.extend(errs),
                }
            }
        } else if raw.blocks_file.is_none() && !raw.blocks.is_empty() {
            let sp = raw.blocks[0].span();
            self.err_at(
                BundleErrorKind::MissingFile,
                sp,
                "blocks_file",
                "有规划区块但未指定区块图层文件（blocks_file）",
            );
        }
        let mut out = Vec::new();
        let mut numbers = HashSet::new();
        for (i, b) in raw.blocks.iter().enumerate() {
            let r = b.get_ref();
            let field = format!("blocks[{i}]（{}）", r.name.get_ref());
            let number = r.number.get_ref().clone();
            if !numbers.insert(number.clone()) {
                self.err_at(
                    BundleErrorKind::Duplicate,
                    r.number.span(),
                    &field,
                    format!("规划区块编号“{number}”重复"),
                );
            }
            let kind = self.block_kind(&r.kind, &field);
            let approval = self.approval(&r.approval, &field);
            for m in &r.minerals {
                self.check_mineral(minerals, m, &field);
            }
            let name_short = r
                .name
                .get_ref()
                .replace("黑龙江省", "")
                .replace("规划区块", "");
            let cite = self.cite(&r.cite, b.span(), &field, Expect::Nothing);
            let _ = name_short;
            let stated = match &r.stated_area {
                None => None,
                Some(sa) => {
                    let s = sa.get_ref();
                    let unit = self.unit(&s.unit, sa.span(), &field);
                    let v = self.value(
                        &s.value,
                        sa.span(),
                        &field,
                        BundleErrorKind::MissingValue,
                        "面积数值",
                    );
                    let c = self.cite(
                        &s.cite,
                        sa.span(),
                        &field,
                        v.map_or(Expect::Nothing, Expect::Number),
                    );
                    if unit.is_some_and(|u| u != Unit::Km2) {
                        self.err_at(
                            BundleErrorKind::UnknownUnit,
                            sa.span(),
                            &field,
                            "区块面积单位应为 km²",
                        );
                    }
                    match (v, c) {
                        (Some(value), Some(cite)) => Some(Cited { value, cite }),
                        _ => None,
                    }
                }
            };
            let feature = features.remove(&number);
            if feature.is_none() && !file_name.is_empty() {
                self.err_at(
                    BundleErrorKind::GeometryMismatch,
                    r.number.span(),
                    &field,
                    format!("图层“{file_name}”中没有编号为“{number}”的要素"),
                );
            }
            let area_km2 = feature.as_ref().map_or(0.0, |f| f.area_km2);
            if let (Some(st), Some(_)) = (&stated, &feature)
                && (area_km2 - st.value).abs() > AREA_TOLERANCE * st.value
            {
                let sp = r.stated_area.as_ref().map(|s| s.span()).unwrap_or(b.span());
                self.err_at(
                    BundleErrorKind::AreaMismatch,
                    sp,
                    &field,
                    format!(
                        "图形椭球面积 {area_km2:.4} km² 与规划面积 {} km² 相差超过 1%",
                        format_number(st.value)
                    ),
                );
            }
            if let (Some(kind), Some(approval), Some(cite), Some(f)) =
                (kind, approval, cite, feature)
            {
                out.push(PlanningBlock {
                    number,
                    name: r.name.get_ref().clone(),
                    kind,
                    approval,
                    minerals: r.minerals.iter().map(|m| m.get_ref().clone()).collect(),
                    category: r.category.as_ref().map(|c| c.get_ref().clone()),
                    stated_area_km2: stated,
                    area_km2,
                    geometry: f.polygons,
                    schematic: r.schematic,
                    cite,
                    note: r.note.as_ref().map(|n| n.get_ref().clone()),
                });
            }
        }
        for (id, f) in features {
            self.errors.push(BundleError {
                kind: BundleErrorKind::GeometryMismatch,
                file: file_name.clone(),
                line: f.line,
                field: format!("要素 {id}"),
                message: format!("图层要素“{id}”在 plan.toml 中没有对应的规划区块"),
            });
        }
        out
    }

    fn block_groups(
        &mut self,
        raw: &[S<RawBlockGroup>],
        blocks: &[PlanningBlock],
    ) -> Vec<BlockGroup> {
        let mut out = Vec::new();
        for (i, g) in raw.iter().enumerate() {
            let r = g.get_ref();
            let field = format!("block_groups[{i}]（{}）", r.label.get_ref());
            let kind = self.block_kind(&r.kind, &field);
            let approval = self.approval(&r.approval, &field);
            let count = self.cited_u32(&r.count, &field);
            let ta = r.total_area.get_ref();
            let unit = self.unit(&ta.unit, r.total_area.span(), &field);
            if unit.is_some_and(|u| u != Unit::Km2) {
                self.err_at(
                    BundleErrorKind::UnknownUnit,
                    r.total_area.span(),
                    &field,
                    "总面积单位应为 km²",
                );
            }
            let total = self.value(
                &ta.value,
                r.total_area.span(),
                &field,
                BundleErrorKind::MissingValue,
                "总面积数值",
            );
            let total_cite = self.cite(
                &ta.cite,
                r.total_area.span(),
                &field,
                total.map_or(Expect::Nothing, Expect::Number),
            );
            let (Some(kind), Some(approval), Some(count), Some(total), Some(total_cite)) =
                (kind, approval, count, total, total_cite)
            else {
                continue;
            };
            let members: Vec<&PlanningBlock> = blocks
                .iter()
                .filter(|b| b.kind == kind && b.approval == approval)
                .collect();
            if members.len() as u32 != count.value {
                self.err_at(
                    BundleErrorKind::CountMismatch,
                    r.count.span(),
                    &field,
                    format!(
                        "规划载明 {} 个，数据包中有 {} 个",
                        count.value,
                        members.len()
                    ),
                );
            }
            let computed: f64 = members.iter().map(|b| b.area_km2).sum();
            if (computed - total).abs() > AREA_TOLERANCE * total {
                self.err_at(
                    BundleErrorKind::AreaMismatch,
                    r.total_area.span(),
                    &field,
                    format!(
                        "区块图形椭球面积合计 {computed:.4} km² 与规划总面积 {} km² 相差超过 1%",
                        format_number(total)
                    ),
                );
            }
            out.push(BlockGroup {
                label: r.label.get_ref().clone(),
                kind,
                approval,
                count,
                total_area_km2: Cited {
                    value: total,
                    cite: total_cite,
                },
                computed_area_km2: computed,
            });
        }
        out
    }

    fn key_areas(&mut self, raw: &[S<RawKeyArea>], blocks: &[PlanningBlock]) -> Vec<KeyArea> {
        let mut out = Vec::new();
        for (i, k) in raw.iter().enumerate() {
            let r = k.get_ref();
            let field = format!("key_areas[{i}]");
            let name = r.name.get_ref().clone();
            let cite = self.cite(&r.cite, k.span(), &field, Expect::Text(&name));
            for b in &r.blocks {
                if !blocks.iter().any(|x| &x.number == b.get_ref()) {
                    self.err_at(
                        BundleErrorKind::BadValue,
                        b.span(),
                        &field,
                        format!("没有编号为“{}”的规划区块", b.get_ref()),
                    );
                }
            }
            if let Some(cite) = cite {
                out.push(KeyArea {
                    name,
                    minerals: r.minerals.iter().map(|m| m.get_ref().clone()).collect(),
                    blocks: r.blocks.iter().map(|m| m.get_ref().clone()).collect(),
                    cite,
                });
            }
        }
        out
    }

    fn prohibitions(
        &mut self,
        raw: &[S<RawProhibition>],
        minerals: &MineralCatalogue,
    ) -> Vec<Prohibition> {
        let mut out = Vec::new();
        for (i, p) in raw.iter().enumerate() {
            let r = p.get_ref();
            let field = format!("prohibitions[{i}]（{}）", r.label.get_ref());
            self.check_mineral(minerals, &r.mineral, &field);
            let condition = self.enum_value(
                &r.condition,
                &field,
                "always、wetland、arable_land",
                |s| match s {
                    "always" | "全域" => Some(ProhibitionCondition::Always),
                    "wetland" | "湿地" => Some(ProhibitionCondition::Wetland),
                    "arable_land" | "可耕地" => Some(ProhibitionCondition::ArableLand),
                    _ => None,
                },
            );
            let kind = self.enum_value(&r.kind, &field, "禁止、限制", |s| match s {
                "禁止" => Some(ProhibitionKind::Prohibited),
                "限制" => Some(ProhibitionKind::Restricted),
                _ => None,
            });
            let cite = self.cite(&r.cite, p.span(), &field, Expect::Text(r.mineral.get_ref()));
            if let (Some(condition), Some(kind), Some(cite)) = (condition, kind, cite) {
                out.push(Prohibition {
                    mineral: r.mineral.get_ref().clone(),
                    condition,
                    kind,
                    label: r.label.get_ref().clone(),
                    cite,
                });
            }
        }
        out
    }

    fn limits(
        &mut self,
        raw: &[S<RawLimit>],
        name: &str,
        minerals: &MineralCatalogue,
    ) -> Vec<MineralLimit> {
        let mut out = Vec::new();
        for (i, l) in raw.iter().enumerate() {
            let r = l.get_ref();
            let field = format!("admission.{name}[{i}]（{}）", r.mineral.get_ref());
            self.check_mineral(minerals, &r.mineral, &field);
            let value = self.value(
                &r.value,
                l.span(),
                &field,
                BundleErrorKind::MissingValue,
                "数值（value）",
            );
            let unit = self.unit(&r.unit, l.span(), &field);
            let cite = self.cite(
                &r.cite,
                l.span(),
                &field,
                value.map_or(Expect::Nothing, Expect::Number),
            );
            if let (Some(value), Some(unit), Some(cite)) = (value, unit, cite) {
                out.push(MineralLimit {
                    mineral: r.mineral.get_ref().clone(),
                    value,
                    unit,
                    applies_to: r.applies_to.as_ref().map(|a| a.get_ref().clone()),
                    cite,
                });
            }
        }
        out
    }

    fn admission(
        &mut self,
        adm: &S<RawAdmission>,
        minerals: &MineralCatalogue,
    ) -> Option<Admission> {
        let r = adm.get_ref();
        let min_scales = self.limits(&r.min_scales, "min_scales", minerals);
        let extraction_caps = self.limits(&r.extraction_caps, "extraction_caps", minerals);
        let total = self.cited_u32(&r.mine_cap_total, "admission.mine_cap_total");
        let this_level = r
            .mine_cap_this_level
            .as_ref()
            .map(|c| self.cited_u32(c, "admission.mine_cap_this_level"));
        let mut other = Vec::new();
        for (i, f) in r.other.iter().enumerate() {
            if let Some(fig) = self.figure(f, &format!("admission.other[{i}]"), "准入条件") {
                other.push(fig);
            }
        }
        let this_level = match this_level {
            Some(None) => return None,
            Some(Some(c)) => Some(c),
            None => None,
        };
        Some(Admission {
            min_scales,
            extraction_caps,
            mine_cap_total: total?,
            mine_cap_this_level: this_level,
            other,
        })
    }

    fn control_layers(
        &mut self,
        raw: &[S<RawControlLayer>],
        geo: Option<&GeometryCheck>,
    ) -> Vec<ControlLayer> {
        let mut out = Vec::new();
        let mut kinds = HashSet::new();
        for (i, l) in raw.iter().enumerate() {
            let r = l.get_ref();
            let field = format!("control_layers[{i}]（{}）", r.name.get_ref());
            let kind = self.enum_value(
                &r.kind,
                &field,
                "生态保护红线、永久基本农田、城镇开发边界、三区两线可视范围",
                ControlLayerKind::parse,
            );
            if let Some(k) = kind
                && !kinds.insert(k)
            {
                self.err_at(
                    BundleErrorKind::Duplicate,
                    r.kind.span(),
                    &field,
                    format!("图层类型“{}”重复", k.label()),
                );
            }
            let buffer_m = match &r.buffer_m {
                Some(b) if !(b.get_ref().is_finite() && *b.get_ref() > 0.0) => {
                    self.err_at(
                        BundleErrorKind::BadValue,
                        b.span(),
                        &field,
                        "缓冲宽度（buffer_m）应为正数（米）",
                    );
                    None
                }
                Some(b) => Some(*b.get_ref()),
                None => None,
            };
            let Some(geo) = geo else { continue };
            let path = r.file.get_ref().clone();
            let Some(text) = self.read_text_file(&r.file, &field).map(|s| s.to_string()) else {
                continue;
            };
            let layer = match LayerGeometry::parse(&path, &text, Some("id"), geo.zone, buffer_m) {
                Ok(l) => l,
                Err(errs) => {
                    self.errors.extend(errs);
                    continue;
                }
            };
            let mut features = Vec::new();
            for f in layer.features {
                self.errors.extend(geo.check_inside(&path, &f));
                features.push(LayerFeature {
                    id: f.id,
                    name: f.name,
                    geometry: f.polygons,
                    area_km2: f.area_km2,
                    properties: f.properties,
                });
            }
            if let Some(kind) = kind {
                out.push(ControlLayer {
                    kind,
                    name: r.name.get_ref().clone(),
                    source: r.source.get_ref().clone(),
                    schematic: r.schematic,
                    buffer_m,
                    features,
                });
            }
        }
        out
    }
}
