//! The 矿山地质环境治理恢复基金 ledger of a mine (《规划》六（二）1（2）, 六（二）5): the company
//! accrues the fund into its own account and keeps it on its own books; the bureau supervises
//! it. This module holds the pure rules:
//!
//! * the ledger ([`RestorationFund`]) of accruals (计提) and expenditures (使用/支取), each with a date,
//!   an amount in 万元 and a voucher (凭证号); [`RestorationFund::add`] refuses with named problems an
//!   amount that is not a positive finite number, an expenditure beyond the balance, a date
//!   after today and an entry after the mine's closure (闭坑);
//! * the amount due per quarter ([`due_for_quarter`]) by the method the bureau chooses per mine
//!   ([`DueMethod`]): the approved 矿区生态修复方案's budget spread evenly over its service years,
//!   or the quarter's output value (销售收入) × the bureau's coefficients per mineral, mining
//!   method and region ([`Coefficients`] — bureau settings, none invented here);
//! * the shortfall per quarter ([`shortfall_table`]): cumulative accrued by the quarter's end
//!   against cumulative due;
//! * the 责令限期整改 ([`RectificationOrder`]) with a deadline in working days
//!   ([`order_deadline`], the bureau's period, default [`DEFAULT_RECTIFICATION_WORKING_DAYS`]),
//!   remedied when the shortfall is made good by the deadline, and otherwise a proposal to list
//!   the holder in the 矿业权人异常名录 for 未按规定计提矿山地质环境治理恢复基金
//!   ([`ListingProposal`], read by the supervision workflow).
//!
//! A figure that cannot be computed is an `Err` with the words shown in its place
//! (无法判定 / 未报送 / 未设置系数), never a 0.
//!
//! Pure: values in, values out; today is passed in.

use crate::calendar::{Counted, WorkCalendar};
use crate::date::Date;
use crate::register::Problem;
use crate::restoration::figures::Reading;
use crate::restoration::schedule::ApprovedRestorationPlan;
use crate::supervision::listing::{HolderList, ListingReason, ListingRequest};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The 整改 period when the bureau has set none: 20 working days from the order. The bureau's
/// choice (a setting, `fund_settings.rectification_days`), not a figure of the plan or a rule.
pub const DEFAULT_RECTIFICATION_WORKING_DAYS: i64 = 20;

/// Amounts closer than this (万元, i.e. 0.01 元) are equal.
pub const EPSILON_WAN_YUAN: f64 = 1e-6;

/// Rounds an amount of 万元 to 0.0001 万元 (1 元).
pub fn round_wan(v: f64) -> f64 {
    (v * 10_000.0).round() / 10_000.0
}

/// 计提 or 使用.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// 计提 (accrual into the company's fund account).
    Accrual,
    /// 使用 (expenditure / withdrawal for 治理恢复).
    Expenditure,
}

impl EntryKind {
    /// The stored code: `accrual`, `expenditure`.
    pub fn code(&self) -> &'static str {
        match self {
            EntryKind::Accrual => "accrual",
            EntryKind::Expenditure => "expenditure",
        }
    }
    /// The kind of a stored code.
    pub fn parse(code: &str) -> Option<EntryKind> {
        match code {
            "accrual" => Some(EntryKind::Accrual),
            "expenditure" => Some(EntryKind::Expenditure),
            _ => None,
        }
    }
    /// Chinese name: 计提, 使用.
    pub fn label(&self) -> &'static str {
        match self {
            EntryKind::Accrual => "计提",
            EntryKind::Expenditure => "使用",
        }
    }
}

/// One ledger entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LedgerEntry {
    /// 计提 or 使用.
    pub kind: EntryKind,
    /// 记账日期 (Beijing date).
    pub date: Date,
    /// Amount, 万元, > 0.
    pub amount_wan_yuan: f64,
    /// 凭证号 (the company's voucher number), required.
    pub voucher: String,
    /// 用途 of an expenditure (required for 使用; may be blank for 计提).
    pub purpose: String,
}

/// A mine's ledger, entries in date order (same-date entries in the order entered).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RestorationFund {
    entries: Vec<LedgerEntry>,
}

impl RestorationFund {
    /// A ledger of stored entries (sorted by date, stable), taken as they are: the store
    /// only keeps entries that passed [`RestorationFund::add`].
    pub fn from_entries(mut entries: Vec<LedgerEntry>) -> RestorationFund {
        entries.sort_by_key(|e| e.date);
        RestorationFund { entries }
    }

    /// The entries, in date order.
    pub fn entries(&self) -> &[LedgerEntry] {
        &self.entries
    }

    /// Accruals dated on or before `d`, 万元.
    pub fn accrued_by(&self, d: Date) -> f64 {
        self.sum_by(EntryKind::Accrual, |e| e <= d)
    }

    /// Expenditures dated on or before `d`, 万元.
    pub fn spent_by(&self, d: Date) -> f64 {
        self.sum_by(EntryKind::Expenditure, |e| e <= d)
    }

    /// Accruals dated within `from..=to`, 万元.
    pub fn accrued_within(&self, from: Date, to: Date) -> f64 {
        self.sum_by(EntryKind::Accrual, |e| e >= from && e <= to)
    }

    /// Expenditures dated within `from..=to`, 万元.
    pub fn spent_within(&self, from: Date, to: Date) -> f64 {
        self.sum_by(EntryKind::Expenditure, |e| e >= from && e <= to)
    }

    /// The balance at the end of `d` (accrued − spent), 万元.
    pub fn balance_on(&self, d: Date) -> f64 {
        round_wan(self.accrued_by(d) - self.spent_by(d))
    }

    fn sum_by(&self, kind: EntryKind, keep: impl Fn(Date) -> bool) -> f64 {
        round_wan(
            self.entries
                .iter()
                .filter(|e| e.kind == kind && keep(e.date))
                .map(|e| e.amount_wan_yuan)
                .sum(),
        )
    }

