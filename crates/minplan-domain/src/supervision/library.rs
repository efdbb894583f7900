//! The libraries of 双随机、一公开 as data (《规划》四（三）3（3）; 国务院《关于在市场监管领域
//! 全面推行部门联合“双随机、一公开”监管的意见》国发〔2019〕5号 — “一单两库一细则”): the
//! 执法检查人员名录库 ([`Inspector`] with its 回避 relations, [`Recusal`]), the 抽查事项清单
//! ([`InspectionItem`]) and the 随机抽查对象库 ([`Candidate`], one per right valid on the
//! register date). [`exclusion_pairs`] turns the private 回避 relations into the published
//! (执法证号, 许可证号) pairs the draw must never assign.

use crate::application::RightKind;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};

/// An inspector of the 执法检查人员名录库.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inspector {
    /// 姓名.
    pub name: String,
    /// 执法证号 (unique; the draw names inspectors by it).
    pub badge_no: String,
    /// 所在单位.
    pub unit: String,
    /// 在岗: only inspectors in post are drawn.
    pub active: bool,
}

/// A 回避 relation of an inspector: a target it matches is never assigned to the inspector.
/// Kept private; the draw's published inputs carry only the resulting pairs.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Recusal {
    /// The inspector has an interest in a rights holder (its 统一社会信用代码).
    Holder(String),
    /// The inspector comes from (or lives in) a 乡镇: rights recorded in that 乡镇.
    Town(String),
    /// A relative's company (its 统一社会信用代码).
    Relative(String),
}

impl Recusal {
    /// The stored kind: `holder`, `town`, `relative` (migration 0015).
    pub fn kind_code(&self) -> &'static str {
        match self {
            Recusal::Holder(_) => "holder",
            Recusal::Town(_) => "town",
            Recusal::Relative(_) => "relative",
        }
    }

    /// The Chinese name of the kind.
    pub fn kind_label(&self) -> &'static str {
        match self {
            Recusal::Holder(_) => "与矿业权人有利害关系",
            Recusal::Town(_) => "乡镇回避",
            Recusal::Relative(_) => "近亲属所在企业",
        }
    }

    /// The value: a credit code or a 乡镇 name.
    pub fn value(&self) -> &str {
        match self {
            Recusal::Holder(v) | Recusal::Town(v) | Recusal::Relative(v) => v,
        }
    }

    /// From the stored kind and value; `None` for an unknown kind.
    pub fn from_parts(kind: &str, value: &str) -> Option<Recusal> {
        let v = value.trim().to_string();
        match kind {
            "holder" => Some(Recusal::Holder(v)),
            "town" => Some(Recusal::Town(v)),
            "relative" => Some(Recusal::Relative(v)),
            _ => None,
        }
    }

    /// Whether the relation bars the inspector from `c`: a holder or relative's company by
    /// its 统一社会信用代码 (a candidate without one matches none), a 乡镇 by the town the
    /// register records (a candidate whose town is unknown matches none).
    pub fn applies_to(&self, c: &Candidate) -> bool {
        match self {
            Recusal::Holder(code) | Recusal::Relative(code) => {
                c.credit_code.as_deref().map(str::trim) == Some(code.trim())
            }
            Recusal::Town(t) => c.town.as_deref().map(str::trim) == Some(t.trim()),
        }
    }
}

/// 检查方式.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InspectionMethod {
    /// 现场检查.
    Onsite,
    /// 书面检查.
    Documents,
    /// 网络检查.
    Online,
}

impl InspectionMethod {
    /// Every method, in form order.
    pub const ALL: [InspectionMethod; 3] = [
        InspectionMethod::Onsite,
        InspectionMethod::Documents,
        InspectionMethod::Online,
    ];

