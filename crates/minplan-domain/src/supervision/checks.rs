//! 检查记录 and 整改 (《规划》四（三）3（3）双随机、一公开; 《矿业权人勘查开采信息管理办法》
//! 自然资源部令第13号: 书面告知 and 整改 on findings): what an inspection of one 抽查对象 found,
//! and the rectification workflow that follows a 责令限期整改 —
//!
//! 已检查 → (any item 责令限期整改) 整改中, 整改期限 = the check date plus *n* working days
//! ([`WorkCalendar::add_working_days`]) → 企业已报送整改报告 → 验收合格 (closed), or
//! 验收不合格 → 整改中 again with a new 整改期限, or 转立案查处.
//!
//! Pure: the functions take the record, the state, the calendar and `today`, and return the
//! new state or the named problems ([`CheckProblem`]); nothing is read or written here.

use crate::calendar::{Counted, WorkCalendar};
use crate::date::Date;
use crate::labels::zh_labels;

/// 检查结论 of one item (and of a record: the most serious of its items, [`Finding::overall`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Finding {
    /// 合格: nothing to correct.
    Compliant,
    /// 责令限期整改: the holder must correct within a 整改期限 (working days).
    Rectify,
    /// 立案查处: a case is opened (《矿产资源法》 and its penalties).
    Investigate,
    /// 移送: handed to the competent authority (another department, or the judicial organs).
    Transfer,
}

zh_labels! {
    Finding, label {
        Compliant => "合格",
        Rectify => "责令限期整改" | "限期整改",
        Investigate => "立案查处",
        Transfer => "移送" | "移送有关部门",
    }
}

impl Finding {
    /// The record's conclusion: the most serious finding of its items (合格 < 责令限期整改 <
    /// 立案查处 < 移送); `None` for no items.
    pub fn overall(items: &[ItemFinding]) -> Option<Finding> {
        items.iter().map(|i| i.finding).max()
    }
}

/// 检查方式 (the 抽查事项清单's 现场 / 书面 / 网络).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CheckMethod {
    /// 现场检查.
    Onsite,
    /// 书面检查 (documents the holder submitted).
    Documents,
    /// 网络检查 (the public 勘查开采信息, remote monitoring).
    Online,
}

zh_labels! {
    CheckMethod, label {
        Onsite => "现场检查" | "现场",
        Documents => "书面检查" | "书面",
        Online => "网络检查" | "网络",
    }
}

/// One item checked: the 抽查事项 (by its 事项编号 and name), the finding and the note
/// (what was seen, the article breached).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ItemFinding {
    /// `inspection_items.code`.
    pub item_code: String,
    /// The item's name as listed.
    pub item_name: String,
    /// 检查结论.
    pub finding: Finding,
    /// 检查情况说明 (required unless 合格).
    pub note: String,
}

/// A check record as entered (检查记录表), before it is saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckDraft {
    /// 检查日期.
    pub check_date: Date,
    /// 检查方式.
    pub method: CheckMethod,
    /// The items checked with their findings.
    pub items: Vec<ItemFinding>,
    /// 到场检查人员: `inspectors.id`, at least two, each assigned to the target.
    pub inspectors: Vec<i64>,
    /// 整改期限 in working days, when an item is 责令限期整改 (ignored otherwise).
    pub rectify_days: Option<i64>,
}

/// A refused input or transition: the field (form field name) and the message in Chinese.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckProblem {
    /// The form field: `check_date`, `inspectors`, `items`, `item:<code>`, `rectify_days`,
    /// `stage`, `date`, ….
    pub field: String,
    /// What is wrong, in Chinese.
    pub message: String,
}