    /// The first date on which the accruals reach `amount` (万元), if they do.
    pub fn accrued_reaches(&self, amount: f64) -> Option<Date> {
        let mut sum = 0.0;
        for e in self.entries.iter().filter(|e| e.kind == EntryKind::Accrual) {
            sum += e.amount_wan_yuan;
            if sum + EPSILON_WAN_YUAN >= amount {
                return Some(e.date);
            }
        }
        None
    }

    /// Adds an entry, returning the new ledger.
    ///
    /// `closed_on` is the mine's 闭坑 date when it is closed.
    ///
    /// # Errors
    /// Every problem, naming its field: `amount_wan_yuan` not a finite number > 0;
    /// `voucher` blank; `purpose` blank for a 使用; `date` after `today` or after the closure;
    /// a 使用 beyond the balance on its date — or one that would leave a later balance below
    /// zero (the message names the date and the balance).
    pub fn add(
        &self,
        entry: LedgerEntry,
        today: Date,
        closed_on: Option<Date>,
    ) -> Result<RestorationFund, Vec<Problem>> {
        let mut p = Vec::new();
        let mut entry = entry;
        entry.voucher = entry.voucher.trim().to_string();
        entry.purpose = entry.purpose.trim().to_string();
        let amount_ok = entry.amount_wan_yuan.is_finite() && entry.amount_wan_yuan > 0.0;
        if !amount_ok {
            p.push(Problem::new(
                "amount_wan_yuan",
                format!(
                    "{}金额应为大于 0 的数（万元），填写的是 {}",
                    entry.kind.label(),
                    entry.amount_wan_yuan
                ),
            ));
        }
        if entry.voucher.is_empty() {
            p.push(Problem::new("voucher", "请填写凭证号"));
        } else if entry.voucher.chars().count() > 100 {
            p.push(Problem::new("voucher", "凭证号不超过 100 个字"));
        }
        if entry.kind == EntryKind::Expenditure && entry.purpose.is_empty() {
            p.push(Problem::new("purpose", "使用基金请填写用途"));
        }
        if entry.purpose.chars().count() > 500 {
            p.push(Problem::new("purpose", "用途不超过 500 个字"));
        }
        if entry.date > today {
            p.push(Problem::new(
                "date",
                format!(
                    "记账日期 {} 晚于今天（{}）",
                    entry.date.chinese(),
                    today.chinese()
                ),
            ));
        }
        if let Some(closed) = closed_on.filter(|c| entry.date > *c) {
            p.push(Problem::new(
                "date",
                format!(
                    "矿山已于 {} 闭坑，不能再登记{}（记账日期 {}）",
                    closed.chinese(),
                    entry.kind.label(),
                    entry.date.chinese()
                ),
            ));
        }
        if amount_ok && entry.kind == EntryKind::Expenditure {
            let on_date = self.balance_on(entry.date);
            if entry.amount_wan_yuan > on_date + EPSILON_WAN_YUAN {
                p.push(Problem::new(
                    "amount_wan_yuan",
                    format!(
                        "使用 {} 万元超过 {} 的基金余额 {} 万元",
                        fmt_wan(entry.amount_wan_yuan),
                        entry.date.chinese(),
                        fmt_wan(on_date)
                    ),
                ));
            } else {
                // A back-dated expenditure must not leave a later balance below zero.
                let later = self
                    .entries
                    .iter()
                    .filter(|e| e.date > entry.date)
                    .map(|e| (e.date, self.balance_on(e.date) - entry.amount_wan_yuan))
                    .find(|(_, b)| *b < -EPSILON_WAN_YUAN);
                if let Some((d, b)) = later {
                    p.push(Problem::new(
                        "amount_wan_yuan",
                        format!(
                            "使用 {} 万元后，{} 的基金余额将为 {} 万元（不能为负）",
                            fmt_wan(entry.amount_wan_yuan),
                            d.chinese(),
                            fmt_wan(b)
                        ),
                    ));
                }
            }
        }
        if !p.is_empty() {
            return Err(p);
        }
        let mut entries = self.entries.clone();
        entries.push(entry);
        Ok(RestorationFund::from_entries(entries))
    }
}

/// An amount of 万元 as people write it: up to four decimals, trailing zeros dropped.
pub fn fmt_wan(v: f64) -> String {
    let s = format!("{:.4}", round_wan(v));
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

/// A calendar quarter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Quarter {
    /// 公历年.
    pub year: i32,
    /// 1..=4.
    pub q: u8,
}

impl Quarter {
    /// The quarter `q` (1..=4) of `year`; `None` otherwise.
    pub fn new(year: i32, q: u8) -> Option<Quarter> {
        (1..=4).contains(&q).then_some(Quarter { year, q })
    }

    /// The quarter a date falls in.
    pub fn of(d: Date) -> Quarter {
        Quarter {
            year: d.year(),
            q: (d.month() - 1) / 3 + 1,
        }
    }

    /// First day.
    pub fn start(&self) -> Date {
        Date::new(self.year, (self.q - 1) * 3 + 1, 1).unwrap_or(Date::start_of_year(self.year))
    }

    /// Last day.
    pub fn end(&self) -> Date {
        self.next().start().add_days(-1)
    }

    /// The quarter after.
    pub fn next(&self) -> Quarter {
        if self.q == 4 {
            Quarter {
                year: self.year + 1,
                q: 1,
            }
        } else {
            Quarter {
                year: self.year,
                q: self.q + 1,
            }
        }
    }

    /// The quarter before.
    pub fn previous(&self) -> Quarter {
        if self.q == 1 {
            Quarter {
                year: self.year - 1,
                q: 4,
            }
        } else {
            Quarter {
                year: self.year,
                q: self.q - 1,
            }
        }
    }

