//! 规划符合性审查 (conformity review) and 空间查重 (overlap check) of an application.
//!
//! [`review`] runs the fifteen rules of `docs/rules.md` ([`rules`]) against one
//! [`Application`] with a [`ReviewContext`] (the plan, the spatial index, the register, the
//! supervision lists, the parameters and the time) and returns a [`ConformityReview`]: each
//! rule's outcome (符合 / 不符合 / 需人工核查 / 不适用) with its severity, its evidence in
//! numbers, the geometry of every conflicting part, and its citations; the plan indicators
//! before and after approval; and the overall conclusion:
//! any 不符合 → 不符合; else any 需人工核查 → 基本符合（需人工核查）; else 符合.
//!
//! Pure: the same inputs give the same review.

pub mod caps;
pub mod config;
pub mod indicators;
pub mod redact;
pub mod rules;
pub mod spatial;

use crate::application::Application;
use crate::citation::Citation;
use crate::date::Date;
use crate::plan::{ApprovalLevel, ControlLayerKind, LonLatPolygon, Plan};
use crate::rights::{HolderLists, MiningRight};
use config::{ReviewConfig, ScaleTable};
use geo::{Coord, LineString, MultiPolygon, Polygon};
use indicators::IndicatorWhatIf;
use minplan_geo::overlay::{FeatureOverlap, OverlapClass, OverlapOptions, Subject};
use serde::Serialize;
use spatial::SpatialIndex;

/// The outcome of one rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum RuleOutcome {
    /// 符合.
    #[serde(rename = "符合")]
    Pass,
    /// 不符合.
    #[serde(rename = "不符合")]
    Fail,
    /// 需人工核查.
    #[serde(rename = "需人工核查")]
    ManualCheck,
    /// 不适用 (the rule does not apply to this kind of application or mineral).
    #[serde(rename = "不适用")]
    NotApplicable,
}

impl RuleOutcome {
    /// Chinese label.
    pub fn label(&self) -> &'static str {
        match self {
            RuleOutcome::Pass => "符合",
            RuleOutcome::Fail => "不符合",
            RuleOutcome::ManualCheck => "需人工核查",
            RuleOutcome::NotApplicable => "不适用",
        }
    }
}

/// How much a rule weighs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum RuleSeverity {
    /// 否决项: a failure alone rules the application out.
    #[serde(rename = "否决项")]
    Veto,
    /// 重要项.
    #[serde(rename = "重要项")]
    Major,
    /// 一般项.
    #[serde(rename = "一般项")]
    General,
}

impl RuleSeverity {
    /// Chinese label.
    pub fn label(&self) -> &'static str {
        match self {
            RuleSeverity::Veto => "否决项",
            RuleSeverity::Major => "重要项",
            RuleSeverity::General => "一般项",
        }
    }
}

/// One number or fact behind an outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    /// What it is, e.g. `与区块重叠面积`.
    pub label: String,
    /// The value as shown, with its unit.
    pub value: String,
    /// The number, when it is one.
    pub number: Option<f64>,
}

impl Evidence {
    /// A numeric evidence item shown with `decimals` decimals and `unit`.
    pub fn num(label: impl Into<String>, v: f64, decimals: usize, unit: &str) -> Evidence {
        // Rounding noise such as -1e-12 must not print as "-0.00".
        let v = if v.abs() < 0.5 * 10f64.powi(-(decimals as i32)) {
            0.0
        } else {
            v
        };
        Evidence {
            label: label.into(),
            value: format!("{v:.decimals$} {unit}").trim_end().to_string(),
            number: Some(v),
        }
    }

    /// A textual evidence item.
    pub fn text(label: impl Into<String>, v: impl Into<String>) -> Evidence {
        Evidence {
            label: label.into(),
            value: v.into(),
            number: None,
        }
    }
}

/// A part of the application that conflicts with a feature of a layer.
#[derive(Debug, Clone, Serialize)]
pub struct ConflictPart {
    /// Layer, e.g. `生态保护红线` or `矿业权`.
    pub layer: String,
    /// Feature id (e.g. the right's licence number).
    pub feature_id: String,
    /// Feature name.
    pub feature_name: Option<String>,
    /// Shared area, m² (Gauss plane of the plan's zone).
    pub area_m2: f64,
    /// Shared area as a share of the application's area, %.
    pub percent_of_application: f64,
    /// Overlap, sliver or touching.
    pub class: OverlapClass,
    /// The shared parts: plane geometry during the review, lon/lat when written.
    pub geometry: PartGeometry,
}

