//! A small stroke font for the figure's raster and SVG: digits, Latin capitals, `m`, `k` and
//! a few signs, each glyph a set of polylines on a 6 × 10 grid (baseline at 0, cap height 10).
//!
//! Drawn for minplan (no third-party glyph data, so no licence to carry), in the manner of the
//! public-domain Hershey "simplex" fonts: text becomes paths, rendered by tiny-skia in the PNG
//! and written as `<path>` in the SVG, so both carry the same letters without any font on the
//! machine. Chinese characters are not in it: a label with a character the font lacks is not
//! drawn ([`supports`]); the legend and tables beside the figure name such features.

/// Glyphs: polylines separated by `|`, points `x,y` separated by spaces (y up).
fn glyph(c: char) -> Option<&'static str> {
    Some(match c {
        '0' => "1.5,0 4.5,0 6,1.5 6,8.5 4.5,10 1.5,10 0,8.5 0,1.5 1.5,0",
        '1' => "1,8 3,10 3,0|1,0 5,0",
        '2' => "0,8.5 1.5,10 4.5,10 6,8.5 6,6.5 0,0 6,0",
        '3' => "0,8.5 1.5,10 4.5,10 6,8.5 6,6.5 4.5,5 2,5|4.5,5 6,3.5 6,1.5 4.5,0 1.5,0 0,1.5",
        '4' => "4.5,0 4.5,10 0,3 6,3",
        '5' => "6,10 0.5,10 0,5 4.5,5.5 6,4 6,1.5 4.5,0 1.5,0 0,1.5",
        '6' => "5.5,10 2.5,10 0,7 0,1.5 1.5,0 4.5,0 6,1.5 6,4 4.5,5.5 1.5,5.5 0,4",
        '7' => "0,10 6,10 2,0",
        '8' => {
            "1.5,5 0,6.5 0,8.5 1.5,10 4.5,10 6,8.5 6,6.5 4.5,5 1.5,5 0,3.5 0,1.5 1.5,0 4.5,0 6,1.5 6,3.5 4.5,5"
        }
        '9' => "6,6 4.5,4.5 1.5,4.5 0,6 0,8.5 1.5,10 4.5,10 6,8.5 6,3 3.5,0 0.5,0",
        'A' => "0,0 3,10 6,0|1.2,4 4.8,4",
        'B' => "0,0 0,10 4.5,10 6,8.5 6,6.5 4.5,5 0,5|4.5,5 6,3.5 6,1.5 4.5,0 0,0",
        'C' => "6,8.5 4.5,10 1.5,10 0,8.5 0,1.5 1.5,0 4.5,0 6,1.5",
        'D' => "0,0 0,10 4,10 6,8 6,2 4,0 0,0",
        'E' => "6,10 0,10 0,0 6,0|0,5 4,5",
        'F' => "6,10 0,10 0,0|0,5 4,5",
        'G' => "6,8.5 4.5,10 1.5,10 0,8.5 0,1.5 1.5,0 4.5,0 6,1.5 6,4 3.5,4",
        'H' => "0,0 0,10|6,0 6,10|0,5 6,5",
        'I' => "1,10 5,10|3,10 3,0|1,0 5,0",
        'J' => "6,10 6,1.5 4.5,0 1.5,0 0,1.5",
        'K' => "0,0 0,10|6,10 0,4|2,6 6,0",
        'L' => "0,10 0,0 6,0",
        'M' => "0,0 0,10 3,4 6,10 6,0",
        'N' => "0,0 0,10 6,0 6,10",
        'O' => "1.5,0 4.5,0 6,1.5 6,8.5 4.5,10 1.5,10 0,8.5 0,1.5 1.5,0",
        'P' => "0,0 0,10 4.5,10 6,8.5 6,6.5 4.5,5 0,5",
        'Q' => "1.5,0 4.5,0 6,1.5 6,8.5 4.5,10 1.5,10 0,8.5 0,1.5 1.5,0|3.5,2.5 6.5,-0.5",
        'R' => "0,0 0,10 4.5,10 6,8.5 6,6.5 4.5,5 0,5|3,5 6,0",
        'S' => "6,8.5 4.5,10 1.5,10 0,8.5 0,6.5 1.5,5 4.5,5 6,3.5 6,1.5 4.5,0 1.5,0 0,1.5",
        'T' => "0,10 6,10|3,10 3,0",
        'U' => "0,10 0,1.5 1.5,0 4.5,0 6,1.5 6,10",
        'V' => "0,10 3,0 6,10",
        'W' => "0,10 1.5,0 3,6 4.5,0 6,10",
        'X' => "0,0 6,10|0,10 6,0",
        'Y' => "0,10 3,5 6,10|3,5 3,0",
        'Z' => "0,10 6,10 0,0 6,0",
        'm' => "0,0 0,6|0,5 1,6 2,6 3,5 3,0|3,5 4,6 5,6 6,5 6,0",
        'k' => "0,0 0,10|5,6 0,2|2,3.5 5,0",
        '-' => "1,5 5,5",
        '+' => "3,2 3,8|0,5 6,5",
        '.' => "2.6,0 3.4,0 3.4,0.8 2.6,0.8 2.6,0",
        ':' => "2.6,1 3.4,1 3.4,1.8 2.6,1.8 2.6,1|2.6,6 3.4,6 3.4,6.8 2.6,6.8 2.6,6",
        '/' => "0,-1 6,11",
        '(' => "4,11 2,8.5 2,1.5 4,-1",
        ')' => "2,11 4,8.5 4,1.5 2,-1",
        '_' => "0,-1 6,-1",
        '#' => "2,0 2,10|4,0 4,10|0,3.5 6,3.5|0,6.5 6,6.5",
        ' ' => "",
        _ => return None,
    })
}

