//! 联合审查 (joint review) of a right to be granted, between the 规划符合性审查 and the 出让.
//!
//! Source: 《规划》四（三）3（1）全面加强规划管控：“拟出让矿业权项目报同级人民政府同意，由政府组织
//! 自然资源、生态环境等相关部门联合审查，共同会商，经现场踏查依法依规据实划定开采范围。”
//!
//! **Which applications need it** ([`required`]): the 新立 applications
//! ([`ApplicationKind::New`]) of 探矿权 and 采矿权 — the only ones granted (出让) in the
//! register, so the only 拟出让矿业权项目 of the sentence above. 延续, 变更, 转让 grant no new
//! right; 探转采 turns the holder's own exploration right into a mining right (no 出让 is
//! recorded for it, [`super::register`]). They need no joint review.
//!
//! **The record** ([`JointReview`]): the departments asked (默认 [`DEFAULT_DEPARTMENTS`],
//! editable when it starts), each department's opinion ([`DepartmentAnswer`]: 同意 /
//! 附条件同意 / 不同意 with its conditions or reasons and an attachment), the 现场踏查 record
//! ([`SiteVisit`]), an adjusted extent when the walk changed the corners ([`AdjustedExtent`]),
//! the re-review of the application with that extent ([`ReReview`]) and the government's
//! 同意 ([`Consent`]).
//!
//! **Completion** ([`completion`]): every department answered; no 不同意 (each named); a
//! 踏查 record; an adjusted extent has a later conformity review of the application with
//! exactly that extent, concluded 符合; the government's 同意 recorded, not dated before the
//! 踏查. The 附条件同意 conditions are carried into the result ([`Completed::conditions`])
//! and so into the 联合审查意见. The grant of an application that needs it is refused until
//! it is complete ([`grant_gate`]).
//!
//! Pure: the caller passes `today`; file bytes are only looked at ([`file_kind`]).

use super::{ApplicationFacts, MAX_TEXT_CHARS, Problem, not_future};
use crate::application::ApplicationKind;
use crate::date::Date;
use crate::labels::zh_labels;
use crate::review::Conclusion;
use serde::Serialize;

/// The departments asked when the bureau does not change the list (《规划》四（三）3（1）
/// names 自然资源 and 生态环境 “等相关部门”; 林业和草原, 水利 and 应急管理 are the county
/// departments whose land, water and safety a mine's extent touches).
pub const DEFAULT_DEPARTMENTS: &[&str] =
    &["自然资源", "生态环境", "林业和草原", "水利", "应急管理"];

/// Most departments one joint review asks.
pub const MAX_DEPARTMENTS: usize = 30;

/// Largest attachment or photo, bytes (10 MB).
pub const MAX_FILE_BYTES: usize = crate::attachment::MAX_ATTACHMENT_BYTES;

/// Whether an application of `kind` needs a joint review before its grant (see the module
/// documentation: only 新立 is granted).
pub fn required(kind: ApplicationKind) -> bool {
    kind == ApplicationKind::New
}

/// A department's opinion (部门意见).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opinion {
    /// 同意.
    Agree,
    /// 附条件同意 (its conditions are carried into the result).
    AgreeWithConditions,
    /// 不同意 (blocks the joint review).
    Disagree,
}

zh_labels! {
    Opinion, label {
        Agree => "同意",
        AgreeWithConditions => "附条件同意",
        Disagree => "不同意",
    }
}

/// One department's answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DepartmentAnswer {
    /// The opinion.
    pub opinion: Opinion,
    /// 附条件同意: the conditions (required); 不同意: the reasons (required); 同意: remarks.
    pub conditions: Option<String>,
    /// 意见日期 (the date on the department's reply).
    pub date: Date,
    /// The attachment's file name (the reply as scanned), if one was given.
    pub attachment: Option<String>,
}