/// The shared parts of a conflict: (easting, northing) metres in the plan's Gauss–Krüger zone
/// without prefix, with the projection of that plane. The review computes them in the plane;
/// [`PartGeometry::lonlat`] — and serialisation — give them as lon/lat degrees (RFC 7946
/// axis order, rings closed), so the written record is the same as if they had been converted
/// at once. Converting only when written keeps hundreds of touched parcels' inverse
/// projections out of a review whose parts are never drawn (issue 17); converted, they go
/// through the plane's [`minplan_geo::TiledInverse`] (within 1e-11° of the exact inverse).
#[derive(Debug, Clone)]
pub struct PartGeometry {
    plane: std::sync::Arc<MultiPolygon<f64>>,
    tm: std::sync::Arc<minplan_geo::TiledInverse>,
}

impl PartGeometry {
    /// Parts in the plane of `tm`.
    pub fn new(
        plane: impl Into<std::sync::Arc<MultiPolygon<f64>>>,
        tm: std::sync::Arc<minplan_geo::TiledInverse>,
    ) -> Self {
        PartGeometry {
            plane: plane.into(),
            tm,
        }
    }

    /// The parts in the plane, (easting, northing) metres, zone without prefix.
    pub fn plane(&self) -> &MultiPolygon<f64> {
        &self.plane
    }

    /// The parts as lon/lat polygons (degrees; RFC 7946 axis order).
    pub fn lonlat(&self) -> Vec<LonLatPolygon> {
        spatial::plane_to_lonlat(&self.tm, &self.plane)
    }

    /// Whether there are no parts (touching, or geometry not kept).
    pub fn is_empty(&self) -> bool {
        self.plane.0.is_empty()
    }
}

/// Written as [`PartGeometry::lonlat`] would be (`[[[[lon, lat], …], …], …]`), each vertex
/// converted as it is written: no lon/lat copy of the parts is built (an answer with a
/// thousand touched parcels writes tens of thousands of vertices).
impl Serialize for PartGeometry {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeSeq, SerializeTuple};
        struct Point(f64, f64);
        impl Serialize for Point {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut t = s.serialize_tuple(2)?;
                t.serialize_element(&self.0)?;
                t.serialize_element(&self.1)?;
                t.end()
            }
        }
        struct Ring<'a>(&'a geo::LineString<f64>, &'a minplan_geo::TiledInverse);
        impl Serialize for Ring<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut seq = s.serialize_seq(Some(self.0.0.len()))?;
                for (lon, lat) in spatial::ring_lonlat(self.1, &self.0.0) {
                    seq.serialize_element(&Point(lon, lat))?;
                }
                seq.end()
            }
        }
        struct Poly<'a>(&'a geo::Polygon<f64>, &'a minplan_geo::TiledInverse);
        impl Serialize for Poly<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut seq = s.serialize_seq(Some(1 + self.0.interiors().len()))?;
                for r in std::iter::once(self.0.exterior()).chain(self.0.interiors()) {
                    seq.serialize_element(&Ring(r, self.1))?;
                }
                seq.end()
            }
        }
        let mut seq = s.serialize_seq(Some(self.plane.0.len()))?;
        for p in &self.plane.0 {
            seq.serialize_element(&Poly(p, &self.tm))?;
        }
        seq.end()
    }
}

/// The result of one rule.
#[derive(Debug, Clone, Serialize)]
pub struct RuleResult {
    /// Rule number, `R1` … `R15`.
    pub id: &'static str,
    /// Rule title, Chinese.
    pub title: &'static str,
    /// Outcome.
    pub outcome: RuleOutcome,
    /// Severity.
    pub severity: RuleSeverity,
    /// Reasoning, Chinese.
    pub message: String,
    /// Numbers behind it.
    pub evidence: Vec<Evidence>,
    /// Conflicting parts.
    pub conflicts: Vec<ConflictPart>,
    /// Plan citations.
    pub cites: Vec<Citation>,
    /// Other legal basis (standards, notices), when the rule rests on one.
    pub basis: Vec<String>,
}

/// The overall conclusion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Conclusion {
    /// 符合.
    #[serde(rename = "符合")]
    Conforming,
    /// 基本符合（需人工核查）.
    #[serde(rename = "基本符合（需人工核查）")]
    ConformingPendingCheck,
    /// 不符合.
    #[serde(rename = "不符合")]
    NonConforming,
}

