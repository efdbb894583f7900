//! The plan as data (矿产资源总体规划).
//!
//! A [`Plan`] is built only by the bundle loader (`bundle::load_bundle`), which checks it; once you hold
//! one, every figure carries a [`Citation`] into the plan text and every geometry is a valid
//! polygon in CGCS2000 longitude/latitude (EPSG:4490, RFC 7946 order, exterior rings
//! counter-clockwise). Geometry the plan text does not give is flagged `schematic` (示意).

pub mod diff;
pub mod geojson;

use crate::citation::{Citation, PlanText};
use crate::date::Date;
use crate::labels::zh_labels;
use crate::minerals::MineralCatalogue;
use crate::units::Unit;
use minplan_geo::GaussKrugerZone;
use serde::Serialize;

/// A polygon in CGCS2000 longitude/latitude degrees: exterior ring first (counter-clockwise),
/// then holes (clockwise); rings closed (first point repeated last).
pub type LonLatPolygon = Vec<Vec<[f64; 2]>>;

/// A value with the place of the plan text it comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cited<T> {
    /// The value.
    pub value: T,
    /// Where the plan text gives it.
    pub cite: Citation,
}

/// A numeric figure of the plan with its unit and citation (e.g. 面积 460 km², 一（一）1).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figure {
    /// Stable key, e.g. `region_area`.
    pub key: String,
    /// Chinese label, e.g. `行政区面积`.
    pub label: String,
    /// Group on the overview page, e.g. `行政区域`, `矿产资源`, `矿山地质环境`.
    pub group: String,
    /// The number as the plan writes it.
    pub value: f64,
    /// Its unit.
    pub unit: Unit,
    /// Where the plan text gives it.
    pub cite: Citation,
    /// Names the figure counts (e.g. the 12 minerals), if the plan lists them.
    pub items: Vec<String>,
    /// A remark, if any.
    pub note: Option<String>,
}

/// Administrative level of a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum PlanLevel {
    /// 省级
    #[serde(rename = "省级")]
    Provincial,
    /// 市级 (prefecture)
    #[serde(rename = "市级")]
    Prefectural,
    /// 县级 (county, incl. county-level cities such as 绥芬河市)
    #[serde(rename = "县级")]
    County,
    /// 开发区: a 功能区 unit (经开区, 高新区, 新区) with a plan of its own; its adcode may be
    /// its host county's.
    #[serde(rename = "开发区")]
    DevelopmentZone,
}

/// Identity of a plan.
#[derive(Debug, Clone, Serialize)]
pub struct PlanIdentity {
    /// Full title, e.g. 绥芬河市矿产资源总体规划（2021～2025年）.
    pub name: Cited<String>,
    /// Short name for lists.
    pub short_name: String,
    /// 6-digit administrative division code (GB/T 2260), e.g. `231081`.
    pub adcode: String,
    /// Administrative level.
    pub level: PlanLevel,
    /// Base year (基准年), when the plan states one (never invented).
    pub base_year: Option<Cited<i32>>,
    /// First year of the plan period.
    pub period_start: i32,
    /// Last year of the plan period.
    pub period_end: i32,
    /// Where the period is stated.
    pub period_cite: Citation,
    /// Higher-level plans and documents the plan follows (编制依据).
    pub follows: Vec<Cited<String>>,
}

/// The region the plan covers.
#[derive(Debug, Clone, Serialize)]
pub struct Region {
    /// Name, e.g. 绥芬河市.
    pub name: String,
    /// Towns (乡镇) the plan lists.
    pub towns: Cited<Vec<String>>,
    /// The Gauss–Krüger zone the county's plane coordinates use (3° zone 44 for Suifenhe).
    pub zone: GaussKrugerZone,
    /// The county outline, lon/lat.
    pub outline: Vec<LonLatPolygon>,
    /// Sub-units (a city plan's counties, a county's towns) caps may be scoped to
    /// (`[[sub_units]]`); empty when the plan scopes nothing.
    pub sub_units: Vec<SubUnit>,
    /// Whether the outline is schematic (示意).
    pub outline_schematic: bool,
    /// Where the outline comes from.
    pub outline_source: String,
    /// Ellipsoidal area of the outline, km² (computed, TD/T 1055-2019 附录D).
    pub outline_area_km2: f64,
}