/// A department asked, with its answer once given.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Department {
    /// The department's name (自然资源, 生态环境, …).
    pub name: String,
    /// Its answer; `None` = 未回复.
    pub answer: Option<DepartmentAnswer>,
}

/// The 现场踏查 record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SiteVisit {
    /// 踏查日期.
    pub date: Date,
    /// 参加人员 (names and departments, as written).
    pub people: String,
    /// 踏查情况 (findings).
    pub findings: String,
    /// The photos' file names.
    pub photos: Vec<String>,
}

/// The extent as adjusted by the 踏查: new corner coordinates (as the 申请受理 form takes
/// them), which must be reviewed again.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AdjustedExtent {
    /// 拐点坐标 as entered.
    pub corners_text: String,
    /// EPSG code, when stated.
    pub crs: Option<u32>,
    /// The application's latest review when the extent was recorded: the re-review must be
    /// a later one.
    pub base_review_id: i64,
    /// 调整日期.
    pub date: Date,
}

/// The application's latest review, as it bears on an adjusted extent.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReReview {
    /// 审查记录 id.
    pub review_id: i64,
    /// Its conclusion.
    pub conclusion: Conclusion,
    /// Whether it reviewed exactly the adjusted extent's coordinates (the caller compares).
    pub same_extent: bool,
}

/// The government's 同意.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Consent {
    /// 同意日期.
    pub date: Date,
    /// 文号 (e.g. 绥政函〔2026〕12号).
    pub document_number: String,
}

/// A joint review as recorded.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JointReview {
    /// 申请编号.
    pub application: String,
    /// 启动日期.
    pub started_on: Date,
    /// The departments asked, in the order they were listed.
    pub departments: Vec<Department>,
    /// The 现场踏查 record.
    pub site_visit: Option<SiteVisit>,
    /// The adjusted extent, when the 踏查 changed it.
    pub adjusted: Option<AdjustedExtent>,
    /// The application's latest review when it is later than the adjusted extent's base.
    pub rereview: Option<ReReview>,
    /// The government's 同意.
    pub consent: Option<Consent>,
}

/// A completed joint review's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Completed {
    /// (department, conditions) of every 附条件同意, in the departments' order.
    pub conditions: Vec<(String, String)>,
    /// The re-review of an adjusted extent, when there was one.
    pub rereview_id: Option<i64>,
}

fn text_required(field: &str, label: &str, s: &str, p: &mut Vec<Problem>) {
    let n = s.trim().chars().count();
    if n == 0 {
        p.push(Problem::new(field, format!("请填写{label}")));
    } else if n > MAX_TEXT_CHARS {
        p.push(Problem::new(
            field,
            format!("{label}过长（{n} 个字符，最多 {MAX_TEXT_CHARS} 个）"),
        ));
    }
}

/// Checks the departments a joint review starts with: at least one, none empty or repeated,
/// each at most 50 characters, at most [`MAX_DEPARTMENTS`]. Returns them trimmed.
///
/// # Errors
/// Every [`Problem`] (field `departments`).
pub fn check_departments(names: &[String]) -> Result<Vec<String>, Vec<Problem>> {
    let mut p = Vec::new();
    let mut out: Vec<String> = Vec::new();
    for (i, n) in names.iter().enumerate() {
        let n = n.trim();
        if n.is_empty() {
            continue;
        }
        if n.chars().count() > 50 {
            p.push(Problem::new(
                "departments",
                format!("第 {} 个部门名称过长（最多 50 个字符）", i + 1),
            ));
        } else if out.iter().any(|o| o == n) {
            p.push(Problem::new("departments", format!("部门“{n}”重复")));
        } else {
            out.push(n.to_string());
        }
    }
    if out.is_empty() && p.is_empty() {
        p.push(Problem::new(
            "departments",
            "请至少列出一个参加联合审查的部门",
        ));
    }
    if out.len() > MAX_DEPARTMENTS {
        p.push(Problem::new(
            "departments",
            format!("部门过多（{} 个，最多 {MAX_DEPARTMENTS} 个）", out.len()),
        ));
    }
    if p.is_empty() { Ok(out) } else { Err(p) }
}

