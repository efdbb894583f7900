//! A mining-right application (申请): the file format (`minplan-application/1`, see
//! `docs/application-format.md`), its checks, and the parsed [`Application`].
//!
//! Parse, don't validate: an `Application` that exists has a valid 统一社会信用代码
//! (GB 32100-2015), a known application and right kind, minerals known to the plan, a
//! capacity with a known unit when a mining right needs one, a grant method (with a reason
//! for 协议), and corner coordinates without errors, in CGCS2000.

use crate::credit_code::CreditCode;
use crate::labels::zh_labels;
use crate::layer::line_of;
use crate::minerals::MineralCatalogue;
use crate::record_number::RecordNumber;
use crate::units::Unit;
use minplan_geo::GaussKrugerZone;
use minplan_geo::corners::{self, CornerPoints, CornerReport, ParseOptions, Severity};
use serde::{Deserialize, Serialize};
use std::fmt;
use toml::Spanned;

/// The format identifier an application file must declare.
pub const FORMAT: &str = "minplan-application/1";

/// 申请类型.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApplicationKind {
    /// 新立.
    New,
    /// 延续 (of a right's licence; the register's transition is
    /// [`RightExtension`](crate::register::RightExtension)).
    Extension,
    /// 变更 (with its [`ChangeKind`]).
    Change,
    /// 探转采 (an exploration right becomes a mining right).
    ExplorationToMining,
    /// 转让.
    Transfer,
}

zh_labels! {
    ApplicationKind, label {
        New => "新立",
        Extension => "延续",
        Change => "变更",
        ExplorationToMining => "探转采",
        Transfer => "转让",
    }
}

/// 变更事项.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// 扩大范围.
    Enlarge,
    /// 缩小范围.
    Reduce,
    /// 变更矿种.
    Mineral,
    /// 变更规模.
    Scale,
}

zh_labels! {
    ChangeKind, label {
        Enlarge => "扩大范围",
        Reduce => "缩小范围",
        Mineral => "变更矿种",
        Scale => "变更规模",
    }
}

/// 探矿权 / 采矿权.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RightKind {
    /// 探矿权.
    Exploration,
    /// 采矿权.
    Mining,
}

zh_labels! {
    RightKind, label {
        Exploration => "探矿权",
        Mining => "采矿权",
    }
}

/// 开采方式.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MiningMethod {
    /// 露天开采.
    OpenPit,
    /// 地下开采.
    Underground,
    /// 露天/地下联合 (also written 联合).
    Combined,
    /// 井采（地下水、地热水、矿泉水）.
    Well,
}

zh_labels! {
    MiningMethod, label {
        OpenPit => "露天" | "露天开采",
        Underground => "地下" | "地下开采",
        Combined => "露天+地下" | "联合",
        Well => "井采",
    }
}

impl MiningMethod {
    /// Whether any part is open-pit.
    pub fn is_open_pit(&self) -> bool {
        matches!(self, MiningMethod::OpenPit | MiningMethod::Combined)
    }
}

/// 出让方式 (招标、拍卖、挂牌、协议).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrantMethod {
    /// 招标.
    Tender,
    /// 拍卖.
    Auction,
    /// 挂牌.
    Listing,
    /// 协议.
    Agreement,
}

zh_labels! {
    GrantMethod, label {
        Tender => "招标",
        Auction => "拍卖",
        Listing => "挂牌",
        Agreement => "协议",
    }
}

/// Listed reasons that allow 协议出让 (《矿业权出让制度改革方案》 and 自然资规〔2023〕6号 practice).
/// The short form an application writes is [`AgreementReason::code`]; the full wording is
/// [`AgreementReason::label`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgreementReason {
    /// 国务院批准的重点建设项目.
    KeyProject,
    /// 已设采矿权深部或上部的同类矿产（需要利用原有生产系统）.
    AdjacentDeposit,
    /// 探矿权人依法申请其勘查区块内的采矿权（探转采）.
    ExplorerConversion,
    /// 其他情形（须人工核查依据）.
    Other,
}

zh_labels! {
    AgreementReason, code {
        KeyProject => "重点建设项目",
        AdjacentDeposit => "深部或上部同类矿产",
        ExplorerConversion => "探转采",
        Other => "其他",
    }
}