/// 预期性 / 约束性.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndicatorAttribute {
    /// 预期性 (expected).
    Expected,
    /// 约束性 (binding).
    Binding,
}

zh_labels! {
    IndicatorAttribute, label {
        Expected => "预期性",
        Binding => "约束性",
    }
}

/// How a target compares: the actual value must be `≤`, `≥`, `>`, `<` or `=` the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    /// ≤ (also written `<=`, `≦`).
    Le,
    /// ≥ (also written `>=`, `≧`).
    Ge,
    /// > (also written `＞`).
    Gt,
    /// < (also written `＜`).
    Lt,
    /// = (also written `＝`).
    Eq,
}

zh_labels! {
    Comparison, symbol {
        Le => "≤" | "<=" | "≦",
        Ge => "≥" | ">=" | "≧",
        Gt => ">" | "＞",
        Lt => "<" | "＜",
        Eq => "=" | "＝",
    }
}

impl Comparison {
    /// Whether `actual` meets `target` under this comparison.
    pub fn holds(&self, actual: f64, target: f64) -> bool {
        match self {
            Comparison::Le => actual <= target,
            Comparison::Ge => actual >= target,
            Comparison::Gt => actual > target,
            Comparison::Lt => actual < target,
            Comparison::Eq => (actual - target).abs() <= 1e-9 * target.abs().max(1.0),
        }
    }
}

/// What an indicator measures, so that its current value can be computed from the register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "mineral", rename_all = "snake_case")]
pub enum Metric {
    /// 矿业总产值 (万元).
    OutputValue,
    /// 矿山企业数量 (distinct holders of valid mining rights).
    MineCount,
    /// Mines approved at this level (本级审批发证).
    MineCountThisLevel,
    /// 大中型矿山比例 (%).
    LargeMediumRatio,
    /// 开采总量 of one mineral (and its kinds).
    ExtractionTotal(String),
    /// 新增矿产地 (处).
    NewDeposits,
    /// 清水循环利用率 (%).
    WaterReuseRate,
    /// Not computed from the register.
    Manual,
}

/// A target indicator (规划指标), e.g. a row of 专栏2.
#[derive(Debug, Clone, Serialize)]
pub struct Indicator {
    /// Stable key, e.g. `extraction_building_stone`.
    pub key: String,
    /// Name as in the plan, e.g. `矿业总产值`.
    pub name: String,
    /// The table or section it belongs to (`专栏2` for the main table).
    pub table: String,
    /// Category column of the table, e.g. `主要矿产开采总量`.
    pub category: Option<String>,
    /// Unit.
    pub unit: Unit,
    /// Target value.
    pub target: f64,
    /// How the actual value must compare with the target.
    pub comparison: Comparison,
    /// 预期性 / 约束性.
    pub attribute: IndicatorAttribute,
    /// What it measures.
    pub metric: Metric,
    /// Where the plan text gives it.
    pub cite: Citation,
    /// A remark (e.g. where the comparison comes from).
    pub note: Option<String>,
}

/// A row of the previous round's evaluation (专栏1).
#[derive(Debug, Clone, Serialize)]
pub struct PreviousRoundRow {
    /// 规划目标 column, e.g. `矿产资源开发利用水平`.
    pub category: String,
    /// 规划指标 column, e.g. `开采量`.
    pub indicator: String,
    /// Sub-item, e.g. `砖瓦用粘土（矿石 万吨）`.
    pub item: Option<String>,
    /// Unit.
    pub unit: Unit,
    /// Target of the previous round.
    pub target: f64,
    /// What was achieved.
    pub actual: f64,
    /// Where.
    pub cite: Citation,
}

impl PreviousRoundRow {
    /// Completion in percent (`actual / target × 100`), `None` for a zero target.
    pub fn completion_percent(&self) -> Option<f64> {
        (self.target != 0.0).then(|| self.actual / self.target * 100.0)
    }
}

/// 勘查 / 开采: the short form is [`BlockKind::code`] (also accepted: the full term), the full
/// term [`BlockKind::label`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BlockKind {
    /// 勘查规划区块.
    Exploration,
    /// 开采规划区块.
    Mining,
}

zh_labels! {
    BlockKind, code {
        Exploration => "勘查" | "勘查规划区块",
        Mining => "开采" | "开采规划区块",
    }
}

impl BlockKind {
    /// Full Chinese term.
    pub fn label(&self) -> &'static str {
        match self {
            BlockKind::Exploration => "勘查规划区块",
            BlockKind::Mining => "开采规划区块",
        }
    }
}