/// Checks a department's answer: the date not after `today` nor before the joint review
/// started; conditions required for 附条件同意, reasons for 不同意.
///
/// # Errors
/// Every [`Problem`] (fields `date`, `conditions`).
pub fn check_answer(
    jr: &JointReview,
    department: &str,
    a: &DepartmentAnswer,
    today: Date,
) -> Result<(), Vec<Problem>> {
    let mut p = Vec::new();
    if !jr.departments.iter().any(|d| d.name == department) {
        p.push(Problem::new(
            "department",
            format!(
                "部门“{department}”不在申请 {} 的联合审查部门中",
                jr.application
            ),
        ));
    }
    not_future("date", a.date, today, &mut p);
    if a.date < jr.started_on {
        p.push(Problem::new(
            "date",
            format!("意见日期 {} 早于联合审查启动日期 {}", a.date, jr.started_on),
        ));
    }
    let c = a.conditions.as_deref().unwrap_or("");
    match a.opinion {
        Opinion::AgreeWithConditions => text_required("conditions", "所附条件", c, &mut p),
        Opinion::Disagree => text_required("conditions", "不同意的理由", c, &mut p),
        Opinion::Agree if c.chars().count() > MAX_TEXT_CHARS => {
            text_required("conditions", "意见说明", c, &mut p)
        }
        Opinion::Agree => {}
    }
    if p.is_empty() { Ok(()) } else { Err(p) }
}

/// Checks the 现场踏查 record: dated not after `today` nor before the start; people and
/// findings written.
///
/// # Errors
/// Every [`Problem`] (fields `date`, `people`, `findings`).
pub fn check_site_visit(jr: &JointReview, v: &SiteVisit, today: Date) -> Result<(), Vec<Problem>> {
    let mut p = Vec::new();
    not_future("date", v.date, today, &mut p);
    if v.date < jr.started_on {
        p.push(Problem::new(
            "date",
            format!("踏查日期 {} 早于联合审查启动日期 {}", v.date, jr.started_on),
        ));
    }
    text_required("people", "参加踏查人员", &v.people, &mut p);
    text_required("findings", "踏查情况", &v.findings, &mut p);
    if p.is_empty() { Ok(()) } else { Err(p) }
}

/// Checks an adjusted extent's record: a 踏查 recorded first (the adjustment comes from it),
/// dated not before the 踏查 nor after `today`, corners given. (The corners themselves are
/// checked by the application parser, as on the 申请受理 form.)
///
/// # Errors
/// Every [`Problem`] (fields `date`, `corners`).
pub fn check_adjusted(
    jr: &JointReview,
    a: &AdjustedExtent,
    today: Date,
) -> Result<(), Vec<Problem>> {
    let mut p = Vec::new();
    not_future("date", a.date, today, &mut p);
    match &jr.site_visit {
        None => p.push(Problem::new(
            "corners",
            "尚未记录现场踏查：开采范围按踏查调整，请先记录踏查情况",
        )),
        Some(v) if a.date < v.date => p.push(Problem::new(
            "date",
            format!("调整日期 {} 早于踏查日期 {}", a.date, v.date),
        )),
        Some(_) => {}
    }
    if a.corners_text.trim().is_empty() {
        p.push(Problem::new("corners", "请粘贴调整后的拐点坐标"));
    }
    if p.is_empty() { Ok(()) } else { Err(p) }
}

