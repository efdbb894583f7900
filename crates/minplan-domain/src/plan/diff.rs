//! The difference between two versions of a plan (a pure function): planning blocks added,
//! removed, redrawn (geometry or area changed) or with changed attributes; indicators and
//! admission figures changed (value, unit); prohibitions added or removed. An amendment's
//! stated changes (`[version].changes`) are checked against it by [`check_stated`].

use super::{
    Admission, Cap, ChangeAction, ChangePart, Indicator, LonLatPolygon, MineralLimit, Plan,
    PlanningBlock, Prohibition, StatedChange,
};
use crate::units::Unit;
use serde::Serialize;
use std::collections::BTreeMap;

/// One difference between two plan versions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanChange {
    /// The part of the plan.
    pub part: ChangePart,
    /// 新增 / 删除 / 调整.
    pub action: ChangeAction,
    /// The item: block number, indicator key, admission key, prohibited mineral.
    pub item: String,
    /// Its name as the plan writes it (block name, indicator name, prohibition words).
    pub name: String,
    /// What changed, in Chinese (`面积 1.2 → 1.5 km²`, `范围重新划定`, …); empty for an
    /// addition or removal.
    pub details: Vec<String>,
}

impl PlanChange {
    /// One line: `规划区块 新增 231081-K04（某某采石场）`, then the details.
    pub fn describe(&self) -> String {
        let mut s = format!(
            "{} {} {}",
            self.part.label(),
            self.action.label(),
            self.item
        );
        if !self.name.is_empty() && self.name != self.item {
            s.push_str(&format!("（{}）", self.name));
        }
        if !self.details.is_empty() {
            s.push('：');
            s.push_str(&self.details.join("；"));
        }
        s
    }
}

/// Every difference from `old` to `new`, in the order blocks, indicators, admission,
/// prohibitions (each by item).
pub fn diff(old: &Plan, new: &Plan) -> Vec<PlanChange> {
    let mut out = Vec::new();
    blocks(&old.blocks, &new.blocks, &mut out);
    indicators(&old.indicators, &new.indicators, &mut out);
    admission(&old.admission, &new.admission, &mut out);
    prohibitions(&old.prohibitions, &new.prohibitions, &mut out);
    out
}

/// What an amendment states against what the diff finds: each stated change not found
/// and each change found but not stated, named. Empty when they agree.
pub fn check_stated(stated: &[StatedChange], found: &[PlanChange]) -> Vec<String> {
    let mut problems = Vec::new();
    for s in stated {
        if !found
            .iter()
            .any(|f| f.part == s.part && f.action == s.action && f.item == s.item)
        {
            problems.push(format!(
                "载明的修改“{} {} {}”在与前一版本的比较中没有出现",
                s.part.label(),
                s.action.label(),
                s.item
            ));
        }
    }
    for f in found {
        if !stated
            .iter()
            .any(|s| f.part == s.part && f.action == s.action && f.item == s.item)
        {
            problems.push(format!("与前一版本相比有未载明的修改：{}", f.describe()));
        }
    }
    problems
}

fn change(
    part: ChangePart,
    action: ChangeAction,
    item: &str,
    name: &str,
    details: Vec<String>,
) -> PlanChange {
    PlanChange {
        part,
        action,
        item: item.to_string(),
        name: name.to_string(),
        details,
    }
}

fn num(v: f64) -> String {
    let s = format!("{v:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s.is_empty() || s == "-0" {
        "0".into()
    } else {
        s.into()
    }
}

fn same_f64(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

fn same_geometry(a: &[LonLatPolygon], b: &[LonLatPolygon]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(p, q)| {
            p.len() == q.len()
                && p.iter().zip(q).all(|(r, s)| {
                    r.len() == s.len()
                        && r.iter().zip(s).all(|(x, y)| {
                            (x[0] - y[0]).abs() <= 1e-9 && (x[1] - y[1]).abs() <= 1e-9
                        })
                })
        })
}

