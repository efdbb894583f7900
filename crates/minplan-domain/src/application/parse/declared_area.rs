//! Step 9: the 申报面积, when the application states it, against the area of its corners.

use super::Problems;
use crate::application::raw::RawApplication;
use minplan_geo::corners::{self, CornerReport, Severity};

/// The 申报面积 is a number with an optional unit ([`corners::parse_declared_area`]: km² by
/// default, 公顷, 平方米, 亩); it must agree with the corners' ellipsoidal area (TD/T 1055-2019
/// 附录D) within its rounding ([`corners::compare_area`]). Its comparison is added to the
/// corner report's problems (so the corner check shows it beside the others); a mismatch is
/// also an error of the field `declared_area`. A plane-only match, or a comparison that cannot
/// be made because no area was computed (the corners then have errors of their own), is a
/// warning in the report. Returns the figure as written (trimmed), when given and readable.
pub(super) fn check(
    raw: &RawApplication,
    report: Option<&mut CornerReport>,
    p: &mut Problems<'_>,
) -> Option<String> {
    let d = raw.declared_area.as_ref()?;
    let text = d.get_ref().trim();
    if text.is_empty() {
        return None;
    }
    let stated = match corners::parse_declared_area(text) {
        Ok(s) => s,
        Err(e) => {
            p.err(
                "declared_area",
                Some(d.span().start),
                format!("申报面积：{e}"),
            );
            return None;
        }
    };
    if let Some(report) = report {
        let comparison = corners::check_declared_area(&stated, report);
        if comparison.severity() == Some(Severity::Error)
            && let Some(problem) = comparison.problem(&stated, "申报面积")
        {
            p.err("declared_area", Some(d.span().start), problem.message);
        }
    }
    Some(stated.as_written)
}

#[cfg(test)]
mod tests {
    use crate::application::{Application, ApplicationErrors, parse_application};
    use crate::minerals::MineralCatalogue;
    use minplan_geo::GaussKrugerZone;
    use minplan_geo::corners::{ProblemKind, Severity};

    const TOML: &str = include_str!("../../../../../examples/01-qingfa-quarry.toml");
    const CORNERS: &[u8] = include_bytes!("../../../../../examples/01-qingfa-quarry.txt");

    /// Example 01 (庆发采石场: ellipsoidal 20000.67 m², plane 20003.15 m²) with a 申报面积.
    fn parse(declared: &str) -> Result<Application, ApplicationErrors> {
        let toml = TOML.replacen(
            "\n[holder]",
            &format!("declared_area = \"{declared}\"\n\n[holder]"),
            1,
        );
        parse_application(
            &toml,
            Some(CORNERS),
            &MineralCatalogue::builtin(),
            GaussKrugerZone::three_degree(44, true).unwrap(),
            None,
        )
    }

    #[test]
    fn a_declared_area_that_agrees_is_kept_as_written() {
        for declared in ["0.0200", "2公顷", "20000.7平方米", "30亩"] {
            let app = parse(declared).unwrap_or_else(|e| panic!("{declared}: {e}"));
            assert_eq!(app.declared_area.as_deref(), Some(declared));
        }
        let toml_without = parse_application(
            TOML,
            Some(CORNERS),
            &MineralCatalogue::builtin(),
            GaussKrugerZone::three_degree(44, true).unwrap(),
            None,
        )
        .unwrap();
        assert_eq!(toml_without.declared_area, None);
    }

    #[test]
    fn a_declared_area_that_does_not_agree_is_an_error_beside_the_corner_problems() {
        let e = parse("0.0201").unwrap_err();
        let err = e
            .errors
            .iter()
            .find(|x| x.field == "declared_area")
            .unwrap_or_else(|| panic!("{e}"));
        assert!(
            err.message.contains("“0.0201”")
                && err.message.contains("椭球面积 0.0200 km²")
                && err.message.contains("平面面积 0.0200 km²"),
            "{}",
            err.message
        );
        assert_eq!(err.line, Some(15));
        let report = e.corner_report.expect("the corners were read");
        assert!(report.problems.iter().any(|p| {
            p.kind == ProblemKind::StatedFigureMismatch
                && p.severity == Severity::Error
                && p.message.starts_with("申报面积")
        }));
    }

    #[test]
    fn an_unreadable_declared_area_is_a_field_error() {
        let e = parse("两公顷").unwrap_err();
        assert_eq!(e.errors.len(), 1, "{e}");
        assert_eq!(e.errors[0].field, "declared_area");
        assert!(e.errors[0].message.contains("两公顷"), "{e}");
    }

    #[test]
    fn a_plane_only_match_is_a_warning_in_the_report() {
        let app = parse("0.02000315").unwrap();
        assert!(
            app.corner_report
                .problems
                .iter()
                .any(|p| p.severity == Severity::Warning && p.message.contains("高斯平面面积")),
            "{:#?}",
            app.corner_report.problems
        );
    }
}