/// Who designates a planning block / approves its rights. The short form a person writes
/// and the store keeps is [`ApprovalLevel::code`]; the full term is [`ApprovalLevel::label`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ApprovalLevel {
    /// 省级划定 / 省级审批 (also written 省级划定).
    Provincial,
    /// 市级划定 (designated by the prefecture-level plan and carried down; also written 市级).
    CityDesignated,
    /// 本级审批发证 (rights approved by this plan's own level; also written 本级审批发证, 本级).
    ThisLevel,
}

zh_labels! {
    ApprovalLevel, code {
        Provincial => "省级" | "省级划定",
        CityDesignated => "市级划定" | "市级",
        ThisLevel => "本级审批" | "本级审批发证" | "本级",
    }
}

impl ApprovalLevel {
    /// Chinese label (the full term).
    pub fn label(&self) -> &'static str {
        match self {
            ApprovalLevel::Provincial => "省级",
            ApprovalLevel::CityDesignated => "市级划定",
            ApprovalLevel::ThisLevel => "本级审批发证",
        }
    }

    /// The accepted words, for error messages (the codes, [`ApprovalLevel::LABELS`], joined).
    pub const ACCEPTED: &'static str = "省级、市级划定、本级审批";
}

/// A planning block (规划区块).
#[derive(Debug, Clone, Serialize)]
pub struct PlanningBlock {
    /// 规划区块编号 (opaque).
    pub number: String,
    /// Name.
    pub name: String,
    /// 勘查 or 开采.
    pub kind: BlockKind,
    /// Designation / approval level.
    pub approval: ApprovalLevel,
    /// Minerals; empty when the plan text does not name them.
    pub minerals: Vec<String>,
    /// Mineral category remark (e.g. `砂石土类`), if the plan gives one.
    pub category: Option<String>,
    /// Area the plan states for this block alone, km², if it does.
    pub stated_area_km2: Option<Cited<f64>>,
    /// Ellipsoidal area of the geometry, km² (computed, TD/T 1055-2019 附录D); 0 for a
    /// block without geometry (see [`PlanningBlock::computed_area_km2`]).
    pub area_km2: f64,
    /// Geometry, lon/lat; empty when the plan lists the block without its extent
    /// (`geometry = false`): R2 then cannot place an application in it (需人工核查).
    pub geometry: Vec<LonLatPolygon>,
    /// Whether the geometry (and number) are schematic (示意).
    pub schematic: bool,
    /// 新设 / 保留 / 调整 / 探转采, when the plan says.
    pub status: Option<BlockStatus>,
    /// The level that designates it (划定), as the plan writes it (e.g. `市级划定`), when the
    /// plan says it apart from `approval`.
    pub designated_by: Option<String>,
    /// The level that issues its rights (e.g. `本级审批发证`, `市级出让登记`), as written.
    pub issued_by: Option<String>,
    /// Resources the plan states for the block.
    pub resources: Option<BlockResources>,
    /// Where the plan text lists the block.
    pub cite: Citation,
    /// A remark.
    pub note: Option<String>,
}

impl PlanningBlock {
    /// Whether the bundle gives the block's extent.
    pub fn has_geometry(&self) -> bool {
        !self.geometry.is_empty()
    }

    /// The computed area, km²; `None` for a block without geometry (never a 0).
    pub fn computed_area_km2(&self) -> Option<f64> {
        self.has_geometry().then_some(self.area_km2)
    }
}

/// Status of a planning block in the plan's list (区块类型).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockStatus {
    /// 新设.
    New,
    /// 保留 (kept from the previous round).
    Kept,
    /// 调整 (redrawn).
    Adjusted,
    /// 探转采 (an exploration block turned into a mining block).
    ExplorationToMining,
}

zh_labels! {
    BlockStatus, label {
        New => "新设" | "新设置",
        Kept => "保留" | "已设",
        Adjusted => "调整",
        ExplorationToMining => "探转采",
    }
}

/// Resources the plan states for one block (e.g. 资源量 120 万吨), cited.
#[derive(Debug, Clone, Serialize)]
pub struct BlockResources {
    /// The quantity.
    pub value: f64,
    /// Its unit.
    pub unit: Unit,
    /// Where.
    pub cite: Citation,
}