impl CheckProblem {
    fn new(field: impl Into<String>, message: impl Into<String>) -> CheckProblem {
        CheckProblem {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// The longest 整改期限 a form accepts, working days.
pub const MAX_RECTIFY_DAYS: i64 = 120;

/// 执法检查人员 at a check: at least two (《市场监管总局等关于推进双随机一公开的意见》: 检查
/// 人员不少于两人; 《行政处罚法》第四十二条).
pub const MIN_INSPECTORS: usize = 2;

/// Checks a draft against the target: inspectors at least [`MIN_INSPECTORS`], distinct and
/// among `assigned`; at least one item, each among `target_items` (codes) once, a note unless
/// 合格; the check date not after `today`; a 整改期限 of 1..=[`MAX_RECTIFY_DAYS`] working days
/// when an item is 责令限期整改.
///
/// # Errors
/// Every problem found, by field.
pub fn validate(
    draft: &CheckDraft,
    assigned: &[i64],
    target_items: &[String],
    today: Date,
) -> Result<(), Vec<CheckProblem>> {
    let mut p = Vec::new();
    if draft.check_date > today {
        p.push(CheckProblem::new(
            "check_date",
            format!("检查日期 {} 晚于今天", draft.check_date.chinese()),
        ));
    }
    let mut seen = Vec::new();
    for i in &draft.inspectors {
        if seen.contains(i) {
            continue;
        }
        seen.push(*i);
        if !assigned.contains(i) {
            p.push(CheckProblem::new(
                "inspectors",
                "到场检查人员须是抽取并分配给本抽查对象的检查人员",
            ));
        }
    }
    if seen.len() < MIN_INSPECTORS {
        p.push(CheckProblem::new(
            "inspectors",
            format!(
                "到场检查人员不少于 {MIN_INSPECTORS} 人（现为 {} 人）",
                seen.len()
            ),
        ));
    }
    if draft.items.is_empty() {
        p.push(CheckProblem::new("items", "至少填写一项检查事项的结论"));
    }
    let mut codes: Vec<&str> = Vec::new();
    for it in &draft.items {
        let f = format!("item:{}", it.item_code);
        if !target_items.iter().any(|c| c == &it.item_code) {
            p.push(CheckProblem::new(
                f.clone(),
                format!("“{}”不是本抽查对象的检查事项", it.item_name),
            ));
        }
        if codes.contains(&it.item_code.as_str()) {
            p.push(CheckProblem::new(
                f.clone(),
                format!("检查事项“{}”填写了两次", it.item_name),
            ));
        }
        codes.push(&it.item_code);
        if it.finding != Finding::Compliant && it.note.trim().is_empty() {
            p.push(CheckProblem::new(
                f,
                format!(
                    "检查事项“{}”的结论为{}，须写明检查情况",
                    it.item_name,
                    it.finding.label()
                ),
            ));
        }
    }
    if draft.items.iter().any(|i| i.finding == Finding::Rectify) {
        match draft.rectify_days {
            Some(n) if (1..=MAX_RECTIFY_DAYS).contains(&n) => {}
            Some(n) => p.push(CheckProblem::new(
                "rectify_days",
                format!("整改期限 {n} 个工作日应在 1 至 {MAX_RECTIFY_DAYS} 之间"),
            )),
            None => p.push(CheckProblem::new(
                "rectify_days",
                "有责令限期整改的事项，须填写整改期限（工作日）",
            )),
        }
    }
    if p.is_empty() { Ok(()) } else { Err(p) }
}

/// Where a check record stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Stage {
    /// 已检查: no item to rectify (合格, or 立案查处 / 移送 handled elsewhere).
    Checked,
    /// 整改中: a 整改期限 runs.
    Rectifying,
    /// 企业已报送整改报告: waiting for the inspector's 验收.
    Reported,
    /// 验收合格: closed.
    Accepted,
    /// 验收不合格，转立案查处: closed here, the case goes on.
    Escalated,
}

zh_labels! {
    Stage, label {
        Checked => "已检查",
        Rectifying => "整改中",
        Reported => "企业已报送整改报告",
        Accepted => "验收合格",
        Escalated => "验收不合格，转立案查处",
    }
}

/// The rectification state of a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rectification {
    /// Where it stands.
    pub stage: Stage,
    /// 整改期限 in force (the last one set), when one was set.
    pub deadline: Option<Date>,
    /// 整改轮次: 1 after the check, +1 after each 验收不合格 with a new deadline; 0 when none.
    pub round: u32,
}

/// The state right after the check: 整改中 with the deadline `check_date` + `rectify_days`
/// working days when an item is 责令限期整改, else 已检查. The deadline is [`Counted`]: its
/// `note()` names a year the calendar does not hold.
pub fn after_check(draft: &CheckDraft, cal: &WorkCalendar) -> Counted<Rectification> {
    if draft.items.iter().any(|i| i.finding == Finding::Rectify) {
        let d = cal.add_working_days(draft.check_date, draft.rectify_days.unwrap_or(0));
        Counted {
            value: Rectification {
                stage: Stage::Rectifying,
                deadline: Some(d.value),
                round: 1,
            },
            unknown_years: d.unknown_years,
        }
    } else {
        Counted {
            value: Rectification {
                stage: Stage::Checked,
                deadline: None,
                round: 0,
            },
            unknown_years: vec![],
        }
    }
}

/// The company's 整改报告 received on `date`: 整改中 → 企业已报送整改报告 (a late report is
/// taken, and stays late: [`is_late`]).
///
/// # Errors
/// Not 整改中; an empty report; a date before the check.
pub fn report(
    state: &Rectification,
    check_date: Date,
    date: Date,
    text: &str,
) -> Result<Rectification, Vec<CheckProblem>> {
    let mut p = Vec::new();
    if state.stage != Stage::Rectifying {
        p.push(CheckProblem::new(
            "stage",
            format!("当前状态为“{}”，无需报送整改报告", state.stage.label()),
        ));
    }
    if text.trim().is_empty() {
        p.push(CheckProblem::new("text", "请填写整改情况"));
    }
    if date < check_date {
        p.push(CheckProblem::new("date", "报送日期早于检查日期"));
    }
    if !p.is_empty() {
        return Err(p);
    }
    Ok(Rectification {
        stage: Stage::Reported,
        ..state.clone()
    })
}

/// The inspector's 验收 decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Acceptance {
    /// 验收合格.
    Passed,
    /// 验收不合格, a new 整改期限 of so many working days from the 验收 date.
    FailedRetry(i64),
    /// 验收不合格, 转立案查处.
    FailedEscalate,
}