impl Conclusion {
    /// Chinese label.
    pub fn label(&self) -> &'static str {
        match self {
            Conclusion::Conforming => "符合",
            Conclusion::ConformingPendingCheck => "基本符合（需人工核查）",
            Conclusion::NonConforming => "不符合",
        }
    }

    /// Exit status of `minplan review`: 0 符合, 3 基本符合, 4 不符合.
    pub fn exit_code(&self) -> u8 {
        match self {
            Conclusion::Conforming => 0,
            Conclusion::ConformingPendingCheck => 3,
            Conclusion::NonConforming => 4,
        }
    }

    /// Any 不符合 → 不符合; else any 需人工核查 → 基本符合; else 符合 (`docs/rules.md` §1).
    pub fn from_outcomes<'a>(outcomes: impl IntoIterator<Item = &'a RuleOutcome>) -> Conclusion {
        let mut manual = false;
        for o in outcomes {
            match o {
                RuleOutcome::Fail => return Conclusion::NonConforming,
                RuleOutcome::ManualCheck => manual = true,
                _ => {}
            }
        }
        if manual {
            Conclusion::ConformingPendingCheck
        } else {
            Conclusion::Conforming
        }
    }
}

/// Which plan version a review ran against.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanRef {
    /// Store id of the plan version.
    pub version_id: i64,
    /// Version number.
    pub version: i64,
    /// Content hash of the bundle.
    pub sha256: String,
    /// Plan name.
    pub name: String,
    /// 批准, 修改, or 未载明 when the bundle does not state it.
    pub version_kind: String,
    /// The date from which the version is in force (YYYY-MM-DD; the period's start when
    /// not stated).
    pub effective: String,
    /// The approving document's 文号, when stated.
    pub basis_number: Option<String>,
    /// The date the version was chosen for: the application's 受理日期, or the review date
    /// when it has none.
    pub in_force_on: String,
}

impl PlanRef {
    /// The reference to stored version `version_id` (number `version`, bundle hash
    /// `sha256`) of `plan`, chosen as the version in force on `on`.
    pub fn new(version_id: i64, version: i64, sha256: String, plan: &Plan, on: Date) -> PlanRef {
        PlanRef {
            version_id,
            version,
            sha256,
            name: plan.identity.name.value.clone(),
            version_kind: plan
                .version
                .as_ref()
                .map(|v| v.kind.label())
                .unwrap_or("未载明")
                .to_string(),
            effective: plan.effective_from().to_string(),
            basis_number: plan.version.as_ref().map(|v| v.basis.number.clone()),
            in_force_on: on.to_string(),
        }
    }

    /// The date a review of `app` at `now` (RFC 3339) picks its plan version for: the
    /// 受理日期, else the date of `now`.
    pub fn date_for(app: &Application, now: &str) -> Date {
        app.received
            .as_deref()
            .and_then(|r| Date::parse(r).ok())
            .or_else(|| Date::parse(now).ok())
            .unwrap_or_else(|| Date::start_of_year(1970))
    }

    /// Which version, in one line: `名称（第2版，修改，2024-07-01 起施行，批准文号：…）`.
    pub fn describe(&self) -> String {
        format!(
            "{}（第{}版，{}，{} 起施行，批准文号：{}）",
            self.name,
            self.version,
            self.version_kind,
            self.effective,
            self.basis_number.as_deref().unwrap_or("未载明")
        )
    }
}

/// Which layer version a review ran against.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LayerRef {
    /// Kind.
    pub kind: ControlLayerKind,
    /// Name.
    pub name: String,
    /// Source.
    pub source: String,
    /// Version marker.
    pub version: String,
    /// Schematic.
    pub schematic: bool,
    /// Features.
    pub features: usize,
}

/// Everything a review reads besides the application.
pub struct ReviewContext<'a> {
    /// The plan.
    pub plan: &'a Plan,
    /// Its stored version.
    pub plan_ref: PlanRef,
    /// Prepared geometry.
    pub spatial: &'a SpatialIndex,
    /// Rights and pending applications, in the order of `spatial.rights`.
    pub rights: &'a [MiningRight],
    /// Supervision lists.
    pub lists: &'a HolderLists,
    /// Parameters.
    pub config: &'a ReviewConfig,
    /// Production-scale table.
    pub scales: &'a ScaleTable,
    /// Aggregates of `rights` ([`indicators::RegisterStats::compute`]), computed once.
    pub stats: &'a indicators::RegisterStats,
    /// When the review is made (RFC 3339), passed in.
    pub now: &'a str,
    /// The bureau's record of the application's 开发利用方案 and 矿区生态修复方案 (R14), when
    /// consulted; `None` for reviews made without it (R14 then reads the application form only).
    pub plans_on_file: Option<&'a rules::r14_three_simultaneities::PlansOnFile>,
}