/// Checks the government's 同意: dated not after `today`, not before the 踏查 (which must
/// be recorded), with its 文号.
///
/// # Errors
/// Every [`Problem`] (fields `date`, `document_number`).
pub fn check_consent(jr: &JointReview, c: &Consent, today: Date) -> Result<(), Vec<Problem>> {
    let mut p = Vec::new();
    not_future("date", c.date, today, &mut p);
    match &jr.site_visit {
        None => p.push(Problem::new(
            "date",
            "尚未记录现场踏查：政府同意应在联合审查、现场踏查之后",
        )),
        Some(v) if c.date < v.date => p.push(Problem::new(
            "date",
            format!("同意日期 {} 早于踏查日期 {}", c.date, v.date),
        )),
        Some(_) => {}
    }
    text_required(
        "document_number",
        "政府同意文号",
        &c.document_number,
        &mut p,
    );
    if c.document_number.trim().chars().count() > 100 {
        p.push(Problem::new(
            "document_number",
            "文号过长（最多 100 个字符）",
        ));
    }
    if p.is_empty() { Ok(()) } else { Err(p) }
}

/// What is missing for the joint review to be complete, or its result.
///
/// # Errors
/// Every [`Problem`] (field `joint_review`), each naming what is missing: a department not
/// answered, a 不同意 (with the department and its reasons), no 踏查 record, an adjusted
/// extent not re-reviewed or re-reviewed 不符合 / 基本符合（需人工核查）, no government 同意.
pub fn completion(jr: &JointReview) -> Result<Completed, Vec<Problem>> {
    let mut p = Vec::new();
    let f = "joint_review";
    let waiting: Vec<&str> = jr
        .departments
        .iter()
        .filter(|d| d.answer.is_none())
        .map(|d| d.name.as_str())
        .collect();
    if !waiting.is_empty() {
        p.push(Problem::new(
            f,
            format!("联合审查部门尚未回复意见：{}", waiting.join("、")),
        ));
    }
    for d in &jr.departments {
        if let Some(a) = &d.answer
            && a.opinion == Opinion::Disagree
        {
            p.push(Problem::new(
                f,
                format!(
                    "{}部门不同意：{}",
                    d.name,
                    a.conditions.as_deref().unwrap_or("").trim()
                ),
            ));
        }
    }
    if jr.site_visit.is_none() {
        p.push(Problem::new(f, "尚未记录现场踏查"));
    }
    let mut rereview_id = None;
    if let Some(adj) = &jr.adjusted {
        match &jr.rereview {
            Some(r) if r.review_id > adj.base_review_id && r.same_extent => match r.conclusion {
                Conclusion::Conforming => rereview_id = Some(r.review_id),
                Conclusion::ConformingPendingCheck => p.push(Problem::new(
                    f,
                    format!(
                        "调整后的开采范围重新审查（审查记录 #{}）结论为基本符合（需人工核查），须核查后再次审查为符合",
                        r.review_id
                    ),
                )),
                Conclusion::NonConforming => p.push(Problem::new(
                    f,
                    format!(
                        "调整后的开采范围重新审查（审查记录 #{}）结论为不符合",
                        r.review_id
                    ),
                )),
            },
            _ => p.push(Problem::new(
                f,
                "踏查调整了开采范围，调整后的范围尚未重新进行规划符合性审查",
            )),
        }
    }
    if jr.consent.is_none() {
        p.push(Problem::new(f, "尚未记录人民政府同意（日期、文号）"));
    }
    if !p.is_empty() {
        return Err(p);
    }
    Ok(Completed {
        conditions: jr
            .departments
            .iter()
            .filter_map(|d| {
                let a = d.answer.as_ref()?;
                (a.opinion == Opinion::AgreeWithConditions).then(|| {
                    (
                        d.name.clone(),
                        a.conditions.as_deref().unwrap_or("").trim().to_string(),
                    )
                })
            })
            .collect(),
        rereview_id,
    })
}