/// 验收 on `date`: 企业已报送整改报告 → 验收合格 / 整改中 (new deadline) / 转立案查处.
///
/// # Errors
/// Not 企业已报送整改报告; a new period outside 1..=[`MAX_RECTIFY_DAYS`].
pub fn accept(
    state: &Rectification,
    date: Date,
    decision: Acceptance,
    cal: &WorkCalendar,
) -> Result<Counted<Rectification>, Vec<CheckProblem>> {
    if state.stage != Stage::Reported {
        return Err(vec![CheckProblem::new(
            "stage",
            format!(
                "当前状态为“{}”，企业报送整改报告后才能验收",
                state.stage.label()
            ),
        )]);
    }
    let exact = |r: Rectification| Counted {
        value: r,
        unknown_years: vec![],
    };
    match decision {
        Acceptance::Passed => Ok(exact(Rectification {
            stage: Stage::Accepted,
            ..state.clone()
        })),
        Acceptance::FailedEscalate => Ok(exact(Rectification {
            stage: Stage::Escalated,
            ..state.clone()
        })),
        Acceptance::FailedRetry(n) if (1..=MAX_RECTIFY_DAYS).contains(&n) => {
            let d = cal.add_working_days(date, n);
            Ok(Counted {
                value: Rectification {
                    stage: Stage::Rectifying,
                    deadline: Some(d.value),
                    round: state.round + 1,
                },
                unknown_years: d.unknown_years,
            })
        }
        Acceptance::FailedRetry(n) => Err(vec![CheckProblem::new(
            "rectify_days",
            format!("新的整改期限 {n} 个工作日应在 1 至 {MAX_RECTIFY_DAYS} 之间"),
        )]),
    }
}

/// Overdue: 整改中 and `today` is after the 整改期限 without a report.
pub fn is_overdue(state: &Rectification, today: Date) -> bool {
    state.stage == Stage::Rectifying && state.deadline.is_some_and(|d| today > d)
}

/// A report received after the deadline in force.
pub fn is_late(state: &Rectification, reported_on: Date) -> bool {
    state.deadline.is_some_and(|d| reported_on > d)
}

/// Working days within which a running deadline is reminded.
pub const REMIND_WITHIN_WORKING_DAYS: i64 = 5;

/// A deadline to remind of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadlineReminder {
    /// The 整改期限.
    pub deadline: Date,
    /// 逾期 (today after the deadline).
    pub overdue: bool,
    /// Working days after today up to the deadline (0 when due today or overdue); for an
    /// overdue one, the working days it is late.
    pub working_days: Counted<i64>,
}

impl DeadlineReminder {
    /// `剩余 3 个工作日` / `今日到期` / `已逾期 2 个工作日`, with the calendar's note when a
    /// year is not held.
    pub fn text(&self) -> String {
        let base = if self.overdue {
            format!("已逾期 {} 个工作日", self.working_days.value)
        } else if self.working_days.value == 0 {
            "今日到期".to_string()
        } else {
            format!("剩余 {} 个工作日", self.working_days.value)
        };
        match self.working_days.note() {
            Some(n) => format!("{base}（{n}）"),
            None => base,
        }
    }
}

