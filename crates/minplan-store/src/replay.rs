//! Re-running a stored review from its inputs (the reproducibility check): the application
//! file and corner file as submitted, parsed again against the plan version the review used,
//! with the layer versions, register, lists, parameters and scale table it recorded, at the time it
//! recorded. The same inputs must give the same opinion; [`Replay::differences`] names
//! every place where they do not.

use crate::engine::ReviewEngine;
use crate::{Result, ReviewRecord, Store, StoreError, StoredPlan};
use minplan_domain::review::ConformityReview;
use minplan_domain::review::config::{ReviewConfig, ScaleTable};
use minplan_domain::review::rules::r14_three_simultaneities::PlansOnFile;
use minplan_domain::rights::{HolderLists, MiningRight};
use minplan_geo::area::plane_area;
use serde_json::Value;
use std::sync::Arc;

/// A stored review re-run from its inputs.
pub struct Replay {
    /// The review computed again.
    pub review: ConformityReview,
    /// The plan version it ran against (for the 审查意见书).
    pub plan: Arc<StoredPlan>,
    /// Where the recomputed review differs from the stored one (JSON paths with both
    /// values); empty when they agree. Numbers agree when within 1e-9 (relative, or absolute
    /// near zero): the register snapshot passes through JSON, which keeps 15–17 significant
    /// digits.
    pub differences: Vec<String>,
}

impl Replay {
    /// Whether the recomputed review is the stored one.
    pub fn matches(&self) -> bool {
        self.differences.is_empty()
    }
}

impl Store {
    /// Re-runs a stored review from its inputs and compares the result with the stored one.
    ///
    /// `active` is the plan the caller already has in memory; it is used when it is the
    /// review's plan version (otherwise that version is loaded from the store).
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for an unknown review or a missing plan or layer version;
    /// [`StoreError::BadInput`] when a stored snapshot cannot be read or the stored
    /// application no longer parses (its problems named).
    pub async fn replay_review(
        &self,
        record: &ReviewRecord,
        active: Option<Arc<StoredPlan>>,
    ) -> Result<Replay> {
        let plan_id = record.summary.plan_version_id;
        let plan = match active.filter(|p| p.info.id == plan_id) {
            Some(p) => p,
            None => Arc::new(self.load_plan(plan_id).await?),
        };
        let mut layers = Vec::new();
        if let Some(map) = record.layers.as_object() {
            for (kind, id) in map {
                let id = id.as_i64().ok_or_else(|| {
                    StoreError::BadInput(format!("审查记录中图层“{kind}”的版本号无法读取"))
                })?;
                layers.push(self.stored_layer(id).await?);
            }
        }
        let register: Vec<MiningRight> = serde_json::from_value(record.register.clone())
            .map_err(|e| StoreError::BadInput(format!("审查记录中的登记簿快照无法读取：{e}")))?;
        let lists: HolderLists = serde_json::from_value(record.lists.clone())
            .map_err(|e| StoreError::BadInput(format!("审查记录中的名录快照无法读取：{e}")))?;
        let config: ReviewConfig = serde_json::from_value(record.config.clone())
            .map_err(|e| StoreError::BadInput(format!("审查记录中的审查参数无法读取：{e}")))?;
        let scales: ScaleTable = if record.scales.is_null() {
            ScaleTable::default()
        } else {
            serde_json::from_value(record.scales.clone()).map_err(|e| {
                StoreError::BadInput(format!("审查记录中的矿山规模分类表无法读取：{e}"))
            })?
        };
        // R14's record of the plans as the review read it; none for reviews stored before it
        // was recorded (R14 then read the application form only).
        let plans: Option<PlansOnFile> = if record.plans.is_null() {
            None
        } else {
            Some(serde_json::from_value(record.plans.clone()).map_err(|e| {
                StoreError::BadInput(format!("审查记录中的方案报送记录无法读取：{e}"))
            })?)
        };
        let engine =
            ReviewEngine::from_parts(plan.clone(), &layers, register, lists, config, scales);
        let app = engine
            .parse(&record.input_toml, record.input_corners.as_deref())
            .map_err(|e| {
                StoreError::BadInput(format!("存档的申请按所用规划版本重新读取时出错：{e}"))
            })?;
        let at = &record.summary.reviewed_at;
        let review = engine.review_with(&app, at, &engine.lists_for(at), plans.as_ref());
        let mut again = serde_json::to_value(&review)
            .map_err(|e| StoreError::Internal(format!("审查结果无法序列化：{e}")))?;
        // Reviews stored before the version in force was recorded do not name it.
        if record.result["plan"].get("effective").is_none()
            && let Some(p) = again.get_mut("plan").and_then(Value::as_object_mut)
        {
            for k in ["version_kind", "effective", "basis_number", "in_force_on"] {
                p.remove(k);
            }
        }
        let mut differences = Vec::new();
        json_differences(&record.result, &again, "", &mut differences);
        Ok(Replay {
            review,
            plan,
            differences,
        })
    }
}

