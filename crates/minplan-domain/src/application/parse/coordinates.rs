//! Step 8: the corner coordinates (拐点坐标), inline (`text`) or from a file the caller read,
//! in CGCS2000 with the stated or the plan's zone.

use super::Problems;
use crate::application::ApplicationError;
use crate::application::corner_options::{CornerOption, CornerOptionsInput, corner_parse_options};
use crate::application::raw::RawApplication;
use crate::layer::line_of;
use minplan_geo::GaussKrugerZone;
use minplan_geo::corners::{self, CornerReport, Severity};

/// The corners as read.
pub(super) struct Corners {
    /// The corner report, when there were coordinates to read.
    pub(super) report: Option<CornerReport>,
    /// The line of the application file where the coordinates are given.
    pub(super) line: Option<usize>,
}

/// Reads the corners with the options of
/// [`corner_parse_options`] and reports each problem of the options, a missing or unreadable
/// source, every corner error (with its point labels, located in the application file for
/// inline text and in the corner file otherwise), and coordinates of which nothing was read.
pub(super) fn check(
    raw: &RawApplication,
    corner_bytes: Option<&[u8]>,
    zone: GaussKrugerZone,
    region: Option<corners::Region>,
    p: &mut Problems<'_>,
) -> Corners {
    let c = raw.coordinates.get_ref();
    let (opts, problems) = corner_parse_options(
        &CornerOptionsInput {
            crs: c.crs.as_ref().map(|x| *x.get_ref()),
            zone: c.zone.as_ref().map(|x| *x.get_ref()),
            datum: c.datum.as_ref().map(|x| x.get_ref().as_str()),
        },
        zone,
        region,
    );
    for (field, message) in problems {
        let offset = match field {
            CornerOption::Crs => c.crs.as_ref().map(|x| x.span().start),
            CornerOption::Zone => c.zone.as_ref().map(|x| x.span().start),
            CornerOption::Datum => c.datum.as_ref().map(|x| x.span().start),
        };
        p.err(field.field(), offset, message);
    }
    let report = match (&c.text, &c.file, corner_bytes) {
        (Some(t), _, _) => Some(corners::parse_str(t.get_ref(), &opts)),
        (None, Some(_), Some(bytes)) => Some(corners::parse_bytes(bytes, &opts)),
        (None, Some(f), None) => {
            p.err(
                "coordinates.file",
                Some(f.span().start),
                format!("读不到拐点坐标文件“{}”", f.get_ref()),
            );
            None
        }
        (None, None, _) => {
            p.err(
                "coordinates",
                Some(raw.coordinates.span().start),
                "须提供拐点坐标：text（粘贴）或 file（文件）".into(),
            );
            None
        }
    };
    // Where a corner problem is: the application file's line for inline text (the text
    // starts on the line after `text = """`), the corner file's own line otherwise.
    let inline_start = c.text.as_ref().map(|t| line_of(p.src, t.span().start));
    let coord_line = inline_start.or(c.file.as_ref().map(|f| line_of(p.src, f.span().start)));
    let corner_field = match &c.file {
        Some(f) if c.text.is_none() => format!("坐标文件 {}", f.get_ref()),
        _ => "coordinates.text".to_string(),
    };
    if let Some(r) = &report {
        for problem in r.problems.iter().filter(|x| x.severity == Severity::Error) {
            let line = match (inline_start, problem.line) {
                (Some(start), Some(l)) => Some(start + l),
                (None, l) => l,
                (Some(start), None) => Some(start),
            };
            p.errors.push(ApplicationError {
                field: corner_field.clone(),
                line,
                message: problem.message.clone(),
                points: problem.points.clone(),
            });
        }
        if r.nothing_read() {
            p.errors.push(ApplicationError {
                field: "坐标".into(),
                line: coord_line,
                message: "没有读到任何拐点".into(),
                points: vec![],
            });
        }
    }
    Corners {
        report,
        line: coord_line,
    }
}