/// A stated count and total area for a set of blocks (e.g. 勘查规划区块 3 个，总面积 32 平方千米).
#[derive(Debug, Clone, Serialize)]
pub struct BlockGroup {
    /// Label, e.g. `市级划定勘查规划区块`.
    pub label: String,
    /// Kind of the blocks counted.
    pub kind: BlockKind,
    /// Level of the blocks counted.
    pub approval: ApprovalLevel,
    /// Stated number of blocks.
    pub count: Cited<u32>,
    /// Stated total area, km², when the plan states one.
    pub total_area_km2: Option<Cited<f64>>,
    /// Sum of the member blocks' computed areas, km² (blocks without geometry add nothing;
    /// the total is then not compared with the stated one).
    pub computed_area_km2: f64,
}

/// A key development area (产业重点发展区域).
#[derive(Debug, Clone, Serialize)]
pub struct KeyArea {
    /// Name.
    pub name: String,
    /// Minerals.
    pub minerals: Vec<String>,
    /// Numbers of the blocks it corresponds to.
    pub blocks: Vec<String>,
    /// Where.
    pub cite: Citation,
}

/// Where a prohibition applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProhibitionCondition {
    /// Everywhere.
    Always,
    /// In wetlands (湿地).
    Wetland,
    /// On arable land (可耕地).
    ArableLand,
}

impl ProhibitionCondition {
    /// Chinese label.
    pub fn label(&self) -> &'static str {
        match self {
            ProhibitionCondition::Always => "全域",
            ProhibitionCondition::Wetland => "湿地",
            ProhibitionCondition::ArableLand => "可耕地",
        }
    }
}

/// 禁止 / 限制.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProhibitionKind {
    /// 禁止开采.
    Prohibited,
    /// 限制开采.
    Restricted,
}

zh_labels! {
    ProhibitionKind, label {
        Prohibited => "禁止",
        Restricted => "限制",
    }
}

/// A prohibited or restricted mineral (禁止/限制开采矿种).
#[derive(Debug, Clone, Serialize)]
pub struct Prohibition {
    /// Mineral.
    pub mineral: String,
    /// Where it applies.
    pub condition: ProhibitionCondition,
    /// 禁止 or 限制.
    pub kind: ProhibitionKind,
    /// The plan's words, e.g. `禁止湿地泥炭开采`.
    pub label: String,
    /// Where.
    pub cite: Citation,
}

/// A numeric admission parameter for one mineral (minimum scale, extraction cap).
#[derive(Debug, Clone, Serialize)]
pub struct MineralLimit {
    /// Mineral (applies to its kinds too).
    pub mineral: String,
    /// Value.
    pub value: f64,
    /// Unit.
    pub unit: Unit,
    /// To what it applies, e.g. `新建矿山`.
    pub applies_to: Option<String>,
    /// Where.
    pub cite: Citation,
}

/// Admission parameters (准入条件) the review rules read.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Admission {
    /// Minimum production scales (最低开采规模).
    pub min_scales: Vec<MineralLimit>,
    /// Extraction caps per mineral (开采总量调控).
    pub extraction_caps: Vec<MineralLimit>,
    /// Cap on the number of mining enterprises (矿山企业数量), when the plan sets one.
    pub mine_cap_total: Option<Cited<u32>>,
    /// Cap on mines approved at this level (本级审批发证的矿山数量).
    pub mine_cap_this_level: Option<Cited<u32>>,
    /// Other admission figures (e.g. 清水循环利用率 100 %).
    pub other: Vec<Figure>,
    /// Every cap as the plan writes it: the `[[caps]]` of the bundle plus the caps above
    /// (`extraction_caps`, `mine_cap_total`, `mine_cap_this_level`) restated as [`Cap`]s.
    /// R6 evaluates the count caps, R7 the extraction caps.
    pub caps: Vec<Cap>,
}

/// What a cap limits (`measure` in `plan.toml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CapMeasure {
    /// 年开采量: Σ design capacity per year (unit with `/年`).
    ExtractionPerYear,
    /// 规划期开采总量: extraction over the whole plan period (unit without `/年`), estimated
    /// as Σ design capacity per year × the years of the period.
    ExtractionOverPeriod,
    /// 矿山数: valid mining rights (one mine each).
    Mines,
    /// 矿业权数 (宗): valid rights (exploration and mining unless the filter says which).
    Rights,
    /// 矿山企业数: distinct holders of valid mining rights.
    Enterprises,
}

