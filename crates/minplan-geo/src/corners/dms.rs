//! Geographic angles as people write them.

use super::GeographicFormat;
use super::text::{self, NumError};

/// Why an angle could not be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AngleError {
    /// Empty text.
    #[error("空值")]
    Empty,
    /// Characters that are not part of an angle (masked digits `*`, letters…).
    #[error("含有非数字字符“{0}”")]
    Junk(String),
    /// Minutes or seconds of 60 or more, or degrees beyond 180.
    #[error("{0}")]
    OutOfRange(String),
}

/// Reads a geographic angle and returns decimal degrees.
///
/// Accepted forms (full-width characters must already be folded to ASCII):
///
/// * `131°09′12.345″`, `131°09'12.345"`, `131度09分12.345秒`, `131°09.2058′` (degree, minute,
///   second marks; the last part may be decimal);
/// * `131 09 12.345` (three space-separated parts);
/// * `1310912.345` / `442530.12` (packed `dddmmss.sss` / `ddmmss.ss`: five or more integer digits
///   cannot be degrees);
/// * `131.0912345` read as `ddd.mmssss` when `format` is [`GeographicFormat::DddMmss`];
/// * decimal degrees otherwise.
///
/// # Errors
/// [`AngleError`] for empty text, junk characters, or minutes/seconds ≥ 60.
///
/// # Examples
/// ```
/// use minplan_geo::corners::{parse_angle, GeographicFormat};
/// let d = GeographicFormat::DecimalDegrees;
/// let v = 131.0 + 9.0 / 60.0 + 12.345 / 3600.0;
/// assert!((parse_angle("131°09′12.345″", d).unwrap() - v).abs() < 1e-12);
/// assert!((parse_angle("131 09 12.345", d).unwrap() - v).abs() < 1e-12);
/// assert!((parse_angle("1310912.345", d).unwrap() - v).abs() < 1e-12);
/// assert!((parse_angle("131.0912345", GeographicFormat::DddMmss).unwrap() - v).abs() < 1e-12);
/// assert_eq!(parse_angle("131.5", d).unwrap(), 131.5);
/// ```
pub fn parse_angle(s: &str, format: GeographicFormat) -> Result<f64, AngleError> {
    let t = s.trim();
    if t.is_empty() {
        return Err(AngleError::Empty);
    }
    let (neg, body) = match t.strip_prefix('-') {
        Some(b) => (true, b.trim()),
        None => (false, t),
    };
    let v = if body.contains(['°', '度', '′', '\'', '分', '″', '"', '秒', '’', '”']) {
        marked(body)?
    } else if body.split_whitespace().count() > 1 {
        let parts: Vec<&str> = body.split_whitespace().collect();
        if parts.len() > 3 {
            return Err(AngleError::Junk(body.to_owned()));
        }
        let nums = parts
            .iter()
            .map(|p| num(p))
            .collect::<Result<Vec<_>, _>>()?;
        dms_value(nums[0], nums[1], nums.get(2).copied().unwrap_or(0.0))?
    } else {
        let v = num(body)?;
        let int_part = body.split('.').next().unwrap_or("");
        if int_part.len() >= 5 {
            // Packed dddmmss.sss or ddmmss.ss.
            let i = v.trunc();
            let frac = v - i;
            let i = i as u64;
            dms_value(
                (i / 10_000) as f64,
                ((i / 100) % 100) as f64,
                (i % 100) as f64 + frac,
            )?
        } else if format == GeographicFormat::DddMmss {
            let frac_digits = body.split('.').nth(1).unwrap_or("");
            let deg = v.trunc();
            let padded = format!("{frac_digits:0<4}");
            let mm: f64 = padded[..2]
                .parse()
                .map_err(|_| AngleError::Junk(body.to_owned()))?;
            let ss_text = format!("{}.{}", &padded[2..4], &padded[4..]);
            let ss: f64 = ss_text
                .trim_end_matches('.')
                .parse()
                .map_err(|_| AngleError::Junk(body.to_owned()))?;
            dms_value(deg, mm, ss)?
        } else {
            v
        }
    };
    if v > 180.0 {
        return Err(AngleError::OutOfRange(format!("{v} 度超出经纬度范围")));
    }
    Ok(if neg { -v } else { v })
}

fn num(s: &str) -> Result<f64, AngleError> {
    match text::parse_number(s) {
        Ok(v) => Ok(v),
        Err(NumError::Empty) => Err(AngleError::Empty),
        Err(NumError::Junk(j)) => Err(AngleError::Junk(j)),
    }
}

fn dms_value(d: f64, m: f64, s: f64) -> Result<f64, AngleError> {
    if !(0.0..60.0).contains(&m) || m.fract() != 0.0 && s != 0.0 {
        return Err(AngleError::OutOfRange(format!("分值 {m} 不在 0–59 之间")));
    }
    if !(0.0..60.0).contains(&s) {
        return Err(AngleError::OutOfRange(format!("秒值 {s} 不在 0–60 之间")));
    }
    Ok(d + m / 60.0 + s / 3600.0)
}

fn marked(body: &str) -> Result<f64, AngleError> {
    let mut parts = [None, None, None];
    let mut cur = String::new();
    for c in body.chars() {
        let slot = match c {
            '°' | '度' => Some(0),
            '′' | '\'' | '分' | '’' => Some(1),
            '″' | '"' | '秒' | '”' => Some(2),
            _ => None,
        };
        match slot {
            Some(k) => {
                if parts[k].is_some() {
                    return Err(AngleError::Junk(c.to_string()));
                }
                parts[k] = Some(num(&cur)?);
                cur.clear();
            }
            None if c.is_whitespace() => {}
            None => cur.push(c),
        }
    }
    if !cur.trim().is_empty() {
        // Trailing number without a mark: the next unit after the last one given.
        let v = num(&cur)?;
        let k = parts.iter().rposition(Option::is_some).map_or(0, |k| k + 1);
        if k > 2 {
            return Err(AngleError::Junk(cur));
        }
        parts[k] = Some(v);
    }
    dms_value(
        parts[0].unwrap_or(0.0),
        parts[1].unwrap_or(0.0),
        parts[2].unwrap_or(0.0),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    const D: GeographicFormat = GeographicFormat::DecimalDegrees;

    #[test]
    fn forms_agree() {
        let v = 44.0 + 25.0 / 60.0 + 30.12 / 3600.0;
        for s in [
            "44°25′30.12″",
            "44°25'30.12\"",
            "44度25分30.12秒",
            "44 25 30.12",
            "442530.12",
            "44°25′30.12",
        ] {
            assert!((parse_angle(s, D).unwrap() - v).abs() < 1e-12, "{s}");
        }
        assert!((parse_angle("44.253012", GeographicFormat::DddMmss).unwrap() - v).abs() < 1e-12);
        assert!((parse_angle("44°25.502′", D).unwrap() - (44.0 + 25.502 / 60.0)).abs() < 1e-12);
    }

    #[test]
    fn errors() {
        assert!(matches!(
            parse_angle("44°65′00″", D),
            Err(AngleError::OutOfRange(_))
        ));
        assert!(matches!(
            parse_angle("44.6512", GeographicFormat::DddMmss),
            Err(AngleError::OutOfRange(_))
        ));
        assert!(matches!(
            parse_angle("13*0912.3", D),
            Err(AngleError::Junk(_))
        ));
        assert!(matches!(parse_angle("", D), Err(AngleError::Empty)));
    }
}