    /// Quarters `from..=to` in order (empty when `to` is before `from`; at most 400).
    pub fn range(from: Quarter, to: Quarter) -> Vec<Quarter> {
        let mut v = Vec::new();
        let mut q = from;
        while q <= to && v.len() < 400 {
            v.push(q);
            q = q.next();
        }
        v
    }

    /// `2026年第1季度`.
    pub fn chinese(&self) -> String {
        format!("{}年第{}季度", self.year, self.q)
    }

    /// `2026Q1` (stored form).
    pub fn code(&self) -> String {
        format!("{}Q{}", self.year, self.q)
    }

    /// The quarter of a stored `2026Q1`.
    pub fn parse(s: &str) -> Option<Quarter> {
        let (y, q) = s.trim().split_once(['Q', 'q'])?;
        Quarter::new(y.parse().ok()?, q.parse().ok()?)
    }
}

/// How the amount due of a mine is computed; the bureau chooses per mine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DueMethod {
    /// The approved 矿区生态修复方案's budget spread evenly over its service years, per quarter.
    PlanBudget,
    /// The quarter's output value (销售收入) × the bureau's coefficients for the mine's mineral,
    /// mining method and region.
    OutputValue,
}

impl DueMethod {
    /// Both methods.
    pub const ALL: [DueMethod; 2] = [DueMethod::PlanBudget, DueMethod::OutputValue];
    /// The stored code: `plan_budget`, `output_value`.
    pub fn code(&self) -> &'static str {
        match self {
            DueMethod::PlanBudget => "plan_budget",
            DueMethod::OutputValue => "output_value",
        }
    }
    /// The method of a stored code.
    pub fn parse(code: &str) -> Option<DueMethod> {
        DueMethod::ALL.into_iter().find(|m| m.code() == code)
    }
    /// Chinese name.
    pub fn label(&self) -> &'static str {
        match self {
            DueMethod::PlanBudget => "按方案预算分摊",
            DueMethod::OutputValue => "按销售收入×系数",
        }
    }
}

/// Which table a coefficient belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CoefficientKind {
    /// 矿种系数 (per mineral name as the register writes it).
    Mineral,
    /// 开采方式系数 (露天, 地下, 露天+地下, 井采).
    Method,
    /// 地区系数 (per region name: the county, or the register's 所在县区/乡镇).
    Region,
}

impl CoefficientKind {
    /// The three tables.
    pub const ALL: [CoefficientKind; 3] = [
        CoefficientKind::Mineral,
        CoefficientKind::Method,
        CoefficientKind::Region,
    ];
    /// The stored code: `mineral`, `method`, `region`.
    pub fn code(&self) -> &'static str {
        match self {
            CoefficientKind::Mineral => "mineral",
            CoefficientKind::Method => "method",
            CoefficientKind::Region => "region",
        }
    }
    /// The kind of a stored code.
    pub fn parse(code: &str) -> Option<CoefficientKind> {
        CoefficientKind::ALL.into_iter().find(|k| k.code() == code)
    }
    /// Chinese name.
    pub fn label(&self) -> &'static str {
        match self {
            CoefficientKind::Mineral => "矿种系数",
            CoefficientKind::Method => "开采方式系数",
            CoefficientKind::Region => "地区系数",
        }
    }
}

/// The words shown when a coefficient is not set.
pub const NO_COEFFICIENT: &str = "未设置系数，无法计算应计提金额";

/// The bureau's coefficients (bureau settings; this module knows none of them).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Coefficients {
    /// (kind, key) → coefficient, a finite number > 0.
    pub values: BTreeMap<(CoefficientKind, String), f64>,
}

impl Coefficients {
    /// Checks one coefficient before it is set.
    ///
    /// # Errors
    /// A blank key, or a value that is not a finite number in (0, 1].
    pub fn check(kind: CoefficientKind, key: &str, value: f64) -> Result<(), Vec<Problem>> {
        let mut p = Vec::new();
        if key.trim().is_empty() {
            p.push(Problem::new(
                "key",
                format!("请填写{}适用的名称", kind.label()),
            ));
        }
        if !(value.is_finite() && value > 0.0 && value <= 1.0) {
            p.push(Problem::new(
                "value",
                format!(
                    "{}应为大于 0、不超过 1 的数，填写的是 {value}",
                    kind.label()
                ),
            ));
        }
        if p.is_empty() { Ok(()) } else { Err(p) }
    }

    /// The product of the three coefficients for a mine.
    ///
    /// # Errors
    /// `未设置系数，无法计算应计提金额（…）` naming every missing table and key (or the mine's
    /// unknown mineral, method or region).
    pub fn product(
        &self,
        mineral: Option<&str>,
        method: Option<&str>,
        region: Option<&str>,
    ) -> Result<f64, String> {
        let mut missing = Vec::new();
        let mut product = 1.0;
        for (kind, key) in [
            (CoefficientKind::Mineral, mineral),
            (CoefficientKind::Method, method),
            (CoefficientKind::Region, region),
        ] {
            match key {
                None => missing.push(format!("{}：矿山未登记", kind.label())),
                Some(k) => match self.values.get(&(kind, k.to_string())) {
                    Some(v) => product *= v,
                    None => missing.push(format!("{}：{k}", kind.label())),
                },
            }
        }
        if missing.is_empty() {
            Ok(product)
        } else {
            Err(format!("{NO_COEFFICIENT}（{}）", missing.join("；")))
        }
    }
}

/// What the amount due of a quarter is computed from.
#[derive(Debug, Clone, PartialEq)]
pub enum DueBasis<'a> {
    /// [`DueMethod::PlanBudget`]: the approved plan in force, if one is on file.
    PlanBudget(Option<&'a ApprovedRestorationPlan>),
    /// [`DueMethod::OutputValue`]: the quarter's reported output value (万元) and the product
    /// of the coefficients (or why it is missing).
    OutputValue {
        /// 销售收入 of the quarter as reported, 万元; `None` = 未报送.
        output_wan_yuan: Option<f64>,
        /// The coefficients' product.
        coefficient: Result<f64, String>,
    },
}

