//! The register's view the review needs: existing rights (矿业权) and applications under
//! review, with their holders, minerals, capacities and geometry.
//!
//! The full register with its lifecycle lives in the store; this is the value the pure
//! review takes.

use crate::application::{Quantity, RightKind};
use crate::labels::zh_labels;
use crate::plan::{ApprovalLevel, LonLatPolygon};
use serde::{Deserialize, Serialize};

/// Status of a right in the register.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RightStatus {
    /// 有效 (valid licence).
    Valid,
    /// 在审 (an application under review, not yet decided).
    Pending,
    /// 已过期.
    Expired,
    /// 已注销 / 闭坑.
    Cancelled,
}

zh_labels! {
    RightStatus, label {
        Valid => "有效",
        Pending => "在审",
        Expired => "已过期",
        Cancelled => "已注销" | "闭坑",
    }
}

/// A right (or a pending application) as the review sees it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MiningRight {
    /// 许可证号, or 申请编号 for a pending application.
    pub id: String,
    /// 探矿权 / 采矿权.
    pub kind: RightKind,
    /// Status.
    pub status: RightStatus,
    /// 项目（矿山）名称.
    pub name: String,
    /// 矿业权人.
    pub holder_name: String,
    /// 统一社会信用代码, when known.
    pub credit_code: Option<String>,
    /// Minerals.
    pub minerals: Vec<String>,
    /// 生产规模 (mining rights).
    pub capacity: Option<Quantity>,
    /// Who approved it (本级审批发证 counts against the plan's cap for this level).
    pub approval: Option<ApprovalLevel>,
    /// Geometry, CGCS2000 lon/lat.
    pub geometry: Vec<LonLatPolygon>,
    /// 开采方式, when the register knows it (caps by kind of mine count it; an unknown
    /// method is named, never guessed).
    #[serde(default)]
    pub mining_method: Option<crate::application::MiningMethod>,
    /// The sub-unit (a city plan's county, a town) the register records for it, for caps a
    /// plan sets per sub-unit when the bundle has no outlines to place it by its geometry.
    #[serde(default)]
    pub sub_unit: Option<String>,
    /// For a pending application ([`RightStatus::Pending`]): its latest review concluded
    /// 不符合. R6 and R7 leave it out of the pending totals and name it in the evidence
    /// (“另有 n 件在审申请经审查不符合，未计入”); it never alone makes a review 需人工核查.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub review_failed: bool,
}

impl MiningRight {
    /// Whether it counts as an existing mine (valid mining right).
    pub fn is_valid_mine(&self) -> bool {
        self.kind == RightKind::Mining && self.status == RightStatus::Valid
    }

    /// Whether it is a pending application that the caps count among the other pending
    /// applications: 在审 and not reviewed 不符合 ([`MiningRight::review_failed`]).
    pub fn counts_as_pending(&self) -> bool {
        self.status == RightStatus::Pending && !self.review_failed
    }
}

/// A holder on a supervision list (异常名录 / 严重违法失信名单), 《规划》四（三）3（3）.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListedHolder {
    /// 统一社会信用代码.
    pub credit_code: String,
    /// Name.
    pub name: String,
    /// Why listed.
    pub reason: String,
    /// Since (YYYY-MM-DD).
    pub since: String,
}

/// The supervision lists the review consults.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct HolderLists {
    /// 矿业权人异常名录.
    pub abnormal: Vec<ListedHolder>,
    /// 严重违法失信名单.
    pub serious_violation: Vec<ListedHolder>,
}