    /// The stored code: `onsite`, `documents`, `online`.
    pub fn code(&self) -> &'static str {
        match self {
            InspectionMethod::Onsite => "onsite",
            InspectionMethod::Documents => "documents",
            InspectionMethod::Online => "online",
        }
    }

    /// 现场 / 书面 / 网络.
    pub fn label(&self) -> &'static str {
        match self {
            InspectionMethod::Onsite => "现场",
            InspectionMethod::Documents => "书面",
            InspectionMethod::Online => "网络",
        }
    }

    /// From the code or the Chinese label.
    pub fn parse(s: &str) -> Option<InspectionMethod> {
        let s = s.trim();
        Self::ALL
            .into_iter()
            .find(|m| m.code() == s || m.label() == s || format!("{}检查", m.label()) == s)
    }
}

/// An item of the 抽查事项清单.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InspectionItem {
    /// 事项编号 (stable; the draw names items by it).
    pub code: String,
    /// 事项名称.
    pub name: String,
    /// 检查依据 (law and article).
    pub legal_basis: String,
    /// 年度抽查比例, percent of the candidates (0 < p ≤ 100, at most two decimals).
    pub proportion_pct: f64,
    /// 抽查频次 as written (每年一次).
    pub frequency: String,
    /// 检查方式.
    pub method: InspectionMethod,
    /// The right kinds it applies to (at least one).
    pub right_kinds: Vec<RightKind>,
}

/// The largest number of decimals a proportion may have (the draw counts in 万分之一).
pub const PROPORTION_DECIMALS: u32 = 2;

/// A proportion in percent as 万分之一 (basis points): `Some` for 0 < p ≤ 100 with at most
/// two decimals, `None` otherwise.
pub fn proportion_bp(pct: f64) -> Option<u32> {
    if !(pct > 0.0 && pct <= 100.0) {
        return None;
    }
    let bp = (pct * 100.0).round();
    ((pct * 100.0 - bp).abs() < 1e-6).then_some(bp as u32)
}

impl InspectionItem {
    /// Every problem of the item, with the field it belongs to (`code`, `name`, …).
    pub fn problems(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if self.code.trim().is_empty() {
            out.push(("code", "请填写事项编号".to_string()));
        }
        if self.name.trim().is_empty() {
            out.push(("name", "请填写事项名称".to_string()));
        }
        if self.legal_basis.trim().is_empty() {
            out.push((
                "legal_basis",
                "请填写检查依据（法规名称及条款）".to_string(),
            ));
        }
        if proportion_bp(self.proportion_pct).is_none() {
            out.push((
                "proportion_pct",
                format!(
                    "抽查比例“{}”应大于 0、不超过 100，最多两位小数",
                    self.proportion_pct
                ),
            ));
        }
        if self.frequency.trim().is_empty() {
            out.push(("frequency", "请填写抽查频次（如 每年一次）".to_string()));
        }
        if self.right_kinds.is_empty() {
            out.push(("right_kinds", "请至少选择一种适用的矿业权类型".to_string()));
        }
        out
    }
}

/// 信用状况 of a candidate's holder on the register date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CreditStanding {
    /// Neither listed.
    Normal,
    /// On the 矿业权人异常名录.
    Abnormal,
    /// On the 严重违法失信名单.
    SeriousViolation,
}

impl CreditStanding {
    /// 正常 / 列入异常名录 / 列入严重违法失信名单.
    pub fn label(&self) -> &'static str {
        match self {
            CreditStanding::Normal => "正常",
            CreditStanding::Abnormal => "列入异常名录",
            CreditStanding::SeriousViolation => "列入严重违法失信名单",
        }
    }
}

/// An entry of the 随机抽查对象库: a right valid on the register date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    /// 许可证号.
    pub right_id: String,
    /// 矿业权人.
    pub holder_name: String,
    /// 统一社会信用代码, when known.
    pub credit_code: Option<String>,
    /// 探矿权 / 采矿权.
    pub kind: RightKind,
    /// 矿种 (sorted in the draw's inputs).
    pub minerals: Vec<String>,
    /// 审批级别 as the register writes it (省级, 市级划定, 本级审批), when known.
    pub approval: Option<String>,
    /// 所在乡镇, when the register records it.
    pub town: Option<String>,
    /// 信用状况 on the register date.
    pub credit_standing: CreditStanding,
}