/// The amount due for `quarter`, 万元.
///
/// * `PlanBudget`: budget ÷ (service years × 4) for a quarter inside the plan's service years;
///   0 for a quarter outside them (nothing is due under the plan then); no plan on file →
///   `无法判定：未登记经批准的矿区生态修复方案`.
/// * `OutputValue`: output × coefficients; output not reported → `未报送：…季度销售收入`;
///   coefficient unset → [`NO_COEFFICIENT`] with what is missing.
///
/// # Errors
/// The words shown instead of the amount, as above.
pub fn due_for_quarter(basis: &DueBasis<'_>, quarter: Quarter) -> Result<f64, String> {
    match basis {
        DueBasis::PlanBudget(None) => Err("无法判定：未登记经批准的矿区生态修复方案".into()),
        DueBasis::PlanBudget(Some(plan)) => {
            if plan.service_years == 0 || !plan.budget_wan_yuan.is_finite() {
                return Err("无法判定：矿区生态修复方案的适用年限或预算无法读取".into());
            }
            let last = plan.from_year + plan.service_years as i32 - 1;
            if quarter.year < plan.from_year || quarter.year > last {
                return Ok(0.0);
            }
            Ok(round_wan(
                plan.budget_wan_yuan / (f64::from(plan.service_years) * 4.0),
            ))
        }
        DueBasis::OutputValue {
            output_wan_yuan,
            coefficient,
        } => {
            let c = coefficient.clone()?;
            match output_wan_yuan {
                None => Err(format!("未报送：{}销售收入", quarter.chinese())),
                Some(v) => Ok(round_wan(v * c)),
            }
        }
    }
}

/// One quarter of the shortfall table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeriodRow {
    /// The quarter.
    pub quarter: Quarter,
    /// Due in the quarter, 万元, or why not known.
    pub due: Result<f64, String>,
    /// Accrued in the quarter, 万元.
    pub accrued: f64,
    /// Spent in the quarter, 万元.
    pub spent: f64,
    /// Due from the first quarter through this one, 万元, or why not known.
    pub cumulative_due: Result<f64, String>,
    /// Accrued by the quarter's end, 万元.
    pub cumulative_accrued: f64,
    /// Balance at the quarter's end, 万元.
    pub balance: f64,
    /// max(0, cumulative due − cumulative accrued), 万元, or why not known.
    pub shortfall: Result<f64, String>,
}

impl PeriodRow {
    /// Whether the quarter ends with a shortfall (> 0).
    pub fn is_short(&self) -> bool {
        matches!(self.shortfall, Ok(s) if s > EPSILON_WAN_YUAN)
    }
}

/// The shortfall per quarter: for each `(quarter, due)` in order, the cumulative due against
/// the accruals dated by the quarter's end. Once a quarter's due is unknown, the cumulative
/// due and the shortfall of it and every later quarter are unknown with the same words.
pub fn shortfall_table(
    ledger: &RestorationFund,
    dues: &[(Quarter, Result<f64, String>)],
) -> Vec<PeriodRow> {
    let mut cumulative: Result<f64, String> = Ok(0.0);
    dues.iter()
        .map(|(quarter, due)| {
            cumulative = match (&cumulative, due) {
                (Ok(c), Ok(d)) => Ok(round_wan(c + d)),
                (Err(e), _) => Err(e.clone()),
                (Ok(_), Err(e)) => Err(e.clone()),
            };
            let cumulative_accrued = ledger.accrued_by(quarter.end());
            let shortfall = cumulative
                .as_ref()
                .map(|c| round_wan((c - cumulative_accrued).max(0.0)))
                .map_err(Clone::clone);
            PeriodRow {
                quarter: *quarter,
                due: due.clone(),
                accrued: ledger.accrued_within(quarter.start(), quarter.end()),
                spent: ledger.spent_within(quarter.start(), quarter.end()),
                cumulative_due: cumulative.clone(),
                cumulative_accrued,
                balance: ledger.balance_on(quarter.end()),
                shortfall,
            }
        })
        .collect()
}

/// The deadline of a 责令限期整改 issued on `issued_on` with `working_days` working days: the
/// `working_days`-th working day after the order (the calendar names years it does not hold).
pub fn order_deadline(cal: &WorkCalendar, issued_on: Date, working_days: i64) -> Counted<Date> {
    cal.add_working_days(issued_on, working_days)
}

/// A 责令限期整改 for a shortfall.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RectificationOrder {
    /// The quarter whose shortfall it orders made good.
    pub quarter: Quarter,
    /// The cumulative due through that quarter, 万元 (what the accruals must reach).
    pub cumulative_due_wan_yuan: f64,
    /// The shortfall at the order, 万元.
    pub shortfall_wan_yuan: f64,
    /// 下达日期.
    pub issued_on: Date,
    /// 整改期限, working days.
    pub working_days: i64,
    /// The deadline (the last day to make good).
    pub deadline: Date,
}