fn blocks(old: &[PlanningBlock], new: &[PlanningBlock], out: &mut Vec<PlanChange>) {
    let o: BTreeMap<&str, &PlanningBlock> = old.iter().map(|b| (b.number.as_str(), b)).collect();
    let n: BTreeMap<&str, &PlanningBlock> = new.iter().map(|b| (b.number.as_str(), b)).collect();
    for (num_, b) in &n {
        let Some(a) = o.get(num_) else {
            out.push(change(
                ChangePart::Block,
                ChangeAction::Added,
                num_,
                &b.name,
                vec![format!(
                    "{}，{}，面积 {} km²",
                    b.kind.label(),
                    b.approval.label(),
                    num(b.area_km2)
                )],
            ));
            continue;
        };
        let mut d = Vec::new();
        if !same_geometry(&a.geometry, &b.geometry) {
            d.push(format!(
                "范围重新划定（面积 {} → {} km²）",
                num(a.area_km2),
                num(b.area_km2)
            ));
        }
        let stated = |x: &PlanningBlock| x.stated_area_km2.as_ref().map(|c| c.value);
        match (stated(a), stated(b)) {
            (Some(x), Some(y)) if same_f64(x, y) => {}
            (None, None) => {}
            (x, y) => d.push(format!(
                "载明面积 {} → {} km²",
                x.map(num).unwrap_or_else(|| "无".into()),
                y.map(num).unwrap_or_else(|| "无".into())
            )),
        }
        if a.name != b.name {
            d.push(format!("名称 {} → {}", a.name, b.name));
        }
        if a.kind != b.kind {
            d.push(format!("类型 {} → {}", a.kind.label(), b.kind.label()));
        }
        if a.approval != b.approval {
            d.push(format!(
                "审批层级 {} → {}",
                a.approval.label(),
                b.approval.label()
            ));
        }
        if a.minerals != b.minerals {
            d.push(format!(
                "矿种 {} → {}",
                a.minerals.join("、"),
                b.minerals.join("、")
            ));
        }
        if a.category != b.category {
            d.push(format!(
                "矿种类别 {} → {}",
                a.category.as_deref().unwrap_or("无"),
                b.category.as_deref().unwrap_or("无")
            ));
        }
        if a.schematic != b.schematic {
            d.push(if b.schematic {
                "改为示意".into()
            } else {
                "改为实测（不再示意）".into()
            });
        }
        if !d.is_empty() {
            out.push(change(
                ChangePart::Block,
                ChangeAction::Changed,
                num_,
                &b.name,
                d,
            ));
        }
    }
    for (num_, a) in &o {
        if !n.contains_key(num_) {
            out.push(change(
                ChangePart::Block,
                ChangeAction::Removed,
                num_,
                &a.name,
                Vec::new(),
            ));
        }
    }
}

fn value_unit(what: &str, a: (f64, &Unit), b: (f64, &Unit), d: &mut Vec<String>) {
    if !same_f64(a.0, b.0) || a.1 != b.1 {
        d.push(format!(
            "{what} {} {} → {} {}",
            num(a.0),
            a.1.symbol(),
            num(b.0),
            b.1.symbol()
        ));
    }
}

fn indicators(old: &[Indicator], new: &[Indicator], out: &mut Vec<PlanChange>) {
    let o: BTreeMap<&str, &Indicator> = old.iter().map(|i| (i.key.as_str(), i)).collect();
    let n: BTreeMap<&str, &Indicator> = new.iter().map(|i| (i.key.as_str(), i)).collect();
    for (k, b) in &n {
        let Some(a) = o.get(k) else {
            out.push(change(
                ChangePart::Indicator,
                ChangeAction::Added,
                k,
                &b.name,
                vec![format!(
                    "目标 {} {} {}",
                    b.comparison.symbol(),
                    num(b.target),
                    b.unit.symbol()
                )],
            ));
            continue;
        };
        let mut d = Vec::new();
        value_unit("目标", (a.target, &a.unit), (b.target, &b.unit), &mut d);
        if a.comparison != b.comparison {
            d.push(format!(
                "比较 {} → {}",
                a.comparison.symbol(),
                b.comparison.symbol()
            ));
        }
        if a.attribute != b.attribute {
            d.push(format!(
                "属性 {} → {}",
                a.attribute.label(),
                b.attribute.label()
            ));
        }
        if a.name != b.name {
            d.push(format!("名称 {} → {}", a.name, b.name));
        }
        if !d.is_empty() {
            out.push(change(
                ChangePart::Indicator,
                ChangeAction::Changed,
                k,
                &b.name,
                d,
            ));
        }
    }
    for (k, a) in &o {
        if !n.contains_key(k) {
            out.push(change(
                ChangePart::Indicator,
                ChangeAction::Removed,
                k,
                &a.name,
                Vec::new(),
            ));
        }
    }
}