/// The result of a review.
#[derive(Debug, Clone, Serialize)]
pub struct ConformityReview {
    /// The application.
    pub application: Application,
    /// Application area in the Gauss plane of the plan's zone, m².
    pub application_area_m2: f64,
    /// Application geometry, lon/lat.
    pub application_geometry: Vec<LonLatPolygon>,
    /// The plan version.
    pub plan: PlanRef,
    /// The control layers used.
    pub layers: Vec<LayerRef>,
    /// How many rights and pending applications were checked.
    pub register_size: usize,
    /// The parameters used.
    pub config: ReviewConfig,
    /// Each rule.
    pub rules: Vec<RuleResult>,
    /// Plan indicators before and after approval.
    pub indicators: Vec<IndicatorWhatIf>,
    /// The overall conclusion.
    pub conclusion: Conclusion,
    /// Remarks (e.g. schematic data used).
    pub notes: Vec<String>,
    /// When.
    pub reviewed_at: String,
}

impl ConformityReview {
    /// The result of one rule.
    pub fn rule(&self, id: &str) -> Option<&RuleResult> {
        self.rules.iter().find(|r| r.id == id)
    }
}

/// Overlaps of the application with one control layer.
pub struct LayerHits<'a> {
    /// The layer.
    pub layer: &'a spatial::ControlIndex,
    /// Its overlaps.
    pub hits: Vec<FeatureOverlap>,
}

/// What the rules share: the application, its plane geometry and every overlap, computed
/// once.
pub struct Facts<'a> {
    /// The application.
    pub app: &'a Application,
    /// Its geometry, prepared.
    pub subject: Subject,
    /// Its plane area, m².
    pub area_m2: f64,
    /// Overlaps with planning blocks (feature = index into `plan.blocks`).
    pub blocks: Vec<FeatureOverlap>,
    /// The block the application belongs to (largest overlap among blocks of its right
    /// kind), with (share of the application, share of the block) covered.
    pub chosen_block: Option<(usize, f64, f64)>,
    /// Overlaps with each control layer.
    pub control: Vec<LayerHits<'a>>,
    /// Overlaps with rights and pending applications, the application's own right and
    /// itself excluded (feature = index into `ctx.rights`).
    pub rights: Vec<FeatureOverlap>,
}

impl Facts<'_> {
    /// Hits on a control layer (empty when the layer is not loaded).
    pub fn control_hits(&self, kind: ControlLayerKind) -> Option<&LayerHits<'_>> {
        self.control.iter().find(|l| l.layer.kind == kind)
    }

    /// The approval level of the chosen block.
    pub fn approval(&self, plan: &Plan) -> Option<ApprovalLevel> {
        self.chosen_block.map(|(i, _, _)| plan.blocks[i].approval)
    }
}

fn to_multipolygon(polys: Vec<Vec<Vec<(f64, f64)>>>) -> MultiPolygon<f64> {
    let ring = |r: &Vec<(f64, f64)>| {
        let mut v: Vec<Coord<f64>> = r.iter().map(|&(x, y)| Coord { x, y }).collect();
        if v.first() != v.last()
            && let Some(&f) = v.first()
        {
            v.push(f);
        }
        LineString(v)
    };
    MultiPolygon(
        polys
            .iter()
            .filter(|p| !p.is_empty())
            .map(|p| Polygon::new(ring(&p[0]), p[1..].iter().map(ring).collect()))
            .collect(),
    )
}

/// Options for an overlap query under a review's parameters.
pub fn overlap_options(config: &ReviewConfig, detect_touching: bool) -> OverlapOptions {
    OverlapOptions {
        touch_width_m: config.touch_width_m,
        sliver_area_m2: config.sliver_area_m2,
        want_geometry: true,
        detect_touching,
    }
}

