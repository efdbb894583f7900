//! The reminders of the 工作台 and `minplan reminders`, one file per subject: `licences`
//! (licences ending or ended, closure reports awaiting acceptance), `annual_reports`
//! (reports due or overdue), `caps` (the plan's caps near or exceeded) and `safety_licences`
//! (mines that reported output without a valid 安全生产许可证) and `restoration` (mines
//! behind their 矿区生态修复方案's schedule, 边开采边治理).

mod annual_reports;
mod caps;
mod licences;
mod restoration;
mod safety_licences;

use super::MonitoringConfig;
use crate::date::Date;
use crate::plan::Plan;
use crate::register::RightHistory;
use crate::register::annual_report::AnnualReport;
use crate::review::config::ScaleTable;
use serde::Serialize;
use std::collections::BTreeMap;

/// What a reminder is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReminderKind {
    /// A licence ends within 90 days.
    LicenceExpiring,
    /// A licence ended and was neither extended, closed nor cancelled.
    LicenceExpired,
    /// An annual report is due (deadline not passed).
    ReportDue,
    /// An annual report is overdue (missing after the deadline).
    ReportOverdue,
    /// A closure report awaits acceptance.
    ClosurePending,
    /// A cap is at or above the warning share.
    CapNear,
    /// A cap is exceeded.
    CapExceeded,
    /// A mine reported output for a year in which no 安全生产许可证 of it was valid
    /// (《规划》五（三）4 证照齐全; for 执法监察, a check item).
    SafetyLicenceMissing,
    /// A mine's cumulative restored area (annual reports) is below its approved 矿区生态修复
    /// 方案's cumulative plan at the end of the last finished year (《规划》六（二）1（2）
    /// 边开采、边治理).
    RestorationBehind,
}

/// One reminder of the 工作台 / `minplan reminders`.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reminder {
    /// Kind.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub kind: ReminderKind,
    /// Chinese title of the kind.
    pub title: String,
    /// Urgent (red) or not.
    pub urgent: bool,
    /// What it concerns (licence, mine, mineral).
    pub subject: String,
    /// The message.
    pub message: String,
    /// The date it refers to (expiry, deadline).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub date: Option<Date>,
    /// Days until that date (negative: days past it).
    pub days: Option<i64>,
    /// The holder concerned, for a company's own view.
    pub credit_code: Option<String>,
    /// The licence concerned.
    pub right_id: Option<String>,
    /// The mine concerned.
    pub mine_id: Option<i64>,
}

/// Licences ending within this many days are reminded of.
pub const EXPIRY_WINDOW_DAYS: i64 = 90;

/// Everything the reminders read.
pub struct ReminderInput<'a> {
    /// The plan.
    pub plan: &'a Plan,
    /// Today.
    pub today: Date,
    /// Every right's history (events after today are ignored).
    pub histories: &'a [RightHistory],
    /// Mine names by id.
    pub mines: &'a BTreeMap<i64, String>,
    /// Annual reports (those filed after today are ignored).
    pub reports: &'a [AnnualReport],
    /// Scale table.
    pub scales: &'a ScaleTable,
    /// Thresholds.
    pub config: &'a MonitoringConfig,
    /// Every mine's licences (证照), for [`ReminderKind::SafetyLicenceMissing`].
    pub licences: &'a [crate::register::licences::MineLicence],
    /// Mines' approved 矿区生态修复方案 in force at the end of the last finished year, by mine
    /// id, for [`ReminderKind::RestorationBehind`].
    pub restoration_plans: &'a BTreeMap<i64, crate::restoration::schedule::ApprovedRestorationPlan>,
}

impl ReminderKind {
    /// Every kind, in the order the 工作台 lists them.
    pub const ALL: [ReminderKind; 9] = [
        ReminderKind::LicenceExpiring,
        ReminderKind::LicenceExpired,
        ReminderKind::ReportDue,
        ReminderKind::ReportOverdue,
        ReminderKind::ClosurePending,
        ReminderKind::CapNear,
        ReminderKind::CapExceeded,
        ReminderKind::SafetyLicenceMissing,
        ReminderKind::RestorationBehind,
    ];

    /// The Chinese title of the kind (许可证即将到期 …).
    pub fn title(self) -> &'static str {
        kind_title(self)
    }

    /// The kind as it is written on the wire and in URLs (`licence_expiring` …).
    pub fn slug(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    }
}

/// The Chinese title of a kind of reminder.
fn kind_title(k: ReminderKind) -> &'static str {
    match k {
        ReminderKind::LicenceExpiring => "许可证即将到期",
        ReminderKind::LicenceExpired => "许可证已到期",
        ReminderKind::ReportDue => "年度报告待报送",
        ReminderKind::ReportOverdue => "年度报告逾期未报",
        ReminderKind::ClosurePending => "闭坑待验收",
        ReminderKind::CapNear => "接近规划上限",
        ReminderKind::CapExceeded => "超出规划上限",
        ReminderKind::SafetyLicenceMissing => "无安全生产许可证生产",
        ReminderKind::RestorationBehind => "边开采边治理滞后",
    }
}

/// A reminder of `kind` about `subject`, dated `date` (days counted from `today`), not yet
/// tied to a holder, licence or mine.
fn reminder(
    kind: ReminderKind,
    urgent: bool,
    subject: String,
    message: String,
    date: Option<Date>,
    today: Date,
) -> Reminder {
    Reminder {
        kind,
        title: kind_title(kind).into(),
        urgent,
        subject,
        message,
        date,
        days: date.map(|d| d.days_since(today)),
        credit_code: None,
        right_id: None,
        mine_id: None,
    }
}

/// The reminders on `today`: licences ending within [`EXPIRY_WINDOW_DAYS`] or ended without
/// extension or closure; annual reports due (1 January – 31 March) or overdue, for every year
/// of the plan period before today's; closure reports awaiting acceptance; caps (registered
/// capacity, mine counts, the previous year's extraction) at or above the warning share
/// ([`MonitoringConfig::warn_ratio`]); mines that reported output for a year without a
/// 安全生产许可证 valid on any day of it. Urgent ones first, then by date. Events and reports
/// dated after `today` are not seen.
pub fn reminders(input: &ReminderInput<'_>) -> Vec<Reminder> {
    let today = input.today;
    let known: Vec<RightHistory> = input
        .histories
        .iter()
        .filter_map(|h| {
            let events: Vec<_> = h
                .events
                .iter()
                .filter(|e| e.date.is_none_or(|d| d <= today))
                .cloned()
                .collect();
            (!events.is_empty()).then(|| RightHistory {
                id: h.id.clone(),
                geometry: h.geometry.clone(),
                events,
            })
        })
        .collect();
    let filed: Vec<&AnnualReport> = input
        .reports
        .iter()
        .filter(|r| r.filed_on <= today)
        .collect();
    let mut out = Vec::new();
    licences::remind(&known, today, &mut out);
    annual_reports::remind(input, &known, &filed, &mut out);
    caps::remind(input, &known, &filed, &mut out);
    safety_licences::remind(input, &filed, &mut out);
    restoration::remind(input, &filed, &mut out);
    out.sort_by(|a, b| {
        b.urgent
            .cmp(&a.urgent)
            .then(a.date.cmp(&b.date))
            .then(a.subject.cmp(&b.subject))
    });
    out
}
