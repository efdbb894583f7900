//! The MNR key=value submission file.
//!
//! ```text
//! [坐标]                         ← section headers, ignored
//! 坐标系=2000国家大地坐标系      ← metadata keys: 坐标系, 带号, 几度分带, … (read as hints)
//! XY001=1,4907000.00,44420000.00
//! XY002=2,4907000.00,44420100.00
//! …
//! XY005=标高,300,200,采区名,1    ← ring terminator: 标高,上限,下限,名称(may be empty),圈属性
//! ```
//!
//! The file may be GBK or UTF-8; decoding happens before (see `parse_bytes`).

use super::raw::{self, CoordKind, RawDoc, RawPoint, RawRing};
use super::{Layout, Problem, ProblemKind, Severity};

pub(crate) fn read(lines: &[&str]) -> RawDoc {
    let mut doc = RawDoc::new(Layout::MnrKeyValue, CoordKind::Plane);
    let mut current: Vec<RawPoint> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let line = Some(i + 1);
        let t = l.trim();
        if t.is_empty()
            || (t.starts_with('[') && t.ends_with(']'))
            || t.starts_with(';')
            || t.starts_with('#')
        {
            continue;
        }
        let Some((key, value)) = t.split_once('=') else {
            if !doc.hints.scan(t, line) {
                doc.problems.push(unreadable(i + 1, t));
            }
            continue;
        };
        let key = key.trim();
        let is_xy = key.len() > 2
            && key.get(..2).is_some_and(|k| k.eq_ignore_ascii_case("XY"))
            && key
                .get(2..)
                .is_some_and(|k| k.bytes().all(|b| b.is_ascii_digit()));
        if !is_xy {
            // Quote the whole line: whatever numbers it holds are named, not dropped.
            let stated = doc.hints.scan(t, line);
            let digits = t.chars().filter(char::is_ascii_digit).count();
            if (!stated && !known_meta(key)) || digits >= 12 {
                doc.problems.push(
                    Problem::new(
                        ProblemKind::UnreadableLine,
                        Severity::Warning,
                        format!("第 {} 行“{t}”：键“{key}”未识别，未读取", i + 1),
                    )
                    .at_line(line),
                );
            }
            continue;
        }
        let fields: Vec<&str> = value.split(',').collect();
        let get = |k: usize| fields.get(k).copied().unwrap_or("");
        let first = get(0).trim();
        if first == "标高" || first == "*" {
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
        if fields.len() < 3 {
            doc.problems.push(
                Problem::new(
                    ProblemKind::MissingValue,
                    Severity::Error,
                    format!(
                        "第 {} 行：{key} 应为“点号,X,Y”，只有 {} 项",
                        i + 1,
                        fields.len()
                    ),
                )
                .with_points(vec![first.to_owned()])
                .at_line(line),
            );
            continue;
        }
        current.push(raw::plane_point(
            first,
            get(1),
            get(2),
            line,
            &mut doc.problems,
        ));
    }
    raw::close_unterminated(&mut doc, current, "标高行（XYnnn=标高,上限,下限,,圈属性）");
    doc
}

fn known_meta(key: &str) -> bool {
    matches!(
        key,
        "坐标系"
            | "带号"
            | "几度分带"
            | "投影类型"
            | "计量单位"
            | "精度"
            | "转换参数"
            | "点数"
            | "拐点数"
            | "圈数"
            | "面积"
            | "矿区面积"
            | "名称"
            | "矿山名称"
            | "项目名称"
            | "格式版本号"
            | "数据产生单位"
            | "数据产生日期"
    )
}

fn unreadable(line: usize, t: &str) -> Problem {
    raw::unreadable_line(line, t, "“键=值”行")
}
