//! WKT `POLYGON` and `MULTIPOLYGON` (OGC 06-103r4), optionally with an EWKT `SRID=n;`
//! prefix and `Z`/`M`/`ZM` tags. Positions are `x y`: longitude latitude, or easting
//! northing when the values are metres. Point labels are the 1-based position in the ring.

use super::raw::{CoordKind, RawBlock, RawDoc, RawPoint, RawRing};
use super::{Layout, Problem, ProblemKind, RingRole, Severity};

pub(crate) fn read(input: &str) -> RawDoc {
    let mut doc = RawDoc::new(Layout::Wkt, CoordKind::Geographic);
    let mut s = input.trim();
    if s.get(..5).is_some_and(|p| p.eq_ignore_ascii_case("SRID=")) {
        let (srid, rest) = s.split_once(';').unwrap_or((s, ""));
        if let Ok(code) = srid[5..].trim().parse::<u32>() {
            doc.hints.epsg = Some((code, Some(1)));
        }
        s = rest.trim();
    }
    let strip = |p: &str| {
        s.get(..p.len())
            .filter(|h| h.eq_ignore_ascii_case(p))
            .map(|_| &s[p.len()..])
    };
    let (multi, body) = if let Some(b) = strip("MULTIPOLYGON") {
        (true, b)
    } else if let Some(b) = strip("POLYGON") {
        (false, b)
    } else {
        doc.problems.push(Problem::new(
            ProblemKind::UnsupportedGeometry,
            Severity::Error,
            "WKT 只读取 POLYGON 与 MULTIPOLYGON".to_owned(),
        ));
        return doc;
    };
    let body = body
        .trim_start()
        .trim_start_matches(|c: char| c.is_ascii_alphabetic())
        .trim();
    let tree = match nest(body) {
        Ok(t) => t,
        Err(msg) => {
            doc.problems.push(Problem::new(
                ProblemKind::UnreadableLine,
                Severity::Error,
                format!("WKT 语法错误：{msg}"),
            ));
            return doc;
        }
    };
    let polys: Vec<&Node> = if multi {
        tree.children().iter().collect()
    } else {
        vec![&tree]
    };
    let mut rings_all = Vec::new();
    let mut plane = false;
    for (pi, poly) in polys.iter().enumerate() {
        for (ri, ring) in poly.children().iter().enumerate() {
            let name = match (multi, ri) {
                (false, 0) => "外圈".to_owned(),
                (false, k) => format!("内圈{k}"),
                (true, 0) => format!("第{}面外圈", pi + 1),
                (true, k) => format!("第{}面内圈{k}", pi + 1),
            };
            let Node::Leaf(text) = ring else {
                doc.problems.push(Problem::new(
                    ProblemKind::UnreadableLine,
                    Severity::Error,
                    format!("WKT {name} 的括号层次不对"),
                ));
                continue;
            };
            let mut points = Vec::new();
            let mut extra = false;
            for (i, pos) in text.split(',').enumerate() {
                let label = (i + 1).to_string();
                let parts: Vec<&str> = pos.split_whitespace().collect();
                if parts.len() > 2 {
                    extra = true;
                }
                let num = |k: usize| parts.get(k).and_then(|t| t.parse::<f64>().ok());
                let (x, y) = (num(0), num(1));
                if x.is_none() || y.is_none() {
                    doc.problems.push(
                        Problem::new(
                            ProblemKind::JunkInNumber,
                            Severity::Error,
                            format!("WKT {name} 第 {label} 个位置“{}”无法读取", pos.trim()),
                        )
                        .with_points(vec![label.clone()])
                        .in_ring(Some(name.clone())),
                    );
                }
                if x.is_some_and(|v| v.abs() > 180.0) || y.is_some_and(|v| v.abs() > 90.0) {
                    plane = true;
                }
                let t = |k: usize| parts.get(k).copied().unwrap_or("").to_owned();
                points.push(RawPoint {
                    label,
                    x_text: t(1),
                    y_text: t(0),
                    x: y,
                    y: x,
                    line: Some(1),
                    lines: vec![1],
                    alt: None,
                });
            }
            if extra {
                doc.problems.push(
                    Problem::new(
                        ProblemKind::ExtraDimension,
                        Severity::Warning,
                        format!("WKT {name} 的坐标含第三维，已忽略"),
                    )
                    .in_ring(Some(name.clone())),
                );
            }
            rings_all.push(RawRing {
                name: Some(name),
                role: if ri == 0 {
                    RingRole::Shell
                } else {
                    RingRole::Hole
                },
                points,
                elevation: None,
                closure_required: true,
                was_closed: false,
            });
        }
    }
    if plane {
        doc.kind = CoordKind::Plane;
    }
    doc.blocks.push(RawBlock {
        name: "WKT".to_owned(),
        rings: rings_all,
    });
    doc
}

enum Node {
    Leaf(String),
    List(Vec<Node>),
}

impl Node {
    fn children(&self) -> &[Node] {
        match self {
            Node::List(v) => v,
            Node::Leaf(_) => &[],
        }
    }
}

/// Parses `( … )` nesting into a tree whose leaves are coordinate lists.
fn nest(s: &str) -> Result<Node, String> {
    let chars: Vec<char> = s.chars().collect();
    let mut pos = 0;
    let node = parse_node(&chars, &mut pos)?;
    if chars[pos..].iter().any(|c| !c.is_whitespace()) {
        return Err("右括号之后还有内容".to_owned());
    }
    Ok(node)
}

fn parse_node(c: &[char], pos: &mut usize) -> Result<Node, String> {
    while *pos < c.len() && c[*pos].is_whitespace() {
        *pos += 1;
    }
    if *pos >= c.len() || c[*pos] != '(' {
        return Err("缺少左括号".to_owned());
    }
    *pos += 1;
    while *pos < c.len() && c[*pos].is_whitespace() {
        *pos += 1;
    }
    if *pos < c.len() && c[*pos] == '(' {
        let mut kids = Vec::new();
        loop {
            kids.push(parse_node(c, pos)?);
            while *pos < c.len() && c[*pos].is_whitespace() {
                *pos += 1;
            }
            match c.get(*pos) {
                Some(',') => *pos += 1,
                Some(')') => {
                    *pos += 1;
                    return Ok(Node::List(kids));
                }
                _ => return Err("缺少右括号".to_owned()),
            }
        }
    }
    let start = *pos;
    while *pos < c.len() && c[*pos] != ')' {
        if c[*pos] == '(' {
            return Err("坐标中出现左括号".to_owned());
        }
        *pos += 1;
    }
    if *pos >= c.len() {
        return Err("缺少右括号".to_owned());
    }
    let text: String = c[start..*pos].iter().collect();
    *pos += 1;
    Ok(Node::Leaf(text))
}