impl AgreementReason {
    /// The full Chinese wording of the reason.
    pub fn label(&self) -> &'static str {
        match self {
            AgreementReason::KeyProject => "国务院批准的重点建设项目",
            AgreementReason::AdjacentDeposit => "已设采矿权深部或上部的同类矿产",
            AgreementReason::ExplorerConversion => "探矿权人申请其勘查区块内的采矿权",
            AgreementReason::Other => "其他情形",
        }
    }
}

/// A quantity with its unit (e.g. 6 万立方米/年).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Quantity {
    /// Value.
    pub value: f64,
    /// Unit.
    pub unit: Unit,
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}",
            crate::citation::format_number(self.value),
            self.unit
        )
    }
}

/// The documents filed with the application (申请材料).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Documents {
    /// 矿产资源开发利用方案.
    pub development_plan: bool,
    /// 矿区生态修复方案 / 矿山地质环境保护与土地复垦方案.
    pub restoration_plan: bool,
    /// 绿色矿山建设承诺.
    pub green_mine_commitment: bool,
}

/// What the applicant declares about the site (used where the plan's rule depends on land
/// the layers may not show, e.g. 湿地, 可耕地).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct SiteDeclaration {
    /// The area includes wetland (湿地).
    pub wetland: Option<bool>,
    /// The area includes arable land (可耕地).
    pub arable_land: Option<bool>,
}

/// A parsed, checked application.
#[derive(Debug, Clone, Serialize)]
pub struct Application {
    /// 申请编号; a new review of the same number supersedes the old one.
    pub number: String,
    /// 申请类型.
    pub kind: ApplicationKind,
    /// 变更事项 (only for 变更).
    pub change: Option<ChangeKind>,
    /// 探矿权 / 采矿权.
    pub right_kind: RightKind,
    /// 项目名称.
    pub project_name: String,
    /// Minerals (names as the plan's catalogue knows them).
    pub minerals: Vec<String>,
    /// 开采方式 (mining rights).
    pub mining_method: Option<MiningMethod>,
    /// 设计生产规模 (mining rights), e.g. 万立方米/年.
    pub capacity: Option<Quantity>,
    /// 保有资源量 (optional).
    pub reserves: Option<Quantity>,
    /// 设计服务年限, years (optional).
    pub service_years: Option<f64>,
    /// 原矿业权证号 (延续/变更/转让/探转采).
    pub existing_right: Option<String>,
    /// 受理日期 (YYYY-MM-DD), as written.
    pub received: Option<String>,
    /// 申请人（矿业权人）名称.
    pub holder_name: String,
    /// 统一社会信用代码.
    pub credit_code: CreditCode,
    /// 出让方式.
    pub grant_method: GrantMethod,
    /// 协议出让理由.
    pub agreement_reason: Option<AgreementReason>,
    /// 协议出让理由说明.
    pub agreement_note: Option<String>,
    /// 净矿出让.
    pub net_mineral_grant: bool,
    /// Documents filed.
    pub documents: Documents,
    /// Site declaration.
    pub site: SiteDeclaration,
    /// 开采标高 (top, bottom), metres, 1985国家高程基准, from the corner file.
    pub elevation: Option<(f64, f64)>,
    /// The corner coordinates (the record: entered text kept).
    #[serde(skip)]
    pub corners: CornerPoints,
    /// The corner-coordinate report (layout, CRS, rings, warnings, areas).
    pub corner_report: CornerReport,
}

impl Application {
    /// Plane polygons in `zone` **without** the zone prefix: per block, rings of
    /// (easting, northing) metres, exterior counter-clockwise first. Reprojected through
    /// longitude/latitude when the corners were written in another zone.
    pub fn plane_polygons_in(&self, zone: GaussKrugerZone) -> Vec<Vec<Vec<(f64, f64)>>> {
        let own = self.corners.zone();
        if own.width == zone.width && own.zone == zone.zone {
            return self.corners.plane_polygons();
        }
        let tm = zone.with_prefix(false).projection();
        self.corners
            .lonlat_polygons()
            .into_iter()
            .map(|poly| {
                poly.into_iter()
                    .map(|ring| {
                        ring.into_iter()
                            .map(|(lon, lat)| tm.forward(lon, lat))
                            .collect()
                    })
                    .collect()
            })
            .collect()
    }

    /// Whether this application would create a new mine (新立 or 探转采 of a mining right).
    pub fn creates_mine(&self) -> bool {
        self.right_kind == RightKind::Mining
            && matches!(
                self.kind,
                ApplicationKind::New | ApplicationKind::ExplorationToMining
            )
    }
}