zh_labels! {
    CapMeasure, label {
        ExtractionPerYear => "年开采量",
        ExtractionOverPeriod => "规划期开采总量" | "开采总量（规划期）",
        Mines => "矿山数" | "矿山数量",
        Rights => "矿业权数" | "矿业权数量",
        Enterprises => "矿山企业数" | "矿山企业数量",
    }
}

impl CapMeasure {
    /// Whether the cap counts mines, rights or enterprises (R6) rather than extraction (R7).
    pub fn is_count(&self) -> bool {
        matches!(
            self,
            CapMeasure::Mines | CapMeasure::Rights | CapMeasure::Enterprises
        )
    }
}

/// Which minerals a cap covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "name", rename_all = "snake_case")]
pub enum CapSubject {
    /// All minerals.
    All,
    /// One mineral and its kinds (`建筑用石` covers `建筑用凝灰岩`).
    Mineral(String),
    /// A mineral category: `砂石土` (the catalogue's 砂石土 minerals) or a group name of the
    /// catalogue (`建筑用石`), as the plan writes it (`建筑石料`, `砂石土类`).
    Category(String),
}

impl CapSubject {
    /// Whether `mineral` falls under the subject.
    pub fn covers(&self, catalogue: &MineralCatalogue, mineral: &str) -> bool {
        match self {
            CapSubject::All => true,
            CapSubject::Mineral(m) => catalogue.is_kind_of(mineral, m),
            CapSubject::Category(c) => {
                let c = c.trim_end_matches('类');
                if matches!(c, "砂石土" | "砂石黏土" | "砂石粘土") {
                    return catalogue.get(mineral).is_some_and(|m| m.sand_gravel_clay);
                }
                catalogue.is_kind_of(mineral, c)
            }
        }
    }

    /// Chinese label: `全部矿种`, the mineral, or `砂石土类`.
    pub fn label(&self) -> String {
        match self {
            CapSubject::All => "全部矿种".into(),
            CapSubject::Mineral(m) => m.clone(),
            CapSubject::Category(c) => c.clone(),
        }
    }
}

/// Which rights or applications a cap counts, beyond its minerals. Every field `None`/`false`
/// means no restriction.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CapFilter {
    /// Mining method (开采方式: 露天, 地下, 井采 …).
    pub method: Option<crate::application::MiningMethod>,
    /// Approval level (本级审批发证 …).
    pub approval: Option<ApprovalLevel>,
    /// Right kind (矿业权数 of 探矿权 or 采矿权 only).
    pub right_kind: Option<crate::application::RightKind>,
    /// Only new mines (新建矿山) count against it: applications that do not create a mine
    /// are not affected.
    pub new_only: bool,
}

impl CapFilter {
    /// The filter in words, e.g. `露天、本级审批发证`; empty without restriction.
    pub fn label(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if let Some(m) = self.method {
            parts.push(m.label().to_string());
        }
        if let Some(a) = self.approval {
            parts.push(a.label().to_string());
        }
        if let Some(k) = self.right_kind {
            parts.push(k.label().to_string());
        }
        if self.new_only {
            parts.push("新建".into());
        }
        parts.join("、")
    }
}

/// A cap (控制指标) as the plan writes it: subject, measure, filter, scope, value, comparison
/// and citation (docs/plan-format.md “控制指标”).
#[derive(Debug, Clone, Serialize)]
pub struct Cap {
    /// Stable key, e.g. `open_pit_mines`.
    pub key: String,
    /// The plan's name for it, e.g. `露天矿山数量`.
    pub label: String,
    /// What it limits.
    pub measure: CapMeasure,
    /// Which minerals.
    pub subject: CapSubject,
    /// Which rights.
    pub filter: CapFilter,
    /// The sub-unit (a county of a city plan, a town) it applies to; `None` for the whole
    /// plan unit.
    pub scope: Option<String>,
    /// The limit.
    pub value: f64,
    /// Its unit (counts: 个/家/宗/处/座; extraction: a unit per year, or a quantity over the
    /// period).
    pub unit: Unit,
    /// `≤` or `<` (a soft cap keeps its `≤`).
    pub comparison: Comparison,
    /// A soft cap (“左右”, “原则上”): exceeding it warns (预警, 需人工核查) instead of
    /// vetoing.
    pub soft: bool,
    /// The soft word as the plan writes it (`左右`, `原则上`, `约`, `力争`), for display.
    pub soft_word: Option<String>,
    /// The plan's words, e.g. `控制在10个左右`.
    pub wording: Option<String>,
    /// Where the plan sets it.
    pub cite: Citation,
    /// A remark.
    pub note: Option<String>,
}