fn limits<'a>(prefix: &str, l: &'a [MineralLimit]) -> BTreeMap<String, &'a MineralLimit> {
    l.iter()
        .map(|m| {
            let key = match &m.applies_to {
                Some(t) => format!("{prefix}:{}:{t}", m.mineral),
                None => format!("{prefix}:{}", m.mineral),
            };
            (key, m)
        })
        .collect()
}

fn admission(old: &Admission, new: &Admission, out: &mut Vec<PlanChange>) {
    let o = limits("最低开采规模", &old.min_scales);
    let n = limits("最低开采规模", &new.min_scales);
    for (k, y) in &n {
        match o.get(k) {
            None => out.push(change(
                ChangePart::Admission,
                ChangeAction::Added,
                k,
                "",
                vec![format!("{} {}", num(y.value), y.unit.symbol())],
            )),
            Some(x) => {
                let mut d = Vec::new();
                value_unit("数值", (x.value, &x.unit), (y.value, &y.unit), &mut d);
                if !d.is_empty() {
                    out.push(change(
                        ChangePart::Admission,
                        ChangeAction::Changed,
                        k,
                        "",
                        d,
                    ));
                }
            }
        }
    }
    for k in o.keys().filter(|k| !n.contains_key(*k)) {
        out.push(change(
            ChangePart::Admission,
            ChangeAction::Removed,
            k,
            "",
            Vec::new(),
        ));
    }
    // Every cap, by key: those of `[[caps]]` and the `[admission]` ones restated as caps
    // (`extraction_矿种`, `mine_cap_total`, `mine_cap_this_level`).
    let o: BTreeMap<&str, &Cap> = old.caps.iter().map(|c| (c.key.as_str(), c)).collect();
    let n: BTreeMap<&str, &Cap> = new.caps.iter().map(|c| (c.key.as_str(), c)).collect();
    for (k, y) in &n {
        let Some(x) = o.get(k) else {
            out.push(change(
                ChangePart::Admission,
                ChangeAction::Added,
                k,
                &y.label,
                vec![y.describe()],
            ));
            continue;
        };
        let mut d = Vec::new();
        value_unit("上限", (x.value, &x.unit), (y.value, &y.unit), &mut d);
        if x.comparison != y.comparison
            || x.soft != y.soft
            || (d.is_empty() && x.describe() != y.describe())
        {
            d.push(format!("{} → {}", x.describe(), y.describe()));
        }
        if !d.is_empty() {
            out.push(change(
                ChangePart::Admission,
                ChangeAction::Changed,
                k,
                &y.label,
                d,
            ));
        }
    }
    for (k, x) in &o {
        if !n.contains_key(k) {
            out.push(change(
                ChangePart::Admission,
                ChangeAction::Removed,
                k,
                &x.label,
                vec![x.describe()],
            ));
        }
    }
}

fn prohibitions(old: &[Prohibition], new: &[Prohibition], out: &mut Vec<PlanChange>) {
    let key = |p: &Prohibition| (p.mineral.clone(), p.condition, p.kind);
    for p in new {
        if !old.iter().any(|o| key(o) == key(p)) {
            out.push(change(
                ChangePart::Prohibition,
                ChangeAction::Added,
                &p.mineral,
                &p.label,
                vec![format!("{}（{}）", p.kind.label(), p.condition.label())],
            ));
        }
    }
    for p in old {
        if !new.iter().any(|n| key(n) == key(p)) {
            out.push(change(
                ChangePart::Prohibition,
                ChangeAction::Removed,
                &p.mineral,
                &p.label,
                vec![format!("{}（{}）", p.kind.label(), p.condition.label())],
            ));
        }
    }
}
