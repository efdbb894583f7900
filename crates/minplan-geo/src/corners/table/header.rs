//! Header rows: which column is X, Y, latitude or longitude, and which datum a pair of columns
//! is in (`点号 X80 Y80 X2000 Y2000`, `点号 X Y 纬度 经度`, a line `1980西安坐标系 2000国家大地坐标系`
//! above `X Y X Y`).

use super::super::Datum;

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Axis {
    /// Northing (X, 纵坐标, 北坐标).
    X,
    /// Easting (Y, 横坐标, 东坐标).
    Y,
    /// Latitude (纬度, B).
    Lat,
    /// Longitude (经度, L).
    Lon,
}

impl Axis {
    /// Whether the axis is geographic.
    pub fn is_angle(self) -> bool {
        matches!(self, Axis::Lat | Axis::Lon)
    }
}

/// One coordinate column of a header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Col {
    pub axis: Axis,
    /// The datum written with the column (`X2000`, `Y(80)`, `西安80X`).
    pub datum: Option<Datum>,
}

/// A header as read from one or more lines.
#[derive(Debug, Clone, Default)]
pub(crate) struct Header {
    /// Coordinate columns in order.
    pub cols: Vec<Col>,
    /// Datums named on a line of their own above the axis line, in order (one per pair).
    pub pair_datums: Vec<Datum>,
    /// 1-based line of the first header line.
    pub line: Option<usize>,
}

impl Header {
    /// Whether nothing was read.
    pub fn is_empty(&self) -> bool {
        self.cols.is_empty() && self.pair_datums.is_empty()
    }

    /// The datum of coordinate column `i` (0-based), from the column word or from a datum line
    /// above the pairs.
    pub fn datum_of(&self, i: usize) -> Option<Datum> {
        self.cols
            .get(i)
            .and_then(|c| c.datum)
            .or_else(|| self.pair_datums.get(i / 2).copied())
    }
}

/// Reads header words from the cells of a line without coordinates; `None` when the line has
/// no axis word and no datum column words. `words` are the cells as split.
pub(crate) fn read(words: &[String], line: usize, header: &mut Header) -> bool {
    let mut cols = Vec::new();
    let mut other_header_words = 0;
    let mut datums = Vec::new();
    let mut unknown = 0;
    for w in words {
        if let Some(c) = column(w) {
            cols.push(c);
        } else if HEADER_WORDS.contains(&w.as_str()) {
            other_header_words += 1;
        } else if let Some(d) = datum_word(w) {
            datums.push(d);
        } else if w.starts_with(|c: char| c.is_ascii_digit() || c == '+' || c == '-') {
            return false;
        } else {
            // Other columns (`备注`, `面积(km²)`, `采区`) beside the coordinates.
            unknown += 1;
        }
    }
    if unknown > 0 && cols.len() < 2 {
        return false;
    }
    if cols.is_empty() && (datums.len() < 2 || other_header_words + datums.len() != words.len()) {
        // Only label words (`拐点号`, `序号`) on a line of their own: a header cell pasted one
        // per line; accepted without columns.
        if other_header_words == words.len() && other_header_words > 0 {
            header.line.get_or_insert(line);
            return true;
        }
        return false;
    }
    header.line.get_or_insert(line);
    header.cols.extend(cols);
    header.pair_datums.extend(datums);
    true
}

/// Words of a header that are not coordinate columns.
const HEADER_WORDS: [&str; 14] = [
    "点号",
    "拐点",
    "拐点号",
    "序号",
    "编号",
    "点名",
    "坐标",
    "拐点编号",
    "界址点号",
    "拐点坐标",
    "点",
    "矿段",
    "块段",
    "拐点序号",
];

fn column(w: &str) -> Option<Col> {
    let u = w.to_uppercase();
    let datum = datum_word(&u).or_else(|| {
        let tail: String = u.chars().filter(char::is_ascii_digit).collect();
        match tail.as_str() {
            "2000" => Some(Datum::Cgcs2000),
            "80" | "1980" => Some(Datum::Xian1980),
            "54" | "1954" => Some(Datum::Beijing1954),
            _ => None,
        }
    });
    let core: String = u
        .chars()
        .filter(|c| !c.is_ascii_digit())
        .collect::<String>()
        .replace("坐标", "")
        .replace("CGCS", "")
        .replace("西安", "")
        .replace("北京", "")
        .replace("国家大地", "")
        .replace("值", "")
        .replace('-', "");
    // Units after the axis: `X(m)`, `Y（米）` (brackets already removed).
    let core = core
        .strip_suffix('M')
        .or_else(|| core.strip_suffix('米'))
        .filter(|c| !c.is_empty())
        .unwrap_or(&core)
        .to_owned();
    let axis = match core.as_str() {
        "X" | "纵" | "北" => Axis::X,
        "Y" | "横" | "东" => Axis::Y,
        "纬度" | "B" | "北纬" => Axis::Lat,
        "经度" | "L" | "东经" => Axis::Lon,
        _ => return None,
    };
    Some(Col { axis, datum })
}

fn datum_word(u: &str) -> Option<Datum> {
    let u = u.to_uppercase();
    if u.contains("2000") || u.contains("CGCS") {
        Some(Datum::Cgcs2000)
    } else if u.contains("西安") || u.contains("1980") || u.contains("80坐标") {
        Some(Datum::Xian1980)
    } else if u.contains("北京") || u.contains("1954") || u.contains("54坐标") {
        Some(Datum::Beijing1954)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn headers() {
        let mut h = Header::default();
        assert!(read(&words("点号 X80 Y80 X2000 Y2000"), 3, &mut h));
        assert_eq!(h.cols.len(), 4);
        assert_eq!(h.datum_of(0), Some(Datum::Xian1980));
        assert_eq!(h.datum_of(3), Some(Datum::Cgcs2000));
        let mut h = Header::default();
        assert!(read(&words("序号 经度 纬度"), 1, &mut h));
        assert_eq!(h.cols[0].axis, Axis::Lon);
        let mut h = Header::default();
        assert!(read(
            &words("点号 1980西安坐标系 2000国家大地坐标系"),
            1,
            &mut h
        ));
        assert!(read(&words("X Y X Y"), 2, &mut h));
        assert_eq!(h.datum_of(2), Some(Datum::Cgcs2000));
        let mut h = Header::default();
        assert!(!read(
            &words("矿区范围由 14个拐点圈定"),
            1,
            &mut Header::default()
        ));
        assert!(read(&words("X坐标"), 1, &mut h));
        assert_eq!(h.cols[0].axis, Axis::X);
        let mut h = Header::default();
        assert!(read(&words("拐点编号 Xm Ym 备注"), 1, &mut h));
        assert_eq!(h.cols.len(), 2);
        assert!(!read(&words("矿区 面积"), 1, &mut Header::default()));
    }
}