impl Cap {
    /// The limit in the plan's words: `3 个`, `5 个左右`, `原则上 2 个`, `约 10 万吨/年`.
    pub fn limit_label(&self) -> String {
        let v = format!(
            "{} {}",
            crate::citation::format_number(self.value),
            self.unit.symbol()
        );
        match (self.soft, self.soft_word.as_deref()) {
            (false, _) => v,
            (true, Some("左右")) | (true, None) => format!("{v}左右"),
            (true, Some(w)) => format!("{w} {v}"),
        }
    }

    /// The cap in the plan's terms, e.g. `露天矿山数量（全部矿种、露天）≤10 个`.
    pub fn describe(&self) -> String {
        let filter = self.filter.label();
        let mut what = self.label.clone();
        let subject = self.subject.label();
        if !what.contains(&subject) && self.subject != CapSubject::All {
            what = format!("{subject}{what}");
        }
        if !filter.is_empty() {
            what.push_str(&format!("（{filter}）"));
        }
        if let Some(s) = &self.scope {
            what = format!("{s}{what}");
        }
        if self.soft {
            format!("{what}{}", self.limit_label())
        } else {
            format!("{what}{}{}", self.comparison.symbol(), self.limit_label())
        }
    }
}

/// A sub-unit of the plan unit (a county of a city plan, a town) that caps may be scoped to.
#[derive(Debug, Clone, Serialize)]
pub struct SubUnit {
    /// Name as the plan writes it, e.g. `东宁市`.
    pub name: String,
    /// Its administrative code, when known.
    pub adcode: Option<String>,
    /// Its outline, lon/lat; empty when the bundle has none (then an application's sub-unit
    /// must be declared).
    pub outline: Vec<LonLatPolygon>,
}

/// 三条控制线 and 三区两线 layers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum ControlLayerKind {
    /// 生态保护红线.
    #[serde(rename = "生态保护红线")]
    EcologicalRedLine,
    /// 永久基本农田.
    #[serde(rename = "永久基本农田")]
    PermanentBasicFarmland,
    /// 城镇开发边界.
    #[serde(rename = "城镇开发边界")]
    UrbanDevelopmentBoundary,
    /// 三区两线可视范围 (buffers of roads, railways, rivers).
    #[serde(rename = "三区两线可视范围")]
    VisibleCorridor,
}

impl ControlLayerKind {
    /// All kinds.
    pub const ALL: [ControlLayerKind; 4] = [
        ControlLayerKind::EcologicalRedLine,
        ControlLayerKind::PermanentBasicFarmland,
        ControlLayerKind::UrbanDevelopmentBoundary,
        ControlLayerKind::VisibleCorridor,
    ];

    /// Chinese name.
    pub fn label(&self) -> &'static str {
        match self {
            ControlLayerKind::EcologicalRedLine => "生态保护红线",
            ControlLayerKind::PermanentBasicFarmland => "永久基本农田",
            ControlLayerKind::UrbanDevelopmentBoundary => "城镇开发边界",
            ControlLayerKind::VisibleCorridor => "三区两线可视范围",
        }
    }

    /// Parses the Chinese name or the English identifier.
    pub fn parse(s: &str) -> Option<ControlLayerKind> {
        let s = s.trim();
        ControlLayerKind::ALL.into_iter().find(|k| {
            k.label() == s
                || k.slug() == s
                || (s == "三区两线" && *k == ControlLayerKind::VisibleCorridor)
        })
    }

    /// English slug used in files and URLs.
    pub fn slug(&self) -> &'static str {
        match self {
            ControlLayerKind::EcologicalRedLine => "ecological_red_line",
            ControlLayerKind::PermanentBasicFarmland => "permanent_basic_farmland",
            ControlLayerKind::UrbanDevelopmentBoundary => "urban_development_boundary",
            ControlLayerKind::VisibleCorridor => "visible_corridor",
        }
    }
}

