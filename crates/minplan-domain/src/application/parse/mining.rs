//! Step 3: what a mining right is to produce — 开采方式, 设计生产规模, 保有资源量 and
//! 设计服务年限 — each with its unit.

use super::Problems;
use crate::application::Quantity;
use crate::application::kinds::{ApplicationKind, MiningMethod, RightKind};
use crate::application::raw::{RawApplication, RawQuantity};
use crate::units::Unit;
use toml::Spanned;

/// The production figures; `None` where absent or where a problem was reported.
pub(super) struct Mining {
    /// 开采方式.
    pub(super) method: Option<MiningMethod>,
    /// 设计生产规模 (万立方米/年 or 万吨/年).
    pub(super) capacity: Option<Quantity>,
    /// 保有资源量 (万立方米 or 万吨).
    pub(super) reserves: Option<Quantity>,
    /// 设计服务年限, years.
    pub(super) service_years: Option<f64>,
}

/// Checks the production figures: a known 开采方式; a positive capacity in 万立方米/年 or
/// 万吨/年 and reserves in 万立方米 or 万吨; a positive service life. A mining-right
/// application other than 转让 must state its capacity and mining method.
pub(super) fn check(
    raw: &RawApplication,
    kind: Option<ApplicationKind>,
    right_kind: Option<RightKind>,
    p: &mut Problems<'_>,
) -> Mining {
    let method = match &raw.mining_method {
        Some(m) => {
            let method = MiningMethod::parse(m.get_ref());
            if method.is_none() {
                p.err(
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
    let capacity = quantity(
        p,
        &raw.capacity,
        "capacity",
        &[Unit::WanM3PerYear, Unit::WanTonnePerYear],
    );
    let reserves = quantity(p, &raw.reserves, "reserves", &[Unit::WanM3, Unit::WanTonne]);
    if right_kind == Some(RightKind::Mining) && !matches!(kind, Some(ApplicationKind::Transfer)) {
        if raw.capacity.is_none() {
            p.err(
                "capacity",
                Some(raw.right_kind.span().start),
                "采矿权申请须填写设计生产规模（capacity）".into(),
            );
        }
        if method.is_none() && raw.mining_method.is_none() {
            p.err(
                "mining_method",
                Some(raw.right_kind.span().start),
                "采矿权申请须填写开采方式（mining_method）".into(),
            );
        }
    }
    let service_years = match &raw.service_years {
        Some(s) if !(s.get_ref().is_finite() && *s.get_ref() > 0.0) => {
            p.err(
                "service_years",
                Some(s.span().start),
                "服务年限应为正数".into(),
            );
            None
        }
        Some(s) => Some(*s.get_ref()),
        None => None,
    };
    Mining {
        method,
        capacity,
        reserves,
        service_years,
    }
}

/// A positive quantity in one of the `allowed` units, or a problem of `field`.
fn quantity(
    p: &mut Problems<'_>,
    q: &Option<Spanned<RawQuantity>>,
    field: &str,
    allowed: &[Unit],
) -> Option<Quantity> {
    let q = q.as_ref()?;
    let r = q.get_ref();
    let v = *r.value.get_ref();
    if !(v.is_finite() && v > 0.0) {
        p.err(field, Some(r.value.span().start), "数值应为正数".into());
        return None;
    }
    match Unit::parse(r.unit.get_ref()) {
        Ok(u) if allowed.contains(&u) => Some(Quantity { value: v, unit: u }),
        Ok(u) => {
            let names: Vec<&str> = allowed.iter().map(|a| a.symbol()).collect();
            p.err(
                field,
                Some(r.unit.span().start),
                format!("单位“{u}”不适用，应为 {}", names.join("、")),
            );
            None
        }
        Err(e) => {
            p.err(field, Some(r.unit.span().start), e.to_string());
            None
        }
    }
}