impl RectificationOrder {
    /// An order for the shortfall of `row`, issued on `issued_on` with `working_days`.
    ///
    /// # Errors
    /// `row` has no shortfall, or its shortfall is unknown; `working_days` outside 1..=180;
    /// `issued_on` before the quarter's end.
    pub fn issue(
        row: &PeriodRow,
        issued_on: Date,
        working_days: i64,
        cal: &WorkCalendar,
    ) -> Result<RectificationOrder, Vec<Problem>> {
        let mut p = Vec::new();
        let (cum, short) = match (&row.cumulative_due, &row.shortfall) {
            (Ok(c), Ok(s)) if *s > EPSILON_WAN_YUAN => (*c, *s),
            (_, Err(why)) => {
                p.push(Problem::new(
                    "quarter",
                    format!(
                        "{}的短缺无法判定（{why}），不能下达整改",
                        row.quarter.chinese()
                    ),
                ));
                (0.0, 0.0)
            }
            _ => {
                p.push(Problem::new(
                    "quarter",
                    format!("{}没有计提短缺，无需整改", row.quarter.chinese()),
                ));
                (0.0, 0.0)
            }
        };
        if !(1..=180).contains(&working_days) {
            p.push(Problem::new(
                "working_days",
                "整改期限应为 1 至 180 个工作日",
            ));
        }
        if issued_on <= row.quarter.end() {
            p.push(Problem::new(
                "issued_on",
                format!(
                    "下达日期 {} 应在{}结束之后",
                    issued_on.chinese(),
                    row.quarter.chinese()
                ),
            ));
        }
        if !p.is_empty() {
            return Err(p);
        }
        Ok(RectificationOrder {
            quarter: row.quarter,
            cumulative_due_wan_yuan: cum,
            shortfall_wan_yuan: short,
            issued_on,
            working_days,
            deadline: order_deadline(cal, issued_on, working_days).value,
        })
    }

    /// Where the order stands on `today` against the ledger.
    pub fn status(&self, ledger: &RestorationFund, today: Date) -> OrderStatus {
        match ledger.accrued_reaches(self.cumulative_due_wan_yuan) {
            Some(d) if d <= self.deadline && d <= today => OrderStatus::Remedied(d),
            _ if today > self.deadline => OrderStatus::Overdue,
            _ => OrderStatus::Open,
        }
    }
}

/// Where a 责令限期整改 stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "state", content = "on", rename_all = "snake_case")]
pub enum OrderStatus {
    /// 整改期限内，尚未补足.
    Open,
    /// 已按期补足 (on the date the accruals reached the due amount).
    Remedied(Date),
    /// 逾期未整改: the deadline passed with the shortfall not made good.
    Overdue,
}

impl OrderStatus {
    /// The stored code: `open`, `remedied`, `overdue`.
    pub fn code(&self) -> &'static str {
        match self {
            OrderStatus::Open => "open",
            OrderStatus::Remedied(_) => "remedied",
            OrderStatus::Overdue => "overdue",
        }
    }
    /// Chinese wording.
    pub fn label(&self) -> String {
        match self {
            OrderStatus::Open => "整改期限内".into(),
            OrderStatus::Remedied(d) => format!("已于 {} 补足", d.chinese()),
            OrderStatus::Overdue => "逾期未整改".into(),
        }
    }
}

/// The proposal to list a holder in the 矿业权人异常名录 after an overdue order (拟列入异常名录);
/// a user of the supervision workflow confirms it with a decision (文号, date) or dismisses it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListingProposal {
    /// 矿业权人名称.
    pub holder_name: String,
    /// 统一社会信用代码.
    pub credit_code: String,
    /// The particulars: the quarter, shortfall and missed deadline.
    pub reason_text: String,
}

impl ListingProposal {
    /// The proposal of an overdue order of the mine `mine_name`.
    pub fn of(
        order: &RectificationOrder,
        mine_name: &str,
        holder_name: &str,
        credit_code: &str,
    ) -> ListingProposal {
        ListingProposal {
            holder_name: holder_name.trim().to_string(),
            credit_code: credit_code.trim().to_string(),
            reason_text: format!(
                "{mine_name}截至{}少计提 {} 万元，责令限期整改至 {} 仍未补足",
                order.quarter.chinese(),
                fmt_wan(order.shortfall_wan_yuan),
                order.deadline.chinese()
            ),
        }
    }

    /// The 列入 request of the supervision workflow, with the confirming decision.
    pub fn to_request(&self, decision_number: &str, decision_date: Date) -> ListingRequest {
        ListingRequest {
            list: HolderList::Abnormal,
            holder_name: self.holder_name.clone(),
            credit_code: self.credit_code.clone(),
            reason: ListingReason::FundNotAccrued,
            reason_text: self.reason_text.clone(),
            decision_number: decision_number.trim().to_string(),
            decision_date,
        }
    }
}

/// One mine in the yearly public summary of the fund (每年向社会公示, 《规划》六（二）5): what
/// the public sees — no voucher, no person.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PublicFundMine {
    /// 矿山名称.
    pub mine_name: String,
    /// 矿业权人 (an enterprise).
    pub holder_name: String,
    /// 统一社会信用代码 of the enterprise ("" when not registered).
    pub credit_code: String,
    /// Accrued within the year (up to the summary's date), 万元.
    pub accrued_wan_yuan: f64,
    /// Used within the year, 万元.
    pub used_wan_yuan: f64,
    /// Balance at the year's end (or the summary's date), 万元.
    pub balance_wan_yuan: f64,
    /// Due for the year's quarters ended, 万元, or why it cannot be computed.
    pub due_wan_yuan: Reading<f64>,
    /// Shortfall at the year's last quarter ended, 万元, or why it cannot be judged.
    pub shortfall_wan_yuan: Reading<f64>,
}

/// The yearly public summary: every mine that must accrue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FundPublicSummary {
    /// The year.
    pub year: i32,
    /// The date the figures are counted to (31 December, or the day of a summary made within
    /// the year).
    pub as_of: Date,
    /// The mines, in the order given.
    pub mines: Vec<PublicFundMine>,
}