/// The reminder of a record on `today`: 整改中 with the deadline within
/// [`REMIND_WITHIN_WORKING_DAYS`] working days, or overdue; `None` otherwise.
pub fn reminder(
    state: &Rectification,
    today: Date,
    cal: &WorkCalendar,
) -> Option<DeadlineReminder> {
    if state.stage != Stage::Rectifying {
        return None;
    }
    let deadline = state.deadline?;
    if today > deadline {
        return Some(DeadlineReminder {
            deadline,
            overdue: true,
            working_days: cal.working_days_between(deadline, today),
        });
    }
    let left = cal.working_days_between(today, deadline);
    (left.value <= REMIND_WITHIN_WORKING_DAYS).then_some(DeadlineReminder {
        deadline,
        overdue: false,
        working_days: left,
    })
}

/// 整改结果 as published: how the record ended or stands.
pub fn outcome_label(state: &Rectification, finding: Option<Finding>) -> &'static str {
    match state.stage {
        Stage::Checked => match finding {
            Some(Finding::Investigate) => "已立案查处",
            Some(Finding::Transfer) => "已移送",
            _ => "无需整改",
        },
        Stage::Rectifying => "整改中",
        Stage::Reported => "已报送整改报告，待验收",
        Stage::Accepted => "整改验收合格",
        Stage::Escalated => "整改验收不合格，已转立案查处",
    }
}

/// One item of a published check result.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PublicItem {
    /// 抽查事项.
    pub item: String,
    /// 检查结论 (合格 / 责令限期整改 / 立案查处 / 移送).
    pub finding: String,
}

