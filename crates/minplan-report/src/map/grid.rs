//! The figure's scale, kilometre grid (公里网) and scale bar: pure arithmetic on the Gauss
//! plane, tested against known frames.

/// Round scales, as mantissas of 1:N (N = m × 10ⁿ): the standard series of Chinese maps
/// (1, 2, 2.5, 5) and the round values between them that 示意图 use, so that the frame is
/// not much larger than what it must show.
const SCALE_MANTISSAS: [f64; 10] = [1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0];

/// The smallest N of 1:N in the series 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10ⁿ (1:500,
/// 1:1000, 1:1200 … 1:10 000, 1:12 000 …) not below `at_least`, and at least 500.
pub(crate) fn nice_scale(at_least: f64) -> f64 {
    let at_least = at_least.max(500.0);
    let mut p = 10f64.powf(at_least.log10().floor());
    loop {
        for m in SCALE_MANTISSAS {
            if m * p >= at_least * (1.0 - 1e-9) {
                return m * p;
            }
        }
        p *= 10.0;
    }
}

/// Grid intervals, metres: 100 m to 10 km, as large-scale Chinese maps draw them.
const GRID_INTERVALS: [f64; 8] = [100.0, 200.0, 250.0, 500.0, 1000.0, 2000.0, 5000.0, 10_000.0];

/// The grid interval for a frame `width_m` wide: the smallest interval of
/// 100 m … 10 km giving at most 8 lines across.
pub(crate) fn grid_interval(width_m: f64) -> f64 {
    GRID_INTERVALS
        .into_iter()
        .find(|g| (width_m / g).floor() <= 8.0)
        .unwrap_or(10_000.0)
}

/// Multiples of `step` within `[lo, hi]`, ascending.
pub(crate) fn ticks(lo: f64, hi: f64, step: f64) -> Vec<f64> {
    let mut v = Vec::new();
    let mut k = (lo / step).ceil();
    while k * step <= hi + 1e-6 {
        v.push(k * step);
        k += 1.0;
    }
    v
}

/// A grid line's label in kilometres as Chinese topographic maps write it: `full` gives the
/// whole value (`4912`, `44422`, `4912.5`), otherwise the last two digits of whole kilometres
/// (`13`, `23`, `12.5`). `value_m` is the coordinate in metres (easting with the zone prefix
/// when the table writes one).
pub(crate) fn km_label(value_m: f64, full: bool) -> String {
    let km = (value_m / 1000.0 * 1000.0).round() / 1000.0;
    let whole = km.floor();
    let frac = km - whole;
    let whole_text = if full {
        format!("{whole:.0}")
    } else {
        format!("{:02.0}", whole.rem_euclid(100.0))
    };
    if frac.abs() < 1e-9 {
        whole_text
    } else {
        let f = format!("{frac:.3}");
        let f = f.trim_end_matches('0');
        format!("{whole_text}{}", &f[1..])
    }
}

/// The scale bar for a map `width_m` wide: its length (1, 2 or 5 × 10ⁿ m, at most a quarter
/// of the width) and its figures at 0, half and full length (`0`, `250`, `500 m`; in km from
/// 1 km: `0`, `0.5`, `1 km`).
pub(crate) fn scale_bar(width_m: f64) -> (f64, [String; 3]) {
    let max = width_m / 4.0;
    let p = 10f64.powf(max.log10().floor());
    let len = [5.0, 2.0, 1.0]
        .into_iter()
        .map(|k| k * p)
        .find(|&l| l <= max)
        .unwrap_or(p);
    let fmt = |v: f64| {
        let s = format!("{v:.3}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    };
    let figures = if len >= 1000.0 {
        [
            "0".into(),
            fmt(len / 2000.0),
            format!("{} km", fmt(len / 1000.0)),
        ]
    } else {
        ["0".into(), fmt(len / 2.0), format!("{} m", fmt(len))]
    };
    (len, figures)
}

/// `1:N` with a thin space every three digits from the right (`1:10 000`).
pub(crate) fn scale_text(n: f64) -> String {
    let digits = format!("{n:.0}");
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(' ');
        }
        out.push(c);
    }
    format!("1:{out}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_in_the_standard_series() {
        assert_eq!(nice_scale(100.0), 500.0);
        assert_eq!(nice_scale(501.0), 600.0);
        assert_eq!(nice_scale(2100.0), 2500.0);
        assert_eq!(nice_scale(10_000.0), 10_000.0);
        assert_eq!(nice_scale(26_000.0), 30_000.0);
        assert_eq!(nice_scale(81_000.0), 100_000.0);
        assert_eq!(scale_text(10_000.0), "1:10 000");
        assert_eq!(scale_text(2500.0), "1:2 500");
        assert_eq!(scale_text(500.0), "1:500");
    }

    #[test]
    fn grid_labels_as_on_topographic_maps() {
        assert_eq!(km_label(4_912_000.0, true), "4912");
        assert_eq!(km_label(4_913_000.0, false), "13");
        assert_eq!(km_label(44_422_000.0, true), "44422");
        assert_eq!(km_label(44_423_000.0, false), "23");
        assert_eq!(km_label(4_912_500.0, false), "12.5");
        assert_eq!(km_label(4_912_250.0, true), "4912.25");
        assert_eq!(km_label(4_900_000.0, false), "00");
        assert_eq!(grid_interval(5000.0), 1000.0);
        assert_eq!(grid_interval(9000.0), 2000.0);
        assert_eq!(grid_interval(800.0), 100.0);
        assert_eq!(grid_interval(1000.0), 200.0);
        assert_eq!(
            ticks(4_911_300.0, 4_914_100.0, 1000.0),
            vec![4_912_000.0, 4_913_000.0, 4_914_000.0]
        );
    }

    #[test]
    fn scale_bar_figures() {
        let (l, f) = scale_bar(4000.0);
        assert_eq!(l, 1000.0);
        assert_eq!(f, ["0".to_string(), "0.5".into(), "1 km".into()]);
        let (l, f) = scale_bar(900.0);
        assert_eq!(l, 200.0);
        assert_eq!(f, ["0".to_string(), "100".into(), "200 m".into()]);
        let (l, f) = scale_bar(30_000.0);
        assert_eq!(l, 5000.0);
        assert_eq!(f[2], "5 km");
    }
}