/// The public summary line of one mine for `year` as of `as_of`, from its ledger and its
/// shortfall table (`rows`, any years; `None` when the bureau chose no method).
pub fn public_mine_summary(
    year: i32,
    as_of: Date,
    names: (&str, &str, &str),
    ledger: &RestorationFund,
    rows: Option<&[PeriodRow]>,
) -> PublicFundMine {
    let from = Date::start_of_year(year);
    let to = std::cmp::min(Date::end_of_year(year), as_of);
    let no_method = || Reading::Missing("无法判定：尚未设定应计提金额的计算方法".to_string());
    let (due, shortfall) = match rows {
        None => (no_method(), no_method()),
        Some(rows) => {
            let in_year: Vec<&PeriodRow> = rows.iter().filter(|r| r.quarter.year == year).collect();
            let mut due: Result<f64, String> = Ok(0.0);
            for r in &in_year {
                due = match (due, &r.due) {
                    (Ok(a), Ok(b)) => Ok(a + b),
                    (Err(e), _) => Err(e),
                    (Ok(_), Err(e)) => Err(e.clone()),
                };
            }
            let shortfall = match in_year.last() {
                None => Reading::Missing(format!("无数据：{year}年尚无已结束的计提季度")),
                Some(r) => match &r.shortfall {
                    Ok(s) => Reading::Value(*s),
                    Err(e) => Reading::Missing(e.clone()),
                },
            };
            let due = match (in_year.is_empty(), due) {
                (true, _) => Reading::Missing(format!("无数据：{year}年尚无已结束的计提季度")),
                (false, Ok(d)) => Reading::Value(round_wan(d)),
                (false, Err(e)) => Reading::Missing(e),
            };
            (due, shortfall)
        }
    };
    PublicFundMine {
        mine_name: names.0.to_string(),
        holder_name: names.1.to_string(),
        credit_code: names.2.to_string(),
        accrued_wan_yuan: ledger.accrued_within(from, to),
        used_wan_yuan: ledger.spent_within(from, to),
        balance_wan_yuan: ledger.balance_on(to),
        due_wan_yuan: due,
        shortfall_wan_yuan: shortfall,
    }
}

