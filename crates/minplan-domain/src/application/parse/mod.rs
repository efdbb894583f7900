//! [`parse_application`]: the application file read step by step, one file per step, in the
//! order the problems are reported — [`identity`] (format, 申请编号, 申请类型, 变更事项,
//! 矿业权类型), [`minerals`], [`mining`] (开采方式, 生产规模, 资源量, 服务年限),
//! [`existing_right`] (原矿业权证号), [`received`] (受理日期), [`holder`] (申请人, 统一社会信用代码),
//! [`grant`] (出让方式, 协议出让理由), [`coordinates`] (拐点坐标) and [`declared_area`] (申报面积,
//! against the corners' area) — then assembled here.
//! Every step reports its problems and goes on, so the applicant sees all of them at once.

mod coordinates;
mod declared_area;
mod existing_right;
mod grant;
mod holder;
mod identity;
mod minerals;
mod mining;
mod received;

use super::raw::parse_raw;
use super::{Application, ApplicationError, ApplicationErrors, Documents, SiteDeclaration};
use crate::layer::line_of;
use crate::minerals::MineralCatalogue;
use minplan_geo::GaussKrugerZone;
use minplan_geo::corners::{self, CornerPoints};
use toml::Spanned;

/// The problems found so far, each located by its line in the application file.
struct Problems<'a> {
    /// The application file (for line numbers).
    src: &'a str,
    /// The problems, in the order found.
    errors: Vec<ApplicationError>,
}

impl Problems<'_> {
    /// A problem of `field` at byte `offset` of the application file, when known.
    fn err(&mut self, field: &str, offset: Option<usize>, message: String) {
        self.errors.push(ApplicationError {
            field: field.to_string(),
            line: offset.map(|o| line_of(self.src, o)),
            message,
            points: vec![],
        })
    }
}

/// Parses and checks an application.
///
/// * `src` — the application file (TOML, `minplan-application/1`);
/// * `corner_bytes` — the corner file's bytes when `[coordinates] file` names one (see
///   [`corner_source`](super::corner_source)); ignored for inline `text`;
/// * `minerals` — the plan's catalogue; `zone` — the plan's Gauss–Krüger zone, used when the
///   corners carry no zone prefix and none is given; `region` — the county, for the
///   outside-county check.
///
/// # Errors
/// [`ApplicationErrors`] with every problem found, including each corner-coordinate error
/// with its point labels.
pub fn parse_application(
    src: &str,
    corner_bytes: Option<&[u8]>,
    minerals: &MineralCatalogue,
    zone: GaussKrugerZone,
    region: Option<corners::Region>,
) -> Result<Application, ApplicationErrors> {
    let raw = parse_raw(src)?;
    let mut p = Problems {
        src,
        errors: Vec::new(),
    };
    let id = identity::check(&raw, &mut p);
    let mineral_names = minerals::check(&raw, minerals, &mut p);
    let mining = mining::check(&raw, id.kind, id.right_kind, &mut p);
    existing_right::check(&raw, id.kind, &mut p);
    received::check(&raw, &mut p);
    let credit_code = holder::check(&raw, &mut p);
    let grant = grant::check(&raw, &mut p);
    let mut corners = coordinates::check(&raw, corner_bytes, zone, region, &mut p);
    let declared_area = declared_area::check(&raw, corners.report.as_mut(), &mut p);
    let report = corners.report;
    if !p.errors.is_empty() {
        return Err(ApplicationErrors {
            errors: p.errors,
            corner_report: report.map(Box::new),
        });
    }
    let report = report.expect("present when there are no errors");
    let points = match CornerPoints::try_from(report.clone()) {
        Ok(c) => c,
        Err(r) => {
            return Err(ApplicationErrors {
                errors: vec![ApplicationError {
                    field: "坐标".into(),
                    line: corners.line,
                    message: "拐点坐标无法构成有效的范围".into(),
                    points: vec![],
                }],
                corner_report: Some(Box::new(r)),
            });
        }
    };
    let elevation = points
        .blocks()
        .iter()
        .flat_map(|b| b.rings.iter())
        .filter_map(|r| r.elevation.as_ref())
        .fold(None, |acc: Option<(f64, f64)>, e| match acc {
            None => Some((e.top_m, e.bottom_m)),
            Some((t, b)) => Some((t.max(e.top_m), b.min(e.bottom_m))),
        });
    // All Options are Some here: every None above pushed an error.
    let (Some(kind), Some(right_kind), Some(credit_code), Some(grant_method)) =
        (id.kind, id.right_kind, credit_code, grant.method)
    else {
        unreachable!("missing fields were reported as errors")
    };
    let holder = raw.holder.get_ref();
    let g = raw.grant.get_ref();
    Ok(Application {
        number: id.number,
        kind,
        change: id.change,
        right_kind,
        project_name: raw.project_name.into_inner(),
        minerals: mineral_names,
        mining_method: mining.method,
        capacity: mining.capacity,
        reserves: mining.reserves,
        capacity_basis: mining.capacity_basis,
        reserves_basis: mining.reserves_basis,
        capacity_days_per_year: mining.capacity_days_per_year,
        service_years: mining.service_years,
        existing_right: raw
            .existing_right
            .map(|e| e.into_inner().trim().to_string())
            .filter(|s| !s.is_empty()),
        received: raw.received.map(Spanned::into_inner),
        declared_area,
        sub_unit: raw
            .sub_unit
            .map(|s| s.into_inner().trim().to_string())
            .filter(|s| !s.is_empty()),
        holder_name: holder.name.get_ref().trim().to_string(),
        credit_code,
        grant_method,
        agreement_reason: grant.agreement_reason,
        agreement_note: g.agreement_note.clone(),
        net_mineral_grant: g.net_mineral,
        documents: Documents {
            development_plan: raw.documents.development_plan,
            restoration_plan: raw.documents.restoration_plan,
            green_mine_commitment: raw.documents.green_mine_commitment,
        },
        site: SiteDeclaration {
            wetland: raw.site.wetland,
            arable_land: raw.site.arable_land,
        },
        elevation,
        corners: points,
        corner_report: report,
    })
}