/// The grant's joint-review precondition: an application that needs a joint review
/// ([`required`]) is granted only after it is complete ([`completion`]), on or after the
/// government's 同意 (`grant_date` is the grant's date).
///
/// # Errors
/// Every [`Problem`] (field `joint_review`, or `date` for a grant before the 同意): none
/// started, or what is missing.
pub fn grant_gate(
    app: &ApplicationFacts,
    jr: Option<&JointReview>,
    grant_date: Date,
) -> Result<(), Vec<Problem>> {
    if !required(app.kind) {
        return Ok(());
    }
    match jr {
        None => Err(vec![Problem::new(
            "joint_review",
            format!(
                "申请 {} 尚未进行联合审查：拟出让矿业权须经人民政府组织有关部门联合审查、现场踏查并经政府同意后方可出让（《规划》四（三）3（1））",
                app.number
            ),
        )]),
        Some(jr) => match completion(jr) {
            Err(mut p) => {
                p.insert(
                    0,
                    Problem::new(
                        "joint_review",
                        format!("申请 {} 的联合审查尚未完成，不能记录出让：", app.number),
                    ),
                );
                Err(p)
            }
            Ok(_) => match &jr.consent {
                Some(c) if grant_date < c.date => Err(vec![Problem::new(
                    "date",
                    format!(
                        "出让日期 {grant_date} 早于人民政府同意日期 {}（{}）",
                        c.date, c.document_number
                    ),
                )]),
                _ => Ok(()),
            },
        },
    }
}

/// The kind of an uploaded attachment or photo by its first bytes: `image/jpeg`,
/// `image/png` or `application/pdf`; `None` for anything else (the name's extension is not
/// trusted).
pub fn file_kind(bytes: &[u8]) -> Option<&'static str> {
    crate::attachment::AttachmentKind::of(bytes).map(|k| k.mime())
}

/// Checks an uploaded file: not empty, at most [`MAX_FILE_BYTES`], a JPEG, PNG or PDF by
/// its content. Returns its media type.
///
/// # Errors
/// The Chinese message naming the file.
pub fn check_file(name: &str, bytes: &[u8]) -> Result<&'static str, String> {
    if bytes.is_empty() {
        return Err(format!("文件“{name}”为空"));
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(format!(
            "文件“{name}”过大（{:.1} MB，上限 10 MB）",
            bytes.len() as f64 / 1024.0 / 1024.0
        ));
    }
    file_kind(bytes).ok_or_else(|| format!("文件“{name}”不是 JPG、PNG 图片或 PDF 文件"))
}

/// The application file of the re-review: the application's reviewed file (`toml`) with its
/// `[coordinates]` replaced by the adjusted extent's (pasted text, and its EPSG code when
/// stated) and its `declared_area` removed (the 申报面积 was the old extent's). The corners
/// are then checked by the application parser as any application's.
///
/// # Errors
/// The Chinese message when `toml` cannot be read as TOML.
pub fn rereview_file(toml_text: &str, a: &AdjustedExtent) -> Result<String, String> {
    let mut doc: toml::Table = toml_text
        .parse()
        .map_err(|e| format!("原申请文件无法读取：{e}"))?;
    let mut coords = toml::Table::new();
    coords.insert("text".into(), toml::Value::String(a.corners_text.clone()));
    if let Some(crs) = a.crs {
        coords.insert("crs".into(), toml::Value::Integer(i64::from(crs)));
    }
    if let Some(datum) = doc.get("coordinates").and_then(|c| c.get("datum")).cloned() {
        coords.insert("datum".into(), datum);
    }
    doc.insert("coordinates".into(), toml::Value::Table(coords));
    doc.remove("declared_area");
    toml::to_string(&doc).map_err(|e| format!("重新审查的申请文件无法生成：{e}"))
}

