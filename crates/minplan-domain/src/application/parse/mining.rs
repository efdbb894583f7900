//! Step 3: what a mining right is to produce — 开采方式, 设计生产规模, 保有资源量 and
//! 设计服务年限 — each with its unit.

use super::Problems;
use crate::application::Quantity;
use crate::application::basis::{Basis, split_unit_basis};
use crate::application::kinds::{ApplicationKind, MiningMethod, RightKind};
use crate::application::raw::{RawApplication, RawQuantity};
use crate::units::{Dimension, Unit};
use toml::Spanned;

/// The production figures; `None` where absent or where a problem was reported.
pub(super) struct Mining {
    /// 开采方式.
    pub(super) method: Option<MiningMethod>,
    /// 设计生产规模 (万立方米/年 or 万吨/年).
    pub(super) capacity: Option<Quantity>,
    /// 保有资源量 (万立方米 or 万吨).
    pub(super) reserves: Option<Quantity>,
    /// The capacity's basis (矿石量 / 荒料量), when stated.
    pub(super) capacity_basis: Option<Basis>,
    /// The reserves' basis (矿石量 / 荒料量, 查明 / 保有 / 可采), when stated.
    pub(super) reserves_basis: Option<Basis>,
    /// 年工作天数 of a capacity in 立方米/日.
    pub(super) capacity_days_per_year: Option<f64>,
    /// 设计服务年限, years.
    pub(super) service_years: Option<f64>,
}

/// Checks the production figures: a known 开采方式; a positive capacity in a unit of yearly
/// (or daily) output (万立方米/年, 千立方米/年, 万吨/年, 吨/年, 立方米/日 …) and reserves in
/// a unit of volume or mass (万立方米, 千立方米, 万吨, 千吨 …), each with an optional basis
/// (`basis = "荒料量"`, or `unit = "万立方米（荒料量）"`); a positive service life. A mining-right
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
    let (capacity, capacity_basis) = quantity(
        p,
        &raw.capacity,
        "capacity",
        &[
            Dimension::VolumePerYear,
            Dimension::MassPerYear,
            Dimension::VolumePerDay,
        ],
    );
    let (reserves, reserves_basis) = quantity(
        p,
        &raw.reserves,
        "reserves",
        &[Dimension::Volume, Dimension::Mass],
    );
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
    let capacity_days_per_year = days_per_year(p, &raw.capacity, capacity);
    if let Some(d) = raw
        .reserves
        .as_ref()
        .and_then(|r| r.get_ref().days_per_year.as_ref())
    {
        p.err(
            "reserves",
            Some(d.span().start),
            "年工作天数（days_per_year）只用于以立方米/日填写的生产规模".into(),
        );
    }
    let service_years = match &raw.service_years {
        Some(s)
            if !(s.get_ref().is_finite()
                && *s.get_ref() > 0.0
                && *s.get_ref() <= crate::limits::SERVICE_YEARS) =>
        {
            p.err(
                "service_years",
                Some(s.span().start),
                format!(
                    "服务年限应为正数，且不超过 {} 年",
                    crate::limits::SERVICE_YEARS
                ),
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
        capacity_basis,
        reserves_basis,
        capacity_days_per_year,
        service_years,
    }
}

/// The working days stated with a daily capacity: in (0, 366], and only with 立方米/日.
fn days_per_year(
    p: &mut Problems<'_>,
    q: &Option<Spanned<RawQuantity>>,
    capacity: Option<Quantity>,
) -> Option<f64> {
    let d = q.as_ref()?.get_ref().days_per_year.as_ref()?;
    let v = *d.get_ref();
    let daily = capacity.is_some_and(|c| c.unit.dimension() == Dimension::VolumePerDay);
    if !daily {
        p.err(
            "capacity",
            Some(d.span().start),
            "年工作天数（days_per_year）只用于以立方米/日填写的生产规模".into(),
        );
        None
    } else if !(v > 0.0 && v <= 366.0) {
        p.err(
            "capacity",
            Some(d.span().start),
            "年工作天数应在 1～366 之间".into(),
        );
        None
    } else {
        Some(v)
    }
}

/// A positive quantity in a unit of one of the `allowed` dimensions, with its basis when
/// stated, or a problem of `field`.
fn quantity(
    p: &mut Problems<'_>,
    q: &Option<Spanned<RawQuantity>>,
    field: &str,
    allowed: &[Dimension],
) -> (Option<Quantity>, Option<Basis>) {
    let Some(q) = q.as_ref() else {
        return (None, None);
    };
    let r = q.get_ref();
    let (unit_text, bracketed) = split_unit_basis(r.unit.get_ref());
    let category_allowed = field == "reserves";
    let mut basis = None;
    for (text, at) in [
        (bracketed, r.unit.span().start),
        (r.basis.as_ref().map(|b| b.get_ref().as_str()), {
            r.basis.as_ref().map_or(0, |b| b.span().start)
        }),
    ] {
        let Some(text) = text else { continue };
        match Basis::parse(text, category_allowed) {
            Ok(b) if basis.is_some_and(|x| x != b) => p.err(
                field,
                Some(at),
                format!(
                    "单位后括号中的基准与 basis 不一致（{}、{b}）",
                    basis.unwrap_or(b)
                ),
            ),
            Ok(b) => basis = Some(b),
            Err(e) => p.err(field, Some(at), e),
        }
    }
    let v = *r.value.get_ref();
    if !(v.is_finite() && v > 0.0) {
        p.err(field, Some(r.value.span().start), "数值应为正数".into());
        return (None, basis);
    }
    if v > crate::limits::QUANTITY {
        p.err(
            field,
            Some(r.value.span().start),
            format!(
                "数值 {v} 过大（上限 {:e}），请检查单位和数值",
                crate::limits::QUANTITY
            ),
        );
        return (None, basis);
    }
    let quantity = match Unit::parse(unit_text) {
        Ok(u) if allowed.contains(&u.dimension()) => Some(Quantity { value: v, unit: u }),
        Ok(u) => {
            let names: Vec<&str> = Unit::ALL
                .iter()
                .filter(|a| allowed.contains(&a.dimension()))
                .map(|a| a.symbol())
                .collect();
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
    };
    (quantity, basis)
}