/// The glyph of `c`, folding lower-case Latin letters other than `m` and `k` to capitals and
/// full-width digits/letters to ASCII.
fn glyph_of(c: char) -> Option<&'static str> {
    let c = match c {
        '—' | '–' => '-',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    glyph(c).or_else(|| glyph(c.to_ascii_uppercase()))
}

/// Whether every character of `s` has a glyph.
pub(crate) fn supports(s: &str) -> bool {
    s.chars().all(|c| glyph_of(c).is_some())
}

/// Advance of one glyph, grid units (glyph width 6 plus spacing).
const ADVANCE: f32 = 8.5;

/// Width of `s` drawn `size` pixels high (cap height), pixels.
pub(crate) fn width(s: &str, size: f32) -> f32 {
    let n = s.chars().count() as f32;
    if n == 0.0 {
        0.0
    } else {
        (n * ADVANCE - (ADVANCE - 6.0)) * size / 10.0
    }
}

/// Polylines (pixels, y down) of `s` with its top-left corner at `(x, y)`, `size` pixels
/// high. `None` when a character has no glyph.
pub(crate) fn polylines(s: &str, x: f32, y: f32, size: f32) -> Option<Vec<Vec<(f32, f32)>>> {
    let k = size / 10.0;
    let mut out = Vec::new();
    for (i, c) in s.chars().enumerate() {
        let g = glyph_of(c)?;
        let ox = x + i as f32 * ADVANCE * k;
        for stroke in g.split('|').filter(|s| !s.is_empty()) {
            let pts: Vec<(f32, f32)> = stroke
                .split(' ')
                .filter_map(|p| {
                    let (a, b) = p.split_once(',')?;
                    Some((
                        ox + a.parse::<f32>().ok()? * k,
                        y + (10.0 - b.parse::<f32>().ok()?) * k,
                    ))
                })
                .collect();
            if pts.len() >= 2 {
                out.push(pts);
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_letters_and_signs_have_glyphs() {
        assert!(supports("231081-C01 1:10 000 0 500 1000 m km J1 N"));
        assert!(supports("ｊ１"));
        assert!(!supports("别勒洼"));
        assert!(polylines("别", 0.0, 0.0, 10.0).is_none());
        // "1" is two strokes; top-left anchoring: the top of the glyph is at y.
        let p = polylines("1", 10.0, 20.0, 10.0).unwrap();
        assert_eq!(p.len(), 2);
        assert_eq!(p[0][1], (13.0, 20.0));
        assert_eq!(p[0][2], (13.0, 30.0));
        assert_eq!(width("12", 10.0), 14.5);
    }
}