/// One feature of a control layer.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct LayerFeature {
    /// Identifier within the layer.
    pub id: String,
    /// Name, if any.
    pub name: Option<String>,
    /// Geometry, lon/lat (corridors already buffered).
    pub geometry: Vec<LonLatPolygon>,
    /// Ellipsoidal area, km².
    pub area_km2: f64,
    /// Remaining GeoJSON properties.
    pub properties: serde_json::Map<String, serde_json::Value>,
}

/// A control layer (管控图层) with its features.
#[derive(Debug, Clone, Serialize)]
pub struct ControlLayer {
    /// Kind.
    pub kind: ControlLayerKind,
    /// Display name.
    pub name: String,
    /// Where the data comes from.
    pub source: String,
    /// Whether it is schematic (示意).
    pub schematic: bool,
    /// Buffer half-width for corridors, metres.
    pub buffer_m: Option<f64>,
    /// Features.
    pub features: Vec<LayerFeature>,
}

/// The plan's wording behind a review rule (规则依据): the sections it rests on and the
/// words quoted from them. The rules are generic; the plan says where it says so.
#[derive(Debug, Clone, Serialize)]
pub struct RuleBasis {
    /// Rule number, `R1` … `R15` (`docs/rules.md`).
    pub rule: String,
    /// The sections.
    pub cites: Vec<Citation>,
    /// The plan's words.
    pub text: String,
}

/// The whole plan.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    /// Identity.
    pub identity: PlanIdentity,
    /// Region.
    pub region: Region,
    /// Baseline figures (现状), incl. legacy mines and restoration.
    pub baseline: Vec<Figure>,
    /// Previous round's evaluation (专栏1).
    pub previous_round: Vec<PreviousRoundRow>,
    /// Target indicators (专栏2 and others).
    pub indicators: Vec<Indicator>,
    /// Planning blocks.
    pub blocks: Vec<PlanningBlock>,
    /// Stated counts and totals of blocks.
    pub block_groups: Vec<BlockGroup>,
    /// Key development areas.
    pub key_areas: Vec<KeyArea>,
    /// Prohibited and restricted minerals.
    pub prohibitions: Vec<Prohibition>,
    /// Admission parameters.
    pub admission: Admission,
    /// Control layers.
    pub control_layers: Vec<ControlLayer>,
    /// Mineral catalogue (built-in plus the bundle's).
    pub minerals: MineralCatalogue,
    /// The plan's wording behind each review rule.
    pub rule_basis: Vec<RuleBasis>,
    /// The plan text, when the bundle carries it.
    #[serde(skip)]
    pub text: Option<PlanText>,
    /// Other source documents (`[[sources]]`) citations may name.
    pub sources: Vec<SourceDocument>,

    /// The version's basis and dates (`[version]`); `None` when the bundle does not state
    /// them (未载明): in force from the start of the period.
    pub version: Option<PlanVersion>,
}

impl Plan {
    /// Indicators of one table (e.g. `专栏2`), in bundle order.
    pub fn indicators_in(&self, table: &str) -> impl Iterator<Item = &Indicator> {
        let table = table.to_string();
        self.indicators.iter().filter(move |i| i.table == table)
    }

    /// The baseline figure with this key.
    pub fn figure(&self, key: &str) -> Option<&Figure> {
        self.baseline.iter().find(|f| f.key == key)
    }

    /// The control layer of a kind.
    pub fn control_layer(&self, kind: ControlLayerKind) -> Option<&ControlLayer> {
        self.control_layers.iter().find(|l| l.kind == kind)
    }

    /// The basis of a review rule (`R4`), if the bundle gives one.
    pub fn rule_basis(&self, rule: &str) -> Option<&RuleBasis> {
        self.rule_basis.iter().find(|b| b.rule == rule)
    }

    /// Whether the plan has any schematic geometry.
    pub fn has_schematic_geometry(&self) -> bool {
        self.region.outline_schematic
            || self.blocks.iter().any(|b| b.schematic)
            || self.control_layers.iter().any(|l| l.schematic)
    }
}

#[cfg(test)]
mod approval_tests {
    use super::ApprovalLevel;

