//! 证照: the licences a mine must hold to produce besides its 采矿许可证 (《规划》五（三）4:
//! 证照齐全; the 安全生产许可证 is issued after the 三同时 of the safety facilities —
//! designed, built and put into use together with the main works — are accepted), and the
//! check that a mine reporting output holds a valid 安全生产许可证.
//!
//! # The rule (生产无有效安全生产许可证)
//! A mine whose annual report for year `Y` states an extraction above zero produced in `Y`.
//! The report gives no dates of production within the year, so the check is by coverage of the
//! year by the mine's 安全生产许可证 (each valid from `valid_from` to `valid_to`, both
//! included):
//! * no licence valid on any day of `Y` → [`SafetyCoverage::None`]: the mine produced without
//!   a 安全生产许可证; this raises the reminder for 执法监察 and is a check item
//!   ([`producing_without_safety_licence`]);
//! * valid on some but not every day of `Y` → [`SafetyCoverage::Partial`] with the days
//!   covered: shown to 执法监察 to look at (the production may have fallen in the gap), not a
//!   reminder by itself;
//! * valid on every day → [`SafetyCoverage::Full`].
//!
//! A mine with no report for `Y`, or a report with zero extraction, produced nothing that the
//! register knows of and is not flagged (its missing report is a reminder of its own).

use super::Problem;
use super::annual_report::AnnualReport;
use crate::date::Date;
use crate::labels::zh_labels;
use serde::Serialize;

/// The kind of a mine's licence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LicenceKind {
    /// 安全生产许可证 (《安全生产许可证条例》; non-coal mines: 应急管理部门).
    SafetyProduction,
    /// 排污许可证 (《排污许可管理条例》; 生态环境部门).
    PollutantDischarge,
    /// 取水许可证 (《取水许可和水资源费征收管理条例》; 水行政部门).
    WaterAbstraction,
    /// 爆破作业单位许可证 (《民用爆炸物品安全管理条例》; 公安机关).
    Blasting,
    /// 其他 — the licence's own name is given with it.
    Other,
}

zh_labels! {
    LicenceKind, label {
        SafetyProduction => "安全生产许可证",
        PollutantDischarge => "排污许可证",
        WaterAbstraction => "取水许可证",
        Blasting => "爆破作业单位许可证",
        Other => "其他",
    }
}

/// Longest 证号, 发证机关 or other name accepted, characters.
pub const MAX_TEXT_CHARS: usize = 100;

/// A licence as entered (checked by [`check_licence`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LicenceInput {
    /// Kind.
    pub kind: LicenceKind,
    /// The licence's name when `kind` is [`LicenceKind::Other`] (e.g. 林草使用许可); `None`
    /// otherwise.
    pub other_name: Option<String>,
    /// 证号, as printed.
    pub number: String,
    /// 发证机关.
    pub issuer: String,
    /// 有效期起 (included).
    pub valid_from: Date,
    /// 有效期止 (included).
    pub valid_to: Date,
    /// SHA-256 (hex) of the scanned licence, when one was attached.
    pub attachment_sha256: Option<String>,
}

/// A stored licence of a mine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MineLicence {
    /// Row id.
    pub id: i64,
    /// The mine.
    pub mine_id: i64,
    /// What was entered.
    #[serde(flatten)]
    pub licence: LicenceInput,
}

impl LicenceInput {
    /// The name shown: the kind's label, or the other licence's own name.
    pub fn name(&self) -> String {
        match (&self.kind, &self.other_name) {
            (LicenceKind::Other, Some(n)) => n.clone(),
            (k, _) => k.label().to_string(),
        }
    }

    /// Whether the licence is valid on `d`.
    pub fn valid_on(&self, d: Date) -> bool {
        self.valid_from <= d && d <= self.valid_to
    }
}