/// Computes the shared facts: every overlap of the application.
pub fn facts<'a>(app: &'a Application, ctx: &'a ReviewContext<'a>) -> Facts<'a> {
    let mp = to_multipolygon(app.plane_polygons_in(ctx.spatial.zone));
    let subject = Subject::new(mp).expect("a valid application has a geometry");
    let area_m2 = subject.area();
    let blocks = ctx
        .spatial
        .blocks
        .overlaps(&subject, &overlap_options(ctx.config, false));
    let wanted = match app.right_kind {
        crate::application::RightKind::Mining => crate::plan::BlockKind::Mining,
        crate::application::RightKind::Exploration => crate::plan::BlockKind::Exploration,
    };
    let chosen_block = blocks
        .iter()
        .filter(|o| o.class != OverlapClass::Touching && ctx.plan.blocks[o.feature].kind == wanted)
        .max_by(|a, b| a.area_m2.total_cmp(&b.area_m2))
        .map(|o| {
            let block_area = ctx.plan.blocks[o.feature].area_km2 * 1e6;
            // The plane area of the block, for a like-for-like share.
            let block_plane = plane_area_of_block(ctx, o.feature).unwrap_or(block_area);
            (o.feature, o.area_m2 / area_m2, o.area_m2 / block_plane)
        });
    let control = ctx
        .spatial
        .control
        .iter()
        .map(|l| LayerHits {
            layer: l,
            hits: l
                .layer
                .overlaps(&subject, &overlap_options(ctx.config, false)),
        })
        .collect();
    let own: Vec<&str> = [Some(app.number.as_str()), app.existing_right.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    // The application's own entries (its pending entry, the right it changes) are left out
    // before any geometry is compared.
    let rights =
        ctx.spatial
            .rights
            .overlaps_where(&subject, &overlap_options(ctx.config, true), |k| {
                !own.contains(&ctx.rights[k].id.as_str())
            });
    Facts {
        app,
        subject,
        area_m2,
        blocks,
        chosen_block,
        control,
        rights,
    }
}

fn plane_area_of_block(ctx: &ReviewContext<'_>, i: usize) -> Option<f64> {
    use geo::Area;
    let tm = ctx.spatial.zone.projection();
    let mp = spatial::project_polygons(&tm, &ctx.plan.blocks[i].geometry);
    Some(mp.unsigned_area())
}

/// A conflict part from an overlap.
pub fn conflict(
    ctx: &ReviewContext<'_>,
    f: &Facts<'_>,
    layer: &str,
    id: &str,
    name: Option<&str>,
    o: &FeatureOverlap,
) -> ConflictPart {
    ConflictPart {
        layer: layer.to_string(),
        feature_id: id.to_string(),
        feature_name: name.map(str::to_string),
        area_m2: o.area_m2,
        percent_of_application: if f.area_m2 > 0.0 {
            o.area_m2 / f.area_m2 * 100.0
        } else {
            0.0
        },
        class: o.class,
        geometry: PartGeometry::new(o.parts.clone(), ctx.spatial.projection().clone()),
    }
}

/// Runs every rule and concludes.
pub fn review(app: &Application, ctx: &ReviewContext<'_>) -> ConformityReview {
    let f = facts(app, ctx);
    let rules = rules::run_all(&f, ctx);
    let conclusion = Conclusion::from_outcomes(rules.iter().map(|r| &r.outcome));
    let indicators = indicators::what_if(&f, ctx);
    let mut notes = Vec::new();
    let schematic_layers: Vec<&str> = ctx
        .spatial
        .control
        .iter()
        .filter(|l| l.schematic)
        .map(|l| l.name.as_str())
        .collect();
    if ctx.plan.blocks.iter().any(|b| b.schematic) || !schematic_layers.is_empty() {
        notes.push(format!(
            "规划区块{}为示意数据（规划文本未给出坐标），空间审查结论须以正式图层复核。",
            if schematic_layers.is_empty() {
                String::new()
            } else {
                format!("及{}", schematic_layers.join("、"))
            }
        ));
    }
    // A plan whose period has ended still reviews, but says so.
    let on = app
        .received
        .as_deref()
        .unwrap_or(ctx.now)
        .get(..4)
        .and_then(|y| y.parse::<i32>().ok());
    if let Some(year) = on
        && year > ctx.plan.identity.period_end
    {
        notes.push(format!(
            "{}（{year}年）已在规划期（{}—{}年）之后：规划期已满，本审查仍依据该规划，须确认是否已有新一轮规划或延续执行的规定。",
            if app.received.is_some() { "受理日期" } else { "审查日期" },
            ctx.plan.identity.period_start,
            ctx.plan.identity.period_end
        ));
    }
    for w in app.corner_report.problems.iter() {
        notes.push(format!("拐点坐标提示：{}", w.message));
    }
    let layers = ctx
        .spatial
        .control
        .iter()
        .map(|l| LayerRef {
            kind: l.kind,
            name: l.name.clone(),
            source: l.source.clone(),
            version: l.version.clone(),
            schematic: l.schematic,
            features: l.features.len(),
        })
        .collect();
    ConformityReview {
        application_geometry: ctx.spatial.to_lonlat(f.subject.geometry()),
        application_area_m2: f.area_m2,
        application: app.clone(),
        plan: ctx.plan_ref.clone(),
        layers,
        register_size: ctx.rights.len(),
        config: ctx.config.clone(),
        rules,
        indicators,
        conclusion,
        notes,
        reviewed_at: ctx.now.to_string(),
    }
}