    #[test]
    fn approval_level_words_and_codes() {
        for (word, level) in [
            ("省级划定", ApprovalLevel::Provincial),
            (" 市级 ", ApprovalLevel::CityDesignated),
            ("本级审批发证", ApprovalLevel::ThisLevel),
        ] {
            assert_eq!(ApprovalLevel::parse(word), Some(level), "{word}");
            // The stored code reads back as the same level.
            assert_eq!(ApprovalLevel::parse(level.code()), Some(level));
        }
        assert_eq!(ApprovalLevel::parse("县级"), None);
        // The accepted words of the messages are the codes.
        assert_eq!(ApprovalLevel::ACCEPTED, ApprovalLevel::LABELS.join("、"));
    }
}

mod sources;
pub use sources::{SourceDocument, SourceKind};

impl PlanLevel {
    /// The words `identity.level` accepts, for messages.
    pub const ACCEPTED: &'static str = "省级、市级、县级、开发区（经开区、高新区、新区）";

    /// Chinese label (as stored).
    pub fn label(&self) -> &'static str {
        match self {
            PlanLevel::Provincial => "省级",
            PlanLevel::Prefectural => "市级",
            PlanLevel::County => "县级",
            PlanLevel::DevelopmentZone => "开发区",
        }
    }

    /// Parses a level word; the 功能区 words all read as [`PlanLevel::DevelopmentZone`].
    pub fn parse(s: &str) -> Option<PlanLevel> {
        match s.trim() {
            "省级" => Some(PlanLevel::Provincial),
            "市级" => Some(PlanLevel::Prefectural),
            "县级" => Some(PlanLevel::County),
            "开发区"
            | "功能区"
            | "经开区"
            | "经济技术开发区"
            | "高新区"
            | "高新技术产业开发区"
            | "新区" => Some(PlanLevel::DevelopmentZone),
            _ => None,
        }
    }
}

/// Whether a plan version is the original approval or a mid-term amendment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionKind {
    /// 批准: the plan as originally approved.
    Approval,
    /// 修改: a mid-term amendment (规划修改/调整).
    Amendment,
}

zh_labels! {
    VersionKind, label {
        Approval => "批准",
        Amendment => "修改" | "调整",
    }
}

/// The document that approved a plan version (批复).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VersionBasis {
    /// Title, e.g. 《关于绥芬河市矿产资源总体规划（2021～2025年）的批复》.
    pub title: String,
    /// 文号, e.g. 牡政函〔2022〕12号.
    pub number: String,
    /// Issuer, e.g. 牡丹江市人民政府.
    pub issuer: String,
}

/// The part of a plan an amendment's stated change concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChangePart {
    /// 规划区块 (item: block number).
    Block,
    /// 规划指标 (item: indicator key).
    Indicator,
    /// 准入条件 (item: a cap's key — `[[caps]]` keys, `extraction_矿种`, `mine_cap_total`,
    /// `mine_cap_this_level` — or `最低开采规模:矿种`).
    Admission,
    /// 禁止限制矿种 (item: the mineral).
    Prohibition,
}

zh_labels! {
    ChangePart, label {
        Block => "规划区块" | "区块",
        Indicator => "规划指标" | "指标",
        Admission => "准入条件",
        Prohibition => "禁止限制矿种" | "禁止限制",
    }
}

/// What a change does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChangeAction {
    /// 新增.
    Added,
    /// 删除 (also 取消).
    Removed,
    /// 调整: redrawn, or a value or attribute changed (also 修改, 变更).
    Changed,
}

zh_labels! {
    ChangeAction, label {
        Added => "新增",
        Removed => "删除" | "取消",
        Changed => "调整" | "修改" | "变更",
    }
}

/// A change an amendment states (`[[version.changes]]`), cross-checked at import against
/// the computed difference with the previous version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatedChange {
    /// The part.
    pub part: ChangePart,
    /// What is done.
    pub action: ChangeAction,
    /// Which item (block number, indicator key, …).
    pub item: String,
}

/// A plan version's basis and dates (`[version]`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanVersion {
    /// 批准 or 修改.
    pub kind: VersionKind,
    /// The approving document.
    pub basis: VersionBasis,
    /// Approval date.
    pub approved: Date,
    /// Date from which the version is in force.
    pub effective: Date,
    /// Stated changes (amendments).
    pub changes: Vec<StatedChange>,
}

impl Plan {
    /// The date from which this version is in force: `[version].effective`, or 1 January of
    /// the period's first year when the bundle does not state it.
    pub fn effective_from(&self) -> Date {
        self.version
            .as_ref()
            .map(|v| v.effective)
            .unwrap_or_else(|| Date::start_of_year(self.identity.period_start))
    }
}