/// A problem with an application file, located by field and line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApplicationError {
    /// Field path, e.g. `holder.credit_code`, or `坐标` for corner problems.
    pub field: String,
    /// 1-based line in the application file, when known.
    pub line: Option<usize>,
    /// Chinese message.
    pub message: String,
    /// Point labels (corner problems).
    pub points: Vec<String>,
}

impl fmt::Display for ApplicationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(l) = self.line {
            write!(f, "第{l}行 ")?;
        }
        write!(f, "{}：{}", self.field, self.message)?;
        if !self.points.is_empty() {
            write!(f, "（{}）", self.points.join("、"))?;
        }
        Ok(())
    }
}

/// Every problem of an application; nothing is reviewed while there are any.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApplicationErrors {
    /// The problems.
    pub errors: Vec<ApplicationError>,
    /// The corner report, when the coordinates could be read at all.
    pub corner_report: Option<Box<CornerReport>>,
}

impl fmt::Display for ApplicationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "申请有 {} 处问题：", self.errors.len())?;
        for e in &self.errors {
            writeln!(f, "  - {e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApplicationErrors {}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuantity {
    value: Spanned<f64>,
    unit: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHolder {
    name: Spanned<String>,
    credit_code: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGrant {
    method: Spanned<String>,
    agreement_reason: Option<Spanned<String>>,
    agreement_note: Option<String>,
    #[serde(default)]
    net_mineral: bool,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawDocuments {
    #[serde(default)]
    development_plan: bool,
    #[serde(default)]
    restoration_plan: bool,
    #[serde(default)]
    green_mine_commitment: bool,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawSite {
    wetland: Option<bool>,
    arable_land: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCoordinates {
    file: Option<Spanned<String>>,
    text: Option<Spanned<String>>,
    crs: Option<Spanned<u32>>,
    datum: Option<Spanned<String>>,
    zone: Option<Spanned<u32>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawApplication {
    format: Spanned<String>,
    number: Spanned<String>,
    kind: Spanned<String>,
    change: Option<Spanned<String>>,
    right_kind: Spanned<String>,
    project_name: Spanned<String>,
    minerals: Spanned<Vec<Spanned<String>>>,
    mining_method: Option<Spanned<String>>,
    capacity: Option<Spanned<RawQuantity>>,
    reserves: Option<Spanned<RawQuantity>>,
    service_years: Option<Spanned<f64>>,
    existing_right: Option<Spanned<String>>,
    received: Option<Spanned<String>>,
    holder: Spanned<RawHolder>,
    grant: Spanned<RawGrant>,
    #[serde(default)]
    documents: RawDocuments,
    #[serde(default)]
    site: RawSite,
    coordinates: Spanned<RawCoordinates>,
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
/// As [`parse_application`] for a file that is not TOML.
pub fn corner_source(toml_text: &str) -> Result<CornerSource, ApplicationErrors> {
    let raw: RawApplication = parse_raw(toml_text)?;
    Ok(match raw.coordinates.into_inner().file {
        Some(f) => CornerSource::File(f.into_inner()),
        None => CornerSource::Inline,
    })
}

fn parse_raw(src: &str) -> Result<RawApplication, ApplicationErrors> {
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
/// (only CGCS2000 is accepted for an application), the plan's zone (without prefix) when
/// none is stated, and the county for the outside-county check. Problems of the stated
/// options are returned with the option they concern; the options are usable regardless.
///
/// [`parse_application`] reads coordinates with these options; the web's corner check uses
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
    if opts.zone.is_none() {
        opts.zone = Some(plan_zone.with_prefix(false));
    }
    (opts, problems)
}

/// Parses and checks an application.
///
/// * `src` — the application file (TOML, `minplan-application/1`);
/// * `corner_bytes` — the corner file's bytes when `[coordinates] file` names one (see
///   [`corner_source`]); ignored for inline `text`;
/// * `minerals` — the plan's catalogue; `zone` — the plan's Gauss–Krüger zone, used when the
///   corners carry no zone prefix and none is given; `region` — the county, for the
///   outside-county check.
///
/// # Errors
/// [`ApplicationErrors`] with every problem found, including each corner-coordinate error
/// with its point labels.
pub fn parse_application(
    src: &str,
    corner_bytes: Option<&[u8]>,
    minerals: &MineralCatalogue,
    zone: GaussKrugerZone,
    region: Option<corners::Region>,
) -> Result<Application, ApplicationErrors> {
    let raw = parse_raw(src)?;
    let mut errors = Vec::new();
    let mut err = |field: &str, offset: Option<usize>, message: String| {
        errors.push(ApplicationError {
            field: field.to_string(),
            line: offset.map(|o| line_of(src, o)),
            message,
            points: vec![],
        })
    };
    if raw.format.get_ref() != FORMAT {
        err(
            "format",
            Some(raw.format.span().start),
            format!("格式标识应为“{FORMAT}”"),
        );
    }
    let number = raw.number.get_ref().trim().to_string();
    if let Err(m) = RecordNumber::parse("申请编号", &number) {
        err("number", Some(raw.number.span().start), m);
    }
    let kind = ApplicationKind::parse(raw.kind.get_ref());
    if kind.is_none() {
        err(
            "kind",
            Some(raw.kind.span().start),
            format!(
                "申请类型“{}”应为 {} 之一",
                raw.kind.get_ref().trim(),
                ApplicationKind::LABELS.join("、")
            ),
        );
    }
    let change = match (&raw.change, kind) {
        (Some(c), Some(ApplicationKind::Change)) => {
            let change = ChangeKind::parse(c.get_ref());
            if change.is_none() {
                err(
                    "change",
                    Some(c.span().start),
                    format!(
                        "变更事项“{}”应为 {} 之一",
                        c.get_ref().trim(),
                        ChangeKind::LABELS.join("、")
                    ),
                );
            }
            change
        }
        (None, Some(ApplicationKind::Change)) => {
            err(
                "change",
                Some(raw.kind.span().start),
                "变更申请须写明变更事项（change）".into(),
            );
            None
        }
        (Some(c), Some(_)) => {
            err(
                "change",
                Some(c.span().start),
                "只有变更申请才写变更事项".into(),
            );
            None
        }
        _ => None,
    };
    let right_kind = RightKind::parse(raw.right_kind.get_ref());
    if right_kind.is_none() {
        err(
            "right_kind",
            Some(raw.right_kind.span().start),
            format!(
                "矿业权类型“{}”应为 探矿权 或 采矿权",
                raw.right_kind.get_ref()
            ),
        );
    }
    let mut mineral_names = Vec::new();
    if raw.minerals.get_ref().is_empty() {
        err(
            "minerals",
            Some(raw.minerals.span().start),
            "至少填写一个矿种".into(),
        );
    }
    for m in raw.minerals.get_ref() {
        match minerals.get(m.get_ref()) {
            Some(known) => mineral_names.push(known.name.clone()),
            None => err(
                "minerals",
                Some(m.span().start),
                format!("未知矿种“{}”（规划矿种目录中没有）", m.get_ref()),
            ),
        }
    }
    let mining_method = match &raw.mining_method {
        Some(m) => {
            let method = MiningMethod::parse(m.get_ref());
            if method.is_none() {
                err(
                    "mining_method",
                    Some(m.span().start),
                    format!(
                        "开采方式“{}”应为 {} 之一",
                        m.get_ref().trim(),
                        MiningMethod::LABELS.join("、")
                    ),
                );
            }
            method
        }
        None => None,
    };
    let mut quantity =
        |q: &Option<Spanned<RawQuantity>>, field: &str, allowed: &[Unit]| -> Option<Quantity> {
            let q = q.as_ref()?;
            let r = q.get_ref();
            let v = *r.value.get_ref();
            if !(v.is_finite() && v > 0.0) {
                err(field, Some(r.value.span().start), "数值应为正数".into());
                return None;
            }
            match Unit::parse(r.unit.get_ref()) {
                Ok(u) if allowed.contains(&u) => Some(Quantity { value: v, unit: u }),
                Ok(u) => {
                    let names: Vec<&str> = allowed.iter().map(|a| a.symbol()).collect();
                    err(
                        field,
                        Some(r.unit.span().start),
                        format!("单位“{u}”不适用，应为 {}", names.join("、")),
                    );
                    None
                }
                Err(e) => {
                    err(field, Some(r.unit.span().start), e.to_string());
                    None
                }
            }
        };
    let capacity = quantity(
        &raw.capacity,
        "capacity",
        &[Unit::WanM3PerYear, Unit::WanTonnePerYear],
    );
    let reserves = quantity(&raw.reserves, "reserves", &[Unit::WanM3, Unit::WanTonne]);
    if right_kind == Some(RightKind::Mining) && !matches!(kind, Some(ApplicationKind::Transfer)) {
        if raw.capacity.is_none() {
            err(
                "capacity",
                Some(raw.right_kind.span().start),
                "采矿权申请须填写设计生产规模（capacity）".into(),
            );
        }
        if mining_method.is_none() && raw.mining_method.is_none() {
            err(
                "mining_method",
                Some(raw.right_kind.span().start),
                "采矿权申请须填写开采方式（mining_method）".into(),
            );
        }
    }
    let service_years = match &raw.service_years {
        Some(s) if !(s.get_ref().is_finite() && *s.get_ref() > 0.0) => {
            err(
                "service_years",
                Some(s.span().start),
                "服务年限应为正数".into(),
            );
            None
        }
        Some(s) => Some(*s.get_ref()),
        None => None,
    };
    if matches!(
        kind,
        Some(
            ApplicationKind::Extension
                | ApplicationKind::Change
                | ApplicationKind::Transfer
                | ApplicationKind::ExplorationToMining
        )
    ) && raw
        .existing_right
        .as_ref()
        .is_none_or(|e| e.get_ref().trim().is_empty())
    {
        err(
            "existing_right",
            Some(raw.kind.span().start),
            "延续、变更、转让、探转采申请须填写原矿业权证号（existing_right）".into(),
        );
    }
    if let Some(r) = &raw.received {
        let s = r.get_ref();
        let ok = s.len() == 10
            && s.as_bytes()[4] == b'-'
            && s.as_bytes()[7] == b'-'
            && s[..4].parse::<u32>().is_ok()
            && s[5..7].parse::<u32>().is_ok_and(|m| (1..=12).contains(&m))
            && s[8..].parse::<u32>().is_ok_and(|d| (1..=31).contains(&d));
        if !ok {
            err(
                "received",
                Some(r.span().start),
                format!("受理日期“{s}”应写作 YYYY-MM-DD"),
            );
        } else {
            match crate::date::Date::parse(s) {
                Err(e) => err("received", Some(r.span().start), format!("受理日期：{e}")),
                Ok(d) if !(1990..=2100).contains(&d.year()) => err(
                    "received",
                    Some(r.span().start),
                    format!("受理日期“{s}”不在 1990～2100 年之间"),
                ),
                Ok(_) => {}
            }
        }
    }
    let holder = raw.holder.get_ref();
    if holder.name.get_ref().trim().is_empty() {
        err(
            "holder.name",
            Some(holder.name.span().start),
            "申请人名称不能为空".into(),
        );
    }
    let credit_code = match CreditCode::parse(holder.credit_code.get_ref()) {
        Ok(c) => Some(c),
        Err(e) => {
            err(
                "holder.credit_code",
                Some(holder.credit_code.span().start),
                e.to_string(),
            );
            None
        }
    };
    let g = raw.grant.get_ref();
    let grant_method = GrantMethod::parse(g.method.get_ref());
    if grant_method.is_none() {
        err(
            "grant.method",
            Some(g.method.span().start),
            format!(
                "出让方式“{}”应为 {} 之一",
                g.method.get_ref().trim(),
                GrantMethod::LABELS.join("、")
            ),
        );
    }
    let agreement_reason = match &g.agreement_reason {
        Some(r) => {
            let reason = AgreementReason::parse(r.get_ref());
            if reason.is_none() {
                err(
                    "grant.agreement_reason",
                    Some(r.span().start),
                    format!(
                        "协议出让理由“{}”应为 {} 之一",
                        r.get_ref(),
                        AgreementReason::LABELS.join("、")
                    ),
                );
            }
            reason
        }
        None => None,
    };

    // Corner coordinates.
    let c = raw.coordinates.get_ref();
    let (opts, problems) = corner_parse_options(
        &CornerOptionsInput {
            crs: c.crs.as_ref().map(|x| *x.get_ref()),
            zone: c.zone.as_ref().map(|x| *x.get_ref()),
            datum: c.datum.as_ref().map(|x| x.get_ref().as_str()),
        },
        zone,
        region,
    );
    for (field, message) in problems {
        let offset = match field {
            CornerOption::Crs => c.crs.as_ref().map(|x| x.span().start),
            CornerOption::Zone => c.zone.as_ref().map(|x| x.span().start),
            CornerOption::Datum => c.datum.as_ref().map(|x| x.span().start),
        };
        err(field.field(), offset, message);
    }
    let report = match (&c.text, &c.file, corner_bytes) {
        (Some(t), _, _) => Some(corners::parse_str(t.get_ref(), &opts)),
        (None, Some(_), Some(bytes)) => Some(corners::parse_bytes(bytes, &opts)),
        (None, Some(f), None) => {
            err(
                "coordinates.file",
                Some(f.span().start),
                format!("读不到拐点坐标文件“{}”", f.get_ref()),
            );
            None
        }
        (None, None, _) => {
            err(
                "coordinates",
                Some(raw.coordinates.span().start),
                "须提供拐点坐标：text（粘贴）或 file（文件）".into(),
            );
            None
        }
    };
    // Where a corner problem is: the application file's line for inline text (the text
    // starts on the line after `text = """`), the corner file's own line otherwise.
    let inline_start = c.text.as_ref().map(|t| line_of(src, t.span().start));
    let coord_line = inline_start.or(c.file.as_ref().map(|f| line_of(src, f.span().start)));
    let corner_field = match &c.file {
        Some(f) if c.text.is_none() => format!("坐标文件 {}", f.get_ref()),
        _ => "coordinates.text".to_string(),
    };
    if let Some(r) = &report {
        for p in r.problems.iter().filter(|p| p.severity == Severity::Error) {
            let line = match (inline_start, p.line) {
                (Some(start), Some(l)) => Some(start + l),
                (None, l) => l,
                (Some(start), None) => Some(start),
            };
            errors.push(ApplicationError {
                field: corner_field.clone(),
                line,
                message: p.message.clone(),
                points: p.points.clone(),
            });
        }
        if r.nothing_read() {
            errors.push(ApplicationError {
                field: "坐标".into(),
                line: coord_line,
                message: "没有读到任何拐点".into(),
                points: vec![],
            });
        }
    }
    if !errors.is_empty() {
        return Err(ApplicationErrors {
            errors,
            corner_report: report.map(Box::new),
        });
    }
    let report = report.expect("present when there are no errors");
    let corners = match CornerPoints::try_from(report.clone()) {
        Ok(c) => c,
        Err(r) => {
            return Err(ApplicationErrors {
                errors: vec![ApplicationError {
                    field: "坐标".into(),
                    line: coord_line,
                    message: "拐点坐标无法构成有效的范围".into(),
                    points: vec![],
                }],
                corner_report: Some(Box::new(r)),
            });
        }
    };
    let elevation = corners
        .blocks()
        .iter()
        .flat_map(|b| b.rings.iter())
        .filter_map(|r| r.elevation.as_ref())
        .fold(None, |acc: Option<(f64, f64)>, e| match acc {
            None => Some((e.top_m, e.bottom_m)),
            Some((t, b)) => Some((t.max(e.top_m), b.min(e.bottom_m))),
        });
    // All Options are Some here: every None above pushed an error.
    let (Some(kind), Some(right_kind), Some(credit_code), Some(grant_method)) =
        (kind, right_kind, credit_code, grant_method)
    else {
        unreachable!("missing fields were reported as errors")
    };
    Ok(Application {
        number,
        kind,
        change,
        right_kind,
        project_name: raw.project_name.into_inner(),
        minerals: mineral_names,
        mining_method,
        capacity,
        reserves,
        service_years,
        existing_right: raw
            .existing_right
            .map(|e| e.into_inner().trim().to_string())
            .filter(|s| !s.is_empty()),
        received: raw.received.map(Spanned::into_inner),
        holder_name: holder.name.get_ref().trim().to_string(),
        credit_code,
        grant_method,
        agreement_reason,
        agreement_note: g.agreement_note.clone(),
        net_mineral_grant: g.net_mineral,
        documents: Documents {
            development_plan: raw.documents.development_plan,
            restoration_plan: raw.documents.restoration_plan,
            green_mine_commitment: raw.documents.green_mine_commitment,
        },
        site: SiteDeclaration {
            wetland: raw.site.wetland,
            arable_land: raw.site.arable_land,
        },
        elevation,
        corners,
        corner_report: report,
    })
}
