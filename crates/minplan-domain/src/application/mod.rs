//! A mining-right application (申请): the file format (`minplan-application/1`, see
//! `docs/application-format.md`), its checks, and the parsed [`Application`].
//!
//! Parse, don't validate: an `Application` that exists has a valid 申请编号
//! ([`RecordNumber`](crate::record_number::RecordNumber)), a valid 统一社会信用代码
//! (GB 32100-2015), a known application and right kind, minerals known to the plan, a
//! capacity with a known unit when a mining right needs one, a grant method (with a reason
//! for 协议), and corner coordinates without errors, in CGCS2000.
//!
//! The parts: [`kinds`] (the kinds an application states, with their Chinese labels),
//! `raw` (the file as TOML gives it), [`corner_options`] (the corner parser's options, shared
//! with the web's corner check) and `parse` ([`parse_application`], one file per step).

pub mod basis;
pub mod corner_options;
pub mod kinds;
mod parse;
mod raw;

pub use basis::{Basis, Material, ReserveCategory};
pub use corner_options::{CornerOption, CornerOptionsInput, corner_parse_options};
pub use kinds::{
    AgreementReason, ApplicationKind, ChangeKind, GrantMethod, MiningMethod, RightKind,
};
pub use parse::parse_application;
pub use raw::{CornerSource, corner_source};

use crate::credit_code::CreditCode;
use crate::units::Unit;
use minplan_geo::GaussKrugerZone;
use minplan_geo::corners::{CornerPoints, CornerReport};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The format identifier an application file must declare.
pub const FORMAT: &str = "minplan-application/1";

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
    /// The basis of the capacity (矿石量 / 荒料量), when stated. Left out of the JSON when
    /// absent, so that reviews stored before the field existed replay to the same record.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capacity_basis: Option<Basis>,
    /// The basis of the reserves (矿石量 / 荒料量; 查明 / 保有 / 可采), when stated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reserves_basis: Option<Basis>,
    /// 年工作天数 stated with a capacity in 立方米/日: the only way such a capacity becomes
    /// a yearly one ([`Application::annual_capacity`]); never assumed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capacity_days_per_year: Option<f64>,
    /// 设计服务年限, years (optional).
    pub service_years: Option<f64>,
    /// 原矿业权证号 (延续/变更/转让/探转采).
    pub existing_right: Option<String>,
    /// 受理日期 (YYYY-MM-DD), as written.
    pub received: Option<String>,
    /// 申报面积 as the applicant wrote it (`0.6752`, `67.52公顷`…; a bare number is km²),
    /// when given. It agrees with the corners' ellipsoidal area (TD/T 1055-2019 附录D) within
    /// its rounding ([`minplan_geo::corners::compare_area`]): an application whose 申报面积
    /// does not agree is not parsed. Left out of the JSON when absent, so that reviews stored
    /// before the field existed replay to the same record.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub declared_area: Option<String>,
    /// 所在县（区）/乡镇 as the applicant declares it (`sub_unit`), for caps a plan sets per
    /// sub-unit when the bundle has no sub-unit outlines to derive it from. Left out of the
    /// JSON when absent (stored reviews replay unchanged).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sub_unit: Option<String>,
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
    /// The capacity as a yearly rate: as written, or — for 立方米/日 with the working days
    /// stated — in 万立方米/年 ([`crate::units::per_day_to_per_year`]). A daily capacity
    /// without the days stays daily (and does not compare with yearly figures).
    pub fn annual_capacity(&self) -> Option<Quantity> {
        self.daily_conversion()
            .map(|(_, _, yearly)| yearly)
            .or(self.capacity)
    }

    /// `200 立方米/日 × 300 天/年 = 6 万立方米/年` when the capacity is daily and the days
    /// are stated (for the evidence of the rules that use [`Application::annual_capacity`]).
    pub fn daily_capacity_note(&self) -> Option<String> {
        self.daily_conversion().map(|(daily, days, yearly)| {
            format!(
                "{daily} × {} 天/年 = {yearly}",
                crate::citation::format_number(days)
            )
        })
    }

    fn daily_conversion(&self) -> Option<(Quantity, f64, Quantity)> {
        let c = self.capacity?;
        let days = self.capacity_days_per_year?;
        let value = crate::units::per_day_to_per_year(c.value, c.unit, Unit::WanM3PerYear, days)?;
        Some((
            c,
            days,
            Quantity {
                value,
                unit: Unit::WanM3PerYear,
            },
        ))
    }

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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