/// A check result as the public sees it (双随机一公开: 抽查结果 within 20 working days):
/// the holder, the licence, the items and findings, the date, the outcome — never an
/// inspector's name or number, nor anyone's phone or ID number.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PublicCheckResult {
    /// 矿业权人.
    pub holder_name: String,
    /// 许可证号.
    pub licence_no: String,
    /// 抽查事项 and their findings.
    pub items: Vec<PublicItem>,
    /// 检查结论 of the record (the most serious of its items).
    pub finding: String,
    /// 检查日期.
    pub check_date: Date,
    /// 整改结果 ([`outcome_label`]).
    pub outcome: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn item(code: &str, finding: Finding, note: &str) -> ItemFinding {
        ItemFinding {
            item_code: code.into(),
            item_name: format!("事项{code}"),
            finding,
            note: note.into(),
        }
    }

    fn draft(items: Vec<ItemFinding>, inspectors: Vec<i64>) -> CheckDraft {
        CheckDraft {
            check_date: d("2026-02-10"),
            method: CheckMethod::Onsite,
            items,
            inspectors,
            rectify_days: Some(10),
        }
    }

    #[test]
    fn labels_round_trip() {
        assert_eq!(Finding::parse("责令限期整改"), Some(Finding::Rectify));
        assert_eq!(Finding::Transfer.label(), "移送");
        assert_eq!(
            serde_json::to_string(&Finding::Investigate).unwrap(),
            "\"立案查处\""
        );
        assert_eq!(CheckMethod::parse("现场"), Some(CheckMethod::Onsite));
        assert_eq!(Stage::Reported.label(), "企业已报送整改报告");
    }

    #[test]
    fn one_inspector_or_an_unassigned_one_is_refused() {
        let items = vec!["A".to_string()];
        let one = draft(vec![item("A", Finding::Compliant, "")], vec![1]);
        let e = validate(&one, &[1, 2], &items, d("2026-03-01")).unwrap_err();
        assert!(
            e.iter()
                .any(|p| p.field == "inspectors" && p.message.contains("不少于 2 人（现为 1 人）"))
        );
        // The same person twice is one person.
        let twice = draft(vec![item("A", Finding::Compliant, "")], vec![1, 1]);
        assert!(validate(&twice, &[1, 2], &items, d("2026-03-01")).is_err());
        let stranger = draft(vec![item("A", Finding::Compliant, "")], vec![1, 3]);
        let e = validate(&stranger, &[1, 2], &items, d("2026-03-01")).unwrap_err();
        assert_eq!(e.len(), 1);
        assert!(e[0].message.contains("分配给本抽查对象"));
        let ok = draft(vec![item("A", Finding::Compliant, "")], vec![1, 2]);
        assert_eq!(validate(&ok, &[1, 2], &items, d("2026-03-01")), Ok(()));
    }

    #[test]
    fn findings_other_than_compliant_need_a_note_and_rectify_needs_days() {
        let items = vec!["A".to_string(), "B".to_string()];
        let mut dr = draft(
            vec![
                item("A", Finding::Rectify, ""),
                item("C", Finding::Compliant, ""),
            ],
            vec![1, 2],
        );
        dr.rectify_days = None;
        let e = validate(&dr, &[1, 2], &items, d("2026-03-01")).unwrap_err();
        let fields: Vec<&str> = e.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, vec!["item:A", "item:C", "rectify_days"]);
        let mut late = draft(vec![item("A", Finding::Compliant, "")], vec![1, 2]);
        late.check_date = d("2026-03-02");
        assert_eq!(
            validate(&late, &[1, 2], &items, d("2026-03-01")).unwrap_err()[0].field,
            "check_date"
        );
    }

    #[test]
    fn the_deadline_counts_working_days_across_spring_festival_2026() {
        let cal = WorkCalendar::builtin();
        // Checked Tuesday 2026-02-10; 10 working days: 11, 12, 13, Sat 14 (调休), 24, 25, 26,
        // 27, Sat 28 (调休), Mon 3-2.
        let dr = draft(vec![item("A", Finding::Rectify, "未按期公示")], vec![1, 2]);
        let s = after_check(&dr, &cal);
        assert_eq!(s.value.stage, Stage::Rectifying);
        assert_eq!(s.value.deadline, Some(d("2026-03-02")));
        assert_eq!(s.note(), None);
        // A year not in the calendar is named.
        let mut later = dr.clone();
        later.check_date = d("2027-06-01");
        assert_eq!(
            after_check(&later, &cal).note().as_deref(),
            Some("2027年节假日安排未录入，按周一至周五计")
        );
    }

    #[test]
    fn the_workflow_from_check_to_acceptance() {
        let cal = WorkCalendar::builtin();
        let dr = draft(vec![item("A", Finding::Rectify, "x")], vec![1, 2]);
        let s = after_check(&dr, &cal).value;
        // Accepting before a report is refused.
        assert!(accept(&s, d("2026-02-20"), Acceptance::Passed, &cal).is_err());
        assert!(report(&s, dr.check_date, d("2026-02-26"), " ").is_err());
        let r = report(&s, dr.check_date, d("2026-02-26"), "已整改").unwrap();
        assert_eq!(r.stage, Stage::Reported);
        assert!(!is_late(&r, d("2026-02-26")));
        // Failed, a new 5 working days from Friday 2026-02-27: Sat 28 (调休), 3-2..3-5.
        let again = accept(&r, d("2026-02-27"), Acceptance::FailedRetry(5), &cal)
            .unwrap()
            .value;
        assert_eq!(again.stage, Stage::Rectifying);
        assert_eq!(again.deadline, Some(d("2026-03-05")));
        assert_eq!(again.round, 2);
        assert!(is_overdue(&again, d("2026-03-06")));
        assert!(!is_overdue(&again, d("2026-03-05")));
        let r2 = report(&again, dr.check_date, d("2026-03-04"), "再次整改").unwrap();
        let done = accept(&r2, d("2026-03-05"), Acceptance::Passed, &cal)
            .unwrap()
            .value;
        assert_eq!(done.stage, Stage::Accepted);
        assert_eq!(outcome_label(&done, Some(Finding::Rectify)), "整改验收合格");
        assert!(report(&done, dr.check_date, d("2026-03-06"), "x").is_err());
        let esc = accept(&r2, d("2026-03-05"), Acceptance::FailedEscalate, &cal)
            .unwrap()
            .value;
        assert_eq!(esc.stage, Stage::Escalated);
    }

    #[test]
    fn reminders_within_five_working_days_or_overdue() {
        let cal = WorkCalendar::builtin();
        let s = Rectification {
            stage: Stage::Rectifying,
            deadline: Some(d("2026-03-02")),
            round: 1,
        };
        // From Friday 2026-02-13: 14 (调休), 24, 25, 26, 27, 28 (调休), 3-2 = 7 working days.
        assert_eq!(reminder(&s, d("2026-02-13"), &cal), None);
        let r = reminder(&s, d("2026-02-24"), &cal).unwrap();
        assert_eq!(r.working_days.value, 5);
        assert_eq!(r.text(), "剩余 5 个工作日");
        assert_eq!(
            reminder(&s, d("2026-03-02"), &cal).unwrap().text(),
            "今日到期"
        );
        let o = reminder(&s, d("2026-03-04"), &cal).unwrap();
        assert!(o.overdue);
        assert_eq!(o.text(), "已逾期 2 个工作日");
        let closed = Rectification {
            stage: Stage::Accepted,
            ..s
        };
        assert_eq!(reminder(&closed, d("2026-03-04"), &cal), None);
    }

    #[test]
    fn overall_finding_is_the_most_serious() {
        let items = vec![
            item("A", Finding::Compliant, ""),
            item("B", Finding::Investigate, "x"),
            item("C", Finding::Rectify, "y"),
        ];
        assert_eq!(Finding::overall(&items), Some(Finding::Investigate));
        assert_eq!(Finding::overall(&[]), None);
    }
}