/// Checks a licence as entered.
///
/// # Errors
/// Every [`Problem`], by field: `other_name` missing for 其他 (or given for another kind),
/// `number` or `issuer` empty or longer than [`MAX_TEXT_CHARS`], `valid_to` before
/// `valid_from`, an attachment hash that is not 64 hex digits.
pub fn check_licence(input: &LicenceInput) -> Result<(), Vec<Problem>> {
    let mut p = Vec::new();
    let mut text = |field: &str, label: &str, v: &str| {
        if v.trim().is_empty() {
            p.push(Problem::new(field, format!("请填写{label}")));
        } else if v.chars().count() > MAX_TEXT_CHARS {
            p.push(Problem::new(
                field,
                format!("{label}不超过 {MAX_TEXT_CHARS} 个字"),
            ));
        }
    };
    text("number", "证号", &input.number);
    text("issuer", "发证机关", &input.issuer);
    match (input.kind, &input.other_name) {
        (LicenceKind::Other, None) => text("other_name", "证照名称", ""),
        (LicenceKind::Other, Some(n)) => text("other_name", "证照名称", n),
        (_, Some(_)) => p.push(Problem::new("other_name", "证照名称只在类型为“其他”时填写")),
        (_, None) => {}
    }
    if input.valid_to < input.valid_from {
        p.push(Problem::new(
            "valid_to",
            format!(
                "有效期止（{}）早于有效期起（{}）",
                input.valid_to.chinese(),
                input.valid_from.chinese()
            ),
        ));
    }
    if let Some(h) = &input.attachment_sha256
        && (h.len() != 64 || !h.bytes().all(|b| b.is_ascii_hexdigit()))
    {
        p.push(Problem::new(
            "attachment",
            "附件摘要应为 64 位十六进制 SHA-256",
        ));
    }
    if p.is_empty() { Ok(()) } else { Err(p) }
}

/// How a year is covered by a mine's 安全生产许可证 (see the module's rule).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SafetyCoverage {
    /// No 安全生产许可证 valid on any day of the year.
    None,
    /// Valid on `days` days of the year, not all.
    Partial {
        /// Days covered.
        days: i64,
    },
    /// Valid on every day of the year.
    Full,
}

impl SafetyCoverage {
    /// People's words: `全年无有效安全生产许可证` / `仅 120 天有有效安全生产许可证` / `全年有效`.
    pub fn label(&self) -> String {
        match self {
            SafetyCoverage::None => "全年无有效安全生产许可证".into(),
            SafetyCoverage::Partial { days } => format!("仅 {days} 天有有效安全生产许可证"),
            SafetyCoverage::Full => "全年有效".into(),
        }
    }
}

/// The coverage of `year` by the 安全生产许可证 among `licences` (other kinds ignored).
pub fn safety_coverage(licences: &[&MineLicence], year: i32) -> SafetyCoverage {
    let (start, end) = (Date::start_of_year(year), Date::end_of_year(year));
    let total = end.days_since(start) + 1;
    let mut spans: Vec<(Date, Date)> = licences
        .iter()
        .filter(|l| l.licence.kind == LicenceKind::SafetyProduction)
        .filter(|l| l.licence.valid_from <= end && l.licence.valid_to >= start)
        .map(|l| (l.licence.valid_from.max(start), l.licence.valid_to.min(end)))
        .collect();
    spans.sort();
    let mut covered = 0;
    let mut reached: Option<Date> = None; // last day counted
    for (from, to) in spans {
        let from = match reached {
            Some(r) if r >= from => r.add_days(1),
            _ => from,
        };
        if to >= from {
            covered += to.days_since(from) + 1;
            reached = Some(to);
        }
    }
    match covered {
        0 => SafetyCoverage::None,
        n if n >= total => SafetyCoverage::Full,
        n => SafetyCoverage::Partial { days: n },
    }
}

/// A mine that reported output for a year without a 安全生产许可证 covering the whole year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SafetyFinding {
    /// The mine.
    pub mine_id: i64,
    /// Its name.
    pub mine_name: String,
    /// The mining right it reported under.
    pub right_id: String,
    /// The holder's 统一社会信用代码.
    pub credit_code: Option<String>,
    /// 统计年度.
    pub year: i32,
    /// 开采量 reported, with its unit (`3.2 万立方米`).
    pub extraction: String,
    /// Coverage of the year ([`SafetyCoverage::None`] or [`SafetyCoverage::Partial`]).
    pub coverage: SafetyCoverage,
}