/// Numbers agree to 1e-7 relative: the same inputs give the same figures, but overlay
/// arithmetic of another release may differ in the last digits (the clipping fast path is
/// exact where i_overlay snapped to a grid of about 1e-9 of the extent; the overlay's own
/// promise is 1e-6 against GEOS).
fn same_number(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= 1e-7 * a.abs().max(b.abs()).max(1.0)
}

/// A ring: its points without the closing one, counter-clockwise (lon/lat shoelace), started
/// at its smallest (lon, lat) point. `None` when it is not a list of `[lon, lat]` pairs.
fn normalised_ring(v: &Value) -> Option<Vec<(f64, f64)>> {
    let mut pts: Vec<(f64, f64)> = v
        .as_array()?
        .iter()
        .map(|p| Some((p.get(0)?.as_f64()?, p.get(1)?.as_f64()?)))
        .collect::<Option<_>>()?;
    if pts.len() > 1 && pts.first() == pts.last() {
        pts.pop();
    }
    // The shoelace over degrees: enough for the direction, and to compare two writings of
    // one part.
    if plane_area(&pts) < 0.0 {
        pts.reverse();
    }
    let start = (0..pts.len()).min_by(|&i, &j| {
        pts[i]
            .0
            .total_cmp(&pts[j].0)
            .then(pts[i].1.total_cmp(&pts[j].1))
    })?;
    pts.rotate_left(start);
    Some(pts)
}

/// One polygon of a part: its rings, each a list of (lon, lat).
type Shape = Vec<Vec<(f64, f64)>>;

/// A conflict part's geometry (lon/lat polygons, rings) as a shape: rings normalised
/// ([`normalised_ring`]), polygons in the order of their first point. Where a ring starts,
/// which way it runs and the order of the polygons say nothing about the part.
fn normalised_shape(v: &Value) -> Option<Vec<Shape>> {
    let mut polys: Vec<Shape> = v
        .as_array()?
        .iter()
        .map(|p| p.as_array()?.iter().map(normalised_ring).collect())
        .collect::<Option<_>>()?;
    let first = |p: &Shape| p.first().and_then(|r| r.first()).copied();
    polys.sort_by(|a, b| match (first(a), first(b)) {
        (Some(x), Some(y)) => x.0.total_cmp(&y.0).then(x.1.total_cmp(&y.1)),
        (x, y) => x.is_some().cmp(&y.is_some()),
    });
    Some(polys)
}

/// Whether two conflict parts' geometries are the same shape: point for point after
/// normalising, or — when another overlay kept or dropped a point on a straight edge — the
/// same polygons with the same areas (1e-7 relative).
fn same_shape(stored: &Value, again: &Value) -> Option<bool> {
    let (a, b) = (normalised_shape(stored)?, normalised_shape(again)?);
    if a.len() != b.len() {
        return Some(false);
    }
    let pointwise = a.iter().zip(&b).all(|(p, q)| {
        p.len() == q.len()
            && p.iter().zip(q).all(|(r, s)| {
                r.len() == s.len()
                    && r.iter()
                        .zip(s)
                        .all(|(x, y)| same_number(x.0, y.0) && same_number(x.1, y.1))
            })
    });
    if pointwise {
        return Some(true);
    }
    let area = |p: &Shape| -> f64 {
        p.iter()
            .enumerate()
            .map(|(k, r)| if k == 0 { 1.0 } else { -1.0 } * plane_area(r).abs())
            .sum()
    };
    Some(a.iter().zip(&b).all(|(p, q)| {
        p.len() == q.len() && {
            let (x, y) = (area(p), area(q));
            (x - y).abs() <= 1e-7 * x.abs().max(y.abs())
        }
    }))
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 80 {
        format!("{}…", s.chars().take(80).collect::<String>())
    } else {
        s
    }
}