impl FundPublicSummary {
    /// The payload of the 治理恢复基金公示 publication (《规划》六（二）5 每年向社会公示): the
    /// same figures, the date as YYYY-MM-DD, a figure that cannot be computed carried as
    /// `None` with its words.
    pub fn public_payload(&self) -> crate::disclosure::FundSummaryPayload {
        let split = |r: &Reading<f64>| match r {
            Reading::Value(v) => (Some(*v), String::new()),
            Reading::Missing(why) => (None, why.clone()),
        };
        crate::disclosure::FundSummaryPayload {
            year: self.year,
            as_of: self.as_of.to_string(),
            mines: self
                .mines
                .iter()
                .map(|m| {
                    let (due, due_note) = split(&m.due_wan_yuan);
                    let (shortfall, shortfall_note) = split(&m.shortfall_wan_yuan);
                    crate::disclosure::PublicFundLine {
                        mine_name: m.mine_name.clone(),
                        holder_name: m.holder_name.clone(),
                        credit_code: m.credit_code.clone(),
                        accrued_wan_yuan: m.accrued_wan_yuan,
                        used_wan_yuan: m.used_wan_yuan,
                        balance_wan_yuan: m.balance_wan_yuan,
                        due_wan_yuan: due,
                        due_note,
                        shortfall_wan_yuan: shortfall,
                        shortfall_note,
                    }
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn accrual(date: &str, amount: f64) -> LedgerEntry {
        LedgerEntry {
            kind: EntryKind::Accrual,
            date: d(date),
            amount_wan_yuan: amount,
            voucher: format!("记-{date}"),
            purpose: String::new(),
        }
    }

    fn spend(date: &str, amount: f64) -> LedgerEntry {
        LedgerEntry {
            kind: EntryKind::Expenditure,
            date: d(date),
            amount_wan_yuan: amount,
            voucher: format!("付-{date}"),
            purpose: "边坡治理".into(),
        }
    }

    const TODAY: &str = "2026-12-06";

    fn fields(p: &[Problem]) -> Vec<&str> {
        p.iter().map(|p| p.field.as_str()).collect()
    }

    #[test]
    fn refuses_amounts_not_positive_or_not_finite() {
        let l = RestorationFund::default();
        for bad in [0.0, -3.0, f64::NAN, f64::INFINITY] {
            let e = l
                .add(accrual("2026-01-10", bad), d(TODAY), None)
                .unwrap_err();
            assert_eq!(fields(&e), vec!["amount_wan_yuan"], "{bad}");
            assert!(e[0].message.contains("大于 0"), "{}", e[0].message);
        }
    }

    #[test]
    fn refuses_expenditure_beyond_balance_on_its_date_and_later() {
        let l = RestorationFund::default()
            .add(accrual("2026-01-10", 10.0), d(TODAY), None)
            .unwrap()
            .add(accrual("2026-03-10", 5.0), d(TODAY), None)
            .unwrap();
        // On 2026-02-01 only 10 万元 are there.
        let e = l
            .add(spend("2026-02-01", 12.0), d(TODAY), None)
            .unwrap_err();
        assert_eq!(
            e[0].message,
            "使用 12 万元超过 2026年2月1日 的基金余额 10 万元"
        );
        // 14 on 03-20 is within the 15 there.
        let l = l.add(spend("2026-03-20", 14.0), d(TODAY), None).unwrap();
        assert_eq!(l.balance_on(d("2026-03-31")), 1.0);
        // A back-dated 8 on 02-01 fits the 10 there but leaves 03-20 at −7.
        let e = l.add(spend("2026-02-01", 8.0), d(TODAY), None).unwrap_err();
        assert_eq!(
            e[0].message,
            "使用 8 万元后，2026年3月20日 的基金余额将为 -7 万元（不能为负）"
        );
    }

    #[test]
    fn refuses_future_dates_closed_mines_and_blank_voucher_or_purpose() {
        let l = RestorationFund::default();
        let e = l
            .add(accrual("2026-12-07", 1.0), d(TODAY), None)
            .unwrap_err();
        assert_eq!(
            e[0].message,
            "记账日期 2026年12月7日 晚于今天（2026年12月6日）"
        );
        let e = l
            .add(accrual("2026-06-01", 1.0), d(TODAY), Some(d("2026-05-31")))
            .unwrap_err();
        assert_eq!(
            e[0].message,
            "矿山已于 2026年5月31日 闭坑，不能再登记计提（记账日期 2026年6月1日）"
        );
        let mut bad = spend("2026-01-01", 1.0);
        bad.voucher = " ".into();
        bad.purpose = String::new();
        let e = l.add(bad, d(TODAY), None).unwrap_err();
        assert_eq!(fields(&e), vec!["voucher", "purpose", "amount_wan_yuan"]);
    }

    #[test]
    fn plan_budget_due_is_spread_over_service_quarters_and_unknown_without_a_plan() {
        let plan = ApprovedRestorationPlan {
            budget_wan_yuan: 120.0,
            from_year: 2025,
            service_years: 5,
            yearly_restoration_ha: vec![],
        };
        let q = |y, q| Quarter::new(y, q).unwrap();
        // 120 / (5 × 4) = 6 per quarter, 2025–2029.
        assert_eq!(
            due_for_quarter(&DueBasis::PlanBudget(Some(&plan)), q(2025, 1)),
            Ok(6.0)
        );
        assert_eq!(
            due_for_quarter(&DueBasis::PlanBudget(Some(&plan)), q(2029, 4)),
            Ok(6.0)
        );
        assert_eq!(
            due_for_quarter(&DueBasis::PlanBudget(Some(&plan)), q(2030, 1)),
            Ok(0.0)
        );
        assert_eq!(
            due_for_quarter(&DueBasis::PlanBudget(None), q(2026, 1)),
            Err("无法判定：未登记经批准的矿区生态修复方案".into())
        );
    }

    #[test]
    fn output_value_due_needs_the_report_and_every_coefficient() {
        let mut c = Coefficients::default();
        c.values
            .insert((CoefficientKind::Mineral, "建筑用花岗岩".into()), 0.05);
        c.values
            .insert((CoefficientKind::Method, "露天".into()), 1.0);
        let q = Quarter::new(2026, 2).unwrap();
        let missing = c.product(Some("建筑用花岗岩"), Some("露天"), Some("绥芬河市"));
        assert_eq!(
            missing,
            Err("未设置系数，无法计算应计提金额（地区系数：绥芬河市）".into())
        );
        let basis = DueBasis::OutputValue {
            output_wan_yuan: Some(400.0),
            coefficient: missing,
        };
        assert!(
            due_for_quarter(&basis, q)
                .unwrap_err()
                .starts_with(NO_COEFFICIENT)
        );
        c.values
            .insert((CoefficientKind::Region, "绥芬河市".into()), 0.8);
        let coefficient = c.product(Some("建筑用花岗岩"), Some("露天"), Some("绥芬河市"));
        // 400 × 0.05 × 1.0 × 0.8 = 16.
        let basis = DueBasis::OutputValue {
            output_wan_yuan: Some(400.0),
            coefficient: coefficient.clone(),
        };
        assert_eq!(due_for_quarter(&basis, q), Ok(16.0));
        let basis = DueBasis::OutputValue {
            output_wan_yuan: None,
            coefficient,
        };
        assert_eq!(
            due_for_quarter(&basis, q),
            Err("未报送：2026年第2季度销售收入".into())
        );
        assert!(Coefficients::check(CoefficientKind::Region, "", 1.5).is_err());
    }

    /// The hand-computed table: due 6 万元 a quarter (120 万元 over 5 years) from 2025Q1;
    /// accruals 6, 0, 10, 2, 0, 8, 6, 4 in 2025Q1..2026Q4; one expenditure of 5 in 2025Q3.
    ///
    /// | quarter | due | accrued | cum due | cum accrued | shortfall | balance |
    /// |---------|-----|---------|---------|-------------|-----------|---------|
    /// | 2025Q1  | 6   | 6       | 6       | 6           | 0         | 6       |
    /// | 2025Q2  | 6   | 0       | 12      | 6           | 6         | 6       |
    /// | 2025Q3  | 6   | 10      | 18      | 16          | 2         | 11      |
    /// | 2025Q4  | 6   | 2       | 24      | 18          | 6         | 13      |
    /// | 2026Q1  | 6   | 0       | 30      | 18          | 12        | 13      |
    /// | 2026Q2  | 6   | 8       | 36      | 26          | 10        | 21      |
    /// | 2026Q3  | 6   | 6       | 42      | 32          | 10        | 27      |
    /// | 2026Q4  | 6   | 4       | 48      | 36          | 12        | 31      |
    #[test]
    fn shortfall_over_eight_quarters_matches_the_hand_computed_table() {
        let plan = ApprovedRestorationPlan {
            budget_wan_yuan: 120.0,
            from_year: 2025,
            service_years: 5,
            yearly_restoration_ha: vec![],
        };
        let today = d("2026-12-31");
        let mut l = RestorationFund::default();
        for (date, a) in [
            ("2025-03-28", 6.0),
            ("2025-08-15", 10.0),
            ("2025-12-30", 2.0),
            ("2026-05-20", 8.0),
            ("2026-09-30", 6.0),
            ("2026-12-31", 4.0),
        ] {
            l = l.add(accrual(date, a), today, None).unwrap();
        }
        l = l.add(spend("2025-09-01", 5.0), today, None).unwrap();
        let quarters = Quarter::range(
            Quarter::new(2025, 1).unwrap(),
            Quarter::new(2026, 4).unwrap(),
        );
        let dues: Vec<_> = quarters
            .iter()
            .map(|q| (*q, due_for_quarter(&DueBasis::PlanBudget(Some(&plan)), *q)))
            .collect();
        let table = shortfall_table(&l, &dues);
        let expected: [(f64, f64, f64, f64, f64); 8] = [
            // accrued, cum due, cum accrued, shortfall, balance
            (6.0, 6.0, 6.0, 0.0, 6.0),
            (0.0, 12.0, 6.0, 6.0, 6.0),
            (10.0, 18.0, 16.0, 2.0, 11.0),
            (2.0, 24.0, 18.0, 6.0, 13.0),
            (0.0, 30.0, 18.0, 12.0, 13.0),
            (8.0, 36.0, 26.0, 10.0, 21.0),
            (6.0, 42.0, 32.0, 10.0, 27.0),
            (4.0, 48.0, 36.0, 12.0, 31.0),
        ];
        assert_eq!(table.len(), 8);
        for (row, (acc, cd, ca, s, b)) in table.iter().zip(expected) {
            let q = row.quarter.chinese();
            assert_eq!(row.due, Ok(6.0), "{q}");
            assert_eq!(row.accrued, acc, "{q}");
            assert_eq!(row.cumulative_due, Ok(cd), "{q}");
            assert_eq!(row.cumulative_accrued, ca, "{q}");
            assert_eq!(row.shortfall, Ok(s), "{q}");
            assert_eq!(row.balance, b, "{q}");
        }
        assert!(!table[0].is_short());
        assert!(table[1].is_short());
        assert_eq!(table[2].spent, 5.0);
        // The 2025 public summary: accrued 6 + 10 + 2 = 18, used 5, balance 13, due 24,
        // shortfall at 2025Q4 6.
        let p = public_mine_summary(
            2025,
            today,
            ("某某采石场", "某某公司", "91231081MA1BQF0013"),
            &l,
            Some(&table),
        );
        assert_eq!(p.accrued_wan_yuan, 18.0);
        assert_eq!(p.used_wan_yuan, 5.0);
        assert_eq!(p.balance_wan_yuan, 13.0);
        assert_eq!(p.due_wan_yuan, Reading::Value(24.0));
        assert_eq!(p.shortfall_wan_yuan, Reading::Value(6.0));
        let none = public_mine_summary(2025, today, ("甲", "乙", ""), &l, None);
        assert_eq!(
            none.due_wan_yuan,
            Reading::Missing("无法判定：尚未设定应计提金额的计算方法".into())
        );
    }

    #[test]
    fn an_unknown_due_makes_later_shortfalls_unknown_not_zero() {
        let q1 = Quarter::new(2026, 1).unwrap();
        let q2 = q1.next();
        let q3 = q2.next();
        let dues = vec![
            (q1, Ok(5.0)),
            (q2, Err("未报送：2026年第2季度销售收入".to_string())),
            (q3, Ok(5.0)),
        ];
        let t = shortfall_table(&RestorationFund::default(), &dues);
        assert_eq!(t[0].shortfall, Ok(5.0));
        assert_eq!(t[1].shortfall, Err("未报送：2026年第2季度销售收入".into()));
        assert_eq!(t[2].shortfall, Err("未报送：2026年第2季度销售收入".into()));
    }

    #[test]
    fn order_deadline_counts_working_days_across_the_2026_spring_festival() {
        let cal = WorkCalendar::builtin();
        // Issued Friday 2026-02-06: working days 02-09..02-13 (5), Sat 02-14 (调休, 6),
        // 02-15..02-23 off, 02-24..02-27 (10), Sat 02-28 (调休, 11), 03-02.. (12…).
        // 20 working days: 03-02 is the 12th, …, 03-11 is the 19th, 03-12 the 20th.
        let dl = order_deadline(&cal, d("2026-02-06"), 20);
        assert_eq!(dl.value, d("2026-03-12"));
        assert!(dl.unknown_years.is_empty());
        // Without the holiday it would have been 2026-03-06: the calendar matters.
        assert_ne!(dl.value, d("2026-03-06"));
    }

    #[test]
    fn an_order_is_remedied_by_its_deadline_or_overdue_and_proposed_for_listing() {
        let cal = WorkCalendar::builtin();
        let l = RestorationFund::default()
            .add(accrual("2025-12-20", 4.0), d(TODAY), None)
            .unwrap();
        let dues = vec![(Quarter::new(2025, 4).unwrap(), Ok(10.0))];
        let row = &shortfall_table(&l, &dues)[0];
        assert_eq!(row.shortfall, Ok(6.0));
        let order = RectificationOrder::issue(row, d("2026-02-06"), 20, &cal).unwrap();
        assert_eq!(order.deadline, d("2026-03-12"));
        assert_eq!(order.status(&l, d("2026-03-01")), OrderStatus::Open);
        assert_eq!(order.status(&l, d("2026-03-13")), OrderStatus::Overdue);
        // Made good on the deadline.
        let good = l.add(accrual("2026-03-12", 6.0), d(TODAY), None).unwrap();
        assert_eq!(
            order.status(&good, d("2026-04-01")),
            OrderStatus::Remedied(d("2026-03-12"))
        );
        // Made good one day late: still overdue.
        let late = l.add(accrual("2026-03-13", 6.0), d(TODAY), None).unwrap();
        assert_eq!(order.status(&late, d("2026-04-01")), OrderStatus::Overdue);
        let p = ListingProposal::of(&order, "某某采石场", "某某公司", "91231081MA1B2C3D4E");
        assert_eq!(
            p.reason_text,
            "某某采石场截至2025年第4季度少计提 6 万元，责令限期整改至 2026年3月12日 仍未补足"
        );
        let r = p.to_request("绥自然资罚〔2026〕3号", d("2026-03-20"));
        assert_eq!(r.reason, ListingReason::FundNotAccrued);
        assert_eq!(r.list, HolderList::Abnormal);
        // No order without a shortfall.
        let full = RestorationFund::default()
            .add(accrual("2025-12-20", 10.0), d(TODAY), None)
            .unwrap();
        let none = shortfall_table(&full, &dues);
        let e = RectificationOrder::issue(&none[0], d("2026-04-01"), 20, &cal).unwrap_err();
        assert_eq!(e[0].message, "2025年第4季度没有计提短缺，无需整改");
    }
}
