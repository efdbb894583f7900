//! The MNR submission (报盘) layout.
//!
//! ```text
//! 拐点,X(起标高),Y(止标高)                 ← header line(s)
//! 1,4507088.2206,41473349.922, , ,          ← point rows: 点号,X,Y, , ,
//! …
//! *,229.5,70,金藏采区,1,                    ← ring terminator: *,起标高,止标高,名称,圈属性,
//! ```
//!
//! 圈属性 `1` is an outer ring (外圈), `-1` an inner ring (内圈, 挖空). Several rings follow one
//! another; a shell starts a new block unless it repeats the current block's name. The ring
//! is not closed by repeating its first point (a repeated first point is accepted).

use super::raw::{self, CoordKind, RawDoc, RawPoint, RawRing};
use super::{Layout, Problem, ProblemKind, Severity};

pub(crate) fn read(lines: &[&str]) -> RawDoc {
    let mut doc = RawDoc::new(Layout::MnrSubmission, CoordKind::Plane);
    let mut current: Vec<RawPoint> = Vec::new();
    let mut seen_point = false;
    for (i, l) in lines.iter().enumerate() {
        let line = Some(i + 1);
        let t = l.trim();
        if t.is_empty() {
            continue;
        }
        let fields: Vec<&str> = t.split(',').collect();
        if fields[0].trim() == "*" {
            let get = |k: usize| fields.get(k).copied().unwrap_or("");
            let name = get(3).trim();
            let ring_name = if name.is_empty() {
                format!(
                    "第{}圈",
                    doc.blocks.iter().map(|b| b.rings.len()).sum::<usize>() + 1
                )
            } else {
                name.to_owned()
            };
            let elevation =
                raw::read_elevation(get(1), get(2), line, &ring_name, &mut doc.problems);
            let role = raw::ring_role(get(4), line, &ring_name, &mut doc.problems);
            if current.is_empty() {
                doc.problems.push(
                    Problem::new(
                        ProblemKind::TooFewPoints,
                        Severity::Error,
                        format!("第 {} 行：{ring_name} 的结束行之前没有拐点", i + 1),
                    )
                    .at_line(line)
                    .in_ring(Some(ring_name.clone())),
                );
            }
            raw::push_ring(
                &mut doc.blocks,
                RawRing {
                    name: Some(ring_name),
                    role,
                    points: std::mem::take(&mut current),
                    elevation,
                    closure_required: false,
                    was_closed: false,
                },
            );
            continue;
        }
        let looks_like_point = fields.len() >= 3
            && !fields[0].trim().is_empty()
            && (super::text::numberish(fields[1]) || super::text::numberish(fields[2]));
        if looks_like_point {
            seen_point = true;
            let label = fields[0].trim();
            current.push(raw::plane_point(
                label,
                fields[1],
                fields[2],
                line,
                &mut doc.problems,
            ));
            let extra: Vec<&str> = fields[3..]
                .iter()
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
                .collect();
            if !extra.is_empty() {
                doc.problems.push(
                    Problem::new(
                        ProblemKind::UnreadableLine,
                        Severity::Warning,
                        format!(
                            "第 {} 行：拐点 {label} 后的多余内容“{}”未读取",
                            i + 1,
                            extra.join(",")
                        ),
                    )
                    .with_points(vec![label.to_owned()])
                    .at_line(line),
                );
            }
            continue;
        }
        if doc.hints.scan(t, line) {
            continue;
        }
        if !seen_point {
            // Header line (拐点,X,Y …).
            continue;
        }
        doc.problems.push(
            Problem::new(
                ProblemKind::UnreadableLine,
                Severity::Warning,
                format!("第 {} 行“{}”不是拐点行或结束行，未读取", i + 1, t),
            )
            .at_line(line),
        );
    }
    raw::close_unterminated(&mut doc, current, "结束行（*,起标高,止标高,名称,圈属性,）");
    doc
}