/// The mines that reported an extraction above zero for `year` and whose 安全生产许可证 do not
/// cover the whole year (see the module's rule), by mine name. Reports of other years are
/// ignored; `licences` are every mine's.
pub fn producing_without_safety_licence(
    reports: &[&AnnualReport],
    licences: &[MineLicence],
    year: i32,
) -> Vec<SafetyFinding> {
    let mut out: Vec<SafetyFinding> = reports
        .iter()
        .filter(|r| r.year == year && r.extraction > 0.0)
        .filter_map(|r| {
            let own: Vec<&MineLicence> =
                licences.iter().filter(|l| l.mine_id == r.mine_id).collect();
            let coverage = safety_coverage(&own, year);
            (coverage != SafetyCoverage::Full).then(|| SafetyFinding {
                mine_id: r.mine_id,
                mine_name: r.mine_name.clone(),
                right_id: r.right_id.clone(),
                credit_code: r.credit_code.clone(),
                year,
                extraction: format!(
                    "{} {}",
                    crate::citation::format_number(r.extraction),
                    r.unit
                ),
                coverage,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        a.mine_name
            .cmp(&b.mine_name)
            .then(a.mine_id.cmp(&b.mine_id))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::units::Unit;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn licence(mine_id: i64, kind: LicenceKind, from: &str, to: &str) -> MineLicence {
        MineLicence {
            id: mine_id * 10,
            mine_id,
            licence: LicenceInput {
                kind,
                other_name: None,
                number: "（黑）FM安许证字〔2024〕001".into(),
                issuer: "黑龙江省应急管理厅".into(),
                valid_from: d(from),
                valid_to: d(to),
                attachment_sha256: None,
            },
        }
    }

    fn report(mine_id: i64, year: i32, extraction: f64) -> AnnualReport {
        AnnualReport {
            id: mine_id,
            mine_id,
            mine_name: format!("矿山{mine_id}"),
            year,
            right_id: format!("C{mine_id}"),
            credit_code: None,
            mineral: "建筑用凝灰岩".into(),
            extraction,
            unit: Unit::WanM3,
            output_value_wan_yuan: 10.0,
            staff: 5,
            mining_recovery_pct: None,
            processing_recovery_pct: None,
            utilisation_pct: None,
            water_reuse_pct: None,
            filed_on: d("2026-03-01"),
            corrected_on: None,
            on_behalf: false,
            filed_by: "qiye".into(),
            note: None,
            disturbed_ha: None,
            restored_ha: None,
        }
    }

    #[test]
    fn output_with_an_expired_licence_is_found_a_valid_one_or_no_output_is_not() {
        let licences = vec![
            // Mine 1: expired in 2024.
            licence(1, LicenceKind::SafetyProduction, "2021-06-01", "2024-05-31"),
            // Mine 2: valid over 2025.
            licence(2, LicenceKind::SafetyProduction, "2024-06-01", "2027-05-31"),
            // Mine 3: a 排污许可证 only.
            licence(
                3,
                LicenceKind::PollutantDischarge,
                "2024-01-01",
                "2028-12-31",
            ),
            // Mine 4: no output; no licence either.
        ];
        let reports = [
            report(1, 2025, 3.0),
            report(2, 2025, 4.0),
            report(3, 2025, 1.5),
            report(4, 2025, 0.0),
        ];
        let refs: Vec<&AnnualReport> = reports.iter().collect();
        let found = producing_without_safety_licence(&refs, &licences, 2025);
        let ids: Vec<i64> = found.iter().map(|f| f.mine_id).collect();
        assert_eq!(ids, vec![1, 3]);
        assert_eq!(found[0].coverage, SafetyCoverage::None);
        assert_eq!(found[0].extraction, "3 万立方米");
        assert_eq!(found[0].right_id, "C1");
        // Another year is not looked at.
        assert!(producing_without_safety_licence(&refs, &licences, 2024).is_empty());
    }

    #[test]
    fn coverage_counts_days_once_and_says_when_partial() {
        let a = licence(1, LicenceKind::SafetyProduction, "2022-01-01", "2025-03-31");
        let b = licence(1, LicenceKind::SafetyProduction, "2025-03-01", "2025-06-30");
        assert_eq!(
            safety_coverage(&[&a, &b], 2025),
            SafetyCoverage::Partial { days: 181 }
        );
        let c = licence(1, LicenceKind::SafetyProduction, "2025-07-01", "2028-06-30");
        assert_eq!(safety_coverage(&[&a, &b, &c], 2025), SafetyCoverage::Full);
        assert_eq!(safety_coverage(&[&a], 2026), SafetyCoverage::None);
        assert_eq!(
            SafetyCoverage::Partial { days: 181 }.label(),
            "仅 181 天有有效安全生产许可证"
        );
    }

    #[test]
    fn a_licence_is_checked_field_by_field() {
        let mut l = licence(1, LicenceKind::Other, "2025-01-01", "2024-12-31").licence;
        l.number = " ".into();
        l.attachment_sha256 = Some("abc".into());
        let p = check_licence(&l).unwrap_err();
        let fields: Vec<&str> = p.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            fields,
            vec!["number", "other_name", "valid_to", "attachment"]
        );
        assert_eq!(
            p[2].message,
            "有效期止（2024年12月31日）早于有效期起（2025年1月1日）"
        );
        l.number = "林草字〔2025〕3号".into();
        l.other_name = Some("使用林地审核同意书".into());
        l.valid_to = d("2027-12-31");
        l.attachment_sha256 = Some("a".repeat(64));
        assert_eq!(check_licence(&l), Ok(()));
        assert_eq!(l.name(), "使用林地审核同意书");
        assert_eq!(
            LicenceKind::parse("排污许可证"),
            Some(LicenceKind::PollutantDischarge)
        );
    }
}