/// Whether a reviewed application file (`toml`) states exactly the adjusted extent's
/// corners: the same pasted text (lines compared with their surrounding blanks and empty
/// lines ignored) and the same EPSG code.
pub fn same_extent(toml_text: &str, a: &AdjustedExtent) -> bool {
    let Ok(doc) = toml_text.parse::<toml::Table>() else {
        return false;
    };
    let Some(c) = doc.get("coordinates") else {
        return false;
    };
    let norm = |s: &str| {
        s.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let text = c.get("text").and_then(|t| t.as_str()).map(norm);
    let crs = c.get("crs").and_then(|v| v.as_integer());
    text.as_deref() == Some(norm(&a.corners_text).as_str()) && crs == a.crs.map(i64::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn answer(o: Opinion, c: Option<&str>) -> Option<DepartmentAnswer> {
        Some(DepartmentAnswer {
            opinion: o,
            conditions: c.map(str::to_string),
            date: d("2026-10-10"),
            attachment: None,
        })
    }

    fn complete() -> JointReview {
        JointReview {
            application: "SFH-2026-001".into(),
            started_on: d("2026-10-01"),
            departments: vec![
                Department {
                    name: "自然资源".into(),
                    answer: answer(Opinion::Agree, None),
                },
                Department {
                    name: "生态环境".into(),
                    answer: answer(Opinion::AgreeWithConditions, Some("避开水源保护区")),
                },
            ],
            site_visit: Some(SiteVisit {
                date: d("2026-10-12"),
                people: "张三（自然资源局）".into(),
                findings: "现场与拐点一致".into(),
                photos: vec![],
            }),
            adjusted: None,
            rereview: None,
            consent: Some(Consent {
                date: d("2026-10-20"),
                document_number: "绥政函〔2026〕12号".into(),
            }),
        }
    }

    #[test]
    fn complete_carries_conditions() {
        let c = completion(&complete()).unwrap();
        assert_eq!(
            c.conditions,
            vec![("生态环境".to_string(), "避开水源保护区".to_string())]
        );
        assert_eq!(c.rereview_id, None);
    }

    #[test]
    fn unanswered_department_named() {
        let mut jr = complete();
        jr.departments.push(Department {
            name: "水利".into(),
            answer: None,
        });
        let p = completion(&jr).unwrap_err();
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].message, "联合审查部门尚未回复意见：水利");
    }

    #[test]
    fn disagreement_blocks_and_is_named() {
        let mut jr = complete();
        jr.departments[0].answer = answer(Opinion::Disagree, Some("压覆基本农田"));
        let p = completion(&jr).unwrap_err();
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].message, "自然资源部门不同意：压覆基本农田");
    }

    #[test]
    fn site_visit_and_consent_required() {
        let mut jr = complete();
        jr.site_visit = None;
        jr.consent = None;
        let msgs: Vec<String> = completion(&jr)
            .unwrap_err()
            .into_iter()
            .map(|p| p.message)
            .collect();
        assert_eq!(
            msgs,
            vec!["尚未记录现场踏查", "尚未记录人民政府同意（日期、文号）"]
        );
    }

    #[test]
    fn adjusted_extent_needs_a_passing_rereview_of_that_extent() {
        let mut jr = complete();
        jr.adjusted = Some(AdjustedExtent {
            corners_text: "1,1,1".into(),
            crs: None,
            base_review_id: 5,
            date: d("2026-10-12"),
        });
        let missing = "踏查调整了开采范围，调整后的范围尚未重新进行规划符合性审查";
        assert_eq!(completion(&jr).unwrap_err()[0].message, missing);
        // The base review itself, or a later one of other corners, is no re-review.
        jr.rereview = Some(ReReview {
            review_id: 5,
            conclusion: Conclusion::Conforming,
            same_extent: true,
        });
        assert_eq!(completion(&jr).unwrap_err()[0].message, missing);
        jr.rereview = Some(ReReview {
            review_id: 6,
            conclusion: Conclusion::Conforming,
            same_extent: false,
        });
        assert_eq!(completion(&jr).unwrap_err()[0].message, missing);
        jr.rereview = Some(ReReview {
            review_id: 6,
            conclusion: Conclusion::NonConforming,
            same_extent: true,
        });
        assert_eq!(
            completion(&jr).unwrap_err()[0].message,
            "调整后的开采范围重新审查（审查记录 #6）结论为不符合"
        );
        jr.rereview = Some(ReReview {
            review_id: 6,
            conclusion: Conclusion::Conforming,
            same_extent: true,
        });
        assert_eq!(completion(&jr).unwrap().rereview_id, Some(6));
    }

    #[test]
    fn only_new_grants_need_it() {
        assert!(required(ApplicationKind::New));
        for k in [
            ApplicationKind::Extension,
            ApplicationKind::Change,
            ApplicationKind::ExplorationToMining,
            ApplicationKind::Transfer,
        ] {
            assert!(!required(k), "{}", k.label());
        }
    }

    #[test]
    fn answers_checked() {
        let jr = complete();
        let a = DepartmentAnswer {
            opinion: Opinion::AgreeWithConditions,
            conditions: Some("  ".into()),
            date: d("2026-09-30"),
            attachment: None,
        };
        let p = check_answer(&jr, "生态环境", &a, d("2026-12-06")).unwrap_err();
        let fields: Vec<&str> = p.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, vec!["date", "conditions"]);
        assert_eq!(p[1].message, "请填写所附条件");
        let p = check_answer(&jr, "交通", &complete_answer(), d("2026-12-06")).unwrap_err();
        assert_eq!(p[0].field, "department");
        assert!(check_answer(&jr, "生态环境", &complete_answer(), d("2026-12-06")).is_ok());
    }

    fn complete_answer() -> DepartmentAnswer {
        answer(Opinion::Agree, None).unwrap()
    }

    #[test]
    fn departments_checked() {
        let names = vec![" 自然资源 ".to_string(), String::new(), "水利".to_string()];
        assert_eq!(check_departments(&names).unwrap(), vec!["自然资源", "水利"]);
        let p = check_departments(&["水利".into(), "水利".into()]).unwrap_err();
        assert_eq!(p[0].message, "部门“水利”重复");
        assert!(check_departments(&[]).is_err());
    }

    #[test]
    fn consent_not_before_the_visit() {
        let jr = complete();
        let c = Consent {
            date: d("2026-10-11"),
            document_number: "".into(),
        };
        let p = check_consent(&jr, &c, d("2026-12-06")).unwrap_err();
        assert_eq!(p[0].message, "同意日期 2026-10-11 早于踏查日期 2026-10-12");
        assert_eq!(p[1].message, "请填写政府同意文号");
    }

    #[test]
    fn rereview_file_replaces_the_corners() {
        let old = "format = \"minplan-application/1\"\nnumber = \"A-1\"\ndeclared_area = \"0.5\"\n[coordinates]\nfile = \"a.txt\"\ndatum = \"CGCS2000\"\n";
        let a = AdjustedExtent {
            corners_text: "1,4911391.68,44428925.83\n2,4911391.68,44429925.83\n".into(),
            crs: Some(4532),
            base_review_id: 1,
            date: d("2026-10-12"),
        };
        let new = rereview_file(old, &a).unwrap();
        let t: toml::Table = new.parse().unwrap();
        assert_eq!(t["number"].as_str(), Some("A-1"));
        assert!(t.get("declared_area").is_none());
        assert!(t["coordinates"].get("file").is_none());
        assert_eq!(t["coordinates"]["datum"].as_str(), Some("CGCS2000"));
        assert!(same_extent(&new, &a));
        assert!(!same_extent(old, &a));
        let mut other = a.clone();
        other.crs = None;
        assert!(!same_extent(&new, &other));
    }

    #[test]
    fn files_by_magic_bytes() {
        assert_eq!(file_kind(b"%PDF-1.7 ..."), Some("application/pdf"));
        assert_eq!(file_kind(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("image/jpeg"));
        assert_eq!(file_kind(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(
            check_file("a.jpg", b"GIF89a").unwrap_err(),
            "文件“a.jpg”不是 JPG、PNG 图片或 PDF 文件"
        );
        let big = vec![0xFFu8; MAX_FILE_BYTES + 1];
        assert!(check_file("big.jpg", &big).unwrap_err().contains("过大"));
    }
}