/// Appends to `out` every path where `stored` and `again` differ.
pub(crate) fn json_differences(stored: &Value, again: &Value, path: &str, out: &mut Vec<String>) {
    // A conflict part's geometry is compared as a shape.
    if path.ends_with(".geometry")
        && path.contains(".conflicts[")
        && let Some(same) = same_shape(stored, again)
    {
        if !same {
            out.push(format!("{path}：存档与重算的重叠部分范围不同"));
        }
        return;
    }
    match (stored, again) {
        (Value::Number(a), Value::Number(b)) => {
            if !same_number(
                a.as_f64().unwrap_or(f64::NAN),
                b.as_f64().unwrap_or(f64::NAN),
            ) {
                out.push(format!("{path}：存档 {a}，重算 {b}"));
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            if a.len() != b.len() {
                out.push(format!("{path}：存档 {} 项，重算 {} 项", a.len(), b.len()));
                return;
            }
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                json_differences(x, y, &format!("{path}[{i}]"), out);
            }
        }
        (Value::Object(a), Value::Object(b)) => {
            for (k, x) in a {
                let p = format!("{path}.{k}");
                match b.get(k) {
                    Some(y) => json_differences(x, y, &p, out),
                    None => out.push(format!("{p}：重算结果中没有")),
                }
            }
            for k in b.keys().filter(|k| !a.contains_key(*k)) {
                out.push(format!("{path}.{k}：存档中没有"));
            }
        }
        (a, b) if a == b => {}
        (a, b) => out.push(format!("{path}：存档 {}，重算 {}", short(a), short(b))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn differences_are_named_by_path_and_numbers_have_a_tolerance() {
        let a = json!({"conclusion": "符合", "rules": [{"id": "R1", "area": 1234.5678901234}], "n": 0.0});
        let b = json!({"conclusion": "符合", "rules": [{"id": "R1", "area": 1234.5678901235}], "n": 1e-12});
        let mut out = Vec::new();
        json_differences(&a, &b, "", &mut out);
        assert!(out.is_empty(), "{out:?}");
        let c =
            json!({"conclusion": "不符合", "rules": [{"id": "R1", "area": 1235.0}], "extra": 1});
        json_differences(&a, &c, "", &mut out);
        assert_eq!(out.len(), 4, "{out:?}");
        assert!(
            out.iter()
                .any(|d| d.starts_with(".conclusion：存档 \"符合\""))
        );
        assert!(out.iter().any(|d| d.starts_with(".rules[0].area：")));
        assert!(out.iter().any(|d| d == ".n：重算结果中没有"));
        assert!(out.iter().any(|d| d == ".extra：存档中没有"));
    }

    /// A conflict part written by an older release — its ring started elsewhere, running
    /// the other way, its polygons in another order, a point on a straight edge more — is the
    /// same part; a part of another extent is not.
    #[test]
    fn conflict_geometry_is_compared_as_a_shape() {
        let square = json!([[
            [131.0, 44.0],
            [131.001, 44.0],
            [131.001, 44.001],
            [131.0, 44.001],
            [131.0, 44.0]
        ]]);
        let other = json!([[
            [131.01, 44.01],
            [131.011, 44.01],
            [131.011, 44.011],
            [131.01, 44.01]
        ]]);
        let stored =
            json!({"rules": [{"conflicts": [{"area_m2": 10.0, "geometry": [square, other]}]}]});
        // Clockwise, started at another corner, with a point halfway along the south edge,
        // the polygons swapped.
        let turned = json!([[
            [131.001, 44.001],
            [131.001, 44.0],
            [131.0005, 44.0],
            [131.0, 44.0],
            [131.0, 44.001],
            [131.001, 44.001]
        ]]);
        let again = json!({"rules": [{"conflicts": [{"area_m2": 10.000000001, "geometry": [other, turned]}]}]});
        let mut out = Vec::new();
        json_differences(&stored, &again, "", &mut out);
        assert!(out.is_empty(), "{out:?}");
        // Half the square: another extent.
        let half = json!([[
            [131.0, 44.0],
            [131.0005, 44.0],
            [131.0005, 44.001],
            [131.0, 44.001],
            [131.0, 44.0]
        ]]);
        let changed =
            json!({"rules": [{"conflicts": [{"area_m2": 10.0, "geometry": [other, half]}]}]});
        json_differences(&stored, &changed, "", &mut out);
        assert_eq!(
            out,
            [".rules[0].conflicts[0].geometry：存档与重算的重叠部分范围不同"]
        );
    }
}