/// The published exclusion pairs (执法证号, 许可证号), sorted and without duplicates: each
/// inspector's 回避 relations applied to every candidate ([`Recusal::applies_to`]). The
/// relation and its kind are not in the result — only that the pair is excluded.
pub fn exclusion_pairs(
    recusals: &[(String, Vec<Recusal>)],
    candidates: &[Candidate],
) -> Vec<(String, String)> {
    // Index candidates by credit code and by town so that the work is linear.
    let mut by_code: HashMap<&str, Vec<&str>> = HashMap::new();
    let mut by_town: HashMap<&str, Vec<&str>> = HashMap::new();
    for c in candidates {
        if let Some(code) = c.credit_code.as_deref() {
            by_code.entry(code.trim()).or_default().push(&c.right_id);
        }
        if let Some(t) = c.town.as_deref() {
            by_town.entry(t.trim()).or_default().push(&c.right_id);
        }
    }
    let mut out = BTreeSet::new();
    for (badge, rs) in recusals {
        for r in rs {
            let hits = match r {
                Recusal::Holder(v) | Recusal::Relative(v) => by_code.get(v.trim()),
                Recusal::Town(v) => by_town.get(v.trim()),
            };
            for right in hits.into_iter().flatten() {
                out.insert((badge.clone(), right.to_string()));
            }
        }
    }
    out.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cand(id: &str, code: Option<&str>, town: Option<&str>) -> Candidate {
        Candidate {
            right_id: id.into(),
            holder_name: "某公司".into(),
            credit_code: code.map(Into::into),
            kind: RightKind::Mining,
            minerals: vec![],
            approval: None,
            town: town.map(Into::into),
            credit_standing: CreditStanding::Normal,
        }
    }

    #[test]
    fn recusals_become_pairs_by_code_and_town() {
        let cs = vec![
            cand("C1", Some("91A"), Some("阜宁镇")),
            cand("C2", Some("91B"), Some("绥芬河镇")),
            cand("C3", None, Some("阜宁镇")),
            cand("C4", Some("91A"), None),
        ];
        let rs = vec![
            ("B2".to_string(), vec![Recusal::Town("阜宁镇".into())]),
            (
                "B1".to_string(),
                vec![
                    Recusal::Holder("91A".into()),
                    Recusal::Relative("91B".into()),
                ],
            ),
        ];
        let pairs = exclusion_pairs(&rs, &cs);
        let want: Vec<(String, String)> = [
            ("B1", "C1"),
            ("B1", "C2"),
            ("B1", "C4"),
            ("B2", "C1"),
            ("B2", "C3"),
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        assert_eq!(pairs, want);
    }

    #[test]
    fn proportions_are_counted_in_basis_points() {
        assert_eq!(proportion_bp(5.0), Some(500));
        assert_eq!(proportion_bp(12.25), Some(1225));
        assert_eq!(proportion_bp(100.0), Some(10000));
        assert_eq!(proportion_bp(0.0), None);
        assert_eq!(proportion_bp(100.5), None);
        assert_eq!(proportion_bp(1.234), None);
    }

    #[test]
    fn methods_parse_from_code_and_label() {
        assert_eq!(
            InspectionMethod::parse("现场"),
            Some(InspectionMethod::Onsite)
        );
        assert_eq!(
            InspectionMethod::parse("documents"),
            Some(InspectionMethod::Documents)
        );
        assert_eq!(
            InspectionMethod::parse("网络检查"),
            Some(InspectionMethod::Online)
        );
        assert_eq!(InspectionMethod::parse("电话"), None);
    }
}
