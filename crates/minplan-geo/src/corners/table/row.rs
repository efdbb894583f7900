//! One row of a table (or the cells of a Word table pasted one per line): the segment name in
//! front, then groups of a label and its coordinate cells, then trailing words.

use super::cells::{Cell, Shape};

/// A label and the coordinate cells after it.
#[derive(Debug, Clone)]
pub(crate) struct Group {
    /// The label cell; `None` for rows of bare coordinates.
    pub label: Option<Cell>,
    /// Coordinate-shaped cells, in order.
    pub coords: Vec<Cell>,
}

/// A row split into its parts.
#[derive(Debug, Clone, Default)]
pub(crate) struct Row {
    /// Cells before the first group that are not an index number (a segment name: `一`, `Ⅰ区`).
    pub segment: Option<String>,
    /// Groups in order.
    pub groups: Vec<Group>,
    /// Words after or between the groups (`2000国家大地坐标系` in a last cell).
    pub trailing: Vec<Cell>,
    /// The words before the first group, joined (prose on a flattened line).
    pub prefix_text: String,
}

/// Splits cells into a row.
pub(crate) fn split(cells: &[Cell]) -> Row {
    // `X=4910000.00，Y=44420000.00`, `B=44°24′ L=131°06′`: axis names before coordinates are
    // not cells (two of them on the row; one alone may be a label, `B 4910000.00 …`).
    let before_coord = |i: usize, c: &Cell| {
        axis_name(&c.text) && cells.get(i + 1).is_some_and(|n| n.shape.is_coord())
    };
    let axes = cells
        .iter()
        .enumerate()
        .filter(|(i, c)| before_coord(*i, c))
        .count();
    let cells: Vec<Cell> = cells
        .iter()
        .enumerate()
        .filter(|(i, c)| axes < 2 || !before_coord(*i, c))
        .map(|(_, c)| c.clone())
        .collect();
    let mut row = Row::default();
    let mut prefix: Vec<&Cell> = Vec::new();
    let mut i = 0;
    while i < cells.len() {
        let c = &cells[i];
        let next_is_coord = cells.get(i + 1).is_some_and(|n| n.shape.is_coord());
        if c.shape.is_coord() {
            match row.groups.last_mut() {
                Some(g) if row.trailing.is_empty() => g.coords.push(c.clone()),
                _ => {
                    row.trailing.clear();
                    row.groups.push(Group {
                        label: None,
                        coords: vec![c.clone()],
                    })
                }
            }
        } else if matches!(c.shape, Shape::Label | Shape::Zero) && next_is_coord {
            row.trailing.clear();
            row.groups.push(Group {
                label: Some(c.clone()),
                coords: Vec::new(),
            });
        } else if row.groups.is_empty() {
            prefix.push(c);
        } else {
            row.trailing.push(c.clone());
        }
        i += 1;
    }
    row.segment = segment_name(&prefix);
    row.prefix_text = prefix
        .iter()
        .map(|c| c.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    // `4910000.00 44420000.00 J1` under `X Y 点号`: the label after the coordinates.
    if let ([g], Some(first)) = (row.groups.as_mut_slice(), row.trailing.first())
        && g.label.is_none()
        && g.coords.len() == 2
        && first.shape == Shape::Label
    {
        g.label = Some(first.clone());
        row.trailing.remove(0);
    }
    row
}

/// `X`, `Y`, `x`, `y`, `X坐标`, `经度`, `纬度`, `N`, `E`: an axis written before its value.
fn axis_name(t: &str) -> bool {
    matches!(
        t,
        "X" | "Y" | "x" | "y" | "X坐标" | "Y坐标" | "经度" | "纬度" | "N" | "E" | "B" | "L"
    )
}

/// The segment name among the cells in front of the first group: words that are not an
/// index number or a header word (`1 J1 X Y` has an index, `一 J1 X Y` a segment `一`).
fn segment_name(prefix: &[&Cell]) -> Option<String> {
    let words: Vec<&str> = prefix
        .iter()
        .filter(|c| !matches!(c.shape, Shape::Label | Shape::Zero | Shape::Number))
        .map(|c| c.text.as_str())
        .collect();
    // A name is short (`一`, `Ⅰ区`, `南矿段`); a run of words is prose on a flattened line.
    let name = words.join(" ");
    (!words.is_empty() && words.len() <= 2 && name.chars().count() <= 12).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::super::cells::cells;
    use super::*;

    #[test]
    fn rows() {
        let r = split(&cells(
            "一\tJ1\t4507088.22\t41473349.92\t\tJ4\t4507128.21\t41473413.92",
            1,
        ));
        assert_eq!(r.segment.as_deref(), Some("一"));
        assert_eq!(r.groups.len(), 2);
        assert_eq!(r.groups[1].label.as_ref().unwrap().text, "J4");
        let r = split(&cells(
            "| 6 | 4507088.22 | 41473349.92 | 2000国家大地坐标系 |",
            1,
        ));
        assert_eq!(r.groups.len(), 1);
        assert_eq!(r.trailing[0].text, "2000国家大地坐标系");
        let r = split(&cells("1 J1 4507088.22 41473349.92", 1));
        assert!(r.segment.is_none());
        assert_eq!(r.groups[0].label.as_ref().unwrap().text, "J1");
        let r = split(&cells("拐点1 44 25 30.12 131 09 12.345", 1));
        assert_eq!(r.groups[0].coords.len(), 2);
        assert_eq!(r.groups[0].coords[1].text, "131 09 12.345");
        let r = split(&cells("121.5530,45.3430", 1));
        assert!(r.groups[0].label.is_none());
        assert_eq!(r.groups[0].coords.len(), 2);
        let r = split(&cells(
            "J1 4507088.22 41473349.92 J1 4507089.10 41473350.00",
            1,
        ));
        assert_eq!(r.groups.len(), 2);
    }
}
